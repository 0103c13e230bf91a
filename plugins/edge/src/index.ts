// The edge plugin: edge nodes that own groups of devices and run pipelines on their
// telemetry — filters, windowed aggregates, z-score anomalies, local rules that send
// commands — within a resource budget, syncing only aggregates and alerts upstream.
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { EdgeConfigSchema } from './config.js';
import { EdgeService } from './edge.js';
import type { Commands } from '@understudy/plugin-commands';
import type { Fleet } from '@understudy/plugin-fleet';
import type { Edge } from './types.js';

export type * from './types.js';
export { EdgeConfigSchema, NodeSchema, BudgetSchema, type EdgeConfig } from './config.js';
export { EdgeErrors, RequestCodes } from './errors.js';
export { EdgeService } from './edge.js';

declare module '@understudy/kernel' {
  interface Services {
    edge: Edge;
  }
}

export default definePlugin({
  name: 'edge',
  version: '0.1.0',
  description: 'Edge nodes that filter, aggregate and watch their devices’ telemetry within a resource budget and sync only aggregates and alerts upstream.',
  dependencies: ['mqtt'],
  optionalDependencies: ['fleet', 'commands'],
  config: EdgeConfigSchema,
  register(ctx) {
    const fleet = ctx.has('fleet') ? ctx.resolve<Fleet>('fleet') : undefined;
    const commands = ctx.has('commands') ? ctx.resolve<Commands>('commands') : undefined;
    const problems = EdgeService.problemsOf(ctx.config.nodes, fleet !== undefined);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    const edge = new EdgeService({ config: ctx.config, clock: ctx.clock, events: ctx.events, broker: ctx.resolve('broker'), fleet, commands: () => commands });
    for (const node of ctx.config.nodes) edge.add(node as Parameters<EdgeService['add']>[0]);
    ctx.provide('edge', edge);
    ctx.onStart(() => edge.start());
    ctx.onStop(() => edge.stop());
    ctx.admin(adminRoutes(edge));
  },
});
