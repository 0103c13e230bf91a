// The edit distance near misses are ranked by.
/** Longer strings are compared as equal/unequal only, to keep near misses cheap. */
const MAX_EDIT_LENGTH = 2000;

/** Levenshtein distance scaled to 0 (same) … 1 (nothing in common), as WireMock scores near misses. */
export function normalisedDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length || !b.length || a.length > MAX_EDIT_LENGTH || b.length > MAX_EDIT_LENGTH) return 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] / Math.max(a.length, b.length);
}
