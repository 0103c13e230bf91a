// Registers every mesh instance in the discovery plugin's registry when it is loaded.
// Discovery is an optional dependency: only its types are imported (erased at run time).
//
// Part of a topology change (see store.ts): `sync` registers new and changed instances
// first, then deregisters the removed ones; when the registry refuses one (a full
// registry answers with its own coded error), what this sync already did is undone and
// the error is thrown, so the registry holds what it held before.
import type { InstanceRegistration, ServiceRegistry } from '@understudy/plugin-discovery';
import type { InstanceSource } from './store.js';
import type { Topology } from './topology/model.js';

interface Registered {
  reg: InstanceRegistration;
  /** The registration as JSON, to skip unchanged ones. */
  signature: string;
}

export class DiscoveryLink {
  /** Registered ids and what they were registered with. */
  private registered = new Map<string, Registered>();

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly mainPort: () => number,
    /** Services an instance source owns are registered by it (the cluster), not here. */
    private readonly source: () => InstanceSource | undefined = () => undefined,
  ) {}

  /** Register `topology`'s instances (own ports from `ownPort`); all or nothing. */
  sync(topology: Topology, ownPort: (service: string) => number | undefined): void {
    const wanted = new Map<string, Registered>();
    const source = this.source();
    for (const service of topology.services.values()) {
      if (source?.manages(service.name)) continue;
      for (const inst of service.instances) {
        const reg: InstanceRegistration = {
          id: inst.id,
          service: service.name,
          address: inst.address ?? '127.0.0.1',
          port: inst.port ?? ownPort(service.name) ?? this.mainPort(),
          tags: ['mesh'],
          meta: { mesh: 'true' },
          version: inst.version,
          source: 'mesh',
        };
        wanted.set(inst.id, { reg, signature: JSON.stringify(reg) });
      }
    }
    const undo: Array<() => void> = [];
    try {
      for (const [id, next] of wanted) {
        const before = this.registered.get(id);
        if (before?.signature === next.signature) continue;
        this.registry.register(next.reg);
        undo.push(before ? () => this.registry.register(before.reg) : () => this.registry.deregister(id));
      }
      for (const [id, before] of this.registered) {
        if (wanted.has(id)) continue;
        this.registry.deregister(id);
        undo.push(() => this.registry.register(before.reg));
      }
    } catch (err) {
      for (const step of undo.reverse()) {
        try {
          step();
        } catch {
          // best effort: the registry refused to take back what it held a moment ago
        }
      }
      throw err;
    }
    this.registered = wanted;
  }
}
