// Annotations over time, stacked per user: columns for a few buckets, areas for many.

import { useContext, useRef } from "preact/hooks";
import { ShowName } from "../names";
import { PALETTE, formatBucket, formatCount, niceTicks } from "../scale";
import type { Throughput } from "../types";
import { useWidth } from "../useWidth";
import { clip, shownName, userName } from "./text";

const HEIGHT = 190;
const PAD = { top: 10, right: 12, bottom: 30, left: 40 };
/** up to this many buckets the chart draws columns, beyond it areas */
export const MAX_COLUMNS = 48;

const UNIT_WORD = { minute: "minute", hour: "hour", day: "day" } as const;

export function ThroughputChart({ data }: { data: Throughput }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const show = useContext(ShowName);
  const n = data.times.length;
  if (n === 0 || data.series.length === 0) return <p class="lnb-dash-empty">No submitted annotations yet.</p>;
  const totals = data.times.map((_, i) => data.series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  const ticks = niceTicks(Math.max(1, ...totals), 4, true);
  const top = ticks[ticks.length - 1]!;
  const plotW = Math.max(60, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const columns = n <= MAX_COLUMNS;
  const slot = plotW / (columns ? n : Math.max(1, n - 1));
  const x = (i: number) => PAD.left + (columns ? slot * (i + 0.5) : slot * i);
  // about one x label per 90 px, always the first and the last
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotW / 90))));
  const labelled = (i: number) => i % every === 0 || (i === n - 1 && (n - 1) % every >= every / 2);
  const showDay = data.unit !== "day" && data.times[0]?.slice(0, 10) !== data.times[n - 1]?.slice(0, 10);
  const stacked: number[][] = []; // stacked[s][i]: the top of series s at bucket i
  data.series.forEach((s, k) => stacked.push(s.counts.map((c, i) => (k ? stacked[k - 1]![i]! : 0) + c)));
  return (
    <div ref={ref} class="lnb-dash-chart">
      <svg class="lnb-dash-throughput" width={width} height={HEIGHT} role="img" aria-label={`Annotations per ${UNIT_WORD[data.unit]}`}>
        {ticks.map((t) => (
          <g key={t}>
            <line class="lnb-dash-grid" x1={PAD.left} x2={PAD.left + plotW} y1={y(t)} y2={y(t)} />
            <text class="lnb-dash-axis-label" x={PAD.left - 6} y={y(t)} text-anchor="end" dominant-baseline="central">
              {formatCount(t)}
            </text>
          </g>
        ))}
        {data.series.map((s, k) => {
          const color = PALETTE[k % PALETTE.length]!;
          const name = userName(s.user, s.others);
          if (columns) {
            const w = Math.max(2, Math.min(40, slot * 0.7));
            return (
              <g key={name} class="lnb-dash-series" data-user={name} fill={color}>
                {s.counts.map((c, i) =>
                  c > 0 ? (
                    <rect key={i} class="lnb-dash-column" x={x(i) - w / 2} y={y(stacked[k]![i]!)} width={w} height={y(stacked[k]![i]! - c) - y(stacked[k]![i]!)}>
                      <title>{`${name}, ${formatBucket(data.times[i]!, data.unit, true)} UTC: ${c}`}</title>
                    </rect>
                  ) : null,
                )}
              </g>
            );
          }
          const upper = stacked[k]!.map((v, i) => `${x(i)},${y(v)}`);
          const lower = stacked[k]!.map((v, i) => `${x(i)},${y(v - s.counts[i]!)}`).reverse();
          return (
            <g key={name} class="lnb-dash-series" data-user={name}>
              <title>{`${name}: ${formatCount(s.counts.reduce((a, b) => a + b, 0))} annotations`}</title>
              <polygon class="lnb-dash-area" points={[...upper, ...lower].join(" ")} fill={color} />
              <polyline class="lnb-dash-line" points={upper.join(" ")} stroke={color} />
            </g>
          );
        })}
        <line class="lnb-dash-axis" x1={PAD.left} x2={PAD.left + plotW} y1={y(0)} y2={y(0)} />
        {data.times.map((t, i) =>
          labelled(i) ? (
            <text key={t} class="lnb-dash-axis-label" x={x(i)} y={HEIGHT - PAD.bottom + 16} text-anchor="middle">
              {formatBucket(t, data.unit, showDay && (i === 0 || data.times[i - every]?.slice(0, 10) !== t.slice(0, 10)))}
            </text>
          ) : null,
        )}
      </svg>
      <div class="lnb-dash-legend">
        {data.series.map((s, k) => {
          const name = userName(s.user, s.others);
          return (
            <span key={name} title={name}>
              <i class="lnb-dash-swatch" style={{ background: PALETTE[k % PALETTE.length] }} />
              {clip(shownName(s.user, show, s.others), 28)}
            </span>
          );
        })}
        <span class="lnb-dash-muted">{`per ${UNIT_WORD[data.unit]}, UTC`}</span>
      </div>
    </div>
  );
}
