// Dates in responses stay ISO 8601, one way: a date-time with an offset (`…T10:30:00+01:00`,
// `…T09:30Z`) or an HTTP date (`Sun, 01 Mar 2026 09:30:00 GMT`) becomes UTC with
// milliseconds (`2026-03-01T09:30:00.000Z`), the form the generators write. A date
// (`2026-03-01`) is left alone (it names a day, not an instant), and so is every other
// string: only whole-string matches of these two strict forms are touched, so text that
// merely contains a date never changes.

// YYYY-MM-DDTHH:MM[:SS[.fff]] then Z or ±HH:MM — a local time without an offset is not an instant
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
// RFC 9110 IMF-fixdate
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The canonical UTC form of a date-like string, or the string itself. */
export function normaliseDateString(value: string): string {
  // cheap first test: every form handled starts with a digit or a day name
  if (value.length < 16 || value.length > 40) return value;
  if (!ISO_WITH_OFFSET.test(value) && !HTTP_DATE.test(value)) return value;
  // more than milliseconds: keep the instant to the millisecond (what Date holds)
  const t = new Date(value.replace(/(\.\d{3})\d+/, '$1')).getTime();
  return Number.isFinite(t) ? new Date(t).toISOString() : value;
}

/** Epoch milliseconds as ISO 8601 UTC; a number outside Date's range stays a number. */
export function epochMillisToIso(value: number): string | number {
  const d = new Date(value);
  return Number.isFinite(d.getTime()) ? d.toISOString() : value;
}
