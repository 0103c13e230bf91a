// Envoy/Istio-style outlier ejection per service instance: `consecutive5xx` failures in a
// row eject an instance for baseEjectionTimeMs × (times it was ejected); never more than
// maxEjectionPercent of a service's instances (at least one is always ejectable when the
// service has two or more, and one always stays). Evaluated on every result (no interval).
import type { Clock, Exchange, PluginEvents } from '@understudy/plugin-sdk';

export interface OutlierConfig {
  enabled: boolean;
  consecutive5xx: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
}

/** The part of discovery's registry used here (breaker never imports discovery). */
export interface RegistryLike {
  instances(service: string, filter?: { passingOnly?: boolean }): { id: string }[];
}

interface Host {
  id: string;
  service: string;
  consecutive: number;
  ejections: number;
  ejectedAt?: number;
  ejectedUntil?: number;
  timer?: unknown;
}

export interface EjectedInstance {
  instance: string;
  service: string;
  ejectedAt: number;
  returnsAt: number;
  ejections: number;
}

export class Outliers {
  private readonly hosts = new Map<string, Host>();
  private readonly ejectedBy = new Map<string, Set<string>>();
  private readonly cursor = new Map<string, number>();

  constructor(
    readonly config: OutlierConfig,
    private readonly clock: Clock,
    private readonly events: PluginEvents,
    private readonly registry: () => RegistryLike | undefined,
  ) {}

  /** A settled call to `instance` of `service`. */
  record(service: string, instance: string, failure: boolean): void {
    if (!this.config.enabled) return;
    let host = this.hosts.get(instance);
    if (!host) {
      host = { id: instance, service, consecutive: 0, ejections: 0 };
      this.hosts.set(instance, host);
    }
    if (!failure) {
      host.consecutive = 0;
      return;
    }
    host.consecutive++;
    if (host.consecutive >= this.config.consecutive5xx && host.ejectedUntil === undefined) this.tryEject(host);
  }

  private instanceCount(service: string): number {
    const registry = this.registry();
    const known = [...this.hosts.values()].filter((h) => h.service === service).length;
    return registry ? Math.max(registry.instances(service).length, known) : known;
  }

  private tryEject(host: Host): void {
    const total = this.instanceCount(host.service);
    const allowed = total <= 1 ? 0 : Math.min(total - 1, Math.max(1, Math.floor((total * this.config.maxEjectionPercent) / 100)));
    const ejected = this.ejectedBy.get(host.service) ?? new Set<string>();
    if (ejected.size >= allowed) return;
    host.ejections++;
    const now = this.clock.now();
    const ms = this.config.baseEjectionTimeMs * host.ejections;
    host.ejectedAt = now;
    host.ejectedUntil = now + ms;
    ejected.add(host.id);
    this.ejectedBy.set(host.service, ejected);
    host.timer = this.clock.setTimeout(() => this.restore(host), ms);
    this.events.emit('breaker.instanceEjected', {
      service: host.service,
      instance: host.id,
      consecutive5xx: host.consecutive,
      ejections: host.ejections,
      ejectionMs: ms,
      returnsAt: host.ejectedUntil,
    });
  }

  private restore(host: Host): void {
    host.ejectedAt = undefined;
    host.ejectedUntil = undefined;
    host.timer = undefined;
    host.consecutive = 0;
    this.ejectedBy.get(host.service)?.delete(host.id);
    this.events.emit('breaker.instanceReturned', { service: host.service, instance: host.id, ejections: host.ejections });
  }

  isEjected(instance: string): boolean {
    return this.hosts.get(instance)?.ejectedUntil !== undefined;
  }

  /** Stage.Route - 10: choose a non-ejected instance (round-robin) before mesh picks one. */
  steer(ex: Exchange): void {
    if (this.ejectedBy.size === 0) return;
    const service = ex.service ?? firstSegment(ex.request.path);
    const ejected = this.ejectedBy.get(service);
    if (!ejected || ejected.size === 0) return;
    const chosen = ex.context.tags.instance;
    if (typeof chosen === 'string' && !ejected.has(chosen)) return;
    const registry = this.registry();
    if (!registry) return;
    const candidates = registry.instances(service, { passingOnly: true }).filter((i) => !ejected.has(i.id));
    if (candidates.length === 0) return;
    const n = this.cursor.get(service) ?? 0;
    this.cursor.set(service, n + 1);
    ex.context.tags.instance = candidates[n % candidates.length].id;
  }

  ejected(): EjectedInstance[] {
    return [...this.hosts.values()]
      .filter((h) => h.ejectedUntil !== undefined)
      .map((h) => ({ instance: h.id, service: h.service, ejectedAt: h.ejectedAt!, returnsAt: h.ejectedUntil!, ejections: h.ejections }));
  }

  /** Every instance seen, with its consecutive failures. */
  hostsSummary(): { instance: string; service: string; consecutive5xx: number; ejections: number; ejected: boolean }[] {
    return [...this.hosts.values()].map((h) => ({ instance: h.id, service: h.service, consecutive5xx: h.consecutive, ejections: h.ejections, ejected: h.ejectedUntil !== undefined }));
  }

  stop(): void {
    for (const h of this.hosts.values()) if (h.timer !== undefined) this.clock.clearTimeout(h.timer as never);
  }
}

function firstSegment(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash === -1 ? path.slice(1) : path.slice(1, slash);
}
