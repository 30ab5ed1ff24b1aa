// The review queue: how many annotations wait for a reviewer, and the oldest of them.

import { useContext } from "preact/hooks";
import { ShowName } from "../names";
import { formatCount } from "../scale";
import type { ReviewQueue } from "../types";

export function ReviewPanel({ data }: { data: ReviewQueue }) {
  const show = useContext(ShowName);
  return (
    <div class="lnb-dash-review">
      <div class="lnb-dash-review-count">
        <strong>{formatCount(data.waiting)}</strong>
        <span class="lnb-dash-muted">{data.waiting === 1 ? " annotation waits for review" : " annotations wait for review"}</span>
      </div>
      {data.oldest.length > 0 && (
        <table class="lnb-dash-table">
          <thead>
            <tr>
              <th class="lnb-dash-num">Task</th>
              <th>Annotator</th>
              <th class="lnb-dash-num">Version</th>
              <th class="lnb-dash-nowrap">Since (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {data.oldest.map((row) => (
              <tr key={row.annotation} data-annotation={row.annotation}>
                <td class="lnb-dash-num">{row.task}</td>
                <td class="lnb-dash-name" title={row.annotator}>
                  {show(row.annotator)}
                </td>
                <td class="lnb-dash-num">{row.version}</td>
                <td class="lnb-dash-nowrap">{row.updated_at.slice(0, 16).replace("T", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.waiting > data.oldest.length && data.oldest.length > 0 && (
        <p class="lnb-dash-muted">{`The oldest ${data.oldest.length} of ${formatCount(data.waiting)}.`}</p>
      )}
    </div>
  );
}
