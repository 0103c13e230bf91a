// Metric providers of the analysis: what one measurement of a metric asks the observability
// plugin, for a service and a version over a window. A provider is `provider: { kind, … }`:
//   errorRate    errors / requests of the window (5xx, faults; real and simulated load)
//   latency      a percentile (default 99) of the window's latency histogram, in ms
//   requestRate  requests per second over the window
//   window       observability's whole WindowStats (result.errorRate, result.p99Ms, …)
//   metric       any metric by name, summed over the series matching `labels` (`metric()`)
//   judge        the baseline-vs-canary judge on the two versions' windows (judge.ts), over
//                real exchanges only unless `simulated: true` (the load model's requests carry
//                the service's blended latency, the same for every version)
// String fields may name the run's args as `{{args.<name>}}` (Argo); service defaults to
// the rollout's service, version to the canary's, judge's baseline to the stable version.
import type { Observability, WindowStats } from '@understudy/plugin-observability';
import { parseDuration } from './duration.js';
import { JUDGE_DEFAULTS, histogramQuantile, judge, judgeOptionsProblems, type JudgeOptions } from './judge.js';

export const PROVIDER_KINDS = ['errorRate', 'latency', 'requestRate', 'window', 'metric', 'judge'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** What a window with too few requests gives: an Inconclusive measurement (default), NaN as the result (Argo's Prometheus), or an Error. */
export type NoData = 'inconclusive' | 'nan' | 'error';

/** A provider as validated (durations in ms, defaults applied except the args-dependent ones). */
export interface ProviderSpec {
  kind: ProviderKind;
  service: string;
  /** A version, or `*` for every version of the service. */
  version: string;
  windowMs: number;
  endpoint?: string;
  /** Count the load model's simulated requests (default true; the judge: false, real exchanges only). */
  simulated: boolean;
  percentile: number;
  minRequests: number;
  noData: NoData;
  /** metric */
  name?: string;
  labels?: Record<string, string>;
  /** judge */
  baseline: string;
  canary: string;
  judge: JudgeOptions;
}

/** One measurement's answer: a value for the conditions, or a phase of its own (no data, an error). */
export type QueryOutcome = { value: unknown; summary: string } | { phase: 'Inconclusive' | 'Error'; message: string; value?: unknown; summary?: string };

export const DEFAULT_WINDOW_MS = 60_000;
const COMMON = ['kind', 'service', 'version', 'window', 'endpoint', 'simulated', 'minRequests', 'noData'];
const FIELDS: Record<ProviderKind, string[]> = {
  errorRate: COMMON,
  latency: [...COMMON, 'percentile'],
  requestRate: COMMON,
  window: COMMON,
  metric: ['kind', 'name', 'labels'],
  judge: ['kind', 'service', 'baseline', 'canary', 'window', 'endpoint', 'simulated', ...Object.keys(JUDGE_DEFAULTS)],
};

/** Validates a provider; `problems` gets each with its path. `defaultWindowMs`: the metric's interval, when it has one. */
export function parseProvider(raw: unknown, path: string, problems: string[], defaultWindowMs = DEFAULT_WINDOW_MS): ProviderSpec | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${path}: must be an object with a kind (one of ${PROVIDER_KINDS.join(', ')})`);
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  const kind = o.kind as ProviderKind;
  if (!PROVIDER_KINDS.includes(kind)) {
    problems.push(`${path}.kind: must be one of ${PROVIDER_KINDS.join(', ')}${o.kind === undefined ? '' : ` (got ${JSON.stringify(o.kind)})`}`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(o)) if (!FIELDS[kind].includes(key)) problems.push(`${path}.${key}: unknown field for kind ${kind} (fields: ${FIELDS[kind].join(', ')})`);
  const str = (key: string, fallback: string): string => {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || v === '') {
      problems.push(`${path}.${key}: must be a non-empty string`);
      return fallback;
    }
    return v;
  };
  let windowMs = defaultWindowMs;
  if (o.window !== undefined) {
    const ms = parseDuration(o.window);
    if (ms === undefined || ms <= 0) problems.push(`${path}.window: must be a duration above 0 ("30s", "5m", or seconds)`);
    else windowMs = ms;
  }
  let percentile = 99;
  if (o.percentile !== undefined && kind === 'latency') {
    if (typeof o.percentile !== 'number' || !(o.percentile > 0 && o.percentile < 100)) problems.push(`${path}.percentile: must be a number between 0 and 100 (exclusive), e.g. 50, 95, 99`);
    else percentile = o.percentile;
  }
  let minRequests = 1;
  if (o.minRequests !== undefined) {
    if (typeof o.minRequests !== 'number' || !(o.minRequests >= 0)) problems.push(`${path}.minRequests: must be a number >= 0`);
    else minRequests = o.minRequests;
  }
  let noData: NoData = 'inconclusive';
  if (o.noData !== undefined) {
    if (o.noData !== 'inconclusive' && o.noData !== 'nan' && o.noData !== 'error') problems.push(`${path}.noData: must be one of inconclusive, nan, error`);
    else noData = o.noData;
  }
  let simulated = kind !== 'judge';
  if (o.simulated !== undefined) {
    if (typeof o.simulated !== 'boolean') problems.push(`${path}.simulated: must be boolean`);
    else simulated = o.simulated;
  }
  let labels: Record<string, string> | undefined;
  if (o.labels !== undefined) {
    if (typeof o.labels !== 'object' || o.labels === null || Array.isArray(o.labels) || !Object.values(o.labels).every((v) => typeof v === 'string')) {
      problems.push(`${path}.labels: must be an object of label name → string value`);
    } else labels = o.labels as Record<string, string>;
  }
  if (kind === 'metric' && (typeof o.name !== 'string' || o.name === '')) problems.push(`${path}.name: the metric's name is required (e.g. understudy_requests_total)`);
  const judgeOptions: Record<string, unknown> = {};
  if (kind === 'judge') {
    for (const key of Object.keys(JUDGE_DEFAULTS)) if (o[key] !== undefined) judgeOptions[key] = o[key];
    problems.push(...judgeOptionsProblems(judgeOptions, path));
  }
  const service = str('service', '{{args.service}}');
  const version = str('version', '{{args.canary-version}}');
  const endpoint = o.endpoint === undefined ? undefined : str('endpoint', '');
  const baseline = str('baseline', '{{args.stable-version}}');
  const canary = str('canary', '{{args.canary-version}}');
  if (problems.length > before) return undefined;
  return {
    kind,
    service,
    version,
    windowMs,
    ...(endpoint === undefined ? {} : { endpoint }),
    simulated,
    percentile,
    minRequests,
    noData,
    ...(kind === 'metric' ? { name: o.name as string } : {}),
    ...(labels ? { labels } : {}),
    baseline,
    canary,
    judge: judgeOptions as JudgeOptions,
  };
}

/** `{{args.x}}` replaced from `args`; the names it could not find are pushed to `missing`. */
export function interpolate(text: string, args: Readonly<Record<string, string>>, missing: string[]): string {
  return text.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => {
    if (Object.hasOwn(args, name)) return args[name]!;
    missing.push(name);
    return whole;
  });
}

/** The provider with every string field's args substituted; `missing` lists the args no one gave. */
export function resolveProvider(spec: ProviderSpec, args: Readonly<Record<string, string>>, missing: string[]): ProviderSpec {
  const s = (t: string) => interpolate(t, args, missing);
  return {
    ...spec,
    service: s(spec.service),
    version: s(spec.version),
    ...(spec.endpoint === undefined ? {} : { endpoint: s(spec.endpoint) }),
    ...(spec.name === undefined ? {} : { name: s(spec.name) }),
    ...(spec.labels ? { labels: Object.fromEntries(Object.entries(spec.labels).map(([k, v]) => [k, s(v)])) } : {}),
    ...(spec.kind === 'judge' ? { baseline: s(spec.baseline), canary: s(spec.canary) } : {}),
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : Number.isFinite(n) ? String(Number(n.toPrecision(4))) : String(n));
const seconds = (ms: number) => `${fmt(ms / 1000)} s`;

function windowOf(o: Observability, spec: ProviderSpec, version: string): WindowStats {
  const options: { version?: string; endpoint?: string; simulated?: boolean } = {};
  if (version !== '*') options.version = version;
  if (spec.endpoint !== undefined) options.endpoint = spec.endpoint;
  if (!spec.simulated) options.simulated = false;
  return o.window(spec.service, spec.windowMs, options);
}

function noData(spec: ProviderSpec, w: WindowStats, label: string): QueryOutcome | undefined {
  if (w.requests >= spec.minRequests && w.requests > 0) return undefined;
  const message = `${fmt(w.requests)} requests to ${label} in the last ${seconds(spec.windowMs)} (fewer than minRequests ${fmt(spec.minRequests)}): no data to judge`;
  if (spec.noData === 'nan') return { value: Number.NaN, summary: 'NaN' };
  return { phase: spec.noData === 'error' ? 'Error' : 'Inconclusive', message };
}

/**
 * Takes one measurement. Synchronous for the window-based kinds, a promise for `metric`
 * (observability's registry is read asynchronously). Never throws: a failure is an Error outcome.
 */
export function measure(spec: ProviderSpec, observability: Observability | undefined): QueryOutcome | Promise<QueryOutcome> {
  if (!observability) return { phase: 'Error', message: 'the observability plugin is not loaded: add `observability: {}` under plugins (analysis reads its windows and metrics)' };
  try {
    const label = `${spec.service}${spec.version === '*' ? '' : ` version ${spec.version}`}`;
    switch (spec.kind) {
      case 'metric': {
        const labels = spec.labels ?? {};
        return observability.metric(spec.name!, labels).then(
          (v): QueryOutcome =>
            v === undefined
              ? { phase: 'Error', message: `no metric named ${spec.name}${Object.keys(labels).length ? ` with labels ${JSON.stringify(labels)}` : ''}: see GET /metrics for the names` }
              : { value: v, summary: fmt(v) },
          (err: unknown): QueryOutcome => ({ phase: 'Error', message: `reading metric ${spec.name} failed: ${(err as Error)?.message ?? String(err)}` }),
        );
      }
      case 'judge': {
        const base = windowOf(observability, spec, spec.baseline);
        const can = windowOf(observability, spec, spec.canary);
        const report = judge({ requests: base.requests, errors: base.errors, histogram: base.histogram }, { requests: can.requests, errors: can.errors, histogram: can.histogram }, spec.judge);
        const parts: string[] = [report.verdict];
        if (report.latency) parts.push(`latency p=${report.latency.pGreater.toPrecision(3)} delta=${report.latency.cliffsDelta.toFixed(3)}`);
        if (report.errors) parts.push(`errors p=${report.errors.pGreater.toPrecision(3)} ${(report.errors.rate2 * 100).toFixed(2)}% vs ${(report.errors.rate1 * 100).toFixed(2)}%`);
        return { value: report, summary: parts.join('; ') };
      }
      default: {
        const w = windowOf(observability, spec, spec.version);
        if (spec.kind === 'window') return { value: w, summary: `${fmt(w.requests)} requests, errorRate ${fmt(w.errorRate)}, p99 ${fmt(w.p99Ms)} ms` };
        const none = noData(spec, w, label);
        if (none) return none;
        if (spec.kind === 'errorRate') return { value: w.errorRate, summary: fmt(w.errorRate) };
        if (spec.kind === 'requestRate') {
          const rate = w.requests / (spec.windowMs / 1000);
          return { value: rate, summary: fmt(rate) };
        }
        const ms = histogramQuantile(w.histogram, spec.percentile / 100);
        return { value: ms, summary: fmt(ms) };
      }
    }
  } catch (err) {
    return { phase: 'Error', message: `querying observability failed: ${(err as Error)?.message ?? String(err)}` };
  }
}
