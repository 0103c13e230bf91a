// "Did you mean": the known names nearest to a wanted one, by the SDK's edit distance (case-
// insensitive, plus prefix matches).
import { editDistance as distance } from '@understudy/plugin-sdk';

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
