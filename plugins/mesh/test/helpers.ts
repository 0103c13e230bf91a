import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '../src/index.js';

export interface Seen {
  service?: string;
  endpoint?: string;
  caller?: string;
  hops: number;
  status?: number;
  instance?: unknown;
}

/** Records every settled exchange, so tests can see the child calls. */
export function spy() {
  const seen: Seen[] = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.settled.tapPromise('spy', async (ex) => {
        seen.push({ service: ex.service, endpoint: ex.endpoint, caller: ex.context.caller, hops: ex.context.hops, status: ex.response?.status, instance: ex.context.tags.instance });
      });
    },
  });
  return { plugin, seen };
}

export interface StartOptions {
  seed?: number;
  maxHops?: number;
  extra?: Parameters<typeof createTestKernel>[0] extends infer O ? (O extends { plugins?: infer P } ? P : never) : never;
}

export async function start(config: Record<string, unknown>, options: StartOptions = {}): Promise<TestKernel & { seen: Seen[] }> {
  const s = spy();
  const k = await createTestKernel({
    plugins: [mesh, s.plugin, ...(options.extra ?? [])],
    config: { mesh: config },
    seed: options.seed,
    kernel: options.maxHops === undefined ? undefined : { maxHops: options.maxHops },
  });
  return Object.assign(k, { seen: s.seen });
}

export { fetchJson as call } from '@understudy/plugin-sdk/testing';

/** A service with one endpoint at `/` named `go`. */
export function svc(endpoint: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { ...extra, endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, ...endpoint }] };
}
