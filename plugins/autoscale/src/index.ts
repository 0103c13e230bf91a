// The autoscale plugin: autoscalers for the cluster's workloads — the HorizontalPodAutoscaler's
// exact rules (hpa.ts), KEDA-style event-driven scaling to and from zero (keda.ts), predictive
// scaling from demand forecasts (predictive.ts, forecast.ts) — run by the controller on the
// kernel clock; health's requests for replicas answered; cost, right-sizing and capacity
// planning over the cluster's nodes; and a side-by-side comparison of the policies in virtual
// time (see README.md).
import { definePlugin } from '@understudy/plugin-sdk';
import type {} from '@understudy/plugin-cluster';
import { adminRoutes } from './admin.js';
import { AutoscaleConfigSchema } from './config.js';
import { Controller, type HealthAction, type MetricSource } from './controller.js';

export { AutoscaleConfigSchema, type AutoscaleConfig, DEFAULT_METRICS, normalizeSpec, specProblems } from './config.js';
export { AutoscaleErrors } from './errors.js';
export { Controller } from './controller.js';
export { createHpaPolicy, createKedaPolicy, evaluateHpa } from './policies.js';
export { createPredictivePolicy, predictiveSettings } from './predictive.js';
export { comparePolicies, standardComparison, baseSpec } from './compare.js';
export { comparisonSvg } from './svg-chart.js';
export { hpaUtilisationPolicy, kedaRatePolicy } from './reference-policies.js';
export * as hpa from './hpa.js';
export * as keda from './keda.js';
export type * from './contract.js';

export default definePlugin({
  name: 'autoscale',
  version: '0.1.0',
  description: "Autoscalers for the cluster's workloads (HPA rules, KEDA-style scale to zero, predictive), cost, capacity planning and a comparison of policies.",
  dependencies: ['cluster'],
  optionalDependencies: ['observability', 'traffic', 'health'],
  provides: ['autoscale'],
  config: AutoscaleConfigSchema,
  register(ctx) {
    const cluster = ctx.resolve('cluster');
    // observability and health are optional: their services and events are read by name, so
    // this package needs neither at build time
    let metrics: MetricSource | undefined;
    const controller = new Controller(ctx.config, {
      clock: ctx.clock,
      events: ctx.events,
      cluster,
      logger: ctx.logger,
      metrics: () => metrics,
    });
    controller.configure();
    ctx.provide('autoscale', controller);

    const clusterHooks = ctx.pluginHooks('cluster');
    clusterHooks.tick.tap('autoscale', (tick) => controller.onTick(tick));
    const subscribe = ctx.events.subscribe as (type: string, listener: (e: { data: unknown }) => void) => () => void;
    const unsubscribe: Array<() => void> = [];
    ctx.onStart(() => {
      metrics = (ctx.resolveOptional as (name: string) => MetricSource | undefined)('observability');
      unsubscribe.push(subscribe('health.action', (e) => controller.onHealthAction(e.data as HealthAction)));
      unsubscribe.push(subscribe('cluster.workloadRemoved', (e) => controller.onWorkloadRemoved((e.data as { workload: string }).workload)));
      controller.start();
    });
    ctx.onStop(() => {
      controller.stop();
      for (const u of unsubscribe.splice(0)) u();
    });
    ctx.admin(adminRoutes(controller, cluster, () => ctx.clock.now()));
  },
});
