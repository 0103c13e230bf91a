// step: `rps`, then `rps × factor` from atSeconds on (a 3× spike is factor 3), back to `rps`
// after durationSeconds when given: [atSeconds, atSeconds + durationSeconds).
import type { RateFn } from './types.js';

export function step(shape: { rps: number; factor: number; atSeconds: number; durationSeconds?: number }): RateFn {
  const { rps, factor, atSeconds, durationSeconds } = shape;
  const end = durationSeconds === undefined ? Infinity : atSeconds + durationSeconds;
  return (t) => (t >= atSeconds && t < end ? rps * factor : rps);
}
