// The ops bench's worlds, built programmatically: `services` mesh services in four tiers
// (edge → api → svc → db, each service calling two of the next tier, the db tier the
// leaves), `instancesPer` instances each, node pools sized for them, probes with
// Kubernetes' periods, a diurnal traffic pattern per edge service, and the recovery policy
// asked for; optionally "deep" liveness checks (the cluster's livenessChecksDependencies: an
// httpGet liveness probe that fails while a critical dependency has no Ready instance, as an
// app whose /healthz pings its database). One kernel per world, in this process, on the
// virtual clock.
import { createKernel, createVirtualClock, type Kernel, type PluginDefinition } from '@understudy/kernel';
import cluster from '@understudy/plugin-cluster';
import health from '@understudy/plugin-health';
import mesh from '@understudy/plugin-mesh';
import observability from '@understudy/plugin-observability';
import traffic from '@understudy/plugin-traffic';
import { pino } from 'pino';

export const TIERS = [
  { name: 'edge', share: 0.1 },
  { name: 'api', share: 0.3 },
  { name: 'svc', share: 0.4 },
  { name: 'db', share: 0.2 },
] as const;

export interface OpsWorld {
  services: number;
  instancesPer: number;
  policy: 'planner' | 'backoff';
  observability?: boolean;
  seed?: number;
  /** Every service's liveness is a deep health check, an httpGet probed at this period and threshold. */
  deepLiveness?: { periodSeconds: number; failureThreshold: number };
}

/** Service names per tier, `<tier>-<n>`. */
export function tierNames(services: number): string[][] {
  return TIERS.map((t) => Array.from({ length: Math.max(1, Math.round(services * t.share)) }, (_, i) => `${t.name}-${i + 1}`));
}

export function meshServices(services: number, instancesPer: number): Record<string, unknown> {
  const tiers = tierNames(services);
  const out: Record<string, unknown> = {};
  tiers.forEach((names, t) => {
    const next = tiers[t + 1];
    names.forEach((name, i) => {
      const calls = next ? [0, 1].map((j) => ({ service: next[(i * 2 + j) % next.length]!, endpoint: 'go' })) : [];
      out[name] = { instances: instancesPer, endpoints: [{ name: 'go', method: 'GET', path: '/', latency: { type: 'fixed', ms: 5 }, calls }] };
    });
  });
  return out;
}

/** Kubernetes-like probes: liveness every 10 s, readiness every 5 s, startup every 2 s. */
export const PROBES = {
  startup: { tcpSocket: { port: 8080 }, periodSeconds: 2, failureThreshold: 30 },
  liveness: { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
  readiness: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 1 },
};

/** The probes of a world: PROBES, or with a deep httpGet liveness check. */
export function probesOf(world: Pick<OpsWorld, 'deepLiveness'>): Record<string, unknown> {
  if (!world.deepLiveness) return PROBES;
  return { ...PROBES, liveness: { httpGet: { path: '/healthz', port: 8080 }, ...world.deepLiveness } };
}

/** What the tiered worlds of the ops and deploy benches differ in. */
export interface TieredWorld {
  services: number;
  instancesPer: number;
  /** Period of the diurnal traffic at each edge service (20–100 req/s). */
  periodSeconds: number;
  /** Nodes beyond one per 50 instances (headroom, e.g. for a blue/green preview). */
  extraNodes?: number;
  /** Over the cluster's defaults (startup 5 s, PROBES). */
  defaults?: Record<string, unknown>;
  seed?: number;
}

/** One kernel on the virtual clock, in this process: mesh, traffic and cluster config of a tiered world, plus `config` for the other plugins. */
export async function startTieredWorld(world: TieredWorld, plugins: PluginDefinition<any>[], config: Record<string, unknown>): Promise<Kernel> {
  const { services, instancesPer } = world;
  const instances = services * instancesPer;
  const tiers = tierNames(services);
  const patterns = Object.fromEntries(
    tiers[0]!.map((service) => [`load-${service}`, { service, shape: { kind: 'diurnal', min: 20, max: 100, periodSeconds: world.periodSeconds }, jitter: 0.05 }]),
  );
  const kernel = createKernel({
    plugins,
    clock: createVirtualClock(),
    logger: pino({ level: 'silent' }),
    env: {},
    config: {
      seed: world.seed ?? 11,
      clock: 'virtual',
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1' },
      plugins: {
        mesh: { services: meshServices(services, instancesPer) },
        traffic: { patterns, sample: { perSecond: 1 } },
        cluster: {
          tickMs: 1000,
          nodePools: [{ namePrefix: 'node', count: Math.ceil(instances / 50) + (world.extraNodes ?? 0), zones: ['zone-a', 'zone-b', 'zone-c'], cpu: 8000, memory: 16384 }],
          defaults: { startupSeconds: 5, probes: PROBES, ...world.defaults },
          workloads: Object.fromEntries(tiers[3]!.map((db) => [db, { startupSeconds: 15 }])),
        },
        ...config,
      } as never,
    },
  });
  await kernel.start();
  return kernel;
}

export async function startOpsWorld(world: OpsWorld): Promise<Kernel> {
  const plugins: PluginDefinition<any>[] = [mesh, traffic, cluster, health];
  if (world.observability) plugins.push(observability);
  return startTieredWorld(
    {
      ...world,
      periodSeconds: 3600,
      defaults: { probes: probesOf(world), ...(world.deepLiveness && { behaviour: { livenessChecksDependencies: true } }) },
    },
    plugins,
    { health: { policy: world.policy }, ...(world.observability ? { observability: {} } : {}) },
  );
}
