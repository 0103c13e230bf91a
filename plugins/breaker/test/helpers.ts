import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import discovery from '@understudy/plugin-discovery';
import mesh from '@understudy/plugin-mesh';
import breaker from '../src/index.js';

export interface Seen {
  service?: string;
  caller?: string;
  status?: number;
  instance?: unknown;
  breaker?: unknown;
}

/** Records every settled exchange; optionally fails instances listed in `failing` with 500 at Stage.Fault. */
export function spy(failing: Set<string> = new Set()) {
  const seen: Seen[] = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'spy-fault', stage: Stage.Fault }, (ex) => {
        if (!ex.response && failing.has(ex.context.tags.instance as string)) {
          ex.response = { status: 500, headers: { 'content-type': 'application/json' }, body: '{"failed":true}' };
        }
        return ex;
      });
      ctx.hooks.settled.tapPromise('spy', async (ex) => {
        seen.push({ service: ex.service, caller: ex.context.caller, status: ex.response?.status, instance: ex.context.tags.instance, breaker: ex.context.tags.breaker });
      });
    },
  });
  return { plugin, seen };
}

export type Kernel = TestKernel & { seen: Seen[]; failing: Set<string> };

export async function start(meshConfig: Record<string, unknown>, breakerConfig: Record<string, unknown> = {}, withDiscovery = false): Promise<Kernel> {
  const failing = new Set<string>();
  const s = spy(failing);
  const k = await createTestKernel({
    plugins: [...(withDiscovery ? [discovery] : []), mesh, breaker, s.plugin],
    // most tests guard calls from the test client itself (caller "client") to keep topologies small
    config: { mesh: meshConfig, breaker: { clientCalls: true, ...breakerConfig } },
  });
  return Object.assign(k, { seen: s.seen, failing });
}

export const call = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);

/** A service with one endpoint at `/` named `go`. */
export function svc(endpoint: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { ...extra, endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, ...endpoint }] };
}
