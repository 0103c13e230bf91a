// The active faults: scope matching, injection at Stage.BeforeInbound (trace headers)
// and Stage.Fault (everything else), counters, one `chaos.injected` per activation.
// Partitions mark instances critical in discovery's registry when it is loaded (its type
// only is imported, erased at run time): those registered when the fault starts, and those
// registered while it lasts (a replica the cluster adds, a replacement with a new id).
//
// Adding a fault is atomic: a partition marks its instances critical first, and when the
// registry refuses one, the instances already marked get their health back and the
// fault is not added (the registry's error is thrown). Running scenarios and experiments
// reserve the fault ids they will add (`reserve`), so an API fault cannot take one of
// them half-way through a run, and a run cannot silently replace someone else's fault.
import type { Health, ServiceRegistry } from '@understudy/plugin-discovery';
import { errorResponse, type Clock, type Exchange, type ExchangeResponse, type PluginEvents, type Random } from '@understudy/plugin-sdk';
import { matchesEndpoints } from './endpoint-templates.js';
import { ChaosErrors, ResponseCodes } from './errors.js';
import type { FaultKind, FaultSpec, Scope } from './specs.js';

/** Trace context headers of W3C, B3 (single and multi) and Jaeger. */
export const TRACE_HEADERS = ['traceparent', 'tracestate', 'b3', 'uber-trace-id'];
const isTraceHeader = (name: string) => TRACE_HEADERS.includes(name) || name.startsWith('x-b3-');

export interface ActiveFault {
  spec: FaultSpec;
  /** Who added it: `api`, `config`, `scenario:<id>`, `experiment:<id>`. */
  source: string;
  addedAt: number;
  injected: number;
  /** Injections since this activation's `chaos.injected` event. */
  reported: boolean;
}

export interface InjectionRecord {
  faultId: string;
  kind: FaultKind;
}

export interface FaultDeps {
  clock: Clock;
  random: Random;
  events: PluginEvents;
  registry: () => ServiceRegistry | undefined;
}

const HEADER_KINDS: ReadonlySet<FaultKind> = new Set(['headerLoss', 'headerCorruption']);

/** The output of the checks a partition writes (cluster's RegistryLink leaves them alone). */
const PARTITIONED = 'partitioned by chaos';

/** The services of a partition that go critical in discovery: every group but the first. */
const cutOff = (spec: FaultSpec): string[] => spec.groups!.slice(1).flat();

function firstSegment(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash === -1 ? path.slice(1) : path.slice(1, slash);
}

/** Corrupt a header value deterministically: same input, same garbage. */
function corrupt(value: string): string {
  return value.replace(/[0-9a-f]/gi, (ch) => (ch === 'z' ? 'x' : 'z')).slice(0, Math.max(1, value.length - 3));
}

export class FaultStore {
  private readonly faults = new Map<string, ActiveFault>();
  /** Discovery instances a partition marked critical: fault id → previous health by instance. */
  private readonly partitioned = new Map<string, Map<string, { health: Health; output: string }>>();
  /** Fault ids a running scenario or experiment will add: id → its owner (`scenario:<id>`, …). */
  private readonly reserved = new Map<string, string>();
  private nextId = 1;
  private readonly percentRandom: Random;
  private readonly latencyRandom: Random;
  /** Total injections per fault id, kept after the fault is removed (experiment reports). */
  readonly totals = new Map<string, { kind: FaultKind; count: number }>();

  constructor(private readonly deps: FaultDeps) {
    this.percentRandom = deps.random.fork('percentage');
    this.latencyRandom = deps.random.fork('latency');
  }

  list(): ActiveFault[] {
    return [...this.faults.values()];
  }

  get(id: string): ActiveFault | undefined {
    return this.faults.get(id);
  }

  has(id: string): boolean {
    return this.faults.has(id);
  }

  newId(): string {
    while (this.faults.has(`fault-${this.nextId}`) || this.reserved.has(`fault-${this.nextId}`)) this.nextId++;
    return `fault-${this.nextId++}`;
  }

  /** Who holds `id` other than `owner` (an active fault of another source, or another run's reservation), as words. */
  holderOf(id: string, owner?: string): string | undefined {
    const reservedBy = this.reserved.get(id);
    if (reservedBy !== undefined && reservedBy !== owner) return `${reservedBy.replace(':', ' "')}" while it runs`;
    const active = this.faults.get(id);
    if (active && active.source !== owner) return `the active fault "${id}" (added by ${active.source})`;
    return undefined;
  }

  /** Reserve the ids a run will add, all or none: 409 US_CHAOS_FAULT_ID_IN_USE when one is held by someone else. */
  reserve(ids: Iterable<string>, owner: string, by: string): void {
    const list = [...ids];
    for (const id of list) {
      const holder = this.holderOf(id, owner);
      if (holder) throw new ChaosErrors.FAULT_ID_IN_USE(id, holder, by);
    }
    for (const id of list) this.reserved.set(id, owner);
  }

  /** Give back every id `owner` reserved. */
  release(owner: string): void {
    for (const [id, by] of this.reserved) if (by === owner) this.reserved.delete(id);
  }

  /**
   * Activate a fault, replacing an active one with the same id. All or nothing: when a
   * partition cannot mark its instances, the registry's error is thrown, the instances
   * it marked are restored, and the fault it replaced (if any) is back.
   */
  add(spec: FaultSpec, source: string): ActiveFault {
    const replaced = this.faults.get(spec.id);
    if (replaced) this.remove(spec.id);
    try {
      if (spec.kind === 'partition') this.isolate(spec);
    } catch (err) {
      if (replaced) {
        try {
          if (replaced.spec.kind === 'partition') this.isolate(replaced.spec);
          this.faults.set(spec.id, replaced);
        } catch {
          // the replaced fault's own partition cannot be re-applied either: it stays removed
        }
      }
      throw err;
    }
    const fault: ActiveFault = { spec, source, addedAt: this.deps.clock.now(), injected: 0, reported: false };
    this.faults.set(spec.id, fault);
    return fault;
  }

  remove(id: string): boolean {
    const fault = this.faults.get(id);
    if (!fault) return false;
    this.faults.delete(id);
    this.restore(id);
    return true;
  }

  removeWhere(pred: (f: ActiveFault) => boolean): number {
    let n = 0;
    for (const f of this.list()) if (pred(f) && this.remove(f.spec.id)) n++;
    return n;
  }

  /** Re-apply partitions once discovery has its instances (config faults at start). */
  refreshPartitions(): void {
    for (const f of this.faults.values()) if (f.spec.kind === 'partition' && !this.partitioned.get(f.spec.id)?.size) this.isolate(f.spec);
  }

  /**
   * An instance registered in discovery (`service.registered`): on the cut-off side of an
   * active partition it goes critical too, and the health it registered with is what the
   * fault gives back when it ends. A re-registration counts as new (it reset the health).
   */
  registered(id: string, service: string): void {
    const registry = this.deps.registry();
    if (!registry) return;
    for (const { spec } of this.faults.values()) {
      if (spec.kind !== 'partition' || !cutOff(spec).includes(service)) continue;
      const inst = registry.get(id);
      if (!inst) return;
      try {
        registry.setHealth(id, 'critical', PARTITIONED);
      } catch {
        // a registry refusing the mark leaves the instance as registered: the fault stays
        continue;
      }
      const saved = this.partitioned.get(spec.id) ?? new Map<string, { health: Health; output: string }>();
      saved.set(id, { health: inst.health, output: inst.output });
      this.partitioned.set(spec.id, saved);
    }
  }

  /** An instance gone from discovery has no health to give back. */
  deregistered(id: string): void {
    for (const saved of this.partitioned.values()) saved.delete(id);
  }

  /** The side of a partition other than the first group goes critical in discovery. */
  private isolate(spec: FaultSpec): void {
    const registry = this.deps.registry();
    if (!registry) return;
    const saved = new Map<string, { health: Health; output: string }>();
    try {
      for (const service of cutOff(spec)) {
        for (const inst of registry.instances(service)) {
          const before = { health: inst.health, output: inst.output };
          registry.setHealth(inst.id, 'critical', PARTITIONED);
          saved.set(inst.id, before);
        }
      }
    } catch (err) {
      this.giveBack(saved);
      throw err;
    }
    this.partitioned.set(spec.id, saved);
  }

  private restore(id: string): void {
    const saved = this.partitioned.get(id);
    if (!saved) return;
    this.partitioned.delete(id);
    this.giveBack(saved);
  }

  /**
   * Instances get their health back. Never throws: removing a fault always succeeds (it
   * is how a user heals the system), so an instance the registry refuses keeps its
   * health and the others are still restored.
   */
  private giveBack(saved: Map<string, { health: Health; output: string }>): void {
    const registry = this.deps.registry();
    for (const [instance, prev] of saved) {
      try {
        registry?.setHealth(instance, prev.health, prev.output);
      } catch {
        // see above
      }
    }
  }

  private matches(scope: Scope | undefined, ex: Exchange, service: string | undefined): boolean {
    if (!scope) return true;
    const { tags } = ex.context;
    if (scope.service !== undefined && scope.service !== service) return false;
    if (scope.endpoint !== undefined && scope.endpoint !== ex.endpoint) return false;
    if (scope.caller !== undefined && scope.caller !== ex.context.caller) return false;
    if (scope.instance !== undefined && scope.instance !== tags.instance) return false;
    if (scope.version !== undefined && scope.version !== tags.version) return false;
    if (scope.endpoints !== undefined && !matchesEndpoints(scope.endpoints, ex)) return false;
    const pct = scope.percentage ?? 100;
    // drawn only for otherwise matching calls, in arrival order: same seed, same picks
    return pct >= 100 || (pct > 0 && this.percentRandom.next() * 100 < pct);
  }

  private record(fault: ActiveFault, ex: Exchange): void {
    fault.injected++;
    const { id, kind } = fault.spec;
    const total = this.totals.get(id);
    if (total) total.count++;
    else this.totals.set(id, { kind, count: 1 });
    const prev = ex.context.tags.chaos;
    ex.context.tags.chaos = [...(Array.isArray(prev) ? prev : []), { faultId: id, kind } satisfies InjectionRecord];
    if (!fault.reported) {
      // one event per activation; the counters keep the rest
      fault.reported = true;
      this.deps.events.emit('chaos.injected', { faultId: id, kind, source: fault.source, service: ex.service, endpoint: ex.endpoint, caller: ex.context.caller });
    }
  }

  /** Stage.BeforeInbound: trace headers, before tracing reads them. */
  applyHeaders(ex: Exchange): void {
    if (this.faults.size === 0) return;
    const service = ex.service ?? firstSegment(ex.request.path);
    for (const fault of this.faults.values()) {
      const { spec } = fault;
      if (!HEADER_KINDS.has(spec.kind)) continue;
      const current = ex.request.headers;
      const names = Object.keys(current).filter((n) => (spec.headers ? spec.headers.includes(n) : isTraceHeader(n)));
      if (names.length === 0 || !this.matches(spec.scope, ex, service)) continue;
      const next = { ...current };
      for (const name of names) {
        if (spec.kind === 'headerLoss') delete next[name];
        else next[name] = corrupt(String(current[name]));
      }
      ex.request.headers = next; // a new object: request headers may be shared
      this.record(fault, ex);
    }
  }

  /**
   * Stage.Fault: latency, errors, aborts, timeouts, outages, partitions; resolves to the
   * exchange. Runs for every exchange not answered yet (the kernel skips the rest): with
   * no active fault (the usual case) it returns a settled promise rather than starting an
   * async function (a promise and a frame per hop).
   */
  apply(ex: Exchange): Promise<Exchange> {
    if (this.faults.size === 0) return Promise.resolve(ex);
    return this.inject(ex).then(() => ex);
  }

  private async inject(ex: Exchange): Promise<void> {
    for (const fault of [...this.faults.values()]) {
      const { spec } = fault;
      if (HEADER_KINDS.has(spec.kind)) continue;
      if (spec.kind === 'partition') {
        if (!this.crossesPartition(spec.groups!, ex) || !this.matches(spec.scope, ex, ex.service)) continue;
      } else if (!this.matches(spec.scope, ex, ex.service)) continue;
      this.record(fault, ex);
      if (spec.kind === 'latency') {
        const ms = this.latencyOf(spec);
        if (ms > 0) await this.deps.clock.sleep(ms);
        continue;
      }
      ex.response = await this.respond(spec, ex);
      return;
    }
  }

  private crossesPartition(groups: string[][], ex: Exchange): boolean {
    const caller = ex.context.caller;
    if (caller === undefined || ex.service === undefined) return false;
    const a = groups.findIndex((g) => g.includes(caller));
    const b = groups.findIndex((g) => g.includes(ex.service!));
    return a !== -1 && b !== -1 && a !== b;
  }

  latencyOf(spec: FaultSpec): number {
    const r = this.latencyRandom;
    let ms = spec.ms ?? 0;
    if (spec.jitterMs) ms += r.next() * spec.jitterMs;
    const d = spec.distribution;
    if (d?.type === 'uniform') ms += d.min + r.next() * (d.max - d.min);
    else if (d?.type === 'normal') ms += Math.max(0, r.normal(d.mean, d.stdDev));
    else if (d?.type === 'lognormal') ms += d.median * Math.exp(d.sigma * r.normal(0, 1));
    return Math.round(ms);
  }

  private async respond(spec: FaultSpec, ex: Exchange): Promise<ExchangeResponse> {
    const where = ex.service ? `${ex.service}${ex.endpoint ? ` ${ex.endpoint}` : ''}` : ex.request.url;
    const extra = { faultId: spec.id, service: ex.service };
    switch (spec.kind) {
      case 'error': {
        const status = spec.status ?? 503;
        if (spec.body === undefined) return errorResponse(status, ResponseCodes.INJECTED_ERROR, `${where}: error ${status} injected by chaos fault "${spec.id}".`, extra);
        return typeof spec.body === 'string'
          ? { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: spec.body }
          : { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(spec.body) };
      }
      case 'abort':
        // over HTTP the connection is reset; in-process callers see a 502
        return { ...errorResponse(502, ResponseCodes.ABORTED, `${where}: connection reset by chaos fault "${spec.id}".`, extra), fault: 'CONNECTION_RESET_BY_PEER' };
      case 'timeout':
        await this.deps.clock.sleep(spec.ms!);
        return errorResponse(504, ResponseCodes.TIMEOUT, `${where}: no answer within ${spec.ms} ms (chaos fault "${spec.id}").`, extra);
      case 'outage':
        return errorResponse(503, ResponseCodes.OUTAGE, `${where}: unavailable (outage injected by chaos fault "${spec.id}").`, extra);
      default:
        return errorResponse(503, ResponseCodes.PARTITION, `${ex.context.caller} cannot reach ${where}: network partition (chaos fault "${spec.id}").`, extra);
    }
  }
}
