// Registers every cluster instance in discovery (the optional `registry` service) from the
// moment it is bound to a node, with its health (passing when Ready, warning when running
// out of rotation, critical otherwise), and deregisters it when Terminated. Only a change
// of health reaches the registry, so a 10,000-instance cluster costs one call per change.
//
// Someone else's critical check wins: when the registry holds an instance critical with an
// output the cluster did not write (chaos's partition marks the cut-off side `partitioned by
// chaos`; a user may do the same), the cluster does not overwrite it — a restarted instance
// is not reported passing while its fault lasts. Once that check is gone (chaos gives the
// health it saved back, or anyone writes a non-critical health), the next tick reports the
// instance's health as it is then.
import type { ServiceRegistry } from '@understudy/plugin-discovery';
import type { InstanceRegistry } from './cluster.js';
import { registryHealth } from './lifecycle.js';
import type { Instance } from './model.js';

export class RegistryLink implements InstanceRegistry {
  /** The output last written, by instance id (what tells the cluster's writes from others'). */
  private readonly written = new Map<string, string>();
  /** Instances whose health another check holds critical: written again once it is gone. */
  private readonly held = new Map<string, Instance>();

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly address: () => { host: string; port: number },
  ) {}

  changed(inst: Instance): void {
    if (!inst.node) return;
    const health = registryHealth(inst.state);
    if (this.held.has(inst.id)) return;
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
    } else {
      if (this.heldByOther(inst.id)) {
        this.held.set(inst.id, inst);
        return;
      }
      this.registry.setHealth(inst.id, health, output);
    }
    inst.registered = health;
    this.written.set(inst.id, output);
  }

  /** Critical with an output the cluster did not write: another check's. */
  private heldByOther(id: string): boolean {
    const now = this.registry.get(id);
    return now !== undefined && now.health === 'critical' && now.output !== this.written.get(id);
  }

  tick(): void {
    if (this.held.size === 0) return;
    for (const [id, inst] of this.held) {
      if (this.heldByOther(id)) continue;
      this.held.delete(id);
      const now = this.registry.get(id);
      // what the registry shows now (another's write) is not what the cluster last wrote
      inst.registered = now?.health;
      if (now === undefined) continue;
      this.written.set(id, now.output);
      this.changed(inst);
    }
  }

  gone(inst: Instance): void {
    this.held.delete(inst.id);
    this.written.delete(inst.id);
    if (inst.registered === undefined) return;
    inst.registered = undefined;
    this.registry.deregister(inst.id, 'terminated');
  }
}
