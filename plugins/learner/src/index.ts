// The learner plugin: learns each endpoint of a real API from the observations the proxy
// (or a HAR import) gives it — path templates, latency distributions, status mix, JSON
// Schema — keeps the models in SQLite or PostgreSQL, answers mocks (stateful where the
// traffic shows a resource lifecycle) and exports OpenAPI, WireMock and Hoverfly.
// Loaded before any traffic: the store is opened and read in the kernel's `ready` hook,
// so a plugin depending on `learner` finds the models (and its settings) at its start.
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { LearnerConfigSchema } from './config.js';
import { LearnerService } from './service.js';
import { LearnerStore } from './storage/store.js';

export { LearnerConfigSchema, type LearnerConfig } from './config.js';
export { LearnerErrors, SynthErrors } from './errors.js';
export { LearnerService } from './service.js';
export { LearnerStore } from './storage/store.js';
export type * from './contract.js';

export default definePlugin({
  name: 'learner',
  version: '0.1.0',
  description:
    'Learns each endpoint of a real API from traffic — path templates, latency distributions, status mix, JSON Schema — stores it (SQLite or PostgreSQL), synthesizes realistic mocks and exports OpenAPI, WireMock and Hoverfly.',
  provides: ['learner'],
  config: LearnerConfigSchema,
  register(ctx) {
    let store: LearnerStore;
    try {
      store = new LearnerStore(ctx.config.storage, ctx.baseDir, { schema: ctx.config.postgresSchema });
    } catch (err) {
      throw new KernelErrors.CONFIG_INVALID(`plugins.learner.storage: ${(err as Error).message}`);
    }
    const learner = new LearnerService({ config: ctx.config, clock: ctx.clock, random: ctx.random, events: ctx.events, logger: ctx.logger, store });
    ctx.provide('learner', learner);
    ctx.hooks.ready.tapPromise('learner', () => learner.start());
    ctx.onStop(() => learner.stop());
    ctx.admin(adminRoutes(learner));
  },
});
