// What tracing keeps per hop (SpanRecord), made from every settled exchange, and the
// Span a reader or exporter sees, built from a record only when read.
import { respondedWithServerError, type Exchange } from '@understudy/plugin-sdk';
import { jsonSafe } from './attributes.js';
import type { Span } from './contract.js';

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

/**
 * The record of a settled exchange. Runs for every hop: one fixed-shape record, no strings
 * built. A span is an error when the service failed (`respondedWithServerError`: 5xx, a
 * connection fault, no response) or a tap threw — OpenTelemetry's HTTP server span status:
 * a 4xx is the client's mistake and leaves a server span's status unset.
 */
export function recordOf(ex: Exchange): SpanRecord {
  const { context: c, request, response } = ex;
  return new SpanRecord(
    c.traceId!,
    c.spanId!,
    c.parentSpanId,
    request.method,
    request.path,
    ex.service,
    ex.endpoint,
    c.caller,
    c.hops,
    response?.status,
    respondedWithServerError(ex) || ex.error !== undefined,
    response?.fault,
    ex.error?.message,
    ex.startedAt,
    ex.endedAt ?? ex.startedAt,
    c.tags,
  );
}
