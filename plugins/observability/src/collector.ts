// The hot path: every settled exchange adds to the statistics (two map lookups and a few
// additions) and, unless logging is off for it, one fixed-shape entry to the log store.
// Nothing is serialised here and no object is built beyond the entry itself.
import type { Exchange } from '@understudy/plugin-sdk';
import { LEVEL_VALUES } from './levels.js';
import type { LogStore } from './log-store.js';
import { ExchangeEntry } from './records.js';
import { NO_SERVICE, UNMATCHED, type Stats } from './stats.js';

export type ExchangeMode = 'all' | 'errors' | 'none';

const WARN = LEVEL_VALUES.warn;
const ERROR = LEVEL_VALUES.error;

export interface CollectorOptions {
  mode: ExchangeMode;
  /** Level of a successful exchange's record. */
  level: number;
  now: () => number;
  /** Called with each stored entry (config `logs.forward`). */
  forward?: (entry: ExchangeEntry) => void;
}

const tagString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class Collector {
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
    const entry = new ExchangeEntry(
      now,
      level,
      ex.service,
      series.label,
      ex.request.method,
      tagString(tags.instance),
      version,
      status,
      fault ?? (res === undefined ? 'NO_RESPONSE' : undefined),
      durationMs,
      c.traceId,
      c.spanId,
      c.parentSpanId,
      ex.id,
      c.caller,
      c.hops,
      ex.error?.message,
    );
    this.logs.push(entry);
    this.options.forward?.(entry);
  }
}
