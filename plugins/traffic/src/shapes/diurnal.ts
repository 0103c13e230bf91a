// diurnal: a cosine day. rate = min + (max − min) · (1 − cos(2π (c − trough) / P)) / 2, with
// c the kernel clock in seconds, P = periodSeconds (default 86,400) and trough = troughHour
// × 3,600: `min` at the trough hour (of the clock's UTC day), `max` half a period later.
import type { RateFn } from './types.js';

export const DEFAULT_PERIOD_SECONDS = 86_400;

export function diurnal(shape: { min: number; max: number; periodSeconds?: number; troughHour?: number }): RateFn {
  const period = shape.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  const trough = (shape.troughHour ?? 0) * 3600;
  const { min, max } = shape;
  return (_t, clock) => {
    // the phase first (the clock is ~1.7e9 s: its cosine directly would lose digits)
    const phase = (((clock - trough) % period) + period) % period;
    return min + ((max - min) * (1 - Math.cos((2 * Math.PI * phase) / period))) / 2;
  };
}
