// Easing curves of a progression: the fraction of the way from `from` to `to` after a
// fraction of `over` has passed. CSS's names; `ease` is ease-in-out (quadratic), which is
// what a balance that "falls" or a heart rate that "trends up" looks like on a chart.

export const EASINGS = ['linear', 'ease', 'ease-in', 'ease-out', 'ease-in-out', 'step'] as const;
export type Easing = (typeof EASINGS)[number];

const curves: Record<Easing, (t: number) => number> = {
  linear: (t) => t,
  'ease-in': (t) => t * t,
  'ease-out': (t) => t * (2 - t),
  'ease-in-out': (t) => (t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t)),
  ease: (t) => curves['ease-in-out'](t),
  // holds the start value until the end, then jumps (a status that flips when time is up)
  step: (t) => (t >= 1 ? 1 : 0),
};

/** The value after fraction `t` (0…1) of a progression, rounded to `decimals`. */
export function interpolate(from: number, to: number, t: number, easing: Easing, decimals: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  const raw = from + (to - from) * curves[easing](clamped);
  const factor = 10 ** decimals;
  // the last tick lands exactly on `to`, whatever the rounding
  return clamped === 1 ? to : Math.round(raw * factor) / factor;
}
