// jitter and scale, applied over any shape: rate · scale · max(0, 1 + jitter · z_s), with
// z_s a standard normal drawn from the pattern's seeded stream forked by the whole second
// s = ⌊t⌋. So the noise is fixed within a second, and rates(t) is a pure function of the
// seed and t (the same t asked twice, or by two kernels of one seed, gives the same rate).
import type { Random } from '@understudy/plugin-sdk';
import type { RateFn } from './types.js';

export function scaled(fn: RateFn, scale: number): RateFn {
  return scale === 1 ? fn : (t, clock) => fn(t, clock) * scale;
}

export function jittered(fn: RateFn, jitter: number, random: Random): RateFn {
  if (jitter === 0) return fn;
  let second = NaN;
  let factor = 1;
  return (t, clock) => {
    const s = Math.floor(t);
    if (s !== second) {
      second = s;
      factor = Math.max(0, 1 + jitter * random.fork(`second-${s}`).normal());
    }
    return fn(t, clock) * factor;
  };
}
