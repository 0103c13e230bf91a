import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A seeded stream of numbers. Same seed and name, same sequence. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Standard normal scaled to mean and standard deviation (Box–Muller). */
  normal(mean?: number, stdDev?: number): number;
  /** A child stream, independent of this one and of its siblings. */
  fork(name: string): Random;
}

/** FNV-1a over the text: a stable 32-bit seed from a run seed and a stream name. */
function hashToSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function createRandom(seed: number | string, name = 'root'): Random {
  const key = `${seed}/${name}`;
  const rng = xoroshiro128plus(hashToSeed(key));
  const random: Random = {
    next: () => uniformFloat64(rng),
    int: (min, max) => min + Math.floor(uniformFloat64(rng) * (max - min + 1)),
    chance: (p) => uniformFloat64(rng) < p,
    pick: (items) => items[Math.floor(uniformFloat64(rng) * items.length)],
    normal(mean = 0, stdDev = 1) {
      const u = 1 - uniformFloat64(rng);
      const v = uniformFloat64(rng);
      return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (child) => createRandom(seed, `${name}/${child}`),
  };
  return random;
}

/** The kernel's `random` service: hands each plugin its own stream. */
export interface RandomSource {
  readonly seed: number | string;
  stream(name: string): Random;
}

export function createRandomSource(seed: number | string): RandomSource {
  return { seed, stream: (name) => createRandom(seed, name) };
}
