// The `health` service: wires probes, the status board, incidents and the recovery planner
// to the cluster. It taps the cluster's hooks (admit, instanceExited, instanceChanged,
// tick), listens to its node events, carries out the planner's actions on the cluster and
// the breakers, and records every step in the incident it belongs to (health.action).
import type { Cluster, ClusterInstance, ClusterTick, InstanceChange, WorkloadSpec } from '@understudy/plugin-cluster';
import type { Breakers } from '@understudy/plugin-breaker';
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { HealthConfig } from './config.js';
import type { HealthCounters, HealthService, Incident, ProbeKind, ProbeResultView, RecoveryPolicy, ServiceHealth } from './contract.js';
import { HealthErrors } from './errors.js';
import { IncidentStore } from './incidents.js';
import { RecoveryPlanner, type PlannerAction, type PlannerWorld } from './planner.js';
import { mergeProbeSets, Prober, type ProbeOutcome, type ResolvedProbe } from './probes.js';
import { KUBERNETES_BACKOFF, type RestartPolicyName } from './restart-policy.js';
import { StatusBoard, type Dependency } from './status.js';

/** What health reads of the mesh's topology (structural: mesh's compiled Topology fits). */
export interface TopologyLike {
  services: ReadonlyMap<string, { endpoints: ReadonlyArray<{ steps: ReadonlyArray<{ calls: ReadonlyArray<{ service: string; mode: string; onFailure: string }> }> }> }>;
}

export interface MonitorDeps {
  config: HealthConfig;
  clock: Clock;
  events: PluginEvents;
  cluster: Cluster;
  topology: () => TopologyLike;
  breakers: () => Breakers | undefined;
  /** A real HTTP probe (http.enabled): undefined when the probe is simulated. */
  http?: (probe: ResolvedProbe, instance: Readonly<ClusterInstance>) => Promise<ProbeOutcome> | undefined;
}

interface Graph {
  topology: TopologyLike;
  deps: Map<string, Dependency[]>;
  critical: Map<string, string[]>;
  names: string[];
  reach: Map<string, Set<string>>;
}

const FRESH_STATES = new Set(['Pending', 'Starting']);
const RUNNING = new Set(['Starting', 'Ready', 'NotReady']);
const STOPPED_OR_GONE = new Set(['Failed', 'OOMKilled', 'CrashLoopBackOff', 'Terminating', 'Terminated', 'Pending']);

export class HealthMonitor implements HealthService {
  readonly planner: RecoveryPlanner;
  readonly prober: Prober;
  readonly board: StatusBoard;
  readonly store: IncidentStore;
  private graph?: Graph;
  /** Live instance objects (the cluster's), by id. */
  private readonly live = new Map<string, Readonly<ClusterInstance>>();
  /** Instances starting for the first time, per service. */
  private readonly fresh = new Map<string, Set<string>>();
  /** Per service, instances lost (evicted, node lost, …) whose replacements have not been created yet. */
  private readonly owed = new Map<string, number>();
  /** Instances counted as lost that have not reached Terminated yet. */
  private readonly losing = new Set<string>();
  /** New instances that replace lost ones: not a first rollout, so missing until Ready. */
  private readonly replacing = new Set<string>();
  private readonly specs = new Map<string, WorkloadSpec>();
  /** Breaker keys health forced open, per caller → dependency. */
  private readonly opened = new Map<string, string[]>();
  /** Instances lost with a node, until its nodeFailed event. */
  private readonly lost = new Map<string, Set<string>>();
  private restarts = 0;
  private readonly actionCounts: Record<string, number> = {};
  private recheckQueued = false;
  /** Per instance, which start of its process health has seen last. */
  private readonly starts = new Map<string, number>();
  /** False until health has started: the cluster's first (warm) reconcile is not held. */
  started = false;

  constructor(private readonly deps: MonitorDeps) {
    const { config, clock } = deps;
    const world: PlannerWorld = {
      criticalDependencies: (s) => this.currentGraph().critical.get(s) ?? [],
      manages: (s) => deps.cluster.manages(s),
      ready: (s) => deps.cluster.readyInstances(s).length,
      desired: (s) => deps.cluster.lastTick()?.services.get(s)?.desired ?? this.specOfService(s)?.replicas ?? 1,
      instanceState: (id) => this.live.get(id)?.state,
    };
    this.planner = new RecoveryPlanner(world, config.planner, config.policy);
    this.board = new StatusBoard(config, {
      services: () => this.currentGraph().names,
      dependencies: (s) => this.currentGraph().deps.get(s) ?? [],
      fresh: (s) => this.fresh.get(s)?.size ?? 0,
    });
    this.store = new IncidentStore(config.incidents, deps.events, (a, b) => this.related(a, b));
    this.prober = new Prober({
      clock,
      resolutionMs: config.probes.resolutionMs,
      instance: (id) => this.live.get(id),
      probesFor: (workload) => this.probesFor(workload),
      setGate: (id, ready, reason) => {
        try {
          deps.cluster.setGate(id, 'probes', ready, reason);
        } catch {
          // the instance left in the meantime
        }
      },
      failed: (id, kind, message) => this.probeFailed(id, kind, message),
      dependencyDown: (id) => deps.cluster.livenessDependencyDown(id),
      spare: (id, dependency, message, again) => this.spare(id, dependency, message, again),
      changed: (event) => deps.events.emit('health.probeChanged', event),
      http: deps.http,
    });
  }

  // ------------------------------------------------------------ topology

  private currentGraph(): Graph {
    const topology = this.deps.topology();
    if (this.graph?.topology === topology) return this.graph;
    const deps = new Map<string, Dependency[]>();
    const critical = new Map<string, string[]>();
    for (const [name, svc] of topology.services) {
      const byTarget = new Map<string, boolean>();
      for (const ep of svc.endpoints) {
        for (const step of ep.steps) {
          for (const call of step.calls) {
            if (call.service === name || !topology.services.has(call.service)) continue;
            const isCritical = call.mode === 'sync' && call.onFailure === 'propagate';
            byTarget.set(call.service, (byTarget.get(call.service) ?? false) || isCritical);
          }
        }
      }
      const list = [...byTarget].map(([service, c]) => ({ service, critical: c }));
      deps.set(name, list);
      critical.set(name, list.filter((d) => d.critical).map((d) => d.service));
    }
    this.graph = { topology, deps, critical, names: [...topology.services.keys()], reach: new Map() };
    this.planner.topologyChanged();
    return this.graph;
  }

  /** Everything `service` calls, directly or not. */
  private reach(service: string): Set<string> {
    const g = this.currentGraph();
    let r = g.reach.get(service);
    if (r) return r;
    r = new Set();
    const stack = [service];
    while (stack.length) {
      for (const d of g.deps.get(stack.pop()!) ?? []) {
        if (r.has(d.service)) continue;
        r.add(d.service);
        stack.push(d.service);
      }
    }
    g.reach.set(service, r);
    return r;
  }

  related(a: string, b: string): boolean {
    return a === b || this.reach(a).has(b) || this.reach(b).has(a);
  }

  // ------------------------------------------------------------ workloads

  private spec(workload: string): WorkloadSpec | undefined {
    let spec = this.specs.get(workload);
    if (!spec) {
      try {
        spec = this.deps.cluster.workload(workload).spec;
      } catch {
        return undefined;
      }
      this.specs.set(workload, spec);
    }
    return spec;
  }

  private specOfService(service: string): WorkloadSpec | undefined {
    const wl = this.deps.cluster.workloadOf(service);
    return wl === undefined ? undefined : this.spec(wl);
  }

  /** A workload changed (or left): read its spec again. */
  workloadChanged(workload: string): void {
    this.specs.delete(workload);
  }

  probesFor(workload: string): Partial<Record<ProbeKind, ResolvedProbe>> {
    const { probes } = this.deps.config;
    return mergeProbeSets(probes.default, probes.workloads[workload], this.spec(workload)?.probes);
  }

  // ------------------------------------------------------------ cluster hooks

  /** `admit`: the planner may hold the instance Pending. */
  admit(instance: Readonly<ClusterInstance>): string | undefined {
    if (!this.started) return undefined;
    return this.planner.admit(instance.id, instance.service, (a) => this.act(a));
  }

  /** `instanceExited`: restartPolicy, the backoff, or the planner. */
  exited(instance: Readonly<ClusterInstance>, reason: string) {
    const now = this.deps.clock.now();
    const term = instance.lastTermination;
    const exitCode = term?.exitCode ?? (reason === 'Completed' ? 0 : 1);
    const policy: RestartPolicyName = this.spec(instance.workload)?.restartPolicy ?? 'Always';
    this.store.detect('instancesDown', [instance.service], now, `${instance.id} exited: ${reason}${instance.reason ? ` (${instance.reason})` : ''}`, instance.id);
    return this.planner.exited({ id: instance.id, service: instance.service, restartPolicy: policy, exit: { at: term?.at ?? now, exitCode, reason } }, now, (a) => {
      if (a.action === 'restart') this.restarts++;
      this.act(a);
    });
  }

  /** `instanceChanged`: probes, first starts, forgetting the gone. */
  changed(change: InstanceChange): void {
    const inst = change.instance;
    const { id, service } = inst;
    if (change.to === 'Terminating' || change.to === 'Terminated') this.lostOne(inst, change.to === 'Terminated');
    if (change.to === 'Terminated') {
      this.live.delete(id);
      this.starts.delete(id);
      this.prober.removed(id);
      this.planner.forget(id);
      this.fresh.get(service)?.delete(id);
      this.replacing.delete(id);
      if (inst.lastTermination?.reason === 'NodeLost' && inst.node !== undefined) {
        let set = this.lost.get(inst.node);
        if (!set) this.lost.set(inst.node, (set = new Set()));
        set.add(service);
      }
      return;
    }
    this.live.set(id, inst);
    if (FRESH_STATES.has(change.to) && inst.restarts === 0 && inst.lastTermination === undefined && !this.replacement(id, service)) {
      let set = this.fresh.get(service);
      if (!set) this.fresh.set(service, (set = new Set()));
      set.add(id);
    } else this.fresh.get(service)?.delete(id);
    if (change.to === 'Ready') this.replacing.delete(id);
    if (change.to === 'Starting' && change.from !== 'Starting') {
      // the cluster resets the process and its gates right after this hook returns: probes
      // start once it has, at the same instant of the kernel clock
      this.prober.stopped(id);
      const token = (this.starts.get(id) ?? 0) + 1;
      this.starts.set(id, token);
      queueMicrotask(() => {
        if (this.starts.get(id) === token && this.live.get(id) === inst && RUNNING.has(inst.state)) this.prober.started(inst, inst.workload);
      });
    } else if (STOPPED_OR_GONE.has(change.to)) this.prober.stopped(id);
    if (change.to === 'Ready') this.queueRecheck();
  }

  /** Leaving for good other than by choice (scale-down and rollouts end `Completed`): its replacement is owed. */
  private lostOne(inst: Readonly<ClusterInstance>, terminated: boolean): void {
    const reason = inst.lastTermination?.reason;
    const counted = this.losing.has(inst.id);
    if (terminated) this.losing.delete(inst.id);
    else if (!counted) this.losing.add(inst.id);
    if (counted || reason === undefined || reason === 'Completed') return;
    this.owed.set(inst.service, (this.owed.get(inst.service) ?? 0) + 1);
  }

  /** Is this new instance the replacement of a lost one (counted once, until it is Ready)? */
  private replacement(id: string, service: string): boolean {
    if (this.replacing.has(id)) return true;
    if (this.fresh.get(service)?.has(id)) return false;
    const owed = this.owed.get(service) ?? 0;
    if (owed === 0) return false;
    if (owed === 1) this.owed.delete(service);
    else this.owed.set(service, owed - 1);
    this.replacing.add(id);
    return true;
  }

  private queueRecheck(): void {
    if (this.recheckQueued) return;
    this.recheckQueued = true;
    queueMicrotask(() => {
      this.recheckQueued = false;
      this.recheck();
    });
  }

  private recheck(): void {
    for (const a of this.planner.recheck()) {
      this.restarts++;
      this.act(a);
    }
  }

  /** `tick`: statuses, incidents, remediation. */
  tick(tick: ClusterTick): void {
    const at = tick.at;
    // a service back at its replicas owes nothing (what it lost was replaced, or is no longer wanted)
    for (const service of this.owed.keys()) {
      const t = tick.services.get(service);
      if (!t || t.ready >= t.desired) this.owed.delete(service);
    }
    for (const change of this.board.update(tick)) {
      this.deps.events.emit('health.statusChanged', change);
      const incident = this.store.openFor(change.service);
      if (change.to === 'healthy') {
        // in an incident of several services, when each one recovered is on the timeline
        if (incident && incident.services.length > 1) {
          const message = `${change.service} healthy again after ${((at - incident.openedAt) / 1000).toFixed(1)} s`;
          this.store.append(incident, { at, kind: 'note', target: change.service, message });
        }
        continue;
      }
      const message = `${change.service} is ${change.to}: ${change.reasons.join('; ')}`;
      if (incident) this.store.append(incident, { at, kind: 'note', target: change.service, message });
      else if (this.board.everHealthy(change.service)) this.store.detect(change.to, [change.service], at, message, change.service);
    }
    this.remediate();
    this.recheck();
    this.store.resolve((s) => (this.board.status(s) ?? 'healthy') === 'healthy', at);
  }

  private remediate(): void {
    if (this.planner.policy !== 'planner') return;
    const g = this.currentGraph();
    const active = new Set(this.planner.active().map((a) => a.service));
    for (const service of g.names) {
      const status = this.board.status(service);
      if (status === undefined || (status === 'healthy' && !active.has(service))) continue;
      const load = this.board.load(service)!;
      const spec = this.specOfService(service);
      const perInstanceRps = spec ? (spec.capacity.concurrency * 1000) / Math.max(0.001, spec.capacity.serviceTimeMs) : 0;
      const failing = (g.critical.get(service) ?? []).filter((d) => this.board.status(d) === 'unhealthy');
      const actions = this.planner.remediate({ service, status, demand: load.demand, utilisation: load.utilisation, perInstanceRps, desired: load.desired, ready: load.ready, failingDependencies: failing });
      for (const a of actions) this.act(a);
    }
  }

  // ------------------------------------------------------------ nodes

  nodeFailed(node: string): void {
    const at = this.deps.clock.now();
    const services = [...(this.lost.get(node) ?? [])];
    this.lost.delete(node);
    const left = this.deps.cluster.instances({ node });
    const affected = services.length ? services : [...new Set(left.map((i) => i.service))];
    if (affected.length) this.store.detect('nodeFailed', affected, at, `node ${node} failed: instances of ${affected.join(', ')} lost`, node);
    this.record({ action: 'reschedule', target: node, service: affected[0], message: `the workload controllers replace the instances of ${node} on other nodes` });
    for (const a of this.planner.nodeFailed(node, left)) this.act(a);
  }

  nodePressure(node: string): void {
    const at = this.deps.clock.now();
    const on = this.deps.cluster.instances({ node });
    const services = [...new Set(on.map((i) => i.service))];
    if (services.length) this.store.detect('nodePressure', services, at, `node ${node} is under memory pressure`, node);
    for (const a of this.planner.nodePressure(node)) this.act({ ...a, service: services[0] });
  }

  nodeRecovered(node: string): void {
    this.planner.nodeRecovered(node);
  }

  // ------------------------------------------------------------ actions

  /** Carry out an action (unless the hook's answer did) and record it. */
  private act(a: PlannerAction): void {
    if (!a.done) {
      try {
        this.execute(a);
      } catch (err) {
        this.record({ ...a, message: `${a.message} — failed: ${(err as Error).message}` });
        return;
      }
    }
    this.record(a);
  }

  private record(a: { action: string; target: string; service?: string; message: string; replicas?: number }): void {
    this.actionCounts[a.action] = (this.actionCounts[a.action] ?? 0) + 1;
    const incidentId = this.store.action(a.service, this.deps.clock.now(), a.action, a.target, a.message);
    this.deps.events.emit('health.action', {
      ...(incidentId !== undefined && { incidentId }),
      action: a.action,
      target: a.target,
      message: a.message,
      ...(a.replicas !== undefined && { replicas: a.replicas }),
    });
  }

  private execute(a: PlannerAction): void {
    const { cluster } = this.deps;
    switch (a.action) {
      case 'restart':
        cluster.restart(a.target, a.message);
        return;
      case 'evict':
        cluster.evict(a.target, a.message);
        return;
      case 'drain':
        cluster.drain(a.target);
        return;
      case 'shed':
        cluster.shed(a.target, a.fraction ?? 0, 'health');
        return;
      case 'openBreaker':
        this.openBreakers(a.target, a.dependency!);
        return;
      case 'closeBreaker':
        this.closeBreakers(a.target, a.dependency!);
        return;
      default:
      // requestReplicas: announced (health.action); autoscaling answers in a later issue
    }
  }

  private openBreakers(caller: string, dependency: string): void {
    const breakers = this.deps.breakers();
    if (!breakers) throw new Error('no breaker plugin is loaded');
    const keys = breakers
      .list()
      .filter((b) => b.caller === caller && b.service === dependency && b.state !== 'FORCED_OPEN')
      .map((b) => b.key);
    for (const key of keys) breakers.forceOpen(key);
    this.opened.set(`${caller}→${dependency}`, keys);
    if (keys.length === 0) throw new Error(`no breaker on ${caller} → ${dependency} yet (breakers appear with the first call)`);
  }

  private closeBreakers(caller: string, dependency: string): void {
    const keys = this.opened.get(`${caller}→${dependency}`) ?? [];
    this.opened.delete(`${caller}→${dependency}`);
    const breakers = this.deps.breakers();
    for (const key of keys) {
      try {
        breakers?.forceClose(key);
      } catch {
        // the breaker is gone (its service was removed)
      }
    }
  }

  /**
   * The planner does not kill an instance whose liveness fails only because a dependency it
   * knows is down (one that gates its service) has no Ready instance: restarting it cannot
   * help, and it would crash-loop at start. The kubelet (policy backoff) kills it.
   */
  private spare(id: string, dependency: string, message: string, again: boolean): boolean {
    const inst = this.live.get(id);
    if (this.planner.policy !== 'planner' || !inst || !this.planner.waitingFor(inst.service).includes(dependency)) return false;
    if (!again) this.record({ action: 'hold', target: id, service: inst.service, message: `${id} not killed: ${message}; it waits for ${dependency}` });
    return true;
  }

  private probeFailed(id: string, kind: ProbeKind, message: string): void {
    const inst = this.live.get(id);
    this.record({ action: 'kill', target: id, service: inst?.service, message: `${kind} probe failed: kill ${id} (${message})` });
    try {
      this.deps.cluster.kill(id, message);
    } catch {
      // not running any more
    }
  }

  /** At start: probe whatever already runs that health has not seen start. */
  adoptRunning(): void {
    for (const inst of this.deps.cluster.instances()) {
      this.live.set(inst.id, inst);
      if ((inst.state === 'Starting' || inst.state === 'Ready' || inst.state === 'NotReady') && !this.prober.has(inst.id)) this.prober.started(inst, inst.workload);
    }
  }

  // ------------------------------------------------------------ the service

  get policy(): RecoveryPolicy {
    return this.planner.policy;
  }

  setPolicy(policy: RecoveryPolicy): PlannerAction[] {
    const actions = this.planner.setPolicy(policy);
    for (const a of actions) this.act(a);
    return actions;
  }

  services(): ServiceHealth[] {
    return this.board.views();
  }

  service(name: string): ServiceHealth {
    const view = this.board.view(name);
    if (!view) throw new HealthErrors.SERVICE_NOT_FOUND(name);
    return view;
  }

  probes(instance?: string): ProbeResultView[] {
    if (instance !== undefined && !this.prober.has(instance)) throw new HealthErrors.INSTANCE_NOT_FOUND(instance);
    return this.prober.views(instance);
  }

  incidents(filter?: { status?: 'open' | 'resolved'; service?: string }): Incident[] {
    return this.store.list(filter);
  }

  incident(id: string): Incident {
    const inc = this.store.get(id);
    if (!inc) throw new HealthErrors.INCIDENT_NOT_FOUND(id);
    return inc;
  }

  counters(): HealthCounters {
    const p = this.prober.counters;
    return {
      probes: { liveness: { ...p.liveness }, readiness: { ...p.readiness }, startup: { ...p.startup } },
      restarts: this.restarts,
      incidentsOpened: this.store.opened,
      incidentsResolved: this.store.resolved,
      recoveryTimesMs: [...this.store.recoveryTimesMs],
      incidentsDropped: this.store.dropped,
      actions: { ...this.actionCounts },
    };
  }

  /** The policy view of the admin API. */
  policyView() {
    return {
      policy: this.planner.policy,
      planner: { ...this.deps.config.planner },
      backoff: { ...KUBERNETES_BACKOFF },
      remedies: this.planner.active(),
      ...this.planner.summary(),
    };
  }

  stop(): void {
    this.prober.stop();
  }
}
