// The predictive scaling policy: it learns the workload's demand as a series of evenly spaced
// samples, forecasts it (forecast.ts: seasonal Holt-Winters, or a line) at the time a new
// instance would be Ready — now + the workload's startupSeconds + a margin — and asks for
// enough replicas to serve that at the target utilisation, never fewer than the demand of
// now needs. So it scales up ahead of a known cycle instead of after it.
//
//   perInstance = targetPerInstanceRps, else concurrency·1000/serviceTimeMs × targetUtilisation   (req/s)
//   lead        = startupSeconds + marginSeconds
//   peak        = max(forecast of every sample from the last complete one up to the one whose middle
//                     is at or after now + lead)
//   desired     = max(ceil(peak / perInstance), ceil(demand now / perInstance))
//
// then the autoscaler's `behavior` exactly as the HPA applies it (hpa.ts `decide`): the
// stabilization windows (scale up: the lowest recommendation of the last
// scaleUp.stabilizationWindowSeconds; scale down: the highest of the last
// scaleDown.stabilizationWindowSeconds, 300 s by default), the Pods/Percent rate policies, and
// [minReplicas, maxReplicas].
//
// Samples: the mean of the demand observed at each evaluation within a bucket of
// `sampleSeconds`, buckets aligned to the clock (so a day's season lines up with the clock's
// days). A bucket with no evaluation (the policy was not called) repeats the last sample.
// The series is bounded (`maxSamples`); Holt-Winters is initialised once the series holds
// `initSeasons` seasons and then updated one sample at a time. `seedHistory` preloads past
// samples (the newest last, ending where the first bucket starts), so a fresh run can scale
// ahead of a cycle it has not seen yet.
import type { AutoscalerSpec, PolicyDecision, PolicyInput, ScalingPolicy } from './contract.js';
import { decide, newHpaState, recordScale } from './hpa.js';
import {
  forecast,
  holtWintersForecast,
  holtWintersInit,
  holtWintersMinSamples,
  holtWintersUpdate,
  type ForecastMethod,
  type ForecastResult,
  type HoltWintersParams,
  type HoltWintersState,
  type Seasonality,
} from './forecast.js';

export interface PredictiveSettings {
  method: ForecastMethod;
  /** Seconds per demand sample (bucket). Default 300. */
  sampleSeconds: number;
  /** Seconds per season (a day: 86,400); a whole number of samples. Default 86,400. */
  seasonSeconds: number;
  alpha: number;
  beta: number;
  gamma: number;
  seasonality: Seasonality;
  initSeasons: number;
  /** Linear regression over this many newest samples. Default 12. */
  window: number;
  /** Added to the workload's startupSeconds: how far ahead to provision. Default 60. */
  marginSeconds: number;
  /** Share of an instance's capacity to plan for (0 < u <= 1). Default 0.7. */
  targetUtilisation: number;
  /** Requests/s one instance should take; default capacity × targetUtilisation. */
  targetPerInstanceRps?: number;
  /** Most samples kept. Default (initSeasons + 1) seasons. */
  maxSamples: number;
  /** Past samples, oldest first, the newest ending where the first bucket starts. */
  seedHistory: number[];
}

export const PREDICTIVE_DEFAULTS = {
  method: 'holt-winters',
  sampleSeconds: 300,
  seasonSeconds: 86_400,
  alpha: 0.3,
  beta: 0.01,
  gamma: 0.3,
  seasonality: 'additive',
  initSeasons: 2,
  window: 12,
  marginSeconds: 60,
  targetUtilisation: 0.7,
} as const;

const MAX_SAMPLES = 100_000;

/** Settings from the autoscaler's free-form `predictive` object, defaults applied, and every problem with its path. */
export function predictiveSettings(raw: Record<string, unknown> | undefined, path = 'predictive'): { settings: PredictiveSettings; problems: string[] } {
  const r = (raw ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set([...Object.keys(PREDICTIVE_DEFAULTS), 'targetPerInstanceRps', 'maxSamples', 'seedHistory']);
  for (const k of Object.keys(r)) if (!known.has(k)) problems.push(`${path}.${k}: unknown setting (known: ${[...known].join(', ')})`);
  const num = (key: string, fallback: number, ok: (v: number) => boolean, rule: string): number => {
    const v = r[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      problems.push(`${path}.${key}: must be ${rule} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v;
  };
  const d = PREDICTIVE_DEFAULTS;
  const method = r.method ?? d.method;
  if (method !== 'holt-winters' && method !== 'linear') problems.push(`${path}.method: must be 'holt-winters' or 'linear' (got ${JSON.stringify(method)})`);
  const seasonality = r.seasonality ?? d.seasonality;
  if (seasonality !== 'additive' && seasonality !== 'multiplicative')
    problems.push(`${path}.seasonality: must be 'additive' or 'multiplicative' (got ${JSON.stringify(seasonality)})`);
  const sampleSeconds = num('sampleSeconds', d.sampleSeconds, (v) => v >= 1, 'a number >= 1');
  const seasonSeconds = num('seasonSeconds', d.seasonSeconds, (v) => v > 0, 'a number > 0');
  const seasonLength = seasonSeconds / sampleSeconds;
  if (!Number.isInteger(seasonLength) || seasonLength < 2)
    problems.push(`${path}.seasonSeconds: must be a whole number (>= 2) of sampleSeconds (${seasonSeconds} / ${sampleSeconds} = ${seasonLength})`);
  const unit = (v: number) => v >= 0 && v <= 1;
  const alpha = num('alpha', d.alpha, unit, 'a number from 0 to 1');
  const beta = num('beta', d.beta, unit, 'a number from 0 to 1');
  const gamma = num('gamma', d.gamma, unit, 'a number from 0 to 1');
  const initSeasons = num('initSeasons', d.initSeasons, (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2');
  const window = num('window', d.window, (v) => Number.isInteger(v) && v >= 2, 'an integer >= 2');
  const marginSeconds = num('marginSeconds', d.marginSeconds, (v) => v >= 0, 'a number >= 0');
  const targetUtilisation = num('targetUtilisation', d.targetUtilisation, (v) => v > 0 && v <= 1, 'a number above 0, at most 1');
  const targetPerInstanceRps = r.targetPerInstanceRps === undefined ? undefined : num('targetPerInstanceRps', 1, (v) => v > 0, 'a number > 0');
  const defaultMax = Math.min(MAX_SAMPLES, Math.max(window, (initSeasons + 1) * Math.max(2, Math.floor(seasonLength) || 2)));
  const maxSamples = num('maxSamples', defaultMax, (v) => Number.isInteger(v) && v >= 2 && v <= MAX_SAMPLES, `an integer from 2 to ${MAX_SAMPLES}`);
  let seedHistory: number[] = [];
  if (r.seedHistory !== undefined) {
    if (!Array.isArray(r.seedHistory)) problems.push(`${path}.seedHistory: must be an array of requests/s samples, oldest first`);
    else {
      r.seedHistory.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${path}.seedHistory[${i}]: must be a number >= 0 (got ${JSON.stringify(v)})`);
      });
      seedHistory = (r.seedHistory as number[]).slice(-maxSamples);
    }
  }
  if (method === 'holt-winters' && Number.isInteger(seasonLength) && seasonLength >= 2 && initSeasons * seasonLength > maxSamples)
    problems.push(`${path}.maxSamples: must hold initSeasons × seasonSeconds/sampleSeconds = ${initSeasons * seasonLength} samples for holt-winters (got ${maxSamples})`);
  return {
    settings: {
      method: method as ForecastMethod,
      sampleSeconds,
      seasonSeconds,
      alpha,
      beta,
      gamma,
      seasonality: seasonality as Seasonality,
      initSeasons,
      window,
      marginSeconds,
      targetUtilisation,
      ...(targetPerInstanceRps !== undefined ? { targetPerInstanceRps } : {}),
      maxSamples,
      seedHistory,
    },
    problems,
  };
}

export function holtWintersParams(s: PredictiveSettings): HoltWintersParams {
  return {
    alpha: s.alpha,
    beta: s.beta,
    gamma: s.gamma,
    seasonLength: Math.round(s.seasonSeconds / s.sampleSeconds),
    seasonality: s.seasonality,
    initSeasons: s.initSeasons,
  };
}

/** Requests/s one instance is planned to take. */
export function perInstanceRps(s: Pick<PredictiveSettings, 'targetUtilisation' | 'targetPerInstanceRps'>, capacity: { concurrency: number; serviceTimeMs: number }): number {
  return s.targetPerInstanceRps ?? ((capacity.concurrency * 1000) / capacity.serviceTimeMs) * s.targetUtilisation;
}

/**
 * The demand series of one workload: clock-aligned buckets, bounded, with Holt-Winters'
 * state kept up to date one sample at a time.
 */
export class DemandSeries {
  private readonly samples: number[] = [];
  private bucketStart: number | undefined;
  private sum = 0;
  private count = 0;
  private hw: HoltWintersState | undefined;
  private hwUnavailable = false;
  readonly sampleMs: number;
  /** Samples dropped from the front to stay within maxSamples. */
  dropped = 0;

  constructor(readonly settings: PredictiveSettings) {
    this.sampleMs = settings.sampleSeconds * 1000;
    for (const v of settings.seedHistory) this.push(v);
  }

  /** Complete samples, oldest first. */
  values(): readonly number[] {
    return this.samples;
  }

  /** End (ms) of the newest complete sample, undefined before the first observation. */
  lastEnd(): number | undefined {
    return this.bucketStart;
  }

  /** Record the demand observed at `now`. */
  observe(now: number, demand: number): void {
    const start = Math.floor(now / this.sampleMs) * this.sampleMs;
    if (this.bucketStart === undefined) this.bucketStart = start;
    if (start > this.bucketStart) {
      // close the bucket in progress; buckets with no observation repeat the last sample
      const last = this.count ? this.sum / this.count : (this.samples[this.samples.length - 1] ?? demand);
      this.push(last);
      for (let b = this.bucketStart + this.sampleMs; b < start; b += this.sampleMs) this.push(last);
      this.bucketStart = start;
      this.sum = 0;
      this.count = 0;
    }
    this.sum += demand;
    this.count++;
  }

  private push(v: number): void {
    this.samples.push(v);
    if (this.samples.length > this.settings.maxSamples) {
      this.samples.shift();
      this.dropped++;
    }
    if (this.settings.method !== 'holt-winters' || this.hwUnavailable) return;
    const p = holtWintersParams(this.settings);
    if (this.hw) holtWintersUpdate(this.hw, v);
    else if (this.samples.length >= holtWintersMinSamples(p)) {
      try {
        const s = holtWintersInit(this.samples, p);
        for (let t = p.seasonLength; t < this.samples.length; t++) holtWintersUpdate(s, this.samples[t]!);
        this.hw = s;
      } catch {
        // multiplicative seasonality over zeros: forecast() falls back to additive over the samples each time
        this.hwUnavailable = true;
      }
    }
  }

  /** Forecast `horizon` samples after the newest complete one. */
  forecast(horizon: number): ForecastResult {
    const s = this.settings;
    if (this.hw) {
      const values: number[] = [];
      for (let h = 1; h <= horizon; h++) values.push(Math.max(0, holtWintersForecast(this.hw, h)));
      const n = this.hw.errors;
      return {
        requested: 'holt-winters',
        method: 'holt-winters',
        values,
        value: values[horizon - 1]!,
        fit: { n, rmse: n ? Math.sqrt(this.hw.sse / n) : 0, mae: n ? this.hw.sae / n : 0 },
        state: { level: this.hw.level, trend: this.hw.trend, seasonal: [...this.hw.seasonal], seasonality: s.seasonality },
      };
    }
    return forecast(this.samples, horizon, { method: s.method, holtWinters: holtWintersParams(s), window: s.window });
  }
}

export interface PredictiveRecommendation {
  desired: number;
  /** The forecast peak (req/s) over the lead time. */
  peak: number;
  /** Replicas the demand of now needs. */
  needNow: number;
  /** Replicas the forecast peak needs. */
  needAhead: number;
  perInstanceRps: number;
  leadSeconds: number;
  /** Samples forecast ahead. */
  horizon: number;
  forecast: ForecastResult;
}

/** The recommendation before stabilization: forecast the peak up to now + lead and size for it. */
export function recommend(series: DemandSeries, now: number, demand: number, startupSeconds: number, perInstance: number): PredictiveRecommendation {
  const s = series.settings;
  const leadSeconds = startupSeconds + s.marginSeconds;
  const end = series.lastEnd() ?? now;
  // sample k (1-based) covers [end + (k−1)·T, end + k·T) and stands for its middle
  const horizon = Math.max(1, Math.ceil((now + leadSeconds * 1000 - end) / series.sampleMs + 0.5));
  const f = series.forecast(horizon);
  const peak = Math.max(...f.values);
  const needNow = Math.ceil(demand / perInstance - 1e-9);
  const needAhead = Math.ceil(peak / perInstance - 1e-9);
  return { desired: Math.max(needNow, needAhead), peak, needNow, needAhead, perInstanceRps: perInstance, leadSeconds, horizon, forecast: f };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The predictive policy for one autoscaler (register it as kind `predictive`). Throws a RangeError listing bad settings. */
export function createPredictivePolicy(spec: AutoscalerSpec): ScalingPolicy & { series: DemandSeries } {
  const { settings, problems } = predictiveSettings(spec.predictive, `autoscalers.${spec.workload}.predictive`);
  if (problems.length) throw new RangeError(`Invalid predictive settings:\n${problems.join('\n')}`);
  const series = new DemandSeries(settings);
  const state = newHpaState();
  return {
    kind: 'predictive',
    series,
    intervalMs: (s) => s.syncPeriodSeconds * 1000,
    decide(input: PolicyInput): PolicyDecision {
      series.observe(input.now, input.demand);
      const per = perInstanceRps(settings, input.workload.capacity);
      const r = recommend(series, input.now, input.demand, input.workload.startupSeconds, per);
      const { spec: a } = input;
      const d = decide(state, { now: input.now, current: input.current, proposal: r.desired, minReplicas: a.minReplicas, maxReplicas: a.maxReplicas, behavior: a.behavior })!;
      const desired = d.desired;
      const held = desired !== r.desired ? ` (${d.reason}; recommended ${r.desired})` : '';
      const how = r.forecast.method === 'holt-winters' ? 'holt-winters' : `${r.forecast.method}: ${r.forecast.fallback}`;
      return {
        desired,
        reason: `forecast ${fmt(r.peak)} req/s within ${fmt(r.leadSeconds)} s (${how}), ${fmt(input.demand)} req/s now, ${fmt(per)} req/s per instance: ${input.current} → ${desired}${held}`,
        detail: {
          peakRps: r.peak,
          demandRps: input.demand,
          perInstanceRps: per,
          needNow: r.needNow,
          needAhead: r.needAhead,
          recommended: r.desired,
          leadSeconds: r.leadSeconds,
          method: r.forecast.method,
          ...(r.forecast.fallback ? { fallback: r.forecast.fallback } : {}),
          samples: series.values().length,
        },
      };
    },
    scaled(from, to, at) {
      recordScale(state, spec.behavior, at, from, to);
    },
  };
}
