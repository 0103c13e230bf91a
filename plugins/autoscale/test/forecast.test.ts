// Demand forecasts: Holt-Winters (additive and multiplicative) and linear regression against
// values computed by hand from the formulas in src/forecast.ts, a synthetic diurnal series
// forecast a day ahead, and the fallbacks when the history is too short.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import {
  forecast,
  forecastProblems,
  holtWintersFit,
  holtWintersForecast,
  holtWintersInit,
  holtWintersUpdate,
  linearRegression,
  type HoltWintersParams,
} from '../src/forecast.js';

const it = suite('autoscale: forecast');

const close = (actual: number, expected: number, eps = 1e-9, what = '') =>
  assert.ok(Math.abs(actual - expected) <= eps, `${what} expected ${expected}, got ${actual}`);

const hw = (seasonality: 'additive' | 'multiplicative', over: Partial<HoltWintersParams> = {}): HoltWintersParams => ({
  alpha: 0.5,
  beta: 0.5,
  gamma: 0.5,
  seasonLength: 2,
  seasonality,
  ...over,
});

it('additive initialisation: trend from the season means, level at the end of season 0, detrended indices', () => {
  // A0 = 2, A1 = 3 → b = (3 − 2)/(1·2) = 0.5; L = 2 + 0.5·0.5 = 2.25
  // trend line T = A_j + 0.5(i − 0.5): 1.75, 2.25 | 2.75, 3.25 → s0 = (−0.75 − 0.75)/2, s1 = (0.75 + 0.75)/2
  const s = holtWintersInit([1, 3, 2, 4], hw('additive'));
  close(s.trend, 0.5);
  close(s.level, 2.25);
  assert.equal([...s.seasonal], [-0.75, 0.75]);
  assert.is(s.t, 2);
});

it('additive: a series that is exactly trend + season is reproduced with zero error', () => {
  const s = holtWintersFit([1, 3, 2, 4, 3, 5], hw('additive'));
  assert.is(s.errors, 4);
  close(s.sse, 0);
  close(s.level, 4.25);
  close(s.trend, 0.5);
  close(holtWintersForecast(s, 1), 4);
  close(holtWintersForecast(s, 2), 6);
  close(holtWintersForecast(s, 3), 5);
});

it('additive: one surprise moves level, trend and the season as the recursion says', () => {
  // through t = 3 as above (L 3.25, b 0.5, s [−0.75, 0.75]); then
  // t=4 y=4: ŷ = 3; L = .5(4+.75)+.5(3.75) = 4.25; s0 = .5(4−4.25)+.5(−.75) = −0.5; b = .5(1)+.5(.5) = 0.75
  // t=5 y=5: ŷ = 4.25+.75+.75 = 5.75; L = .5(5−.75)+.5(5) = 4.625; s1 = .5(.375)+.5(.75) = 0.5625; b = .5(.375)+.5(.75) = 0.5625
  const r = forecast([1, 3, 2, 4, 4, 5], 2, { method: 'holt-winters', holtWinters: hw('additive') });
  assert.is(r.method, 'holt-winters');
  assert.is(r.fallback, undefined);
  close(r.state!.level, 4.625);
  close(r.state!.trend, 0.5625);
  assert.equal(r.state!.seasonal, [-0.5, 0.5625]);
  close(r.values[0]!, 4.625 + 0.5625 - 0.5); // 4.6875
  close(r.values[1]!, 4.625 + 2 * 0.5625 + 0.5625); // 6.3125
  close(r.value, 6.3125);
  // one-step errors 0, 0, 1, −0.75
  assert.is(r.fit!.n, 4);
  close(r.fit!.rmse, 0.625);
  close(r.fit!.mae, 0.4375);
});

it('multiplicative: initial indices are ratios to the trend line, then the recursion', () => {
  // A0 = 20, A1 = 40, b = 10, L = 25; T = 15, 25 | 35, 45 → s0 = (10/15 + 20/35)/2 = 13/21, s1 = (30/25 + 60/45)/2 = 19/15
  const s0 = holtWintersInit([10, 30, 20, 60], hw('multiplicative'));
  close(s0.level, 25);
  close(s0.trend, 10);
  close(s0.seasonal[0]!, 13 / 21);
  close(s0.seasonal[1]!, 19 / 15);
  // t=2 y=20: ŷ = 35·13/21 = 21.667; L = .5·20·21/13 + .5·35 = 875/26; s0 = .5·20·26/875 + .5·13/21 = 91/150; b = 485/52
  holtWintersUpdate(s0, 20);
  close(s0.level, 875 / 26);
  close(s0.seasonal[0]!, 91 / 150);
  close(s0.trend, 485 / 52);
  close(s0.sse, (20 - 455 / 21) ** 2);
  // the rest checked against an independent computation in exact fractions
  holtWintersUpdate(s0, 60);
  close(s0.level, 45.17459514170041, 1e-9);
  close(s0.trend, 10.423836032388664, 1e-9);
  close(holtWintersForecast(s0, 1), 33.7297149122807, 1e-9);
  close(holtWintersForecast(s0, 2), 85.65883454192142, 1e-9);
  close(holtWintersForecast(s0, 3), 46.37730263157895, 1e-9);
});

it('multiplicative: a zero seasonal index or level leaves the state defined', () => {
  // season 0 all zeros: s0 = 0 → the level follows its trend at those samples
  const s = holtWintersFit([0, 10, 0, 10, 0, 10], hw('multiplicative'));
  assert.ok(Number.isFinite(s.level) && Number.isFinite(s.trend));
  close(holtWintersForecast(s, 1), 0);
  close(holtWintersForecast(s, 2), 10, 1e-9);
  // a level of exactly 0 keeps the seasonal index as it was
  const z = holtWintersInit([1, 1, 1, 1], hw('multiplicative', { alpha: 1, beta: 0 }));
  z.level = -1;
  z.trend = 0;
  holtWintersUpdate(z, 0); // L = 1·(0/1) = 0
  close(z.level, 0);
  close(z.seasonal[0]!, 1);
});

it('linear regression: least squares by hand, over a window', () => {
  // y = 1, 2, 4: x̄ = 1, ȳ = 7/3, Σdxdy = 3, Σdx² = 2 → slope 1.5, intercept 5/6
  const l = linearRegression([1, 2, 4]);
  close(l.slope, 1.5);
  close(l.intercept, 5 / 6);
  close(l.sse, 1 / 6); // residuals 1/6, −1/3, 1/6
  const r = forecast([100, 1, 2, 4], 2, { method: 'linear', window: 3 });
  assert.is(r.method, 'linear');
  close(r.line!.slope, 1.5);
  close(r.line!.intercept, 5 / 6);
  assert.is(r.line!.n, 3);
  close(r.values[0]!, 5 / 6 + 1.5 * 3);
  close(r.values[1]!, 5 / 6 + 1.5 * 4);
  close(r.fit!.rmse, Math.sqrt(1 / 18));
  assert.equal(linearRegression([]), { slope: 0, intercept: 0, n: 0, sse: 0, sae: 0 });
  // a constant series: no slope, the mean
  const flat = forecast([5, 5, 5], 1, { method: 'linear' });
  close(flat.value, 5);
});

it('forecasts are clamped at 0 unless nonNegative is false', () => {
  const down = [10, 8, 6, 4, 2];
  assert.equal(forecast(down, 3, { method: 'linear' }).values, [0, 0, 0]);
  assert.equal(forecast(down, 3, { method: 'linear', nonNegative: false }).values.map((v) => Math.round(v)), [0, -2, -4]);
});

/** Hourly samples over `days` days: a diurnal sine around `base`, trough at hour 4, seeded noise of `noise` rps. */
function diurnal(days: number, base: number, amplitude: number, noise: number, seed: string, scaleWithLevel = false): number[] {
  const rnd = createRandom(seed, 'diurnal');
  const out: number[] = [];
  for (let t = 0; t < days * 24; t++) {
    const level = base * (1 + 0.002 * t); // a slow growth
    const cycle = -Math.cos((2 * Math.PI * (t - 4)) / 24);
    const v = scaleWithLevel ? level * (1 + (amplitude / base) * cycle) : level + amplitude * cycle;
    out.push(Math.max(0, v + rnd.normal(0, noise)));
  }
  return out;
}

const mape = (actual: number[], predicted: number[]) => actual.reduce((s, a, i) => s + Math.abs(a - predicted[i]!) / a, 0) / actual.length;

it('a synthetic diurnal series: the next day forecast within a few percent, far better than a line', () => {
  const series = diurnal(6, 200, 120, 4, 'seed-1');
  const history = series.slice(0, 5 * 24);
  const actual = series.slice(5 * 24);
  const p = { alpha: 0.3, beta: 0.02, gamma: 0.3, seasonLength: 24 };
  const add = forecast(history, 24, { method: 'holt-winters', holtWinters: { ...p, seasonality: 'additive' } });
  const mul = forecast(history, 24, { method: 'holt-winters', holtWinters: { ...p, seasonality: 'multiplicative' } });
  const line = forecast(history, 24, { method: 'linear', window: 24 });
  const eAdd = mape(actual, add.values);
  const eMul = mape(actual, mul.values);
  const eLine = mape(actual, line.values);
  assert.ok(eAdd < 0.03, `additive MAPE ${eAdd}`);
  assert.ok(eMul < 0.08, `multiplicative MAPE ${eMul}`); // the wrong model for a fixed amplitude, still close
  assert.ok(eLine > 4 * eAdd, `linear MAPE ${eLine} vs additive ${eAdd}`);
  // the peak is forecast at the right hour (16:00, half a day after the trough at 4)
  const peakHour = add.values.indexOf(Math.max(...add.values)); // values[0] is hour 0 of day 6
  assert.ok(Math.abs(peakHour - 16) <= 1, `peak at ${peakHour}`);
  // deterministic: the same input, the same numbers
  assert.equal(forecast(history, 24, { method: 'holt-winters', holtWinters: { ...p, seasonality: 'additive' } }), add);
});

it('multiplicative seasonality fits a cycle whose amplitude grows with the level better than additive', () => {
  const series = diurnal(8, 100, 60, 1, 'seed-2', true).map((v, t) => v * (1 + 0.01 * t)); // strong growth
  const history = series.slice(0, 7 * 24);
  const actual = series.slice(7 * 24);
  const p = { alpha: 0.2, beta: 0.05, gamma: 0.2, seasonLength: 24 };
  const eAdd = mape(actual, forecast(history, 24, { method: 'holt-winters', holtWinters: { ...p, seasonality: 'additive' } }).values);
  const eMul = mape(actual, forecast(history, 24, { method: 'holt-winters', holtWinters: { ...p, seasonality: 'multiplicative' } }).values);
  assert.ok(eMul < eAdd, `multiplicative ${eMul} vs additive ${eAdd}`);
  assert.ok(eMul < 0.05, `multiplicative MAPE ${eMul}`);
});

it('too little history: Holt-Winters falls back to a line, a line to the last value, nothing to 0 — and says so', () => {
  const opts = { method: 'holt-winters' as const, holtWinters: hw('additive', { seasonLength: 24 }) };
  const short = forecast([1, 2, 3, 4, 5], 2, opts);
  assert.is(short.requested, 'holt-winters');
  assert.is(short.method, 'linear');
  assert.is(short.fallback, 'holt-winters needs 48 samples (2 seasons of 24); the history has 5, so linear regression over the last 5 was used');
  close(short.values[0]!, 6);
  const one = forecast([7], 3, opts);
  assert.is(one.method, 'last-value');
  assert.equal(one.values, [7, 7, 7]);
  assert.is(
    one.fallback,
    'holt-winters needs 48 samples (2 seasons of 24); the history has 1; linear regression needs 2 samples; the history has 1, so the last value was used',
  );
  const none = forecast([], 1, { method: 'linear' });
  assert.is(none.method, 'none');
  assert.is(none.value, 0);
  assert.is(none.fallback, 'linear regression needs 2 samples; the history has 0, so the forecast is 0');
  assert.is(forecast([1, 2], 1, { method: 'linear' }).fallback, undefined);
});

it('multiplicative seasonality over a history with zeros in its first seasons falls back to additive', () => {
  const r = forecast([0, 0, 0, 0, 1, 1], 1, { method: 'holt-winters', holtWinters: hw('multiplicative') });
  assert.is(r.method, 'holt-winters');
  assert.is(r.state!.seasonality, 'additive');
  assert.match(r.fallback!, /additive seasonality was used/);
  assert.throws(() => holtWintersInit([0, 0, 0, 0], hw('multiplicative')), /use additive/);
});

it('bad parameters: every problem listed with its field', () => {
  assert.equal(forecastProblems({ method: 'linear' }, 1), []);
  const problems = forecastProblems(
    { method: 'holt-winters', holtWinters: { alpha: 2, beta: -1, gamma: Number.NaN, seasonLength: 1.5, seasonality: 'x' as never, initSeasons: 1 }, window: 1 },
    0,
  );
  assert.equal(problems, [
    'horizon: must be an integer >= 1 (steps ahead; got 0)',
    'holtWinters.alpha: must be a number from 0 to 1 (got 2)',
    'holtWinters.beta: must be a number from 0 to 1 (got -1)',
    'holtWinters.gamma: must be a number from 0 to 1 (got NaN)',
    'holtWinters.seasonLength: must be an integer >= 2 (samples per season; got 1.5)',
    "holtWinters.seasonality: must be 'additive' or 'multiplicative' (got x)",
    'holtWinters.initSeasons: must be an integer >= 2 (got 1)',
    'window: must be an integer >= 2 (got 1)',
  ]);
  assert.equal(forecastProblems({ method: 'holt-winters' }, 1), ['holtWinters: is required for method holt-winters']);
  assert.equal(forecastProblems({ method: 'arima' as never }, 1), ["method: must be 'holt-winters' or 'linear' (got arima)"]);
  assert.throws(() => forecast([1, 2], 0, { method: 'linear' }), /Invalid forecast parameters:\nhorizon/);
  assert.throws(() => holtWintersInit([1, 2, 3], hw('additive')), /needs 4 samples \(2 seasons of 2\); got 3/);
});

it('initSeasons: more seasons average the initial indices and the slope over them', () => {
  // three seasons means 2, 3, 4 → slope (4 − 2)/(2·2) = 0.5
  const s = holtWintersInit([1, 3, 2, 4, 3, 5], hw('additive', { initSeasons: 3 }));
  close(s.trend, 0.5);
  assert.equal([...s.seasonal], [-0.75, 0.75]);
  const r = forecast([1, 3, 2, 4, 3], 1, { method: 'holt-winters', holtWinters: hw('additive', { initSeasons: 3 }) });
  assert.is(r.method, 'linear');
});

it.run();
