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

/** `YYYY-MM-DD` of a civil date without a Date object (loan schedules make hundreds per loan). */
export function ymd(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** The ISO date `months` calendar months after a UTC instant, keeping the day where the month has it. */
export function isoDatePlusMonths(ms: number, months: number): string {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return ymd(year, month, Math.min(d.getUTCDate(), daysInMonth(year, month)));
}
