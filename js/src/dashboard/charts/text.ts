/** `text` cut to `max` characters with an ellipsis (SVG text does not ellipsize itself). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** How a user is named on the charts: the email, or a note for annotations imported without one. */
export function userName(user: string | null, others?: number): string {
  if (user !== null) return user;
  return others ? `${others} others` : "(no user)";
}

/** The name shown for a user (`show` shortens emails, see ../names.ts); notes stay as they are. */
export function shownName(user: string | null, show: (name: string) => string, others?: number): string {
  return user === null ? userName(user, others) : show(user);
}
