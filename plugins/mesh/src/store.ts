// The live topology: validated as a whole, swapped in atomically, changes announced.
//
// Every write (put, remove, replace, reset) is one transaction, and writes run one at a
// time (a second waits for the first, then builds on its result):
//   1. validate: the whole next topology, every problem with its path (400);
//   2. prepare: each participant acquires its side effects (own ports bound, discovery
//      registrations made) or throws, having released what it acquired; the ones that
//      prepared before it abort;
//   3. commit: the topology is swapped in, the participants commit (ports handed over,
//      old servers closed), and only then are the change events emitted.
// So a refused write leaves the topology, the own-port servers and the registry exactly
// as they were, and a later write starts from there.
import type { PluginEvents } from '@understudy/plugin-sdk';
import { MeshErrors } from './errors.js';
import { Topology, type Instance, type MeshService } from './topology/model.js';
import type { ServiceDef, TopologyDef } from './topology/schema.js';
import { topologyProblems } from './topology/validate.js';

export type ChangeSource = 'api' | 'reset';

/**
 * Where a service's instances come from when mesh does not own them (the cluster plugin's
 * Ready instances). Asked on every call to a managed service: keep `instances` cheap (a
 * list rebuilt when an instance changes state, not per call).
 */
export interface InstanceSource {
  /** Does this source own the service's instances? */
  manages(service: string): boolean;
  /** The instances that may take traffic now; empty when none is Ready. */
  instances(service: string): readonly Instance[];
}

/** A side effect of a change, acquired but not yet visible. */
export interface PreparedChange {
  /** Make it visible; runs after the topology is swapped in and must not fail. */
  commit(): void | Promise<void>;
  /** Release what was acquired: nothing of this change remains. */
  abort(): void | Promise<void>;
}

/** Acquires a change's side effects, or throws (a coded error) with nothing acquired. */
export type ChangeParticipant = (next: Topology, prev: Topology) => Promise<PreparedChange> | PreparedChange;

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
  private readonly participants: ChangeParticipant[] = [];
  /** Participants take part once activate() ran (the kernel started). */
  private active = false;
  /** The write in progress: the next one starts when it has ended, either way. */
  private queue: Promise<unknown> = Promise.resolve();

  private source: InstanceSource | undefined;

  constructor(
    private readonly initial: Topology,
    private readonly events: PluginEvents,
  ) {
    this.current = initial;
  }

  get topology(): Topology {
    return this.current;
  }

  /** Take part in every change (see the header): prepared in order, aborted in reverse. */
  participate(participant: ChangeParticipant): void {
    this.participants.push(participant);
  }

  /**
   * Take a service's instances from `source` (the cluster) instead of the topology's
   * `instances`: mesh routes only to what it lists, and discovery registration of those
   * services is left to the source. One source per kernel; set it before the kernel starts.
   */
  useInstanceSource(source: InstanceSource): void {
    if (this.source) throw new Error('mesh already takes its instances from another source');
    this.source = source;
  }

  get instanceSource(): InstanceSource | undefined {
    return this.source;
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
    return this.serial(() => this.swap(buildTopology(defs, 'services', invalid), source));
  }

  /** Create or replace one service, checked against the rest. True when it was created. */
  put(name: string, def: unknown): Promise<boolean> {
    return this.serial(async () => {
      const created = !this.current.services.has(name);
      await this.swap(buildTopology({ ...this.current.defs, [name]: def }, 'services', invalid), 'api');
      return created;
    });
  }

  /** Remove one service; refused (nothing changes) while others still call it. */
  remove(name: string): Promise<void> {
    return this.serial(async () => {
      this.get(name);
      const { [name]: _removed, ...rest } = this.current.defs;
      await this.swap(buildTopology(rest, 'services', invalid), 'api');
    });
  }

  /** Back to the configured topology (its ports are acquired again like any change's). */
  reset(): Promise<Topology> {
    return this.serial(() => this.swap(this.initial, 'reset'));
  }

  /** Run writes one at a time, each on the result of the one before. */
  private serial<T>(write: () => Promise<T>): Promise<T> {
    const run = this.queue.then(write, write);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Start the side effects (at the kernel's start, once the server listens): the current
   * topology is acquired like a change, in turn with the writes; until then a change
   * only swaps the topology. Throws (nothing acquired) when a participant refuses.
   */
  activate(): Promise<void> {
    return this.serial(async () => {
      const prepared = await this.prepare(this.current, this.current, true);
      this.active = true;
      for (const p of prepared) await p.commit();
    });
  }

  /** Every participant's side effects for `next`, or none (the ones prepared are aborted). */
  private async prepare(next: Topology, prev: Topology, force = false): Promise<PreparedChange[]> {
    const prepared: PreparedChange[] = [];
    if (!this.active && !force) return prepared;
    try {
      for (const participant of this.participants) prepared.push(await participant(next, prev));
    } catch (err) {
      for (const p of prepared.reverse()) await p.abort();
      throw err;
    }
    return prepared;
  }

  private async swap(next: Topology, source: ChangeSource): Promise<Topology> {
    const prev = this.current;
    const prepared = await this.prepare(next, prev);
    this.current = next;
    for (const p of prepared) await p.commit();
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
    return next;
  }
}
