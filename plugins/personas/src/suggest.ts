// Suggestions for a 404: the names nearest to what was asked (edit distance, with a bonus
// for a shared prefix), and for a numeric id outside the data set the nearest ids inside
// it. The edit distance is the SDK's; the lists it runs over are short (industries, types,
// fields, persona keys, session names).
import { editDistance as distance } from '@understudy/plugin-sdk';

/** Up to `max` names close to `wanted`, nearest first (ties in the given order). */
export function nearest(wanted: string, names: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: Array<{ name: string; score: number; i: number }> = [];
  let i = 0;
  for (const name of names) {
    const n = name.toLowerCase();
    const d = distance(w, n);
    const related = n.startsWith(w) || w.startsWith(n) || (w.length >= 3 && n.includes(w));
    const limit = Math.max(2, Math.floor(Math.max(w.length, n.length) / 3));
    if (d <= limit || related) scored.push({ name, score: related ? Math.min(d, 1) : d, i: i });
    i++;
  }
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).slice(0, max).map((s) => s.name);
}

/** For an id asked past the data set's end (or before its start), the nearest ids in it. */
export function nearestIds(wanted: string, count: number, max = 3): string[] {
  const digits = /(\d+)$/.exec(wanted);
  if (!digits || count < 1) return count >= 1 ? ['1'] : [];
  const n = Number(digits[1]);
  const anchor = Math.min(Math.max(n, 1), count);
  const out: string[] = [];
  for (let d = 0; out.length < max && d < count; d++) {
    for (const c of d === 0 ? [anchor] : [anchor - d, anchor + d]) {
      if (c >= 1 && c <= count && out.length < max && String(c) !== String(n)) out.push(String(c));
    }
  }
  return out;
}
