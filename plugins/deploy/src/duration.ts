// Argo's durations: a number of seconds, or a string of a number and a unit (`500ms`,
// `30s`, `5m`, `1h`; a bare numeric string is seconds). Returns milliseconds, undefined
// when the value is not a duration (the caller reports the problem with its path).
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}
