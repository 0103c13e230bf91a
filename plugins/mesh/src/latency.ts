// Latency distributions and their samplers. Every draw comes from the given seeded
// stream, so the same seed gives the same latencies.
import type { Random } from '@understudy/plugin-sdk';

export type LatencySpec =
  | { type: 'fixed'; ms: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'normal'; mean: number; stdDev: number }
  | { type: 'lognormal'; median: number; sigma: number }
  | { type: 'percentiles'; p50: number; p90: number; p99: number; min?: number; max?: number };

/** Draws a latency in whole milliseconds (never negative). */
export type Sampler = (random: Random) => number;

const ZERO: Sampler = () => 0;

function clamp(ms: number): number {
  return ms > 0 ? Math.round(ms) : 0;
}

/**
 * Inverse CDF through the given percentiles, linear between them. The tails are
 * anchored at `min` (default p50/2) and `max` (default p99 + (p99 − p90)).
 */
function piecewise(spec: Extract<LatencySpec, { type: 'percentiles' }>): Sampler {
  const q = [0, 0.5, 0.9, 0.99, 1];
  const v = [spec.min ?? spec.p50 / 2, spec.p50, spec.p90, spec.p99, spec.max ?? spec.p99 + (spec.p99 - spec.p90)];
  return (random) => {
    const u = random.next();
    let i = 1;
    while (i < q.length - 1 && u > q[i]) i++;
    const t = (u - q[i - 1]) / (q[i] - q[i - 1]);
    return clamp(v[i - 1] + t * (v[i] - v[i - 1]));
  };
}

export function createSampler(spec: LatencySpec | undefined): Sampler {
  if (!spec) return ZERO;
  switch (spec.type) {
    case 'fixed':
      return spec.ms === 0 ? ZERO : () => clamp(spec.ms);
    case 'uniform':
      return (random) => clamp(spec.min + random.next() * (spec.max - spec.min));
    case 'normal':
      return (random) => clamp(random.normal(spec.mean, spec.stdDev));
    case 'lognormal':
      return (random) => clamp(spec.median * Math.exp(spec.sigma * random.normal()));
    case 'percentiles':
      return piecewise(spec);
  }
}

/** Problems with a distribution's parameters, as `[field, problem]` pairs. */
export function latencyProblems(spec: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const num = (field: string, min = 0): number | undefined => {
    const value = spec[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) out.push([field, 'must be a number']);
    else if (value < min) out.push([field, `must be >= ${min}`]);
    else return value;
    return undefined;
  };
  const optional = (field: string) => (spec[field] === undefined ? undefined : num(field));
  const allowed: Record<string, string[]> = {
    fixed: ['ms'],
    uniform: ['min', 'max'],
    normal: ['mean', 'stdDev'],
    lognormal: ['median', 'sigma'],
    percentiles: ['p50', 'p90', 'p99', 'min', 'max'],
  };
  const fields = allowed[spec.type as string];
  if (!fields) return [['type', `must be one of: ${Object.keys(allowed).map((t) => JSON.stringify(t)).join(', ')}`]];
  for (const key of Object.keys(spec)) if (key !== 'type' && !fields.includes(key)) out.push([key, `unknown property "${key}"`]);
  switch (spec.type) {
    case 'fixed':
      num('ms');
      break;
    case 'uniform': {
      const min = num('min');
      const max = num('max');
      if (min !== undefined && max !== undefined && min > max) out.push(['min', `must be <= max (${max})`]);
      break;
    }
    case 'normal':
      num('mean');
      num('stdDev');
      break;
    case 'lognormal':
      num('median');
      num('sigma');
      break;
    case 'percentiles': {
      const points = [optional('min'), num('p50'), num('p90'), num('p99'), optional('max')];
      const names = ['min', 'p50', 'p90', 'p99', 'max'];
      for (let i = 1; i < points.length; i++) {
        const [a, b] = [points[i - 1], points[i]];
        if (a !== undefined && b !== undefined && a > b) out.push([names[i - 1], `must be <= ${names[i]} (${b})`]);
      }
      break;
    }
  }
  return out;
}
