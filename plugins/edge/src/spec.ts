// Checks of a node spec that the schema cannot express, and the spec with every default
// filled in. Each problem names its path and says how to fix it.
import { DEFAULT_BUDGET } from './budget.js';
import type { NodeInput } from './config.js';
import { needsFleet } from './membership.js';
import type { AnomalySpec, BudgetSpec, DeviceGroup, EdgeNodeSpec, FilterSpec, RuleSpec, RuleTarget, WindowSpec } from './contract.js';

/** A node spec with defaults filled in: what a node runs. */
export interface ResolvedNode extends EdgeNodeSpec {
  devices: DeviceGroup;
  pipeline: { filters: FilterSpec[]; windows: WindowSpec[]; anomaly?: AnomalySpec; rules: RuleSpec[] };
  budget: BudgetSpec;
  maxSensors: number;
  maxSeries: number;
}

export const DEFAULT_MAX_SENSORS = 100;
export const DEFAULT_MAX_SERIES = 10_000;
/** Buckets a sliding window may hold (sizeMs / slideMs): each emission merges them all. */
export const MAX_SLIDES_PER_WINDOW = 1000;

const join = (where: string, path: string) => (where ? `${where}.${path}` : path);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A budget change (already shaped by the schema) over `base`. */
export function resolveBudget(input: Partial<BudgetSpec> | undefined, base: BudgetSpec = DEFAULT_BUDGET): BudgetSpec {
  return { ...base, ...Object.fromEntries(Object.entries(input ?? {}).filter(([, v]) => v !== undefined)) };
}

function checkTarget(target: unknown, at: string, problems: string[]): void {
  if (target === undefined || target === 'source') return;
  const hint = 'use "source", { "deviceId": "…" } or { "selector": { "type"?, "ids"?, "metadata"? } }';
  if (!isRecord(target)) return void problems.push(`${at}: must be "source" or an object; ${hint}`);
  const keys = Object.keys(target);
  if (keys.length === 1 && keys[0] === 'deviceId') {
    if (typeof target.deviceId !== 'string' || target.deviceId === '') problems.push(`${at}.deviceId: must be a non-empty string`);
    return;
  }
  if (keys.length === 1 && keys[0] === 'selector' && isRecord(target.selector)) {
    const { type, ids, metadata, ...rest } = target.selector;
    for (const extra of Object.keys(rest)) problems.push(`${at}.selector: unknown property "${extra}"; ${hint}`);
    if (type !== undefined && typeof type !== 'string') problems.push(`${at}.selector.type: must be a string`);
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) problems.push(`${at}.selector.ids: must be an array of strings`);
    if (metadata !== undefined && !(isRecord(metadata) && Object.values(metadata).every(isScalar))) {
      problems.push(`${at}.selector.metadata: must map keys to strings, numbers or booleans`);
    }
    return;
  }
  problems.push(`${at}: ${hint}`);
}

type FilterInput = NonNullable<NonNullable<NodeInput['pipeline']>['filters']>[number];
type RuleInput = NonNullable<NonNullable<NodeInput['pipeline']>['rules']>[number];

function checkFilter(input: FilterInput, at: string, problems: string[]): FilterSpec {
  if (input.kind === 'threshold') {
    if (input.delta !== undefined) problems.push(`${at}.delta: only deadband filters take a delta`);
    if (input.min === undefined && input.max === undefined) problems.push(`${at}: a threshold needs min, max or both`);
    else if (input.min !== undefined && input.max !== undefined && input.min > input.max) problems.push(`${at}: min (${input.min}) is above max (${input.max})`);
    return { kind: 'threshold', ...(input.min !== undefined && { min: input.min }), ...(input.max !== undefined && { max: input.max }) };
  }
  if (input.min !== undefined || input.max !== undefined) problems.push(`${at}: only threshold filters take min and max`);
  if (input.delta === undefined) problems.push(`${at}.delta: a deadband needs delta (the smallest change that passes)`);
  return { kind: 'deadband', delta: input.delta ?? 0 };
}

function checkWindow(w: WindowSpec, at: string, problems: string[]): WindowSpec {
  if (w.kind === 'tumbling') {
    if (w.slideMs !== undefined && w.slideMs !== w.sizeMs) problems.push(`${at}.slideMs: tumbling windows do not slide; use kind "sliding" or drop slideMs`);
    return { kind: 'tumbling', sizeMs: w.sizeMs, aggregates: [...w.aggregates] };
  }
  if (w.slideMs === undefined) problems.push(`${at}.slideMs: a sliding window needs slideMs (how often one is emitted)`);
  else if (w.slideMs > w.sizeMs) problems.push(`${at}.slideMs: ${w.slideMs} is larger than sizeMs ${w.sizeMs}`);
  else if (w.sizeMs % w.slideMs !== 0) problems.push(`${at}.sizeMs: ${w.sizeMs} must be a multiple of slideMs ${w.slideMs}`);
  else if (w.sizeMs / w.slideMs > MAX_SLIDES_PER_WINDOW) problems.push(`${at}: sizeMs / slideMs must be at most ${MAX_SLIDES_PER_WINDOW}; slide further`);
  return { kind: 'sliding', sizeMs: w.sizeMs, slideMs: w.slideMs ?? w.sizeMs, aggregates: [...w.aggregates] };
}

function checkRule(input: RuleInput, at: string, windows: WindowSpec[], anomaly: boolean, problems: string[]): RuleSpec {
  const { when } = input;
  let resolved: RuleSpec['when'];
  if (when.anomaly) {
    for (const k of ['op', 'value', 'aggregate'] as const) if (when[k] !== undefined) problems.push(`${at}.when.${k}: an anomaly rule takes only "anomaly" and "sensor"`);
    if (!anomaly) problems.push(`${at}.when.anomaly: the node has no pipeline.anomaly, so no anomaly can fire this rule`);
    resolved = { anomaly: true, ...(when.sensor !== undefined && { sensor: when.sensor }) };
  } else {
    for (const k of ['sensor', 'op', 'value'] as const) {
      if (when[k] === undefined) problems.push(`${at}.when.${k}: missing (a rule is { sensor, op, value, aggregate? } or { anomaly: true, sensor? })`);
    }
    if (when.aggregate !== undefined && !windows.some((w) => w.aggregates.includes(when.aggregate!))) {
      problems.push(`${at}.when.aggregate: no window of this node computes "${when.aggregate}"; add it to a window's aggregates`);
    }
    resolved = { sensor: when.sensor ?? '', op: when.op ?? '>', value: when.value ?? 0, ...(when.aggregate !== undefined && { aggregate: when.aggregate }) };
  }
  checkTarget(input.command.target, `${at}.command.target`, problems);
  return {
    name: input.name,
    when: resolved,
    command: { name: input.command.name, ...(input.command.params && { params: input.command.params }), target: (input.command.target as RuleTarget | undefined) ?? 'source' },
    ...(input.cooldownMs !== undefined && { cooldownMs: input.cooldownMs }),
  };
}

/**
 * Check a node (shaped by the schema already) and fill its defaults. `where` prefixes
 * each problem (`plugins.edge.nodes[0]`); `fleetLoaded` says whether type/metadata
 * groups can be resolved.
 */
export function resolveNode(input: NodeInput, where: string, fleetLoaded: boolean): { node: ResolvedNode; problems: string[] } {
  const problems: string[] = [];
  const devices = input.devices;
  if (devices.ids === undefined && devices.idPrefix === undefined && devices.type === undefined && devices.metadata === undefined) {
    problems.push(`${join(where, 'devices')}: give ids, idPrefix, type or metadata (the devices this node owns)`);
  }
  if (devices.ids?.length === 0) problems.push(`${join(where, 'devices.ids')}: is empty, so the node would own no device`);
  if (needsFleet(devices) && !fleetLoaded) {
    problems.push(`${join(where, 'devices')}: type and metadata groups need the fleet plugin; load it, or group devices by ids / idPrefix`);
  }
  const pipeline = input.pipeline ?? {};
  const filters = (pipeline.filters ?? []).map((f, i) => checkFilter(f, join(where, `pipeline.filters[${i}]`), problems));
  const windows = (pipeline.windows ?? []).map((w, i) => checkWindow(w as WindowSpec, join(where, `pipeline.windows[${i}]`), problems));
  const anomaly = pipeline.anomaly && { ...pipeline.anomaly };
  if (anomaly?.minSamples !== undefined && anomaly.minSamples > anomaly.window) {
    problems.push(`${join(where, 'pipeline.anomaly.minSamples')}: ${anomaly.minSamples} is more than the window (${anomaly.window} readings)`);
  }
  const seen = new Set<string>();
  const rules = (pipeline.rules ?? []).map((r, i) => {
    const at = join(where, `pipeline.rules[${i}]`);
    if (seen.has(r.name)) problems.push(`${at}.name: "${r.name}" is used by another rule of this node`);
    seen.add(r.name);
    return checkRule(r, at, windows, anomaly !== undefined, problems);
  });
  const node: ResolvedNode = {
    id: input.id,
    devices: structuredClone(devices),
    ...(input.sensors && { sensors: [...input.sensors] }),
    pipeline: { filters, windows, ...(anomaly && { anomaly }), rules },
    budget: resolveBudget(input.budget),
    maxSensors: input.maxSensors ?? DEFAULT_MAX_SENSORS,
    maxSeries: input.maxSeries ?? DEFAULT_MAX_SERIES,
  };
  return { node, problems };
}
