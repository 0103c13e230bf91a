// The breaker plugin: resilience4j-style circuit breakers on every exchange that has a
// service (mesh calls and their child calls), and Envoy-style outlier ejection of instances
// (ejected instances are vetoed through mesh's `mesh.selectInstance` hooks).
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { Breakers } from './breakers.js';
import { BreakerConfigSchema } from './config.js';
import { Outliers } from './outliers.js';

export { Breakers } from './breakers.js';
export { BreakerConfigSchema, BreakerOverridesSchema, type BreakerPluginConfig, type BreakerOverrides } from './config.js';
export { BreakerErrors, BREAKER_OPEN } from './errors.js';
export { Outliers } from './outliers.js';
export { CircuitBreaker, SlidingWindow, DEFAULT_BREAKER_CONFIG } from './state-machine.js';
export type * from './contract.js';

export default definePlugin({
  name: 'breaker',
  version: '0.1.0',
  description: 'Circuit breakers (resilience4j semantics) per caller → service endpoint, and outlier ejection of failing instances.',
  // mesh: its hook group for outlier ejection; breakers guard any exchange with a service
  optionalDependencies: ['mesh'],
  provides: ['breakers'],
  config: BreakerConfigSchema,
  register(ctx) {
    const outliers = new Outliers(ctx.config.outlierDetection, ctx.clock, ctx.events);
    const breakers = new Breakers(ctx.config, ctx.clock, ctx.events, outliers);
    ctx.provide('breakers', breakers);

    // mesh picks instances; an ejected one is vetoed (without mesh nothing is steered)
    if (ctx.config.outlierDetection.enabled && ctx.has('mesh')) {
      ctx.pluginHooks('mesh').selectInstance.tap('breaker', (candidates, ex) => outliers.select(candidates, ex));
    }
    ctx.hooks.exchange.tap({ name: 'breaker', stage: Stage.Guard }, (ex) => breakers.guard(ex));
    ctx.hooks.settled.tap('breaker', (ex) => breakers.record(ex));
    ctx.onStop(() => breakers.stop());
    ctx.admin(adminRoutes(breakers));
  },
});
