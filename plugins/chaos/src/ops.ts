// Experiment actions and probes of the operations world: kill instances, fail / drain /
// recover nodes and zones, exhaust a node's memory (cluster plugin); deploy a bad version
// and roll it back (deploy plugin); a traffic spike (traffic plugin); probes over
// observability metrics, health status and the cluster. Every plugin here is optional:
// `needs()` says which services an experiment uses, and a run checks them before it starts.
import type { Cluster } from '@understudy/plugin-cluster';
import type { HealthService, ServiceStatus } from '@understudy/plugin-health';
import type { Observability } from '@understudy/plugin-observability';
import type { Traffic } from '@understudy/plugin-traffic';
import type { Clock, Random } from '@understudy/plugin-sdk';
import type { ActionSpec, ExperimentSpec, OpsActionProvider, OpsProbeProvider, OpsProviderType, ProbeSpec } from './specs.js';

/**
 * The part of the deploy plugin's `deployments` service chaos calls (its contract has more).
 * `start` begins a rollout of `version` with the partial workload spec `template` (a bad
 * build: `{ versions: { "<version>": { crashOnStart: true } } }`); `rollback` returns to the
 * revision before the stable one; `abort` stops the running rollout.
 */
export interface DeployService {
  start(request: { workload: string; version: string; template?: Record<string, unknown>; strategy?: Record<string, unknown>; by?: string; reason?: string }): {
    revision: number;
    version: string;
  };
  rollback(workload: string, options?: { by?: string; reason?: string }): { revision: number; version: string };
  abort(workload: string, options?: { reason?: string; by?: string }): { phase: string };
}

/** The optional services, resolved when a run needs them (plugins may load in any order). */
export interface OpsServices {
  cluster(): Cluster | undefined;
  observability(): Observability | undefined;
  health(): HealthService | undefined;
  traffic(): Traffic | undefined;
  deployments(): DeployService | undefined;
}

/** The service (and the plugin providing it) each provider type needs. */
export const PROVIDER_NEEDS: Record<OpsProviderType | OpsProbeProvider['type'], { service: keyof OpsServices; plugin: string }> = {
  cluster: { service: 'cluster', plugin: 'cluster' },
  deploy: { service: 'deployments', plugin: 'deploy' },
  traffic: { service: 'traffic', plugin: 'traffic' },
  observability: { service: 'observability', plugin: 'observability' },
  health: { service: 'health', plugin: 'health' },
};

export const isOpsType = (t: string): t is keyof typeof PROVIDER_NEEDS => Object.hasOwn(PROVIDER_NEEDS, t);

/** Every ops activity of an experiment with the service it needs. */
export function needs(spec: Pick<ExperimentSpec, 'method' | 'rollbacks' | 'steady-state-hypothesis'>): Array<{ activity: string; service: keyof OpsServices; plugin: string }> {
  const all = [...(spec['steady-state-hypothesis']?.probes ?? []), ...spec.method, ...(spec.rollbacks ?? [])];
  const out: Array<{ activity: string; service: keyof OpsServices; plugin: string }> = [];
  for (const a of all) {
    if (a.type === 'pause') continue;
    const t = a.provider.type;
    if (isOpsType(t)) out.push({ activity: a.name, ...PROVIDER_NEEDS[t] });
  }
  return out;
}

/** The services of `needs` that no loaded plugin provides. */
export function missing(spec: Parameters<typeof needs>[0], services: OpsServices): Array<{ activity: string; service: keyof OpsServices; plugin: string }> {
  return needs(spec).filter((n) => services[n.service]() === undefined);
}

/** What one run changed in the cluster and traffic, so `recover` / `end-spikes` can undo it. */
export class OpsRun {
  readonly failedNodes = new Set<string>();
  readonly cordonedNodes = new Set<string>();
  readonly pressuredNodes = new Set<string>();
  readonly patterns: string[] = [];
  constructor(
    readonly experimentId: string,
    readonly random: Random,
    readonly clock: Clock,
  ) {}
}

const STATUS_RANK: Record<ServiceStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** Pick `n` of `items` with the seeded stream (partial Fisher–Yates over a sorted copy). */
function pickN<T>(items: readonly T[], n: number, random: Random): T[] {
  const copy = [...items];
  for (let i = 0; i < n; i++) {
    const j = random.int(i, copy.length - 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Run one ops action; its return value is the activity's `output` in the journal. Throws with a message that says how to fix it. */
export function runOpsAction(a: ActionSpec & { provider: OpsActionProvider }, services: OpsServices, run: OpsRun): unknown {
  const p = a.provider;
  const by = 'chaos';
  const reason = `chaos experiment ${run.experimentId}, action ${a.name}`;
  if (p.type === 'deploy') {
    const d = services.deployments()!;
    if (p.func === 'deploy-version') return d.start({ ...p.arguments, by, reason });
    if (p.func === 'rollback') return d.rollback(p.arguments.workload, { by, reason });
    return d.abort(p.arguments.workload, { by, reason });
  }
  if (p.type === 'traffic') {
    const t = services.traffic()!;
    if (p.func === 'spike') {
      const { service, rps, factor, durationMs } = p.arguments;
      const id = `${run.experimentId}.${a.name}`;
      // extra requests/s on top of what arrives now: given, or (factor − 1) × the current rate
      const current = t.rates().services.get(service) ?? 0;
      const extra = rps ?? current * (factor! - 1);
      if (extra <= 0) throw new Error(`no traffic reaches "${service}" now, so ${factor}× of it is nothing; give arguments.rps (extra requests/s) instead`);
      const status = t.add({ service, shape: { kind: 'constant', rps: extra } }, { id, start: true });
      run.patterns.push(status.id);
      // the spike ends by itself after durationMs (unless the run's end-spikes removed it first)
      if (durationMs !== undefined) {
        run.clock.setTimeout(() => {
          const at = run.patterns.indexOf(status.id);
          if (at < 0) return;
          run.patterns.splice(at, 1);
          if (t.patterns().some((x) => x.id === status.id)) t.remove(status.id);
        }, durationMs);
      }
      return { pattern: status.id, service, before: current, extra, ...(durationMs !== undefined && { durationMs }) };
    }
    const ended: string[] = [];
    for (const id of run.patterns.splice(0)) {
      if (t.patterns().some((s) => s.id === id)) {
        t.remove(id);
        ended.push(id);
      }
    }
    return { ended };
  }
  const c = services.cluster()!;
  switch (p.func) {
    case 'kill-instances': {
      const { workload, count, percentage, mode = 'kill' } = p.arguments;
      c.workload(workload); // a coded 404 naming the workloads there are
      const ready = c.instances({ workload }).filter((i) => i.state === 'Ready');
      if (ready.length === 0) throw new Error(`workload "${workload}" has no Ready instance to ${mode}; check GET /__admin/cluster/workloads/${workload}`);
      const n = Math.min(ready.length, count ?? Math.max(1, Math.ceil(((percentage ?? 0) / 100) * ready.length)));
      const chosen = pickN(ready, n, run.random);
      for (const i of chosen) (mode === 'evict' ? c.evict(i.id, reason) : c.kill(i.id, reason));
      return { workload, mode, ready: ready.length, instances: chosen.map((i) => i.id) };
    }
    case 'fail-node':
      run.failedNodes.add(p.arguments.node);
      later(run, p.arguments.durationMs, () => undo(run.failedNodes, [p.arguments.node], (n) => c.recoverNode(n)));
      return nodeOut(c.failNode(p.arguments.node, reason));
    case 'recover-node':
      run.failedNodes.delete(p.arguments.node);
      return nodeOut(c.recoverNode(p.arguments.node));
    case 'drain-node':
      run.cordonedNodes.add(p.arguments.node);
      later(run, p.arguments.durationMs, () => undo(run.cordonedNodes, [p.arguments.node], (n) => c.cordon(n, false)));
      return nodeOut(c.drain(p.arguments.node));
    case 'uncordon-node':
      run.cordonedNodes.delete(p.arguments.node);
      return nodeOut(c.cordon(p.arguments.node, false));
    case 'fail-zone':
    case 'recover-zone': {
      const { zone } = p.arguments;
      const nodes = c.nodes().filter((n) => n.zone === zone);
      if (nodes.length === 0) {
        const zones = [...new Set(c.nodes().map((n) => n.zone))].sort();
        throw new Error(`no node in zone "${zone}"; the zones are ${zones.join(', ') || '(none)'}`);
      }
      if (p.func === 'fail-zone') {
        const names = nodes.map((n) => n.name);
        later(run, p.arguments.durationMs, () => undo(run.failedNodes, names, (n) => c.recoverNode(n)));
      }
      for (const n of nodes) {
        if (p.func === 'fail-zone') {
          run.failedNodes.add(n.name);
          c.failNode(n.name, reason);
        } else {
          run.failedNodes.delete(n.name);
          c.recoverNode(n.name);
        }
      }
      return { zone, nodes: nodes.map((n) => n.name) };
    }
    case 'node-pressure': {
      const { node, memory, cpu } = p.arguments;
      const view = c.node(node);
      run.pressuredNodes.add(node);
      later(run, p.arguments.durationMs, () => undo(run.pressuredNodes, [node], (n) => c.pressure(n, { memory: 0, cpu: 0 })));
      // no amount given: take the node's whole memory (exhaustion)
      return nodeOut(c.pressure(node, { memory: memory ?? (cpu === undefined ? view.memory : undefined), cpu }));
    }
    case 'release-pressure':
      run.pressuredNodes.delete(p.arguments.node);
      return nodeOut(c.pressure(p.arguments.node, { memory: 0, cpu: 0 }));
    case 'recover': {
      // what this run changed and did not undo itself
      const out = { recovered: [...run.failedNodes], uncordoned: [...run.cordonedNodes], released: [...run.pressuredNodes] };
      for (const n of run.failedNodes) c.recoverNode(n);
      for (const n of run.cordonedNodes) c.cordon(n, false);
      for (const n of run.pressuredNodes) c.pressure(n, { memory: 0, cpu: 0 });
      run.failedNodes.clear();
      run.cordonedNodes.clear();
      run.pressuredNodes.clear();
      return out;
    }
  }
}

/** Run `fn` after `ms` on the kernel clock (nothing when `ms` is undefined). */
function later(run: OpsRun, ms: number | undefined, fn: () => void): void {
  if (ms !== undefined) run.clock.setTimeout(fn, ms);
}

/** Undo for the nodes still in `set` (the run has not undone them itself meanwhile). */
function undo(set: Set<string>, nodes: string[], fn: (node: string) => void): void {
  for (const n of nodes) {
    if (!set.delete(n)) continue;
    fn(n);
  }
}

const nodeOut = (n: { name: string; zone: string; condition: string; unschedulable: boolean; pressure: unknown; instances: number }) => ({
  node: n.name,
  zone: n.zone,
  condition: n.condition,
  unschedulable: n.unschedulable,
  pressure: n.pressure,
  instances: n.instances,
});

/** The value of one ops probe: a number, a status word, or null when the metric is unknown. */
export async function runOpsProbe(p: ProbeSpec & { provider: OpsProbeProvider }, services: OpsServices): Promise<number | string | null> {
  const pr = p.provider;
  if (pr.type === 'observability') {
    const o = services.observability()!;
    if (pr.func === 'metric') return (await o.metric(pr.arguments.name, pr.arguments.labels)) ?? null;
    const { service, windowMs = 10_000, version } = pr.arguments;
    const w = o.window(service, windowMs, version ? { version } : undefined);
    return pr.func === 'error-rate' ? w.errorRate : w.p99Ms;
  }
  if (pr.type === 'health') {
    const h = services.health()!;
    const service = pr.arguments?.service;
    if (pr.func === 'open-incidents') return h.incidents({ status: 'open', ...(service && { service }) }).length;
    if (service) return h.service(service).status;
    // the worst status of every service (healthy when there is none)
    let worst: ServiceStatus = 'healthy';
    for (const s of h.services()) if (STATUS_RANK[s.status] > STATUS_RANK[worst]) worst = s.status;
    return worst;
  }
  return services.cluster()!.workload(pr.arguments.workload).ready;
}
