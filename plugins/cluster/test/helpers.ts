// Test helpers: a started kernel (virtual clock, port 0) with mesh, the cluster and,
// when asked, discovery; a one-endpoint service; JSON calls to the admin API.
import discovery from '@understudy/plugin-discovery';
import mesh from '@understudy/plugin-mesh';
import { definePlugin, type PluginDefinition } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import cluster from '../src/index.js';

export interface StartOptions {
  discovery?: boolean;
  extra?: PluginDefinition<any>[];
  seed?: number;
  /** Plugins before the cluster (traffic doubles). */
  before?: PluginDefinition<any>[];
}

export async function start(services: Record<string, unknown>, clusterConfig: Record<string, unknown> = {}, options: StartOptions = {}): Promise<TestKernel> {
  return createTestKernel({
    plugins: [...(options.discovery ? [discovery] : []), mesh, ...(options.before ?? []), cluster, ...(options.extra ?? [])],
    config: { mesh: { services }, cluster: clusterConfig },
    seed: options.seed ?? 1,
  });
}

/** A service with one endpoint `GET /` named `go` answering its instance id. */
export function svc(endpoint: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { ...extra, endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, body: '{{instance}}', ...endpoint }] };
}

export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);
export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/cluster${path}`, init);
export const put = (k: TestKernel, path: string, json: unknown) => admin(k, path, { method: 'PUT', json });
export const post = (k: TestKernel, path: string, json: unknown = {}) => admin(k, path, { method: 'POST', json });

/** Advance the virtual clock by `seconds`, one tick (1 s) at a time. */
export async function seconds(k: TestKernel, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
}

export type Json = any;

/** A stand-in for the traffic plugin: rates the test sets. */
export function trafficDouble() {
  const rates = new Map<string, number>();
  const plugin = definePlugin({
    name: 'traffic-double',
    provides: ['traffic'],
    register(ctx) {
      ctx.provide('traffic', { rates: (at?: number) => ({ at: at ?? 0, services: rates, endpoints: new Map() }) } as never);
    },
  });
  return { plugin, rates };
}
