// Analysis runs on the virtual clock with Argo Rollouts' rules, over a scripted
// observability service: when measurements are taken (initialDelay, interval, count, the
// retry after an error), each measurement's phase from its conditions, the metric's phase
// from failureLimit / inconclusiveLimit / consecutiveErrorLimit / consecutiveSuccessLimit, the run's phase (stop on
// the first decisive metric, the worst wins, dry runs do not count), termination, args,
// bounded history, template validation, and every provider kind.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createVirtualClock } from '@understudy/kernel';
import type { Observability, WindowStats } from '@understudy/plugin-observability';
import { ANALYSIS_DEFAULTS, assessMetric, createAnalysisRunner, evaluateResult, isWorse, type MetricResultView } from '../src/analysis.js';
import type { AnalysisDeps, AnalysisRunContext, AnalysisRunView } from '../src/contract.js';
import { parseCondition } from '../src/expression.js';

interface VersionData {
  requests: number;
  errors: number;
  histogram?: Array<[number, number]>;
}

/** An observability double: per version (and '*' for all) what window() answers, metric values, and the lines logged. */
function fakeObservability() {
  const versions = new Map<string, VersionData>();
  const metrics = new Map<string, number>();
  const logged: Array<Record<string, unknown>> = [];
  const windows: Array<{ service: string; windowMs: number; options: unknown }> = [];
  let throwing: string | undefined;
  const obs = {
    log: (r: Record<string, unknown>) => void logged.push(r),
    logs: () => ({ items: [], total: 0 }),
    metricsText: async () => '',
    metric: async (name: string, labels?: Record<string, string>) => {
      if (name === 'boom') throw new Error('registry broke');
      return metrics.get(`${name}${labels ? JSON.stringify(labels) : ''}`);
    },
    window(service: string, windowMs: number, options: { version?: string; endpoint?: string } = {}): WindowStats {
      windows.push({ service, windowMs, options });
      if (throwing) throw new Error(throwing);
      const d = versions.get(options.version ?? '*') ?? { requests: 0, errors: 0 };
      const histogram = d.histogram ?? [[10, d.requests], [Number.POSITIVE_INFINITY, 0]];
      return { service, ...(options.version ? { version: options.version } : {}), fromMs: 0, toMs: windowMs, requests: d.requests, errors: d.errors, errorRate: d.requests > 0 ? d.errors / d.requests : 0, p50Ms: 5, p90Ms: 9, p99Ms: 9.9, histogram };
    },
  } as unknown as Observability;
  return {
    obs,
    logged,
    windows,
    metrics,
    set: (version: string, d: VersionData) => void versions.set(version, d),
    throwing: (message: string | undefined) => void (throwing = message),
  };
}

function world(withObservability = true) {
  const clock = createVirtualClock();
  const fake = fakeObservability();
  const deps = { clock, events: {}, random: {}, cluster: {}, observability: () => (withObservability ? fake.obs : undefined) } as unknown as AnalysisDeps;
  const runner = createAnalysisRunner(deps);
  const done: AnalysisRunView[] = [];
  const context = (over: Partial<AnalysisRunContext> = {}): AnalysisRunContext => ({
    name: 'api-2-step-1',
    workload: 'api',
    service: 'api',
    kind: 'step',
    stepIndex: 1,
    stable: { version: '1.0.0', revision: 1 },
    canary: { version: '2.0.0', revision: 2 },
    args: { workload: 'api', service: 'api', 'stable-version': '1.0.0', 'canary-version': '2.0.0' },
    startedAt: clock.now(),
    ...over,
  });
  const start = (template: unknown, over: Partial<AnalysisRunContext> = {}) => runner.start([{ name: 'tpl', template }], context(over), (v) => done.push(v));
  return { clock, fake, runner, done, start, context, t0: clock.now() };
}

const metricOf = (v: AnalysisRunView, i = 0) => (v.metrics as MetricResultView[])[i]!;
const errorRate = (extra: Record<string, unknown> = {}) => ({ name: 'error-rate', interval: '30s', count: 3, successCondition: 'result < 0.05', provider: { kind: 'errorRate' }, ...extra });

const rules = suite('analysis: Argo rules as functions');

rules("a measurement's phase from its conditions (Argo's EvaluateResult)", () => {
  const s = parseCondition('result < 1');
  const f = parseCondition('result > 2');
  assert.is(evaluateResult({}, 5), 'Successful'); // no conditions: successful unless it errored
  assert.is(evaluateResult({ successCondition: s }, 0), 'Successful');
  assert.is(evaluateResult({ successCondition: s }, 1.5), 'Failed'); // success alone: false is a failure
  assert.is(evaluateResult({ failureCondition: f }, 1.5), 'Successful'); // failure alone: false is a success
  assert.is(evaluateResult({ failureCondition: f }, 3), 'Failed');
  assert.is(evaluateResult({ successCondition: s, failureCondition: f }, 1.5), 'Inconclusive'); // neither
  assert.is(evaluateResult({ successCondition: s, failureCondition: f }, 3), 'Failed');
  assert.is(evaluateResult({ successCondition: s, failureCondition: f }, 0), 'Successful');
  // both true: the failure wins
  assert.is(evaluateResult({ successCondition: parseCondition('result > 0'), failureCondition: f }, 3), 'Failed');
});

rules("a metric's phase from its counters (assessMetricStatus): limits, the later rule winning, count, termination", () => {
  const m = { failureLimit: 1, inconclusiveLimit: 0, consecutiveErrorLimit: 2, count: 5 };
  const c = (over: Partial<Parameters<typeof assessMetric>[1]>) => ({ count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, measured: 1, ...over });
  assert.equal(assessMetric(m, c({ measured: 0 }), false), { phase: 'Pending' });
  assert.is(assessMetric(m, c({ measured: 0 }), true).phase, 'Successful');
  assert.equal(assessMetric(m, c({ count: 1, failed: 1 }), false), { phase: 'Running' }); // 1 failure is within failureLimit 1
  assert.equal(assessMetric(m, c({ count: 2, failed: 2 }), false), { phase: 'Failed', message: 'failed (2) > failureLimit (1)' });
  assert.is(assessMetric(m, c({ count: 1, inconclusive: 1 }), false).phase, 'Inconclusive');
  assert.is(assessMetric(m, c({ error: 3, consecutiveError: 3 }), false).phase, 'Error');
  // every limit exceeded: Argo checks failed, then inconclusive, then errors, and the last one holding wins
  assert.is(assessMetric(m, c({ count: 3, failed: 2, inconclusive: 1, error: 3, consecutiveError: 3 }), false).phase, 'Error');
  assert.is(assessMetric(m, c({ count: 3, failed: 2, inconclusive: 1 }), false).phase, 'Inconclusive');
  assert.is(assessMetric(m, c({ count: 5, successful: 4, failed: 1 }), false).phase, 'Successful');
  assert.match(assessMetric(m, c({ count: 2, successful: 2 }), true).message!, /^terminated after 2 measurement/);
  // -1: no limit
  assert.is(assessMetric({ ...m, failureLimit: -1, count: undefined }, c({ count: 9, failed: 9 }), false).phase, 'Running');
});

rules('phases order as Argo: Successful < Inconclusive < Error < Failed', () => {
  assert.ok(isWorse(undefined, 'Successful'));
  assert.ok(isWorse('Successful', 'Inconclusive'));
  assert.ok(isWorse('Inconclusive', 'Error'));
  assert.ok(isWorse('Error', 'Failed'));
  assert.not.ok(isWorse('Failed', 'Error'));
  assert.not.ok(isWorse('Successful', 'Successful'));
});

const runs = suite('analysis: runs on the kernel clock');

runs('count measurements, interval apart, after initialDelay: Successful after the last, onDone once from a timer', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 1 });
  const run = w.start({ metrics: [errorRate({ initialDelay: '10s' })] });
  assert.is(run.view().phase, 'Running');
  assert.is(metricOf(run.view()).phase, 'Pending');
  assert.is(metricOf(run.view()).nextMeasurementAt, w.t0 + 10_000);
  await w.clock.advance(9_999);
  assert.is(metricOf(run.view()).measurements.length, 0);
  await w.clock.advance(1); // 10 s
  assert.is(metricOf(run.view()).count, 1);
  assert.is(metricOf(run.view()).phase, 'Running');
  await w.clock.advance(60_000); // 40 s and 70 s
  assert.is(w.done.length, 1);
  const v = w.done[0]!;
  assert.is(v.phase, 'Successful');
  assert.is(v.finishedAt, w.t0 + 70_000);
  assert.equal(metricOf(v).measurements.map((m) => [m.startedAt - w.t0, m.phase, m.value]), [
    [10_000, 'Successful', '0.01'],
    [40_000, 'Successful', '0.01'],
    [70_000, 'Successful', '0.01'],
  ]);
  assert.match(v.message!, /error-rate: 3 of 3 measurements taken \(failed 0, inconclusive 0, errors 0\); last Successful 0.01 \(result < 0.05\)/);
  assert.is(w.clock.pendingTimers(), 0);
  await w.clock.advance(100_000);
  assert.is(w.done.length, 1);
  // the service and version the measurement asked for: the rollout's service, the canary, a window of the interval
  assert.equal(w.fake.windows[0], { service: 'api', windowMs: 30_000, options: { version: '2.0.0' } });
  // each measurement is a log line of the observability plugin
  assert.is(w.fake.logged.length, 3);
  assert.equal(w.fake.logged[0], { level: 30, msg: 'analysis api-2-step-1 metric error-rate: Successful (0.01)', service: 'api', workload: 'api', analysisRun: 'api-2-step-1', metric: 'error-rate', phase: 'Successful' });
});

runs('failures beyond failureLimit fail the run at once; the other metrics stop as terminated', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 30 });
  w.fake.set('*', { requests: 200, errors: 0 });
  const run = w.start({
    metrics: [errorRate({ failureLimit: 1, count: 5 }), { name: 'all-versions', interval: '1m', successCondition: 'result < 0.05', provider: { kind: 'errorRate', version: '*' } }],
  });
  await w.clock.advance(0);
  assert.is(metricOf(run.view()).failed, 1);
  assert.is(metricOf(run.view()).phase, 'Running'); // 1 failure is allowed
  assert.is(w.done.length, 0);
  await w.clock.advance(30_000);
  assert.is(w.done.length, 1);
  const v = w.done[0]!;
  assert.is(v.phase, 'Failed');
  assert.is(v.message, 'error-rate: failed (2) > failureLimit (1); last Failed 0.3 (result < 0.05)');
  assert.is(metricOf(v, 1).phase, 'Successful'); // terminated: it had not failed
  assert.match(metricOf(v, 1).message!, /^all-versions: terminated after 1 measurement/);
  assert.is(w.clock.pendingTimers(), 0);
  assert.is(w.fake.logged[0]!.level, 40); // a failed measurement is a warning line
});

runs('neither condition true: Inconclusive past inconclusiveLimit', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 3 });
  w.start({ metrics: [errorRate({ successCondition: 'result < 0.01', failureCondition: 'result > 0.05', inconclusiveLimit: 1 })] });
  await w.clock.advance(30_000);
  assert.is(w.done[0]!.phase, 'Inconclusive');
  assert.match(w.done[0]!.message!, /inconclusive \(2\) > inconclusiveLimit \(1\)/);
});

runs('errors are retried after min(interval, 10 s), do not count towards count, and end the run past consecutiveErrorLimit', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 0 });
  w.fake.throwing('store unavailable');
  const run = w.start({ metrics: [errorRate({ interval: '1m', count: 2 })] });
  await w.clock.advance(0); // error 1 at 0
  await w.clock.advance(10_000); // error 2 at 10 s
  assert.is(metricOf(run.view()).consecutiveError, 2);
  assert.is(metricOf(run.view()).count, 0);
  w.fake.throwing(undefined);
  await w.clock.advance(10_000); // success at 20 s: the consecutive count resets; the next is a minute later
  assert.is(metricOf(run.view()).consecutiveError, 0);
  assert.is(metricOf(run.view()).error, 2);
  assert.is(metricOf(run.view()).count, 1);
  assert.is(metricOf(run.view()).nextMeasurementAt, w.t0 + 80_000);
  w.fake.throwing('store unavailable');
  await w.clock.advance(60_000); // error at 80 s
  for (let i = 0; i < 4; i++) await w.clock.advance(10_000); // errors at 90, 100, 110, 120 s: 5 in a row > 4
  const v = w.done[0]!;
  assert.is(v.phase, 'Error');
  assert.is(v.finishedAt, w.t0 + 120_000);
  assert.match(v.message!, /error-rate: consecutiveErrors \(5\) > consecutiveErrorLimit \(4\); last Error \(querying observability failed: store unavailable\)/);
  assert.equal(metricOf(v).measurements.map((m) => (m.startedAt - w.t0) / 1000), [0, 10, 20, 80, 90, 100, 110, 120]);
  assert.is(ANALYSIS_DEFAULTS.consecutiveErrorLimit, 4);
});

runs('a metric without interval measures once (and retries an error every 10 s)', async () => {
  const w = world(false); // no observability: every measurement is an Error
  w.start({ metrics: [{ name: 'once', successCondition: 'result < 1', consecutiveErrorLimit: 1, provider: { kind: 'errorRate' } }] });
  await w.clock.advance(10_000);
  assert.is(w.done[0]!.phase, 'Error');
  assert.match(w.done[0]!.message!, /the observability plugin is not loaded/);
  const ok = world();
  ok.fake.set('2.0.0', { requests: 10, errors: 0 });
  ok.start({ metrics: [{ name: 'once', successCondition: 'result < 1', provider: { kind: 'errorRate' } }] });
  await ok.clock.advance(0);
  assert.is(ok.done[0]!.phase, 'Successful');
  assert.is(metricOf(ok.done[0]!).count, 1);
});

runs('an interval without count runs until terminated (a background analysis): then Successful, no onDone, no timers', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 0 });
  const run = w.start({ metrics: [{ name: 'bg', interval: '30s', successCondition: 'result < 0.05', provider: { kind: 'errorRate' } }] }, { kind: 'background' });
  await w.clock.advance(10 * 60_000);
  assert.is(run.view().phase, 'Running');
  assert.is(metricOf(run.view()).count, 21);
  assert.is(metricOf(run.view()).measurements.length, 10); // Argo's default retention
  assert.is(metricOf(run.view()).droppedMeasurements, 11);
  run.terminate();
  run.terminate(); // idempotent
  const v = run.view();
  assert.is(v.phase, 'Successful');
  assert.match(v.message!, /^terminated: bg: terminated after 21 measurement/);
  assert.is(v.finishedAt, w.t0 + 600_000);
  assert.is(v.kind, 'background');
  assert.is(w.clock.pendingTimers(), 0);
  await w.clock.advance(60_000);
  assert.is(w.done.length, 0);
});

runs('terminated before the first measurement, or while an async measurement is in flight: nothing more happens', async () => {
  const w = world();
  const run = w.start({ metrics: [{ name: 'late', initialDelay: '5m', provider: { kind: 'errorRate' } }] });
  run.terminate();
  assert.is(run.view().phase, 'Successful');
  assert.match(metricOf(run.view()).message!, /terminated before its first measurement/);
  assert.is(w.clock.pendingTimers(), 0);
  const a = world();
  a.fake.metrics.set('understudy_requests_total', 5);
  const inFlight = a.start({ metrics: [{ name: 'm', provider: { kind: 'metric', name: 'understudy_requests_total' } }] });
  const fire = a.clock.advance(0);
  inFlight.terminate(); // the metric() promise has not settled yet
  await fire;
  await a.clock.advance(1000);
  assert.is(a.done.length, 0);
  assert.is(metricOf(inFlight.view()).measurements.length, 0);
  // a finished run ignores terminate
  const b = world();
  b.fake.set('2.0.0', { requests: 1, errors: 0 });
  const finished = b.start({ metrics: [{ name: 'x', provider: { kind: 'errorRate' } }] });
  await b.clock.advance(0);
  finished.terminate();
  assert.is(finished.view().phase, 'Successful');
  assert.not.match(finished.view().message!, /terminated/);
});

runs('dry-run metrics are measured and shown but do not decide the run', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 50 });
  w.start({
    dryRun: [{ metricName: 'strict' }],
    metrics: [
      { name: 'strict', successCondition: 'result < 0.01', provider: { kind: 'errorRate' } },
      { name: 'lenient', successCondition: 'result < 0.9', provider: { kind: 'errorRate' } },
    ],
  });
  await w.clock.advance(0);
  const v = w.done[0]!;
  assert.is(v.phase, 'Successful');
  assert.is(metricOf(v, 0).phase, 'Failed');
  assert.is(metricOf(v, 0).dryRun, true);
  assert.match(v.message!, /every metric successful \(strict, lenient\); dry run, not counted: strict: failed \(1\) > failureLimit \(0\)/);
  const all = world();
  all.fake.set('2.0.0', { requests: 100, errors: 50 });
  all.start({ dryRun: [{ metricName: '*' }], measurementRetention: [{ metricName: '*', limit: 1 }], metrics: [{ name: 'strict', successCondition: 'result < 0.01', provider: { kind: 'errorRate' } }] });
  await all.clock.advance(0);
  assert.is(all.done[0]!.phase, 'Successful');
});

runs('measurementRetention bounds one metric\'s history', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 100, errors: 0 });
  const run = w.start({ measurementRetention: [{ metricName: 'bg', limit: 3 }], metrics: [{ name: 'bg', interval: '10s', provider: { kind: 'errorRate' } }] });
  await w.clock.advance(100_000);
  const m = metricOf(run.view());
  assert.is(m.measurements.length, 3);
  assert.is(m.droppedMeasurements, 8);
  assert.equal(m.measurements.map((x) => (x.startedAt - w.t0) / 1000), [80, 90, 100]);
  run.terminate();
});

runs('args: {{args.name}} in provider fields, template defaults, the reference winning; a missing arg ends the run in Error from a timer', async () => {
  const w = world();
  w.fake.set('3.0.0', { requests: 10, errors: 0 });
  w.fake.metrics.set('understudy_requests_total{"service":"api"}', 42);
  w.start({
    args: [{ name: 'version', value: '9.9.9' }, { name: 'service' }],
    metrics: [
      { name: 'e', provider: { kind: 'errorRate', version: '{{args.version}}' } },
      { name: 'm', successCondition: 'result == 42', provider: { kind: 'metric', name: 'understudy_requests_total', labels: { service: '{{ args.service }}' } } },
    ],
  }, { args: { service: 'api', version: '3.0.0', 'canary-version': '2.0.0' } });
  await w.clock.advance(0);
  assert.is(w.done[0]!.phase, 'Successful', w.done[0]!.message);
  assert.equal(w.fake.windows[0]!.options, { version: '3.0.0' });
  const bad = world();
  const run = bad.start({ args: [{ name: 'threshold' }], metrics: [{ name: 'e', provider: { kind: 'errorRate', version: '{{args.threshold}}{{args.other}}' } }] });
  assert.is(bad.done.length, 0); // never inside start
  assert.is(run.view().phase, 'Error');
  await bad.clock.advance(0);
  assert.is(bad.done.length, 1);
  assert.match(bad.done[0]!.message!, /the analysis could not start: tpl: no value for args threshold, other: give them in the analysis reference/);
});

runs('templates of one reference merge into one run; a metric name in two of them, an invalid template or none is an Error', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 10, errors: 0 });
  const one = { metrics: [{ name: 'a', provider: { kind: 'errorRate' } }] };
  const two = { metrics: [{ name: 'b', provider: { kind: 'requestRate', window: 10 } }] };
  const merged = w.runner.start([{ name: 'one', template: one }, { name: 'two', template: two }], w.context(), (v) => w.done.push(v));
  assert.equal(merged.view().templates, ['one', 'two']);
  await w.clock.advance(0);
  assert.is(w.done[0]!.phase, 'Successful');
  assert.equal((w.done[0]!.metrics as MetricResultView[]).map((m) => [m.name, m.measurements[0]!.value]), [['a', '0'], ['b', '1']]);
  const dup = w.runner.start([{ name: 'one', template: one }, { name: 'again', template: one }], w.context(), (v) => w.done.push(v));
  await w.clock.advance(0);
  assert.match(dup.view().message!, /again: metric "a" is also in an earlier template/);
  const invalid = w.runner.start([{ name: 'broken', template: { metrics: [] } }], w.context(), (v) => w.done.push(v));
  await w.clock.advance(0);
  assert.match(invalid.view().message!, /broken.metrics: must be a non-empty list/);
  const none = w.runner.start([], w.context(), (v) => w.done.push(v));
  await w.clock.advance(0);
  assert.is(none.view().phase, 'Error');
  assert.match(none.view().message!, /no templates/);
});

runs('a condition that cannot be evaluated on the result is an Error measurement', async () => {
  const w = world();
  w.fake.set('2.0.0', { requests: 10, errors: 0 });
  w.start({ metrics: [{ name: 'e', successCondition: 'result.verdict == "Pass"', consecutiveErrorLimit: 0, provider: { kind: 'errorRate' } }] });
  await w.clock.advance(0);
  assert.is(w.done[0]!.phase, 'Error');
  assert.match(metricOf(w.done[0]!).measurements[0]!.message!, /evaluating the condition failed: cannot read \["verdict"\] of number 0/);
});

const providers = suite('analysis: providers');

providers('no data: Inconclusive by default, NaN for the conditions (Argo), or an Error', async () => {
  const w = world();
  w.start({ metrics: [{ name: 'e', successCondition: 'result < 0.05', provider: { kind: 'errorRate', window: '5m' } }] });
  await w.clock.advance(0);
  assert.is(w.done[0]!.phase, 'Inconclusive');
  assert.match(metricOf(w.done[0]!).measurements[0]!.message!, /0 requests to api version 2.0.0 in the last 300 s \(fewer than minRequests 1\): no data to judge/);
  const nan = world();
  nan.start({ metrics: [{ name: 'e', successCondition: 'isNaN(result) || result < 0.05', provider: { kind: 'errorRate', noData: 'nan' } }] });
  await nan.clock.advance(0);
  assert.is(nan.done[0]!.phase, 'Successful');
  assert.is(metricOf(nan.done[0]!).measurements[0]!.value, 'NaN');
  const err = world();
  err.fake.set('*', { requests: 5, errors: 0 });
  err.start({ metrics: [{ name: 'e', consecutiveErrorLimit: 0, provider: { kind: 'latency', version: '*', minRequests: 10, noData: 'error' } }] });
  await err.clock.advance(0);
  assert.is(err.done[0]!.phase, 'Error');
  assert.match(metricOf(err.done[0]!).measurements[0]!.message!, /5 requests to api in the last 60 s \(fewer than minRequests 10\)/);
});

providers('latency percentiles from the window histogram, request rate per second, the whole window', async () => {
  const w = world();
  // 80 requests at or under 10 ms, 20 in (10, 50]: p50 = 6.25 ms, p95 = 40 ms, p99 = 48 ms
  w.fake.set('2.0.0', { requests: 100, errors: 0, histogram: [[10, 80], [50, 20], [Number.POSITIVE_INFINITY, 0]] });
  w.start({
    metrics: [
      { name: 'p50', successCondition: 'result == 6.25', provider: { kind: 'latency', percentile: 50 } },
      { name: 'p95', successCondition: 'result == 40', provider: { kind: 'latency', percentile: 95 } },
      { name: 'p99', successCondition: 'result[0] < 50', provider: { kind: 'latency' } },
      { name: 'rps', successCondition: 'result == 2', provider: { kind: 'requestRate', window: '50s', endpoint: 'GET /x' } },
      { name: 'win', successCondition: 'result.requests == 100 && result.p99Ms < 10', provider: { kind: 'window' } },
    ],
  });
  await w.clock.advance(0);
  const v = w.done[0]!;
  assert.is(v.phase, 'Successful', v.message);
  assert.equal((v.metrics as MetricResultView[]).map((m) => m.measurements[0]!.value), ['6.25', '40', '48', '2', '100 requests, errorRate 0, p99 9.9 ms']);
  assert.equal(w.fake.windows[3], { service: 'api', windowMs: 50_000, options: { version: '2.0.0', endpoint: 'GET /x' } });
  assert.equal((metricOf(v, 4).lastResult as WindowStats).requests, 100);
});

providers('any metric by name: its value, an unknown metric or a failing registry is an Error', async () => {
  const w = world();
  w.fake.metrics.set('understudy_simulated_utilisation{"service":"api"}', 0.5);
  w.start({
    metrics: [
      { name: 'util', successCondition: 'result < 0.8', provider: { kind: 'metric', name: 'understudy_simulated_utilisation', labels: { service: 'api' } } },
    ],
  });
  await w.clock.advance(0);
  assert.is(w.done[0]!.phase, 'Successful');
  assert.is(metricOf(w.done[0]!).measurements[0]!.value, '0.5');
  const u = world();
  u.start({ metrics: [{ name: 'nope', consecutiveErrorLimit: 0, provider: { kind: 'metric', name: 'nope_total', labels: { a: 'b' } } }] });
  u.start({ metrics: [{ name: 'boom', consecutiveErrorLimit: 0, provider: { kind: 'metric', name: 'boom' } }] });
  await u.clock.advance(0);
  assert.equal(u.done.map((d) => d.phase), ['Error', 'Error']);
  assert.match(metricOf(u.done[0]!).measurements[0]!.message!, /no metric named nope_total with labels \{"a":"b"\}: see GET \/metrics/);
  assert.match(metricOf(u.done[1]!).measurements[0]!.message!, /reading metric boom failed: registry broke/);
  const plain = world();
  plain.start({ metrics: [{ name: 'nope', consecutiveErrorLimit: 0, provider: { kind: 'metric', name: 'nope_total' } }] });
  await plain.clock.advance(0);
  assert.match(metricOf(plain.done[0]!).measurements[0]!.message!, /no metric named nope_total: see/);
});

providers('the judge as a provider: baseline = stable, canary = canary; Pass / Fail / Inconclusive by its verdict', async () => {
  const same: Array<[number, number]> = [[10, 300], [25, 150], [50, 50], [Number.POSITIVE_INFINITY, 0]];
  const slow: Array<[number, number]> = [[10, 100], [25, 150], [50, 250], [Number.POSITIVE_INFINITY, 0]];
  const judgeMetric = { name: 'judge', provider: { kind: 'judge', window: '5m' } };
  const pass = world();
  pass.fake.set('1.0.0', { requests: 500, errors: 2, histogram: same });
  pass.fake.set('2.0.0', { requests: 500, errors: 3, histogram: same });
  pass.start({ metrics: [judgeMetric] });
  await pass.clock.advance(0);
  assert.is(pass.done[0]!.phase, 'Successful', pass.done[0]!.message);
  assert.match(metricOf(pass.done[0]!).measurements[0]!.value!, /^Pass; latency p=0.5\d* delta=0.000; errors p=/);
  assert.equal(pass.fake.windows.map((x) => x.options), [{ version: '1.0.0', simulated: false }, { version: '2.0.0', simulated: false }]);
  assert.is(pass.fake.windows[0]!.windowMs, 300_000);

  const fail = world();
  fail.fake.set('1.0.0', { requests: 500, errors: 2, histogram: same });
  fail.fake.set('2.0.0', { requests: 500, errors: 3, histogram: slow });
  fail.start({ metrics: [judgeMetric] });
  await fail.clock.advance(0);
  const v = fail.done[0]!;
  assert.is(v.phase, 'Failed');
  const report = metricOf(v).lastResult as { verdict: string; reasons: string[] };
  assert.is(report.verdict, 'Fail');
  assert.match(report.reasons[0]!, /canary latency is higher than baseline's/);
  assert.match(v.message!, /judge: failed \(1\) > failureLimit \(0\); last Failed Fail; latency p=/);

  const few = world();
  few.fake.set('1.0.0', { requests: 5, errors: 0, histogram: [[10, 5]] });
  few.fake.set('2.0.0', { requests: 500, errors: 0, histogram: same });
  few.start({ metrics: [{ ...judgeMetric, provider: { kind: 'judge', minSamples: 50, alpha: 0.01, latency: true } }] });
  await few.clock.advance(0);
  assert.is(few.done[0]!.phase, 'Inconclusive');
  // its own conditions replace the verdict's
  const own = world();
  own.fake.set('1.0.0', { requests: 500, errors: 2, histogram: same });
  own.fake.set('2.0.0', { requests: 500, errors: 3, histogram: slow });
  own.start({ metrics: [{ name: 'j', successCondition: 'result.canary.p99Ms < 100', provider: { kind: 'judge', baseline: '{{args.stable-version}}', canary: '2.0.0', simulated: true } }] });
  await own.clock.advance(0);
  assert.is(own.done[0]!.phase, 'Successful');
  assert.equal(own.fake.windows[0]!.options, { version: '1.0.0' });
});

const validation = suite('analysis: validate');

validation('a valid Argo template has no problems', () => {
  const { runner } = world();
  assert.equal(
    runner.validate(
      {
        args: [{ name: 'service' }, { name: 'threshold', value: '0.05' }],
        dryRun: [{ metricName: 'p99' }],
        measurementRetention: [{ metricName: 'p99', limit: 20 }],
        metrics: [
          { name: 'errors', interval: '30s', count: 5, initialDelay: '1m', successCondition: 'result < 0.05', failureLimit: 2, inconclusiveLimit: 1, consecutiveErrorLimit: 3, provider: { kind: 'errorRate', window: '2m', minRequests: 10, noData: 'nan' } },
          { name: 'p99', interval: 60, failureCondition: 'result > 250', provider: { kind: 'latency', percentile: 99.9, service: '{{args.service}}', version: '*' } },
          { name: 'judge', interval: '1m', count: 3, provider: { kind: 'judge', alpha: 0.01, minSamples: 100, minLatencyEffect: 0.2, minErrorRateIncrease: 0.005, bonferroni: false } },
          { name: 'm', provider: { kind: 'metric', name: 'understudy_requests_total', labels: { service: 'api' } } },
        ],
      },
      'plugins.deploy.analysisTemplates.canary',
    ),
    [],
  );
});

validation('every problem, each with its full path', () => {
  const { runner } = world();
  const p = 'plugins.deploy.analysisTemplates.t';
  assert.equal(runner.validate(null, p), [`${p}: must be an object with metrics: [...] (an Argo AnalysisTemplate spec)`]);
  assert.equal(
    runner.validate(
      {
        kind: 'AnalysisTemplate',
        args: [{ name: '' }, { name: 'a', value: 1 }],
        dryRun: [{}],
        measurementRetention: [{ metricName: 'x', limit: 0 }, {}],
        metrics: [
          'nope',
          { name: 'a', interval: 'soon', count: 3, initialDelay: -1, failureLimit: 1.5, inconclusiveLimit: -2, consecutiveErrorLimit: 'x', successCondition: 'result <', failureCondition: 3, provider: { kind: 'errorRate', window: 0, percentile: 100, minRequests: -1, noData: 'skip', version: '', colour: 'red', simulated: 'no' } },
          { name: 'b', count: 3, provider: { kind: 'latency', percentile: 0 } },
          { name: 'c', interval: '1m', count: 2, failureLimit: 3, inconclusiveLimit: 3, provider: { kind: 'metric', labels: { a: 1 } } },
          { name: 'c', count: -1, provider: { kind: 'judge', alpha: 2 } },
          { name: 'd', extra: true, provider: 'errorRate' },
          { name: 'e', provider: {} },
          { name: 'f' },
        ],
      },
      p,
    ),
    [
      `${p}.kind: unknown field (fields: args, metrics, dryRun, measurementRetention)`,
      `${p}.args[0].name: must be a non-empty string`,
      `${p}.args[1].value: must be a string`,
      `${p}.dryRun[0].metricName: must be a metric's name or "*"`,
      `${p}.measurementRetention[0].limit: must be an integer from 1 to 1000`,
      `${p}.measurementRetention[1].metricName: must be a metric's name or "*"`,
      `${p}.metrics[0]: must be an object with name, provider and conditions`,
      `${p}.metrics[1].interval: must be a duration above 0 ("30s", "5m", "1h", "500ms", or a number of seconds)`,
      `${p}.metrics[1].initialDelay: must be a duration ("30s", "5m", "1h", "500ms", or a number of seconds)`,
      `${p}.metrics[1].failureLimit: must be an integer >= 0 (-1: no limit)`,
      `${p}.metrics[1].inconclusiveLimit: must be an integer >= 0 (-1: no limit)`,
      `${p}.metrics[1].consecutiveErrorLimit: must be an integer >= 0 (-1: no limit)`,
      `${p}.metrics[1].successCondition: unexpected end of the expression at column 9`,
      `${p}.metrics[1].failureCondition: must be a string, e.g. "result < 0.01"`,
      `${p}.metrics[1].provider.percentile: unknown field for kind errorRate (fields: kind, service, version, window, endpoint, simulated, minRequests, noData)`,
      `${p}.metrics[1].provider.colour: unknown field for kind errorRate (fields: kind, service, version, window, endpoint, simulated, minRequests, noData)`,
      `${p}.metrics[1].provider.window: must be a duration above 0 ("30s", "5m", or seconds)`,
      `${p}.metrics[1].provider.minRequests: must be a number >= 0`,
      `${p}.metrics[1].provider.noData: must be one of inconclusive, nan, error`,
      `${p}.metrics[1].provider.simulated: must be boolean`,
      `${p}.metrics[1].provider.version: must be a non-empty string`,
      `${p}.metrics[2].interval: required when count > 1 (the time between measurements)`,
      `${p}.metrics[2].provider.percentile: must be a number between 0 and 100 (exclusive), e.g. 50, 95, 99`,
      `${p}.metrics[3].failureLimit: 3 is above count (2): the metric could never fail`,
      `${p}.metrics[3].inconclusiveLimit: 3 is above count (2): the metric could never be inconclusive`,
      `${p}.metrics[3].provider.labels: must be an object of label name → string value`,
      `${p}.metrics[3].provider.name: the metric's name is required (e.g. understudy_requests_total)`,
      `${p}.metrics[4].count: must be an integer >= 0 (0 or absent with an interval: until terminated)`,
      `${p}.metrics[4].provider.alpha: must be a number between 0 and 1 (exclusive)`,
      `${p}.metrics[5].extra: unknown field (fields: name, interval, count, initialDelay, successCondition, failureCondition, failureLimit, consecutiveSuccessLimit, inconclusiveLimit, consecutiveErrorLimit, provider)`,
      `${p}.metrics[5].provider: must be an object with a kind (one of errorRate, latency, requestRate, window, metric, judge)`,
      `${p}.metrics[6].provider.kind: must be one of errorRate, latency, requestRate, window, metric, judge`,
      `${p}.metrics[7].provider: required, e.g. { kind: errorRate } or { kind: judge }`,
    ],
  );
  assert.equal(runner.validate({ metrics: [{ name: 'a', provider: { kind: 'errorRate' } }, { name: 'a', provider: { kind: 'errorRate' } }] }, p), [
    `${p}.metrics[1].name: "a" is used by an earlier metric: names are unique within a template`,
  ]);
  assert.equal(runner.validate({ args: {}, dryRun: 'x', measurementRetention: 1, metrics: [{ provider: { kind: 'errorRate' } }] }, p), [
    `${p}.args: must be a list of { name, value? }`,
    `${p}.dryRun: must be a list of { metricName } ("*" for every metric)`,
    `${p}.measurementRetention: must be a list of { metricName, limit }`,
    `${p}.metrics[0].name: must be a non-empty string`,
  ]);
});

const streak = suite('analysis: consecutiveSuccessLimit (Argo 1.8)');

/** A run of one error-rate metric whose measurements follow `phases` (S: 1% errors, F: 30%, E: the query throws), 10 s apart. */
async function scripted(metric: Record<string, unknown>, phases: string) {
  const w = world();
  const run = w.start({ metrics: [errorRate({ interval: '10s', ...metric })] });
  for (const p of phases) {
    w.fake.throwing(p === 'E' ? 'store down' : undefined);
    w.fake.set('2.0.0', { requests: 100, errors: p === 'F' ? 30 : 1 });
    if (w.done.length) break;
    await w.clock.advance(metricOf(run.view()).nextMeasurementAt! - w.clock.now());
  }
  return { w, run, view: w.done[0] ?? run.view() };
}

streak('only consecutiveSuccessLimit (failureLimit -1): failures go on until N successes in a row, then Successful', async () => {
  const { view, w } = await scripted({ count: undefined, failureLimit: -1, consecutiveSuccessLimit: 3 }, 'FFSFSSSS');
  assert.is(view.phase, 'Successful');
  const m = metricOf(view);
  assert.equal(m.measurements.map((x) => x.phase[0]).join(''), 'FFSFSSS', 'ends at the third success in a row');
  assert.is(m.consecutiveSuccess, 3);
  assert.is(m.failed, 3);
  assert.match(m.message!, 'consecutiveSuccess (3) reached consecutiveSuccessLimit (3) after 7 measurement(s)');
  assert.is(w.done.length, 1);
});

streak('an Error or an Inconclusive measurement breaks the streak', async () => {
  const { view } = await scripted({ count: undefined, failureLimit: -1, consecutiveSuccessLimit: 2, consecutiveErrorLimit: 5 }, 'SESSS');
  assert.is(view.phase, 'Successful');
  assert.equal(metricOf(view).measurements.map((x) => x.phase[0]).join(''), 'SESS');
  const r = assessMetric({ failureLimit: 0, inconclusiveLimit: 5, consecutiveErrorLimit: 4, count: 5, consecutiveSuccessLimit: 2 }, { count: 3, successful: 2, failed: 0, inconclusive: 1, error: 0, consecutiveError: 0, consecutiveSuccess: 1, measured: 3 }, false);
  assert.is(r.phase, 'Running');
});

streak('both limits: N in a row within failureLimit is Successful; failures past failureLimit fail first', async () => {
  const ok = await scripted({ count: 6, failureLimit: 1, consecutiveSuccessLimit: 3 }, 'SFSSSS');
  assert.is(ok.view.phase, 'Successful');
  assert.is(metricOf(ok.view).count, 5, 'before count runs out');
  const failed = await scripted({ count: 6, failureLimit: 1, consecutiveSuccessLimit: 3 }, 'SFSFSS');
  assert.is(failed.view.phase, 'Failed');
  assert.match(metricOf(failed.view).message!, 'failed (2) > failureLimit (1)');
});

streak("count reached without the streak: Inconclusive with failureLimit >= 0, Failed with -1 (Argo's table)", async () => {
  const inconclusive = await scripted({ count: 4, failureLimit: 1, consecutiveSuccessLimit: 3 }, 'SFSS');
  assert.is(inconclusive.view.phase, 'Inconclusive');
  assert.match(metricOf(inconclusive.view).message!, '4 of 4 measurements taken: consecutiveSuccessLimit (3) not reached and failureLimit (1) not violated');
  const failed = await scripted({ count: 3, failureLimit: -1, consecutiveSuccessLimit: 3 }, 'SFS');
  assert.is(failed.view.phase, 'Failed');
  assert.match(metricOf(failed.view).message!, '3 of 3 measurements taken: consecutiveSuccessLimit (3) not reached');
});

streak('terminated before the streak: Successful unless failureLimit was violated (Argo)', async () => {
  const { run, w } = await scripted({ count: undefined, failureLimit: -1, consecutiveSuccessLimit: 5 }, 'FFS');
  run.terminate();
  assert.is(run.view().phase, 'Successful');
  assert.match(run.view().message!, /^terminated: /);
  assert.is(w.done.length, 0);
});

streak('validation: an integer >= 0, not both off, and a count that leaves room for both (Argo)', () => {
  const { runner } = world();
  const p = 't';
  const problems = (metric: Record<string, unknown>) => runner.validate({ metrics: [errorRate(metric)] }, p);
  assert.equal(problems({ consecutiveSuccessLimit: 2 }), []);
  assert.equal(problems({ count: undefined, failureLimit: -1, consecutiveSuccessLimit: 2 }), []);
  assert.equal(problems({ consecutiveSuccessLimit: -1 }), [`${p}.metrics[0].consecutiveSuccessLimit: must be an integer >= 0 (0: off)`]);
  assert.equal(problems({ consecutiveSuccessLimit: 1.5 }), [`${p}.metrics[0].consecutiveSuccessLimit: must be an integer >= 0 (0: off)`]);
  assert.equal(problems({ failureLimit: -1 }), [`${p}.metrics[0].failureLimit: -1 (off) needs a consecutiveSuccessLimit above 0: without either nothing decides the metric (give failureLimit >= 0, or consecutiveSuccessLimit: N)`]);
  assert.equal(problems({ count: 3, failureLimit: 1, consecutiveSuccessLimit: 3 }), [`${p}.metrics[0].count: 3 is below failureLimit + consecutiveSuccessLimit (1 + 3): raise count, or lower a limit (Argo)`]);
  assert.equal(problems({ count: 3, failureLimit: -1, consecutiveSuccessLimit: 4 }), [`${p}.metrics[0].consecutiveSuccessLimit: 4 is above count (3): the metric could never reach it`]);
  assert.is(ANALYSIS_DEFAULTS.consecutiveSuccessLimit, 0);
});

rules.run();
runs.run();
providers.run();
validation.run();
streak.run();
