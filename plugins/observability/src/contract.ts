// The observability plugin's contract: the `observability` service (the log store and
// its query, the Prometheus registry, windowed per-service statistics and the
// performance analysis), the events it emits, and their declaration in the kernel's
// Services and EventMap. Other plugins import these types only (deploy's analysis in the
// next issue queries `window()` and `metric()`).

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One log line, in pino's shape (level as pino's number, time in ms) plus correlation ids. */
export interface LogRecord {
  level: number;
  time: number;
  msg: string;
  /** Who logged it: a service for exchanges, a plugin for operational actions. */
  service?: string;
  instance?: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  incidentId?: string;
  rolloutId?: string;
  /** The event type for operational lines (`cluster.instanceChanged`). */
  event?: string;
  [field: string]: unknown;
}

export interface LogQuery {
  service?: string;
  /** Exchanges, events of the event bus, or lines other plugins logged (added for the ops issue). */
  kind?: 'exchange' | 'event' | 'log';
  /** One event type (`cluster.instanceChanged`), or a prefix ending in `.` (`health.`). */
  event?: string;
  /** This level and above. */
  level?: LogLevel;
  traceId?: string;
  /** Substring of the message or a field value. */
  q?: string;
  from?: number;
  to?: number;
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface LogPage {
  items: LogRecord[];
  /** Cursor of the next (older) page, when there is one. */
  next?: string;
  total: number;
}

/** Requests of one service (optionally one version) over a window. */
export interface WindowStats {
  service: string;
  version?: string;
  fromMs: number;
  toMs: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Latency histogram buckets (upper bound ms → count), for statistical comparisons. */
  histogram: Array<[upperMs: number, count: number]>;
}

export interface Observability {
  log(record: Omit<LogRecord, 'time'> & { time?: number }): void;
  logs(query?: LogQuery): LogPage;
  /** Prometheus text exposition of every metric. */
  metricsText(): Promise<string>;
  /** The current value of a metric (summed over series matching `labels`), undefined when unknown. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /**
   * Requests of a service over the last `windowMs` (real exchanges and the load model's;
   * `simulated: false`: real exchanges only — the load model's requests carry each version's
   * own errors but the service's blended latency, so latency comparisons leave them out).
   */
  window(service: string, windowMs: number, options?: { version?: string; endpoint?: string; simulated?: boolean }): WindowStats;
}

declare module '@understudy/kernel' {
  interface Services {
    observability: Observability;
  }
}
