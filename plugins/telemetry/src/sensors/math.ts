// Small building blocks the models share: time of day, a daily curve, AR(1) noise, Poisson draws.
import type { Random } from '@understudy/plugin-sdk';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Hour of the day in [0, 24) of the kernel clock's UTC, shifted by `utcOffsetHours`. */
export function hourOfDay(t: number, utcOffsetHours = 0): number {
  return (((t / HOUR + utcOffsetHours) % 24) + 24) % 24;
}

/**
 * -1 at `minHour`, +1 at `maxHour`, half-cosines in between: days warm up faster than
 * they cool down (05:00 → 15:00 rising, 15:00 → 05:00 falling by default).
 */
export function dailyShape(hour: number, minHour = 5, maxHour = 15): number {
  const rise = ((maxHour - minHour) % 24 + 24) % 24 || 12;
  const since = ((hour - minHour) % 24 + 24) % 24;
  if (since <= rise) return -Math.cos((Math.PI * since) / rise);
  return Math.cos((Math.PI * (since - rise)) / (24 - rise));
}

/** True between `startHour` (included) and `endHour` (excluded); wraps past midnight. */
export function isBetween(hour: number, startHour: number, endHour: number): boolean {
  return startHour <= endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

/**
 * One step of AR(1) (Ornstein–Uhlenbeck) noise with stationary deviation `sigma` and
 * correlation time `tauMs`: consecutive readings are close, distant ones independent.
 */
export function ar1(previous: number, dtMs: number, tauMs: number, sigma: number, random: Random): number {
  const phi = Math.exp(-dtMs / Math.max(1, tauMs));
  return phi * previous + sigma * Math.sqrt(1 - phi * phi) * random.normal();
}

/** A Poisson draw: Knuth's product method for small means, a rounded normal for large ones. */
export function poisson(mean: number, random: Random): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(random.normal(mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count++;
    product *= random.next();
  }
  return count;
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
