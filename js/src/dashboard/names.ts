// How annotators are named on screen: when every email shares one domain, the domain is said once in the
// header and the names are shown without it ("al" for al@example.org), so charts keep the part that differs.

import { createContext } from "preact";
import type { Summary } from "./types";

/** The "@domain" every name in `names` ends with, when there are two names or more and all are emails. */
export function commonDomain(names: Iterable<string>): string | null {
  let domain: string | null = null;
  let count = 0;
  for (const name of names) {
    const at = name.lastIndexOf("@");
    if (at <= 0) return null;
    const own = name.slice(at);
    if (domain !== null && own !== domain) return null;
    domain = own;
    count += 1;
  }
  return count >= 2 ? domain : null;
}

/** Every annotator name a summary shows. */
export function namesOf(summary: Summary): string[] {
  const names = new Set<string>();
  for (const u of summary.users) if (u.user !== null) names.add(u.user);
  for (const s of summary.throughput.series) if (s.user !== null) names.add(s.user);
  if (summary.agreement && !("error" in summary.agreement)) for (const a of summary.agreement.annotators) names.add(a);
  for (const r of summary.review?.oldest ?? []) names.add(r.annotator);
  return [...names];
}

/** A name as shown: without the common domain when there is one. */
export function shortener(domain: string | null): (name: string) => string {
  return domain === null ? (name) => name : (name) => (name.endsWith(domain) ? name.slice(0, -domain.length) : name);
}

export const ShowName = createContext<(name: string) => string>((name) => name);
