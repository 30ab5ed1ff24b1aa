"""Print the README's performance table from out/results.json (written by the bench_*.py scripts)."""

from __future__ import annotations

import json

from common import OUT


def main() -> None:
    r = json.loads((OUT / "results.json").read_text())
    rows = []
    if "import" in r:
        i = r["import"]
        rows.append((f"import {i['tasks']:,} text tasks from a DataFrame", "≤ 2x sqlite3 executemany",
                     f"{i['labelnb_tasks_per_s']:,} tasks/s; {i['ratio_to_sqlite']}x the time of sqlite3 executemany "
                     f"({i['sqlite_executemany_tasks_per_s']:,} rows/s)"))  # fmt: skip
    if "next_task" in r:
        n = r["next_task"]
        rows.append((f"`next_task` on {n['tasks']:,} tasks ({n['n']} calls)", "p99 < 5 ms",
                     f"p50 {n['p50_ms']:.2f} ms, p99 {n['p99_ms']:.2f} ms"))  # fmt: skip
    if "next_task_overlap" in r:
        n = r["next_task_overlap"]
        rows.append((f"`next_task` on {n['tasks']:,} tasks, {n['overlap']} annotations each, {n['users']} users ({n['n']} calls)",
                     "p99 < 5 ms", f"p50 {n['p50_ms']:.2f} ms, p99 {n['p99_ms']:.2f} ms; setting the overlap took "
                     f"{n.get('configure_s', 0)} s"))  # fmt: skip
    if "strategies" in r:
        n = r["strategies"]
        u, q = n["next_task_uncertainty"], n["next_task_sequential"]
        rows.append((f"`next_task` on {n['tasks']:,} tasks with the uncertainty strategy ({u['n']} calls)", "p99 < 5 ms",
                     f"p50 {u['p50_ms']:.2f} ms, p99 {u['p99_ms']:.2f} ms; sequential in the same run p50 {q['p50_ms']:.2f} ms, "
                     f"p99 {q['p99_ms']:.2f} ms; ranking {n['tasks']:,} tasks took {n['rank_s']} s"))  # fmt: skip
    if "learning" in r:
        n = r["learning"]
        names = [k for k, v in n.items() if isinstance(v, dict)]
        parts = [f"{k} {n[k]['labels_mean']} ± {n[k]['labels_sd']}" for k in names]
        best = min((k for k in names if k != "random" and n[k]["labels_mean"] is not None),
                   key=lambda k: n[k]["labels_mean"])  # fmt: skip
        rows.append((f"active learning on {n['data_set']}: labels to reach the accuracy seeded random reaches with "
                     f"{n['n']} ({n['target_accuracy']}), {n['seeds']} seeds", "best ≥ 30% fewer",
                     f"{best}: {n[best]['fewer_than_random_pct']}% fewer; " + "; ".join(parts)))  # fmt: skip
    if "export" in r:
        e = r["export"]
        plain = ""
        if "plain_sqlite_orjson_per_s" in e:
            plain = f" (plain sqlite3 + orjson of the same rows: {e['plain_sqlite_orjson_per_s']:,}/s)"
        rows.append((f"export {e['annotations']:,} annotations to `json`", "≥ 100,000/s",
                     f"{e['json_annotations_per_s']:,}/s, {e['json_mb']} MB; "
                     f"{e.get('json_ratio_to_plain', '?')}x the baseline's time{plain}"))  # fmt: skip
        rows.append((f"export {e['annotations']:,} annotations to a DataFrame", "≥ 100,000/s",
                     f"{e['dataframe_annotations_per_s']:,}/s; {e.get('dataframe_ratio_to_plain', '?')}x the baseline's time"))  # fmt: skip
    if "export_memory" in r:
        e = r["export_memory"]
        for fmt, m in e.items():
            if isinstance(m, dict):
                rows.append((f"peak memory of a fresh process exporting {e['annotations']:,} box annotations to `{fmt}`",
                             "< 300 MB", f"{m['peak_rss_mb']} MB peak resident ({m['opened_rss_mb']} MB with the project "
                             f"open, before exporting); {m['annotations_per_s']:,} annotations/s, {m['output_mb']} MB written"))  # fmt: skip
    if "export_speed" in r:
        e = r["export_speed"]
        for fmt, m in e.items():
            if isinstance(m, dict):
                rows.append((f"export {e['annotations']:,} box annotations to `{fmt}` against label-studio-sdk's converter",
                             "≥ 5x faster", f"{m['labelnb_annotations_per_s']:,} annotations/s, {m['ratio_sdk_to_labelnb']}x "
                             f"the converter's speed ({m['sdk_annotations_per_s']:,}/s) on the same tasks"))  # fmt: skip
    if "agreement" in r:
        a = r["agreement"]
        store = (
            f"; `Project.agreement` from the store: {a['project_agreement_s']} s"
            if "project_agreement_s" in a
            else ""
        )
        rows.append((f"agreement over {a['annotations']:,} annotations ({a['tasks']:,} tasks x 2 annotators: a choice, a rating, "
                     f"{a['boxes']:,} boxes)", "< 5 s", f"{a['all_s']} s for every measure ({a['annotations_per_s']:,} "
                     f"annotations/s); the choices alone {a['quality_s']} s, {a['quality_ratio_to_baseline']}x a plain loop + "
                     f"scikit-learn + krippendorff ({a['baseline_quality_s']} s); boxes {a['box_s']} s{store}"))  # fmt: skip
    if "postgres" in r:
        g = r["postgres"]
        lite, pg = g["sqlite"], g["postgresql"]
        rows.append((f"the same work on PostgreSQL (a throwaway local server) and on SQLite, {g['tasks']:,} tasks", "report",
                     f"import {pg['import_tasks_per_s']:,.0f} tasks/s (SQLite {lite['import_tasks_per_s']:,.0f}); next_task + "
                     f"submit p50 {pg['next_and_submit']['p50_ms']:.1f} ms (SQLite {lite['next_and_submit']['p50_ms']:.1f}); "
                     f"JSON export {pg['export_json_s']:.2f} s (SQLite {lite['export_json_s']:.2f}); labelnb copy to "
                     f"PostgreSQL {g['copy_sqlite_to_postgresql_s']:.2f} s, back {g['copy_postgresql_to_sqlite_s']:.2f} s"))  # fmt: skip
    if "dashboard" in r:
        d = r["dashboard"]
        rows.append((f"team dashboard over {d['annotations']:,} annotations (10 annotators, a choice and 1-3 boxes each): "
                     "per user, per label, per hour, overall, review queue", "faster than pandas over the export; "
                     "a refresh with nothing new < 100 ms", f"{d['summary_s']} s, {d['speedup_vs_baseline']}x the speed of the "
                     f"export + pandas ({d['baseline_s']} s), peak {d['summary_peak_mb']} MB of Python memory against "
                     f"{d['baseline_peak_mb']} MB; with the agreement heat map {d['with_agreement_s']} s; nothing new: "
                     f"{d['unchanged_refresh_ms']} ms"))  # fmt: skip
    for backend in ("sqlite", "postgresql"):
        if f"team_{backend}" in r:
            t = r[f"team_{backend}"]
            team, alone = t["team"], t["alone"]
            rows.append((f"{t['annotators']} annotators in separate processes on one {backend} store (next_task + submit, "
                         "as fast as they can)", "report", f"{team['per_s']:,} submissions/s ({t['throughput_ratio']}x one "
                         f"annotator alone: {alone['per_s']:,}/s); next_task p50 {team['p50_ms']} ms, p99 {team['p99_ms']} ms "
                         f"(alone {alone['p99_ms']} ms)"))  # fmt: skip
    if "sync" in r:
        y = r["sync"]
        rows.append((f"sync of {y['objects']:,} objects from moto's S3 server into a new project (files mode)",
                     "≤ 1.5x a plain fsspec listing", f"{y['sync_objects_per_s']:,} objects/s, {y['ratio_to_listing']}x the "
                     f"listing's time ({y['listing_objects_per_s']:,} objects/s); a second sync (nothing new): "
                     f"{y['resync_ratio_to_listing']}x"))  # fmt: skip
    if "memory" in r:
        m = r["memory"]
        rows.append((f"peak kernel memory: open a just-imported {m['tasks']:,}-task project, {m['calls']} next/submit/skip calls",
                     "< 200 MB", f"{m['peak_rss_mb']} MB peak resident, {m['rss_mb_at_end']} MB at the end "
                     f"(Python alone: {m['rss_mb_before_import_labelnb']} MB)"))  # fmt: skip
    if "jobs" in r:
        j = r["jobs"]
        rows.append((f"`next_task` + `submit` while {j['jobs']} jobs in other processes report progress non-stop",
                     "≤ 1.2x the same jobs busy without reporting",
                     f"p50 {j['reporting_jobs_p50_ms']:.1f} ms ({j['p50_ratio_to_busy']}x), p95 "
                     f"{j['reporting_jobs_p95_ms']:.1f} ms ({j['p95_ratio_to_busy']}x); no jobs: p50 {j['alone_p50_ms']:.1f} ms"))  # fmt: skip
    if "browser_bare_anywidget_stock_server" in r:
        b = r["browser_bare_anywidget_stock_server"]
        rows.append(("browser baseline: a bare anywidget round trip, stock Jupyter server (labelnb.serverext off)",
                     "-", f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms"))  # fmt: skip
    if "browser_bare_anywidget" in r:
        b = r["browser_bare_anywidget"]
        rows.append(("browser baseline: a bare anywidget round trip (click, kernel, synced trait, DOM)", "-",
                     f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms"))  # fmt: skip
    for executor in ("process", "threads"):
        key = f"browser_retraining_{executor}"
        if key in r:
            b = r[key]
            where = (
                "a low-priority worker process (the default)" if executor == "process" else "kernel threads"
            )
            rows.append((f"browser: submit → next text task while retraining runs in {where} ({b['pool']:,} tasks)",
                         "≤ 1.5x idle" if executor == "process" else "-",
                         f"p50 {b['retraining']['p50_ms']:.0f} ms against {b['idle']['p50_ms']:.0f} ms idle in the same "
                         f"session: {b['p50_ratio']}x ({b['rounds']} rounds)"))  # fmt: skip
    for kind, goal in (("text", "p50 < 50 ms"), ("image", "p50 < 100 ms")):
        key = f"browser_{kind}"
        if key in r:
            b = r[key]
            what = "text" if kind == "text" else "1-megapixel image"
            ratio = b.get("p50_ratio_to_bare_anywidget")
            extra = f"; p50 {ratio}x the bare round trip" if ratio else ""
            rows.append((f"browser: submit → next {what} task rendered ({b['n']} tasks)", goal,
                         f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms{extra}"))  # fmt: skip
    rows += editor_rows(r)
    rows += text_rows(r)
    print("| what | goal | measured |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _load(s: dict) -> str:
    return f"median {s['median_ms']:.0f} ms ({s['min_ms']:.0f}-{s['max_ms']:.0f}, n={s['n']})"


def _frames(g: dict, moved: str) -> str:
    return (f"frames p50 {g['frame_p50_ms']:.1f} ms, p95 {g['frame_p95_ms']:.1f} ms; {moved} every "
            f"{g['update_p50_ms']:.0f} ms (p95 {g['update_p95_ms']:.0f} ms)")  # fmt: skip


def editor_rows(r: dict) -> list[tuple[str, str, str]]:
    """The image editor's rows (bench_editor.py), each with its baseline from the same run."""
    rows = []
    if "editor_rects" in r:
        e = r["editor_rects"]
        rows.append((f"editor: task with {e['regions']:,} predicted boxes ({e['image']} photo), task shown → interactive",
                     "< 300 ms", f"{_load(e['load_1000_from_shown'])}; the photo without regions: "
                     f"{_load(e['load_0_from_shown'])}; first such task of a session: "
                     f"{e['load_1000_first_task_from_shown_ms']:.0f} ms; from the Skip click: "
                     f"{e['load_1000_from_click']['median_ms']:.0f} ms vs {e['load_0_from_click']['median_ms']:.0f} ms"))  # fmt: skip
        d, b = e["drag_1000"], e["drag_1"]
        rows.append((f"editor: drag one box among {e['regions']:,} (60 moves, real mouse)", "frame p95 < 20 ms",
                     f"{_frames(d, 'the box moved')}; release {d['release_median_ms']:.0f} ms (max "
                     f"{d['release_max_ms']:.0f}); the box alone: {_frames(b, 'moved')}"))  # fmt: skip
    if "editor_polygons" in r:
        e = r["editor_polygons"]
        what = f"{e['regions']:,} polygons of {e['points']} points"
        rows.append((f"editor: zoom with Ctrl+wheel (60 steps) over {what}", "frame p95 < 33 ms",
                     f"{_frames(e['zoom_3000'], 'the view changed')}; no regions: "
                     f"{_frames(e['zoom_0'], 'changed')}"))  # fmt: skip
        rows.append((f"editor: pan with the wheel (60 steps, zoomed 4x) over {what}", "frame p95 < 33 ms",
                     f"{_frames(e['pan_3000'], 'the view changed')}; no regions: {_frames(e['pan_0'], 'changed')}"))  # fmt: skip
        rows.append((f"editor: task with {what}, task shown → interactive", "-",
                     f"{_load(e['load_3000_from_shown'])}; no regions: {_load(e['load_0_from_shown'])}; first such "
                     f"task of a session: {e['load_3000_first_task_from_shown_ms']:.0f} ms; from the Skip click: "
                     f"{e['load_3000_from_click']['median_ms']:.0f} ms vs {e['load_0_from_click']['median_ms']:.0f} ms"))  # fmt: skip
    if "editor_brush" in r:
        e = r["editor_brush"]
        rows.append((f"editor: painting a brush stroke on a {e['image']} image (90 moves)", "frame p95 ≈ 16.7 ms",
                     f"{_frames(e['paint'], 'the stroke grew')}; panning the same image: "
                     f"{_frames(e['pan_no_brush'], 'the view changed')}"))  # fmt: skip
        c, d = e["up_to_region_committed"], e["up_to_mask_drawn"]
        blank = sum(e["frames_with_blank_region_canvas"])
        rows.append(("editor: brush stroke released → region committed (RLE encoded) → mask drawn", "-",
                     f"median {c['median_ms']:.0f} ms → {d['median_ms']:.0f} ms (n={c['n']}), {blank} frames with the "
                     "mask missing; the encoder alone: bench_brush.py"))  # fmt: skip
    if "editor_large" in r:
        e = r["editor_large"]
        p = e["preview_px"]
        rows.append((f"editor: {e['image']} (24-megapixel) JPEG of {e['jpeg_mb']} MB, task shown → decoded and drawn",
                     "< 1 s", f"{_load(e['shown_to_decoded_24mp'])} (the kernel sends a {p[0]}x{p[1]} preview); "
                     f"a 1-megapixel photo: {_load(e['shown_to_decoded_1mp'])}; first task of a session, nothing "
                     f"prefetched: {e['first_task_24mp_shown_to_decoded_ms']:.0f} ms; a box drawn on it stores "
                     f"original_width {e['rect_original_width']}"))  # fmt: skip
    return rows


def _loads(e: dict, big: str, base: str, base_name: str) -> str:
    return (f"{_load(e[f'load_{big}_from_shown'])}; {base_name}: {_load(e[f'load_{base}_from_shown'])}; first such task "
            f"of a session: {e[f'load_{big}_first_task_from_shown_ms']:.0f} ms; from the task's message reaching the "
            f"page: {e[f'load_{big}_from_received']['median_ms']:.0f} ms vs {e[f'load_{base}_from_received']['median_ms']:.0f} ms; "
            f"from the Skip click: {e[f'load_{big}_from_click']['median_ms']:.0f} ms vs "
            f"{e[f'load_{base}_from_click']['median_ms']:.0f} ms")  # fmt: skip


def text_rows(r: dict) -> list[tuple[str, str, str]]:
    """The rows of long texts and dialogues (bench_text.py), each with its baseline from the same run."""
    rows = []
    if "text_spans" in r:
        e = r["text_spans"]
        rows.append((f"text: {e['text_kb']:.0f} KB text ({e['code_points']:,} code points, {e['non_bmp']} beyond the BMP) "
                     f"with {e['spans']:,} predicted spans, task shown → interactive", "< 300 ms",
                     _loads(e, "spans", "0", "the text without spans")))  # fmt: skip
    if "text_select" in r:
        e = r["text_select"]
        d, b = e["drag_spans"], e["drag_0"]
        rows.append((f"text: a mouse selection on that text with its {e['spans']:,} spans → new span in the DOM → drawn",
                     "< 50 ms", f"median {e['up_to_span_in_dom_spans']['median_ms']:.0f} ms → "
                     f"{_load(e['up_to_span_drawn_spans'])}; the text without spans: "
                     f"{e['up_to_span_in_dom_0']['median_ms']:.0f} ms → {_load(e['up_to_span_drawn_0'])}; first such "
                     f"task of a session: {e['first_task_up_to_span_drawn_ms']:.0f} ms; the drag: frames p50 "
                     f"{d['frame_p50_ms']:.1f} ms, p95 {d['frame_p95_ms']:.1f} ms (without spans: p95 {b['frame_p95_ms']:.1f} ms)"))  # fmt: skip
    if "text_dialogue" in r:
        e = r["text_dialogue"]
        n, m = e["messages"], e["baseline_messages"]
        what = {"paragraphs": '`Paragraphs layout="dialogue"` with `ParagraphLabels`', "chat": "`Chat`"}
        for tag, name in what.items():
            rows.append((f"dialogue: {n} messages as {name}, task shown → interactive", "< 300 ms",
                         _loads(e[tag], "long", "short", f"{m} messages")))  # fmt: skip
        for tag, name in what.items():
            g, b = e[tag]["scroll_long"], e[tag]["scroll_short"]
            rows.append((f"dialogue: 60 wheel steps through {n} messages as {name}", "frame p95 ≈ 16.7 ms",
                         f"{_frames(g, 'scrolled')}; {m} messages: {_frames(b, 'scrolled')}"))  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
