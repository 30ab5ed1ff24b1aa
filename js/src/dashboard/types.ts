// The dashboard's synced state, browser side. Mirrors `summarise` in labelnb/widget/dashboard.py (the
// `summary` trait) and its one request, `refresh`; change both together.

export const SUMMARY_VERSION = 1;

export interface Overall {
  tasks: number;
  labeled: number;
  /** 0-100 */
  percent_done: number;
  submitted: number;
  skipped: number;
  annotators: number;
}

export interface UserRow {
  /** the user's email; null for annotations imported without one */
  user: string | null;
  submitted: number;
  skipped: number;
  tasks: number;
  /** seconds, null when no submission recorded one */
  mean_lead_time: number | null;
}

export interface LabelEntry {
  label: string;
  count: number;
  /** the config's colour for the label, or null */
  color: string | null;
}

export interface ControlLabels {
  control: string;
  tag: string;
  labels: LabelEntry[];
  /** present when the control has more labels than are drawn: how many more, and their total count */
  others?: { labels: number; count: number };
}

export interface Series {
  /** null: the sum of the `others` least active users (or of annotations without a user) */
  user: string | null;
  others?: number;
  /** one count per entry of `Throughput.times` */
  counts: number[];
}

export interface Throughput {
  unit: "minute" | "hour" | "day";
  /** bucket starts, ISO 8601 in UTC */
  times: string[];
  series: Series[];
}

export interface AgreementMatrix {
  control: string;
  measure: string;
  annotators: string[];
  /** values[i][j]: the measure between annotators i and j; null on the diagonal and for no shared task */
  values: (number | null)[][];
  n_tasks: number[][];
}

export interface AgreementError {
  error: string;
}

export interface ReviewRow {
  annotation: number;
  task: number;
  annotator: string;
  version: number;
  updated_at: string;
}

export interface ReviewQueue {
  waiting: number;
  oldest: ReviewRow[];
}

export interface Summary {
  version: number;
  generated_at: string;
  overall: Overall;
  /** the most active annotators (all of them unless there are very many) */
  users: UserRow[];
  /** annotators left out of `users` */
  more_users?: number;
  labels: ControlLabels[];
  throughput: Throughput;
  agreement: AgreementMatrix | AgreementError | null;
  review: ReviewQueue | null;
}

/** The one request the browser sends. */
export interface RefreshMessage {
  kind: "refresh";
  request_id: string;
}

export interface DashboardReply {
  kind: "reply";
  request_id: string;
  ok: boolean;
  error?: string;
}

/** True when `value` looks like a summary this version draws (the trait is {} before the first one). */
export function isSummary(value: unknown): value is Summary {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<Summary>;
  return (
    s.version === SUMMARY_VERSION &&
    typeof s.overall === "object" &&
    Array.isArray(s.users) &&
    Array.isArray(s.labels) &&
    typeof s.throughput === "object" &&
    s.throughput !== null &&
    Array.isArray(s.throughput.times)
  );
}
