// The edge plugin's contract: node specs, what nodes publish upstream, their stats, the
// `edge` service, and what the plugin adds to the kernel's Services and EventMap. Other
// plugins and users import these types only.

export type AggregateName = 'min' | 'max' | 'mean' | 'count';
export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'sample';
export type CompareOp = '>' | '<' | '>=' | '<=' | '==';
export type MetadataValue = string | number | boolean;

/** Which devices a node owns: every given criterion must hold (at least one is required). */
export interface DeviceGroup {
  ids?: string[];
  idPrefix?: string;
  /** Needs the fleet plugin. */
  type?: string;
  /** Needs the fleet plugin; every key must equal (compared as strings). */
  metadata?: Record<string, MetadataValue>;
}

export type FilterSpec = { kind: 'threshold'; min?: number; max?: number } | { kind: 'deadband'; delta: number };

export interface WindowSpec {
  kind: 'tumbling' | 'sliding';
  sizeMs: number;
  /** Sliding windows only: how often one is emitted (sizeMs must be a multiple). */
  slideMs?: number;
  aggregates: AggregateName[];
}

export interface AnomalySpec {
  /** |z| at or above this is an anomaly (e.g. 3). */
  zScore: number;
  /** Readings per device+sensor the mean and standard deviation are taken over. */
  window: number;
  /** Readings needed before judging (default: window). */
  minSamples?: number;
  /** Floor of the standard deviation (default 0: a perfectly flat series is never judged). */
  minStd?: number;
}

export type RuleCondition =
  | { sensor: string; op: CompareOp; value: number; aggregate?: AggregateName }
  | { anomaly: true; sensor?: string };

export interface FleetSelector {
  type?: string;
  ids?: string[];
  metadata?: Record<string, MetadataValue>;
}

/** `source`: the device whose reading (or window extreme) fired the rule. */
export type RuleTarget = 'source' | { deviceId: string } | { selector: FleetSelector };

export interface RuleSpec {
  name: string;
  when: RuleCondition;
  command: { name: string; params?: Record<string, unknown>; target?: RuleTarget };
  /** Minimum time between two firings (per rule, and per device for `source` targets). */
  cooldownMs?: number;
}

export interface PipelineSpec {
  filters?: FilterSpec[];
  windows?: WindowSpec[];
  anomaly?: AnomalySpec;
  rules?: RuleSpec[];
}

export interface BudgetSpec {
  queueLength: number;
  ratePerSecond: number;
  overflow: OverflowPolicy;
  /** `sample`: keep 1 in this many arriving readings while over budget. */
  sampleEvery: number;
}

export interface EdgeNodeSpec {
  id: string;
  devices: DeviceGroup;
  /** Sensors the node processes (default: every sensor). */
  sensors?: string[];
  pipeline?: PipelineSpec;
  budget?: Partial<BudgetSpec>;
  /** Distinct sensors the node keeps windows for; readings of further sensors are counted `overLimit`. */
  maxSensors?: number;
  /** Distinct device+sensor series the node keeps state for (deadband, anomaly); more are counted `overLimit`. */
  maxSeries?: number;
}

/** Published on `edge/{node}/aggregates/{sensor}`: only the aggregates the window asks for. */
export interface AggregateMessage {
  node: string;
  sensor: string;
  window: { kind: 'tumbling' | 'sliding'; start: number; end: number; sizeMs: number };
  count?: number;
  min?: number;
  max?: number;
  mean?: number;
  /** Distinct devices that contributed. */
  devices: number;
}

export type AlertMessage =
  | {
      kind: 'anomaly';
      node: string;
      deviceId: string;
      sensor: string;
      value: number;
      z: number;
      mean: number;
      std: number;
      at: number;
    }
  | {
      kind: 'rule';
      node: string;
      rule: string;
      trigger: 'reading' | 'aggregate' | 'anomaly';
      sensor: string;
      value: number;
      deviceIds: string[];
      command: { name: string; params: Record<string, unknown>; target: RuleTarget };
      /** True when the commands plugin took the command(s). */
      sent: boolean;
      commandIds: string[];
      error?: string;
      at: number;
    };

export interface LatencyStats {
  /** Readings measured since the node started. */
  count: number;
  /** Percentiles over the most recent readings (kernel-clock ms, enqueue to processed). */
  p50: number;
  p95: number;
  p99: number;
  /** Largest latency since the node started. */
  max: number;
  targetMs: number;
  /** Readings slower than targetMs since the node started. */
  overTarget: number;
}

export interface NodeCounters {
  /** Telemetry messages of the node's devices and sensors. */
  received: number;
  /** Malformed JSON, or a value that is not a number. */
  invalid: number;
  /** Non-numeric structured values (GPS positions): numeric stages skip them. */
  skipped: number;
  /** Readings of sensors or series beyond maxSensors / maxSeries. */
  overLimit: number;
  /** Dropped by the overflow policy (the queue was full). */
  dropped: number;
  /** Left out by the `sample` policy while over budget. */
  sampledOut: number;
  processed: number;
  /** Readings the filters held back. */
  filtered: number;
  aggregates: number;
  alerts: number;
  /** Messages published upstream (aggregates + alerts). */
  forwarded: number;
  forwardErrors: number;
  rulesFired: number;
  /** Rule firings with no commands plugin loaded (published as `rule` alerts only). */
  rulesWithoutCommands: number;
  /** Rule firings the commands service refused. */
  ruleErrors: number;
}

export interface EdgeNodeView {
  id: string;
  spec: EdgeNodeSpec;
  /** Devices the node owns right now; null when that needs the fleet and it is not loaded. */
  devices: number | null;
  /** Distinct devices seen (bounded by maxSeries). */
  devicesSeen: number;
  budget: BudgetSpec;
  queue: { depth: number; overloaded: boolean };
  counters: NodeCounters;
  /** forwarded / received: how much selective sync saves (0 before anything arrived). */
  forwardRatio: number;
  filters: Array<{ kind: FilterSpec['kind']; held: number }>;
  latency: LatencyStats;
}

/** The `edge` service. */
export interface Edge {
  list(): EdgeNodeView[];
  get(id: string): EdgeNodeView | undefined;
  /** Validated like config; throws US_EDGE_INVALID_NODE or US_EDGE_DUPLICATE_NODE. */
  add(spec: EdgeNodeSpec): EdgeNodeView;
  /** Throws US_EDGE_NODE_NOT_FOUND. */
  remove(id: string): EdgeNodeView;
  /** Change a node's budget live; throws US_EDGE_NODE_NOT_FOUND or US_EDGE_INVALID_BUDGET. */
  setBudget(id: string, budget: Partial<BudgetSpec>): BudgetSpec;
  aggregates(id: string, options?: { sensor?: string; limit?: number }): AggregateMessage[];
  alerts(id: string, options?: { limit?: number }): AlertMessage[];
}

/** An anomaly alert (also the data of `edge.alert`). */
export type AnomalyAlert = Extract<AlertMessage, { kind: 'anomaly' }>;
/** A rule alert (without `kind`, the data of `edge.ruleFired`). */
export type RuleAlert = Extract<AlertMessage, { kind: 'rule' }>;

declare module '@understudy/kernel' {
  interface Services {
    edge: Edge;
  }
  /** Every event the edge plugin emits. */
  interface EventMap {
    /** An anomaly, as published upstream on `edge/{node}/alerts`. */
    'edge.alert': AnomalyAlert;
    /** A rule fired, whether or not a command could be sent. */
    'edge.ruleFired': Omit<RuleAlert, 'kind'>;
    /** A node's over-budget episode starts. */
    'edge.budgetExceeded': { node: string; at: number; overflow: OverflowPolicy; queueLength: number; ratePerSecond: number; depth: number };
    /** Its queue drained below half. */
    'edge.budgetRecovered': { node: string; at: number; depth: number; dropped: number; sampledOut: number };
  }
}
