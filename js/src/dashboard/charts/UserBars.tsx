// Submitted and skipped annotations per annotator: one stacked horizontal bar each.

import { useContext, useRef } from "preact/hooks";
import { ShowName } from "../names";
import { formatCount } from "../scale";
import type { UserRow } from "../types";
import { useWidth } from "../useWidth";
import { clip, shownName, userName } from "./text";

const ROW = 24;
const BAR = 14;
const TOP = 4;

export function UserBars({ users }: { users: UserRow[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const show = useContext(ShowName);
  if (users.length === 0) return <p class="lnb-dash-empty">No answers yet.</p>;
  const nameWidth = Math.min(170, Math.max(90, Math.round(width * 0.28)));
  const countWidth = 86;
  const barSpace = Math.max(40, width - nameWidth - countWidth - 12);
  const max = Math.max(1, ...users.map((u) => u.submitted + u.skipped));
  const height = TOP * 2 + users.length * ROW;
  return (
    <div ref={ref} class="lnb-dash-chart">
      <svg class="lnb-dash-users" width={width} height={height} role="img" aria-label="Answers per annotator">
        {users.map((u, i) => {
          const y = TOP + i * ROW;
          const wSub = (u.submitted / max) * barSpace;
          const wSkip = (u.skipped / max) * barSpace;
          const x0 = nameWidth + 8;
          const name = userName(u.user);
          return (
            <g key={name} class="lnb-dash-user-row" data-user={name}>
              <title>{`${name}: ${u.submitted} submitted, ${u.skipped} skipped, ${u.tasks} tasks`}</title>
              <text class="lnb-dash-axis-label" x={nameWidth} y={y + ROW / 2} text-anchor="end" dominant-baseline="central">
                {clip(shownName(u.user, show), Math.floor(nameWidth / 7))}
              </text>
              <rect class="lnb-dash-track" x={x0} y={y + (ROW - BAR) / 2} width={barSpace} height={BAR} rx={3} />
              {u.submitted > 0 && (
                <rect class="lnb-dash-bar-submitted" data-kind="submitted" x={x0} y={y + (ROW - BAR) / 2} width={Math.max(wSub, 2)} height={BAR} rx={2} />
              )}
              {u.skipped > 0 && (
                <rect class="lnb-dash-bar-skipped" data-kind="skipped" x={x0 + wSub} y={y + (ROW - BAR) / 2} width={Math.max(wSkip, 2)} height={BAR} rx={2} />
              )}
              <text class="lnb-dash-value" x={x0 + barSpace + 8} y={y + ROW / 2} dominant-baseline="central">
                <tspan class="lnb-dash-submitted-count">{formatCount(u.submitted)}</tspan>
                {u.skipped > 0 && <tspan class="lnb-dash-skipped-count" dx={6}>{`+${formatCount(u.skipped)}`}</tspan>}
              </text>
            </g>
          );
        })}
      </svg>
      <div class="lnb-dash-legend">
        <span><i class="lnb-dash-swatch lnb-dash-bar-submitted" />submitted</span>
        <span><i class="lnb-dash-swatch lnb-dash-bar-skipped" />skipped</span>
      </div>
    </div>
  );
}
