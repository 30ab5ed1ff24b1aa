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
    if "memory" in r:
        m = r["memory"]
        rows.append((f"kernel memory after opening {m['tasks']:,} tasks and one `next_task`", "< 200 MB",
                     f"{m['rss_mb_after_open_and_next_task']} MB resident "
                     f"(Python alone: {m['rss_mb_before_import_labelnb']} MB)"))  # fmt: skip
    if "browser_bare_anywidget_stock_server" in r:
        b = r["browser_bare_anywidget_stock_server"]
        rows.append(("browser baseline: a bare anywidget round trip, stock Jupyter server (labelnb.serverext off)",
                     "-", f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms"))  # fmt: skip
    if "browser_bare_anywidget" in r:
        b = r["browser_bare_anywidget"]
        rows.append(("browser baseline: a bare anywidget round trip (click, kernel, synced trait, DOM)", "-",
                     f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms"))  # fmt: skip
    for kind, goal in (("text", "p50 < 50 ms"), ("image", "p50 < 100 ms")):
        key = f"browser_{kind}"
        if key in r:
            b = r[key]
            what = "text" if kind == "text" else "1-megapixel image"
            ratio = b.get("p50_ratio_to_bare_anywidget")
            extra = f"; p50 {ratio}x the bare round trip" if ratio else ""
            rows.append((f"browser: submit → next {what} task rendered ({b['n']} tasks)", goal,
                         f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms{extra}"))  # fmt: skip
    print("| what | goal | measured |")
    print("| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
