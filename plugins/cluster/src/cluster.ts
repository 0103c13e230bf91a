// The `cluster` service: nodes, workloads and instances, the controllers that reconcile
// them, and the tick of the load model. Everything runs on the kernel clock: a change
// (apply, kill, node failure) acts at once, and every `tickMs` the tick
//   1. fires due transitions (process up after startupSeconds, restart after a backoff,
//      termination after the grace period),
//   2. reconciles every workload that changed or waits (schedule Pending instances,
//      ask `admit` again, create/delete to match the ReplicaSets, step a rollout),
//   3. runs the load model (load-model.ts; demand from traffic plus real requests) and
//      applies its consequences (OOMKilled, eviction under node memory pressure),
//   4. calls the `tick` hook with the ClusterTick.
// The lifecycle rules themselves are in lifecycle.ts; the scheduler in scheduler.ts.
import type { Clock, PluginEvents, Random } from '@understudy/plugin-sdk';
import { RingBuffer } from '@understudy/plugin-sdk';
import type {
  ApplyResult,
  Cluster,
  ClusterHooks,
  ClusterInstance,
  ClusterTick,
  InstanceQuery,
  InstanceState,
  NodeSpec,
  ReplicationView,
  NodeView,
  Resources,
  ServiceTick,
  WorkloadSpec,
  WorkloadView,
} from './contract.js';
import { buildGraph, callLatency, dependencyErrors, type DepGraph } from './deps.js';
import { ClusterErrors } from './errors.js';
import { defaultDecision, deletionOrder, EXIT_CODES, isActive, isRunning, isStopped, next, type LifecycleEvent } from './lifecycle.js';
import { combine, loadInstances, queue } from './load-model.js';
import { Due, Instance, Node, Workload } from './model.js';
import { Replication } from './replication.js';
import { schedule } from './scheduler.js';
import { behaviourOf, completeProblems, deepMerge, diffSpecs, isObj, PROBE_DEFAULTS, specProblems } from './spec.js';
import type { Topology } from './mesh-types.js';

/** What the cluster tells discovery (registry-link.ts implements it). */
export interface InstanceRegistry {
  changed(inst: Instance): void;
  gone(inst: Instance): void;
  /** Every tick: catch up on what was held back (see registry-link.ts). */
  tick?(): void;
}

export interface ClusterOptions {
  tickMs: number;
  instanceEvents: boolean;
  queueTimeoutMs: number;
  maxCascadePasses: number;
  /** adopt 'all': every mesh service is managed, ones added at run time too. */
  adoptAll: boolean;
  history: { count: number; bytes: number };
}

export interface ClusterDeps {
  clock: Clock;
  events: PluginEvents;
  hooks: ClusterHooks;
  random: Random;
  /** The mesh's current topology (services, their calls). */
  topology: () => Topology;
  /** Entry and propagated rates from the traffic plugin, when it is loaded. */
  rates?: (at: number) => ReadonlyMap<string, number>;
  /** The same by endpoint (service → endpoint key → requests/s): reads and writes of a stateful workload. */
  endpointRates?: (at: number) => ReadonlyMap<string, ReadonlyMap<string, number>> | undefined;
  /** The spec of a new workload `name` with its own (partial, valid) spec over built-in defaults, the mesh's numbers and config defaults. */
  specFor: (name: string, own: unknown) => WorkloadSpec;
}

const EMPTY: readonly Instance[] = Object.freeze([]) as readonly Instance[];

export class ClusterService implements Cluster {
  readonly nodesByName = new Map<string, Node>();
  readonly workloadsByName = new Map<string, Workload>();
  readonly byService = new Map<string, Workload>();
  readonly byId = new Map<string, Instance>();
  /** Services that ever had a workload: mesh keeps asking the cluster for them (none left: 503). */
  private readonly claimed = new Set<string>();
  private readonly timed = new Set<Instance>();
  private readonly history: RingBuffer<ClusterInstance>;
  private readonly gates: string[] = [];
  private readonly shedding = new Map<string, number>();
  /** Real requests per service since the last tick (the settled hook counts them). */
  readonly realCounts = new Map<string, number>();
  /** Real exchanges per service since the last tick, samples included, and how many of them failed. */
  readonly realOutcomes = new Map<string, number>();
  readonly realFailures = new Map<string, number>();
  registry: InstanceRegistry | undefined;
  private seq = 0;
  private last: ClusterTick | undefined;
  private lastTickAt: number;
  private graph: DepGraph | undefined;
  /** Instances created while warm-starting go Ready at once (a running cluster at kernel start). */
  private warming = false;
  private timer: unknown;
  /** Workloads leaves first, rebuilt when the graph or the set of workloads changes. */
  private ordered: { graph: DepGraph; count: number; list: Workload[]; stale: boolean } | undefined;
  // scratch arrays of the load model, per mesh service index (grown, never shrunk)
  private demand = new Float64Array(0);
  private admitted = new Float64Array(0);
  private ownErr = new Float64Array(0);
  private ownLat = new Float64Array(0);
  private ownP99 = new Float64Array(0);
  private totErr = new Float64Array(0);
  private totLat = new Float64Array(0);
  private totP99 = new Float64Array(0);
  /** The errors of a service's critical dependencies (after the cascade). */
  private depErr = new Float64Array(0);
  private util = new Float64Array(0);
  private readonly due: Instance[] = [];
  private readonly oom: Instance[] = [];

  private readonly adoptAll: boolean;

  constructor(
    private readonly options: ClusterOptions,
    private readonly deps: ClusterDeps,
  ) {
    this.adoptAll = options.adoptAll;
    this.lastTickAt = deps.clock.now();
    this.history = new RingBuffer<ClusterInstance>(options.history.count, { maxBytes: options.history.bytes, sizeOf: (i) => JSON.stringify(i).length });
  }

  // ---------------------------------------------------------------- setup

  addNodeSpec(spec: NodeSpec): Node {
    if (this.nodesByName.has(spec.name)) throw new ClusterErrors.NODE_EXISTS(spec.name);
    const node = new Node(spec);
    this.nodesByName.set(spec.name, node);
    // Pending instances may fit now
    for (const w of this.workloadsByName.values()) w.dirty = true;
    return node;
  }

  /** Add a node from a (partial) spec: name, cpu and memory are required. */
  addNode(input: unknown): NodeView {
    const problems: string[] = [];
    if (!isObj(input)) throw new ClusterErrors.INVALID_NODE(['(root): must be an object (a node spec)']);
    const known = ['name', 'zone', 'cpu', 'memory', 'instanceType', 'pricePerHour', 'interruptible', 'labels'];
    for (const k of Object.keys(input)) if (!known.includes(k)) problems.push(`${k}: unknown property (one of ${known.join(', ')})`);
    if (typeof input.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.name)) problems.push('name: must be a name of letters, digits, ".", "_" or "-"');
    for (const k of ['cpu', 'memory']) {
      const v = input[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) problems.push(`${k}: must be a number > 0`);
    }
    if (input.zone !== undefined && (typeof input.zone !== 'string' || !input.zone)) problems.push('zone: must be a non-empty string');
    if (input.instanceType !== undefined && typeof input.instanceType !== 'string') problems.push('instanceType: must be a string');
    if (input.pricePerHour !== undefined && (typeof input.pricePerHour !== 'number' || input.pricePerHour < 0)) problems.push('pricePerHour: must be a number >= 0');
    if (input.interruptible !== undefined && typeof input.interruptible !== 'boolean') problems.push('interruptible: must be a boolean');
    if (input.labels !== undefined && (!isObj(input.labels) || Object.values(input.labels).some((v) => typeof v !== 'string'))) problems.push('labels: must be an object of strings');
    if (problems.length) throw new ClusterErrors.INVALID_NODE(problems);
    const node = this.addNodeSpec({
      name: input.name as string,
      zone: (input.zone as string) ?? 'zone-a',
      cpu: input.cpu as number,
      memory: input.memory as number,
      instanceType: (input.instanceType as string) ?? 'standard',
      pricePerHour: (input.pricePerHour as number) ?? 0,
      interruptible: (input.interruptible as boolean) ?? false,
      labels: { ...((input.labels as Record<string, string>) ?? {}) },
    });
    this.reconcileAll();
    return node.view();
  }

  /** A workload from config (validated by the caller) or adopted from mesh; reconciled on start. */
  addWorkload(name: string, spec: WorkloadSpec, adopted: boolean): void {
    const wl = new Workload(name, normalize(spec), adopted);
    if (this.ordered) this.ordered.stale = true;
    this.workloadsByName.set(name, wl);
    this.byService.set(spec.service, wl);
    this.claimed.add(spec.service);
    this.syncReplication(wl);
  }

  /** Keep a workload's replication in step with `spec.stateful`: created (Ready instances current), retuned, dropped. */
  private syncReplication(wl: Workload): void {
    const st = wl.spec.stateful;
    if (!st) {
      wl.replication = undefined;
      return;
    }
    const lag = st.replicationLagMs ?? 0;
    if (wl.replication) {
      wl.replication.lagMs = lag;
      wl.replication.catchUpRate = st.catchUpWritesPerSecond;
      return;
    }
    const { name } = wl;
    const { service } = wl.spec;
    const events = this.deps.events;
    wl.replication = new Replication(lag, st.catchUpWritesPerSecond, {
      behind: (e) => events.emit('cluster.replicaBehind', { workload: name, service, ...e }),
      caughtUp: (e) => events.emit('cluster.replicaCaughtUp', { workload: name, service, ...e }),
      primaryChanged: (e) => events.emit('cluster.primaryChanged', { workload: name, service, ...e }),
    });
    wl.replication.seed(wl.ready(), this.deps.clock.now());
  }

  /** A stateful workload's replication now. */
  replication(workload: string): ReplicationView | undefined {
    const wl = this.workloadsByName.get(workload);
    return wl?.replication?.view(this.deps.clock.now(), wl.instances);
  }

  /** A real read served by `inst`: how far behind (ms) when it saw stale data, else 0. */
  realRead(inst: Instance, sample: boolean): number {
    const rep = this.workloadsByName.get(inst.workload)?.replication;
    return rep ? rep.read(inst, this.deps.clock.now(), sample) : 0;
  }

  /** A real write a stateful service answered: its primary's position moves. */
  realWrite(service: string): void {
    this.byService.get(service)?.replication?.write(this.deps.clock.now());
  }

  /** First reconcile (at kernel start) and the tick timer. */
  start(warm: boolean): void {
    this.lastTickAt = this.deps.clock.now();
    this.warming = warm;
    try {
      this.reconcileAll();
    } finally {
      this.warming = false;
    }
    this.timer = this.deps.clock.setInterval(() => this.tick(), this.options.tickMs);
  }

  stop(): void {
    if (this.timer) this.deps.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  // ---------------------------------------------------------------- reads

  nodes(): NodeView[] {
    return [...this.nodesByName.values()].map((n) => n.view());
  }

  node(name: string): NodeView {
    return this.nodeOf(name).view();
  }

  private nodeOf(name: string): Node {
    const node = this.nodesByName.get(name);
    if (!node) throw new ClusterErrors.NODE_NOT_FOUND(name, [...this.nodesByName.keys()]);
    return node;
  }

  workloads(): WorkloadView[] {
    return [...this.workloadsByName.values()].map((w) => this.viewOf(w));
  }

  workload(name: string): WorkloadView {
    return this.viewOf(this.workloadOfName(name));
  }

  private viewOf(wl: Workload): WorkloadView {
    const view = wl.view();
    if (wl.replication) view.replication = wl.replication.view(this.deps.clock.now(), wl.instances);
    return view;
  }

  private workloadOfName(name: string): Workload {
    const wl = this.workloadsByName.get(name);
    if (!wl) throw new ClusterErrors.WORKLOAD_NOT_FOUND(name, [...this.workloadsByName.keys()]);
    return wl;
  }

  instances(query: InstanceQuery = {}): ClusterInstance[] {
    const out: ClusterInstance[] = [];
    const match = (i: ClusterInstance) =>
      (query.workload === undefined || i.workload === query.workload) &&
      (query.service === undefined || i.service === query.service) &&
      (query.state === undefined || i.state === query.state) &&
      (query.node === undefined || i.node === query.node) &&
      (query.zone === undefined || i.zone === query.zone);
    const live = query.workload !== undefined ? this.workloadsByName.get(query.workload)?.instances ?? [] : this.byId.values();
    for (const i of live) if (match(i)) out.push(i);
    if (query.state === undefined || query.state === 'Terminated') for (const i of this.history.toArray()) if (match(i)) out.push(i);
    return out;
  }

  instance(id: string): ClusterInstance {
    const live = this.byId.get(id);
    if (live) return live;
    const gone = this.history.toArray().find((i) => i.id === id);
    if (gone) return gone;
    throw new ClusterErrors.INSTANCE_NOT_FOUND(id);
  }

  private live(id: string): Instance {
    const inst = this.byId.get(id);
    if (!inst) {
      if (this.history.toArray().some((i) => i.id === id)) throw new ClusterErrors.INVALID_ACTION(`act on instance "${id}"`, 'it is Terminated');
      throw new ClusterErrors.INSTANCE_NOT_FOUND(id);
    }
    return inst;
  }

  readyInstances(service: string): readonly ClusterInstance[] {
    return this.byService.get(service)?.ready() ?? EMPTY;
  }

  manages(service: string): boolean {
    // adopt 'all': a service mesh gains at run time is the cluster's from its first moment
    return this.adoptAll || this.claimed.has(service);
  }

  /** A mesh service added at run time (adopt 'all'): a workload from the defaults. */
  adopt(service: string): void {
    if (!this.adoptAll || this.byService.has(service) || this.workloadsByName.has(service)) return;
    this.addWorkload(service, this.deps.specFor(service, undefined), true);
    this.reconcile(this.workloadsByName.get(service));
  }

  /** A mesh service removed at run time: an adopted workload goes with it. */
  abandon(service: string): void {
    const wl = this.byService.get(service);
    if (wl?.adopted) this.remove(wl.name, 'mesh');
  }

  workloadOf(service: string): string | undefined {
    return this.byService.get(service)?.name;
  }

  lastTick(): ClusterTick | undefined {
    return this.last;
  }

  /** Counts by state, for the summary route. */
  summary() {
    const states: Partial<Record<InstanceState, number>> = {};
    for (const i of this.byId.values()) states[i.state] = (states[i.state] ?? 0) + 1;
    return {
      at: this.deps.clock.now(),
      instances: this.byId.size,
      states,
      nodes: { total: this.nodesByName.size, ready: [...this.nodesByName.values()].filter((n) => n.condition === 'Ready').length },
      workloads: [...this.workloadsByName.values()].map((w) => {
        const v = w.view();
        return { name: v.name, service: v.spec.service, version: v.spec.version, replicas: v.spec.replicas, ready: v.ready, states: v.states, replicaSets: v.replicaSets, revision: v.revision };
      }),
      historyDropped: this.history.dropped,
    };
  }

  // ---------------------------------------------------------------- workloads

  apply(name: string, input: unknown, options: { dryRun?: boolean; source?: string } = {}): ApplyResult {
    const existing = this.workloadsByName.get(name);
    const problems = specProblems(input);
    if (problems.length) throw new ClusterErrors.INVALID_WORKLOAD(name, problems);
    const current = existing?.spec;
    const merged = normalize(current ? deepMerge(current, input) : this.deps.specFor(name, input));
    problems.push(...completeProblems(merged));
    const topology = this.deps.topology();
    if (!topology.services.has(merged.service)) {
      problems.push(`service: no mesh service "${merged.service}" (mesh services: ${[...topology.services.keys()].join(', ') || 'none'}); add it to the mesh first`);
    }
    const owner = this.byService.get(merged.service);
    if (owner && owner.name !== name) problems.push(`service: "${merged.service}" already runs as workload "${owner.name}"; one workload per service`);
    if (existing && merged.service !== existing.spec.service) problems.push(`service: cannot change from "${existing.spec.service}" (delete the workload and create another)`);
    if (problems.length) throw new ClusterErrors.INVALID_WORKLOAD(name, problems);

    const diff = diffSpecs(current, merged);
    const actions = this.plan(existing, merged);
    const result: ApplyResult = { workload: name, dryRun: !!options.dryRun, created: !existing, diff, actions };
    if (options.dryRun || (existing && diff.length === 0)) return result;

    let wl = existing;
    if (!wl) {
      wl = new Workload(name, merged, false);
      if (this.ordered) this.ordered.stale = true;
      this.workloadsByName.set(name, wl);
      this.byService.set(merged.service, wl);
      this.claimed.add(merged.service);
      this.syncReplication(wl);
    } else {
      const from = wl.spec.version;
      wl.spec = merged;
      wl.revision++;
      wl.specChanged();
      this.syncReplication(wl);
      if (merged.version !== from && this.activeOf(wl).length > 0) wl.rollout = { to: merged.version };
      else if (!wl.rollout) wl.replicaSets = { [merged.version]: merged.replicas };
    }
    wl.dirty = true;
    this.deps.events.emit('cluster.workloadApplied', { workload: name, revision: wl.revision, source: options.source ?? 'api', actions });
    this.reconcile(wl);
    return result;
  }

  /** What applying `spec` will make the controllers do, in words. */
  private plan(wl: Workload | undefined, spec: WorkloadSpec): string[] {
    if (!wl) return spec.replicas > 0 ? [`create ${spec.replicas} instance(s) of ${spec.service} ${spec.version}`] : ['create the workload with 0 replicas'];
    const actions: string[] = [];
    const active = this.activeOf(wl).length;
    if (spec.version !== wl.spec.version && active > 0) {
      actions.push(`replace ${Math.min(active, spec.replicas)} instance(s) of ${wl.spec.version} with ${spec.version} (rolling: maxSurge 1, maxUnavailable 0)`);
      if (spec.replicas > active) actions.push(`create ${spec.replicas - active} instance(s) of ${spec.version}`);
      if (spec.replicas < active) actions.push(`delete ${active - spec.replicas} instance(s) (Pending first, then not Ready, then newest)`);
    } else if (spec.replicas > active) actions.push(`create ${spec.replicas - active} instance(s) of ${spec.service} ${spec.version}`);
    else if (spec.replicas < active) actions.push(`delete ${active - spec.replicas} instance(s) (Pending first, then not Ready, then newest)`);
    const changed = diffSpecs(wl.spec, spec)
      .map((d) => d.path)
      .filter((p) => p !== 'replicas' && p !== 'version');
    if (changed.length) actions.push(`new instances use the changed ${[...new Set(changed.map((p) => p.split('.')[0]))].join(', ')}`);
    return actions;
  }

  remove(name: string, source = 'api'): void {
    const wl = this.workloadOfName(name);
    this.workloadsByName.delete(name);
    if (this.ordered) this.ordered.stale = true;
    this.byService.delete(wl.spec.service);
    const count = this.activeOf(wl).length;
    for (const inst of [...wl.instances]) this.deleteInstance(inst, 'Completed', 'workload deleted');
    this.deps.events.emit('cluster.workloadRemoved', { workload: name, revision: wl.revision, source, actions: [`delete ${count} instance(s)`] });
  }

  setReplicaSets(workload: string, replicaSets: Record<string, number>, source = 'api'): void {
    const wl = this.workloadOfName(workload);
    const problems: string[] = [];
    if (!isObj(replicaSets)) problems.push('replicaSets: must be an object of version → replicas');
    else for (const [v, n] of Object.entries(replicaSets)) if (!Number.isInteger(n) || n < 0) problems.push(`replicaSets.${v}: must be an integer >= 0`);
    if (problems.length) throw new ClusterErrors.INVALID_WORKLOAD(workload, problems);
    wl.rollout = undefined;
    wl.replicaSets = { ...replicaSets };
    wl.revision++;
    wl.dirty = true;
    const actions = Object.entries(replicaSets).map(([v, n]) => `${v}: ${n} replica(s)`);
    this.deps.events.emit('cluster.workloadApplied', { workload, revision: wl.revision, source, actions });
    this.reconcile(wl);
  }

  /** The workload's spec names `version` as its own; its ReplicaSets stay as a deployment controller set them. */
  setVersion(workload: string, version: string, source = 'api'): boolean {
    const wl = this.workloadOfName(workload);
    if (typeof version !== 'string' || !version) throw new ClusterErrors.INVALID_WORKLOAD(workload, ['version: must be a non-empty string']);
    const from = wl.spec.version;
    if (version === from) return false;
    wl.spec = { ...wl.spec, version };
    wl.rollout = undefined;
    wl.revision++;
    wl.specChanged();
    wl.dirty = true;
    this.deps.events.emit('cluster.workloadApplied', { workload, revision: wl.revision, source, actions: [`version ${from} → ${version} (ReplicaSets unchanged)`] });
    return true;
  }

  /** The deployment's routing weights for the load model (contract.ts); undefined: even over the Ready instances. */
  setTrafficWeights(workload: string, weights: Record<string, number> | undefined): void {
    const wl = this.workloadOfName(workload);
    if (weights === undefined) {
      wl.weights = undefined;
      return;
    }
    const problems: string[] = [];
    if (!isObj(weights)) problems.push('weights: must be an object of version → weight (or undefined: even over the Ready instances)');
    else for (const [v, w] of Object.entries(weights)) if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) problems.push(`weights.${v}: must be a number >= 0, got ${String(w)}`);
    if (problems.length) throw new ClusterErrors.INVALID_VALUE(problems);
    wl.weights = { ...weights };
  }

  /**
   * Set a workload's replicas (an autoscaler's scale subresource): its spec's `replicas`, and
   * its ReplicaSet when it runs one version; during the built-in rolling replacement the
   * rollout steps to the new count; ReplicaSets another controller drives (setReplicaSets with
   * several versions) are left to it. No change: nothing happens (false).
   */
  scale(workload: string, replicas: number, options: { source?: string; reason?: string } = {}): boolean {
    const wl = this.workloadOfName(workload);
    if (!Number.isInteger(replicas) || replicas < 0) throw new ClusterErrors.INVALID_WORKLOAD(workload, [`replicas: must be an integer >= 0 (got ${replicas})`]);
    const from = wl.spec.replicas;
    if (replicas === from) return false;
    wl.spec = { ...wl.spec, replicas };
    const versions = Object.keys(wl.replicaSets);
    if (!wl.rollout && versions.length <= 1) wl.replicaSets = { [wl.spec.version]: replicas };
    wl.revision++;
    wl.dirty = true;
    const actions = [`scale from ${from} to ${replicas}${options.reason ? `: ${options.reason}` : ''}`];
    this.deps.events.emit('cluster.workloadApplied', { workload, revision: wl.revision, source: options.source ?? 'api', actions });
    this.reconcile(wl);
    return true;
  }

  // ---------------------------------------------------------------- actions

  kill(id: string, reason = 'killed'): ClusterInstance {
    const inst = this.live(id);
    if (!isRunning(inst.state)) throw new ClusterErrors.INVALID_ACTION(`kill ${id}`, `it is ${inst.state} (no process runs)`);
    this.exit(inst, 'Killed', reason);
    return inst;
  }

  evict(id: string, reason = 'evicted'): ClusterInstance {
    const inst = this.live(id);
    this.deleteInstance(inst, 'Evicted', reason);
    this.reconcile(this.workloadsByName.get(inst.workload));
    return inst;
  }

  restart(id: string, reason: string): ClusterInstance {
    const inst = this.live(id);
    if (!isRunning(inst.state) && !isStopped(inst.state)) throw new ClusterErrors.INVALID_ACTION(`restart ${id}`, `it is ${inst.state}`);
    if (inst.state === 'Terminating') throw new ClusterErrors.INVALID_ACTION(`restart ${id}`, 'it is Terminating');
    if (inst.process.up) inst.lastTermination = { reason: 'Killed', at: this.deps.clock.now(), exitCode: EXIT_CODES.Killed! };
    this.startProcess(inst, reason);
    return inst;
  }

  failNode(name: string, reason = 'node failed'): NodeView {
    const node = this.nodeOf(name);
    if (node.condition === 'NotReady') return node.view();
    node.condition = 'NotReady';
    const lost = [...node.instances];
    for (const inst of lost) {
      inst.lastTermination = { reason: 'NodeLost', at: this.deps.clock.now(), exitCode: EXIT_CODES.NodeLost! };
      inst.process = { up: false, live: false, ready: false };
      this.move(inst, 'lost', `node ${name} lost: ${reason}`);
    }
    this.deps.events.emit('cluster.nodeFailed', { node: name, zone: node.spec.zone, reason, instances: lost.length });
    this.reconcileAll();
    return node.view();
  }

  recoverNode(name: string): NodeView {
    const node = this.nodeOf(name);
    if (node.condition === 'Ready') return node.view();
    node.condition = 'Ready';
    this.deps.events.emit('cluster.nodeRecovered', { node: name, zone: node.spec.zone, instances: node.instances.size });
    this.reconcileAll();
    return node.view();
  }

  cordon(name: string, on: boolean): NodeView {
    const node = this.nodeOf(name);
    node.unschedulable = on;
    if (!on) node.draining = false;
    this.reconcileAll();
    return node.view();
  }

  drain(name: string): NodeView {
    const node = this.nodeOf(name);
    node.unschedulable = true;
    node.draining = true;
    const evicted = [...node.instances].filter((i) => isActive(i.state));
    for (const inst of evicted) this.deleteInstance(inst, 'Evicted', `node ${name} drained`);
    this.deps.events.emit('cluster.nodeDrained', { node: name, zone: node.spec.zone, reason: 'drain', instances: evicted.length });
    this.reconcileAll();
    return node.view();
  }

  pressure(name: string, pressure: Partial<Resources>): NodeView {
    const node = this.nodeOf(name);
    const problems: string[] = [];
    for (const k of ['cpu', 'memory'] as const) {
      const v = pressure[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) problems.push(`${k}: must be a number >= 0`);
    }
    if (problems.length) throw new ClusterErrors.INVALID_VALUE(problems);
    const next = { cpu: pressure.cpu ?? node.pressure.cpu, memory: pressure.memory ?? node.pressure.memory };
    node.usage.cpu += next.cpu - node.pressure.cpu;
    node.usage.memory += next.memory - node.pressure.memory;
    node.pressure = next;
    this.relieve(node);
    return node.view();
  }

  addReadinessGate(gate: string): void {
    if (this.gates.includes(gate)) return;
    this.gates.push(gate);
    // instances in rotation stay there; the others wait for the gate
    for (const inst of this.byId.values()) inst.gates[gate] = inst.state === 'Ready';
  }

  setGate(id: string, gate: string, value: boolean, reason?: string): void {
    const inst = this.live(id);
    if (!this.gates.includes(gate)) throw new ClusterErrors.INVALID_ACTION(`set gate "${gate}" of ${id}`, `no readiness gate "${gate}" is registered (addReadinessGate first)`);
    if (inst.gates[gate] === value) return;
    inst.gates[gate] = value;
    this.evaluateGates(inst, reason);
  }

  shed(service: string, fraction: number, _source?: string): void {
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new ClusterErrors.INVALID_VALUE([`fraction: must be a number from 0 to 1, got ${String(fraction)}`]);
    if (!this.deps.topology().services.has(service) && !this.byService.has(service)) throw new ClusterErrors.INVALID_VALUE([`service: no mesh service "${service}"`]);
    if (fraction === 0) this.shedding.delete(service);
    else this.shedding.set(service, fraction);
  }

  /** The share of a service's demand turned away at its door (0 when none). */
  shedFraction(service: string): number {
    return this.shedding.get(service) ?? 0;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Apply a lifecycle event; returns false (nothing changes) when it does not apply. */
  private move(inst: Instance, event: LifecycleEvent, reason?: string, to?: InstanceState): boolean {
    const target = to ?? next(inst.state, event);
    if (target === undefined) return false;
    const from = inst.state;
    const now = this.deps.clock.now();
    inst.state = target;
    inst.since = now;
    inst.reason = reason;
    const wl = this.workloadsByName.get(inst.workload);
    if (from === 'Ready' || target === 'Ready') wl?.readyChanged();
    if (inst.spreadZone !== undefined && !isActive(target)) this.uncount(inst, wl);
    if (wl) wl.dirty = true;
    if (target === 'Ready') inst.readyAt = now;
    if (wl?.replication) wl.replication.changed(inst, from, target, now, wl.ready());
    if (target === 'Terminated') this.finish(inst, wl);
    const hooks = this.deps.hooks;
    if (hooks.instanceChanged.isUsed()) hooks.instanceChanged.call({ instance: inst, from, to: target, reason });
    if (this.options.instanceEvents) {
      this.deps.events.emit('cluster.instanceChanged', { id: inst.id, workload: inst.workload, service: inst.service, node: inst.node, zone: inst.zone, version: inst.version, from, to: target, reason });
    }
    if (target !== 'Terminated') this.registry?.changed(inst);
    return true;
  }

  private setDue(inst: Instance, due: Due, at: number): void {
    inst.due = due;
    inst.dueAt = at;
    if (due === Due.None) this.timed.delete(inst);
    else this.timed.add(inst);
  }

  /** A new instance of `wl` at `version`, Pending; scheduled at once when something fits. */
  private create(wl: Workload, version: string): Instance {
    const inst = new Instance(`${wl.name}-${++wl.counter}`, wl.name, wl.spec.service, version, ++this.seq, this.deps.clock.now(), wl.spec.resources.requests);
    for (const g of this.gates) inst.gates[g] = false;
    wl.instances.add(inst);
    this.byId.set(inst.id, inst);
    this.place(wl, inst);
    return inst;
  }

  /** Schedule a Pending instance (when unbound), then ask `admit`. */
  private place(wl: Workload, inst: Instance): void {
    if (!inst.nodeRef) {
      const placed = schedule(this.nodesByName.values(), inst.requests, wl.spec.zoneSpread ? wl.zones : undefined);
      if (!placed.node) {
        inst.reason = `unschedulable: ${placed.reason}`;
        if (inst.announced !== placed.reason) {
          inst.announced = placed.reason;
          this.deps.events.emit('cluster.unschedulable', { instance: inst.id, workload: wl.name, reason: placed.reason });
        }
        return;
      }
      this.bind(wl, inst, placed.node);
    }
    const held = this.deps.hooks.admit.isUsed() ? this.deps.hooks.admit.call(inst) : undefined;
    if (held !== undefined) {
      inst.reason = held;
      return;
    }
    this.startProcess(inst, 'admitted');
  }

  private bind(wl: Workload, inst: Instance, node: Node): void {
    inst.nodeRef = node;
    inst.node = node.name;
    inst.zone = node.spec.zone;
    node.allocated.cpu += inst.requests.cpu;
    node.allocated.memory += inst.requests.memory;
    node.instances.add(inst);
    wl.zones.set(node.spec.zone, (wl.zones.get(node.spec.zone) ?? 0) + 1);
    inst.spreadZone = node.spec.zone;
    inst.reason = `scheduled on ${node.name}`;
    this.registry?.changed(inst);
  }

  private unbind(inst: Instance, wl: Workload | undefined): void {
    const node = inst.nodeRef;
    if (!node) return;
    node.allocated.cpu -= inst.requests.cpu;
    node.allocated.memory -= inst.requests.memory;
    node.instances.delete(inst);
    inst.nodeRef = undefined;
    this.uncount(inst, wl);
  }

  /** The instance no longer counts in its workload's zone spread (leaving or gone). */
  private uncount(inst: Instance, wl: Workload | undefined): void {
    const zone = inst.spreadZone;
    if (zone === undefined) return;
    inst.spreadZone = undefined;
    if (!wl) return;
    const left = (wl.zones.get(zone) ?? 1) - 1;
    if (left > 0) wl.zones.set(zone, left);
    else wl.zones.delete(zone);
  }

  /** Start (or restart) the process: Starting, up after startupSeconds. */
  private startProcess(inst: Instance, reason: string): void {
    const wasStarted = inst.startedAt !== undefined;
    const event: LifecycleEvent = inst.state === 'Pending' ? 'admitted' : 'restart';
    const now = this.deps.clock.now();
    if (!this.move(inst, event, reason)) return;
    if (wasStarted) inst.restarts++;
    inst.startedAt = now;
    inst.process = { up: false, live: false, ready: false };
    for (const g of this.gates) inst.gates[g] = false;
    const wl = this.workloadsByName.get(inst.workload);
    const startupMs = (wl?.spec.startupSeconds ?? 0) * 1000;
    if (this.warming) {
      for (const g of this.gates) inst.gates[g] = true;
      this.processUp(inst, false);
    } else if (startupMs <= 0) this.processUp(inst, true);
    else {
      inst.reason = 'starting';
      this.setDue(inst, Due.ProcessUp, now + startupMs);
    }
  }

  /** The process is up after its startup time: it may crash at once (a bad build, a missing dependency). */
  private processUp(inst: Instance, checkDependencies: boolean): void {
    this.setDue(inst, Due.None, Infinity);
    const wl = this.workloadsByName.get(inst.workload);
    const b = wl ? behaviourOf(wl.spec, inst.version) : undefined;
    if (b?.crashOnStart) return this.exit(inst, 'Error', `version ${inst.version} crashed on start`);
    if (b?.needsDependenciesAtStart && checkDependencies) {
      const missing = this.missingDependency(inst.service);
      if (missing) return this.exit(inst, 'Error', `exited at start: critical dependency ${missing} has no Ready instance`);
    }
    inst.process = { up: true, live: true, ready: true };
    inst.checksDependencies = b?.livenessChecksDependencies ?? false;
    this.evaluateGates(inst, 'process up');
  }

  livenessDependencyDown(id: string): string | undefined {
    const inst = this.byId.get(id);
    if (!inst?.checksDependencies || !inst.process.up) return undefined;
    return this.missingDependency(inst.service);
  }

  /** A critical dependency of `service` the cluster runs with no Ready instance, if any. */
  private missingDependency(service: string): string | undefined {
    const graph = this.currentGraph();
    const i = graph.index.get(service);
    if (i === undefined) return undefined;
    for (const d of graph.critical[i]!) {
      const name = graph.names[d]!;
      if (this.claimed.has(name) && this.readyInstances(name).length === 0) return name;
    }
    return undefined;
  }

  /** Ready when the process is up and every gate is true; a Ready one leaves rotation when a gate turns false. */
  private evaluateGates(inst: Instance, reason?: string): void {
    if (!inst.process.up || (inst.state !== 'Starting' && inst.state !== 'Ready' && inst.state !== 'NotReady')) return;
    let closed: string | undefined;
    for (const g of this.gates) {
      if (!inst.gates[g]) {
        closed = g;
        break;
      }
    }
    if (closed === undefined) {
      if (inst.state !== 'Ready') this.move(inst, 'ready', reason);
    } else if (inst.state === 'Ready') this.move(inst, 'unready', reason ?? `readiness gate ${closed} is false`);
    else if (inst.state === 'Starting') inst.reason = `waiting for readiness gate ${closed}`;
  }

  /** The process exited: the `instanceExited` taps (health's restart policy) decide what follows. */
  private exit(inst: Instance, reason: string, message: string): void {
    const now = this.deps.clock.now();
    const exitCode = EXIT_CODES[reason] ?? 1;
    inst.lastTermination = { reason, at: now, exitCode };
    inst.process = { up: false, live: false, ready: false };
    this.setDue(inst, Due.None, Infinity);
    if (inst.state === 'Terminating') {
      this.move(inst, 'gone', message);
      return;
    }
    if (!this.move(inst, reason === 'OOMKilled' ? 'oom' : 'exited', message)) return;
    const wl = this.workloadsByName.get(inst.workload);
    const policy = wl?.spec.restartPolicy ?? 'Always';
    const tapped = this.deps.hooks.instanceExited.isUsed() ? this.deps.hooks.instanceExited.call(inst, reason) : undefined;
    const decision = tapped ?? defaultDecision(policy, reason, exitCode);
    if (decision.action === 'stay') {
      inst.reason = decision.reason;
      return;
    }
    if (decision.state !== inst.state) this.move(inst, decision.state === 'CrashLoopBackOff' ? 'backoff' : 'exited', decision.reason ?? message, decision.state);
    if (decision.delayMs <= 0) this.startProcess(inst, decision.reason ?? `restarted after ${reason}`);
    else {
      inst.reason = decision.reason ?? `restarting in ${Math.round(decision.delayMs / 1000)} s after ${reason}`;
      this.setDue(inst, Due.Restart, now + decision.delayMs);
    }
  }

  /** Delete an instance: Terminating for its grace period when it runs, else Terminated at once. */
  private deleteInstance(inst: Instance, terminationReason: string, reason: string, graceMs?: number): void {
    if (!isActive(inst.state)) return;
    const wl = this.workloadsByName.get(inst.workload);
    const grace = graceMs ?? (wl?.spec.terminationGracePeriodSeconds ?? 0) * 1000;
    const running = isRunning(inst.state);
    this.setDue(inst, Due.None, Infinity);
    inst.lastTermination = { reason: terminationReason, at: this.deps.clock.now(), exitCode: EXIT_CODES[terminationReason] ?? 0 };
    if (!running || grace <= 0) {
      inst.process = { up: false, live: false, ready: false };
      if (running) this.move(inst, 'delete', reason);
      this.move(inst, running ? 'gone' : 'delete', reason);
      return;
    }
    this.move(inst, 'delete', reason);
    this.setDue(inst, Due.Gone, this.deps.clock.now() + grace);
  }

  /** Terminated: off the node, out of discovery, into the bounded history. */
  private finish(inst: Instance, wl: Workload | undefined): void {
    this.setDue(inst, Due.None, Infinity);
    this.unbind(inst, wl);
    inst.process = { up: false, live: false, ready: false };
    inst.load = { arrivalRate: 0, utilisation: 0, latencyMs: 0, errorRate: 0, cpu: 0, memoryMiB: 0 };
    this.byId.delete(inst.id);
    wl?.instances.delete(inst);
    this.registry?.gone(inst);
    this.history.push(inst.toJSON());
  }

  // ---------------------------------------------------------------- controllers

  private activeOf(wl: Workload): Instance[] {
    const out: Instance[] = [];
    for (const i of wl.instances) if (isActive(i.state)) out.push(i);
    return out;
  }

  /** Every workload, leaves of the call graph first (a dependency starts before its dependents). */
  private reconcileAll(onlyDirty = false): void {
    const graph = this.currentGraph();
    if (this.ordered?.graph !== graph || this.ordered.count !== this.workloadsByName.size || this.ordered.stale) {
      const rank = new Map<number, number>(graph.order.map((s, i) => [s, i]));
      const list = [...this.workloadsByName.values()];
      const rankOf = (w: Workload) => rank.get(graph.index.get(w.spec.service) ?? -1) ?? Infinity;
      list.sort((a, b) => rankOf(a) - rankOf(b));
      this.ordered = { graph, count: list.length, list, stale: false };
    }
    for (const wl of this.ordered.list) if (!onlyDirty || wl.dirty) this.reconcile(wl);
  }

  /** Make a workload's instances match its ReplicaSets; schedule and admit its Pending ones. */
  private reconcile(wl: Workload | undefined): void {
    if (!wl || !this.workloadsByName.has(wl.name)) return;
    wl.dirty = false;
    if (wl.rollout) this.stepRollout(wl);
    const byVersion = new Map<string, Instance[]>();
    for (const v of Object.keys(wl.replicaSets)) byVersion.set(v, []);
    for (const inst of wl.instances) {
      if (!isActive(inst.state)) continue;
      const list = byVersion.get(inst.version);
      if (list) list.push(inst);
      else byVersion.set(inst.version, [inst]);
    }
    for (const [version, list] of byVersion) {
      const want = wl.replicaSets[version] ?? 0;
      if (list.length > want) {
        list.sort(deletionOrder);
        for (const inst of list.slice(0, list.length - want)) this.deleteInstance(inst, 'Completed', want === 0 && wl.replicaSets[version] === undefined ? `version ${version} replaced` : 'scaled down');
      } else {
        for (const inst of list) if (inst.state === 'Pending') this.place(wl, inst);
        for (let n = list.length; n < want; n++) this.create(wl, version);
      }
    }
    // a rollout step may follow at once (the new instance became Ready during this pass)
    wl.dirty = wl.dirty || wl.rollout !== undefined || this.hasPending(wl);
  }

  private hasPending(wl: Workload): boolean {
    for (const i of wl.instances) if (i.state === 'Pending') return true;
    return false;
  }

  /** maxSurge 1, maxUnavailable 0: one new instance beyond the Ready ones; an old one leaves per new one Ready. */
  private stepRollout(wl: Workload): void {
    const to = wl.rollout!.to;
    const want = wl.spec.replicas;
    let readyNew = 0;
    for (const i of wl.instances) if (i.version === to && i.state === 'Ready') readyNew++;
    const rs: Record<string, number> = {};
    let oldLeft = Math.max(0, want - readyNew);
    // old versions keep what they have, newest version first, up to what is still needed
    for (const [v, n] of Object.entries(wl.replicaSets)) {
      if (v === to) continue;
      const keep = Math.min(n, oldLeft);
      if (keep > 0) rs[v] = keep;
      oldLeft -= keep;
    }
    rs[to] = Math.min(want, readyNew + 1);
    if (readyNew >= want) {
      wl.rollout = undefined;
      wl.replicaSets = { [to]: want };
      return;
    }
    wl.replicaSets = rs;
  }

  // ---------------------------------------------------------------- the tick

  private currentGraph(): DepGraph {
    const topology = this.deps.topology();
    if (this.graph?.topology !== topology) this.graph = buildGraph(topology);
    return this.graph;
  }

  tick(): ClusterTick {
    const now = this.deps.clock.now();
    const durationMs = Math.max(1, now - this.lastTickAt);
    this.lastTickAt = now;

    // 1. due transitions (copied first: handling one may add or remove others)
    const due = this.due;
    due.length = 0;
    for (const inst of this.timed) if (inst.dueAt <= now) due.push(inst);
    for (const inst of due) {
      if (inst.dueAt > now) continue;
      const kind = inst.due;
      this.setDue(inst, Due.None, Infinity);
      if (kind === Due.ProcessUp && inst.state === 'Starting') this.processUp(inst, true);
      else if (kind === Due.Restart && isStopped(inst.state)) this.startProcess(inst, `restarted after ${inst.lastTermination?.reason ?? 'exit'}`);
      else if (kind === Due.Gone && inst.state === 'Terminating') {
        inst.process = { up: false, live: false, ready: false };
        this.move(inst, 'gone', 'terminated after its grace period');
      }
    }

    // 2. controllers
    this.reconcileAll(true);
    this.registry?.tick?.();

    // 3. the load model
    const tick = this.loadModel(now, durationMs);
    this.last = tick;
    this.realCounts.clear();
    this.realOutcomes.clear();
    this.realFailures.clear();

    // 4. the hook
    if (this.deps.hooks.tick.isUsed()) this.deps.hooks.tick.call(tick);
    return tick;
  }

  private ensureScratch(n: number): void {
    if (this.demand.length >= n) return;
    const size = Math.max(n, this.demand.length * 2, 16);
    this.demand = new Float64Array(size);
    this.admitted = new Float64Array(size);
    this.ownErr = new Float64Array(size);
    this.ownLat = new Float64Array(size);
    this.ownP99 = new Float64Array(size);
    this.totErr = new Float64Array(size);
    this.totLat = new Float64Array(size);
    this.totP99 = new Float64Array(size);
    this.depErr = new Float64Array(size);
    this.util = new Float64Array(size);
  }

  private loadModel(now: number, durationMs: number): ClusterTick {
    const graph = this.currentGraph();
    const n = graph.names.length;
    this.ensureScratch(n);
    const { demand, admitted, ownErr, ownLat, ownP99, totErr, totLat, totP99, util } = this;
    const rates = this.deps.rates?.(now);
    const seconds = durationMs / 1000;
    const timeout = this.options.queueTimeoutMs;

    // per service, once: demand, then the queue of each version group of its Ready instances
    for (let s = 0; s < n; s++) {
      const name = graph.names[s]!;
      const d = (rates?.get(name) ?? 0) + (this.realCounts.get(name) ?? 0) / seconds;
      demand[s] = d;
      const wl = this.byService.get(name);
      if (!wl) {
        admitted[s] = d;
        ownErr[s] = 0;
        ownLat[s] = 0;
        ownP99[s] = 0;
        util[s] = 0;
        continue;
      }
      const a = d * (1 - this.shedFraction(name));
      admitted[s] = a;
      const ready = wl.ready();
      const count = ready.length;
      for (const g of wl.groups()) g.ready = 0;
      for (let i = 0; i < count; i++) wl.groupOf(ready[i]!).ready++;
      if (count === 0) {
        ownErr[s] = a > 0 ? 1 : 0;
        ownLat[s] = 0;
        ownP99[s] = 0;
        util[s] = 0;
        continue;
      }
      // each version's share of the demand: the deployment's weights over the versions with
      // Ready instances, else (none set, or none of them Ready) its instances' share
      const weights = wl.weights;
      let total = 0;
      if (weights) for (const g of wl.groups()) if (g.ready > 0) total += weights[g.version] ?? 0;
      const servers = wl.spec.capacity.concurrency;
      let err = 0;
      let lat = 0;
      let p99 = 0;
      let u = 0;
      for (const g of wl.groups()) {
        if (g.ready === 0) {
          g.share = 0;
          g.perInstance = 0;
          continue;
        }
        const share = total > 0 ? (weights![g.version] ?? 0) / total : g.ready / count;
        g.share = share;
        g.perInstance = (a * share) / g.ready;
        const q = queue(g.q, g.perInstance, servers, g.serviceMs, timeout);
        g.error = combine(q.failShare, g.errorRate);
        err += share * g.error;
        lat += share * q.latencyMs;
        u += share * q.utilisation;
        // a version taking no requests answers none slowly
        if (share > 0 && q.p99Ms > p99) p99 = q.p99Ms;
      }
      ownErr[s] = err;
      ownLat[s] = lat;
      ownP99[s] = p99;
      util[s] = u;
    }

    // cascade from critical dependencies, leaves first; a cycle takes a few passes
    const cap = timeout * 10;
    for (let s = 0; s < n; s++) {
      totErr[s] = ownErr[s]!;
      totLat[s] = ownLat[s]!;
      totP99[s] = ownP99[s]!;
    }
    const passes = graph.cyclic ? this.options.maxCascadePasses : 1;
    for (let p = 0; p < passes; p++) {
      for (const s of graph.order) {
        totErr[s] = combine(ownErr[s]!, dependencyErrors(graph, s, totErr));
        totLat[s] = Math.min(cap, ownLat[s]! + callLatency(graph, s, totLat));
        totP99[s] = Math.min(cap, ownP99[s]! + callLatency(graph, s, totP99));
      }
    }

    // real exchanges that failed where the model saw no reason to (a partition, an injected
    // fault): the service's error rate is at least what its real callers saw
    if (this.realFailures.size > 0) {
      for (const [name, failed] of this.realFailures) {
        const s = graph.index.get(name);
        const seen = this.realOutcomes.get(name) ?? failed;
        if (s !== undefined && failed / seen > totErr[s]!) totErr[s] = failed / seen;
      }
    }

    // per instance, one tight loop: load, memory, CPU, node usage
    for (const node of this.nodesByName.values()) {
      node.usage.cpu = node.pressure.cpu;
      node.usage.memory = node.pressure.memory;
    }
    const oom = this.oom;
    oom.length = 0;
    for (const wl of this.workloadsByName.values()) {
      const s = graph.index.get(wl.spec.service);
      // a workload whose service left the mesh takes no requests
      if (s === undefined) for (const g of wl.groups()) g.perInstance = 0;
      const depErr = s === undefined ? 0 : (this.depErr[s] = dependencyErrors(graph, s, totErr));
      loadInstances(wl, depErr, now, oom);
    }
    for (const inst of oom) {
      const limit = this.workloadsByName.get(inst.workload)?.spec.resources.limits.memory;
      if (inst.nodeRef) inst.nodeRef.usage.memory -= inst.load.memoryMiB;
      const used = Math.round(inst.load.memoryMiB);
      inst.load.memoryMiB = 0;
      inst.load.cpu = 0;
      this.exit(inst, 'OOMKilled', `memory ${used} MiB exceeded its limit of ${limit} MiB`);
    }
    for (const node of this.nodesByName.values()) this.relieve(node);

    // the tick's view, one ServiceTick per mesh service
    const services = new Map<string, ServiceTick>();
    for (let s = 0; s < n; s++) {
      const name = graph.names[s]!;
      const wl = this.byService.get(name);
      const d = demand[s]!;
      const a = admitted[s]!;
      const served = a * (1 - totErr[s]!);
      const readyByVersion: Record<string, number> = {};
      let shareByVersion: Record<string, number> | undefined;
      let errorRateByVersion: Record<string, number> | undefined;
      let ready: number;
      let desired: number;
      if (wl) {
        ready = wl.ready().length;
        desired = 0;
        for (const v in wl.replicaSets) desired += wl.replicaSets[v]!;
        shareByVersion = {};
        errorRateByVersion = {};
        const depErr = this.depErr[s]!;
        for (const g of wl.groups()) {
          if (g.ready === 0) continue;
          readyByVersion[g.version] = g.ready;
          shareByVersion[g.version] = g.share;
          errorRateByVersion[g.version] = combine(g.error, depErr);
        }
      } else {
        const instances = graph.topology.services.get(name)!.instances;
        ready = desired = instances.length;
        for (const i of instances) readyByVersion[i.version] = (readyByVersion[i.version] ?? 0) + 1;
      }
      const staleReads = wl?.replication ? this.replicate(wl, name, now, durationMs, a, totErr[s]!, ready) : undefined;
      services.set(name, {
        service: name,
        workload: wl?.name,
        demand: d,
        admitted: a,
        served,
        errorRate: d > 0 ? (d - served) / d : 0,
        latencyMs: totLat[s]!,
        p99Ms: totP99[s]!,
        utilisation: util[s]!,
        ready,
        desired,
        readyByVersion,
        ...(shareByVersion !== undefined && { shareByVersion, errorRateByVersion }),
        ...(staleReads !== undefined && { staleReads }),
      });
    }
    return { at: now, durationMs, services };
  }

  /**
   * A stateful workload's replication in this tick: traffic's write rate (its non-GET
   * endpoints), as far as admitted and answered, advances the primary; its read rate, split
   * evenly over the Ready instances, meets the replicas still behind. Returns the tick's stale reads.
   */
  private replicate(wl: Workload, service: string, now: number, durationMs: number, admitted: number, error: number, ready: number): number {
    let reads = 0;
    let writes = 0;
    const byEndpoint = this.deps.endpointRates?.(now)?.get(service);
    if (byEndpoint && admitted > 0) {
      const endpoints = this.currentGraph().topology.services.get(service)?.byKey;
      for (const [key, rps] of byEndpoint) {
        if (isRead(endpoints?.get(key)?.method)) reads += rps;
        else writes += rps;
      }
      const shed = 1 - this.shedFraction(service);
      reads *= shed;
      writes *= shed * (1 - error);
    }
    return wl.replication!.tick(now, durationMs, writes, ready > 0 ? reads / ready : 0, wl.ready());
  }

  /** Node memory pressure: evict the instances using most beyond their request until it fits (kubelet's order). */
  private relieve(node: Node): void {
    const over = node.usage.memory - node.spec.memory;
    if (over <= 0) {
      node.underPressure = false;
      return;
    }
    const candidates = [...node.instances].filter((i) => isActive(i.state));
    candidates.sort((a, b) => b.load.memoryMiB - b.requests.memory - (a.load.memoryMiB - a.requests.memory) || (a.id < b.id ? -1 : 1));
    let evicted = 0;
    for (const inst of candidates) {
      if (node.usage.memory <= node.spec.memory) break;
      node.usage.memory -= inst.load.memoryMiB;
      node.usage.cpu -= inst.load.cpu;
      this.deleteInstance(inst, 'Evicted', `evicted: node ${node.name} under memory pressure`, 0);
      evicted++;
    }
    if (!node.underPressure || evicted > 0) {
      const reason = `memory pressure: ${Math.round(over + node.spec.memory)} MiB used of ${node.spec.memory} MiB; evicted ${evicted} instance(s)`;
      this.deps.events.emit('cluster.nodePressure', { node: node.name, zone: node.spec.zone, reason, instances: evicted });
    }
    node.underPressure = true;
    if (evicted > 0) this.reconcileAll();
  }
}

/** GET and HEAD read; every other method writes (an endpoint without a method reads: mesh calls GET by default). */
export function isRead(method: string | undefined): boolean {
  if (method === undefined) return true;
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === '*';
}

/** Fill probe defaults (Kubernetes' values) into the probes a spec has. */
function normalize(spec: WorkloadSpec): WorkloadSpec {
  for (const kind of ['liveness', 'readiness', 'startup'] as const) {
    const p = spec.probes[kind];
    if (p) spec.probes[kind] = { ...PROBE_DEFAULTS, ...p };
  }
  return spec;
}
