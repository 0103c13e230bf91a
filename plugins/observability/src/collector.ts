// The hot path: every settled exchange adds to the statistics (two map lookups and a few
// additions) and, unless logging is off for it, one fixed-shape entry to the log store.
// Nothing is serialised here and no object is built beyond the entry itself.
import type { Exchange } from '@understudy/plugin-sdk';
import { LEVEL_VALUES } from './levels.js';
import type { LogStore } from './log-store.js';
import type { ExchangeFields } from './exchange-columns.js';
import { NO_SERVICE, UNMATCHED, type Stats } from './stats.js';

export type ExchangeMode = 'all' | 'errors' | 'none';

const WARN = LEVEL_VALUES.warn;
const ERROR = LEVEL_VALUES.error;

export interface CollectorOptions {
  mode: ExchangeMode;
  /** Level of a successful exchange's record. */
  level: number;
  now: () => number;
  /** Called with each stored record's sequence number (config `logs.forward`). */
  forward?: (seq: number) => void;
}

const tagString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class Collector {
  /** One object, refilled for every exchange (the store copies it into its columns). */
  private readonly fields: ExchangeFields = {
    service: undefined,
    endpoint: '',
    method: '',
    instance: undefined,
    version: undefined,
    status: 0,
    fault: undefined,
    durationMs: 0,
    traceId: undefined,
    spanId: undefined,
    parentSpanId: undefined,
    requestId: '',
    caller: undefined,
    hops: 0,
    error: undefined,
  };

  constructor(
    private readonly stats: Stats,
    private readonly logs: LogStore,
    private readonly options: CollectorOptions,
  ) {}

  settled(ex: Exchange): void {
    const res = ex.response;
    const fault = res?.fault;
    const status = res === undefined ? 0 : res.status;
    const serverError = res === undefined || fault !== undefined || status >= 500;
    const now = ex.endedAt ?? this.options.now();
    const durationMs = now - ex.startedAt;
    const tags = ex.context.tags;
    const version = tagString(tags.version);
    const series = this.stats.endpoint(ex.service ?? NO_SERVICE, ex.endpoint ?? UNMATCHED);
    this.stats.record(series, version ?? '', fault === undefined ? status : 0, serverError, durationMs, now);

    const mode = this.options.mode;
    if (mode === 'none') return;
    const level = serverError ? ERROR : status >= 400 ? WARN : this.options.level;
    if (mode === 'errors' && level < WARN) return;
    const c = ex.context;
    const f = this.fields;
    f.service = ex.service;
    f.endpoint = series.label;
    f.method = ex.request.method;
    f.instance = tagString(tags.instance);
    f.version = version;
    f.status = status;
    f.fault = fault ?? (res === undefined ? 'NO_RESPONSE' : undefined);
    f.durationMs = durationMs;
    f.traceId = c.traceId;
    f.spanId = c.spanId;
    f.parentSpanId = c.parentSpanId;
    f.requestId = ex.id;
    f.caller = c.caller;
    f.hops = c.hops;
    f.error = ex.error?.message;
    const seq = this.logs.pushExchange(now, level, f);
    if (seq >= 0) this.options.forward?.(seq);
  }
}
