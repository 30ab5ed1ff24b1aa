// Annotator x annotator agreement of one control, with the value written in each cell.

import { useContext } from "preact/hooks";
import { ShowName } from "../names";
import { formatValue, heatFill } from "../scale";
import type { AgreementMatrix } from "../types";
import { clip } from "./text";

/** cell size: roomy for a few annotators, tighter for many (the panel scrolls beyond its width) */
export function cellSize(n: number): number {
  return n <= 8 ? 46 : n <= 16 ? 36 : 30;
}
const MEASURE_NAMES: Record<string, string> = {
  cohen_kappa: "Cohen's kappa",
  f1: "F1 of matched regions",
  f1_exact: "F1 of exactly matching spans",
  f1_partial: "F1 of overlapping spans",
  precision: "precision",
  recall: "recall",
  mean_iou: "mean IoU",
};

export function measureName(measure: string): string {
  return MEASURE_NAMES[measure] ?? measure.replace(/_/g, " ");
}

export function AgreementHeatmap({ data }: { data: AgreementMatrix }) {
  const people = data.annotators;
  const show = useContext(ShowName);
  if (people.length < 2) return <p class="lnb-dash-empty">Agreement needs two annotators who answered the same tasks.</p>;
  const longest = Math.max(...people.map((p) => Math.min(show(p).length, 18)));
  const left = Math.min(150, 14 + longest * 7);
  const top = Math.min(110, 14 + longest * 5);
  const CELL = cellSize(people.length);
  const size = people.length * CELL;
  return (
    <div class="lnb-dash-chart lnb-dash-scroll">
      <svg class="lnb-dash-heatmap" width={left + size + 4} height={top + size + 4} role="img" aria-label={`Agreement on ${data.control}`}>
        {people.map((p, j) => (
          <text
            key={`c${p}`}
            class="lnb-dash-axis-label"
            transform={`translate(${left + j * CELL + CELL / 2}, ${top - 6}) rotate(-40)`}
            text-anchor="start"
          >
            <title>{p}</title>
            {clip(show(p), 18)}
          </text>
        ))}
        {people.map((a, i) => (
          <g key={`r${a}`} class="lnb-dash-heat-row" data-user={a}>
            <text class="lnb-dash-axis-label" x={left - 6} y={top + i * CELL + CELL / 2} text-anchor="end" dominant-baseline="central">
              <title>{a}</title>
              {clip(show(a), 18)}
            </text>
            {people.map((b, j) => {
              const value = data.values[i]?.[j] ?? null;
              const shared = data.n_tasks[i]?.[j] ?? 0;
              const heat = heatFill(value);
              const cx = left + j * CELL;
              const cy = top + i * CELL;
              const tip = i === j ? a : `${a} and ${b}: ${formatValue(value)} over ${shared} shared tasks`;
              return (
                <g key={b} class="lnb-dash-heat-cell" data-a={a} data-b={b}>
                  <title>{tip}</title>
                  <rect class="lnb-dash-heat-bg" x={cx + 1} y={cy + 1} width={CELL - 2} height={CELL - 2} rx={3} />
                  {value !== null && <rect x={cx + 1} y={cy + 1} width={CELL - 2} height={CELL - 2} rx={3} fill={heat.fill} fill-opacity={heat.opacity} />}
                  <text
                    class={`lnb-dash-heat-value${heat.strong ? " lnb-dash-on-strong" : ""}${CELL < 40 ? " lnb-dash-heat-small" : ""}`}
                    x={cx + CELL / 2}
                    y={cy + CELL / 2}
                    text-anchor="middle"
                    dominant-baseline="central"
                  >
                    {i === j ? "" : formatValue(value)}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}
