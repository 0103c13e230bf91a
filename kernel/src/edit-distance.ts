// Levenshtein edit distance, the one copy behind every "did you mean" (the CLI's hints, the
// plugins' coded 404s and config problems) and the stubs plugin's near misses. Two rows of the
// O(n·m) table; the lists it runs over are short names, and callers bound long inputs.

/** Edits (insert, delete, substitute) that turn `a` into `b`; case-sensitive. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
