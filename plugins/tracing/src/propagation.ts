// Extracting and injecting trace context. The OpenTelemetry libraries parse `traceparent`
// (`parseTraceParent`) and B3/Jaeger (their propagators) and format B3/Jaeger; this file
// adds what W3C Trace Context Level 2 asks beyond them: the `tracestate` rules of
// tracestate.ts (OpenTelemetry's TraceState keeps the Level 1 key grammar), the
// `random-trace-id` flag, repeated `traceparent` headers, and a `traceparent` formatted
// directly on the hot path (one template string per child call).
import { ROOT_CONTEXT, trace, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import type { Format } from './config.js';
import { normaliseTracestate } from './tracestate.js';

export type HeaderRecord = Record<string, string | string[] | undefined>;

/**
 * Trace flags of version 00 (Level 2): bit 0 `sampled`, bit 1 `random-trace-id`. "The
 * behavior of other flags […] is not defined and is reserved for future use. Vendors MUST
 * set those to zero."
 */
export const FLAG_SAMPLED = 0x01;
export const FLAG_RANDOM = 0x02;
const KNOWN_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;

export interface Extracted {
  format: Format;
  traceId: string;
  /** The caller's span id: the parent of the span we open. */
  parentSpanId: string;
  /** Trace flags: `sampled` (bit 0) and, from `traceparent` only, `random-trace-id` (bit 1). */
  flags: number;
  /** The tracestate to propagate: valid members, first of each key, at most 32, at most 512 characters (W3C only). */
  traceState?: string;
  /** tracestate list-members dropped (invalid, duplicate, beyond 32, cut for length). */
  traceStateDropped?: number;
}

export interface ExtractResult {
  context?: Extracted;
  /** A header of an accepted format was present but invalid. */
  corrupt: Format[];
  /** Any header of an accepted format was present. */
  present: boolean;
}

/** The headers each format reads (lower-case). */
export const FORMAT_HEADERS: Record<Format, readonly string[]> = {
  tracecontext: ['traceparent'],
  b3: ['b3'],
  b3multi: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled', 'x-b3-parentspanid', 'x-b3-flags'],
  jaeger: ['uber-trace-id'],
};

/** B3 and Jaeger: OpenTelemetry's propagators (W3C is parsed with `parseTraceParent` and formatted here). */
const PROPAGATORS: Record<Exclude<Format, 'tracecontext'>, TextMapPropagator> = {
  b3: new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: new JaegerPropagator(),
};

function getterFor(allowed: readonly string[]): TextMapGetter<HeaderRecord> {
  return {
    keys: (carrier) => Object.keys(carrier).filter((k) => allowed.includes(k)),
    get: (carrier, key) => {
      const k = key.toLowerCase();
      return allowed.includes(k) ? carrier[k] : undefined;
    },
  };
}
const GETTERS = {
  b3: getterFor(FORMAT_HEADERS.b3),
  b3multi: getterFor(FORMAT_HEADERS.b3multi),
  jaeger: getterFor(FORMAT_HEADERS.jaeger),
};

const setter: TextMapSetter<HeaderRecord> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/** B3 single values that carry only a sampling decision (valid, but no trace). */
const B3_DECISION_ONLY = new Set(['0', '1', 'd']);

export interface ExtractOptions {
  /** Drop the whole tracestate when one member is invalid (see tracestate.ts). */
  strictTracestate?: boolean;
}

function extractW3C(headers: HeaderRecord, options: ExtractOptions): Extracted | 'corrupt' {
  const tp = headers.traceparent;
  // repeated traceparent headers: invalid (the kernel joins them with ", ", which the parser also rejects)
  if (typeof tp !== 'string') return 'corrupt';
  const parsed = parseTraceParent(tp);
  if (!parsed) return 'corrupt';
  // a higher version: "only parse the trace-flags values supported by this version […] set all
  // unparsed / unknown trace-flags to 0 on outgoing requests"
  const out: Extracted = { format: 'tracecontext', traceId: parsed.traceId, parentSpanId: parsed.spanId, flags: parsed.traceFlags & KNOWN_FLAGS };
  const ts = headers.tracestate;
  // "If the vendor failed to parse traceparent, it MUST NOT attempt to parse tracestate": only here
  if (ts !== undefined) {
    // "When receiving multiple tracestate header fields, they MUST be combined into a single header"
    const { value, dropped } = normaliseTracestate(Array.isArray(ts) ? ts.join(',') : ts, options.strictTracestate);
    if (value !== undefined) out.traceState = value;
    if (dropped) out.traceStateDropped = dropped;
  }
  return out;
}

function extractOne(format: Format, headers: HeaderRecord, options: ExtractOptions): Extracted | 'corrupt' | undefined {
  if (format === 'tracecontext') return extractW3C(headers, options);
  if (format === 'b3') {
    const b3 = headers.b3;
    if (typeof b3 === 'string' && B3_DECISION_ONLY.has(b3.trim())) return undefined;
  }
  const sc = trace.getSpanContext(PROPAGATORS[format].extract(ROOT_CONTEXT, headers, GETTERS[format]));
  if (!sc || !trace.isSpanContextValid(sc)) return 'corrupt';
  // B3 and Jaeger carry a sampling decision only (Jaeger's bit 1 is `debug`, not `random`)
  return { format, traceId: sc.traceId, parentSpanId: sc.spanId, flags: sc.traceFlags & FLAG_SAMPLED };
}

export class Propagation {
  private readonly w3c: boolean;
  /** B3 and Jaeger formats to inject, in order. */
  private readonly others: Exclude<Format, 'tracecontext'>[];

  constructor(
    private readonly extractFormats: readonly Format[],
    injectFormats: readonly Format[],
    private readonly options: ExtractOptions = {},
  ) {
    this.w3c = injectFormats.includes('tracecontext');
    this.others = injectFormats.filter((f): f is Exclude<Format, 'tracecontext'> => f !== 'tracecontext');
  }

  extract(headers: HeaderRecord): ExtractResult {
    const result: ExtractResult = { corrupt: [], present: false };
    for (const format of this.extractFormats) {
      const names = FORMAT_HEADERS[format];
      let found = false;
      for (const name of names) if (headers[name] !== undefined) found = true;
      if (!found) continue;
      result.present = true;
      const got = extractOne(format, headers, this.options);
      if (got === 'corrupt') result.corrupt.push(format);
      else if (got) {
        result.context = got;
        return result;
      }
    }
    return result;
  }

  /** Headers that carry `spanId` (the span making the call) as the parent of the next hop. */
  inject(traceId: string, spanId: string, flags: number, traceState?: string): HeaderRecord {
    const carrier: HeaderRecord = {};
    this.injectInto(carrier, traceId, spanId, flags, traceState);
    return carrier;
  }

  /**
   * inject(), written into `carrier` (e.g. a child request's own copy of its headers).
   * `traceState` is one tracestate already normalised (tracestate.ts): passed on as received,
   * "Vendors receiving a tracestate request header MUST send it to outgoing requests".
   */
  injectInto(carrier: HeaderRecord, traceId: string, spanId: string, flags: number, traceState?: string): void {
    if (this.w3c) {
      carrier.traceparent = traceparentOf(traceId, spanId, flags);
      if (traceState) carrier.tracestate = traceState;
    }
    if (!this.others.length) return;
    const context = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: flags & FLAG_SAMPLED, isRemote: false });
    for (const format of this.others) PROPAGATORS[format].inject(context, carrier, setter);
  }
}

const FLAGS_HEX = ['00', '01', '02', '03'];

/** A version 00 `traceparent`: the two known flags kept, the others zero. */
export function traceparentOf(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-${FLAGS_HEX[flags & KNOWN_FLAGS]}`;
}
