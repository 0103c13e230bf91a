// Test helpers for experiments in the operations world: a started kernel (virtual clock,
// port 0) with mesh, cluster, health, observability, traffic and chaos; six nodes in three
// zones; JSON calls to chaos's admin API; and a run driven to its end one second at a time.
import cluster from '@understudy/plugin-cluster';
import health from '@understudy/plugin-health';
import mesh from '@understudy/plugin-mesh';
import observability from '@understudy/plugin-observability';
import traffic from '@understudy/plugin-traffic';
import type { PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import chaos from '../src/index.js';

export const svc = (calls: string[] = []) => ({
  endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: calls.map((service) => ({ service, endpoint: 'go' })) }],
});

/** gateway → api → db, with a constant 25 requests/s into the gateway (three instances serve it, two are overloaded). */
export const WORLD = { gateway: svc(['api']), api: svc(['db']), db: svc() };
export const NODES = ['a', 'b', 'c'].flatMap((z) => [1, 2].map((i) => ({ name: `${z}${i}`, zone: `zone-${z}`, cpu: 8000, memory: 16384 })));

export interface OpsWorld {
  startupSeconds?: number;
  /** Leave these plugins out. */
  without?: Array<'cluster' | 'health' | 'observability' | 'traffic'>;
  extra?: PluginDefinition<any>[];
  chaos?: Record<string, unknown>;
}

export async function startOps(options: OpsWorld = {}): Promise<TestKernel> {
  const without = new Set(options.without ?? []);
  const startupSeconds = options.startupSeconds ?? 3;
  // one server of 100 ms per instance: 10 requests/s each, so 25 requests/s need all three
  const capacity = { concurrency: 1, serviceTimeMs: 100 };
  const workloads = Object.fromEntries(['gateway', 'api', 'db'].map((w) => [w, { replicas: 3, startupSeconds, capacity }]));
  const plugins: PluginDefinition<any>[] = [mesh];
  if (!without.has('traffic')) plugins.push(traffic);
  if (!without.has('cluster')) plugins.push(cluster);
  if (!without.has('health') && !without.has('cluster')) plugins.push(health);
  if (!without.has('observability')) plugins.push(observability);
  plugins.push(chaos, ...(options.extra ?? []));
  return createTestKernel({
    plugins,
    config: {
      mesh: { services: WORLD },
      ...(!without.has('traffic') && { traffic: { patterns: { shop: { service: 'gateway', shape: { kind: 'constant', rps: 25 } } } } }),
      ...(!without.has('cluster') && { cluster: { nodes: NODES, workloads } }),
      // the latency objective is out of the way: these worlds are judged on errors and readiness
      ...(!without.has('health') && !without.has('cluster') && { health: { slo: { default: { errorRate: 0.01, p99Ms: 60_000 } } } }),
      ...(!without.has('observability') && { observability: { windows: { resolutionMs: 1000 } } }),
      chaos: options.chaos ?? {},
    },
    seed: 7,
  });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/chaos${path}`, init);

export async function seconds(k: TestKernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
}

/** Start a run over HTTP and advance the clock a second at a time until it ends (at most `max` s); its journal. */
export async function runToEnd(k: TestKernel, id: string, max = 600): Promise<any> {
  const started = await admin(k, `/experiments/${id}/run`, { method: 'POST' });
  if (started.status !== 202) throw new Error(`run answered ${started.status}: ${JSON.stringify(started.body)}`);
  return untilEnd(k, id, max);
}

/** Advance the clock a second at a time until a running experiment ends (at most `max` s); its journal. */
export async function untilEnd(k: TestKernel, id: string, max = 600): Promise<any> {
  for (let i = 0; i < max; i++) {
    const e = k.resolve('chaos').experiments.get(id);
    if (e.status !== 'running') break;
    await k.clock.advance(1000);
  }
  return (await admin(k, `/experiments/${id}/journal`)).body;
}
