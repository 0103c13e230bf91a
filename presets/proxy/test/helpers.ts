// Test helpers of the proxy preset: a free port for the sample API (the proxy's target
// is config, so it must be known before start), the preset started with in-memory
// learning, and `drive`, which moves the virtual clock in small steps until a request
// that sleeps on it (the sample API's latency, a mock's delay) has its answer.
import { createServer } from 'node:net';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import preset from '../src/index.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPreset(config: Record<string, Record<string, unknown>> = {}, seed = 7): Promise<TestKernel & { apiUrl: string }> {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const k = await createTestKernel({
    presets: [preset],
    seed,
    config: {
      ...config,
      sampleApi: { port, ...config.sampleApi },
      proxy: { target: apiUrl, ...config.proxy },
      learner: { storage: ':memory:', ...config.learner },
    },
  });
  return Object.assign(k, { apiUrl });
}

/** Advance the virtual clock in `stepMs` steps until `work` settles. */
export async function drive<T>(k: TestKernel, work: Promise<T>, stepMs = 5): Promise<T> {
  let done = false;
  const settled = work.finally(() => (done = true));
  for (let i = 0; !done && i < 100_000; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done && k.clock.pendingTimers() > 0) await k.clock.advance(stepMs);
  }
  return settled;
}
