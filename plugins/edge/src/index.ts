// The edge plugin: edge nodes that own groups of devices and run pipelines on their
// telemetry — filters, windowed aggregates, z-score anomalies, local rules that send
// commands — within a resource budget, syncing only aggregates and alerts upstream. Its
// contract (the `edge` service, edge.* events) is src/contract.ts; the telemetry topic
// comes from the fleet's catalogue (`deviceTopics.telemetry`).
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
// the optional services' types (Services.fleet, Services.commands)
import type {} from '@understudy/plugin-commands';
import type {} from '@understudy/plugin-fleet';
import { adminRoutes } from './admin.js';
import { EdgeConfigSchema } from './config.js';
import { EdgeService } from './edge.js';

export type * from './contract.js';
export { EdgeConfigSchema, NodeSchema, BudgetSchema, type EdgeConfig } from './config.js';
export { EdgeErrors, RequestCodes } from './errors.js';
export { EdgeService } from './edge.js';

export default definePlugin({
  name: 'edge',
  version: '0.1.0',
  description: 'Edge nodes that filter, aggregate and watch their devices’ telemetry within a resource budget and sync only aggregates and alerts upstream.',
  dependencies: ['mqtt'],
  optionalDependencies: ['fleet', 'commands'],
  provides: ['edge'],
  config: EdgeConfigSchema,
  register(ctx) {
    const fleet = ctx.resolveOptional('fleet');
    const commands = ctx.resolveOptional('commands');
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
