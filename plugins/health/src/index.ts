// The health plugin: Kubernetes probes on the cluster's simulated instances (readiness
// through the readiness gate `probes`), dependency-aware service status with SLOs,
// restartPolicy with the kubelet's exact crash-loop backoff, and the recovery planner that
// heals in dependency order, with incidents and their timelines (see README.md).
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import type {} from '@understudy/plugin-cluster';
import type {} from '@understudy/plugin-breaker';
import type {} from '@understudy/plugin-mesh';
import { adminRoutes } from './admin.js';
import { configProblems, HealthConfigSchema } from './config.js';
import { httpProber } from './http-probe.js';
import { HealthMonitor, type TopologyLike } from './monitor.js';
import { StaleReadWatch } from './stale-reads.js';

export { HealthConfigSchema, type HealthConfig } from './config.js';
export { HealthErrors } from './errors.js';
export { HealthMonitor } from './monitor.js';
export { RecoveryPlanner } from './planner.js';
export { CrashLoopBackoff, decideRestart, shouldRestart, KUBERNETES_BACKOFF } from './restart-policy.js';
export { Prober, simulateProbe, resolveProbe, PROBE_DEFAULTS } from './probes.js';
export type * from './contract.js';

export default definePlugin({
  name: 'health',
  version: '0.1.0',
  description: "Kubernetes probes, dependency-aware service health with SLOs, restart backoff and a recovery planner that heals in dependency order, with incident timelines.",
  dependencies: ['cluster'],
  optionalDependencies: ['mesh', 'breakers', 'traffic', 'registry'],
  provides: ['health'],
  config: HealthConfigSchema,
  register(ctx) {
    const problems = configProblems(ctx.config);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    const cluster = ctx.resolve('cluster');
    const mesh = ctx.resolveOptional('mesh');
    const empty: TopologyLike = { services: new Map() };
    // breakers are forced open only when the breaker plugin is loaded
    const config = ctx.has('breakers') ? ctx.config : { ...ctx.config, planner: { ...ctx.config.planner, breakers: false } };
    const health = new HealthMonitor({
      config,
      clock: ctx.clock,
      events: ctx.events,
      cluster,
      topology: () => (mesh?.topology as unknown as TopologyLike | undefined) ?? empty,
      breakers: () => ctx.resolveOptional('breakers'),
      http: ctx.config.http.enabled ? httpProber(ctx.clock) : undefined,
    });
    ctx.provide('health', health);

    // readiness is the probes' say: a gate every instance needs (Kubernetes' readinessGates)
    cluster.addReadinessGate('probes');
    const hooks = ctx.pluginHooks('cluster');
    hooks.admit.tap('health', (instance) => health.admit(instance));
    hooks.instanceExited.tap('health', (instance, reason) => health.exited(instance, reason));
    hooks.instanceChanged.tap('health', (change) => health.changed(change));
    hooks.tick.tap('health', (tick) => health.tick(tick));
    // stale reads of stateful workloads: incidents of their own
    const staleReads = new StaleReadWatch(cluster, health.store);
    hooks.tick.tap('health-stale-reads', (tick) => staleReads.tick(tick));
    ctx.events.subscribe('cluster.nodeFailed', (e) => health.nodeFailed(e.data.node));
    ctx.events.subscribe('cluster.nodePressure', (e) => health.nodePressure(e.data.node));
    ctx.events.subscribe('cluster.nodeRecovered', (e) => health.nodeRecovered(e.data.node));
    ctx.events.subscribe('cluster.workloadApplied', (e) => health.workloadChanged(e.data.workload));
    ctx.events.subscribe('cluster.workloadRemoved', (e) => health.workloadChanged(e.data.workload));

    ctx.onStart(() => {
      // the cluster started before us (its first reconcile: a warm start is already running)
      health.started = true;
      health.adoptRunning();
      health.prober.start();
    });
    ctx.onStop(() => health.stop());
    ctx.admin(adminRoutes(health));
  },
});
