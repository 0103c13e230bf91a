// Exchange log records stored as columns: one slot per record across typed arrays (status,
// duration, hops, the kernel's `ex-<n>` request number) and arrays of references to strings
// the exchange already holds (service, template, method, instance, version are shared by
// every record of an endpoint; trace and span ids are the tracing plugin's own strings).
// Writing a record allocates nothing: a record object per exchange, held in the store until
// evicted, outlived the young generation and was promoted, and cost garbage-collection time
// under load. Decoding the hex ids into 32-bit words was tried and measured slower (≈ 200 ns
// per exchange, and no less GC: the tracing plugin keeps the same strings), so ids stay
// references. The record is built when it is read.
import type { LogRecord } from './contract.js';

/** What the collector writes for one exchange. */
export interface ExchangeFields {
  service: string | undefined;
  endpoint: string;
  method: string;
  instance: string | undefined;
  version: string | undefined;
  status: number;
  fault: string | undefined;
  durationMs: number;
  traceId: string | undefined;
  spanId: string | undefined;
  parentSpanId: string | undefined;
  requestId: string;
  caller: string | undefined;
  hops: number;
  error: string | undefined;
}

/** Fixed estimate of one exchange record's bytes: its share of the columns. */
export const EXCHANGE_BYTES = 96;

const len = (s: string | undefined) => (s === undefined ? 0 : s.length * 2);

/**
 * A record's estimated bytes: its share of the columns plus the strings it keeps alive on its
 * own account (its ids and error message; the labels are shared by every record of an
 * endpoint, and the kernel's `ex-<n>` ids are kept as numbers).
 */
export function exchangeBytes(f: ExchangeFields): number {
  let bytes = EXCHANGE_BYTES + len(f.traceId) + len(f.spanId) + len(f.parentSpanId);
  if (f.error !== undefined) bytes += f.error.length * 2;
  if (f.requestId.charCodeAt(0) !== 101 || f.requestId.charCodeAt(2) !== 45) bytes += f.requestId.length * 2;
  return bytes;
}

export class ExchangeColumns {
  readonly service: (string | undefined)[];
  readonly endpoint: (string | undefined)[];
  readonly method: (string | undefined)[];
  readonly instance: (string | undefined)[];
  readonly version: (string | undefined)[];
  readonly fault: (string | undefined)[];
  readonly caller: (string | undefined)[];
  readonly error: (string | undefined)[];
  readonly status: Uint16Array;
  readonly duration: Float64Array;
  readonly hops: Uint16Array;
  readonly traceId: (string | undefined)[];
  readonly spanId: (string | undefined)[];
  readonly parentSpanId: (string | undefined)[];
  /** `ex-<n>` as n; -1 when the id is kept as a string. */
  readonly requestNo: Float64Array;
  readonly requestId: (string | undefined)[];

  constructor(capacity: number) {
    // filled: `new Array(n)` alone is a dictionary (slow elements) past a few thousand slots
    const refs = () => new Array<string | undefined>(capacity).fill(undefined);
    this.service = refs();
    this.endpoint = refs();
    this.method = refs();
    this.instance = refs();
    this.version = refs();
    this.fault = refs();
    this.caller = refs();
    this.error = refs();
    this.requestId = refs();
    this.status = new Uint16Array(capacity);
    this.duration = new Float64Array(capacity);
    this.hops = new Uint16Array(capacity);
    this.requestNo = new Float64Array(capacity);
    this.traceId = refs();
    this.spanId = refs();
    this.parentSpanId = refs();
  }

  /** Writes the fields into `slot`. */
  write(slot: number, f: ExchangeFields): void {
    this.service[slot] = f.service;
    this.endpoint[slot] = f.endpoint;
    this.method[slot] = f.method;
    this.instance[slot] = f.instance;
    this.version[slot] = f.version;
    this.fault[slot] = f.fault;
    this.caller[slot] = f.caller;
    this.status[slot] = f.status;
    this.duration[slot] = f.durationMs;
    this.hops[slot] = f.hops;
    this.traceId[slot] = f.traceId;
    this.spanId[slot] = f.spanId;
    this.parentSpanId[slot] = f.parentSpanId;
    const no = requestNumber(f.requestId);
    this.requestNo[slot] = no;
    this.requestId[slot] = no < 0 ? f.requestId : undefined;
    this.error[slot] = f.error;
  }

  /** Drops the references only this record held (its ids and error message). */
  clear(slot: number): void {
    this.traceId[slot] = undefined;
    this.spanId[slot] = undefined;
    this.parentSpanId[slot] = undefined;
    this.requestId[slot] = undefined;
    this.error[slot] = undefined;
  }

  record(slot: number, time: number, level: number): LogRecord {
    const service = this.service[slot];
    const endpoint = this.endpoint[slot]!;
    const status = this.status[slot]!;
    const fault = this.fault[slot];
    const durationMs = this.duration[slot]!;
    const outcome = fault ?? (status ? String(status) : 'no response');
    const r: LogRecord = { level, time, msg: `${service ?? '-'} ${endpoint} ${outcome} in ${durationMs} ms`, kind: 'exchange' };
    if (service !== undefined) r.service = service;
    r.endpoint = endpoint;
    r.method = this.method[slot];
    const instance = this.instance[slot];
    if (instance !== undefined) r.instance = instance;
    const version = this.version[slot];
    if (version !== undefined) r.version = version;
    if (status) r.status = status;
    if (fault !== undefined) r.fault = fault;
    r.durationMs = durationMs;
    const traceId = this.traceId[slot];
    if (traceId !== undefined) r.traceId = traceId;
    const spanId = this.spanId[slot];
    if (spanId !== undefined) r.spanId = spanId;
    const parentSpanId = this.parentSpanId[slot];
    if (parentSpanId !== undefined) r.parentSpanId = parentSpanId;
    const no = this.requestNo[slot]!;
    r.requestId = no >= 0 ? `ex-${no}` : this.requestId[slot];
    const caller = this.caller[slot];
    if (caller !== undefined) r.caller = caller;
    r.hops = this.hops[slot];
    const error = this.error[slot];
    if (error !== undefined) r.err = error;
    return r;
  }
}

/** n of the kernel's `ex-<n>` exchange ids (no leading zeros), else -1. */
export function requestNumber(id: string): number {
  const len = id.length;
  if (len < 4 || len > 18 || id.charCodeAt(0) !== 101 || id.charCodeAt(1) !== 120 || id.charCodeAt(2) !== 45) return -1;
  if (id.charCodeAt(3) === 48 && len > 4) return -1;
  let n = 0;
  for (let i = 3; i < len; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
