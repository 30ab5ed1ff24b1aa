// The clicks and boxes of the auto-annotate series on this image: green points add, red points exclude, a
// dashed box limits. Drawn over the regions, never hit by the pointer (they are not regions).

import { useEffect, useState } from "preact/hooks";
import type { AssistController } from "../../assist";
import type { Size } from "../../controls/shapes/types";

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export function AssistMarks({ assist, object, size, scale }: { assist: AssistController | null; object: string; size: Size; scale: number }) {
  const [state, setState] = useState(() => assist?.state ?? null);
  useEffect(() => (assist ? assist.subscribe(setState) : undefined), [assist]);
  const series = state?.series;
  if (!series || series.object !== object) return null;
  const r = 7 / Math.max(1e-6, scale);
  return (
    <g class="lnb-assist-marks" data-assist-marks={object} pointer-events="none">
      {series.items.map((item, i) => {
        const v = (item.value ?? {}) as Record<string, unknown>;
        const x = (num(v.x) / 100) * size.width;
        const y = (num(v.y) / 100) * size.height;
        if (typeof v.height === "number") {
          const w = (num(v.width) / 100) * size.width;
          const h = (num(v.height) / 100) * size.height;
          return <rect key={i} class="lnb-assist-box" x={x} y={y} width={w} height={h} vector-effect="non-scaling-stroke" />;
        }
        const positive = item.is_positive !== false;
        return (
          <g key={i} class={`lnb-assist-point ${positive ? "lnb-positive" : "lnb-negative"}`} data-positive={String(positive)}>
            <circle cx={x} cy={y} r={r} vector-effect="non-scaling-stroke" />
            <line x1={x - r * 0.55} y1={y} x2={x + r * 0.55} y2={y} vector-effect="non-scaling-stroke" />
            {positive && <line x1={x} y1={y - r * 0.55} x2={x} y2={y + r * 0.55} vector-effect="non-scaling-stroke" />}
          </g>
        );
      })}
    </g>
  );
}
