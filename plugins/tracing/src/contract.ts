// The tracing plugin's contract: the `tracer` service (the trace store's read side) and
// the types it answers with, the event the plugin emits, and their declaration in the
// kernel's Services and EventMap. Other plugins import these types only.

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

export interface TraceRecord {
  traceId: string;
  spans: Span[];
  /** Spans beyond maxSpansPerTrace, not stored. */
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

/** What `ctx.resolve('tracer')` gives: the stored traces and what was observed. */
export interface TraceStore {
  /** One trace with its spans, or undefined when never seen or evicted. */
  getTrace(traceId: string): TraceRecord | undefined;
  /** Summaries, newest first. */
  findTraces(filter?: TraceFilter): TraceSummary[];
  summary(rec: TraceRecord): TraceSummary;
  /** Observed calls caller → service (`client` = an outside caller). */
  serviceMap(): EdgeStats[];
  counters(): TracingCounters & { storedTraces: number };
}

/** A batch of spans the OTLP collector never accepted, after its retries. */
export interface TracingExportFailedEvent {
  url: string;
  spans: number;
  attempts: number;
  error: string;
}

declare module '@understudy/kernel' {
  interface Services {
    tracer: TraceStore;
  }
  interface EventMap {
    'tracing.exportFailed': TracingExportFailedEvent;
  }
}
