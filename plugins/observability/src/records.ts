// What the log store holds: entries of a fixed shape, built cheaply on the hot path and
// turned into pino-shaped `LogRecord`s only when read or exported. An exchange's entry is
// one object with a fixed set of fields (V8 keeps one hidden class for all of them) and
// references to strings the exchange already holds; its message and its JSON are built on
// read. Its size is estimated from string lengths, never by serialising it.
import type { LogRecord } from './contract.js';

/** An entry of the store: its sequence number, time, level, service and trace id are read by filters. */
export interface Entry {
  seq: number;
  readonly time: number;
  readonly level: number;
  readonly service: string | undefined;
  readonly traceId: string | undefined;
  /** Estimated bytes (string lengths × 2 plus a fixed allowance per field). */
  readonly bytes: number;
  record(): LogRecord;
}

/** Fixed allowance for an entry object and its number fields. */
const BASE = 160;
const len = (s: string | undefined) => (s === undefined ? 0 : s.length * 2 + 16);

/** One exchange, as the `settled` hook saw it. */
export class ExchangeEntry implements Entry {
  seq = 0;
  readonly bytes: number;
  constructor(
    readonly time: number,
    readonly level: number,
    readonly service: string | undefined,
    /** The endpoint template (never the raw path). */
    readonly endpoint: string,
    readonly method: string,
    readonly instance: string | undefined,
    readonly version: string | undefined,
    /** 0 when there was no response. */
    readonly status: number,
    readonly fault: string | undefined,
    readonly durationMs: number,
    readonly traceId: string | undefined,
    readonly spanId: string | undefined,
    readonly parentSpanId: string | undefined,
    readonly requestId: string,
    readonly caller: string | undefined,
    readonly hops: number,
    readonly error: string | undefined,
  ) {
    this.bytes =
      BASE + len(service) + len(endpoint) + len(method) + len(instance) + len(version) + len(fault) + len(traceId) + len(spanId) + len(parentSpanId) + len(requestId) + len(caller) + len(error);
  }

  record(): LogRecord {
    const r: LogRecord = { level: this.level, time: this.time, msg: this.message(), kind: 'exchange' };
    if (this.service !== undefined) r.service = this.service;
    r.endpoint = this.endpoint;
    r.method = this.method;
    if (this.instance !== undefined) r.instance = this.instance;
    if (this.version !== undefined) r.version = this.version;
    if (this.status) r.status = this.status;
    if (this.fault !== undefined) r.fault = this.fault;
    r.durationMs = this.durationMs;
    if (this.traceId !== undefined) r.traceId = this.traceId;
    if (this.spanId !== undefined) r.spanId = this.spanId;
    if (this.parentSpanId !== undefined) r.parentSpanId = this.parentSpanId;
    r.requestId = this.requestId;
    if (this.caller !== undefined) r.caller = this.caller;
    r.hops = this.hops;
    if (this.error !== undefined) r.err = this.error;
    return r;
  }

  private message(): string {
    const outcome = this.fault ?? (this.status ? String(this.status) : 'no response');
    return `${this.service ?? '-'} ${this.endpoint} ${outcome} in ${this.durationMs} ms`;
  }
}

/** Any other line: an event turned into a log, or one a plugin logged through `observability.log()`. */
export class FieldsEntry implements Entry {
  seq = 0;
  readonly service: string | undefined;
  readonly traceId: string | undefined;
  readonly level: number;
  readonly time: number;
  constructor(
    private readonly fields: LogRecord,
    readonly bytes: number,
  ) {
    this.service = typeof fields.service === 'string' ? fields.service : undefined;
    this.traceId = typeof fields.traceId === 'string' ? fields.traceId : undefined;
    this.level = fields.level;
    this.time = fields.time;
  }

  record(): LogRecord {
    return { ...this.fields };
  }
}

/** Estimated bytes of a record that is not on the hot path (events, `log()`): its JSON length. */
export function sizeOfFields(fields: LogRecord): number {
  try {
    return BASE + JSON.stringify(fields).length * 2;
  } catch {
    return BASE + 4096;
  }
}
