// Dates of the data set: offsets from its epoch (config `epoch`, default 2026-01-01T00:00:00Z),
// never the wall clock, so an entity reads the same today and next year.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** ISO 8601 instant (`2026-03-01T09:30:00.000Z`). */
export const iso = (ms: number) => new Date(ms).toISOString();
/** ISO 8601 date (`2026-03-01`). */
export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whole years between a birth date and a moment (both ms). */
export function ageAt(birthMs: number, atMs: number): number {
  const b = new Date(birthMs);
  const a = new Date(atMs);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  if (a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** Adds calendar months (UTC), keeping the day where the month has it. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}
