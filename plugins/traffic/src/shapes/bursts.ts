// bursts: `rps`, plus `burstRps` during bursts of burstSeconds. Time is cut into windows of
// everySeconds; window k has one burst starting at k·everySeconds + u_k · (everySeconds −
// burstSeconds), u_k uniform in [0, 1) drawn from the pattern's seeded stream forked by k.
// So bursts come on average every everySeconds, and the rate is a pure function of seed + t.
import type { Random } from '@understudy/plugin-sdk';
import type { RateFn } from './types.js';

export function bursts(shape: { rps: number; burstRps: number; burstSeconds: number; everySeconds: number }, random: Random): RateFn {
  const { rps, burstRps, burstSeconds, everySeconds } = shape;
  const slack = Math.max(0, everySeconds - burstSeconds);
  const starts = new Map<number, number>();
  const startOf = (k: number): number => {
    let s = starts.get(k);
    if (s === undefined) {
      s = k * everySeconds + random.fork(`window-${k}`).next() * slack;
      if (starts.size >= 1024) starts.clear();
      starts.set(k, s);
    }
    return s;
  };
  return (t) => {
    if (t < 0) return rps;
    const k = Math.floor(t / everySeconds);
    // a burst longer than its window may still run from the window before
    for (const w of [k, k - 1]) {
      if (w < 0) continue;
      const s = startOf(w);
      if (t >= s && t < s + burstSeconds) return rps + burstRps;
    }
    return rps;
  };
}
