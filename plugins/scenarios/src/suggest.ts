// "Did you mean": the nearest known names to a wrong one, by the SDK's edit distance.
import { editDistance as distance } from '@understudy/plugin-sdk';

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
