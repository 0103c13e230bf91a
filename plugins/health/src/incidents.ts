// Incidents with their timelines, in a store bounded by count and bytes (overflow counted).
//
// An incident opens when a service that had been healthy turns degraded or unhealthy, when
// an instance fails, or when a node fails. A failure joins an open incident instead when it
// happens at the same instant as the incident's opening, or when its service is related by
// dependency (one calls the other, directly or not) to a service already in it — so a
// database outage and the errors it causes upstream are one incident. Timeline entries:
// `detected` (each service or failure as it joins), `action` (every step of the recovery,
// with its action and target), `recovered` (when it is resolved). It is resolved once every
// one of its services is healthy; its time to recovery is resolvedAt − openedAt.
// Timelines are bounded too: past the limit the oldest entries after the first go, and
// `droppedEntries` counts them.
import type { PluginEvents } from '@understudy/plugin-sdk';
import type { Incident, TimelineEntry } from './contract.js';

export interface IncidentLimits {
  store: { max: number; maxBytes: number };
  timeline: { max: number; maxBytes: number };
  recoveryTimes: number;
}

interface Stored {
  incident: Incident;
  bytes: number;
  entryBytes: number[];
}

const BASE_BYTES = 200;
const sizeOf = (e: TimelineEntry) => JSON.stringify(e).length;

export class IncidentStore {
  private readonly stored: Stored[] = [];
  private readonly byId = new Map<string, Stored>();
  private seq = 0;
  private bytes = 0;
  /** Incidents dropped from the store (oldest resolved first). */
  dropped = 0;
  opened = 0;
  resolved = 0;
  readonly recoveryTimesMs: number[] = [];
  /** Incidents a watcher opens and closes itself (open()/close()): nothing joins them, resolve() skips them. */
  private readonly separate = new Set<Incident>();

  constructor(
    private readonly limits: IncidentLimits,
    private readonly events: PluginEvents,
    /** Are two services related by dependency (either calls the other, transitively)? */
    private readonly related: (a: string, b: string) => boolean,
  ) {}

  /** The open incident a failure of `service` at `at` belongs to. */
  find(service: string, at: number): Incident | undefined {
    for (let i = this.stored.length - 1; i >= 0; i--) {
      const inc = this.stored[i]!.incident;
      if (inc.status !== 'open' || this.separate.has(inc)) continue;
      if (inc.services.includes(service) || inc.openedAt === at) return inc;
    }
    for (let i = this.stored.length - 1; i >= 0; i--) {
      const inc = this.stored[i]!.incident;
      if (inc.status === 'open' && !this.separate.has(inc) && inc.services.some((s) => this.related(service, s))) return inc;
    }
    return undefined;
  }

  /** A failure: joins the incident it belongs to, or opens one of `kind`. */
  detect(kind: string, services: readonly string[], at: number, message: string, target?: string): Incident {
    let inc: Incident | undefined;
    for (const s of services) {
      inc = this.find(s, at);
      if (inc) break;
    }
    if (!inc) return this.create(kind, services, at, message, target, false);
    const stored = this.byId.get(inc.id)!;
    for (const s of services) this.addService(stored, s);
    this.append(inc, { at, kind: 'detected', ...(target !== undefined && { target }), message });
    return inc;
  }

  private addService(stored: Stored, service: string): void {
    if (stored.incident.services.includes(service)) return;
    stored.incident.services.push(service);
    stored.bytes += service.length + 3;
    this.bytes += service.length + 3;
  }

  /** Append an entry to an incident's timeline (bounded). */
  append(inc: Incident, entry: TimelineEntry): void {
    const stored = this.byId.get(inc.id);
    if (!stored) return;
    const size = sizeOf(entry);
    inc.timeline.push(entry);
    stored.entryBytes.push(size);
    stored.bytes += size;
    this.bytes += size;
    const { max, maxBytes } = this.limits.timeline;
    let tl = 0;
    for (const b of stored.entryBytes) tl += b;
    while (inc.timeline.length > 2 && (inc.timeline.length > max || tl > maxBytes)) {
      inc.timeline.splice(1, 1);
      const gone = stored.entryBytes.splice(1, 1)[0]!;
      tl -= gone;
      stored.bytes -= gone;
      this.bytes -= gone;
      inc.droppedEntries = (inc.droppedEntries ?? 0) + 1;
    }
    this.bound();
  }

  /** Record an action in the open incident of `service` (if any); returns its id. */
  action(service: string | undefined, at: number, action: string, target: string, message: string): string | undefined {
    const inc = service === undefined ? undefined : this.openFor(service);
    if (inc) this.append(inc, { at, kind: 'action', action, target, message });
    return inc?.id;
  }

  /** The open incident that already holds `service`. */
  openFor(service: string): Incident | undefined {
    for (let i = this.stored.length - 1; i >= 0; i--) {
      const inc = this.stored[i]!.incident;
      if (inc.status === 'open' && !this.separate.has(inc) && inc.services.includes(service)) return inc;
    }
    return undefined;
  }

  /** Resolve every open incident whose services are all healthy now. */
  resolve(healthy: (service: string) => boolean, at: number): Incident[] {
    const done: Incident[] = [];
    for (const { incident: inc } of this.stored) {
      if (inc.status !== 'open' || this.separate.has(inc) || !inc.services.every(healthy)) continue;
      this.finish(inc, at, `${inc.services.join(', ')} healthy again after ${((at - inc.openedAt) / 1000).toFixed(1)} s`);
      done.push(inc);
    }
    return done;
  }

  /** Open an incident of `kind` that no other failure joins; only close() resolves it. */
  open(kind: string, services: readonly string[], at: number, message: string, target?: string): Incident {
    return this.create(kind, services, at, message, target, true);
  }

  /** Resolve an incident open() opened (TTR = at − openedAt). */
  close(inc: Incident, at: number, message: string): void {
    if (inc.status !== 'open') return;
    this.separate.delete(inc);
    this.finish(inc, at, message);
  }

  /** A new open incident with its `detected` entry; a `separate` one only close() resolves. */
  private create(kind: string, services: readonly string[], at: number, message: string, target: string | undefined, separate: boolean): Incident {
    const inc: Incident = { id: `inc-${++this.seq}`, kind, services: [], openedAt: at, status: 'open', timeline: [] };
    const stored: Stored = { incident: inc, bytes: BASE_BYTES, entryBytes: [] };
    this.stored.push(stored);
    this.byId.set(inc.id, stored);
    if (separate) this.separate.add(inc);
    this.bytes += BASE_BYTES;
    this.opened++;
    for (const s of services) this.addService(stored, s);
    this.append(inc, { at, kind: 'detected', ...(target !== undefined && { target }), message });
    this.events.emit('health.incidentOpened', { incidentId: inc.id, kind, services: [...inc.services] });
    this.bound();
    return inc;
  }

  /** Resolved at `at` with its `recovered` entry; its TTR joins the recovery times. */
  private finish(inc: Incident, at: number, message: string): void {
    inc.status = 'resolved';
    inc.resolvedAt = at;
    inc.ttrMs = at - inc.openedAt;
    this.append(inc, { at, kind: 'recovered', message });
    this.resolved++;
    this.recoveryTimesMs.push(inc.ttrMs);
    if (this.recoveryTimesMs.length > this.limits.recoveryTimes) this.recoveryTimesMs.shift();
    this.events.emit('health.incidentResolved', { incidentId: inc.id, kind: inc.kind, services: [...inc.services], ttrMs: inc.ttrMs });
  }

  /** Drop the oldest resolved incidents (then the oldest open) past the store's bounds. */
  private bound(): void {
    const { max, maxBytes } = this.limits.store;
    while (this.stored.length > 1 && (this.stored.length > max || this.bytes > maxBytes)) {
      let i = this.stored.findIndex((s) => s.incident.status === 'resolved');
      if (i < 0) i = 0;
      const [gone] = this.stored.splice(i, 1);
      this.byId.delete(gone!.incident.id);
      this.bytes -= gone!.bytes;
      this.dropped++;
    }
  }

  list(filter: { status?: 'open' | 'resolved'; service?: string } = {}): Incident[] {
    return this.stored
      .map((s) => s.incident)
      .filter((i) => (filter.status === undefined || i.status === filter.status) && (filter.service === undefined || i.services.includes(filter.service)))
      .reverse();
  }

  get(id: string): Incident | undefined {
    return this.byId.get(id)?.incident;
  }

  get size(): number {
    return this.stored.length;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
