// The registry contract other plugins (mesh) rely on. Keep names and shapes stable.

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
  instances(service: string, filter?: InstanceFilter): RegisteredInstance[];
  services(): Record<string, string[]>;
  readonly index: number;
  /** Resolves with the new index as soon as `index > sinceIndex` (for the given service when set), or with the current index after waitMs on the kernel clock. */
  waitForChange(sinceIndex: number, waitMs: number, service?: string): Promise<number>;
}
