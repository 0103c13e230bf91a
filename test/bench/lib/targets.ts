// The servers under test, all in this process: a bare fastify route (the baseline), an
// Understudy kernel whose stubs plugin serves the same body from a WireMock mapping, and
// the kernel pipeline with a trivial responder (to see where the time goes).
import { createKernel, Stage, type PluginDefinition } from '@understudy/kernel';
import Fastify from 'fastify';

/** The fixed JSON body both targets return for `GET /bench`. */
export const BODY = {
  id: 'bench-0001',
  name: 'Understudy benchmark',
  active: true,
  price: 12.5,
  tags: ['mock', 'http', 'baseline'],
  owner: { id: 7, email: 'bench@example.test' },
};

export const PATH = '/bench';

export interface Target {
  name: string;
  url: string;
  close(): Promise<void>;
  /** CPU time of the process serving it (default: this process). */
  cpuUsage?(): Promise<NodeJS.CpuUsage>;
}

export async function startBareFastify(): Promise<Target> {
  const app = Fastify({ logger: false });
  app.get(PATH, async () => BODY);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'bare fastify', url: `${base}${PATH}`, close: () => app.close() };
}

/** Understudy with the stubs plugin, configured inline as a user would (journal on, as by default). */
export async function startUnderstudyStubs(): Promise<Target> {
  const kernel = createKernel({
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: {
        stubs: {
          mappings: [
            {
              request: { method: 'GET', url: PATH },
              response: { status: 200, headers: { 'Content-Type': 'application/json' }, jsonBody: BODY },
            },
          ],
        },
      },
    },
  });
  const base = await kernel.start();
  return { name: 'understudy stubs', url: `${base}${PATH}`, close: () => kernel.stop() };
}

/**
 * The kernel's pipeline alone: one plugin answering every exchange with the body,
 * pre-serialised. Separates what the kernel costs from what the stubs plugin costs.
 */
export async function startKernelPipeline(): Promise<Target> {
  const body = JSON.stringify(BODY);
  const responder: PluginDefinition = {
    name: 'bench-responder',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'bench-responder', stage: Stage.Respond }, async (ex) => {
        ex.response ??= { status: 200, headers: { 'content-type': 'application/json' }, body };
        return ex;
      });
    },
  };
  const kernel = createKernel({ plugins: [responder], config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' } });
  const base = await kernel.start();
  return { name: 'kernel pipeline only', url: `${base}${PATH}`, close: () => kernel.stop() };
}

/** Both targets must answer 200 with the same JSON before we measure anything. */
export async function checkTarget(target: Target): Promise<void> {
  const res = await fetch(target.url);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (res.status !== 200 || JSON.stringify(body) !== JSON.stringify(BODY)) {
    throw new Error(`${target.name} (${target.url}) answered ${res.status} ${text.slice(0, 300)} — expected 200 with the bench body`);
  }
  if (!String(res.headers.get('content-type')).startsWith('application/json')) {
    throw new Error(`${target.name} answered Content-Type ${res.headers.get('content-type')}, expected application/json`);
  }
}
