// Shapes of faults, scenarios and experiments (as validated by validate.ts).

export const FAULT_KINDS = ['latency', 'error', 'abort', 'timeout', 'outage', 'partition', 'headerLoss', 'headerCorruption'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Scope {
  service?: string;
  endpoint?: string;
  caller?: string;
  instance?: string;
  version?: string;
  /**
   * Endpoint templates (`GET /users/{userId}`, `* /orders`): the fault applies to those
   * endpoints only (see endpoint-templates.ts for how an exchange is matched).
   */
  endpoints?: string[];
  /** 0–100, default 100: share of matching calls that get the fault (seeded). */
  percentage?: number;
}

export type Distribution =
  | { type: 'uniform'; min: number; max: number }
  | { type: 'normal'; mean: number; stdDev: number }
  | { type: 'lognormal'; median: number; sigma: number };

export interface FaultSpec {
  id: string;
  kind: FaultKind;
  scope?: Scope;
  /** latency: fixed delay; timeout: how long before the 504. */
  ms?: number;
  /** latency: extra uniform delay in [0, jitterMs]. */
  jitterMs?: number;
  distribution?: Distribution;
  /** error: status (default 503) and body. */
  status?: number;
  body?: unknown;
  /** partition: services by group. */
  groups?: string[][];
  /** headerLoss / headerCorruption: headers to touch (default: every trace header). */
  headers?: string[];
}

export interface StepSpec {
  at: number;
  duration?: number;
  fault?: Omit<FaultSpec, 'id'> & { id?: string };
  template?: 'cascade';
  leaf?: string;
  simultaneous?: { services: string[]; fault: Omit<FaultSpec, 'id'> & { id?: string } };
}

export interface ScenarioSpec {
  id: string;
  name?: string;
  steps: StepSpec[];
}

/** Comparison operators of a `condition` tolerance. */
export const CONDITION_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * What a probe's value must be: an exact value (a status, a number, a word such as
 * `healthy`), one of a list, a range (inclusive), or a condition (`value <op> target`).
 */
export type Tolerance =
  | number
  | string
  | Array<number | string>
  | { type: 'range'; range: [number, number] }
  | { type: 'condition'; operator: ConditionOperator; value: number };

export interface HttpProbeProvider {
  type: 'http';
  url: string;
  method?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** Probes of the operations world (see ops.ts): observability metrics, health, cluster. */
export type OpsProbeProvider =
  | { type: 'observability'; func: 'error-rate' | 'p99-latency'; arguments: { service: string; windowMs?: number; version?: string } }
  | { type: 'observability'; func: 'metric'; arguments: { name: string; labels?: Record<string, string> } }
  | { type: 'health'; func: 'status'; arguments?: { service?: string } }
  | { type: 'health'; func: 'open-incidents'; arguments?: { service?: string } }
  | { type: 'cluster'; func: 'ready-instances'; arguments: { workload: string } };

export interface ProbeSpec {
  type: 'probe';
  name: string;
  provider: HttpProbeProvider | OpsProbeProvider;
  tolerance?: Tolerance;
  pauses?: Pauses;
}

export interface ActionSpec {
  type: 'action';
  name: string;
  provider: { type: 'fault'; fault: Omit<FaultSpec, 'id'> & { id?: string }; durationMs?: number } | { type: 'clear-faults' } | OpsActionProvider;
  pauses?: Pauses;
}

/** Chaos Toolkit's pauses around a method activity, in seconds (on the kernel clock). */
export interface Pauses {
  before?: number;
  after?: number;
}

/** Actions of the operations world (see ops.ts): the cluster, the deploy plugin, traffic. */
export type OpsActionProvider =
  | { type: 'cluster'; func: 'kill-instances'; arguments: { workload: string; count?: number; percentage?: number; mode?: 'kill' | 'evict' } }
  /** `durationMs` (fail, drain, pressure): undone by itself after that long, unless undone before. */
  | { type: 'cluster'; func: 'fail-node' | 'drain-node'; arguments: { node: string; durationMs?: number } }
  | { type: 'cluster'; func: 'recover-node' | 'uncordon-node'; arguments: { node: string } }
  | { type: 'cluster'; func: 'fail-zone'; arguments: { zone: string; durationMs?: number } }
  | { type: 'cluster'; func: 'recover-zone'; arguments: { zone: string } }
  | { type: 'cluster'; func: 'node-pressure'; arguments: { node: string; memory?: number; cpu?: number; durationMs?: number } }
  | { type: 'cluster'; func: 'release-pressure'; arguments: { node: string } }
  | { type: 'cluster'; func: 'recover'; arguments?: Record<string, never> }
  | { type: 'deploy'; func: 'deploy-version'; arguments: { workload: string; version: string; template?: Record<string, unknown>; strategy?: Record<string, unknown> } }
  | { type: 'deploy'; func: 'rollback' | 'abort'; arguments: { workload: string } }
  /** Extra requests/s into `service`: `rps`, or (`factor` − 1) × its rate now; removed after `durationMs` when given. */
  | { type: 'traffic'; func: 'spike'; arguments: { service: string; rps?: number; factor?: number; durationMs?: number } }
  | { type: 'traffic'; func: 'end-spikes'; arguments?: Record<string, never> };

export type OpsProviderType = OpsActionProvider['type'];

export interface PauseSpec {
  type: 'pause';
  name?: string;
  durationMs: number;
}

export type Activity = ProbeSpec | ActionSpec | PauseSpec;

export interface ExperimentSpec {
  id: string;
  title: string;
  description?: string;
  'steady-state-hypothesis'?: HypothesisSpec;
  method: Activity[];
  rollbacks?: ActionSpec[];
  /** Chaos Toolkit's runtime settings: the hypothesis strategy and the rollback strategy. */
  runtime?: RuntimeSpec;
  /** The library template it was made from (library.ts), with its parameters. */
  template?: { name: string; params: Record<string, unknown> };
  tags?: string[];
}

export interface HypothesisSpec {
  title: string;
  probes: ProbeSpec[];
  /**
   * "Tolerance met within T": after the method, the hypothesis passes when every probe is
   * within tolerance at some poll within this many ms (polling every `pollMs` on the
   * kernel clock). Without it the after-check is one poll, as Chaos Toolkit's.
   */
  withinMs?: number;
  /** Poll interval of `withinMs` (default 1000). */
  pollMs?: number;
}

export const HYPOTHESIS_STRATEGIES = ['default', 'before-method-only', 'after-method-only', 'during-method-only', 'continuously'] as const;
export type HypothesisStrategy = (typeof HYPOTHESIS_STRATEGIES)[number];
export const ROLLBACK_STRATEGIES = ['default', 'always', 'never', 'deviated'] as const;
export type RollbackStrategy = (typeof ROLLBACK_STRATEGIES)[number];

export interface RuntimeSpec {
  hypothesis?: {
    strategy?: HypothesisStrategy;
    /** Seconds between checks during the method (Chaos Toolkit's `frequency`; default 1). */
    frequency?: number;
    /** Stop the method at the first check during it that does not hold (status `interrupted`). */
    fail_fast?: boolean;
  };
  rollbacks?: { strategy?: RollbackStrategy };
}
