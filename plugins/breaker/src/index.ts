// The breaker plugin: resilience4j-style circuit breakers on every exchange that has a
// service (mesh calls and their child calls), and Envoy-style outlier ejection of instances.
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { Breakers } from './breakers.js';
import { BreakerConfigSchema } from './config.js';
import { Outliers, type RegistryLike } from './outliers.js';

export { Breakers, type BreakerView, type BreakerTag } from './breakers.js';
export { BreakerConfigSchema, BreakerOverridesSchema, type BreakerPluginConfig, type BreakerOverrides } from './config.js';
export { BreakerErrors, BREAKER_OPEN } from './errors.js';
export { Outliers, type EjectedInstance } from './outliers.js';
export { CircuitBreaker, SlidingWindow, DEFAULT_BREAKER_CONFIG, type BreakerConfig, type BreakerState, type Outcome, type Transition, type BreakerMetrics } from './state-machine.js';

declare module '@understudy/kernel' {
  interface Services {
    breakers: Breakers;
  }
}

export default definePlugin({
  name: 'breaker',
  version: '0.1.0',
  description: 'Circuit breakers (resilience4j semantics) per caller → service endpoint, and outlier ejection of failing instances.',
  optionalDependencies: ['mesh', 'discovery'],
  config: BreakerConfigSchema,
  register(ctx) {
    const registry = ctx.has('registry') ? ctx.resolve<RegistryLike>('registry') : undefined;
    const outliers = new Outliers(ctx.config.outlierDetection, ctx.clock, ctx.events, () => registry);
    const breakers = new Breakers(ctx.config, ctx.clock, ctx.events, outliers);
    ctx.provide('breakers', breakers);

    // before mesh picks an instance (mesh keeps one chosen earlier)
    ctx.hooks.exchange.tap({ name: 'breaker-outliers', stage: Stage.Route - 10 }, (ex) => {
      outliers.steer(ex);
      return ex;
    });
    ctx.hooks.exchange.tap({ name: 'breaker', stage: Stage.Guard }, (ex) => breakers.guard(ex));
    ctx.hooks.settled.tap('breaker', (ex) => breakers.record(ex));
    ctx.onStop(() => breakers.stop());
    ctx.admin(adminRoutes(breakers));
  },
});
