// The trace store: a span per hop, grouped by trace, bounded in traces and in spans per
// trace (the oldest trace is evicted; overflow is counted, never a crash), plus the
// service map aggregated from every observed span.
import { jsonSafe } from './attributes.js';
import { RingBuffer } from '@understudy/plugin-sdk';

interface Edge {
  caller: string;
  service: string;
  calls: number;
  errors: number;
  durations: RingBuffer<number>;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  method: string;
  path: string;
  service?: string;
  endpoint?: string;
  instance?: string;
  caller?: string;
  hops: number;
  status?: number;
  error: boolean;
  fault?: string;
  errorMessage?: string;
  /** Kernel clock, ms. */
  start: number;
  end: number;
  duration: number;
  /** Exchange tags made JSON-safe (instance, version, breaker, chaos, …). */
  attributes: Record<string, unknown>;
}

/**
 * What the store keeps per hop, made on every exchange: the facts in one fixed shape.
 * The Span a reader sees (name, instance, duration, JSON-safe attributes) is built from
 * it only when a trace is read or exported (`toSpan`). A plain Span, with its name string
 * and optional fields added after creation, took about twice the memory — and every span
 * lives long enough in the bounded store to be copied by the young-generation collector
 * and promoted, so its size is paid again in garbage-collection time.
 */
export class SpanRecord {
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    readonly method: string,
    readonly path: string,
    readonly service: string | undefined,
    readonly endpoint: string | undefined,
    readonly caller: string | undefined,
    readonly hops: number,
    readonly status: number | undefined,
    readonly error: boolean,
    readonly fault: string | undefined,
    /** The message of the exchange's error, if it has one. */
    readonly errorMessage: string | undefined,
    readonly start: number,
    readonly end: number,
    /** The exchange's tags, made JSON-safe when first read (see attributes.ts). */
    readonly attributes: Record<string, unknown>,
  ) {}

  get name(): string {
    if (this.service === undefined) return `${this.method} ${this.path}`;
    return `${this.method} ${this.service}${this.endpoint ? ` ${this.endpoint}` : ''}`;
  }

  get duration(): number {
    return this.end - this.start;
  }
}

/** The Span of a record, as readers and exporters see it. */
export function toSpan(r: SpanRecord): Span {
  const instance = r.attributes.instance;
  const span: Span = {
    traceId: r.traceId,
    spanId: r.spanId,
    name: r.name,
    method: r.method,
    path: r.path,
    service: r.service,
    endpoint: r.endpoint,
    instance: typeof instance === 'string' ? instance : undefined,
    caller: r.caller,
    hops: r.hops,
    status: r.status,
    error: r.error,
    start: r.start,
    end: r.end,
    duration: r.duration,
    attributes: jsonSafe(r.attributes),
  };
  if (r.parentSpanId) span.parentSpanId = r.parentSpanId;
  if (r.fault) span.fault = r.fault;
  if (r.errorMessage !== undefined) span.errorMessage = r.errorMessage;
  return span;
}

export interface TraceRecord {
  traceId: string;
  spans: Span[];
  /** Spans beyond maxSpansPerTrace, not stored. */
  droppedSpans: number;
  flags: number;
  traceState?: string;
}

/** A trace as stored: its spans as recorded. */
export interface StoredTrace {
  traceId: string;
  spans: SpanRecord[];
  droppedSpans: number;
  flags: number;
  traceState?: string;
}

export interface TraceSummary {
  traceId: string;
  name: string;
  services: string[];
  spanCount: number;
  start: number;
  durationMs: number;
  error: boolean;
}

export interface TraceFilter {
  service?: string;
  error?: boolean;
  minDuration?: number;
  limit?: number;
}

export interface TracingCounters {
  tracesStarted: number;
  tracesContinued: number;
  corruptHeaders: number;
  missingHeaders: number;
  spans: number;
  droppedSpans: number;
  evictedTraces: number;
  exportedSpans: number;
  exportDroppedSpans: number;
  exportFailedBatches: number;
  exportRetries: number;
}

export interface EdgeStats {
  caller: string;
  service: string;
  calls: number;
  errors: number;
  p50: number;
  p99: number;
}

/** Durations kept per edge for percentiles. */
const EDGE_SAMPLES = 1000;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

type SpanFacts = Pick<Span, 'spanId' | 'parentSpanId' | 'start' | 'hops'>;

/** The first span whose parent is not in the trace (earliest, then fewest hops). */
export function rootOf<S extends SpanFacts>(spans: readonly S[]): S {
  const ids = new Set(spans.map((s) => s.spanId));
  let root: S | undefined;
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) continue;
    if (!root || s.start < root.start || (s.start === root.start && s.hops < root.hops)) root = s;
  }
  return root ?? spans[0]!;
}

export class Tracer {
  private readonly traces = new Map<string, StoredTrace>();
  /** caller → service → edge: found per span without building a key string. */
  private readonly edges = new Map<string, Map<string, Edge>>();
  readonly stats: TracingCounters = {
    tracesStarted: 0,
    tracesContinued: 0,
    corruptHeaders: 0,
    missingHeaders: 0,
    spans: 0,
    droppedSpans: 0,
    evictedTraces: 0,
    exportedSpans: 0,
    exportDroppedSpans: 0,
    exportFailedBatches: 0,
    exportRetries: 0,
  };

  constructor(private readonly limits: { maxTraces: number; maxSpansPerTrace: number }) {}

  /** The record of a trace, created (evicting the oldest when full) when new. */
  open(traceId: string, flags = 1, traceState?: string): StoredTrace {
    let rec = this.traces.get(traceId);
    if (rec) return rec;
    if (this.traces.size >= this.limits.maxTraces) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
      this.stats.evictedTraces++;
    }
    rec = { traceId, spans: [], droppedSpans: 0, flags, traceState };
    this.traces.set(traceId, rec);
    return rec;
  }

  peek(traceId: string): StoredTrace | undefined {
    return this.traces.get(traceId);
  }

  record(span: SpanRecord): void {
    this.stats.spans++;
    const rec = this.open(span.traceId);
    if (rec.spans.length >= this.limits.maxSpansPerTrace) {
      rec.droppedSpans++;
      this.stats.droppedSpans++;
    } else rec.spans.push(span);
    if (span.service === undefined) return;
    const caller = span.caller ?? 'client';
    let byService = this.edges.get(caller);
    if (!byService) this.edges.set(caller, (byService = new Map()));
    let edge = byService.get(span.service);
    if (!edge) byService.set(span.service, (edge = { caller, service: span.service, calls: 0, errors: 0, durations: new RingBuffer<number>(EDGE_SAMPLES) }));
    edge.calls++;
    if (span.error) edge.errors++;
    edge.durations.push(span.duration);
  }

  getTrace(traceId: string): TraceRecord | undefined {
    const rec = this.traces.get(traceId);
    if (!rec || !rec.spans.length) return undefined;
    const { droppedSpans, flags, traceState } = rec;
    return { traceId, spans: rec.spans.map(toSpan), droppedSpans, flags, traceState };
  }

  get storedTraces(): number {
    return this.traces.size;
  }

  summary(rec: TraceRecord | StoredTrace): TraceSummary {
    const root = rootOf(rec.spans);
    let start = Infinity;
    let end = -Infinity;
    const services = new Set<string>();
    let error = false;
    for (const s of rec.spans) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
      if (s.service) services.add(s.service);
      if (s.error) error = true;
    }
    return { traceId: rec.traceId, name: root.name, services: [...services], spanCount: rec.spans.length, start, durationMs: end - start, error };
  }

  /** Summaries, newest first. */
  findTraces(filter: TraceFilter = {}): TraceSummary[] {
    const limit = filter.limit ?? 20;
    const out: TraceSummary[] = [];
    const all = [...this.traces.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const rec = all[i]!;
      if (!rec.spans.length) continue;
      if (filter.service !== undefined && !rec.spans.some((s) => s.service === filter.service)) continue;
      const sum = this.summary(rec);
      if (filter.error !== undefined && sum.error !== filter.error) continue;
      if (filter.minDuration !== undefined && sum.durationMs < filter.minDuration) continue;
      out.push(sum);
    }
    return out;
  }

  serviceMap(): EdgeStats[] {
    return [...this.edges.values()].flatMap((m) => [...m.values()]).map((e) => {
      const sorted = e.durations.toArray().sort((a, b) => a - b);
      return { caller: e.caller, service: e.service, calls: e.calls, errors: e.errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    });
  }

  counters(): TracingCounters & { storedTraces: number } {
    return { ...this.stats, storedTraces: this.traces.size };
  }
}
