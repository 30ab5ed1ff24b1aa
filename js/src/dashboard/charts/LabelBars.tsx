// Regions and choices per label, one group of horizontal bars per control, in the config's colours.

import { useRef } from "preact/hooks";
import { PALETTE, formatCount, safeColor } from "../scale";
import type { ControlLabels } from "../types";
import { useWidth } from "../useWidth";
import { clip } from "./text";

const ROW = 20;
const BAR = 12;

export function LabelBars({ controls }: { controls: ControlLabels[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  if (controls.length === 0) return <p class="lnb-dash-empty">This config has no labels or choices.</p>;
  const nameWidth = Math.min(150, Math.max(80, Math.round(width * 0.25)));
  const countWidth = 56;
  const barSpace = Math.max(40, width - nameWidth - countWidth - 12);
  return (
    <div ref={ref} class="lnb-dash-chart">
      {controls.map((control) => {
        const max = Math.max(1, ...control.labels.map((l) => l.count));
        const height = control.labels.length * ROW + 4;
        return (
          <div key={control.control} class="lnb-dash-control" data-control={control.control}>
            <div class="lnb-dash-control-name">
              {control.control}
              <span class="lnb-dash-muted">{` ${control.tag}`}</span>
            </div>
            <svg class="lnb-dash-labels" width={width} height={height} role="img" aria-label={`Labels of ${control.control}`}>
              {control.labels.map((entry, i) => {
                const y = 2 + i * ROW;
                const w = (entry.count / max) * barSpace;
                const x0 = nameWidth + 8;
                return (
                  <g key={entry.label} class="lnb-dash-label-row" data-label={entry.label}>
                    <title>{`${entry.label}: ${entry.count}`}</title>
                    <text class="lnb-dash-axis-label" x={nameWidth} y={y + ROW / 2} text-anchor="end" dominant-baseline="central">
                      {clip(entry.label, Math.floor(nameWidth / 7))}
                    </text>
                    <rect class="lnb-dash-track" x={x0} y={y + (ROW - BAR) / 2} width={barSpace} height={BAR} rx={3} />
                    {entry.count > 0 && (
                      <rect
                        class="lnb-dash-label-bar"
                        x={x0}
                        y={y + (ROW - BAR) / 2}
                        width={Math.max(w, 2)}
                        height={BAR}
                        rx={2}
                        fill={safeColor(entry.color, PALETTE[i % PALETTE.length]!)}
                      />
                    )}
                    <text class="lnb-dash-value" x={x0 + barSpace + 8} y={y + ROW / 2} dominant-baseline="central">
                      {formatCount(entry.count)}
                    </text>
                  </g>
                );
              })}
            </svg>
            {control.others && (
              <p class="lnb-dash-muted lnb-dash-note">
                {`and ${formatCount(control.others.labels)} more labels: ${formatCount(control.others.count)} in all`}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}
