// Kernel tests build kernels directly (the SDK's harness depends on the kernel, not
// the other way round): virtual clock, silent logs, port 0 on loopback.
import { pino } from 'pino';
import { createKernel, createVirtualClock, type Kernel, type KernelOptions, type PluginDefinition } from '../src/index.js';

export function testKernel(options: KernelOptions = {}): Kernel {
  const config = typeof options.config === 'string' ? options.config : { logLevel: 'silent' as const, ...options.config };
  return createKernel({
    clock: createVirtualClock(),
    logger: pino({ level: 'silent' }),
    env: {},
    ...options,
    config,
    overrides: { server: { port: 0, host: '127.0.0.1' }, ...options.overrides },
  });
}

/** A plugin that records its lifecycle calls into `log`. */
export function recorder(name: string, log: string[], extra: Partial<PluginDefinition> = {}): PluginDefinition {
  return {
    name,
    ...extra,
    register(ctx) {
      log.push(`register:${name}`);
      ctx.onStart(() => void log.push(`start:${name}`));
      ctx.onStop(() => void log.push(`stop:${name}`));
    },
  };
}

export function errorOf(fn: () => unknown): Promise<Error & { code?: string }> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => {
        throw new Error('expected an error');
      },
      (err) => err,
    );
}
