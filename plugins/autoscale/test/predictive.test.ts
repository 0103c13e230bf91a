// The predictive policy: its settings (defaults, every problem with its path), the demand
// series (clock-aligned buckets, gaps, the bound), the recommendation (forecast at now +
// startup + margin, never below what the demand of now needs), Kubernetes' stabilization
// windows, and a diurnal day where it has capacity Ready before the demand arrives.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AutoscalerSpec, PolicyInput } from '../src/contract.js';
import { defaultRules } from '../src/hpa.js';
import { createPredictivePolicy, DemandSeries, perInstanceRps, predictiveSettings, recommend } from '../src/predictive.js';

const it = suite('autoscale: predictive policy');

// Kubernetes' default behavior (hpa.ts), with the stabilization windows of each test
const rules = (direction: 'scaleUp' | 'scaleDown', stabilizationWindowSeconds: number) => ({ ...defaultRules(direction), stabilizationWindowSeconds });
const spec = (predictive: Record<string, unknown>, down = 300, up = 0): AutoscalerSpec => ({
  workload: 'web',
  policy: 'predictive',
  enabled: true,
  minReplicas: 1,
  maxReplicas: 100,
  syncPeriodSeconds: 15,
  tolerance: 0.1,
  metrics: [],
  behavior: { scaleUp: rules('scaleUp', up), scaleDown: rules('scaleDown', down) },
  predictive,
  followHealth: false,
});
const input = (now: number, demand: number, current: number, startupSeconds = 30, autoscaler = spec({})): PolicyInput => ({
  now,
  current,
  readyReplicas: current,
  demand,
  instances: [],
  metrics: {},
  workload: { name: 'web', service: 'web', startupSeconds, capacity: { concurrency: 10, serviceTimeMs: 100 }, requests: { cpu: 100, memory: 128 } },
  spec: autoscaler,
});

it('settings: defaults, and every problem with its path', () => {
  const { settings, problems } = predictiveSettings(undefined);
  assert.equal(problems, []);
  assert.is(settings.method, 'holt-winters');
  assert.is(settings.sampleSeconds, 300);
  assert.is(settings.maxSamples, 3 * 288);
  assert.equal(settings.seedHistory, []);
  const bad = predictiveSettings(
    { method: 'arima', seasonality: 'x', sampleSeconds: 0, seasonSeconds: 1000, alpha: 2, initSeasons: 1.5, targetUtilisation: 0, targetPerInstanceRps: -1, seedHistory: [1, -2, 'a'], extra: 1 },
    'p',
  ).problems;
  assert.equal(bad, [
    'p.extra: unknown setting (known: method, sampleSeconds, seasonSeconds, alpha, beta, gamma, seasonality, initSeasons, window, marginSeconds, targetUtilisation, targetPerInstanceRps, maxSamples, seedHistory)',
    `p.method: must be 'holt-winters' or 'linear' (got "arima")`,
    `p.seasonality: must be 'additive' or 'multiplicative' (got "x")`,
    'p.sampleSeconds: must be a number >= 1 (got 0)',
    'p.seasonSeconds: must be a whole number (>= 2) of sampleSeconds (1000 / 300 = 3.3333333333333335)',
    'p.alpha: must be a number from 0 to 1 (got 2)',
    'p.initSeasons: must be an integer >= 2 (got 1.5)',
    'p.targetUtilisation: must be a number above 0, at most 1 (got 0)',
    'p.targetPerInstanceRps: must be a number > 0 (got -1)',
    'p.seedHistory[1]: must be a number >= 0 (got -2)',
    'p.seedHistory[2]: must be a number >= 0 (got "a")',
  ]);
  assert.equal(predictiveSettings({ seedHistory: 3 }).problems, ['predictive.seedHistory: must be an array of requests/s samples, oldest first']);
  assert.equal(predictiveSettings({ maxSamples: 100 }).problems, [
    'predictive.maxSamples: must hold initSeasons × seasonSeconds/sampleSeconds = 576 samples for holt-winters (got 100)',
  ]);
  assert.throws(() => createPredictivePolicy(spec({ alpha: -1 })), /Invalid predictive settings:\nautoscalers.web.predictive.alpha/);
});

it('per-instance capacity: concurrency·1000/serviceTimeMs at the target utilisation, or as given', () => {
  assert.is(perInstanceRps({ targetUtilisation: 0.7 }, { concurrency: 10, serviceTimeMs: 100 }), 70);
  assert.is(perInstanceRps({ targetUtilisation: 0.7, targetPerInstanceRps: 25 }, { concurrency: 10, serviceTimeMs: 100 }), 25);
});

it('demand series: clock-aligned buckets hold the mean of what was observed; an empty bucket repeats the last', () => {
  const { settings } = predictiveSettings({ method: 'linear', sampleSeconds: 60, seasonSeconds: 120, maxSamples: 4 });
  const s = new DemandSeries(settings);
  assert.is(s.lastEnd(), undefined);
  s.observe(30_000, 10); // bucket [0, 60 s)
  s.observe(45_000, 20);
  assert.equal(s.values(), []);
  s.observe(60_000, 40); // closes [0, 60): 15
  assert.equal(s.values(), [15]);
  assert.is(s.lastEnd(), 60_000);
  s.observe(200_000, 50); // closes [60, 120): 40; [120, 180) had nothing: 40
  assert.equal(s.values(), [15, 40, 40]);
  s.observe(240_000, 0); // closes [180, 240): 50
  s.observe(300_000, 0); // closes [240, 300): 0 — the bound of 4 drops the oldest
  assert.equal(s.values(), [40, 40, 50, 0]);
  assert.is(s.dropped, 1);
});

it('recommend: the peak forecast within startup + margin, never below what now needs', () => {
  // a line rising 10 req/s per minute: 100, 110, … 150 at the end of the sixth minute
  const { settings } = predictiveSettings({ method: 'linear', sampleSeconds: 60, seasonSeconds: 120, marginSeconds: 30, window: 6 });
  const s = new DemandSeries({ ...settings, seedHistory: [100, 110, 120, 130, 140, 150] });
  // now = 0 (the first bucket starts: the seed ends here), lead 30 + 30 s → the sample covering [0, 60) stands at 30 s,
  // the one covering [60, 120) at 90 s ≥ 60 s: horizon 2 → forecasts 160, 170
  s.observe(0, 150);
  const r = recommend(s, 0, 150, 30, 10);
  assert.is(r.horizon, 2);
  assert.is(r.leadSeconds, 60);
  assert.equal(r.forecast.values.map((v) => Math.round(v)), [160, 170]);
  assert.is(Math.round(r.peak), 170);
  assert.is(r.needAhead, 17);
  assert.is(r.needNow, 15);
  assert.is(r.desired, 17);
  // falling demand: the forecast says less than now, and now wins
  const f = new DemandSeries({ ...settings, seedHistory: [150, 140, 130, 120, 110, 100] });
  f.observe(0, 100);
  const down = recommend(f, 0, 100, 30, 10);
  assert.is(down.needAhead, 9);
  assert.is(down.desired, 10);
  // no history at all: the forecast is 0 and says so; the demand of now decides
  const e = new DemandSeries(settings);
  const none = recommend(e, 0, 35, 0, 10);
  assert.is(none.forecast.method, 'none');
  assert.is(none.desired, 4);
});

it("the policy: reason and detail, then the HPA's behavior (rate policies, scale-down stabilization)", () => {
  const a = spec({ method: 'linear', sampleSeconds: 60, seasonSeconds: 120, marginSeconds: 0, targetPerInstanceRps: 10 }, 60);
  const p = createPredictivePolicy(a);
  assert.is(p.kind, 'predictive');
  assert.is(p.intervalMs(spec({})), 15_000);
  // 95 req/s needs 10; the default scale-up policies allow max(2 + 4 pods, 2 × 200 %) = 6 in 15 s
  const up = p.decide(input(0, 95, 2, 30, a));
  assert.is(up.desired, 6);
  assert.match(
    up.reason,
    /^forecast 0 req\/s within 30 s \(none: linear regression needs 2 samples; the history has 0, so the forecast is 0\), 95 req\/s now, 10 req\/s per instance: 2 → 6 \(ScaleUpLimit: .*; recommended 10\)$/,
  );
  assert.is((up.detail as { needNow: number }).needNow, 10);
  p.scaled!(2, 6, 0);
  // demand falls: the scale-down window (60 s) keeps the highest recommendation of the last minute
  const held = p.decide(input(15_000, 20, 6, 30, a));
  assert.is(held.desired, 6);
  assert.match(held.reason, /: 6 → 6 \(ScaleDownStabilized: .*; recommended 2\)$/);
  // the bucket [0, 60 s) closed with the mean of 95 and 20 = 57.5, the only sample (forecast: that value) → 6
  const later = p.decide(input(75_001, 20, 6, 30, a));
  assert.is(later.desired, 6);
  assert.is((later.detail as { samples: number }).samples, 1);
  // [60, 120 s) closed with 20: the line through 57.5 and 20 falls below 0; the demand of now needs 2, and the window has passed
  const down = p.decide(input(135_001, 20, 6, 30, a));
  assert.is(down.desired, 2);
  assert.is((down.detail as { needAhead: number }).needAhead, 0);
});

it('scale-up stabilization: the lowest recommendation of its window', () => {
  const a = spec({ method: 'linear', sampleSeconds: 60, seasonSeconds: 120, marginSeconds: 0, targetPerInstanceRps: 10 }, 0, 30);
  const p = createPredictivePolicy(a);
  assert.is(p.decide(input(0, 20, 2, 30, a)).desired, 2);
  assert.is(p.decide(input(15_000, 100, 2, 30, a)).desired, 2); // the window still holds 2
  const d = p.decide(input(31_000, 100, 2, 30, a));
  assert.is(d.desired, 6); // 10 wanted, 4 pods per 15 s
  assert.match(d.reason, /ScaleUpLimit/);
});

/** Demand of a diurnal cycle (sample per 5 minutes): 100 at the trough, 700 at the peak. */
const diurnal = (tSeconds: number) => 100 + 300 * (1 - Math.cos((2 * Math.PI * tSeconds) / 86_400));

it('a known diurnal cycle: capacity is Ready before the demand arrives (startup 120 s), all day', () => {
  const seed: number[] = [];
  for (let k = 0; k < 2 * 288; k++) seed.push(diurnal(k * 300 + 150)); // two past days, each sample at its middle
  const a = spec({ seedHistory: seed, marginSeconds: 60, targetPerInstanceRps: 50, alpha: 0.3, beta: 0, gamma: 0.3 }, 0);
  const p = createPredictivePolicy(a);
  const startup = 120;
  const decided: { at: number; desired: number }[] = [];
  let current = 3;
  let short = 0;
  let reactiveShort = 0;
  let ahead = 0;
  let extra = 0;
  for (let t = 0; t < 86_400; t += 15) {
    const d = p.decide(input(t * 1000, diurnal(t), current, startup, a));
    if (d.desired !== current) p.scaled!(current, d.desired!, t * 1000);
    current = d.desired!;
    decided.push({ at: t, desired: current });
    // instances asked for `startup` seconds ago are Ready now: are there enough for now?
    const ready = decided[Math.max(0, decided.length - 1 - startup / 15)]!.desired;
    if (ready * 50 < diurnal(t)) short++;
    if (Math.ceil(diurnal(t - startup) / 50) * 50 < diurnal(t)) reactiveShort++; // sized for the demand of `startup` ago
    if (current > Math.ceil(diurnal(t) / 50)) ahead++;
    extra += ready - diurnal(t) / 50;
  }
  assert.is(short, 0, 'Ready capacity fell short of the demand');
  assert.ok(extra / decided.length < 1, `mean spare replicas ${extra / decided.length}`);
  // a policy sizing for the demand it sees would be short on the rising side; this one asked ahead
  assert.ok(reactiveShort > 50, `reactive short ${reactiveShort} times`);
  assert.ok(ahead > 200, `ahead ${ahead} times`);
});

it.run();
