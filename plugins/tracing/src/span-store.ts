// The trace store: a span record per hop, grouped by trace, bounded in traces and in
// spans per trace (the oldest trace is evicted; overflow is counted, never a crash), plus
// the service map aggregated from every observed span. The `tracer` service.
import { RingBuffer } from '@understudy/plugin-sdk';
import type { EdgeStats, Span, TraceFilter, TraceRecord, TraceStore, TraceSummary, TracingCounters } from './contract.js';
import { toSpan, type SpanRecord } from './span-record.js';

interface Edge {
  caller: string;
  service: string;
  calls: number;
  errors: number;
  durations: RingBuffer<number>;
}

/** A trace as stored: its spans as recorded. */
export interface StoredTrace {
  traceId: string;
  spans: SpanRecord[];
  droppedSpans: number;
  flags: number;
  traceState?: string;
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

/** The trace store behind the `tracer` service; the plugin itself opens traces and records spans. */
export class SpanStore implements TraceStore {
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
