// The mesh target of the bench: the shop world on the real clock with every latency and
// error rate scaled to 0, so GET /gateway/checkout measures the platform (4 hops of child
// exchanges through the full pipeline), not simulated sleep.
import { createKernel } from '@understudy/kernel';
import mesh from '@understudy/plugin-mesh';

export async function startShopGateway(): Promise<{ name: string; url: string; close(): Promise<void> }> {
  const kernel = createKernel({
    plugins: [mesh],
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: { mesh: { world: 'shop', latencyScale: 0, errorScale: 0 } },
    },
  });
  const base = await kernel.start();
  return { name: 'mesh gateway (shop checkout)', url: `${base}/gateway/checkout`, close: () => kernel.stop() };
}

/** The whole mesh preset (discovery, mesh, breaker, tracing, chaos, stubs) with the same scaling. */
export async function startMeshPreset(): Promise<{ name: string; url: string; close(): Promise<void> }> {
  const kernel = createKernel({
    presets: ['mesh'],
    config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { mesh: { latencyScale: 0, errorScale: 0 } } },
  });
  const base = await kernel.start();
  return { name: 'checkout, mesh preset (all plugins)', url: `${base}/gateway/checkout`, close: () => kernel.stop() };
}
