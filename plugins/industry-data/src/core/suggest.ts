// "Did you mean": the known names nearest to a wanted one, by Levenshtein distance (case-
// insensitive, plus prefix matches). Hand-written because no dependency of the workspace has
// one and the lists are tiny (a few dozen names), so the O(n·m) table costs nothing.

export function distance(a: string, b: string): number {
  if (a === b) return 0;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

/** Up to `max` names within a third of the wanted name's length (at least 2 edits), nearest first. */
export function nearest(wanted: string, names: readonly string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  const limit = Math.max(2, Math.ceil(w.length / 3));
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const d = n.startsWith(w) || w.startsWith(n) ? Math.min(1, distance(w, n)) : distance(w, n);
      return { name, d };
    })
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((c) => c.name);
}
