// Test helpers: a started kernel (virtual clock, port 0) with mesh, traffic, the real cluster
// and autoscale (plus health or observability when asked), a one-endpoint front service and
// a worker, admin calls, and the clock advanced a second at a time (the cluster's tick).
import cluster from '@understudy/plugin-cluster';
import mesh from '@understudy/plugin-mesh';
import traffic from '@understudy/plugin-traffic';
import type { PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import autoscale from '../src/index.js';

export type Json = any;

/** A service with one endpoint `GET /` named `go`. */
export const svc = () => ({ endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 } }] });

/**
 * web: 200 req/s per instance at utilisation 1 (10 × 50 ms), CPU request = limit = 1000 m (so
 * CPU utilisation % = 100 × the load model's utilisation), startup 20 s; three nodes of 32 cores.
 */
export const WEB = {
  replicas: 5,
  startupSeconds: 20,
  capacity: { concurrency: 10, serviceTimeMs: 50 },
  resources: { requests: { cpu: 1000, memory: 256 }, limits: { cpu: 1000, memory: 1024 } },
  memory: { baseMiB: 64, perInflightMiB: 0 },
};

export const NODES = [{ namePrefix: 'node', count: 3, zones: ['zone-a', 'zone-b', 'zone-c'], cpu: 32_000, memory: 65_536, instanceType: 'm5.8xlarge', pricePerHour: 1.536 }];

export interface World {
  services?: Record<string, unknown>;
  workloads?: Record<string, unknown>;
  patterns?: Record<string, unknown>;
  autoscale?: Record<string, unknown>;
  extra?: PluginDefinition<any>[];
  config?: Record<string, unknown>;
}

export async function start(w: World = {}): Promise<TestKernel> {
  return createTestKernel({
    plugins: [mesh, traffic, cluster, autoscale, ...(w.extra ?? [])],
    seed: 1,
    config: {
      mesh: { services: w.services ?? { web: svc() } },
      traffic: { sample: { perSecond: 0 }, patterns: w.patterns ?? {} },
      cluster: { adopt: 'listed', nodePools: NODES, workloads: w.workloads ?? { web: WEB } },
      autoscale: w.autoscale ?? {},
      ...(w.config ?? {}),
    },
  });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/autoscale${path}`, init);

/** Advance the virtual clock by `n` seconds, one tick (1 s) at a time. */
export async function seconds(k: TestKernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
}

export const replicas = (k: TestKernel, workload = 'web') => k.resolve('cluster').workload(workload).spec.replicas;
export const tickOf = (k: TestKernel, service = 'web') => k.resolve('cluster').lastTick()!.services.get(service)!;
