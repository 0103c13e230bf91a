// What tracing keeps per exchange (SpanRecord): opened when the exchange enters the
// pipeline, finished when it settles; and the Spans a reader or exporter sees, built from
// a record only when read.
//
// One record holds both spans of a call between services (OpenTelemetry's span kinds): a
// child exchange (`ctx.dispatch.child`) is the caller's CLIENT span — a new id, its parent
// the caller's span, the id the outgoing request carries as `parent-id` — and the callee's
// SERVER span under it. So sibling calls carry distinct parent ids, as W3C requires ("The
// value of property parent-id MUST be set to a value representing the ID of the current
// operation"), and a call costs one record, not two objects: the second span is two more
// fields (its id and its parent's) and a flag. A root exchange is a SERVER span only. A
// child a plugin answered by sending it over the network (it tags the exchange `url.full`,
// OpenTelemetry's client attribute) is a CLIENT span only: the server that received the
// request records its own SERVER span.
import { respondedWithError, respondedWithServerError, type Exchange } from '@understudy/plugin-sdk';
import { attributeBytes, boundedAttributes, boundText, jsonSafe, type AttributeCounters, type AttributeLimits } from './attributes.js';
import type { Span } from './contract.js';

/** The trace state of one request (its flags and tracestate), shared by every hop it makes. */
export interface RequestState {
  readonly flags: number;
  readonly traceState: string | undefined;
}

/** The tag a plugin sets on a child exchange it sent to a real server (OpenTelemetry's `url.full`). */
export const REMOTE_TAG = 'url.full';

/**
 * Estimated bytes of a record besides its path, message and attributes: the object (25
 * fields), its span ids, its tags object and its share of the trace. Measured: 5,000 stored
 * checkouts of the shop world (12 records, 23 spans each) kept about 390 bytes a record,
 * tags included, in the heap after collection; 400 errs on the safe side.
 */
export const RECORD_BYTES = 400;

export interface RecordBounds extends AttributeLimits {
  counters: AttributeCounters;
}

/**
 * What the store keeps per exchange: the facts in one fixed shape (every field set by the
 * constructor, so all records share one hidden class). The Spans a reader sees (name,
 * instance, duration, JSON-safe attributes) are built from it only when a trace is read or
 * exported (`toSpans`). A plain Span, with its name string and optional fields added after
 * creation, took about twice the memory — and every record lives long enough in the
 * bounded store to be copied by the young-generation collector and promoted, so its size
 * is paid again in garbage-collection time.
 */
export class SpanRecord {
  method = '';
  path = '';
  service: string | undefined = undefined;
  endpoint: string | undefined = undefined;
  status: number | undefined = undefined;
  /** The SERVER span failed: `respondedWithServerError` or a tap threw. */
  error = false;
  /** The CLIENT span failed: `respondedWithError` (a 4xx too) or a tap threw. */
  clientError = false;
  fault: string | undefined = undefined;
  /** The message of the exchange's error, if it has one (bounded). */
  errorMessage: string | undefined = undefined;
  end = 0;
  /** The callee's SERVER span was recorded elsewhere (the call went over the network). */
  remote = false;
  /** Estimated size in the store. */
  bytes = 0;

  constructor(
    readonly traceId: string,
    /** The SERVER span's id (the exchange's `context.spanId`). */
    readonly spanId: string,
    /** The SERVER span's parent: a caller's span from the request headers (root), the CLIENT span (child). */
    readonly parentSpanId: string | undefined,
    /** A child call's CLIENT span id: the `parent-id` its request carries. */
    readonly clientSpanId: string | undefined,
    /** The CLIENT span's parent: the caller's SERVER span. */
    readonly clientParentId: string | undefined,
    /** The calling service (a root continued from another process: its `x-understudy-caller` header). */
    readonly caller: string | undefined,
    /** The instance and version of the caller, the CLIENT span's resource. */
    readonly callerInstance: string | undefined,
    readonly callerVersion: string | undefined,
    readonly hops: number,
    readonly state: RequestState,
    readonly start: number,
    /** The exchange's tags; at settled, a bounded copy when they were past a bound (see attributes.ts). */
    public attributes: Record<string, unknown>,
  ) {}

  get name(): string {
    if (this.service === undefined) return `${this.method} ${this.path}`;
    return `${this.method} ${this.service}${this.endpoint ? ` ${this.endpoint}` : ''}`;
  }

  get duration(): number {
    return this.end - this.start;
  }

  /** Spans this record stands for: 1 (a root's SERVER span, a remote call's CLIENT span) or 2. */
  get spanCount(): number {
    return this.clientSpanId === undefined || this.remote ? 1 : 2;
  }

  /** The id and parent of the record's outermost span (the CLIENT span of a call). */
  get topSpanId(): string {
    return this.clientSpanId ?? this.spanId;
  }

  get topParentId(): string | undefined {
    return this.clientSpanId === undefined ? this.parentSpanId : this.clientParentId;
  }

  /** Did any span of the record fail? */
  get anyError(): boolean {
    return this.clientSpanId === undefined ? this.error : this.clientError || (!this.remote && this.error);
  }

  /**
   * Fills in what the exchange ended with. Runs for every exchange: no strings built
   * unless a bound is crossed.
   */
  finish(ex: Exchange, bounds: RecordBounds): void {
    const { request, response, context: c } = ex;
    const max = bounds.maxAttributeBytes;
    this.method = request.method;
    this.path = request.path.length * 3 <= max ? request.path : boundText(request.path, max, bounds.counters);
    this.service = ex.service;
    this.endpoint = ex.endpoint;
    this.status = response?.status;
    this.fault = response?.fault;
    const threw = ex.error !== undefined;
    this.error = threw || respondedWithServerError(ex);
    this.clientError = threw || respondedWithError(ex);
    const message = ex.error?.message;
    this.errorMessage = message === undefined ? undefined : boundText(message, max, bounds.counters);
    this.end = ex.endedAt ?? ex.startedAt;
    this.remote = this.clientSpanId !== undefined && c.tags[REMOTE_TAG] !== undefined;
    const tags = c.tags;
    let bytes = attributeBytes(tags, bounds);
    if (bytes < 0) {
      const bounded = boundedAttributes(tags, bounds, bounds.counters);
      this.attributes = bounded.attributes;
      bytes = bounded.bytes;
    } else this.attributes = tags;
    this.bytes = RECORD_BYTES + bytes + this.path.length + (this.errorMessage?.length ?? 0);
  }
}

const stringTag = (tags: Record<string, unknown>, key: string) => {
  const v = tags[key];
  return typeof v === 'string' ? v : undefined;
};

/** The Spans of a record, as readers and exporters see them: the CLIENT span first. */
export function toSpans(r: SpanRecord): Span[] {
  const attributes = jsonSafe(r.attributes);
  const base = {
    traceId: r.traceId,
    name: r.name,
    method: r.method,
    path: r.path,
    service: r.service,
    endpoint: r.endpoint,
    instance: stringTag(attributes, 'instance'),
    caller: r.caller,
    hops: r.hops,
    status: r.status,
    start: r.start,
    end: r.end,
    duration: r.duration,
    attributes,
    flags: r.state.flags,
  };
  const out: Span[] = [];
  if (r.clientSpanId !== undefined) {
    const client: Span = { ...base, kind: 'client', spanId: r.clientSpanId, error: r.clientError };
    if (r.clientParentId) client.parentSpanId = r.clientParentId;
    if (r.callerInstance !== undefined) client.callerInstance = r.callerInstance;
    if (r.callerVersion !== undefined) client.callerVersion = r.callerVersion;
    out.push(finishSpan(client, r));
  }
  if (r.clientSpanId === undefined || !r.remote) {
    const server: Span = { ...base, kind: 'server', spanId: r.spanId, error: r.error };
    if (r.parentSpanId) server.parentSpanId = r.parentSpanId;
    out.push(finishSpan(server, r));
  }
  return out;
}

function finishSpan(span: Span, r: SpanRecord): Span {
  if (r.fault) span.fault = r.fault;
  if (r.errorMessage !== undefined) span.errorMessage = r.errorMessage;
  if (r.state.traceState !== undefined) span.traceState = r.state.traceState;
  return span;
}
