// Registers every mesh instance in the discovery plugin's registry when it is loaded.
// Discovery is an optional dependency: only its types are imported (erased at run time).
import type { ServiceRegistry } from '@understudy/plugin-discovery';
import type { Topology } from './topology/model.js';

export class DiscoveryLink {
  /** Registered ids and what they were registered with, to skip unchanged ones. */
  private readonly registered = new Map<string, string>();

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly mainPort: () => number,
    private readonly ownPort: (service: string) => number | undefined,
  ) {}

  sync(topology: Topology): void {
    const seen = new Set<string>();
    for (const service of topology.services.values()) {
      for (const inst of service.instances) {
        const reg = {
          id: inst.id,
          service: service.name,
          address: inst.address ?? '127.0.0.1',
          port: inst.port ?? this.ownPort(service.name) ?? this.mainPort(),
          tags: ['mesh'],
          meta: { mesh: 'true' },
          version: inst.version,
          source: 'mesh',
        };
        seen.add(inst.id);
        const signature = JSON.stringify(reg);
        if (this.registered.get(inst.id) === signature) continue;
        this.registry.register(reg);
        this.registered.set(inst.id, signature);
      }
    }
    for (const id of [...this.registered.keys()]) {
      if (!seen.has(id)) {
        this.registry.deregister(id);
        this.registered.delete(id);
      }
    }
  }
}
