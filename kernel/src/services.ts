import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from './clock/types.js';
import type { KernelConfig } from './config/schema.js';
import type { EventBus } from './events.js';
import type { Dispatcher } from './exchange/dispatch.js';
import type { KernelHooks } from './hooks.js';
import type { RandomSource } from './random.js';

/**
 * Every service in the container, by name. Plugins add theirs by declaration merging:
 *
 *   declare module '@understudy/kernel' { interface Services { stubs: StubStore } }
 */
export interface Services {
  config: KernelConfig;
  logger: Logger;
  clock: Clock;
  random: RandomSource;
  hooks: KernelHooks;
  http: FastifyInstance;
  events: EventBus;
  dispatch: Dispatcher;
}
