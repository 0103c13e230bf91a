// replay: a recorded series, linear between its points (times relative to the first). Before
// the last point it interpolates; after it, `loop` (default true) starts over with period =
// the last point's time (a one-point series is constant), else it holds the last rate.
// `scale` (default 1) multiplies the series.
import type { RatePoint } from './csv.js';
import type { RateFn } from './types.js';

export function replay(points: readonly RatePoint[], options: { loop?: boolean; scale?: number }): RateFn {
  const scale = options.scale ?? 1;
  const loop = options.loop ?? true;
  const last = points[points.length - 1]!;
  const period = last.t;
  return (t) => {
    if (t <= 0 || period === 0) return points[0]!.rps * scale;
    let x = t;
    if (x >= period) {
      if (!loop) return last.rps * scale;
      x = x % period;
    }
    // binary search: the last point at or before x
    let lo = 0;
    let hi = points.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (points[mid]!.t <= x) lo = mid;
      else hi = mid;
    }
    const a = points[lo]!;
    const b = points[hi]!;
    return (a.rps + ((b.rps - a.rps) * (x - a.t)) / (b.t - a.t)) * scale;
  };
}
