import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createKernel, type Kernel, type KernelOptions } from './kernel.js';

export type UnderstudyFastifyOptions = Omit<KernelOptions, 'app' | 'handleSignals'>;

declare module 'fastify' {
  interface FastifyInstance {
    understudy: Kernel;
  }
}

/**
 * Mount Understudy into an existing fastify app: `app.register(understudyFastify, {
 * presets: ['basic'] })`. The host's own routes keep precedence; unmatched requests
 * flow into the exchange pipeline. `started` runs when the host listens; `stopping`
 * when it closes.
 */
export const understudyFastify = fp(
  async function understudy(app: FastifyInstance, opts: UnderstudyFastifyOptions) {
    const kernel = createKernel({ ...opts, app, logger: opts.logger ?? app.log as never });
    await kernel.setup();
    app.decorate('understudy', kernel);
    app.addHook('onListen', async () => kernel.started());
    app.addHook('onClose', async () => kernel.stop());
  },
  { name: '@understudy/kernel', fastify: '5.x' },
);
