// Stale reads during recovery: for each stateful workload of the cluster, an incident of kind
// `staleReads` opens at the first tick with reads that saw stale data (detected, target the
// replica that is behind), notes how many reads each lagging replica served stale once it is
// current ("<n> reads saw stale data on db-2"), and resolves once no running replica is behind.
import type { Cluster, ClusterTick } from '@understudy/plugin-cluster';
import type { Incident } from './contract.js';
import type { IncidentStore } from './incidents.js';

const RUNNING = new Set(['Starting', 'Ready', 'NotReady']);

export class StaleReadWatch {
  private readonly open = new Map<string, { incident: Incident; lagging: Set<string>; reads: number }>();

  constructor(
    private readonly cluster: Cluster,
    private readonly store: IncidentStore,
  ) {}

  tick(tick: ClusterTick): void {
    for (const st of tick.services.values()) {
      if (st.staleReads === undefined || st.workload === undefined) continue;
      const rep = this.cluster.replication(st.workload);
      if (!rep) continue;
      const running = Object.keys(rep.behind).filter((id) => this.running(id));
      let watch = this.open.get(st.workload);
      if (!watch) {
        if (st.staleReads <= 0) continue;
        const target = running[0] ?? Object.keys(rep.staleReadsByInstance)[0];
        const incident = this.store.open('staleReads', [st.service], tick.at, `${target} serves stale reads: ${rep.behind[target ?? ''] ?? 0} ms behind a current replica of ${st.service}`, target);
        watch = { incident, lagging: new Set(target ? [target] : []), reads: 0 };
        this.open.set(st.workload, watch);
      }
      watch.reads += st.staleReads;
      for (const id of running) {
        if (watch.lagging.has(id)) continue;
        watch.lagging.add(id);
        this.store.append(watch.incident, { at: tick.at, kind: 'detected', target: id, message: `${id} serves stale reads: ${rep.behind[id]} ms behind` });
      }
      for (const id of [...watch.lagging]) {
        if (running.includes(id)) continue;
        watch.lagging.delete(id);
        const n = Math.max(1, Math.round(rep.staleReadsByInstance[id] ?? 0));
        this.store.append(watch.incident, { at: tick.at, kind: 'note', target: id, message: `${n} reads saw stale data on ${id}; it is current again` });
      }
      if (running.length === 0) {
        this.open.delete(st.workload);
        this.store.close(watch.incident, tick.at, `every replica of ${st.service} current again after ${((tick.at - watch.incident.openedAt) / 1000).toFixed(1)} s; ${Math.max(1, Math.round(watch.reads))} stale reads`);
      }
    }
  }

  private running(id: string): boolean {
    try {
      return RUNNING.has(this.cluster.instance(id).state);
    } catch {
      return false;
    }
  }
}
