// Demand forecasts: seasonal Holt-Winters (triple exponential smoothing, additive or
// multiplicative seasonality) and least-squares linear regression over a window, h steps
// ahead of a series of evenly spaced samples. Pure and deterministic: no clock, no random.
// The predictive scaling policy and the admin forecast route read these; `forecast()`
// picks the method asked for and falls back to a simpler one, saying why, when the
// history is too short for it.
//
// Holt-Winters, season length m samples, smoothing parameters α (level), β (trend), γ (season):
//
//   additive        L_t = α(y_t − s_{t−m}) + (1 − α)(L_{t−1} + b_{t−1})
//                   b_t = β(L_t − L_{t−1}) + (1 − β)b_{t−1}
//                   s_t = γ(y_t − L_t) + (1 − γ)s_{t−m}
//                   ŷ_{t+h} = L_t + h·b_t + s_{t+h−m(k)}           k = ⌊(h − 1)/m⌋ + 1
//   multiplicative  L_t = α(y_t / s_{t−m}) + (1 − α)(L_{t−1} + b_{t−1})
//                   b_t as above
//                   s_t = γ(y_t / L_t) + (1 − γ)s_{t−m}
//                   ŷ_{t+h} = (L_t + h·b_t)·s_{t+h−m(k)}
//
// Initialisation from the first N seasons (N = initSeasons, default 2; A_j = mean of season j):
//
//   b_{m−1} = (A_{N−1} − A_0) / ((N − 1)·m)                 the mean slope per sample
//   L_{m−1} = A_0 + b_{m−1}·(m − 1)/2                       A_0 sits mid-season; the level at its end
//   s_i     = (1/N)·Σ_j (y_{jm+i} − T_{j,i})   additive     with the trend line T_{j,i} = A_j + b_{m−1}·(i − (m − 1)/2)
//   s_i     = (1/N)·Σ_j  y_{jm+i} / T_{j,i}    multiplicative
//
// then the recursion runs over every sample from t = m to the last one. Each step's
// one-step-ahead error (y_t − ŷ_t before the update) is accumulated into the fit's RMSE and
// MAE. Multiplicative: a seasonal index of 0 carries no level information (L_t = L_{t−1} + b_{t−1}),
// and a level of 0 leaves the seasonal index as it was.
//
// Linear regression over the last w samples, x = 0..n−1:
//
//   slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²,   intercept = ȳ − slope·x̄,   ŷ_{n−1+h} = intercept + slope·(n − 1 + h)
//
// Fallbacks (`forecast()`): Holt-Winters needs N·m samples → linear regression; linear
// regression needs 2 → the last value; no sample → 0. Multiplicative seasonality needs a
// positive trend line over the first seasons → additive. Forecasts are clamped at 0 unless
// `nonNegative: false` (demand is never negative).

export type Seasonality = 'additive' | 'multiplicative';
export type ForecastMethod = 'holt-winters' | 'linear';
export type UsedMethod = ForecastMethod | 'last-value' | 'none';

export interface HoltWintersParams {
  /** Level smoothing, 0..1. */
  alpha: number;
  /** Trend smoothing, 0..1. */
  beta: number;
  /** Seasonal smoothing, 0..1. */
  gamma: number;
  /** Samples per season (a day of 5-minute samples: 288), >= 2. */
  seasonLength: number;
  seasonality: Seasonality;
  /** Seasons used to initialise (>= 2). Default 2. */
  initSeasons?: number;
}

export interface HoltWintersState {
  readonly params: Readonly<Required<HoltWintersParams>>;
  level: number;
  trend: number;
  /** Seasonal index per slot t mod m. */
  readonly seasonal: Float64Array;
  /** Index t of the next sample (samples consumed so far). */
  t: number;
  /** One-step-ahead errors over the recursion. */
  errors: number;
  sse: number;
  sae: number;
}

export interface ForecastOptions {
  method: ForecastMethod;
  /** Holt-Winters' parameters (required for method holt-winters). */
  holtWinters?: HoltWintersParams;
  /** Linear regression over at most this many of the newest samples (default: all). */
  window?: number;
  /** Clamp forecasts at 0 (default true). */
  nonNegative?: boolean;
}

export interface ForecastFit {
  /** One-step-ahead errors counted. */
  n: number;
  rmse: number;
  mae: number;
}

export interface ForecastResult {
  requested: ForecastMethod;
  method: UsedMethod;
  /** Forecasts for 1..horizon steps after the last sample. */
  values: number[];
  /** The forecast `horizon` steps ahead (the last of `values`). */
  value: number;
  /** Why a simpler method than the requested one was used. */
  fallback?: string;
  /** In-sample one-step errors (Holt-Winters), or the regression's residuals (linear). */
  fit?: ForecastFit;
  /** The fitted line (linear). */
  line?: { slope: number; intercept: number; n: number };
  /** Holt-Winters' final state: level, trend, the seasonal indices in slot order. */
  state?: { level: number; trend: number; seasonal: number[]; seasonality: Seasonality };
}

const inUnit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;

/** Problems with Holt-Winters' parameters, each with its field path under `path`. */
export function holtWintersProblems(p: Partial<HoltWintersParams> | undefined, path = 'holtWinters'): string[] {
  if (!p) return [`${path}: is required for method holt-winters`];
  const out: string[] = [];
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    const v = p[key];
    if (typeof v !== 'number' || !inUnit(v)) out.push(`${path}.${key}: must be a number from 0 to 1 (got ${String(v)})`);
  }
  if (typeof p.seasonLength !== 'number' || !Number.isInteger(p.seasonLength) || p.seasonLength < 2)
    out.push(`${path}.seasonLength: must be an integer >= 2 (samples per season; got ${String(p.seasonLength)})`);
  if (p.seasonality !== 'additive' && p.seasonality !== 'multiplicative')
    out.push(`${path}.seasonality: must be 'additive' or 'multiplicative' (got ${String(p.seasonality)})`);
  if (p.initSeasons !== undefined && (!Number.isInteger(p.initSeasons) || p.initSeasons < 2))
    out.push(`${path}.initSeasons: must be an integer >= 2 (got ${String(p.initSeasons)})`);
  return out;
}

/** Problems with forecast options and horizon; empty when valid. */
export function forecastProblems(options: ForecastOptions, horizon: number): string[] {
  const out: string[] = [];
  if (!Number.isInteger(horizon) || horizon < 1) out.push(`horizon: must be an integer >= 1 (steps ahead; got ${String(horizon)})`);
  if (options.method !== 'holt-winters' && options.method !== 'linear')
    out.push(`method: must be 'holt-winters' or 'linear' (got ${String(options.method)})`);
  if (options.method === 'holt-winters') out.push(...holtWintersProblems(options.holtWinters));
  if (options.window !== undefined && (!Number.isInteger(options.window) || options.window < 2))
    out.push(`window: must be an integer >= 2 (got ${String(options.window)})`);
  return out;
}

function assertValid(problems: string[]): void {
  if (problems.length) throw new RangeError(`Invalid forecast parameters:\n${problems.join('\n')}`);
}

function complete(p: HoltWintersParams): Required<HoltWintersParams> {
  return { ...p, initSeasons: p.initSeasons ?? 2 };
}

/** Samples Holt-Winters needs before it can forecast: initSeasons × seasonLength. */
export function holtWintersMinSamples(p: HoltWintersParams): number {
  return (p.initSeasons ?? 2) * p.seasonLength;
}

/**
 * Can multiplicative seasonality be initialised from these samples? (Every point of the
 * trend line over the first seasons must be > 0.)
 */
function trendLine(history: ArrayLike<number>, m: number, n: number): { means: number[]; slope: number } {
  const means: number[] = [];
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += history[j * m + i]!;
    means.push(sum / m);
  }
  return { means, slope: (means[n - 1]! - means[0]!) / ((n - 1) * m) };
}

function multiplicativeOk(history: ArrayLike<number>, p: Required<HoltWintersParams>): boolean {
  const m = p.seasonLength;
  const { means, slope } = trendLine(history, m, p.initSeasons);
  for (const a of means) for (let i = 0; i < m; i++) if (!(a + slope * (i - (m - 1) / 2) > 0)) return false;
  return true;
}

/**
 * Holt-Winters' state after the first `initSeasons` seasons' initialisation, not yet run over
 * them: feed every sample from index m on with `holtWintersUpdate` (or use `holtWintersFit`).
 * Throws a RangeError on bad parameters or too short a history.
 */
export function holtWintersInit(history: ArrayLike<number>, params: HoltWintersParams): HoltWintersState {
  assertValid(holtWintersProblems(params));
  const p = complete(params);
  const m = p.seasonLength;
  const need = p.initSeasons * m;
  if (history.length < need) throw new RangeError(`Holt-Winters needs ${need} samples (${p.initSeasons} seasons of ${m}); got ${history.length}`);
  if (p.seasonality === 'multiplicative' && !multiplicativeOk(history, p))
    throw new RangeError('Multiplicative seasonality needs a positive trend line over the first seasons; use additive');
  const { means, slope } = trendLine(history, m, p.initSeasons);
  const seasonal = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = 0;
    for (let j = 0; j < p.initSeasons; j++) {
      const t = means[j]! + slope * (i - (m - 1) / 2);
      const y = history[j * m + i]!;
      sum += p.seasonality === 'additive' ? y - t : y / t;
    }
    seasonal[i] = sum / p.initSeasons;
  }
  return { params: p, level: means[0]! + (slope * (m - 1)) / 2, trend: slope, seasonal, t: m, errors: 0, sse: 0, sae: 0 };
}

/** The one-step-ahead forecast for the next sample (index `state.t`). */
function nextForecast(s: HoltWintersState): number {
  const idx = s.seasonal[s.t % s.params.seasonLength]!;
  return s.params.seasonality === 'additive' ? s.level + s.trend + idx : (s.level + s.trend) * idx;
}

/** Consume one sample y_t (t = state.t), updating level, trend and the season's index in place. */
export function holtWintersUpdate(s: HoltWintersState, y: number): void {
  const { alpha, beta, gamma, seasonLength: m, seasonality } = s.params;
  const slot = s.t % m;
  const prevSeason = s.seasonal[slot]!;
  const err = y - nextForecast(s);
  s.errors++;
  s.sse += err * err;
  s.sae += Math.abs(err);
  const prevLevel = s.level;
  const base = prevLevel + s.trend;
  if (seasonality === 'additive') {
    s.level = alpha * (y - prevSeason) + (1 - alpha) * base;
    s.seasonal[slot] = gamma * (y - s.level) + (1 - gamma) * prevSeason;
  } else {
    s.level = prevSeason !== 0 ? alpha * (y / prevSeason) + (1 - alpha) * base : base;
    s.seasonal[slot] = s.level !== 0 ? gamma * (y / s.level) + (1 - gamma) * prevSeason : prevSeason;
  }
  s.trend = beta * (s.level - prevLevel) + (1 - beta) * s.trend;
  s.t++;
}

/** Forecast h >= 1 steps after the last consumed sample. */
export function holtWintersForecast(s: HoltWintersState, h: number): number {
  const m = s.params.seasonLength;
  const idx = s.seasonal[(s.t - 1 + h) % m]!;
  const base = s.level + h * s.trend;
  return s.params.seasonality === 'additive' ? base + idx : base * idx;
}

/** Initialise from the first seasons and run the recursion over the whole history. */
export function holtWintersFit(history: ArrayLike<number>, params: HoltWintersParams): HoltWintersState {
  const s = holtWintersInit(history, params);
  for (let t = s.params.seasonLength; t < history.length; t++) holtWintersUpdate(s, history[t]!);
  return s;
}

/** Least squares over the newest `window` samples (all by default); x counts from 0 at the first of them. */
export function linearRegression(history: ArrayLike<number>, window = history.length): { slope: number; intercept: number; n: number; sse: number; sae: number } {
  const n = Math.min(window, history.length);
  const off = history.length - n;
  if (n === 0) return { slope: 0, intercept: 0, n, sse: 0, sae: 0 };
  const xMean = (n - 1) / 2;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += history[off + i]!;
  yMean /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - xMean;
    sxy += dx * (history[off + i]! - yMean);
    sxx += dx * dx;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = yMean - slope * xMean;
  let sse = 0;
  let sae = 0;
  for (let i = 0; i < n; i++) {
    const e = history[off + i]! - (intercept + slope * i);
    sse += e * e;
    sae += Math.abs(e);
  }
  return { slope, intercept, n, sse, sae };
}

const fit = (n: number, sse: number, sae: number): ForecastFit => ({ n, rmse: n ? Math.sqrt(sse / n) : 0, mae: n ? sae / n : 0 });

/**
 * Forecast 1..horizon steps after the last sample of `history` with the method asked for,
 * falling back (and saying why in `fallback`) when the history is too short for it.
 * Throws a RangeError listing every problem with the options.
 */
export function forecast(history: ArrayLike<number>, horizon: number, options: ForecastOptions): ForecastResult {
  assertValid(forecastProblems(options, horizon));
  const clamp = options.nonNegative === false ? (v: number) => v : (v: number) => (v > 0 ? v : 0);
  const n = history.length;
  const out = (r: Omit<ForecastResult, 'requested' | 'value' | 'values'>, f: (h: number) => number): ForecastResult => {
    const values: number[] = [];
    for (let h = 1; h <= horizon; h++) values.push(clamp(f(h)));
    return { requested: options.method, ...r, values, value: values[horizon - 1]! };
  };
  const reasons: string[] = [];
  if (options.method === 'holt-winters') {
    let p = complete(options.holtWinters!);
    const need = holtWintersMinSamples(p);
    if (n >= need) {
      if (p.seasonality === 'multiplicative' && !multiplicativeOk(history, p)) {
        reasons.push('multiplicative seasonality needs a positive trend line over the first seasons (the history has zeros or a falling trend through 0), so additive seasonality was used');
        p = { ...p, seasonality: 'additive' };
      }
      const s = holtWintersFit(history, p);
      return out(
        {
          method: 'holt-winters',
          ...(reasons.length ? { fallback: reasons.join('; ') } : {}),
          fit: fit(s.errors, s.sse, s.sae),
          state: { level: s.level, trend: s.trend, seasonal: [...s.seasonal], seasonality: p.seasonality },
        },
        (h) => holtWintersForecast(s, h),
      );
    }
    reasons.push(`holt-winters needs ${need} samples (${p.initSeasons} seasons of ${p.seasonLength}); the history has ${n}`);
  }
  if (n >= 2) {
    const l = linearRegression(history, options.window ?? n);
    if (reasons.length) reasons.push(`linear regression over the last ${l.n} was used`);
    return out(
      {
        method: 'linear',
        ...(reasons.length ? { fallback: reasons.join(', so ') } : {}),
        fit: fit(l.n, l.sse, l.sae),
        line: { slope: l.slope, intercept: l.intercept, n: l.n },
      },
      (h) => l.intercept + l.slope * (l.n - 1 + h),
    );
  }
  reasons.push(`linear regression needs 2 samples; the history has ${n}`);
  if (n === 1) return out({ method: 'last-value', fallback: `${reasons.join('; ')}, so the last value was used` }, () => history[0]!);
  return out({ method: 'none', fallback: `${reasons.join('; ')}, so the forecast is 0` }, () => 0);
}
