// The cluster plugin's contract: the `cluster` service (nodes, workloads, instances and
// the load model), the `cluster` hook group other plugins tap (health decides restarts
// and admission; observability and autoscale read every tick), the events it emits, and
// their declaration in the kernel's Services, PluginHookGroups and EventMap. Other plugins
// import these types only.
import type { SyncBailHook, SyncHook } from '@understudy/plugin-sdk';

/** Kubernetes' pod phases and container states, flattened into one lifecycle. */
export type InstanceState =
  | 'Pending' // not yet scheduled, or held by an admission tap (waiting for dependencies)
  | 'Starting' // scheduled; the process is starting (startupSeconds), probes may run
  | 'Ready' // takes traffic
  | 'NotReady' // running, but out of rotation (readiness failed, or a gate is false)
  | 'Terminating' // leaving: out of rotation, drains for terminationGracePeriodSeconds
  | 'Terminated' // gone (kept briefly for history, never takes traffic)
  | 'Failed' // its process exited with an error; waiting for the restart decision
  | 'OOMKilled' // exceeded its memory limit, or evicted under node memory pressure
  | 'CrashLoopBackOff'; // exited again; restarts after the backoff delay

export const INSTANCE_STATES: readonly InstanceState[] = [
  'Pending', 'Starting', 'Ready', 'NotReady', 'Terminating', 'Terminated', 'Failed', 'OOMKilled', 'CrashLoopBackOff',
];

export interface Resources {
  /** Millicores (1000 = one core). */
  cpu: number;
  /** MiB. */
  memory: number;
}

export interface NodeSpec {
  name: string;
  zone: string;
  /** Capacity: millicores and MiB. */
  cpu: number;
  memory: number;
  instanceType: string;
  /** Price per hour in the config's currency (0 when not given). */
  pricePerHour: number;
  /** Spot / preemptible capacity (cheaper, may be taken back). */
  interruptible: boolean;
  labels: Record<string, string>;
}

export type NodeCondition = 'Ready' | 'NotReady';

export interface NodeView extends NodeSpec {
  condition: NodeCondition;
  /** Unschedulable (cordoned or draining). */
  unschedulable: boolean;
  draining: boolean;
  /** Sum of the requests of the instances placed on it. */
  allocated: Resources;
  /** What they use now (the load model), plus any injected pressure. */
  usage: Resources;
  /** Extra memory/CPU taken by an injected "hog" (resource exhaustion). */
  pressure: Resources;
  instances: number;
}

/** How a version of the app behaves: what probes see and how it fails. */
export interface AppBehaviour {
  /** The process exits this long after starting (a bad build): it never becomes Ready. */
  crashOnStart?: boolean;
  /** Exits at start when a critical dependency has no Ready instance (most real apps do). Default true. */
  needsDependenciesAtStart?: boolean;
  /** Extra error ratio of its responses (0..1), on top of the mesh endpoint's. */
  errorRate?: number;
  /** Multiplies its service time (a slow version). */
  latencyFactor?: number;
  /** Memory leak in MiB per hour running (OOMKilled when the limit is reached). */
  leakMiBPerHour?: number;
  /**
   * Its liveness endpoint is a "deep" health check: a (simulated) httpGet liveness probe fails
   * while a critical dependency has no Ready instance. Default false (tcpSocket and exec
   * probes never look at dependencies).
   */
  livenessChecksDependencies?: boolean;
}

export interface ProbeSpec {
  /** Kubernetes' handler, simulated: `exec` and `tcpSocket` pass while the process is up and live. */
  httpGet?: { path: string; port?: number; host?: string };
  tcpSocket?: { port: number };
  exec?: { command: string[] };
  initialDelaySeconds: number; // default 0
  periodSeconds: number; // default 10
  timeoutSeconds: number; // default 1
  successThreshold: number; // default 1 (must be 1 for liveness and startup)
  failureThreshold: number; // default 3
}

export interface WorkloadSpec {
  /** The mesh service whose instances these are (default: the workload's name). */
  service: string;
  replicas: number;
  version: string;
  resources: { requests: Resources; limits: Resources };
  /** Seconds from Starting until the process is up. */
  startupSeconds: number;
  /** The load model: requests one instance serves at once, and its mean service time. */
  capacity: { concurrency: number; serviceTimeMs: number };
  /** Memory the process uses: a base, plus per request in flight (Little's law). */
  memory: { baseMiB: number; perInflightMiB: number };
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds: number;
  probes: { liveness?: ProbeSpec; readiness?: ProbeSpec; startup?: ProbeSpec };
  /** Behaviour of every version, and per version (a bad deploy). */
  behaviour: AppBehaviour;
  versions: Record<string, AppBehaviour>;
  /**
   * A stateful workload: writes reach its other instances `replicationLagMs` after the primary;
   * an instance back after a restart replays what it missed, at `catchUpWritesPerSecond` when
   * given, and is current no sooner than the lag after it turned Ready (README "Stateful workloads").
   */
  stateful?: { replicationLagMs: number; catchUpWritesPerSecond?: number };
  /** Place instances across zones (default true: Kubernetes' topology spread). */
  zoneSpread: boolean;
  labels: Record<string, string>;
}

export interface ClusterInstance {
  /** `<workload>-<n>`, n counting up from 1 over the workload's life (never reused). */
  readonly id: string;
  readonly workload: string;
  readonly service: string;
  readonly version: string;
  state: InstanceState;
  /** Clock time the current state was entered. */
  since: number;
  node?: string;
  zone?: string;
  createdAt: number;
  /** When the current process started (undefined before the first start). */
  startedAt?: number;
  /** When it last became Ready. */
  readyAt?: number;
  restarts: number;
  /** Why it last stopped: `Error`, `OOMKilled`, `Killed`, `Evicted`, `NodeLost`, `Completed`. */
  lastTermination?: { reason: string; at: number; exitCode: number };
  /** Why it is in its state, in words (`waiting for db to be ready`, `readiness probe failed`). */
  reason?: string;
  /** The process as probes would find it. */
  process: { up: boolean; live: boolean; ready: boolean };
  /** Readiness gates (Kubernetes' readinessGates): Ready needs every one true. */
  gates: Record<string, boolean>;
  /** From the load model, updated every tick. */
  load: InstanceLoad;
}

export interface InstanceLoad {
  /** Requests/s arriving at this instance. */
  arrivalRate: number;
  /** Offered load / capacity (may exceed 1: overloaded). */
  utilisation: number;
  /** Mean response time in ms (service time + queueing). */
  latencyMs: number;
  /** Share of its requests failing (overload, its version, or its critical dependencies). */
  errorRate: number;
  cpu: number;
  memoryMiB: number;
}

/** One service in one tick of the load model. */
export interface ServiceTick {
  service: string;
  workload?: string;
  /** Requests/s offered to the service (traffic's rates plus real requests). */
  demand: number;
  /** Requests/s admitted (after load shedding). */
  admitted: number;
  /** Requests/s answered successfully. */
  served: number;
  errorRate: number;
  latencyMs: number;
  /** Estimated 99th percentile in ms. */
  p99Ms: number;
  utilisation: number;
  ready: number;
  desired: number;
  /** Ready instances by version (deployments read this). */
  readyByVersion: Record<string, number>;
  /**
   * A workload's services only: the share (0..1, summing to 1) of `admitted` each version with
   * Ready instances takes — the traffic weights a deployment set (`setTrafficWeights`), else its
   * Ready instances over all Ready instances.
   */
  shareByVersion?: Record<string, number>;
  /**
   * A workload's services only: the error ratio of each version's own requests (its
   * instances' overload and `errorRate`, combined with the errors of its dependencies) —
   * how the service's errors split over its versions, for a canary judged on simulated load.
   */
  errorRateByVersion?: Record<string, number>;
  /** A stateful workload only: reads in this tick that saw stale data (simulated, may be fractional, plus real). */
  staleReads?: number;
}

export interface ClusterTick {
  at: number;
  /** Length of the tick in ms. */
  durationMs: number;
  services: ReadonlyMap<string, ServiceTick>;
}

/** What the `instanceExited` taps decide: restart after a delay, or leave it stopped. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; state: 'Failed' | 'OOMKilled' | 'CrashLoopBackOff'; reason?: string }
  | { action: 'stay'; reason: string };

export interface InstanceChange {
  instance: Readonly<ClusterInstance>;
  from: InstanceState;
  to: InstanceState;
  reason?: string;
}

export interface ClusterHooks {
  /** A process exited (error, kill, OOM). First tap that answers decides; none: restart at once. */
  instanceExited: SyncBailHook<[instance: Readonly<ClusterInstance>, reason: string], RestartDecision | undefined>;
  /**
   * May a scheduled instance start now? A tap answering a string holds it Pending with
   * that reason (the recovery planner: `waiting for db to be Ready`); asked again every tick.
   */
  admit: SyncBailHook<[instance: Readonly<ClusterInstance>], string | undefined>;
  /** Every state change, synchronously (health, observability). */
  instanceChanged: SyncHook<[change: InstanceChange]>;
  /** After every tick of the load model. */
  tick: SyncHook<[tick: ClusterTick]>;
}

export interface WorkloadView {
  name: string;
  spec: WorkloadSpec;
  /** Instances by state. */
  states: Partial<Record<InstanceState, number>>;
  ready: number;
  /** Replicas wanted per version (a rollout may hold two). */
  replicaSets: Record<string, number>;
  revision: number;
  /** The traffic weights a deployment set (`setTrafficWeights`), version → weight; absent: even over the Ready instances. */
  trafficWeights?: Record<string, number>;
  /** A stateful workload only: its primary, who is behind and the stale reads. */
  replication?: ReplicationView;
}

/** The replication of a stateful workload (README "Stateful workloads"). */
export interface ReplicationView {
  lagMs: number;
  catchUpWritesPerSecond?: number;
  /** The instance taking writes (absent: no Ready instance). */
  primary?: string;
  /** Writes the primaries accepted (rounded). */
  writes: number;
  /** Instances whose data lacks writes a current replica has: id → ms behind a current replica. */
  behind: Record<string, number>;
  /** Instances replaying the writes they missed: id → clock time they are current. */
  catchingUp: Record<string, number>;
  /** Reads that saw stale data since the workload was created (simulated and real, rounded). */
  staleReads: number;
  /** Per instance behind (or that was), stale reads since it last fell behind (rounded). */
  staleReadsByInstance: Record<string, number>;
}

export interface WorkloadDiffEntry {
  path: string;
  from: unknown;
  to: unknown;
}

export interface ApplyResult {
  workload: string;
  dryRun: boolean;
  created: boolean;
  diff: WorkloadDiffEntry[];
  /** What the controllers will do: `create 3 instances`, `replace 3 instances of 1.0.0 with 1.1.0`. */
  actions: string[];
}

export interface InstanceQuery {
  workload?: string;
  service?: string;
  state?: InstanceState;
  node?: string;
  zone?: string;
}

export interface Cluster {
  nodes(): NodeView[];
  node(name: string): NodeView;
  workloads(): WorkloadView[];
  workload(name: string): WorkloadView;
  /** Validate and apply a (partial: merged over the current) spec; throws US_CLUSTER_INVALID_WORKLOAD listing every problem. */
  apply(name: string, spec: unknown, options?: { dryRun?: boolean; source?: string }): ApplyResult;
  remove(name: string): void;
  /**
   * Set a workload's replicas (autoscalers): spec.replicas, and its ReplicaSet when it runs one
   * version (a rolling replacement steps to the new count; ReplicaSets driven through
   * setReplicaSets with several versions are left to their driver). false: already so.
   * Throws US_CLUSTER_INVALID_WORKLOAD for a count that is not an integer >= 0.
   */
  scale(workload: string, replicas: number, options?: { source?: string; reason?: string }): boolean;
  /** Replicas per version for a workload (deployments drive their ReplicaSets through this). */
  setReplicaSets(workload: string, replicaSets: Record<string, number>, source?: string): void;
  /**
   * Record `version` as the one the workload runs (its spec's `version`), leaving its
   * ReplicaSets as they are: a deployment controller that drove the versions itself calls it
   * once the new version is promoted. No change: false. Throws US_CLUSTER_INVALID_WORKLOAD
   * for an empty version.
   */
  setVersion(workload: string, version: string, source?: string): boolean;
  /**
   * How the load model splits the workload's admitted demand over its versions (a deployment's
   * routing weights): version → weight (any scale, each >= 0). Version v's Ready instances get
   * admitted × w_v / Σ w over the versions that have Ready instances, evenly among them; a
   * version not named gets none; a weighted version with no Ready instance gives its share to
   * the others, and when no weighted version has one the split is even over the Ready instances
   * (a rollout never leaves a service without an instance). Header and cookie routes are not
   * modelled (they steer only real exchanges). undefined: even over every Ready instance, as
   * round-robin does (the default). Throws US_CLUSTER_INVALID_VALUE for a weight that is not a
   * finite number >= 0.
   */
  setTrafficWeights(workload: string, weights: Record<string, number> | undefined): void;
  instances(query?: InstanceQuery): ClusterInstance[];
  instance(id: string): ClusterInstance;
  /** The Ready instances of a mesh service (mesh routes only to these). */
  readyInstances(service: string): readonly ClusterInstance[];
  /** Is this mesh service managed by the cluster? */
  manages(service: string): boolean;
  /**
   * For a running instance whose behaviour has `livenessChecksDependencies`: the critical
   * dependency with no Ready instance that makes its liveness endpoint fail now, if any
   * (undefined for any other instance).
   */
  livenessDependencyDown(id: string): string | undefined;
  /** The workload running a mesh service. */
  workloadOf(service: string): string | undefined;

  // actions (admin API, chaos experiments, health's remediation)
  kill(id: string, reason?: string): ClusterInstance;
  /** Delete an instance (its controller replaces it). */
  evict(id: string, reason?: string): ClusterInstance;
  /** Restart an instance's process (liveness failure): it goes through Starting again. */
  restart(id: string, reason: string): ClusterInstance;
  failNode(name: string, reason?: string): NodeView;
  recoverNode(name: string): NodeView;
  cordon(name: string, on: boolean): NodeView;
  /** Cordon and evict every instance (they are rescheduled elsewhere). */
  drain(name: string): NodeView;
  /** Take memory/CPU on a node (a hog): 0 releases it. */
  pressure(name: string, pressure: Partial<Resources>): NodeView;
  /** Readiness gates: health sets `probes`. Ready needs every registered gate true. */
  addReadinessGate(gate: string): void;
  setGate(id: string, gate: string, value: boolean, reason?: string): void;
  /** Turn away this share (0..1) of a service's demand at its door (load shedding). */
  shed(service: string, fraction: number, source?: string): void;
  /** The last tick of the load model. */
  lastTick(): ClusterTick | undefined;
  /** A stateful workload's replication now (undefined: not stateful, or no such workload). */
  replication(workload: string): ReplicationView | undefined;
}

export interface ClusterInstanceEvent {
  id: string;
  workload: string;
  service: string;
  node?: string;
  zone?: string;
  version: string;
  from: InstanceState;
  to: InstanceState;
  reason?: string;
}

export interface ClusterNodeEvent {
  node: string;
  zone: string;
  reason?: string;
  /** Instances affected. */
  instances: number;
}

/** A replica of a stateful workload fell behind (Ready with writes missing), or is current again. */
export interface ClusterReplicaEvent {
  workload: string;
  service: string;
  instance: string;
  /** replicaBehind: ms behind a current replica, the writes it missed, when it will be current. */
  behindMs?: number;
  missedWrites?: number;
  currentAt?: number;
  /** replicaCaughtUp: reads it served stale while behind, and how long the catch-up took. */
  staleReads?: number;
  tookMs?: number;
}

/** A stateful workload's primary changed (promotion on failover; absent `to`: no Ready instance). */
export interface ClusterPrimaryEvent {
  workload: string;
  service: string;
  from?: string;
  to?: string;
  /** Writes the old primary had accepted that the new one had not received yet (asynchronous replication). */
  lostWrites: number;
  reason: string;
}

export interface ClusterWorkloadEvent {
  workload: string;
  revision: number;
  source: string;
  actions: string[];
}

declare module '@understudy/kernel' {
  interface Services {
    cluster: Cluster;
  }
  interface PluginHookGroups {
    cluster: ClusterHooks;
  }
  interface EventMap {
    'cluster.instanceChanged': ClusterInstanceEvent;
    'cluster.nodeFailed': ClusterNodeEvent;
    'cluster.nodeRecovered': ClusterNodeEvent;
    'cluster.nodeDrained': ClusterNodeEvent;
    'cluster.nodePressure': ClusterNodeEvent;
    'cluster.workloadApplied': ClusterWorkloadEvent;
    'cluster.workloadRemoved': ClusterWorkloadEvent;
    'cluster.unschedulable': { instance: string; workload: string; reason: string };
    'cluster.replicaBehind': ClusterReplicaEvent;
    'cluster.replicaCaughtUp': ClusterReplicaEvent;
    'cluster.primaryChanged': ClusterPrimaryEvent;
  }
}
