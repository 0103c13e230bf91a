// The discovery plugin's contract: the `registry` service's types (mesh, chaos and
// breaker import them, type-only), the events the registry emits, and their declaration
// in the kernel's Services and EventMap. Keep names and shapes stable.

export type Health = 'passing' | 'warning' | 'critical';

export interface InstanceRegistration {
  id: string;
  service: string;
  address: string;
  port: number;
  tags?: string[];
  meta?: Record<string, string>;
  version?: string;
  /** TTL health check: without a heartbeat for this long the instance turns critical. */
  ttlMs?: number;
  /** Who registered it: `consul`, `eureka`, `admin`, `config`, `mesh`, … (default `api`). */
  source?: string;
}

export interface RegisteredInstance extends Required<Omit<InstanceRegistration, 'ttlMs'>> {
  ttlMs?: number;
  health: Health;
  output: string;
  registeredAt: number;
  lastHeartbeat: number;
  /** Change index when the instance was first registered / last changed (Consul's CreateIndex/ModifyIndex). */
  createIndex: number;
  modifyIndex: number;
  /** Removed this long after turning critical; 0 = never. */
  deregisterCriticalAfterMs: number;
  /** What a missed TTL does: Consul checks turn critical, Eureka leases expire (deregister). */
  onTtlExpiry: 'critical' | 'deregister';
}

/** Extras of one registration that the contract's InstanceRegistration leaves out. */
export interface RegisterOptions {
  /** Initial health (default passing: registering counts as the first heartbeat). */
  health?: Health;
  output?: string;
  /** Overrides the configured default; 0 = never. */
  deregisterCriticalAfterMs?: number;
  onTtlExpiry?: 'critical' | 'deregister';
}

export interface InstanceFilter {
  passingOnly?: boolean;
  tag?: string;
}

export interface ServiceRegistry {
  register(reg: InstanceRegistration, options?: RegisterOptions): RegisteredInstance;
  deregister(id: string, reason?: string): boolean;
  heartbeat(id: string): boolean;
  setHealth(id: string, health: Health, output?: string): boolean;
  /** One instance by id (a copy), or undefined. */
  get(id: string): RegisteredInstance | undefined;
  instances(service: string, filter?: InstanceFilter): RegisteredInstance[];
  services(): Record<string, string[]>;
  readonly index: number;
  /** Resolves with the new index as soon as `index > sinceIndex` (for the given service when set), or with the current index after waitMs on the kernel clock. */
  waitForChange(sinceIndex: number, waitMs: number, service?: string): Promise<number>;
}

/** Who changed the registry: a registration's `source`, or `ttl` / `reaper` for timers. */
export interface ServiceRegisteredEvent {
  id: string;
  service: string;
  address: string;
  port: number;
  health: Health;
  source: string;
  /** True when an instance with this id was already registered (re-registration). */
  updated: boolean;
}

export interface ServiceDeregisteredEvent {
  id: string;
  service: string;
  /** `deregistered`, `replaced`, `lease expired`, `critical for more than N ms`. */
  reason: string;
  source: string;
}

export interface ServiceHealthChangedEvent {
  id: string;
  service: string;
  from: Health;
  to: Health;
  output: string;
  /** `ttl` when a TTL lapsed, else the instance's source. */
  source: string;
}

declare module '@understudy/kernel' {
  interface Services {
    registry: ServiceRegistry;
  }
  interface EventMap {
    'service.registered': ServiceRegisteredEvent;
    'service.deregistered': ServiceDeregisteredEvent;
    'service.healthChanged': ServiceHealthChangedEvent;
  }
}
