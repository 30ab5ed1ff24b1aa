// The team lead's dashboard: headline numbers and one panel per question (who did what, which labels,
// how fast, who agrees, what waits for review). Everything shown comes from the `summary` trait; the
// Refresh button and a timer (while the widget is on screen) ask the kernel for a new one.

import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { WidgetModel } from "../protocol";
import { RefreshChannel } from "./channel";
import { AgreementHeatmap, measureName } from "./charts/AgreementHeatmap";
import { LabelBars } from "./charts/LabelBars";
import { ReviewPanel } from "./charts/ReviewPanel";
import { ThroughputChart } from "./charts/ThroughputChart";
import { UserBars } from "./charts/UserBars";
import { UserTable } from "./charts/UserTable";
import { commonDomain, namesOf, shortener, ShowName } from "./names";
import { formatCount, formatPercent } from "./scale";
import { isSummary, type Summary } from "./types";

function useTrait<T>(model: WidgetModel, key: string): T {
  const [value, setValue] = useState<T>(() => model.get(key) as T);
  useEffect(() => {
    const handler = () => setValue(model.get(key) as T);
    model.on(`change:${key}`, handler);
    handler();
    return () => model.off(`change:${key}`, handler);
  }, [model, key]);
  return value;
}

/** True while the element is on screen (IntersectionObserver) and its page is not hidden. */
function useVisible(ref: { current: HTMLElement | null }): { current: boolean } {
  const visible = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) visible.current = entry.isIntersecting;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return visible;
}

function Panel({ title, note, wide, name, children }: { title: string; note?: string; wide?: boolean; name: string; children: ComponentChildren }) {
  return (
    <section class={wide ? "lnb-dash-panel lnb-dash-wide" : "lnb-dash-panel"} data-panel={name}>
      <h3 class="lnb-dash-panel-title">
        {title}
        {note && <span class="lnb-dash-muted">{` ${note}`}</span>}
      </h3>
      {children}
    </section>
  );
}

function Headline({ label, value, detail, name }: { label: string; value: string; detail?: string; name: string }) {
  return (
    <div class="lnb-dash-stat" data-stat={name}>
      <div class="lnb-dash-stat-value">{value}</div>
      <div class="lnb-dash-stat-label">{label}</div>
      {detail && <div class="lnb-dash-muted lnb-dash-stat-detail">{detail}</div>}
    </div>
  );
}

function clockTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

function Body({ summary }: { summary: Summary }) {
  const { overall, agreement, review } = summary;
  const domain = useMemo(() => commonDomain(namesOf(summary)), [summary]);
  const show = useMemo(() => shortener(domain), [domain]);
  return (
    <ShowName.Provider value={show}>
      <div class="lnb-dash-stats">
        <Headline name="done" label="done" value={formatPercent(overall.percent_done)} detail={`${formatCount(overall.labeled)} of ${formatCount(overall.tasks)} tasks`} />
        <Headline name="submitted" label="annotations" value={formatCount(overall.submitted)} />
        <Headline name="skipped" label="skipped" value={formatCount(overall.skipped)} />
        <Headline
          name="annotators"
          label={overall.annotators === 1 ? "annotator" : "annotators"}
          value={formatCount(overall.annotators)}
          detail={domain ?? undefined}
        />
        {review && <Headline name="review" label="await review" value={formatCount(review.waiting)} />}
      </div>
      <div class="lnb-dash-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(overall.percent_done)}>
        <div class="lnb-dash-progress-fill" style={{ width: `${Math.min(100, Math.max(0, overall.percent_done))}%` }} />
      </div>
      <div class="lnb-dash-grid">
        <Panel name="users" title="Annotators">
          <UserBars users={summary.users} />
          {summary.more_users ? <p class="lnb-dash-muted lnb-dash-note">{`The ${formatCount(summary.users.length)} most active of ${formatCount(summary.users.length + summary.more_users)} annotators.`}</p> : null}
          <UserTable users={summary.users} />
        </Panel>
        <Panel name="labels" title="Labels" note="regions and choices in submitted annotations">
          <LabelBars controls={summary.labels} />
        </Panel>
        <Panel name="throughput" title="Throughput" note="submitted annotations over time" wide>
          <ThroughputChart data={summary.throughput} />
        </Panel>
        {agreement && (
          <Panel
            name="agreement"
            title="Agreement"
            wide={!("error" in agreement) && agreement.annotators.length > 5}
            note={"error" in agreement ? undefined : `${agreement.control}: ${measureName(agreement.measure)}`}>
            {"error" in agreement ? <p class="lnb-dash-empty">{agreement.error}</p> : <AgreementHeatmap data={agreement} />}
          </Panel>
        )}
        {review && (
          <Panel name="review" title="Review queue">
            <ReviewPanel data={review} />
          </Panel>
        )}
      </div>
    </ShowName.Provider>
  );
}

export function Dashboard({ model }: { model: WidgetModel }) {
  const raw = useTrait<unknown>(model, "summary");
  const refreshEvery = Number(useTrait<number>(model, "refresh_every")) || 0;
  const kernelError = String(useTrait<string>(model, "error") ?? "");
  const title = String(useTrait<string>(model, "title") ?? "");
  const channel = useMemo(() => new RefreshChannel(model), [model]);
  useEffect(() => () => channel.dispose(), [channel]);
  const [busy, setBusy] = useState(false);
  const [replyError, setReplyError] = useState<string | null>(null);
  const busyRef = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  const visible = useVisible(root);

  const refresh = useCallback(async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      const reply = await channel.refresh();
      setReplyError(reply.ok ? null : (reply.error ?? "The refresh failed."));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, [channel]);

  useEffect(() => {
    if (!(refreshEvery > 0)) return;
    const timer = setInterval(() => {
      if (visible.current && document.visibilityState !== "hidden") void refresh();
    }, refreshEvery * 1000);
    return () => clearInterval(timer);
  }, [refreshEvery, refresh, visible]);

  const summary = isSummary(raw) ? raw : null;
  const error = replyError ?? (kernelError || null);
  return (
    <div ref={root} class="labelnb-dashboard">
      <header class="lnb-dash-header">
        <h2 class="lnb-dash-title">
          Team progress
          {title && <span class="lnb-dash-muted">{` · ${title}`}</span>}
        </h2>
        <span class="lnb-dash-updated lnb-dash-muted">{summary ? `Updated ${clockTime(summary.generated_at)}` : ""}</span>
        <button type="button" class="lnb-dash-refresh" onClick={() => void refresh()} disabled={busy} aria-busy={busy}>
          {busy ? "Refreshing…" : "Refresh"}
        </button>
      </header>
      {error && (
        <div class="lnb-dash-error" role="alert">
          {error}
        </div>
      )}
      {summary ? <Body summary={summary} /> : !error && <p class="lnb-dash-empty">Waiting for the kernel…</p>}
    </div>
  );
}
