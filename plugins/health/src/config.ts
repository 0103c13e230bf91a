// The health plugin's config: recovery policy, SLOs, degraded detection, default probes
// per workload (a workload's own `probes` in the cluster win), optional real HTTP probes,
// planner settings and the bounds of the incident store. The schema gives defaults and
// the shape; `configProblems` adds the rules a schema cannot say (successThreshold 1 for
// liveness and startup, as Kubernetes requires), each with its full path.
import { Type, type Static } from '@understudy/plugin-sdk';
import type { ProbeKind } from './contract.js';

const Seconds = (min: number, dflt: number, description: string) => Type.Integer({ minimum: min, default: dflt, description });

export const ProbeSchema = Type.Object(
  {
    httpGet: Type.Optional(
      Type.Object(
        {
          path: Type.String({ default: '/healthz' }),
          port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
          host: Type.Optional(Type.String({ minLength: 1, description: 'with http.enabled: really request http://host:port/path' })),
          scheme: Type.Optional(Type.Union([Type.Literal('HTTP'), Type.Literal('HTTPS')])),
        },
        { additionalProperties: false },
      ),
    ),
    tcpSocket: Type.Optional(Type.Object({ port: Type.Integer({ minimum: 1, maximum: 65535 }) }, { additionalProperties: false })),
    exec: Type.Optional(Type.Object({ command: Type.Array(Type.String(), { minItems: 1 }) }, { additionalProperties: false })),
    initialDelaySeconds: Seconds(0, 0, 'seconds after the container started before the first probe'),
    periodSeconds: Seconds(1, 10, 'seconds between probes'),
    timeoutSeconds: Seconds(1, 1, 'a probe answered later than this fails'),
    successThreshold: Seconds(1, 1, 'consecutive successes to pass after failing (1 for liveness and startup)'),
    failureThreshold: Seconds(1, 3, 'consecutive failures to fail'),
  },
  { additionalProperties: false },
);
export type ProbeConfig = Static<typeof ProbeSchema>;

export const ProbeSetSchema = Type.Object(
  { liveness: Type.Optional(ProbeSchema), readiness: Type.Optional(ProbeSchema), startup: Type.Optional(ProbeSchema) },
  { additionalProperties: false },
);
export type ProbeSet = Static<typeof ProbeSetSchema>;

const Slo = Type.Object(
  {
    errorRate: Type.Number({ minimum: 0, maximum: 1, default: 0.01, description: 'highest acceptable error ratio' }),
    p99Ms: Type.Number({ exclusiveMinimum: 0, default: 500, description: 'latency objective: p99 in ms' }),
  },
  { additionalProperties: false },
);
const PartialSlo = Type.Object(
  { errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), p99Ms: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
  { additionalProperties: false },
);

const Bound = (count: number, bytes: number) =>
  Type.Object(
    { max: Type.Integer({ minimum: 1, default: count }), maxBytes: Type.Integer({ minimum: 1024, default: bytes }) },
    { additionalProperties: false, default: {} },
  );

export const PolicySchema = Type.Union([Type.Literal('planner'), Type.Literal('backoff')]);

export const HealthConfigSchema = Type.Object(
  {
    policy: Type.Union([Type.Literal('planner'), Type.Literal('backoff')], { default: 'planner', description: 'recovery policy' }),
    slo: Type.Object(
      {
        default: Type.Object(Slo.properties, { additionalProperties: false, default: {} }),
        services: Type.Record(Type.String(), PartialSlo, { default: {} }),
      },
      { additionalProperties: false, default: {} },
    ),
    degraded: Type.Object(
      {
        ticks: Type.Integer({ minimum: 1, default: 3, description: 'consecutive cluster ticks over an SLO before a service is degraded' }),
        recoverTicks: Type.Integer({ minimum: 1, default: 3, description: 'consecutive ticks within its SLOs before it is healthy again' }),
        unhealthyErrorRate: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'an error rate at or above this (over `ticks`) is unhealthy' }),
      },
      { additionalProperties: false, default: {} },
    ),
    probes: Type.Object(
      {
        default: Type.Object(ProbeSetSchema.properties, { additionalProperties: false, default: {} }),
        workloads: Type.Record(Type.String(), ProbeSetSchema, { default: {} }),
        resolutionMs: Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'granularity of the probe timer wheel' }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Object({ enabled: Type.Boolean({ default: false, description: 'really request httpGet probes that name a host' }) }, { additionalProperties: false, default: {} }),
    planner: Type.Object(
      {
        targetUtilisation: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'utilisation requestReplicas sizes a service for' }),
        shedUtilisation: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.95, description: 'utilisation load shedding brings an overloaded service back to' }),
        overloadUtilisation: Type.Number({ exclusiveMinimum: 0, default: 1 }),
        maxShed: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
        shed: Type.Boolean({ default: true }),
        breakers: Type.Boolean({ default: true }),
        requestReplicas: Type.Boolean({ default: true }),
        drainOnPressure: Type.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    incidents: Type.Object(
      {
        store: Bound(500, 4_000_000),
        timeline: Bound(200, 64_000),
        recoveryTimes: Type.Integer({ minimum: 1, default: 1000, description: 'recent times to recovery kept for counters()' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type HealthConfig = Static<typeof HealthConfigSchema>;

const KINDS: ProbeKind[] = ['liveness', 'readiness', 'startup'];

/** Problems the schema cannot express, each with its full path under `prefix`. */
export function probeSetProblems(set: ProbeSet | undefined, prefix: string): string[] {
  const problems: string[] = [];
  if (!set) return problems;
  for (const kind of KINDS) {
    const probe = set[kind];
    if (!probe) continue;
    if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      problems.push(`${prefix}.${kind}.successThreshold: must be 1 for a ${kind} probe (as Kubernetes requires)`);
    }
    const handlers = ['httpGet', 'tcpSocket', 'exec'].filter((h) => probe[h as keyof ProbeConfig] !== undefined);
    if (handlers.length > 1) problems.push(`${prefix}.${kind}: give one handler, not ${handlers.join(' and ')}`);
  }
  return problems;
}

export function configProblems(config: HealthConfig, prefix = 'plugins.health'): string[] {
  const problems = probeSetProblems(config.probes.default, `${prefix}.probes.default`);
  for (const [name, set] of Object.entries(config.probes.workloads)) problems.push(...probeSetProblems(set, `${prefix}.probes.workloads.${name}`));
  if (config.planner.overloadUtilisation < config.planner.shedUtilisation) {
    problems.push(`${prefix}.planner.overloadUtilisation: must be >= shedUtilisation (${config.planner.shedUtilisation})`);
  }
  return problems;
}
