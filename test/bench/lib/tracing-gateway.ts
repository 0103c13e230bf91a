// The tracing target of the bench: the shop world's GET /gateway/checkout (4 hops of
// child exchanges, latency and errors scaled to 0) on the real clock, with or without
// the tracing plugin (no export). Measured side by side in one run, the difference is
// what tracing adds per request: extract/inject on every hop, a span per hop, the store.
import { createKernel } from '@understudy/kernel';
import mesh from '@understudy/plugin-mesh';
import tracing from '@understudy/plugin-tracing';

export async function startTracedGateway(traced: boolean): Promise<{ name: string; url: string; close(): Promise<void> }> {
  const kernel = createKernel({
    plugins: traced ? [mesh, tracing] : [mesh],
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: { mesh: { world: 'shop', latencyScale: 0, errorScale: 0 }, ...(traced ? { tracing: {} } : {}) },
    },
  });
  const base = await kernel.start();
  return {
    name: traced ? 'mesh checkout + tracing' : 'mesh checkout (no tracing)',
    url: `${base}/gateway/checkout`,
    close: () => kernel.stop(),
  };
}
