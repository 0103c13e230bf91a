// The discovery plugin: a service registry with TTL health, Consul- and Eureka-compatible
// HTTP APIs (blocking queries included) and a native admin API.
import { definePlugin } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { DiscoveryConfigSchema } from './config.js';
import { consulRoutes } from './consul/routes.js';
import { eurekaRoutes, eurekaState } from './eureka/routes.js';
import { Registry } from './registry.js';

export { Registry } from './registry.js';
export { DiscoveryErrors } from './errors.js';
export { DiscoveryConfigSchema, type DiscoveryConfig } from './config.js';
export { parseDuration } from './durations.js';
export type * from './contract.js';

/** A UUID from the plugin's seeded stream, so the Consul node id is the same every run. */
function nodeId(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export default definePlugin({
  name: 'discovery',
  version: '0.1.0',
  description: 'Service registry with heartbeats and TTL health checks, Consul-compatible and Eureka-compatible HTTP APIs with blocking queries.',
  config: DiscoveryConfigSchema,
  provides: ['registry'],
  register(ctx) {
    const { config } = ctx;
    const registry = new Registry({
      clock: ctx.clock,
      events: ctx.events,
      deregisterCriticalAfterMs: config.deregisterCriticalAfterMs,
      maxInstances: config.maxInstances,
    });
    ctx.provide('registry', registry);

    const counts = new Map<string, number>();
    for (const s of config.services) {
      const n = (counts.get(s.service) ?? 0) + 1;
      counts.set(s.service, n);
      registry.register({ ...s, id: s.id ?? `${s.service}-${n}`, source: 'config' });
    }

    const ids = ctx.random.fork('node');
    const node = { ...config.node, id: nodeId(() => ids.next()) };
    ctx.routes('/v1', consulRoutes({ registry, node, limits: config }));
    const eureka = { registry, leaseDurationMs: config.eureka.leaseDurationMs };
    const infos = eurekaState(registry);
    for (const prefix of ['/eureka', '/eureka/v2']) ctx.routes(prefix, eurekaRoutes(eureka, infos));
    ctx.admin(adminRoutes(registry));
    ctx.onStop(() => registry.close());
  },
});
