// The cluster's live objects: an instance (the contract's ClusterInstance plus the
// bookkeeping the controllers and the load model need, hidden from JSON), a node and a
// workload. Plain classes with fields, no behaviour beyond views: cluster.ts drives them.
import type { ClusterInstance, InstanceLoad, InstanceState, NodeCondition, NodeSpec, NodeView, Resources, WorkloadSpec, WorkloadView } from './contract.js';
import { behaviourOf } from './spec.js';
import { newQueueResult, type QueueResult } from './load-model.js';
import type { Replication } from './replication.js';

/** What the next timed transition of an instance is. */
export const Due = { None: 0, ProcessUp: 1, Restart: 2, Gone: 3 } as const;
export type Due = (typeof Due)[keyof typeof Due];

export class Instance implements ClusterInstance {
  state: InstanceState = 'Pending';
  since: number;
  node?: string;
  zone?: string;
  startedAt?: number;
  readyAt?: number;
  restarts = 0;
  lastTermination?: { reason: string; at: number; exitCode: number };
  reason?: string = 'waiting to be scheduled';
  process = { up: false, live: false, ready: false };
  /** Its version's liveness endpoint checks its critical dependencies (set when its process comes up). */
  checksDependencies = false;
  gates: Record<string, boolean> = {};
  load: InstanceLoad = { arrivalRate: 0, utilisation: 0, latencyMs: 0, errorRate: 0, cpu: 0, memoryMiB: 0 };
  readonly createdAt: number;

  // bookkeeping (not part of the view)
  nodeRef: Node | undefined = undefined;
  dueAt = Infinity;
  due: Due = Due.None;
  /** Requests bound on the node (the spec's when it was created). */
  readonly requests: Resources;
  /** Queueing delay, overload share and app error share real requests get (from the last tick). */
  waitMs = 0;
  failShare = 0;
  appError = 0;
  /** The zone it counts in for its workload's spread (while active). */
  spreadZone: string | undefined = undefined;
  /** Its version's group in the load model, valid while `groupGen` is its workload's generation. */
  group: VersionGroup | undefined = undefined;
  groupGen = -1;
  /** Health last reported to discovery (undefined: not registered). */
  registered: string | undefined = undefined;
  /** The last unschedulable reason announced (one event per new reason). */
  announced: string | undefined = undefined;

  constructor(
    readonly id: string,
    readonly workload: string,
    readonly service: string,
    readonly version: string,
    /** Creation order across the cluster: higher is newer. */
    readonly seq: number,
    now: number,
    requests: Resources,
  ) {
    this.since = now;
    this.createdAt = now;
    this.requests = { ...requests };
  }

  toJSON(): ClusterInstance {
    return {
      id: this.id,
      workload: this.workload,
      service: this.service,
      version: this.version,
      state: this.state,
      since: this.since,
      node: this.node,
      zone: this.zone,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      readyAt: this.readyAt,
      restarts: this.restarts,
      lastTermination: this.lastTermination,
      reason: this.reason,
      process: { ...this.process },
      gates: { ...this.gates },
      load: { ...this.load },
    };
  }
}

export class Node {
  condition: NodeCondition = 'Ready';
  unschedulable = false;
  draining = false;
  allocated: Resources = { cpu: 0, memory: 0 };
  usage: Resources = { cpu: 0, memory: 0 };
  pressure: Resources = { cpu: 0, memory: 0 };
  /** Memory pressure seen in the last tick (the event fires on the way in). */
  underPressure = false;
  readonly instances = new Set<Instance>();

  constructor(readonly spec: NodeSpec) {}

  get name(): string {
    return this.spec.name;
  }

  view(): NodeView {
    return {
      ...this.spec,
      labels: { ...this.spec.labels },
      condition: this.condition,
      unschedulable: this.unschedulable,
      draining: this.draining,
      allocated: { ...this.allocated },
      usage: { cpu: round(this.usage.cpu), memory: round(this.usage.memory) },
      pressure: { ...this.pressure },
      instances: this.instances.size,
    };
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/** One version's share of a workload in the load model (reused every tick). */
export interface VersionGroup {
  version: string;
  serviceMs: number;
  errorRate: number;
  leakMiBPerHour: number;
  /** Ready instances of this version in the current tick. */
  ready: number;
  /** Its share of the service's admitted demand in the current tick (the rollout's weights, else ready / all Ready). */
  share: number;
  /** Requests/s arriving at each of its Ready instances in the current tick. */
  perInstance: number;
  q: QueueResult;
  /** Its own error share: overload combined with the version's errorRate. */
  error: number;
}

export class Workload {
  revision = 1;
  replicaSets: Record<string, number>;
  /** The built-in rolling replacement after a version change (maxSurge 1, maxUnavailable 0). */
  rollout: { to: string } | undefined = undefined;
  readonly instances = new Set<Instance>();
  /** Active instances by zone (the scheduler's spread). */
  readonly zones = new Map<string, number>();
  /** Instance numbers count up over the workload's life, never reused. */
  counter = 0;
  /** Something changed: reconcile on the next pass. */
  dirty = true;
  /** A stateful workload's replication (cluster.ts keeps it in step with spec.stateful). */
  replication: Replication | undefined = undefined;
  /** The deployment's traffic weights, version → share (undefined: even over the Ready instances). */
  weights: Record<string, number> | undefined = undefined;
  private readyCache: Instance[] = [];
  private readyStale = true;
  private groupCache = new Map<string, VersionGroup>();

  constructor(
    readonly name: string,
    public spec: WorkloadSpec,
    /** Created from `adopt: 'all'`, not named in config or by PUT. */
    readonly adopted: boolean,
  ) {
    this.replicaSets = { [spec.version]: spec.replicas };
  }

  /** An instance entered or left Ready. */
  readyChanged(): void {
    this.readyStale = true;
  }

  /** Ready instances in creation order; the same array until one enters or leaves Ready. */
  ready(): readonly Instance[] {
    if (this.readyStale) {
      const list: Instance[] = [];
      for (const i of this.instances) if (i.state === 'Ready') list.push(i);
      this.readyCache = list;
      this.readyStale = false;
    }
    return this.readyCache;
  }

  /** Bumped when the spec changes (instances' cached groups are stale then). */
  generation = 0;

  /** The spec changed: per-version numbers are derived again. */
  specChanged(): void {
    this.groupCache.clear();
    this.generation++;
  }

  /** The load-model group of an instance's version (cached on the instance). */
  groupOf(inst: Instance): VersionGroup {
    if (inst.groupGen !== this.generation || inst.group === undefined) {
      inst.group = this.group(inst.version);
      inst.groupGen = this.generation;
    }
    return inst.group;
  }

  group(version: string): VersionGroup {
    let g = this.groupCache.get(version);
    if (!g) {
      const b = behaviourOf(this.spec, version);
      g = { version, serviceMs: this.spec.capacity.serviceTimeMs * b.latencyFactor, errorRate: b.errorRate, leakMiBPerHour: b.leakMiBPerHour, ready: 0, share: 0, perInstance: 0, q: newQueueResult(), error: 0 };
      this.groupCache.set(version, g);
    }
    return g;
  }

  groups(): IterableIterator<VersionGroup> {
    return this.groupCache.values();
  }

  view(): WorkloadView {
    const states: WorkloadView['states'] = {};
    let ready = 0;
    for (const i of this.instances) {
      states[i.state] = (states[i.state] ?? 0) + 1;
      if (i.state === 'Ready') ready++;
    }
    const view: WorkloadView = { name: this.name, spec: structuredClone(this.spec), states, ready, replicaSets: { ...this.replicaSets }, revision: this.revision };
    if (this.weights) view.trafficWeights = { ...this.weights };
    return view;
  }
}
