// Extracting and injecting trace context. The OpenTelemetry propagators do the parsing
// and formatting (W3C, B3 single/multi, Jaeger); the checks below add what the W3C
// Trace Context Level 1 MUSTs need beyond them (tracestate grammar, member limit,
// duplicate keys, 512-character truncation, repeated traceparent headers).
import { ROOT_CONTEXT, trace, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import type { Format } from './config.js';

export type HeaderRecord = Record<string, string | string[] | undefined>;

export interface Extracted {
  format: Format;
  traceId: string;
  /** The caller's span id: the parent of the span we open. */
  parentSpanId: string;
  /** Trace flags; bit 0 = sampled. */
  flags: number;
  /** Validated, normalised tracestate (W3C only). */
  traceState?: string;
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

const PROPAGATORS: Record<Format, TextMapPropagator> = {
  tracecontext: new W3CTraceContextPropagator(),
  b3: new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: new JaegerPropagator(),
};

// --- tracestate (W3C Trace Context Level 1, section 3.3) ---------------------------
const KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
// value: 0-255 chars of 0x20-0x7E except ',' and '=', the last one not a space
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
export const MAX_MEMBERS = 32;
export const MAX_TRACESTATE_LENGTH = 512;

export type TracestateResult = { ok: true; members: [string, string][] } | { ok: false; reason: string };

/**
 * Parses a combined tracestate value. Empty and whitespace-only members are allowed
 * and skipped; optional whitespace around members is trimmed. The whole header is
 * discarded (`ok: false`) when a member breaks the key/value grammar, when a key
 * repeats, or when there are more than 32 members.
 */
export function parseTracestate(raw: string): TracestateResult {
  const members: [string, string][] = [];
  const seen = new Set<string>();
  for (const part of raw.split(',')) {
    const member = part.replace(/^[ \t]+|[ \t]+$/g, '');
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return { ok: false, reason: `list-member "${member}" is not key=value` };
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!KEY.test(key)) return { ok: false, reason: `invalid key "${key}"` };
    if (!VALUE.test(value)) return { ok: false, reason: `invalid value for key "${key}"` };
    if (seen.has(key)) return { ok: false, reason: `duplicate key "${key}"` };
    seen.add(key);
    members.push([key, value]);
    if (members.length > MAX_MEMBERS) return { ok: false, reason: `more than ${MAX_MEMBERS} list-members` };
  }
  return { ok: true, members };
}

/**
 * Fits a tracestate into 512 characters as the spec recommends: members longer than
 * 128 characters go first, then members from the end.
 */
export function truncateTracestate(value: string): string {
  if (value.length <= MAX_TRACESTATE_LENGTH) return value;
  let members = value.split(',');
  const size = () => members.join(',').length;
  while (size() > MAX_TRACESTATE_LENGTH) {
    const long = members.findIndex((m) => m.length > 128);
    if (long >= 0) members.splice(long, 1);
    else members = members.slice(0, -1);
  }
  return members.join(',');
}

// --- extract / inject ---------------------------------------------------------------
function getterFor(allowed: readonly string[]): TextMapGetter<HeaderRecord> {
  return {
    keys: (carrier) => Object.keys(carrier).filter((k) => allowed.includes(k)),
    get: (carrier, key) => {
      const k = key.toLowerCase();
      return allowed.includes(k) ? carrier[k] : undefined;
    },
  };
}
const GETTERS = Object.fromEntries(Object.entries(FORMAT_HEADERS).map(([f, h]) => [f, getterFor([...h, 'tracestate'])])) as Record<Format, TextMapGetter<HeaderRecord>>;

const setter: TextMapSetter<HeaderRecord> = {
  set(carrier, key, value) {
    carrier[key] = key === 'tracestate' ? truncateTracestate(value) : value;
  },
};

/** B3 single values that carry only a sampling decision (valid, but no trace). */
const B3_DECISION_ONLY = new Set(['0', '1', 'd']);

function extractOne(format: Format, headers: HeaderRecord): Extracted | 'corrupt' | undefined {
  if (format === 'tracecontext') {
    const tp = headers.traceparent;
    // repeated traceparent headers: invalid (the kernel joins them with ", ", which the parser also rejects)
    if (Array.isArray(tp)) return 'corrupt';
  }
  if (format === 'b3') {
    const b3 = headers.b3;
    if (typeof b3 === 'string' && B3_DECISION_ONLY.has(b3.trim())) return undefined;
  }
  const sc = trace.getSpanContext(PROPAGATORS[format].extract(ROOT_CONTEXT, headers, GETTERS[format]));
  if (!sc || !trace.isSpanContextValid(sc)) return 'corrupt';
  const out: Extracted = { format, traceId: sc.traceId, parentSpanId: sc.spanId, flags: sc.traceFlags & 0xff };
  if (format === 'tracecontext') {
    out.flags &= 0x01; // version 00 defines only `sampled`; other bits are not propagated
    const ts = headers.tracestate;
    if (ts !== undefined) {
      // multiple tracestate headers combine as one comma-separated list (RFC 7230 3.2.2)
      const parsed = parseTracestate(Array.isArray(ts) ? ts.join(',') : ts);
      if (parsed.ok && parsed.members.length) out.traceState = parsed.members.map(([k, v]) => `${k}=${v}`).join(',');
    }
  }
  return out;
}

export class Propagation {
  private readonly w3cOnly: boolean;

  constructor(
    private readonly extractFormats: readonly Format[],
    private readonly injectFormats: readonly Format[],
  ) {
    this.w3cOnly = injectFormats.length === 1 && injectFormats[0] === 'tracecontext';
  }

  extract(headers: HeaderRecord): ExtractResult {
    const result: ExtractResult = { corrupt: [], present: false };
    for (const format of this.extractFormats) {
      const names = FORMAT_HEADERS[format];
      let found = false;
      for (const name of names) if (headers[name] !== undefined) found = true;
      if (!found) continue;
      result.present = true;
      const got = extractOne(format, headers);
      if (got === 'corrupt') result.corrupt.push(format);
      else if (got) {
        result.context = got;
        return result;
      }
    }
    return result;
  }

  /** Headers that carry `spanId` (the caller's span) as the parent of the next hop. */
  inject(traceId: string, spanId: string, flags: number, traceState?: string): HeaderRecord {
    const carrier: HeaderRecord = {};
    this.injectInto(carrier, traceId, spanId, flags, traceState);
    return carrier;
  }

  /** inject(), written into `carrier` (e.g. a child request's own copy of its headers). */
  injectInto(carrier: HeaderRecord, traceId: string, spanId: string, flags: number, traceState?: string): void {
    // the common case — W3C only, no tracestate — is formatted directly: it runs for every child call
    if (this.w3cOnly && !traceState) {
      carrier.traceparent = traceparentOf(traceId, spanId, flags);
      return;
    }
    const context = trace.setSpanContext(ROOT_CONTEXT, {
      traceId,
      spanId,
      traceFlags: flags & 0x01,
      isRemote: false,
      ...(traceState ? { traceState: new TraceState(traceState) } : {}),
    });
    for (const format of this.injectFormats) PROPAGATORS[format].inject(context, carrier, setter);
  }
}

export function traceparentOf(traceId: string, spanId: string, flags: number): string {
  return `00-${traceId}-${spanId}-0${flags & 0x01}`;
}
