// Registers every cluster instance in discovery (the optional `registry` service) from the
// moment it is bound to a node, with its health (passing when Ready, warning when running
// out of rotation, critical otherwise), and deregisters it when Terminated. Only a change
// of health reaches the registry, so a 10,000-instance cluster costs one call per change.
import type { ServiceRegistry } from '@understudy/plugin-discovery';
import type { InstanceRegistry } from './cluster.js';
import { registryHealth } from './lifecycle.js';
import type { Instance } from './model.js';

export class RegistryLink implements InstanceRegistry {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly address: () => { host: string; port: number },
  ) {}

  changed(inst: Instance): void {
    if (!inst.node) return;
    const health = registryHealth(inst.state);
    if (inst.registered === health) return;
    const output = `${inst.state}${inst.reason ? `: ${inst.reason}` : ''}`;
    if (inst.registered === undefined) {
      const { host, port } = this.address();
      this.registry.register(
        {
          id: inst.id,
          service: inst.service,
          address: host,
          port,
          tags: ['cluster', `zone:${inst.zone}`],
          meta: { cluster: 'true', workload: inst.workload, node: inst.node, zone: inst.zone ?? '' },
          version: inst.version,
          source: 'cluster',
        },
        { health, output, deregisterCriticalAfterMs: 0 },
      );
    } else this.registry.setHealth(inst.id, health, output);
    inst.registered = health;
  }

  gone(inst: Instance): void {
    if (inst.registered === undefined) return;
    inst.registered = undefined;
    this.registry.deregister(inst.id, 'terminated');
  }
}
