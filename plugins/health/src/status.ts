// Dependency-aware status per service, evaluated on every cluster tick (O(services)):
//
// own instances   no Ready instance while some are wanted → unhealthy; fewer Ready than
//                 wanted → degraded, unless the missing ones are starting for the first
//                 time (a scale-up or a first rollout is not a failure; the replacement
//                 of an evicted or lost instance is not a first start: it counts as
//                 missing until it is Ready);
// SLOs            an error rate over the service's SLO, or a p99 over its objective, for
//                 `degraded.ticks` ticks in a row → degraded; an error rate at or above
//                 `unhealthyErrorRate` that long → unhealthy; back within its SLOs for
//                 `recoverTicks` ticks → no longer;
// dependencies    a critical dependency (a sync call with onFailure 'propagate') that is
//                 unhealthy makes the service unhealthy, a degraded one degraded; an
//                 unhealthy optional dependency (fallback, ignore, async) makes it degraded.
// The worst of the three wins; each reason is one line. Dependencies are evaluated
// first (leaves first); in a cycle a dependency counts with its own status only.
import type { ClusterTick, ServiceTick } from '@understudy/plugin-cluster';
import type { HealthConfig } from './config.js';
import type { DependencyHealth, HealthStatusEvent, ServiceHealth, ServiceSlo, ServiceStatus } from './contract.js';

export interface Dependency {
  service: string;
  critical: boolean;
}

export interface StatusDeps {
  /** Every service to report (the mesh's). */
  services(): readonly string[];
  dependencies(service: string): readonly Dependency[];
  /** Instances of the service starting for the first time (Pending or Starting, never run before, not replacing a lost one). */
  fresh(service: string): number;
}

const RANK: Record<ServiceStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };
const worst = (a: ServiceStatus, b: ServiceStatus): ServiceStatus => (RANK[b] > RANK[a] ? b : a);
const pct = (x: number) => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;

interface Entry {
  status: ServiceStatus;
  reasons: string[];
  since: number;
  /** SLO verdict with its hysteresis. */
  slo: ServiceStatus;
  over: number;
  within: number;
  ready: number;
  desired: number;
  errorRate: number;
  p99Ms: number;
  utilisation: number;
  demand: number;
  /** Own status (instances and SLOs), before dependencies. */
  own: ServiceStatus;
  ownReasons: string[];
  /** Has it ever been healthy (incidents are about regressions, not first rollouts)? */
  everHealthy: boolean;
  dependencies: DependencyHealth[];
}

export class StatusBoard {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly config: HealthConfig,
    private readonly deps: StatusDeps,
  ) {}

  sloOf(service: string): ServiceSlo {
    return { ...this.config.slo.default, ...this.config.slo.services[service] };
  }

  private entry(service: string, now: number): Entry {
    let e = this.entries.get(service);
    if (!e) {
      e = {
        status: 'healthy',
        reasons: [],
        since: now,
        slo: 'healthy',
        over: 0,
        within: 0,
        ready: 0,
        desired: 0,
        errorRate: 0,
        p99Ms: 0,
        utilisation: 0,
        demand: 0,
        own: 'healthy',
        ownReasons: [],
        everHealthy: false,
        dependencies: [],
      };
      this.entries.set(service, e);
    }
    return e;
  }

  /** One tick: every service's status; returns the changes (for events and incidents). */
  update(tick: ClusterTick): HealthStatusEvent[] {
    const now = tick.at;
    const names = this.deps.services();
    for (const name of names) this.own(this.entry(name, now), name, tick.services.get(name));
    if (this.entries.size > names.length) {
      const known = new Set(names);
      for (const gone of [...this.entries.keys()]) if (!known.has(gone)) this.entries.delete(gone);
    }
    const changes: HealthStatusEvent[] = [];
    const done = new Set<string>();
    const visiting = new Set<string>();
    const visit = (name: string): void => {
      if (done.has(name) || visiting.has(name)) return;
      visiting.add(name);
      const e = this.entries.get(name)!;
      let status = e.own;
      const reasons = [...e.ownReasons];
      const depViews: DependencyHealth[] = [];
      for (const dep of this.deps.dependencies(name)) {
        const d = this.entries.get(dep.service);
        if (!d) continue;
        visit(dep.service);
        // in a cycle the dependency is not done yet: its own status stands for it
        const depStatus = done.has(dep.service) ? d.status : d.own;
        depViews.push({ service: dep.service, critical: dep.critical, status: depStatus });
        if (depStatus === 'healthy') continue;
        if (dep.critical) {
          status = worst(status, depStatus);
          reasons.push(`critical dependency ${dep.service} is ${depStatus}`);
        } else if (depStatus === 'unhealthy') {
          status = worst(status, 'degraded');
          reasons.push(`optional dependency ${dep.service} is unhealthy (its callers fall back)`);
        }
      }
      visiting.delete(name);
      done.add(name);
      e.dependencies = depViews;
      e.reasons = reasons;
      if (status !== e.status) {
        changes.push({ service: name, from: e.status, to: status, reasons });
        e.status = status;
        e.since = now;
      }
      if (status === 'healthy') e.everHealthy = true;
    };
    for (const name of names) visit(name);
    return changes;
  }

  private own(e: Entry, name: string, t: ServiceTick | undefined): void {
    const reasons: string[] = [];
    let status: ServiceStatus = 'healthy';
    if (t) {
      e.ready = t.ready;
      e.desired = t.desired;
      e.errorRate = t.errorRate;
      e.p99Ms = t.p99Ms;
      e.utilisation = t.utilisation;
      e.demand = t.demand;
      if (t.desired > 0 && t.ready === 0) {
        status = 'unhealthy';
        reasons.push(`0/${t.desired} instances Ready`);
      } else if (t.ready < t.desired && t.ready + this.deps.fresh(name) < t.desired) {
        status = 'degraded';
        reasons.push(`${t.ready}/${t.desired} instances Ready`);
      }
      const slo = this.sloOf(name);
      const d = this.config.degraded;
      let breach: ServiceStatus = 'healthy';
      const why: string[] = [];
      if (t.demand > 0 && t.errorRate >= d.unhealthyErrorRate) {
        breach = 'unhealthy';
        why.push(`error rate ${pct(t.errorRate)} >= ${pct(d.unhealthyErrorRate)} (unhealthy)`);
      } else if (t.demand > 0 && t.errorRate > slo.errorRate) {
        breach = 'degraded';
        why.push(`error rate ${pct(t.errorRate)} > SLO ${pct(slo.errorRate)}`);
      }
      if (t.demand > 0 && t.p99Ms > slo.p99Ms) {
        breach = worst(breach, 'degraded');
        why.push(`p99 ${Math.round(t.p99Ms)} ms > SLO ${slo.p99Ms} ms`);
      }
      if (breach === 'healthy') {
        e.within++;
        e.over = 0;
        if (e.within >= d.recoverTicks) e.slo = 'healthy';
      } else {
        e.over++;
        e.within = 0;
        if (e.over >= d.ticks) e.slo = breach;
      }
      if (e.slo !== 'healthy') {
        status = worst(status, e.slo);
        reasons.push(...(why.length ? why : [`recovering: within its SLOs for ${e.within}/${d.recoverTicks} ticks`]));
      }
    }
    e.own = status;
    e.ownReasons = reasons;
  }

  status(service: string): ServiceStatus | undefined {
    return this.entries.get(service)?.status;
  }

  everHealthy(service: string): boolean {
    return this.entries.get(service)?.everHealthy ?? false;
  }

  /** Numbers the planner's remediation needs. */
  load(service: string): { demand: number; utilisation: number; desired: number; ready: number } | undefined {
    const e = this.entries.get(service);
    return e && { demand: e.demand, utilisation: e.utilisation, desired: e.desired, ready: e.ready };
  }

  view(service: string): ServiceHealth | undefined {
    const e = this.entries.get(service);
    if (!e) return undefined;
    return {
      service,
      status: e.status,
      reasons: [...e.reasons],
      ready: e.ready,
      desired: e.desired,
      errorRate: e.errorRate,
      p99Ms: e.p99Ms,
      slo: this.sloOf(service),
      dependencies: e.dependencies.map((d) => ({ ...d })),
      since: e.since,
    };
  }

  views(): ServiceHealth[] {
    return [...this.entries.keys()].sort().map((s) => this.view(s)!);
  }

  has(service: string): boolean {
    return this.entries.has(service);
  }
}
