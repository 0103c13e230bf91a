// The service registry: instances (at most maxInstances), TTL health, critical reaping,
// the change index and blocking waits. All time comes from the kernel clock.
import type { Clock, PluginEvents, TimerHandle } from '@understudy/plugin-sdk';
import { DiscoveryErrors, invalid } from './errors.js';
import type {
  Health,
  InstanceFilter,
  InstanceRegistration,
  RegisteredInstance,
  RegisterOptions,
  ServiceRegistry,
} from './contract.js';

type Events = Pick<PluginEvents, 'emit'>;

export const HEALTH_VALUES: readonly Health[] = ['passing', 'warning', 'critical'];

interface Entry {
  instance: RegisteredInstance;
  ttlTimer?: TimerHandle;
  reapTimer?: TimerHandle;
}

interface Waiter {
  since: number;
  service?: string;
  resolve(index: number): void;
  timer: TimerHandle;
}

export interface RegistryOptions {
  clock: Clock;
  events: Events;
  /** Default for instances registered without their own value; 0 = never. */
  deregisterCriticalAfterMs: number;
  /** Most instances at once; a new id past it is refused (US_DISCOVERY_LIMIT_REACHED). Default: no limit. */
  maxInstances?: number;
}

function validate(reg: InstanceRegistration): void {
  if (typeof reg !== 'object' || reg === null) invalid('registration', 'must be an object');
  if (typeof reg.id !== 'string' || reg.id.trim() === '') invalid('id', 'must be a non-empty string');
  if (typeof reg.service !== 'string' || reg.service.trim() === '') invalid('service', 'must be a non-empty string');
  if (typeof reg.address !== 'string') invalid('address', 'must be a string');
  if (!Number.isInteger(reg.port) || reg.port < 0 || reg.port > 65535) invalid('port', 'must be an integer between 0 and 65535');
  if (reg.tags !== undefined && (!Array.isArray(reg.tags) || reg.tags.some((t) => typeof t !== 'string'))) invalid('tags', 'must be an array of strings');
  if (reg.meta !== undefined && (typeof reg.meta !== 'object' || reg.meta === null || Object.values(reg.meta).some((v) => typeof v !== 'string'))) {
    invalid('meta', 'must be an object of strings');
  }
  if (reg.version !== undefined && typeof reg.version !== 'string') invalid('version', 'must be a string');
  if (reg.ttlMs !== undefined && (!Number.isFinite(reg.ttlMs) || reg.ttlMs <= 0)) invalid('ttlMs', 'must be a positive number');
}

export function assertHealth(value: unknown, field: string): asserts value is Health {
  if (!HEALTH_VALUES.includes(value as Health)) throw new DiscoveryErrors.INVALID_HEALTH(field, value);
}

export class Registry implements ServiceRegistry {
  #index = 1;
  readonly #entries = new Map<string, Entry>();
  /** Last index at which each service changed; kept after the service empties, for blocking queries. */
  readonly #serviceIndex = new Map<string, number>();
  readonly #waiters = new Set<Waiter>();
  readonly #removed = new Set<(instance: RegisteredInstance) => void>();
  readonly #clock: Clock;
  readonly #events: Events;
  readonly #defaultReapMs: number;
  readonly #maxInstances: number;

  constructor(options: RegistryOptions) {
    this.#clock = options.clock;
    this.#events = options.events;
    this.#defaultReapMs = options.deregisterCriticalAfterMs;
    this.#maxInstances = options.maxInstances ?? Number.POSITIVE_INFINITY;
  }

  /** Instances registered now. */
  get size(): number {
    return this.#entries.size;
  }

  get index(): number {
    return this.#index;
  }

  /** The index a query on one service reports: when it last changed (at least 1, as Consul never answers 0). */
  serviceIndex(service: string): number {
    return this.#serviceIndex.get(service) ?? 1;
  }

  register(reg: InstanceRegistration, options: RegisterOptions = {}): RegisteredInstance {
    validate(reg);
    if (options.health !== undefined) assertHealth(options.health, 'health');
    // refused before anything changes; a re-registration takes no new room
    if (!this.#entries.has(reg.id) && this.#entries.size >= this.#maxInstances) throw new DiscoveryErrors.LIMIT_REACHED(reg.id, this.#maxInstances);
    const now = this.#clock.now();
    const previous = this.#entries.get(reg.id);
    if (previous && previous.instance.service !== reg.service) this.#remove(previous, 'replaced', previous.instance.source);
    const existing = this.#entries.get(reg.id);
    const index = this.#bump(reg.service);
    const instance: RegisteredInstance = {
      id: reg.id,
      service: reg.service,
      address: reg.address,
      port: reg.port,
      tags: [...(reg.tags ?? [])],
      meta: { ...reg.meta },
      version: reg.version ?? '',
      source: reg.source ?? 'api',
      ...(reg.ttlMs !== undefined && { ttlMs: reg.ttlMs }),
      health: options.health ?? 'passing',
      output: options.output ?? '',
      registeredAt: existing?.instance.registeredAt ?? now,
      lastHeartbeat: now,
      createIndex: existing?.instance.createIndex ?? index,
      modifyIndex: index,
      deregisterCriticalAfterMs: options.deregisterCriticalAfterMs ?? this.#defaultReapMs,
      onTtlExpiry: options.onTtlExpiry ?? 'critical',
    };
    const entry: Entry = { instance };
    if (existing) this.#clearTimers(existing);
    this.#entries.set(reg.id, entry);
    this.#armTtl(entry);
    this.#armReap(entry);
    const { id, service, address, port, source, health } = instance;
    this.#events.emit('service.registered', { id, service, address, port, health, source, updated: existing !== undefined });
    if (existing && existing.instance.health !== health) this.#emitHealth(instance, existing.instance.health, source);
    this.#wake(service);
    return copy(instance);
  }

  deregister(id: string, reason = 'deregistered'): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#remove(entry, reason, entry.instance.source);
    this.#wake(entry.instance.service);
    return true;
  }

  heartbeat(id: string): boolean {
    return this.setHealth(id, 'passing');
  }

  /** Renew a lease without touching health (Eureka's renewal keeps a status override). */
  renew(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    entry.instance.lastHeartbeat = this.#clock.now();
    this.#armTtl(entry);
    return true;
  }

  /** Set health as a TTL update does: it also renews the TTL. Only a change bumps the index. */
  setHealth(id: string, health: Health, output?: string): boolean {
    assertHealth(health, 'health');
    const entry = this.#entries.get(id);
    if (!entry) return false;
    const { instance } = entry;
    instance.lastHeartbeat = this.#clock.now();
    this.#armTtl(entry);
    this.#changeHealth(entry, health, output ?? instance.output, instance.source);
    return true;
  }

  get(id: string): RegisteredInstance | undefined {
    const entry = this.#entries.get(id);
    return entry && copy(entry.instance);
  }

  /** Every instance, ordered by service then id. */
  all(): RegisteredInstance[] {
    return [...this.#entries.values()]
      .map((e) => copy(e.instance))
      .sort((a, b) => (a.service === b.service ? cmp(a.id, b.id) : cmp(a.service, b.service)));
  }

  instances(service: string, filter: InstanceFilter = {}): RegisteredInstance[] {
    const found: RegisteredInstance[] = [];
    for (const { instance } of this.#entries.values()) {
      if (instance.service !== service) continue;
      if (filter.passingOnly && instance.health !== 'passing') continue;
      if (filter.tag !== undefined && !instance.tags.includes(filter.tag)) continue;
      found.push(copy(instance));
    }
    return found.sort((a, b) => cmp(a.id, b.id));
  }

  services(): Record<string, string[]> {
    const tags = new Map<string, Set<string>>();
    for (const { instance } of this.#entries.values()) {
      let set = tags.get(instance.service);
      if (!set) tags.set(instance.service, (set = new Set()));
      for (const tag of instance.tags) set.add(tag);
    }
    const names = [...tags.keys()].sort(cmp);
    return Object.fromEntries(names.map((name) => [name, [...tags.get(name)!]]));
  }

  waitForChange(sinceIndex: number, waitMs: number, service?: string): Promise<number> {
    const current = () => (service === undefined ? this.#index : this.serviceIndex(service));
    // a client index ahead of ours means our state was reset: answer at once, as Consul does
    if (current() > sinceIndex || sinceIndex > this.#index || waitMs <= 0) return Promise.resolve(current());
    return new Promise((resolve) => {
      const waiter: Waiter = {
        since: sinceIndex,
        service,
        resolve,
        timer: this.#clock.setTimeout(() => {
          this.#waiters.delete(waiter);
          resolve(current());
        }, waitMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Called with each instance that leaves the registry, whatever the reason. */
  onRemoved(listener: (instance: RegisteredInstance) => void): void {
    this.#removed.add(listener);
  }

  /** Stop every timer and release blocked queries (plugin stop). */
  close(): void {
    for (const entry of this.#entries.values()) this.#clearTimers(entry);
    for (const waiter of this.#waiters) {
      this.#clock.clearTimeout(waiter.timer);
      waiter.resolve(this.#index);
    }
    this.#waiters.clear();
  }

  #bump(service: string): number {
    this.#index += 1;
    this.#serviceIndex.set(service, this.#index);
    return this.#index;
  }

  /** Release the blocked queries this change concerns, in the same tick. */
  #wake(service: string): void {
    for (const waiter of this.#waiters) {
      if (waiter.service !== undefined && waiter.service !== service) continue;
      this.#clock.clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve(waiter.service === undefined ? this.#index : this.serviceIndex(service));
    }
  }

  #remove(entry: Entry, reason: string, source: string): void {
    const { instance } = entry;
    this.#clearTimers(entry);
    this.#entries.delete(instance.id);
    this.#bump(instance.service);
    this.#events.emit('service.deregistered', { id: instance.id, service: instance.service, reason, source });
    for (const listener of this.#removed) listener(instance);
  }

  #changeHealth(entry: Entry, health: Health, output: string, source: string): void {
    const { instance } = entry;
    const from = instance.health;
    if (from === health && instance.output === output) return;
    instance.health = health;
    instance.output = output;
    instance.modifyIndex = this.#bump(instance.service);
    if (from !== health) {
      this.#emitHealth(instance, from, source);
      this.#armReap(entry);
    }
    this.#wake(instance.service);
  }

  #emitHealth(instance: RegisteredInstance, from: Health, source: string): void {
    this.#events.emit('service.healthChanged', { id: instance.id, service: instance.service, from, to: instance.health, output: instance.output, source });
  }

  #armTtl(entry: Entry): void {
    const { ttlMs, id } = entry.instance;
    if (entry.ttlTimer) this.#clock.clearTimeout(entry.ttlTimer);
    entry.ttlTimer = undefined;
    if (ttlMs === undefined) return;
    entry.ttlTimer = this.#clock.setTimeout(() => {
      entry.ttlTimer = undefined;
      if (entry.instance.onTtlExpiry === 'deregister') {
        this.#remove(entry, 'lease expired', 'ttl');
        this.#wake(entry.instance.service);
      } else {
        this.#changeHealth(entry, 'critical', `TTL expired (no heartbeat for ${ttlMs} ms) on ${id}`, 'ttl');
      }
    }, ttlMs);
  }

  /** Critical instances are removed after their deregisterCriticalAfterMs; leaving critical cancels it. */
  #armReap(entry: Entry): void {
    const { health, deregisterCriticalAfterMs } = entry.instance;
    if (entry.reapTimer) this.#clock.clearTimeout(entry.reapTimer);
    entry.reapTimer = undefined;
    if (health !== 'critical' || deregisterCriticalAfterMs <= 0) return;
    entry.reapTimer = this.#clock.setTimeout(() => {
      entry.reapTimer = undefined;
      this.#remove(entry, `critical for more than ${deregisterCriticalAfterMs} ms`, 'reaper');
      this.#wake(entry.instance.service);
    }, deregisterCriticalAfterMs);
  }

  #clearTimers(entry: Entry): void {
    if (entry.ttlTimer) this.#clock.clearTimeout(entry.ttlTimer);
    if (entry.reapTimer) this.#clock.clearTimeout(entry.reapTimer);
    entry.ttlTimer = entry.reapTimer = undefined;
  }
}

/** Callers get copies, so they cannot change the registry behind its back. */
function copy(i: RegisteredInstance): RegisteredInstance {
  return { ...i, tags: [...i.tags], meta: { ...i.meta } };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
