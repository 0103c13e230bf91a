// Test helpers: a started kernel (virtual clock, real socket) with mesh and traffic, and a
// three-level world: gateway → api (twice per request) → db and cache; api → cache async.
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '@understudy/plugin-mesh';
import traffic from '../src/index.js';

const fixed = { type: 'fixed', ms: 0 };

export const WORLD = {
  gateway: {
    endpoints: [
      { name: 'home', method: 'GET', path: '/', latency: fixed, calls: [{ service: 'api', endpoint: 'items' }, { service: 'api', endpoint: 'items' }] },
      { name: 'order', method: 'POST', path: '/orders/:id', latency: fixed, calls: [{ calls: [{ service: 'api', endpoint: 'items' }, { service: 'db', endpoint: 'query' }], parallel: true }] },
    ],
  },
  api: {
    endpoints: [
      { name: 'items', method: 'GET', path: '/items', latency: fixed, calls: [{ service: 'db', endpoint: 'query' }, { service: 'cache', endpoint: 'get', mode: 'async' }] },
    ],
  },
  db: { endpoints: [{ name: 'query', method: 'GET', path: '/query', latency: fixed }] },
  cache: { endpoints: [{ name: 'get', method: 'GET', path: '/get', latency: fixed }] },
};

export async function start(trafficConfig: Record<string, unknown> = {}, options: { services?: Record<string, unknown>; seed?: number; extra?: any[]; kernel?: Record<string, unknown>; cwd?: string } = {}): Promise<TestKernel> {
  return createTestKernel({
    plugins: [mesh, traffic, ...(options.extra ?? [])],
    config: { mesh: { services: options.services ?? WORLD }, traffic: { sample: { perSecond: 0 }, ...trafficConfig } },
    seed: options.seed,
    kernel: options.kernel as never,
    cwd: options.cwd,
  });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/traffic${path}`, init);

export const START = Date.UTC(2025, 0, 1);

/** The entry rate of pattern `id`'s service at `seconds` after the start. */
export function entryAt(k: TestKernel, service: string, seconds: number): number {
  return k.resolve('traffic').rates(START + seconds * 1000).services.get(service) ?? 0;
}

export const close = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));
