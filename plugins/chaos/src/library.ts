// Ready-to-run experiments for an operations world: zone outage, dependency failure, bad
// deploy, traffic spike. Each is a template with parameters that makes an ordinary
// experiment (so its journal and report are the usual ones), and each verifies that the
// system recovered: every service `healthy` (the health plugin) within T after the method,
// optionally with an error-rate and p99 SLO on one service (observability).
import type { ExperimentSpec, ProbeSpec } from './specs.js';

export interface TemplateParam {
  name: string;
  type: 'string' | 'number' | 'object';
  required?: boolean;
  default?: unknown;
  description: string;
}

export interface ExperimentTemplate {
  name: string;
  title: string;
  description: string;
  params: TemplateParam[];
  build(params: Record<string, any>): Omit<ExperimentSpec, 'id'>;
}

const COMMON: TemplateParam[] = [
  { name: 'withinMs', type: 'number', default: 120_000, description: 'the hypothesis must hold again within this many ms after the method ("tolerance met within T")' },
  { name: 'pollMs', type: 'number', default: 1000, description: 'how often the hypothesis is checked while waiting' },
  { name: 'sloService', type: 'string', description: 'also require this service’s error rate and p99 within its SLO after the method (observability plugin)' },
  { name: 'maxErrorRate', type: 'number', default: 0.01, description: 'the highest error rate of `sloService` over the last `sloWindowMs` (0..1)' },
  { name: 'maxP99Ms', type: 'number', description: 'the highest p99 latency of `sloService` in ms (not checked when absent)' },
  { name: 'sloWindowMs', type: 'number', default: 10_000, description: 'the window of the error-rate and p99 probes' },
];

/** Every service healthy (and the optional SLO of one service), within T after the method. */
function recovered(p: Record<string, any>): NonNullable<ExperimentSpec['steady-state-hypothesis']> {
  const probes: ProbeSpec[] = [{ type: 'probe', name: 'all-services-healthy', provider: { type: 'health', func: 'status' }, tolerance: 'healthy' }];
  if (p.sloService) {
    const args = { service: p.sloService, windowMs: p.sloWindowMs };
    probes.push({ type: 'probe', name: `${p.sloService}-error-rate`, provider: { type: 'observability', func: 'error-rate', arguments: args }, tolerance: { type: 'condition', operator: '<=', value: p.maxErrorRate } });
    if (p.maxP99Ms !== undefined) probes.push({ type: 'probe', name: `${p.sloService}-p99`, provider: { type: 'observability', func: 'p99-latency', arguments: args }, tolerance: { type: 'condition', operator: '<=', value: p.maxP99Ms } });
  }
  return { title: p.sloService ? `every service is healthy and ${p.sloService} is within its SLO` : 'every service is healthy', probes, withinMs: p.withinMs, pollMs: p.pollMs };
}

type RecoveryTemplate = Omit<ExperimentTemplate, 'build'> & { build(p: Record<string, any>): Omit<ExperimentSpec, 'id' | 'steady-state-hypothesis'> };

/** A library template: its own parameters then COMMON's, and `recovered` as the hypothesis of every experiment it builds. */
function recovery(t: RecoveryTemplate): ExperimentTemplate {
  return {
    ...t,
    params: [...t.params, ...COMMON],
    build: (p) => {
      const { title, description, ...rest } = t.build(p);
      return { title, description, 'steady-state-hypothesis': recovered(p), ...rest };
    },
  };
}

export const LIBRARY: readonly ExperimentTemplate[] = [
  recovery({
    name: 'zone-outage',
    title: 'Zone outage',
    description: 'Fail every node of a zone for a while, bring it back, and verify that every service is healthy again within T.',
    params: [
      { name: 'zone', type: 'string', required: true, description: 'the zone to take out (a node `zone`)' },
      { name: 'outageMs', type: 'number', default: 30_000, description: 'how long the zone stays down' },
    ],
    build: (p) => ({
      title: `Zone ${p.zone} outage: the system recovers within ${p.withinMs} ms`,
      description: `Every node of ${p.zone} fails for ${p.outageMs} ms; its instances are lost and must be replaced elsewhere.`,
      method: [
        { type: 'action', name: 'fail-zone', provider: { type: 'cluster', func: 'fail-zone', arguments: { zone: p.zone } } },
        { type: 'pause', name: 'zone-down', durationMs: p.outageMs },
        { type: 'action', name: 'recover-zone', provider: { type: 'cluster', func: 'recover-zone', arguments: { zone: p.zone } } },
      ],
      rollbacks: [{ type: 'action', name: 'recover-cluster', provider: { type: 'cluster', func: 'recover' } }],
    }),
  }),
  recovery({
    name: 'dependency-failure',
    title: 'Dependency failure',
    description: 'Kill a share (default all) of a dependency’s instances and verify that it and its dependents are healthy again within T.',
    params: [
      { name: 'workload', type: 'string', required: true, description: 'the dependency’s workload' },
      { name: 'percentage', type: 'number', default: 100, description: 'share of its Ready instances to kill (at least one)' },
    ],
    build: (p) => ({
      title: `${p.workload} fails: the system recovers within ${p.withinMs} ms`,
      description: `${p.percentage}% of ${p.workload}'s Ready instances are killed at once.`,
      method: [{ type: 'action', name: 'kill-dependency', provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: p.workload, percentage: p.percentage } } }],
      rollbacks: [],
    }),
  }),
  recovery({
    name: 'bad-deploy',
    title: 'Bad deploy',
    description: 'Roll out a version that misbehaves (by default it crashes on start) through the deploy plugin; the rollout must be refused or rolled back, and every service healthy within T. Rolls back itself only when the hypothesis deviated.',
    params: [
      { name: 'workload', type: 'string', required: true, description: 'the workload to deploy to' },
      { name: 'version', type: 'string', default: '0.0.0-bad', description: 'the bad version' },
      { name: 'behaviour', type: 'object', default: { crashOnStart: true }, description: 'how the bad version behaves (the cluster’s AppBehaviour: crashOnStart, needsDependenciesAtStart, errorRate, latencyFactor, leakMiBPerHour, livenessChecksDependencies)' },
      { name: 'observeMs', type: 'number', default: 60_000, description: 'how long to watch the rollout before checking' },
    ],
    build: (p) => ({
      title: `A bad ${p.workload} ${p.version} is rolled back: the system recovers within ${p.withinMs} ms`,
      description: `Deploy ${p.workload} ${p.version} behaving ${JSON.stringify(p.behaviour)}.`,
      method: [
        { type: 'action', name: 'deploy-bad-version', provider: { type: 'deploy', func: 'deploy-version', arguments: { workload: p.workload, version: p.version, template: { versions: { [p.version]: p.behaviour } } } } },
        { type: 'pause', name: 'observe-rollout', durationMs: p.observeMs },
      ],
      rollbacks: [{ type: 'action', name: 'roll-back', provider: { type: 'deploy', func: 'rollback', arguments: { workload: p.workload } } }],
      runtime: { rollbacks: { strategy: 'deviated' } },
    }),
  }),
  recovery({
    name: 'traffic-spike',
    title: 'Traffic spike',
    description: 'Multiply the traffic into a service for a while (the traffic plugin) and verify that every service is healthy again within T after it.',
    params: [
      { name: 'service', type: 'string', required: true, description: 'the entry service the spike arrives at' },
      { name: 'factor', type: 'number', default: 3, description: 'the spike multiplies the traffic reaching the service now by this (≥ 1)' },
      { name: 'rps', type: 'number', description: 'instead of `factor`: extra requests/s (for a service no traffic reaches yet)' },
      { name: 'spikeMs', type: 'number', default: 120_000, description: 'how long the spike lasts' },
    ],
    build: (p) => ({
      title: `${p.rps !== undefined ? `${p.rps} extra requests/s` : `${p.factor}× traffic`} into ${p.service}: the system recovers within ${p.withinMs} ms`,
      description: `The spike lasts ${p.spikeMs} ms; then the traffic is what it was.`,
      method: [
        { type: 'action', name: 'spike', provider: { type: 'traffic', func: 'spike', arguments: { service: p.service, ...(p.rps !== undefined ? { rps: p.rps } : { factor: p.factor }), durationMs: p.spikeMs } } },
        { type: 'pause', name: 'spike-lasts', durationMs: p.spikeMs },
      ],
      rollbacks: [{ type: 'action', name: 'end-spike', provider: { type: 'traffic', func: 'end-spikes' } }],
    }),
  }),
];

/** Check a template's parameters (every problem with its path `params.<name>`) and fill in the defaults. */
export function resolveParams(t: ExperimentTemplate, given: unknown): { params: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const params: Record<string, unknown> = {};
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) return { params, problems: ['params: must be object'] };
  const g = (given ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(g)) if (!t.params.some((p) => p.name === k)) problems.push(`params.${k}: unknown parameter of ${t.name} (it takes ${t.params.map((p) => p.name).join(', ')})`);
  for (const p of t.params) {
    const v = g[p.name] ?? p.default;
    if (v === undefined) {
      if (p.required) problems.push(`params.${p.name}: is required (${p.description})`);
      continue;
    }
    const ok = p.type === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : p.type === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0 : typeof v === 'string' && v !== '';
    if (!ok) problems.push(`params.${p.name}: must be ${p.type === 'number' ? 'a number >= 0' : p.type === 'string' ? 'a non-empty string' : 'an object'}`);
    else params[p.name] = v;
  }
  return { params, problems };
}

/**
 * The experiment a template makes from `{ id?, params }` (and, in config, `library`): the
 * spec, or every problem with its path under `path`.
 */
export function librarySpec(name: string, body: unknown, keys: string[], path = ''): { spec: unknown; problems: string[] } {
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const t = LIBRARY.find((x) => x.name === name);
  if (!t) return { spec: undefined, problems: [`${at('library')}: no template "${name}"; the library has ${LIBRARY.map((x) => x.name).join(', ')}`] };
  const b = (body ?? {}) as { id?: unknown; params?: unknown };
  const problems: string[] = [];
  if (typeof b !== 'object' || Array.isArray(b)) return { spec: undefined, problems: [`${path || '(root)'}: must be object`] };
  for (const k of Object.keys(b)) if (!keys.includes(k)) problems.push(`${at(k)}: unknown property (it takes ${keys.join(', ')})`);
  if (b.id !== undefined && (typeof b.id !== 'string' || b.id === '')) problems.push(`${at('id')}: must be a non-empty string`);
  const resolved = resolveParams(t, b.params);
  problems.push(...resolved.problems.map(at));
  return { spec: { ...t.build(resolved.params), ...(b.id !== undefined && { id: b.id }), template: { name, params: resolved.params } }, problems };
}
