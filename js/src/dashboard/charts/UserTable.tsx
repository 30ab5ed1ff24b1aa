// The per-annotator numbers behind the bars: tasks touched and mean lead time too.

import { formatCount, formatSeconds } from "../scale";
import type { UserRow } from "../types";
import { userName } from "./text";

export function UserTable({ users }: { users: UserRow[] }) {
  if (users.length === 0) return null;
  return (
    <table class="lnb-dash-table lnb-dash-user-table">
      <thead>
        <tr>
          <th>Annotator</th>
          <th class="lnb-dash-num">Submitted</th>
          <th class="lnb-dash-num">Skipped</th>
          <th class="lnb-dash-num">Tasks</th>
          <th class="lnb-dash-num">Mean lead time</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={userName(u.user)} data-user={userName(u.user)}>
            <td>{userName(u.user)}</td>
            <td class="lnb-dash-num">{formatCount(u.submitted)}</td>
            <td class="lnb-dash-num">{formatCount(u.skipped)}</td>
            <td class="lnb-dash-num">{formatCount(u.tasks)}</td>
            <td class="lnb-dash-num">{formatSeconds(u.mean_lead_time)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
