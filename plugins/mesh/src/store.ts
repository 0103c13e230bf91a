// The live topology: validated as a whole, swapped in atomically, changes announced.
import type { PluginEvents } from '@understudy/plugin-sdk';
import { MeshErrors } from './errors.js';
import { Topology, type MeshService } from './topology/model.js';
import type { ServiceDef, TopologyDef } from './topology/schema.js';
import { topologyProblems } from './topology/validate.js';

export type ChangeSource = 'api' | 'reset';
export type ChangeListener = (next: Topology, prev: Topology) => void | Promise<void>;

/** Validate a whole topology or throw with every problem and its path. */
export function buildTopology(defs: unknown, prefix: string, fail: (problems: string[]) => Error): Topology {
  const problems = topologyProblems(defs, prefix);
  if (problems.length) throw fail(problems);
  // a private copy: later edits of the caller's object never leak into the live topology
  return new Topology(structuredClone(defs) as TopologyDef);
}

const invalid = (problems: string[]) => new MeshErrors.INVALID_TOPOLOGY(problems);

export class MeshStore {
  private current: Topology;
  private readonly listeners: ChangeListener[] = [];

  constructor(
    private readonly initial: Topology,
    private readonly events: PluginEvents,
  ) {
    this.current = initial;
  }

  get topology(): Topology {
    return this.current;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  list(): MeshService[] {
    return [...this.current.services.values()];
  }

  get(name: string): MeshService {
    const service = this.current.services.get(name);
    if (!service) throw new MeshErrors.SERVICE_NOT_FOUND(name);
    return service;
  }

  /** Replace everything (PUT /topology). */
  replace(defs: unknown, source: ChangeSource = 'api'): Promise<Topology> {
    return this.swap(buildTopology(defs, 'services', invalid), source);
  }

  /** Create or replace one service, checked against the rest. True when it was created. */
  async put(name: string, def: unknown): Promise<boolean> {
    const created = !this.current.services.has(name);
    await this.swap(buildTopology({ ...this.current.defs, [name]: def }, 'services', invalid), 'api');
    return created;
  }

  /** Remove one service; refused (nothing changes) while others still call it. */
  async remove(name: string): Promise<void> {
    this.get(name);
    const { [name]: _removed, ...rest } = this.current.defs;
    await this.swap(buildTopology(rest, 'services', invalid), 'api');
  }

  reset(): Promise<Topology> {
    return this.swap(this.initial, 'reset');
  }

  private async swap(next: Topology, source: ChangeSource): Promise<Topology> {
    const prev = this.current;
    this.current = next;
    const added: string[] = [];
    const removed: string[] = [];
    const changed: string[] = [];
    for (const [name, service] of next.services) {
      const before = prev.defs[name] as ServiceDef | undefined;
      if (!before) added.push(name);
      else if (JSON.stringify(before) !== JSON.stringify(service.def)) changed.push(name);
    }
    for (const name of prev.services.keys()) if (!next.services.has(name)) removed.push(name);
    for (const service of added) this.events.emit('mesh.serviceAdded', { service, source });
    for (const service of removed) this.events.emit('mesh.serviceRemoved', { service, source });
    this.events.emit('mesh.topologyChanged', { source, services: next.services.size, added, removed, changed });
    for (const listener of this.listeners) await listener(next, prev);
    return next;
  }
}
