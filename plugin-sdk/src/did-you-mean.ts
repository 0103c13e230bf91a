// Pieces of "not found" messages that several plugins build the same way: the nearest known
// name, and a short list of the known ones.
import { editDistance } from '@understudy/kernel';

/** ` Did you mean "x"?` for the nearest of `names` (within a third of the name's length, at least 2 edits), else ''. */
export function didYouMean(name: string, names: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.ceil(name.length / 3)) ? ` Did you mean "${best}"?` : '';
}

/** `a, b, c` — the first `max` names and `…` past them; `none` for an empty list. */
export function listNames(names: readonly string[], max = 20): string {
  return names.length ? names.slice(0, max).join(', ') + (names.length > max ? ', …' : '') : 'none';
}
