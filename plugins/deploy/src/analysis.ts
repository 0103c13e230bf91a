// Analysis runs with Argo Rollouts' semantics: a template's metrics are measured on the
// kernel clock (`initialDelay`, then every `interval`, `count` times), each measurement is
// Successful / Failed / Inconclusive by its conditions or Error when it could not be taken
// or evaluated, and the metric and the run take their phases by Argo's rules:
//   - a measurement: no conditions → Successful; failureCondition true → Failed; else
//     successCondition true → Successful; a successCondition alone that is false → Failed,
//     a failureCondition alone that is false → Successful; both false → Inconclusive.
//   - a metric: Failed when failed > failureLimit (default 0), Inconclusive when
//     inconclusive > inconclusiveLimit (default 0), Error when consecutive errors >
//     consecutiveErrorLimit (default 4) — the later rule wins when several hold — else
//     Successful once consecutiveSuccessLimit (Argo 1.8; default 0: off) measurements in a row
//     were Successful, else, once `count` measurements were taken (errors do not count: they
//     are retried after min(interval, 10 s)), Successful — or, with a consecutiveSuccessLimit
//     never reached, Inconclusive (failureLimit >= 0) or Failed (failureLimit -1); a metric
//     without `interval` measures once; with an interval and no count it runs until the run
//     is terminated (assessed Successful unless failureLimit was violated).
//   - the run: as soon as a metric (not in dryRun) is Failed, Error or Inconclusive the run
//     stops, its other metrics are assessed as terminated (Successful unless already worse),
//     and the run takes the worst phase (Successful < Inconclusive < Error < Failed);
//     otherwise it is Successful when every metric is.
// Measurement history is bounded per metric (`measurementRetention`, default 10 as Argo).
import type { Observability } from '@understudy/plugin-observability';
import type { Clock, TimerHandle } from '@understudy/plugin-sdk';
import type { AnalysisDeps, AnalysisPhase, AnalysisRun, AnalysisRunContext, AnalysisRunner, AnalysisRunView } from './contract.js';
import { parseDuration } from './duration.js';
import { ExpressionError, parseCondition, type Condition } from './expression.js';
import { measure, parseProvider, resolveProvider, type ProviderSpec, type QueryOutcome } from './metric-query.js';

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface Measurement {
  phase: MeasurementPhase;
  startedAt: number;
  finishedAt: number;
  /** The value in words (a number, or the judge's verdict and p-values), at most 256 characters. */
  value?: string;
  message?: string;
}

/** One metric of a run, as the view shows it. */
export interface MetricResultView {
  name: string;
  phase: AnalysisPhase;
  message?: string;
  dryRun: boolean;
  /** Measurements taken that were not errors (what `count` counts). */
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  consecutiveSuccess: number;
  /** The newest measurements, oldest first (at most `measurementRetention`). */
  measurements: Measurement[];
  /** Measurements dropped from the history (bounded). */
  droppedMeasurements: number;
  /** The newest measurement's full result (the judge's report, a WindowStats), when it is an object. */
  lastResult?: unknown;
  /** When the next measurement is due (kernel clock), while running. */
  nextMeasurementAt?: number;
}

export const ANALYSIS_DEFAULTS = {
  failureLimit: 0,
  /** Argo 1.8: 0 is off (failureLimit's 0 means "no failure allowed"). */
  consecutiveSuccessLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  measurementRetention: 10,
  /** Argo's DefaultErrorRetryInterval. */
  errorRetryMs: 10_000,
} as const;

const MAX_VALUE_CHARS = 256;
const MAX_RETENTION = 1000;

/** A metric as validated: durations in ms, conditions parsed. */
export interface MetricSpec {
  name: string;
  intervalMs?: number;
  /** Measurements to take; undefined: until terminated. */
  count?: number;
  initialDelayMs: number;
  successCondition?: Condition;
  failureCondition?: Condition;
  failureLimit: number;
  /** Successful measurements in a row that make the metric Successful (0: off). */
  consecutiveSuccessLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  provider: ProviderSpec;
  dryRun: boolean;
  retention: number;
}

export interface TemplateSpec {
  args: Array<{ name: string; value?: string }>;
  metrics: MetricSpec[];
}

const METRIC_FIELDS = ['name', 'interval', 'count', 'initialDelay', 'successCondition', 'failureCondition', 'failureLimit', 'consecutiveSuccessLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'provider'];
const TEMPLATE_FIELDS = ['args', 'metrics', 'dryRun', 'measurementRetention'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one template (Argo's AnalysisTemplate spec); every problem is pushed with its path. */
export function parseTemplate(raw: unknown, path: string, problems: string[]): TemplateSpec | undefined {
  const before = problems.length;
  if (!isObject(raw)) {
    problems.push(`${path}: must be an object with metrics: [...] (an Argo AnalysisTemplate spec)`);
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!TEMPLATE_FIELDS.includes(key)) problems.push(`${path}.${key}: unknown field (fields: ${TEMPLATE_FIELDS.join(', ')})`);
  const args: TemplateSpec['args'] = [];
  if (raw.args !== undefined) {
    if (!Array.isArray(raw.args)) problems.push(`${path}.args: must be a list of { name, value? }`);
    else
      raw.args.forEach((a, i) => {
        if (!isObject(a) || typeof a.name !== 'string' || a.name === '') problems.push(`${path}.args[${i}].name: must be a non-empty string`);
        else if (a.value !== undefined && typeof a.value !== 'string') problems.push(`${path}.args[${i}].value: must be a string`);
        else args.push({ name: a.name, ...(a.value === undefined ? {} : { value: a.value as string }) });
      });
  }
  // Argo: dryRun: [{ metricName }] ('*' for all); measurementRetention: [{ metricName, limit }]
  const dryRun = new Set<string>();
  if (raw.dryRun !== undefined) {
    if (!Array.isArray(raw.dryRun)) problems.push(`${path}.dryRun: must be a list of { metricName } ("*" for every metric)`);
    else
      raw.dryRun.forEach((d, i) => {
        if (!isObject(d) || typeof d.metricName !== 'string' || d.metricName === '') problems.push(`${path}.dryRun[${i}].metricName: must be a metric's name or "*"`);
        else dryRun.add(d.metricName);
      });
  }
  const retention = new Map<string, number>();
  if (raw.measurementRetention !== undefined) {
    if (!Array.isArray(raw.measurementRetention)) problems.push(`${path}.measurementRetention: must be a list of { metricName, limit }`);
    else
      raw.measurementRetention.forEach((d, i) => {
        if (!isObject(d) || typeof d.metricName !== 'string' || d.metricName === '') problems.push(`${path}.measurementRetention[${i}].metricName: must be a metric's name or "*"`);
        else if (typeof d.limit !== 'number' || !Number.isInteger(d.limit) || d.limit < 1 || d.limit > MAX_RETENTION) problems.push(`${path}.measurementRetention[${i}].limit: must be an integer from 1 to ${MAX_RETENTION}`);
        else retention.set(d.metricName, d.limit);
      });
  }
  const metrics: MetricSpec[] = [];
  if (!Array.isArray(raw.metrics) || raw.metrics.length === 0) problems.push(`${path}.metrics: must be a non-empty list of metrics`);
  else {
    const names = new Set<string>();
    raw.metrics.forEach((m, i) => {
      const at = `${path}.metrics[${i}]`;
      const spec = parseMetric(m, at, problems, dryRun, retention);
      if (!spec) return;
      if (names.has(spec.name)) problems.push(`${at}.name: "${spec.name}" is used by an earlier metric: names are unique within a template`);
      names.add(spec.name);
      metrics.push(spec);
    });
  }
  return problems.length > before ? undefined : { args, metrics };
}

function parseMetric(m: unknown, at: string, problems: string[], dryRun: Set<string>, retention: Map<string, number>): MetricSpec | undefined {
  const before = problems.length;
  if (!isObject(m)) {
    problems.push(`${at}: must be an object with name, provider and conditions`);
    return undefined;
  }
  for (const key of Object.keys(m)) if (!METRIC_FIELDS.includes(key)) problems.push(`${at}.${key}: unknown field (fields: ${METRIC_FIELDS.join(', ')})`);
  const name = typeof m.name === 'string' && m.name !== '' ? m.name : undefined;
  if (!name) problems.push(`${at}.name: must be a non-empty string`);
  const duration = (key: string, positive: boolean): number | undefined => {
    if (m[key] === undefined) return undefined;
    const ms = parseDuration(m[key]);
    if (ms === undefined || (positive && ms <= 0)) {
      problems.push(`${at}.${key}: must be a duration${positive ? ' above 0' : ''} ("30s", "5m", "1h", "500ms", or a number of seconds)`);
      return undefined;
    }
    return ms;
  };
  const intervalMs = duration('interval', true);
  const initialDelayMs = duration('initialDelay', false) ?? 0;
  const limit = (key: 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit'): number => {
    const v = m[key];
    if (v === undefined) return ANALYSIS_DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) {
      problems.push(`${at}.${key}: must be an integer >= 0 (-1: no limit)`);
      return ANALYSIS_DEFAULTS[key];
    }
    return v;
  };
  const failureLimit = limit('failureLimit');
  const inconclusiveLimit = limit('inconclusiveLimit');
  const consecutiveErrorLimit = limit('consecutiveErrorLimit');
  let consecutiveSuccessLimit: number = ANALYSIS_DEFAULTS.consecutiveSuccessLimit;
  if (m.consecutiveSuccessLimit !== undefined) {
    const v = m.consecutiveSuccessLimit;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.push(`${at}.consecutiveSuccessLimit: must be an integer >= 0 (0: off)`);
    else consecutiveSuccessLimit = v;
  }
  // Argo: one of the two decides, so they cannot both be off
  if (failureLimit === -1 && consecutiveSuccessLimit === 0) problems.push(`${at}.failureLimit: -1 (off) needs a consecutiveSuccessLimit above 0: without either nothing decides the metric (give failureLimit >= 0, or consecutiveSuccessLimit: N)`);
  let count: number | undefined;
  if (m.count !== undefined) {
    if (typeof m.count !== 'number' || !Number.isInteger(m.count) || m.count < 0) problems.push(`${at}.count: must be an integer >= 0 (0 or absent with an interval: until terminated)`);
    else count = m.count;
  }
  // Argo's Metric.EffectiveCount: no count (or 0) measures once without an interval, forever with one
  if (count === 0) count = undefined;
  if (count === undefined && m.interval === undefined) count = 1;
  if (count !== undefined && count > 1 && m.interval === undefined) problems.push(`${at}.interval: required when count > 1 (the time between measurements)`);
  if (count !== undefined && m.count !== undefined) {
    if (consecutiveSuccessLimit > 0 && failureLimit >= 0 && count < failureLimit + consecutiveSuccessLimit) {
      problems.push(`${at}.count: ${count} is below failureLimit + consecutiveSuccessLimit (${failureLimit} + ${consecutiveSuccessLimit}): raise count, or lower a limit (Argo)`);
    } else if (consecutiveSuccessLimit > count) problems.push(`${at}.consecutiveSuccessLimit: ${consecutiveSuccessLimit} is above count (${count}): the metric could never reach it`);
    else if (failureLimit > count) problems.push(`${at}.failureLimit: ${failureLimit} is above count (${count}): the metric could never fail`);
    if (inconclusiveLimit > count) problems.push(`${at}.inconclusiveLimit: ${inconclusiveLimit} is above count (${count}): the metric could never be inconclusive`);
  }
  const condition = (key: 'successCondition' | 'failureCondition'): Condition | undefined => {
    const v = m[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${at}.${key}: must be a string, e.g. "result < 0.01"`);
      return undefined;
    }
    try {
      return parseCondition(v);
    } catch (err) {
      problems.push(`${at}.${key}: ${(err as Error).message}`);
      return undefined;
    }
  };
  let successCondition = condition('successCondition');
  let failureCondition = condition('failureCondition');
  const provider = m.provider === undefined ? (problems.push(`${at}.provider: required, e.g. { kind: errorRate } or { kind: judge }`), undefined) : parseProvider(m.provider, `${at}.provider`, problems, intervalMs);
  if (problems.length > before) return undefined;
  // the judge's verdict is its own condition when the metric names none
  if (provider!.kind === 'judge' && !successCondition && !failureCondition) {
    successCondition = parseCondition('result.verdict == "Pass"');
    failureCondition = parseCondition('result.verdict == "Fail"');
  }
  return {
    name: name!,
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(count === undefined ? {} : { count }),
    initialDelayMs,
    ...(successCondition ? { successCondition } : {}),
    ...(failureCondition ? { failureCondition } : {}),
    failureLimit,
    consecutiveSuccessLimit,
    inconclusiveLimit,
    consecutiveErrorLimit,
    provider: provider!,
    dryRun: dryRun.has(name!) || dryRun.has('*'),
    retention: retention.get(name!) ?? retention.get('*') ?? ANALYSIS_DEFAULTS.measurementRetention,
  };
}

/** Argo's EvaluateResult: the phase of one value under the metric's conditions (throws ExpressionError). */
export function evaluateResult(metric: Pick<MetricSpec, 'successCondition' | 'failureCondition'>, result: unknown): 'Successful' | 'Failed' | 'Inconclusive' {
  const { successCondition: s, failureCondition: f } = metric;
  if (!s && !f) return 'Successful';
  const success = s ? s.test(result) : undefined;
  const failure = f ? f.test(result) : undefined;
  if (failure ?? !success) return 'Failed';
  if (success ?? !failure) return 'Successful';
  return 'Inconclusive';
}

const ORDER: AnalysisPhase[] = ['Pending', 'Running', 'Successful', 'Inconclusive', 'Error', 'Failed'];
/** Argo's IsWorse over completed phases. */
export const isWorse = (current: AnalysisPhase | undefined, next: AnalysisPhase) => ORDER.indexOf(next) > (current === undefined ? -1 : ORDER.indexOf(current));
export const isCompleted = (p: AnalysisPhase) => p === 'Successful' || p === 'Failed' || p === 'Inconclusive' || p === 'Error';

/** The counters Argo keeps per metric. */
export interface MetricCounters {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  /** Successful measurements in a row (reset by any other phase, errors included). */
  consecutiveSuccess: number;
  /** Measurements so far (errors included). */
  measured: number;
}

/** Argo's assessMetricStatus (with a last measurement always complete: measurements settle before assessment). */
export function assessMetric(
  metric: Pick<MetricSpec, 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'count'> & { consecutiveSuccessLimit?: number },
  c: MetricCounters,
  terminating: boolean,
): { phase: AnalysisPhase; message?: string } {
  if (c.measured === 0) return terminating ? { phase: 'Successful', message: 'terminated before its first measurement' } : { phase: 'Pending' };
  let verdict: { phase: AnalysisPhase; message: string } | undefined;
  if (metric.failureLimit >= 0 && c.failed > metric.failureLimit) verdict = { phase: 'Failed', message: `failed (${c.failed}) > failureLimit (${metric.failureLimit})` };
  if (metric.inconclusiveLimit >= 0 && c.inconclusive > metric.inconclusiveLimit) verdict = { phase: 'Inconclusive', message: `inconclusive (${c.inconclusive}) > inconclusiveLimit (${metric.inconclusiveLimit})` };
  if (metric.consecutiveErrorLimit >= 0 && c.consecutiveError > metric.consecutiveErrorLimit) {
    verdict = { phase: 'Error', message: `consecutiveErrors (${c.consecutiveError}) > consecutiveErrorLimit (${metric.consecutiveErrorLimit})` };
  }
  if (verdict) return verdict;
  const successLimit = metric.consecutiveSuccessLimit ?? 0;
  if (successLimit > 0 && (c.consecutiveSuccess ?? 0) >= successLimit) {
    return { phase: 'Successful', message: `consecutiveSuccess (${c.consecutiveSuccess}) reached consecutiveSuccessLimit (${successLimit}) after ${c.count} measurement(s)` };
  }
  if (successLimit > 0 && metric.count !== undefined && c.count >= metric.count) {
    // Argo: the count ran out before the successes in a row; failureLimit decides between the two
    if (metric.failureLimit >= 0) return { phase: 'Inconclusive', message: `${c.count} of ${metric.count} measurements taken: consecutiveSuccessLimit (${successLimit}) not reached and failureLimit (${metric.failureLimit}) not violated` };
    return { phase: 'Failed', message: `${c.count} of ${metric.count} measurements taken: consecutiveSuccessLimit (${successLimit}) not reached` };
  }
  if (metric.count !== undefined && c.count >= metric.count) return { phase: 'Successful', message: `${c.count} of ${metric.count} measurements taken (failed ${c.failed}, inconclusive ${c.inconclusive}, errors ${c.error})` };
  if (terminating) return { phase: 'Successful', message: `terminated after ${c.count} measurement(s) (failed ${c.failed}, inconclusive ${c.inconclusive}, errors ${c.error})` };
  return { phase: 'Running' };
}

class MetricState {
  readonly counters: MetricCounters = { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, consecutiveSuccess: 0, measured: 0 };
  phase: AnalysisPhase = 'Pending';
  message?: string;
  readonly measurements: Measurement[] = [];
  dropped = 0;
  lastResult?: unknown;
  timer?: TimerHandle;
  nextAt?: number;
  inFlight = false;

  constructor(
    readonly spec: MetricSpec,
    readonly provider: ProviderSpec,
  ) {}

  record(m: Measurement, result: unknown): void {
    const c = this.counters;
    c.measured++;
    c.consecutiveSuccess = m.phase === 'Successful' ? c.consecutiveSuccess + 1 : 0;
    if (m.phase === 'Error') {
      c.error++;
      c.consecutiveError++;
    } else {
      c.consecutiveError = 0;
      c.count++;
      if (m.phase === 'Successful') c.successful++;
      else if (m.phase === 'Failed') c.failed++;
      else c.inconclusive++;
    }
    this.measurements.push(m);
    while (this.measurements.length > this.spec.retention) {
      this.measurements.shift();
      this.dropped++;
    }
    if (result !== null && typeof result === 'object') this.lastResult = result;
  }

  view(): MetricResultView {
    const { measured: _measured, ...counters } = this.counters;
    return {
      name: this.spec.name,
      phase: this.phase,
      ...(this.message === undefined ? {} : { message: this.message }),
      dryRun: this.spec.dryRun,
      ...counters,
      measurements: this.measurements.map((m) => ({ ...m })),
      droppedMeasurements: this.dropped,
      ...(this.lastResult === undefined ? {} : { lastResult: this.lastResult }),
      ...(this.nextAt === undefined ? {} : { nextMeasurementAt: this.nextAt }),
    };
  }
}

const clip = (s: string) => (s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s);

class Run implements AnalysisRun {
  readonly name: string;
  private phase: AnalysisPhase = 'Running';
  private message?: string;
  private finishedAt?: number;
  private done = false;
  private terminated = false;
  private readonly metrics: MetricState[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly observability: () => Observability | undefined,
    private readonly templates: string[],
    private readonly context: AnalysisRunContext,
    private readonly onDone: (view: AnalysisRunView) => void,
    specs: Array<{ spec: MetricSpec; provider: ProviderSpec }>,
    startError: string | undefined,
  ) {
    this.name = context.name;
    if (startError !== undefined) {
      // Argo fails a run whose arguments cannot be resolved; reported from a timer, never inside start
      this.phase = 'Error';
      this.message = startError;
      this.clock.setTimeout(() => this.finish(), 0);
      return;
    }
    for (const { spec, provider } of specs) {
      const m = new MetricState(spec, provider);
      this.metrics.push(m);
      this.schedule(m, spec.initialDelayMs);
    }
  }

  private schedule(m: MetricState, delayMs: number): void {
    m.nextAt = this.clock.now() + delayMs;
    m.timer = this.clock.setTimeout(() => this.take(m), delayMs);
  }

  private take(m: MetricState): void {
    m.timer = undefined;
    m.nextAt = undefined;
    if (this.done || this.terminated) return;
    const startedAt = this.clock.now();
    m.inFlight = true;
    const outcome = measure(m.provider, this.observability());
    if (outcome instanceof Promise) void outcome.then((o) => this.settle(m, startedAt, o));
    else this.settle(m, startedAt, outcome);
  }

  private settle(m: MetricState, startedAt: number, outcome: QueryOutcome): void {
    m.inFlight = false;
    if (this.done || this.terminated) return;
    const finishedAt = this.clock.now();
    let measurement: Measurement;
    let result: unknown;
    if ('phase' in outcome) {
      measurement = { phase: outcome.phase, startedAt, finishedAt, message: clip(outcome.message) };
      if (outcome.summary !== undefined) measurement.value = clip(outcome.summary);
    } else {
      result = outcome.value;
      try {
        measurement = { phase: evaluateResult(m.spec, result), startedAt, finishedAt, value: clip(outcome.summary) };
      } catch (err) {
        const why = err instanceof ExpressionError ? err.message : String(err);
        measurement = { phase: 'Error', startedAt, finishedAt, value: clip(outcome.summary), message: clip(`evaluating the condition failed: ${why}`) };
      }
    }
    m.record(measurement, result);
    this.log(m, measurement);
    const assessed = assessMetric(m.spec, m.counters, false);
    m.phase = assessed.phase;
    if (assessed.message !== undefined) m.message = this.describe(m, assessed.message);
    if (!isCompleted(m.phase)) {
      const interval = m.spec.intervalMs;
      const delay = measurement.phase === 'Error' ? Math.min(interval ?? ANALYSIS_DEFAULTS.errorRetryMs, ANALYSIS_DEFAULTS.errorRetryMs) : interval!;
      this.schedule(m, delay);
    }
    this.assessRun();
  }

  /** The metric's assessment with its last value: `error-rate: failed (2) > failureLimit (1); last 0.31 (result < 0.05)`. */
  private describe(m: MetricState, what: string): string {
    const last = m.measurements[m.measurements.length - 1];
    const cond = m.spec.failureCondition?.source ?? m.spec.successCondition?.source;
    const detail = last ? `; last ${last.phase}${last.value === undefined ? '' : ` ${last.value}`}${last.message ? ` (${last.message})` : cond ? ` (${cond})` : ''}` : '';
    return `${m.spec.name}: ${what}${detail}`;
  }

  /** Argo's assessRunStatus: stop on the first decisive metric, else complete when every metric has. */
  private assessRun(): void {
    const decisive = this.metrics.some((m) => !m.spec.dryRun && (m.phase === 'Failed' || m.phase === 'Error' || m.phase === 'Inconclusive'));
    const everythingCompleted = this.metrics.every((m) => isCompleted(m.phase));
    if (!decisive && !everythingCompleted) return;
    if (decisive) {
      for (const m of this.metrics) {
        if (isCompleted(m.phase)) continue;
        this.stopTimer(m);
        const a = assessMetric(m.spec, m.counters, true);
        m.phase = a.phase;
        m.message = this.describe(m, a.message!);
      }
    }
    this.conclude();
    this.finish();
  }

  /** The run's phase: the worst of its metrics not in dryRun (Successful when all are dry runs). */
  private conclude(): void {
    let worst: MetricState | undefined;
    for (const m of this.metrics) if (!m.spec.dryRun && isCompleted(m.phase) && isWorse(worst?.phase, m.phase)) worst = m;
    this.phase = worst?.phase ?? 'Successful';
    const dry = this.metrics.filter((m) => m.spec.dryRun && (m.phase === 'Failed' || m.phase === 'Error' || m.phase === 'Inconclusive'));
    const parts: string[] = [];
    if (worst && worst.phase !== 'Successful') parts.push(worst.message!);
    else parts.push(this.metrics.length === 1 ? this.metrics[0]!.message ?? 'successful' : `every metric successful (${this.metrics.map((m) => m.spec.name).join(', ')})`);
    if (dry.length > 0) parts.push(`dry run, not counted: ${dry.map((m) => m.message).join('; ')}`);
    this.message = parts.join('; ');
  }

  private finish(): void {
    if (this.done || this.terminated) return;
    this.done = true;
    this.finishedAt = this.clock.now();
    for (const m of this.metrics) this.stopTimer(m);
    this.onDone(this.view());
  }

  private stopTimer(m: MetricState): void {
    if (m.timer !== undefined) this.clock.clearTimeout(m.timer);
    m.timer = undefined;
    m.nextAt = undefined;
  }

  private log(m: MetricState, measurement: Measurement): void {
    const o = this.observability();
    if (!o) return;
    const level = measurement.phase === 'Successful' ? 30 : 40;
    o.log({
      level,
      msg: `analysis ${this.name} metric ${m.spec.name}: ${measurement.phase}${measurement.value === undefined ? '' : ` (${measurement.value})`}${measurement.message ? ` — ${measurement.message}` : ''}`,
      service: this.context.service,
      workload: this.context.workload,
      analysisRun: this.name,
      metric: m.spec.name,
      phase: measurement.phase,
    });
  }

  terminate(): void {
    if (this.done || this.terminated) return;
    this.terminated = true;
    for (const m of this.metrics) {
      this.stopTimer(m);
      if (isCompleted(m.phase)) continue;
      const a = assessMetric(m.spec, m.counters, true);
      m.phase = a.phase;
      m.message = this.describe(m, a.message!);
    }
    // Argo: a terminated run is assessed as it stands (a background analysis that never failed is Successful)
    this.conclude();
    this.message = `terminated: ${this.message}`;
    this.finishedAt = this.clock.now();
  }

  view(): AnalysisRunView {
    return {
      name: this.name,
      kind: this.context.kind,
      templates: [...this.templates],
      phase: this.phase,
      ...(this.message === undefined ? {} : { message: this.message }),
      startedAt: this.context.startedAt,
      ...(this.finishedAt === undefined ? {} : { finishedAt: this.finishedAt }),
      metrics: this.metrics.map((m) => m.view()),
    };
  }
}

/** The analysis runner the deploy plugin uses (contract.ts's AnalysisRunner). */
export function createAnalysisRunner(deps: AnalysisDeps): AnalysisRunner {
  return {
    validate(template: unknown, path: string): string[] {
      const problems: string[] = [];
      parseTemplate(template, path, problems);
      return problems;
    },
    start(templates, context, onDone): AnalysisRun {
      const problems: string[] = [];
      const specs: Array<{ spec: MetricSpec; provider: ProviderSpec }> = [];
      const seen = new Set<string>();
      for (const { name, template } of templates) {
        const parsed = parseTemplate(template, name, problems);
        if (!parsed) continue;
        // Argo: the reference's args (context.args) win over a template's default values
        const args: Record<string, string> = {};
        for (const a of parsed.args) if (a.value !== undefined) args[a.name] = a.value;
        Object.assign(args, context.args);
        const missing: string[] = [];
        for (const a of parsed.args) if (!Object.hasOwn(args, a.name)) missing.push(a.name);
        for (const spec of parsed.metrics) {
          if (seen.has(spec.name)) problems.push(`${name}: metric "${spec.name}" is also in an earlier template of this analysis: metric names must be unique across the templates of one run`);
          seen.add(spec.name);
          specs.push({ spec, provider: resolveProvider(spec.provider, args, missing) });
        }
        if (missing.length > 0) problems.push(`${name}: no value for args ${[...new Set(missing)].join(', ')}: give them in the analysis reference (args: [{ name, value }]) or as a default in the template`);
      }
      if (templates.length === 0) problems.push('no templates: an analysis names at least one template (templates: [{ templateName }])');
      const startError = problems.length > 0 ? `the analysis could not start: ${problems.join('; ')}` : undefined;
      return new Run(
        deps.clock,
        deps.observability,
        templates.map((t) => t.name),
        context,
        onDone,
        specs,
        startError,
      );
    },
  };
}
