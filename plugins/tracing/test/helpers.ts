// Shared helpers of the tracing tests: a one-endpoint mesh service, a spy plugin that
// records each exchange's request headers after tracing's Inbound, and a kernel with mesh,
// tracing and the spy on a real socket.
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '@understudy/plugin-mesh';
import tracing from '../src/index.js';

/** A service with one endpoint at `/` named `go`, calling `calls` in order. */
export function svc(calls: string[] = [], endpoint: Record<string, unknown> = {}) {
  return {
    endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: calls.map((service) => ({ service, endpoint: 'go' })), ...endpoint }],
  };
}

export interface Seen {
  service?: string;
  hops: number;
  traceparent?: string;
  headers: Record<string, unknown>;
}

/** Records, at Stage.AfterRoute, the request headers of every exchange (after tracing's Inbound). */
export function spy() {
  const seen: Seen[] = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'spy', stage: Stage.AfterRoute }, (ex) => {
        const h = ex.request.headers;
        seen.push({ service: ex.service, hops: ex.context.hops, traceparent: h.traceparent as string | undefined, headers: { ...h } });
        return ex;
      });
    },
  });
  return { plugin, seen };
}

export const chain = { a: svc(['b']), b: svc(['c']), c: svc() };

export async function start(tracingConfig: Record<string, unknown> = {}, services: Record<string, unknown> = chain) {
  const s = spy();
  const k = await createTestKernel({ plugins: [mesh, tracing, s.plugin], config: { mesh: { services }, tracing: tracingConfig } });
  return Object.assign(k, { seen: s.seen });
}
