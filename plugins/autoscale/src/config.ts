// The autoscale plugin's config and the autoscaler spec. The plugin's knobs are checked by
// their TypeBox schema (the kernel reports a bad value with its path); each autoscaler spec
// is checked by hand here — the same rules for the config file and for
// PUT /__admin/autoscale/<workload> — so that every problem is reported with its full path
// (`plugins.autoscale.autoscalers.web.behavior.scaleDown.policies[0].periodSeconds: must be
// <= 1800`) and the defaults are Kubernetes' and KEDA's.
import { Type, type Static } from '@understudy/plugin-sdk';
import type { AutoscalerSpec, Behavior, HpaScalingPolicy, KedaSpec, MetricSpec, MetricTarget, ScalingRules, TriggerSpec } from './contract.js';
import { defaultRules } from './hpa.js';
import { predictiveSettings } from './predictive.js';

export const QueueSchema = Type.Object(
  {
    consumer: Type.Optional(Type.String({ minLength: 1, description: 'The workload whose Ready instances take messages off the queue.' })),
    ratePerInstance: Type.Number({ minimum: 0, default: 10, description: 'Messages/s one Ready instance of the consumer takes.' }),
    arrivalRps: Type.Number({ minimum: 0, default: 0, description: 'Messages/s arriving (change it with PUT /__admin/autoscale/queues/<name>).' }),
    length: Type.Number({ minimum: 0, default: 0, description: 'Messages waiting at start.' }),
  },
  { additionalProperties: false },
);

export const AutoscaleConfigSchema = Type.Object(
  {
    syncPeriodSeconds: Type.Number({ minimum: 1, default: 15, description: "Default HPA evaluation period (Kubernetes' --horizontal-pod-autoscaler-sync-period)." }),
    tolerance: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.1, description: "Default tolerance (Kubernetes' --horizontal-pod-autoscaler-tolerance)." }),
    autoscalers: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: 'Autoscaler specs by workload name (checked like PUT /__admin/autoscale/<workload>).' }),
    queues: Type.Record(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }), QueueSchema, { default: {}, description: 'Simulated queues for KEDA queue triggers.' }),
    followHealth: Type.Boolean({ default: true, description: "Default of each autoscaler's followHealth: answer health's requestReplicas." }),
    history: Type.Object(
      {
        count: Type.Integer({ minimum: 1, default: 2000, description: 'Evaluations kept per autoscaler.' }),
        bytes: Type.Integer({ minimum: 1024, default: 1_000_000, description: 'Estimated bytes kept per autoscaler.' }),
      },
      { additionalProperties: false, default: {} },
    ),
    usage: Type.Object(
      {
        sampleSeconds: Type.Number({ minimum: 1, default: 15, description: "Seconds between samples of each Ready instance's CPU and memory (right-sizing)." }),
        samples: Type.Integer({ minimum: 1, default: 2000, description: 'Samples kept per workload and resource (the oldest go first).' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type AutoscaleConfig = Static<typeof AutoscaleConfigSchema>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path && key ? `${path}.${key}` : path || key);

export interface SpecDefaults {
  syncPeriodSeconds: number;
  tolerance: number;
  followHealth: boolean;
  /** Queues a `queue` trigger may name. */
  queues: ReadonlySet<string>;
  /** Policy kinds known (hpa, keda, predictive and any registered). */
  policies: ReadonlySet<string>;
}

const TOP_KEYS = ['policy', 'enabled', 'minReplicas', 'maxReplicas', 'syncPeriodSeconds', 'tolerance', 'metrics', 'behavior', 'keda', 'predictive', 'followHealth'];
const RULE_KEYS = ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'];

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly prefix: string) {}
  add(path: string, problem: string): void {
    this.problems.push(`${join(this.prefix, path) || '(root)'}: ${problem}`);
  }
  known(o: Obj, keys: string[], path: string): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.add(join(path, k), `unknown property (one of ${keys.join(', ')})`);
  }
  /** A number check; true when present and valid. */
  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number; integer?: boolean; required?: boolean } = {}): boolean {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return false;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(p, 'must be a number');
    if (opts.integer && !Number.isInteger(v)) return this.fail(p, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) return this.fail(p, `must be >= ${opts.min}`);
    if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin) return this.fail(p, `must be > ${opts.exclusiveMin}`);
    if (opts.max !== undefined && v > opts.max) return this.fail(p, `must be <= ${opts.max}`);
    if (opts.exclusiveMax !== undefined && v >= opts.exclusiveMax) return this.fail(p, `must be < ${opts.exclusiveMax}`);
    return true;
  }
  private fail(path: string, problem: string): false {
    this.add(path, problem);
    return false;
  }
  oneOf(o: Obj, key: string, path: string, values: readonly string[], required = false): boolean {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(join(path, key), `is required (one of ${values.join(', ')})`);
      return false;
    }
    if (typeof v !== 'string' || !values.includes(v)) return this.fail(join(path, key), `must be one of ${values.join(', ')}`);
    return true;
  }
  bool(o: Obj, key: string, path: string): void {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') this.add(join(path, key), 'must be a boolean');
  }
  labels(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined) return;
    if (!isObj(v)) return this.add(join(path, key), 'must be an object of strings');
    for (const [k, s] of Object.entries(v)) if (typeof s !== 'string') this.add(join(join(path, key), k), 'must be a string');
  }
  target(v: unknown, path: string, allowed: readonly MetricTarget['type'][]): void {
    if (!isObj(v)) return this.add(path, 'is required: an object { type, averageUtilization | averageValue | value }');
    if (!this.oneOf(v, 'type', path, allowed, true)) return;
    const field = v.type === 'Utilization' ? 'averageUtilization' : v.type === 'AverageValue' ? 'averageValue' : 'value';
    this.known(v, ['type', field], path);
    this.num(v, field, path, { exclusiveMin: 0, required: true, ...(v.type === 'Utilization' && { integer: true }) });
  }
  metric(m: unknown, path: string): void {
    if (!isObj(m)) return this.add(path, 'must be an object { type: Resource | Pods | External, … }');
    if (!this.oneOf(m, 'type', path, ['Resource', 'Pods', 'External'], true)) return;
    const key = m.type === 'Resource' ? 'resource' : m.type === 'Pods' ? 'pods' : 'external';
    this.known(m, ['type', key], path);
    const body = m[key];
    const p = join(path, key);
    if (!isObj(body)) return this.add(p, 'is required: an object');
    if (m.type === 'Resource') {
      this.known(body, ['name', 'target'], p);
      this.oneOf(body, 'name', p, ['cpu', 'memory'], true);
      this.target(body.target, join(p, 'target'), ['Utilization', 'AverageValue']);
      return;
    }
    this.known(body, ['metric', 'target'], p);
    const metric = body.metric;
    if (!isObj(metric)) this.add(join(p, 'metric'), 'is required: an object { name }');
    else if (m.type === 'Pods') {
      this.known(metric, ['name'], join(p, 'metric'));
      this.oneOf(metric, 'name', join(p, 'metric'), ['requests_per_second', 'utilisation'], true);
    } else {
      this.known(metric, ['name', 'labels'], join(p, 'metric'));
      if (typeof metric.name !== 'string' || metric.name === '') this.add(join(join(p, 'metric'), 'name'), 'is required: an observability metric name (GET /__admin/observability/metrics/<name>)');
      this.labels(metric, 'labels', join(p, 'metric'));
    }
    this.target(body.target, join(p, 'target'), m.type === 'Pods' ? ['AverageValue'] : ['Value', 'AverageValue']);
  }
  rules(v: unknown, path: string): void {
    if (v === undefined) return;
    if (!isObj(v)) return this.add(path, 'must be an object');
    this.known(v, RULE_KEYS, path);
    this.num(v, 'stabilizationWindowSeconds', path, { min: 0, max: 3600, integer: true });
    this.oneOf(v, 'selectPolicy', path, ['Max', 'Min', 'Disabled']);
    this.num(v, 'tolerance', path, { min: 0, exclusiveMax: 1 });
    const policies = v.policies;
    if (policies === undefined) return;
    const pp = join(path, 'policies');
    if (!Array.isArray(policies)) return this.add(pp, 'must be an array of { type, value, periodSeconds }');
    // an empty list would make every rate limit −Infinity (hpa.ts scaleUpLimit): only Disabled needs none
    if (policies.length === 0 && v.selectPolicy !== 'Disabled') this.add(pp, 'must specify at least one policy (or leave policies out for the defaults, or set selectPolicy: Disabled)');
    policies.forEach((policy, i) => {
      const p = `${pp}[${i}]`;
      if (!isObj(policy)) return this.add(p, 'must be an object { type, value, periodSeconds }');
      this.known(policy, ['type', 'value', 'periodSeconds'], p);
      this.oneOf(policy, 'type', p, ['Pods', 'Percent'], true);
      this.num(policy, 'value', p, { exclusiveMin: 0, integer: true, required: true });
      this.num(policy, 'periodSeconds', p, { exclusiveMin: 0, max: 1800, integer: true, required: true });
    });
  }
  trigger(t: unknown, path: string, queues: ReadonlySet<string>): void {
    if (!isObj(t)) return this.add(path, 'must be an object { type: queue | rate | metric, threshold, … }');
    if (!this.oneOf(t, 'type', path, ['queue', 'rate', 'metric'], true)) return;
    const common = ['type', 'threshold', 'activationThreshold'];
    if (t.type === 'queue') {
      this.known(t, [...common, 'queue'], path);
      if (typeof t.queue !== 'string' || t.queue === '') this.add(join(path, 'queue'), `is required: a queue of plugins.autoscale.queues (${[...queues].join(', ') || 'none declared'})`);
      else if (!queues.has(t.queue)) this.add(join(path, 'queue'), `no queue "${t.queue}" (queues: ${[...queues].join(', ') || 'none declared'}; declare it under plugins.autoscale.queues)`);
    } else if (t.type === 'rate') this.known(t, common, path);
    else {
      this.known(t, [...common, 'metric', 'metricType'], path);
      const metric = t.metric;
      if (!isObj(metric) || typeof metric.name !== 'string' || metric.name === '') this.add(join(path, 'metric'), 'is required: { name, labels? } of an observability metric');
      else {
        this.known(metric, ['name', 'labels'], join(path, 'metric'));
        this.labels(metric, 'labels', join(path, 'metric'));
      }
      this.oneOf(t, 'metricType', path, ['AverageValue', 'Value']);
    }
    this.num(t, 'threshold', path, { exclusiveMin: 0, required: true });
    this.num(t, 'activationThreshold', path, { min: 0 });
  }
  keda(v: Obj, path: string, queues: ReadonlySet<string>): void {
    this.known(v, ['pollingInterval', 'cooldownPeriod', 'minReplicaCount', 'maxReplicaCount', 'idleReplicaCount', 'triggers'], path);
    this.num(v, 'pollingInterval', path, { min: 1 });
    this.num(v, 'cooldownPeriod', path, { min: 0 });
    const min = this.num(v, 'minReplicaCount', path, { min: 0, integer: true }) ? (v.minReplicaCount as number) : 0;
    if (this.num(v, 'maxReplicaCount', path, { min: 1, integer: true }) && (v.maxReplicaCount as number) < min) this.add(join(path, 'maxReplicaCount'), `must be >= minReplicaCount (${min})`);
    if (this.num(v, 'idleReplicaCount', path, { min: 0, integer: true }) && (v.idleReplicaCount as number) >= min) {
      this.add(join(path, 'idleReplicaCount'), `must be < minReplicaCount (${min}), as KEDA requires`);
    }
    const triggers = v.triggers;
    const tp = join(path, 'triggers');
    if (!Array.isArray(triggers) || triggers.length === 0) return this.add(tp, 'is required: at least one trigger { type: queue | rate | metric, threshold, … }');
    triggers.forEach((t, i) => this.trigger(t, `${tp}[${i}]`, queues));
  }
}

/**
 * Every problem of an autoscaler spec, each `path: problem` below `prefix`. The spec is
 * whole (not merged over a previous one): what is left out takes its default.
 */
export function specProblems(value: unknown, defaults: SpecDefaults, prefix = ''): string[] {
  const c = new Checker(prefix);
  if (!isObj(value)) {
    c.add('', 'must be an object (an autoscaler spec: { minReplicas, maxReplicas, metrics, behavior } or { policy: keda, keda: { triggers } })');
    return c.problems;
  }
  c.known(value, TOP_KEYS, '');
  const kinds = [...defaults.policies];
  c.oneOf(value, 'policy', '', kinds);
  const policy = policyOf(value);
  c.bool(value, 'enabled', '');
  c.bool(value, 'followHealth', '');
  c.num(value, 'syncPeriodSeconds', '', { min: 1 });
  c.num(value, 'tolerance', '', { min: 0, exclusiveMax: 1 });
  if (policy === 'keda') {
    for (const k of ['minReplicas', 'maxReplicas']) if (value[k] !== undefined) c.add(k, `not used by policy keda: set keda.${k === 'minReplicas' ? 'minReplicaCount' : 'maxReplicaCount'}`);
  } else {
    const min = c.num(value, 'minReplicas', '', { min: 1, integer: true }) ? (value.minReplicas as number) : 1;
    if (c.num(value, 'maxReplicas', '', { min: 1, integer: true }) && (value.maxReplicas as number) < min) c.add('maxReplicas', `must be >= minReplicas (${min})`);
  }
  const metrics = value.metrics;
  if (metrics !== undefined) {
    if (!Array.isArray(metrics)) c.add('metrics', 'must be an array of metric specs');
    else metrics.forEach((m, i) => c.metric(m, `metrics[${i}]`));
  }
  const behavior = value.behavior;
  if (behavior !== undefined) {
    if (!isObj(behavior)) c.add('behavior', 'must be an object { scaleUp?, scaleDown? }');
    else {
      c.known(behavior, ['scaleUp', 'scaleDown'], 'behavior');
      c.rules(behavior.scaleUp, 'behavior.scaleUp');
      c.rules(behavior.scaleDown, 'behavior.scaleDown');
    }
  }
  const keda = value.keda;
  if (policy === 'keda') {
    if (!isObj(keda)) c.add('keda', 'is required for policy keda: { triggers, pollingInterval?, cooldownPeriod?, minReplicaCount?, maxReplicaCount? }');
    else c.keda(keda, 'keda', defaults.queues);
  } else if (keda !== undefined) c.add('keda', `only used by policy keda (this autoscaler's policy is ${policy})`);
  if (value.predictive !== undefined) {
    if (!isObj(value.predictive)) c.add('predictive', 'must be an object of the predictive settings');
    else if (policy === 'predictive') c.problems.push(...predictiveSettings(value.predictive, join(prefix, 'predictive')).problems);
  }
  return c.problems;
}

/** The policy a spec names: `policy`, else keda when it has `keda`, else hpa. */
function policyOf(value: Obj): string {
  if (typeof value.policy === 'string') return value.policy;
  return value.keda !== undefined ? 'keda' : 'hpa';
}

function rules(direction: 'scaleUp' | 'scaleDown', raw: unknown, tolerance: number): ScalingRules {
  const base = defaultRules(direction, tolerance);
  const r = (raw ?? {}) as Partial<ScalingRules>;
  return {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? base.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy ?? base.selectPolicy,
    policies: r.policies ? r.policies.map((p: HpaScalingPolicy) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })) : base.policies,
    tolerance: r.tolerance ?? tolerance,
  };
}

/** Kubernetes' default metric: 80 % average CPU utilisation. */
export const DEFAULT_METRICS: MetricSpec[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];

/** A valid spec (specProblems found nothing) with every default applied. */
export function normalizeSpec(workload: string, value: Obj, defaults: SpecDefaults): AutoscalerSpec {
  const policy = policyOf(value) as AutoscalerSpec['policy'];
  const tolerance = (value.tolerance as number | undefined) ?? defaults.tolerance;
  const b = (value.behavior ?? {}) as Obj;
  const behavior: Behavior = { scaleUp: rules('scaleUp', b.scaleUp, tolerance), scaleDown: rules('scaleDown', b.scaleDown, tolerance) };
  let keda: KedaSpec | undefined;
  let minReplicas = (value.minReplicas as number | undefined) ?? 1;
  let maxReplicas = (value.maxReplicas as number | undefined) ?? 10;
  if (policy === 'keda') {
    const k = value.keda as Obj;
    keda = {
      pollingInterval: (k.pollingInterval as number | undefined) ?? 30,
      cooldownPeriod: (k.cooldownPeriod as number | undefined) ?? 300,
      minReplicaCount: (k.minReplicaCount as number | undefined) ?? 0,
      maxReplicaCount: (k.maxReplicaCount as number | undefined) ?? 100,
      ...(k.idleReplicaCount !== undefined && { idleReplicaCount: k.idleReplicaCount as number }),
      triggers: (k.triggers as Obj[]).map(trigger),
    };
    minReplicas = keda.minReplicaCount;
    maxReplicas = keda.maxReplicaCount;
  }
  return {
    workload,
    policy,
    enabled: (value.enabled as boolean | undefined) ?? true,
    minReplicas,
    maxReplicas,
    syncPeriodSeconds: (value.syncPeriodSeconds as number | undefined) ?? defaults.syncPeriodSeconds,
    tolerance,
    metrics: value.metrics !== undefined ? structuredClone(value.metrics as MetricSpec[]) : policy === 'hpa' ? structuredClone(DEFAULT_METRICS) : [],
    behavior,
    ...(keda && { keda }),
    ...(value.predictive !== undefined && { predictive: structuredClone(value.predictive as Record<string, unknown>) }),
    followHealth: (value.followHealth as boolean | undefined) ?? defaults.followHealth,
  };
}

function trigger(t: Obj): TriggerSpec {
  const activationThreshold = (t.activationThreshold as number | undefined) ?? 0;
  const threshold = t.threshold as number;
  if (t.type === 'queue') return { type: 'queue', queue: t.queue as string, threshold, activationThreshold };
  if (t.type === 'rate') return { type: 'rate', threshold, activationThreshold };
  const m = t.metric as { name: string; labels?: Record<string, string> };
  return { type: 'metric', metric: { name: m.name, ...(m.labels && { labels: { ...m.labels } }) }, metricType: (t.metricType as 'AverageValue' | 'Value' | undefined) ?? 'AverageValue', threshold, activationThreshold };
}
