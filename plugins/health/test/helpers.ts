// Test helpers: a started kernel (virtual clock, port 0) with mesh, the real cluster and
// health (plus breaker or traffic when asked); services with one endpoint; JSON calls to
// the admin API; and the clock advanced a second at a time (the cluster's tick).
import breaker from '@understudy/plugin-breaker';
import cluster from '@understudy/plugin-cluster';
import mesh from '@understudy/plugin-mesh';
import traffic from '@understudy/plugin-traffic';
import type { PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import health from '../src/index.js';

export interface StartOptions {
  breaker?: boolean | Record<string, unknown>;
  traffic?: Record<string, unknown>;
  extra?: PluginDefinition<any>[];
  seed?: number;
}

export async function start(
  services: Record<string, unknown>,
  clusterConfig: Record<string, unknown> = {},
  healthConfig: Record<string, unknown> = {},
  options: StartOptions = {},
): Promise<TestKernel> {
  return createTestKernel({
    plugins: [
      mesh,
      ...(options.traffic ? [traffic] : []),
      ...(options.breaker ? [breaker] : []),
      cluster,
      health,
      ...(options.extra ?? []),
    ],
    config: {
      mesh: { services },
      cluster: clusterConfig,
      health: healthConfig,
      ...(options.traffic && { traffic: options.traffic }),
      ...(options.breaker && { breaker: options.breaker === true ? {} : options.breaker }),
    },
    seed: options.seed ?? 1,
  });
}

/** A service with one endpoint `GET /` named `go`, calling `calls` (`db` or `{ service, onFailure }`). */
export function svc(calls: Array<string | { service: string; onFailure?: string; mode?: string }> = [], extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    endpoints: [
      {
        path: '/',
        name: 'go',
        latency: { type: 'fixed', ms: 0 },
        calls: calls.map((c) => (typeof c === 'string' ? { service: c, endpoint: 'go' } : { endpoint: 'go', ...c })),
      },
    ],
  };
}

export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);
export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/health${path}`, init);
export const clusterAdmin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/cluster${path}`, init);

/** Advance the virtual clock by `n` seconds, one tick (1 s) at a time. */
export async function seconds(k: TestKernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
}

/** Advance until `check` holds (one second at a time, at most `max` seconds); the seconds it took. */
export async function until(k: TestKernel, check: () => boolean, max = 3600): Promise<number> {
  for (let i = 0; i <= max; i++) {
    if (check()) return i;
    await k.clock.advance(1000);
  }
  throw new Error(`condition not met within ${max} simulated seconds`);
}

export type Json = any;
