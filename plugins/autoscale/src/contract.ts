// The autoscale plugin's contract: the `autoscale` service (each autoscaled workload's
// spec, status and bounded history), the `ScalingPolicy` interface every policy implements
// (the HorizontalPodAutoscaler, KEDA-style event-driven scaling, and the predictive policy
// of forecast.ts), the events it emits, and their declaration in the kernel's Services and
// EventMap. Other plugins import these types only.
import type { Resources, WorkloadSpec } from '@understudy/plugin-cluster';
import type {} from '@understudy/plugin-sdk';

/** Kubernetes' metric targets (autoscaling/v2 MetricTarget). */
export type MetricTarget =
  | { type: 'Utilization'; averageUtilization: number }
  | { type: 'AverageValue'; averageValue: number }
  | { type: 'Value'; value: number };

/**
 * One metric of an autoscaler, in the HPA's (autoscaling/v2) shape:
 * - `Resource`: `cpu` or `memory` of each instance from the cluster's load model; a
 *   `Utilization` target is a percent of the instance's resource request, as Kubernetes';
 * - `Pods`: a per-instance metric — `requests_per_second` (arrivals at the instance) or
 *   `utilisation` (the load model's offered load / capacity, 1 = saturated);
 * - `External`: any metric the observability plugin serves (summed over the series whose
 *   labels match), with a `Value` or `AverageValue` target.
 */
export type MetricSpec =
  | { type: 'Resource'; resource: { name: 'cpu' | 'memory'; target: MetricTarget } }
  | { type: 'Pods'; pods: { metric: { name: 'requests_per_second' | 'utilisation' }; target: MetricTarget } }
  | { type: 'External'; external: { metric: { name: string; labels?: Record<string, string> }; target: MetricTarget } };

export type PolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** HPAScalingPolicy: at most `value` pods (or percent) of change per `periodSeconds`. */
export interface HpaScalingPolicy {
  type: PolicyType;
  value: number;
  periodSeconds: number;
}

/** HPAScalingRules for one direction. */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: HpaScalingPolicy[];
  /** Tolerance of this direction (Kubernetes 1.33's configurable tolerance); default the autoscaler's `tolerance`. */
  tolerance: number;
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** A KEDA trigger: what says there is work. */
export type TriggerSpec =
  | { type: 'queue'; queue: string; threshold: number; activationThreshold: number }
  | { type: 'rate'; threshold: number; activationThreshold: number }
  | { type: 'metric'; metric: { name: string; labels?: Record<string, string> }; metricType: 'AverageValue' | 'Value'; threshold: number; activationThreshold: number };

/** A KEDA ScaledObject's settings (the HPA part is `behavior`, minReplicas = max(1, minReplicaCount)). */
export interface KedaSpec {
  pollingInterval: number;
  cooldownPeriod: number;
  minReplicaCount: number;
  maxReplicaCount: number;
  /** Replicas while idle instead of 0 (KEDA's idleReplicaCount); undefined: 0. */
  idleReplicaCount?: number;
  triggers: TriggerSpec[];
}

export type PolicyKind = 'hpa' | 'keda' | 'predictive';

/** The whole spec of one workload's autoscaler (defaults applied). */
export interface AutoscalerSpec {
  workload: string;
  policy: PolicyKind;
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  /** Seconds between evaluations of the HPA (Kubernetes' --horizontal-pod-autoscaler-sync-period, 15). */
  syncPeriodSeconds: number;
  /** Global tolerance (0.1); `behavior.<direction>.tolerance` overrides it per direction. */
  tolerance: number;
  metrics: MetricSpec[];
  behavior: Behavior;
  /** Event-driven scaling (policy `keda`). */
  keda?: KedaSpec;
  /** Settings of the predictive policy (policy `predictive`), read by that policy; free-form here. */
  predictive?: Record<string, unknown>;
  /** Answer health's requestReplicas: raise the replicas it asks for (within maxReplicas). */
  followHealth: boolean;
}

/** One instance as a policy sees it. */
export interface InstanceSample {
  id: string;
  /** `ready`: counts; `unready`: not yet ready (starting); `ignored`: pending, stopped or leaving. */
  status: 'ready' | 'unready' | 'ignored';
  cpu: number;
  memoryMiB: number;
  requests: Resources;
  /** Requests/s arriving at it. */
  rps: number;
  /** Offered load / capacity. */
  utilisation: number;
  /** No sample since it became ready (Kubernetes' missing metric). */
  missing: boolean;
}

/** What a policy is given at each evaluation. */
export interface PolicyInput {
  /** Kernel clock, ms. */
  now: number;
  /** The workload's replicas now (its spec). */
  current: number;
  readyReplicas: number;
  /** The workload's demand (requests/s offered to its service) in the last cluster tick. */
  demand: number;
  instances: InstanceSample[];
  /** Values of the autoscaler's External metrics and KEDA triggers, by key (`external:<i>`, `trigger:<i>`); undefined: missing. */
  metrics: Record<string, number | undefined>;
  workload: {
    name: string;
    service: string;
    startupSeconds: number;
    capacity: WorkloadSpec['capacity'];
    requests: Resources;
  };
  spec: AutoscalerSpec;
}

export interface PolicyDecision {
  /** Replicas wanted; undefined: leave the workload as it is. */
  desired: number | undefined;
  /** Why, in words (`cpu 180% of 60% target: 3 → 9`, `within tolerance`, `cooling down`). */
  reason: string;
  /** Per-metric detail for the status view. */
  detail?: Record<string, unknown>;
}

/**
 * A scaling policy. The controller calls `decide` every `intervalMs(spec)` of kernel
 * clock with the workload's state, and applies `desired` (clamped to min/max replicas).
 * A policy may keep state between calls (stabilization windows, forecasts).
 */
export interface ScalingPolicy {
  readonly kind: PolicyKind | string;
  /** How often to evaluate, ms. */
  intervalMs(spec: AutoscalerSpec): number;
  decide(input: PolicyInput): PolicyDecision;
  /** The controller scaled the workload (by this policy or another writer): record it. */
  scaled?(from: number, to: number, at: number): void;
  /** Another writer (health's requestReplicas) set the replicas: keep them in mind (the HPA: a recommendation its scale-down window holds). */
  held?(replicas: number, at: number): void;
}

/** Builds a policy for a spec (the predictive policy registers one). */
export type PolicyFactory = (spec: AutoscalerSpec) => ScalingPolicy;

/** One evaluation in the bounded history. */
export interface HistoryPoint {
  at: number;
  /** Replicas before the evaluation. */
  replicas: number;
  ready: number;
  /** What the policy wanted (after clamping); undefined when it left the workload alone. */
  desired: number | undefined;
  /** Requests/s offered to the service. */
  demand: number;
  reason: string;
}

export interface AutoscalerStatus {
  workload: string;
  spec: AutoscalerSpec;
  currentReplicas: number;
  readyReplicas: number;
  desiredReplicas: number | undefined;
  lastScaleTime?: number;
  lastEvaluation?: number;
  lastReason?: string;
  /** KEDA: active trigger, last activity. */
  active?: boolean;
  lastActiveTime?: number;
  detail?: Record<string, unknown>;
  /** The last values of its External metrics and KEDA triggers (`external:<i>`, `trigger:<i>`); null: missing. */
  metrics?: Record<string, number | null>;
  historyDropped: number;
}

export interface Autoscale {
  list(): AutoscalerStatus[];
  get(workload: string): AutoscalerStatus;
  /**
   * Validate and set a workload's autoscaler (whole spec, defaults applied); throws
   * US_AUTOSCALE_INVALID_SPEC listing every problem. `dryRun`: validate and return the status
   * it would have, changing nothing.
   */
  set(workload: string, spec: unknown, options?: { dryRun?: boolean; source?: string }): AutoscalerStatus;
  remove(workload: string): void;
  /** Replicas, desired and demand per evaluation, oldest first (bounded by count and bytes). */
  history(workload: string): HistoryPoint[];
  /** Register a policy kind (`predictive`): specs with `policy: kind` use it. */
  registerPolicy(kind: string, factory: PolicyFactory): void;
  /** Evaluate now (tests, admin). */
  evaluate(workload: string): Promise<AutoscalerStatus>;
  /** Simulated queues of KEDA `queue` triggers. */
  queues(): QueueView[];
  setQueue(name: string, patch: { length?: number; arrivalRps?: number }): QueueView;
}

export interface QueueView {
  name: string;
  length: number;
  arrivalRps: number;
  /** Messages/s one Ready instance of the consumer takes. */
  ratePerInstance: number;
  consumer?: string;
}

export interface AutoscaleScaledEvent {
  workload: string;
  from: number;
  to: number;
  reason: string;
  policy: string;
}

declare module '@understudy/kernel' {
  interface Services {
    autoscale: Autoscale;
  }
  interface EventMap {
    'autoscale.scaled': AutoscaleScaledEvent;
    'autoscale.activated': { workload: string; trigger: string; value: number };
    'autoscale.deactivated': { workload: string; idleSince: number };
    'autoscale.configured': { workload: string; policy: string; source: string };
    'autoscale.removed': { workload: string };
  }
}
