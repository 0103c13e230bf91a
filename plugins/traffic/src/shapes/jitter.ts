// jitter and scale, applied over any shape: rate · scale · max(0, 1 + jitter · z_s), with
// z_s a standard normal for the whole second s = ⌊t⌋: Box–Muller over two uniforms hashed
// from (the pattern's seeded key, s). So the noise is fixed within a second, and rates(t)
// is a pure function of the seed and t (the same t asked twice, in any order, or by two
// kernels of one seed, gives the same rate), at the cost of a few integer multiplications.
import type { Random } from '@understudy/plugin-sdk';
import type { RateFn } from './types.js';

export function scaled(fn: RateFn, scale: number): RateFn {
  return scale === 1 ? fn : (t, clock) => fn(t, clock) * scale;
}

export function jittered(fn: RateFn, jitter: number, random: Random): RateFn {
  if (jitter === 0) return fn;
  // the pattern's key: one draw of its seeded stream
  const key = Math.floor(random.next() * 0x1_0000_0000) | 0;
  let second = NaN;
  let factor = 1;
  return (t, clock) => {
    const s = Math.floor(t);
    if (s !== second) {
      second = s;
      factor = Math.max(0, 1 + jitter * normalAt(key, s));
    }
    return fn(t, clock) * factor;
  };
}

/** A 32-bit integer hash (murmur3's finaliser) of a key and a number. */
function mix32(key: number, n: number): number {
  let h = (key ^ Math.imul(n | 0, 0x9e3779b1) ^ Math.imul(Math.floor(n / 0x1_0000_0000) | 0, 0x85ebca77)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard normal for second `s` of the stream `key` (Box–Muller). */
export function normalAt(key: number, s: number): number {
  const u = 1 - mix32(key, 2 * s) / 0x1_0000_0000;
  const v = mix32(key ^ 0x5bd1e995, 2 * s + 1) / 0x1_0000_0000;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
