// The trace store: a span record per exchange, grouped by trace, bounded in traces, in
// spans per trace and in estimated bytes (the oldest traces are evicted; overflow is
// counted, never a crash), plus the service map aggregated from every observed span. The
// `tracer` service.
import { RingBuffer } from '@understudy/plugin-sdk';
import type { EdgeSide, EdgeStats, TraceFilter, TraceRecord, TraceStore, TraceSummary, TracingCounters } from './contract.js';
import { toSpans, type RequestState, type SpanRecord } from './span-record.js';

/** Durations kept per edge and side for percentiles. */
const EDGE_SAMPLES = 1000;

class Side {
  calls = 0;
  errors = 0;
  readonly durations = new RingBuffer<number>(EDGE_SAMPLES);

  add(error: boolean, duration: number): void {
    this.calls++;
    if (error) this.errors++;
    this.durations.push(duration);
  }

  stats(): EdgeSide {
    const sorted = this.durations.toArray().sort((a, b) => a - b);
    return { calls: this.calls, errors: this.errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
}

interface Edge {
  caller: string;
  service: string;
  client: Side | undefined;
  server: Side | undefined;
}

/** A trace as stored: its records as recorded. */
export interface StoredTrace {
  traceId: string;
  spans: SpanRecord[];
  /** Spans recorded (a record holds one or two). */
  spanCount: number;
  droppedSpans: number;
  bytes: number;
  flags: number;
  traceState?: string;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface SpanFacts {
  spanId: string;
  parentSpanId?: string;
  start: number;
  hops: number;
}

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

/** rootOf over records: a record's outermost span is its CLIENT span when it has one. */
function rootRecord(records: readonly SpanRecord[]): SpanRecord {
  const ids = new Set<string>();
  for (const r of records) {
    ids.add(r.spanId);
    if (r.clientSpanId !== undefined) ids.add(r.clientSpanId);
  }
  let root: SpanRecord | undefined;
  for (const r of records) {
    const parent = r.topParentId;
    if (parent && ids.has(parent)) continue;
    if (!root || r.start < root.start || (r.start === root.start && r.hops < root.hops)) root = r;
  }
  return root ?? records[0]!;
}

export interface StoreLimits {
  maxTraces: number;
  maxSpansPerTrace: number;
  maxBytes: number;
}

/** The trace store behind the `tracer` service; the plugin itself opens traces and records spans. */
export class SpanStore implements TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  /** caller → service → edge: found per span without building a key string. */
  private readonly edges = new Map<string, Map<string, Edge>>();
  private bytes = 0;
  readonly stats: TracingCounters = {
    tracesStarted: 0,
    tracesContinued: 0,
    corruptHeaders: 0,
    missingHeaders: 0,
    tracestateDropped: 0,
    spans: 0,
    droppedSpans: 0,
    evictedTraces: 0,
    evictedForBytes: 0,
    truncatedAttributes: 0,
    droppedAttributes: 0,
    exportedSpans: 0,
    exportDroppedSpans: 0,
    exportFailedBatches: 0,
    exportRetries: 0,
  };

  constructor(private readonly limits: StoreLimits) {}

  private evictOldest(): void {
    const oldest = this.traces.values().next().value as StoredTrace;
    this.traces.delete(oldest.traceId);
    this.bytes -= oldest.bytes;
    this.stats.evictedTraces++;
  }

  /** The record of a trace, created (evicting the oldest when full) when new; `state` is the opening request's. */
  open(traceId: string, state?: RequestState): StoredTrace {
    let rec = this.traces.get(traceId);
    if (rec) return rec;
    if (this.traces.size >= this.limits.maxTraces) this.evictOldest();
    rec = { traceId, spans: [], spanCount: 0, droppedSpans: 0, bytes: 0, flags: state?.flags ?? 1, traceState: state?.traceState };
    this.traces.set(traceId, rec);
    return rec;
  }

  peek(traceId: string): StoredTrace | undefined {
    return this.traces.get(traceId);
  }

  record(span: SpanRecord): void {
    const count = span.spanCount;
    this.stats.spans += count;
    const rec = this.open(span.traceId, span.state);
    if (this.bytes + span.bytes > this.limits.maxBytes) {
      // the oldest traces go first; this one stays (it is the newest), so a trace alone past maxBytes drops its spans
      while (this.bytes + span.bytes > this.limits.maxBytes && this.traces.size > 1 && this.traces.values().next().value !== rec) {
        this.evictOldest();
        this.stats.evictedForBytes++;
      }
    }
    if (rec.spanCount + count > this.limits.maxSpansPerTrace || this.bytes + span.bytes > this.limits.maxBytes) {
      rec.droppedSpans += count;
      this.stats.droppedSpans += count;
    } else {
      rec.spans.push(span);
      rec.spanCount += count;
      rec.bytes += span.bytes;
      this.bytes += span.bytes;
    }
    if (span.service !== undefined) this.observe(span);
  }

  /** The service map: each side of the call on its own, whatever the store kept. */
  private observe(span: SpanRecord): void {
    const caller = span.caller ?? 'client';
    const service = span.service!;
    let byService = this.edges.get(caller);
    if (!byService) this.edges.set(caller, (byService = new Map()));
    let edge = byService.get(service);
    if (!edge) byService.set(service, (edge = { caller, service, client: undefined, server: undefined }));
    const duration = span.duration;
    if (span.clientSpanId !== undefined) (edge.client ??= new Side()).add(span.clientError, duration);
    if (span.clientSpanId === undefined || !span.remote) (edge.server ??= new Side()).add(span.error, duration);
  }

  getTrace(traceId: string): TraceRecord | undefined {
    const rec = this.traces.get(traceId);
    if (!rec || !rec.spans.length) return undefined;
    const { droppedSpans, flags, traceState } = rec;
    return { traceId, spans: rec.spans.flatMap(toSpans), droppedSpans, flags, traceState };
  }

  get storedTraces(): number {
    return this.traces.size;
  }

  get storedBytes(): number {
    return this.bytes;
  }

  summary(rec: TraceRecord | StoredTrace): TraceSummary {
    let start = Infinity;
    let end = -Infinity;
    const services = new Set<string>();
    let error = false;
    for (const s of rec.spans) {
      start = Math.min(start, s.start);
      end = Math.max(end, s.end);
      if (s.service) services.add(s.service);
      if ('anyError' in s ? s.anyError : s.error) error = true;
    }
    const stored = 'spanCount' in rec;
    const name = stored ? rootRecord((rec as StoredTrace).spans).name : rootOf((rec as TraceRecord).spans).name;
    const spanCount = stored ? (rec as StoredTrace).spanCount : rec.spans.length;
    return { traceId: rec.traceId, name, services: [...services], spanCount, start, durationMs: end - start, error };
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
      const client = e.client?.stats();
      const server = e.server?.stats();
      const main = (client ?? server)!;
      return { caller: e.caller, service: e.service, ...main, ...(client && { client }), ...(server && { server }) };
    });
  }

  counters(): TracingCounters & { storedTraces: number; storedBytes: number } {
    return { ...this.stats, storedTraces: this.traces.size, storedBytes: this.bytes };
  }
}
