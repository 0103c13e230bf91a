// The edit distance near misses are ranked by (the SDK's Levenshtein, scaled).
import { editDistance } from '@understudy/plugin-sdk';

/** Longer strings are compared as equal/unequal only, to keep near misses cheap. */
const MAX_EDIT_LENGTH = 2000;

/** Levenshtein distance scaled to 0 (same) … 1 (nothing in common), as WireMock scores near misses. */
export function normalisedDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length || !b.length || a.length > MAX_EDIT_LENGTH || b.length > MAX_EDIT_LENGTH) return 1;
  return editDistance(a, b) / Math.max(a.length, b.length);
}
