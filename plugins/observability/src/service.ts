// The `observability` service other plugins resolve: log(), logs(), metricsText(),
// metric() and window() over the store, the registry and the statistics.
import type { Clock } from '@understudy/plugin-sdk';
import type { LogPage, LogQuery, LogRecord, Observability, WindowStats } from './contract.js';
import { LEVEL_VALUES } from './levels.js';
import type { LogStore } from './log-store.js';
import type { Metrics } from './metrics.js';
import { FieldsEntry, sizeOfFields } from './records.js';
import type { Stats } from './stats.js';

export class ObservabilityService implements Observability {
  constructor(
    private readonly store: LogStore,
    private readonly metrics: Metrics,
    private readonly stats: Stats,
    private readonly clock: Clock,
    private readonly onStored?: (record: LogRecord) => void,
  ) {}

  log(record: Omit<LogRecord, 'time'> & { time?: number }): void {
    const level = typeof record.level === 'number' && Number.isFinite(record.level) ? record.level : LEVEL_VALUES.info;
    const full: LogRecord = { kind: 'log', ...record, level, time: record.time ?? this.clock.now(), msg: typeof record.msg === 'string' ? record.msg : String(record.msg ?? '') };
    this.store.push(new FieldsEntry(full, sizeOfFields(full)));
    this.onStored?.(full);
  }

  logs(query?: LogQuery): LogPage {
    return this.store.query(query);
  }

  metricsText(): Promise<string> {
    return this.metrics.text();
  }

  metric(name: string, labels?: Record<string, string>): Promise<number | undefined> {
    return this.metrics.value(name, labels);
  }

  window(service: string, windowMs: number, options?: { version?: string; endpoint?: string; simulated?: boolean }): WindowStats {
    return this.stats.windowStats(service, windowMs, this.clock.now(), options);
  }
}
