import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '@understudy/plugin-mesh';
import chaos from '../src/index.js';

export { fetchJson as call } from '@understudy/plugin-sdk/testing';

/** A service with one endpoint at `/` named `go`, calling `calls` (sync). */
export function svc(calls: string[] = [], extra: Record<string, unknown> = {}) {
  return { ...extra, endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: calls.map((service) => ({ service, endpoint: 'go' })) }] };
}

/** gateway → orders → payments, gateway → users. */
export const SHOP = {
  gateway: svc(['users', 'orders']),
  users: svc(),
  orders: svc(['payments']),
  payments: svc(),
};

export interface Seen {
  service?: string;
  caller?: string;
  status?: number;
  chaos?: unknown;
  traceparent?: unknown;
}

export function spy() {
  const seen: Seen[] = [];
  const inbound: Array<Record<string, unknown>> = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'spy', stage: 100 }, (ex) => {
        inbound.push({ ...ex.request.headers });
        return ex;
      });
      ctx.hooks.settled.tapPromise('spy', async (ex) => {
        seen.push({ service: ex.service, caller: ex.context.caller, status: ex.response?.status, chaos: ex.context.tags.chaos });
      });
    },
  });
  return { plugin, seen, inbound };
}

export async function start(
  services: Record<string, unknown>,
  chaosConfig: Record<string, unknown> = {},
  options: { seed?: number; extra?: any[]; config?: Record<string, unknown> } = {},
): Promise<TestKernel & { seen: Seen[]; inbound: Array<Record<string, unknown>> }> {
  const s = spy();
  const k = await createTestKernel({
    plugins: [mesh, chaos, s.plugin, ...(options.extra ?? [])],
    config: { mesh: { services }, chaos: chaosConfig, ...options.config },
    seed: options.seed,
  });
  return Object.assign(k, { seen: s.seen, inbound: s.inbound });
}

export const admin = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(`${k.baseUrl}/__admin/chaos${path}`, init);
