// Durations in scripts: `90s`, `1m30s`, `500ms`, `1.5s`, `2h`, or a number of milliseconds.
// Written by hand (a dozen lines): the units scripts need are few, and the parser must say
// which part is wrong with the script's path, which a general library would not.

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds (rounded to a whole ms) of a duration, or undefined when it is not one.
 * `signed` allows a leading minus (a step's `delay`, which the validator then checks
 * against its prerequisite).
 */
export function parseDuration(value: unknown, signed = false): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && (signed || value >= 0) ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  let sign = 1;
  if (signed && text.startsWith('-')) {
    sign = -1;
    text = text.slice(1).trim();
  }
  if (text === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let read = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    read = PART.lastIndex;
  }
  if (read !== text.length) return undefined;
  return sign * Math.round(total);
}

/** `90000` → `1m30s`, for messages (what a script author wrote, not raw ms). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      const n = Math.floor(rest / size);
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  if (rest) parts.push(`${rest}ms`);
  return sign + parts.join('');
}
