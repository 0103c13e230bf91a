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

export type Tolerance = number | number[] | { type: 'range'; range: [number, number] };

export interface ProbeSpec {
  type: 'probe';
  name: string;
  provider: { type: 'http'; url: string; method?: string; timeoutMs?: number; headers?: Record<string, string> };
  tolerance?: Tolerance;
}

export interface ActionSpec {
  type: 'action';
  name: string;
  provider: { type: 'fault'; fault: Omit<FaultSpec, 'id'> & { id?: string }; durationMs?: number } | { type: 'clear-faults' };
}

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
  'steady-state-hypothesis'?: { title: string; probes: ProbeSpec[] };
  method: Activity[];
  rollbacks?: ActionSpec[];
}
