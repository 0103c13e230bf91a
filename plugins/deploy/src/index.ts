// The deploy plugin: zero-downtime rollouts of the cluster's workloads with Argo Rollouts'
// strategies (rolling update, blue/green, canary steps), metric analysis and the
// baseline-vs-canary judge (analysis.ts, judge.ts), automatic rollback or freeze on a
// failure, a bake window after the promotion, and a bounded revision history (see
// README.md). Traffic is shifted at the Route stage through mesh's `selectInstance`
// hooks, on every hop; the ReplicaSets of both versions are driven through the cluster's
// `setReplicaSets`.
import { definePlugin, KernelErrors, Stage } from '@understudy/plugin-sdk';
import type {} from '@understudy/plugin-cluster';
import type {} from '@understudy/plugin-mesh';
import type {} from '@understudy/plugin-observability';
import { adminRoutes } from './admin.js';
import { createAnalysisRunner } from './analysis.js';
import { DeployConfigSchema, specProblems } from './config.js';
import type { AnalysisDeps, AnalysisRunner, RolloutSpec } from './contract.js';
import { Controller } from './controller.js';
import { Router } from './routing.js';

export { DeployConfigSchema, type DeployConfig, SPEC_DEFAULTS } from './config.js';
export { DeployErrors } from './errors.js';
export { parseDuration } from './duration.js';
export { fenceposts, rollingStep, resolveIntOrPercent } from './rolling.js';
export { begin, transition } from './rollout.js';
export { createAnalysisRunner } from './analysis.js';
export type * from './contract.js';

export interface DeployPluginOptions {
  /** The analysis runner (default: analysis.ts's); tests pass a fake. */
  analysisRunner?: (deps: AnalysisDeps) => AnalysisRunner;
}

export function createDeployPlugin(options: DeployPluginOptions = {}) {
  return definePlugin({
    name: 'deploy',
    version: '0.1.0',
    description: 'Zero-downtime rollouts of cluster workloads (rolling, blue/green, canary) with analysis, automatic rollback and revision history.',
    dependencies: ['cluster', 'mesh'],
    optionalDependencies: ['observability'],
    provides: ['deployments'],
    config: DeployConfigSchema,
    register(ctx) {
      const config = ctx.config;
      const cluster = ctx.resolve('cluster');
      let observability: ReturnType<AnalysisDeps['observability']>;
      const runner = (options.analysisRunner ?? createAnalysisRunner)({
        clock: ctx.clock,
        events: ctx.events,
        random: ctx.random.fork('analysis'),
        cluster,
        observability: () => observability,
      });

      // config: every problem with its full path
      const problems: string[] = [];
      const templates = new Set(Object.keys(config.analysisTemplates));
      for (const [name, t] of Object.entries(config.analysisTemplates)) problems.push(...runner.validate(t, `plugins.deploy.analysisTemplates.${name}`));
      problems.push(...specProblems(config.defaults, 'plugins.deploy.defaults', templates));
      const workloads = new Set(cluster.workloads().map((w) => w.name));
      for (const [name, spec] of Object.entries(config.rollouts)) {
        problems.push(...specProblems(spec, `plugins.deploy.rollouts.${name}`, templates));
        if (!workloads.has(name)) problems.push(`plugins.deploy.rollouts.${name}: no cluster workload "${name}" (workloads: ${[...workloads].join(', ') || 'none'})`);
      }
      if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);

      const router = new Router(ctx.random.fork('routing'));
      const controller = new Controller(
        {
          defaults: (config.defaults ?? {}) as Partial<RolloutSpec>,
          rollouts: config.rollouts as Record<string, Partial<RolloutSpec>>,
          templates: config.analysisTemplates,
          history: config.history,
          analysisRuns: config.analysisRuns,
        },
        { clock: ctx.clock, events: ctx.events, cluster, router, runner },
      );
      ctx.provide('deployments', controller);

      const clusterHooks = ctx.pluginHooks('cluster');
      clusterHooks.tick.tap('deploy', () => controller.tick());
      clusterHooks.instanceChanged.tap('deploy', (change) => controller.instanceChanged(change));
      ctx.pluginHooks('mesh').selectInstance.tap('deploy', router.select);
      ctx.hooks.exchange.tap({ name: 'deploy', stage: Stage.BeforeRoute }, (ex) => {
        router.beforeRoute(ex);
        return ex;
      });
      ctx.onStart(() => {
        observability = ctx.resolveOptional('observability');
      });
      ctx.onStop(() => controller.stop());
      ctx.admin(adminRoutes(controller));
    },
  });
}

export default createDeployPlugin();
