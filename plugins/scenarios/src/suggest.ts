// "Did you mean": the nearest known names to a wrong one, by edit distance (Levenshtein).
// Small enough to keep here; the kernel's copy lives in its CLI layer, which plugins do not import.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Up to `max` known names within a third of the wrong one's length (at least 2 edits), nearest first. */
export function nearest(wrong: string, known: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(wrong.length / 3));
  return [...known]
    .map((name) => ({ name, d: distance(wrong.toLowerCase(), name.toLowerCase()) }))
    .filter((c) => c.d <= limit)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((c) => c.name);
}

/** ` (did you mean "a"?)`, or `` when nothing is near; `known` lists what exists otherwise. */
export function didYouMean(wrong: string, known: Iterable<string>): string {
  const near = nearest(wrong, known);
  return near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : '';
}
