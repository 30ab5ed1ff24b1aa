// What the bars do not say per annotator: the tasks they touched and their mean lead time.

import { formatCount, formatSeconds } from "../scale";
import type { UserRow } from "../types";
import { useContext } from "preact/hooks";
import { ShowName } from "../names";
import { shownName, userName } from "./text";

export function UserTable({ users }: { users: UserRow[] }) {
  const show = useContext(ShowName);
  if (users.length === 0) return null;
  return (
    <table class="lnb-dash-table lnb-dash-user-table">
      <thead>
        <tr>
          <th>Annotator</th>
          <th class="lnb-dash-num">Tasks</th>
          <th class="lnb-dash-num" title="mean time from opening a task to submitting it">Mean lead time</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={userName(u.user)} data-user={userName(u.user)}>
            <td class="lnb-dash-name" title={userName(u.user)}>
              {shownName(u.user, show)}
            </td>
            <td class="lnb-dash-num">{formatCount(u.tasks)}</td>
            <td class="lnb-dash-num">{formatSeconds(u.mean_lead_time)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
