// ramp: linear from `from` to `to` over durationSeconds, then `to`:
// rate = from + (to − from) · min(1, t / durationSeconds).
import type { RateFn } from './types.js';

export function ramp(shape: { from: number; to: number; durationSeconds: number }): RateFn {
  const { from, to, durationSeconds } = shape;
  return (t) => (durationSeconds <= 0 || t >= durationSeconds ? to : from + ((to - from) * Math.max(0, t)) / durationSeconds);
}
