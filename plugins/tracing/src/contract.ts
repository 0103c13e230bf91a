// The tracing plugin's contract: the `tracer` service (the trace store's read side) and
// the types it answers with, the event the plugin emits, and their declaration in the
// kernel's Services and EventMap. Other plugins import these types only.

/**
 * OpenTelemetry's span kinds: a SERVER span for each exchange a service handled, a CLIENT
 * span for each call a service made (a child exchange), the SERVER span of the callee under
 * it. Both spans of a call share its request facts (method, path, service = the callee,
 * endpoint, status, tags); the CLIENT span belongs to the caller (`caller`,
 * `callerInstance`), the SERVER span to the callee (`service`, `instance`).
 */
export type SpanKind = 'server' | 'client';

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: SpanKind;
  name: string;
  method: string;
  path: string;
  /** The service called (the SERVER span's own service; the CLIENT span's peer). */
  service?: string;
  endpoint?: string;
  /** The instance that served the call. */
  instance?: string;
  caller?: string;
  /** CLIENT spans: the instance (and version) of the caller that made the call. */
  callerInstance?: string;
  callerVersion?: string;
  hops: number;
  status?: number;
  /**
   * SERVER: the service failed (`respondedWithServerError`: 5xx, a connection fault, no
   * response) or a tap threw; CLIENT: the caller did not get what it asked for
   * (`respondedWithError`: any 4xx too), as OpenTelemetry's HTTP conventions say.
   */
  error: boolean;
  fault?: string;
  errorMessage?: string;
  /** Kernel clock, ms. */
  start: number;
  end: number;
  duration: number;
  /** Exchange tags made JSON-safe and bounded in bytes (instance, version, breaker, chaos, …). */
  attributes: Record<string, unknown>;
  /** The W3C trace flags of the request this span belongs to (bit 0 sampled, bit 1 random-trace-id). */
  flags: number;
  /** The tracestate that request carried (normalised), if any. */
  traceState?: string;
}

export interface TraceRecord {
  traceId: string;
  spans: Span[];
  /** Spans beyond maxSpansPerTrace or maxBytes, not stored. */
  droppedSpans: number;
  /** Flags and tracestate of the request that opened the trace here; each span has its own request's. */
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
  /** tracestate list-members dropped: invalid, duplicate, beyond 32, cut for length (strictTracestate: every member of a dropped header). */
  tracestateDropped: number;
  spans: number;
  droppedSpans: number;
  evictedTraces: number;
  /** Of evictedTraces: evicted to stay within maxBytes. */
  evictedForBytes: number;
  /** Attribute values, paths and error messages cut to maxAttributeBytes. */
  truncatedAttributes: number;
  /** Attributes left out once a span's attributes reached maxSpanAttributeBytes. */
  droppedAttributes: number;
  exportedSpans: number;
  exportDroppedSpans: number;
  exportFailedBatches: number;
  exportRetries: number;
}

/** Calls on one edge as one side saw them. */
export interface EdgeSide {
  calls: number;
  errors: number;
  p50: number;
  p99: number;
}

/**
 * Calls observed caller → service. `calls`, `errors`, `p50`, `p99` are the caller's view
 * (its CLIENT spans) when the caller is a traced service, else the callee's (`client` = an
 * outside caller: SERVER spans only). `client` and `server` hold each side apart.
 */
export interface EdgeStats extends EdgeSide {
  caller: string;
  service: string;
  /** The caller's CLIENT spans (errors: respondedWithError). */
  client?: EdgeSide;
  /** The callee's SERVER spans (errors: respondedWithServerError). */
  server?: EdgeSide;
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
  counters(): TracingCounters & { storedTraces: number; storedBytes: number };
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
