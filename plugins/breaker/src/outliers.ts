// Envoy/Istio-style outlier ejection per service instance: `consecutive5xx` failures in a
// row eject an instance for baseEjectionTimeMs × (times it was ejected); never more than
// maxEjectionPercent of a service's instances (at least one is always ejectable when the
// service has two or more, and one always stays). Evaluated on every result (no interval).
// Mesh chooses instances; through its `mesh.selectInstance` hooks breaker only vetoes the
// ejected ones (and learns how many instances a service has).
import type { MeshInstance } from '@understudy/plugin-mesh';
import type { Clock, Exchange, PluginEvents } from '@understudy/plugin-sdk';

export interface OutlierConfig {
  enabled: boolean;
  consecutive5xx: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
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
  /** Instances per service, as mesh last offered them. */
  private readonly offered = new Map<string, number>();

  constructor(
    readonly config: OutlierConfig,
    private readonly clock: Clock,
    private readonly events: PluginEvents,
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

  /** Mesh's count (its last offer), or the instances seen so far. */
  private instanceCount(service: string): number {
    const known = [...this.hosts.values()].filter((h) => h.service === service).length;
    return Math.max(this.offered.get(service) ?? 0, known);
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

  /**
   * A `mesh.selectInstance` tap: the candidates for `ex.service` without its ejected
   * instances (mesh round-robins over the rest). Runs for every call to a service with
   * several instances: without ejections it returns the candidates as they are.
   */
  select(candidates: readonly MeshInstance[], ex: Exchange): readonly MeshInstance[] {
    const service = ex.service!;
    if (this.offered.get(service) !== candidates.length) this.offered.set(service, candidates.length);
    if (this.ejectedBy.size === 0) return candidates;
    const ejected = this.ejectedBy.get(service);
    if (!ejected || ejected.size === 0) return candidates;
    return candidates.filter((c) => !ejected.has(c.id));
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
