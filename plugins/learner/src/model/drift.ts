// Drift: what a new observation shows that the learned model did not expect. Call it with
// the model as it was BEFORE the observation is learned (then learn it: the model absorbs
// the change, so each change is reported once, not on every response after it).
// Rules (documented in docs/models.md):
// - status-new: a status never seen, once the endpoint has `minSamples` observations;
// - content-type-changed: a media type other than the status's usual one;
// - field-added / field-removed / type-changed: the JSON body against the status's schema
//   (an unknown property of a learned object; a property missing that every sample had; a
//   value whose JSON type the schema does not allow), once the status has `minSamples`;
//   pointers are JSON Pointers (`/items/0/email`), one report per place (array indexes
//   folded), at most `maxChanges` per observation;
// - latency-shift: the median of the last `window` latencies (the model's recent window
//   plus this one) left the learned p5–p95 band while the window before was inside it
//   (edge-triggered: one report when it leaves), once the endpoint has 4 × `window`
//   observations so the band is not made of the window itself.
import { jsonType } from './schema.js';
import { mediaType } from './endpoint.js';
import type { DriftChange, EndpointModel, JsonSchema, Observation } from './types.js';
import { getOwn } from './own.js';

/** Observations of a status before its bodies are compared with its schema (the default of `minSamples`). */
export const DRIFT_MIN_SAMPLES = 20;

export interface DriftOptions {
  /** Observations (of the endpoint / the status) before drift is looked for (default 20). */
  minSamples?: number;
  /** Latencies in the window (default 50; the endpoint learner keeps as many). */
  window?: number;
  /** Changes reported per observation at most (default 20). */
  maxChanges?: number;
  /** Apply the latency rule (default true; false when the caller runs a LatencyWatch over its batch). */
  latency?: boolean;
}

const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const escapePointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

const allowed = (schema: JsonSchema): string[] | undefined =>
  schema.type === undefined ? undefined : Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];

/** Does the schema's type list allow the value's type (an integer is a number)? */
function typeAllowed(types: string[], value: unknown): boolean {
  const t = jsonType(value);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** A step of a walk: a field name, an array index, or a map entry's key (folded to `*` like an index). */
type Step = string | number | { entry: string };

/** Where a walk is: the steps from the root — pointers are built only for a change. */
interface Walk {
  base: Omit<DriftChange, 'kind'>;
  maxChanges: number;
  out: DriftChange[];
  seen: Set<string>;
  keys: Step[];
}

const stepOf = (k: Step, folded: boolean) =>
  typeof k === 'string' ? escapePointer(k) : folded ? '*' : typeof k === 'number' ? String(k) : escapePointer(k.entry);
const pointerOf = (keys: readonly Step[], folded: boolean) => keys.map((k) => `/${stepOf(k, folded)}`).join('');

function addChange(w: Walk, kind: DriftChange['kind'], last: string | undefined, before?: unknown, after?: unknown): void {
  if (w.out.length >= w.maxChanges) return;
  if (last !== undefined) w.keys.push(last);
  const folded = pointerOf(w.keys, true);
  const pointer = pointerOf(w.keys, false);
  if (last !== undefined) w.keys.pop();
  const id = `${kind} ${folded}`;
  if (w.seen.has(id)) return;
  w.seen.add(id);
  w.out.push({ ...w.base, kind, pointer, ...(before !== undefined && { before }), ...(after !== undefined && { after }) });
}

function walkValue(w: Walk, s: JsonSchema, v: unknown, depth: number): void {
  if (w.out.length >= w.maxChanges || depth > 32) return;
  const types = allowed(s);
  if (!types) return; // accepts anything
  if (!typeAllowed(types, v)) {
    addChange(w, 'type-changed', undefined, types.length === 1 ? types[0] : types, jsonType(v));
    return;
  }
  if (Array.isArray(v)) {
    const items = s.items as JsonSchema | undefined;
    if (!items) return;
    for (let i = 0; i < v.length && i < 50; i++) {
      w.keys.push(i);
      walkValue(w, items, v[i], depth + 1);
      w.keys.pop();
    }
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const props = s.properties as Record<string, JsonSchema> | undefined;
  if (s['x-map'] || !props) {
    const values = s.additionalProperties as JsonSchema | undefined;
    if (!values || !s['x-map']) return;
    let n = 0;
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (n++ >= 50) break;
      // a map's keys are data, not fields: folded like array indexes
      w.keys.push({ entry: k });
      walkValue(w, values, (v as Record<string, unknown>)[k], depth + 1);
      w.keys.pop();
    }
    return;
  }
  const obj = v as Record<string, unknown>;
  for (const k of (s.required ?? []) as string[]) if (!Object.hasOwn(obj, k)) addChange(w, 'field-removed', k, allowed(getOwn(props, k) ?? {})?.join('|'));
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const known = getOwn(props, k);
    if (!known) addChange(w, 'field-added', k, undefined, jsonType(obj[k]));
    else {
      w.keys.push(k);
      walkValue(w, known, obj[k], depth + 1);
      w.keys.pop();
    }
  }
}

/** Field changes of `value` against `schema` (nothing is allocated per field while nothing changed). */
export function compareToSchema(schema: JsonSchema, value: unknown, base: Omit<DriftChange, 'kind'>, maxChanges = 20): DriftChange[] {
  const w: Walk = { base, maxChanges, out: [], seen: new Set(), keys: [] };
  walkValue(w, schema, value, 0);
  return w.out;
}

/** What `o` (with its parsed JSON body, if any) shows that `model` did not expect. */
export function detectDrift(model: EndpointModel, o: Observation, parsedBody: unknown, options: DriftOptions = {}): DriftChange[] {
  const minSamples = options.minSamples ?? DRIFT_MIN_SAMPLES;
  const window = options.window ?? 50;
  const maxChanges = options.maxChanges ?? 20;
  const changes: DriftChange[] = [];
  if (o.failure) return changes; // a transport failure says nothing about the API's shape
  const base = { key: model.key, status: o.status, at: o.at };
  let status: EndpointModel['statuses'][number] | undefined;
  for (const s of model.statuses) if (s.status === o.status) status = s;
  if (!status) {
    if (model.count >= minSamples) changes.push({ ...base, kind: 'status-new', before: model.statuses.map((s) => s.status), after: o.status });
  } else if (status.count >= minSamples) {
    const media = mediaType(o.responseHeaders?.['content-type']);
    if (media && status.contentType && media !== status.contentType) changes.push({ ...base, kind: 'content-type-changed', before: status.contentType, after: media });
    else if (status.schema && parsedBody !== undefined) changes.push(...compareToSchema(status.schema, parsedBody, base, maxChanges));
  }
  const shift = options.latency === false ? undefined : latencyShift(model, o.latencyMs, window);
  if (shift) changes.push({ key: model.key, kind: 'latency-shift', at: o.at, before: shift.band, after: shift.median });
  return changes.length > maxChanges ? changes.slice(0, maxChanges) : changes;
}

/**
 * The sorted last `window` and `window − 1` latencies of a model, computed once per model
 * object: drift is checked against the model as it was before a batch, once per observation
 * of the batch, and sorting the window each time was most of the rule's cost.
 */
const windows = new WeakMap<EndpointModel, { recent: readonly number[]; length: number; window: number; previous: number; sorted: number[] }>();

function windowOf(model: EndpointModel, recent: readonly number[], window: number) {
  const cached = windows.get(model);
  // the same model object with the same window array, not pushed to since
  if (cached && cached.window === window && cached.recent === recent && cached.length === recent.length) return cached;
  const entry = { recent, length: recent.length, window, previous: median(recent.slice(-window)), sorted: recent.slice(-(window - 1)).sort((a, b) => a - b) };
  windows.set(model, entry);
  return entry;
}

/** The k-th value of `sorted` with `x` inserted at `lo` (a function of its own: no closure per call on the hot path). */
const withAt = (sorted: readonly number[], lo: number, x: number, k: number) => (k < lo ? sorted[k] : k === lo ? x : sorted[k - 1]);

/** The median of `sorted` with `x` inserted (sorted stays as it is). */
function medianWith(sorted: readonly number[], x: number): number {
  const lo = lowerBound(sorted, x);
  const n = sorted.length + 1;
  const mid = n >> 1;
  return n % 2 ? withAt(sorted, lo, x, mid) : (withAt(sorted, lo, x, mid - 1) + withAt(sorted, lo, x, mid)) / 2;
}

/** The latency rule: the recent median leaving the learned p5–p95 band (edge-triggered). */
export function latencyShift(model: EndpointModel, latencyMs: number, window = 50): { band: [number, number]; median: number } | undefined {
  const recent = model.recentLatencyMs ?? [];
  if (!Number.isFinite(latencyMs) || recent.length < window || model.latency.count < 4 * window) return undefined;
  const low = model.latency.p5Ms ?? model.latency.minMs;
  const high = model.latency.p95Ms;
  const { previous, sorted } = windowOf(model, recent, window);
  const now = medianWith(sorted, latencyMs);
  const outside = now < low || now > high;
  return outside && !(previous < low || previous > high) ? { band: [low, high], median: now } : undefined;
}

/**
 * The latency rule over one batch of observations, each seen with the latencies of the batch
 * before it: checking every observation of a batch against the model as it was before the
 * batch would see a shift that starts mid-batch one latency at a time (never moving the
 * median), and the next batch would find its window already outside the band (no edge), so
 * the shift was never reported. The band is the model's before the batch.
 */
export class LatencyWatch {
  private readonly fifo: number[];
  private readonly sorted: number[];
  private readonly low: number;
  private readonly high: number;
  private length: number;
  private count: number;
  private previousOutside: boolean;

  constructor(model: EndpointModel, private readonly window = 50) {
    const recent = model.recentLatencyMs ?? [];
    this.fifo = recent.slice(-(window - 1));
    this.sorted = [...this.fifo].sort((a, b) => a - b);
    this.low = model.latency.p5Ms ?? model.latency.minMs;
    this.high = model.latency.p95Ms;
    this.length = recent.length;
    this.count = model.latency.count;
    this.previousOutside = recent.length >= window && this.outside(median(recent.slice(-window)));
  }

  private outside(m: number): boolean {
    return m < this.low || m > this.high;
  }

  /** Take the next observation's latency (in the order learned); a shift when it makes the median leave the band. `report: false` for a failure, which moves the window without being judged. */
  observe(latencyMs: number, report = true): { band: [number, number]; median: number } | undefined {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return undefined;
    const eligible = this.length >= this.window && this.count >= 4 * this.window;
    const now = this.fifo.length === this.window - 1 ? medianWith(this.sorted, latencyMs) : Number.NaN;
    const out = this.outside(now);
    const shift = report && eligible && out && !this.previousOutside ? { band: [this.low, this.high] as [number, number], median: now } : undefined;
    if (this.fifo.length === this.window - 1) this.previousOutside = out;
    this.fifo.push(latencyMs);
    this.sorted.splice(lowerBound(this.sorted, latencyMs), 0, latencyMs);
    if (this.fifo.length > this.window - 1) this.sorted.splice(lowerBound(this.sorted, this.fifo.shift()!), 1);
    this.length++;
    this.count++;
    return shift;
  }
}

/** The first index of `sorted` whose value is not below `x`. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
