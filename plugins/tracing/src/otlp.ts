// OTLP/HTTP JSON export: spans queue (bounded; overflow dropped and counted), batches
// leave on the kernel clock's interval or when a batch is full, one POST at a time,
// retried with exponential backoff on network errors, 429 and 5xx. No OpenTelemetry SDK
// exporter is used: it would bring its own tracer provider, timers and clock, while these
// spans already exist and time must come from the kernel clock.
import { jsonSafe } from './attributes.js';
import type { Clock } from '@understudy/plugin-sdk';
import type { OtlpConfig } from './config.js';
import type { Span, TracingCounters, TracingExportFailedEvent } from './contract.js';
import { toSpan, type SpanRecord } from './span-record.js';

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export interface OtlpAttribute {
  key: string;
  value: AnyValue;
}

const SPAN_KIND_SERVER = 2;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

function anyValue(v: unknown): AnyValue {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (typeof v === 'string') return { stringValue: v };
  return { stringValue: JSON.stringify(v) };
}

export function attr(key: string, v: unknown): OtlpAttribute {
  return { key, value: anyValue(v) };
}

/** ms (kernel clock) → Unix nanoseconds as a decimal string, without float precision loss. */
export function unixNano(ms: number): string {
  const whole = Math.floor(ms);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString();
}

export function otlpSpan(s: Span) {
  const attributes: OtlpAttribute[] = [attr('http.request.method', s.method), attr('url.path', s.path), attr('understudy.hops', s.hops)];
  if (s.status !== undefined) attributes.push(attr('http.response.status_code', s.status));
  if (s.endpoint !== undefined) attributes.push(attr('understudy.endpoint', s.endpoint));
  if (s.instance !== undefined) attributes.push(attr('service.instance.id', s.instance));
  if (s.caller !== undefined) attributes.push(attr('understudy.caller', s.caller));
  if (s.fault !== undefined) attributes.push(attr('understudy.fault', s.fault));
  for (const [k, v] of Object.entries(jsonSafe(s.attributes))) if (k !== 'instance') attributes.push(attr(`understudy.${k}`, v));
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: SPAN_KIND_SERVER,
    startTimeUnixNano: unixNano(s.start),
    endTimeUnixNano: unixNano(s.end),
    attributes,
    status: s.error ? { code: STATUS_ERROR, message: s.errorMessage ?? (s.status === undefined ? 'error' : `HTTP ${s.status}`) } : { code: STATUS_UNSET },
  };
}

/** One resource per service (service.name), one scope `understudy`. */
export function otlpBody(spans: Span[]) {
  const byService = new Map<string, Span[]>();
  for (const s of spans) {
    const name = s.service ?? 'understudy';
    let list = byService.get(name);
    if (!list) byService.set(name, (list = []));
    list.push(s);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [attr('service.name', service), attr('telemetry.sdk.name', 'understudy')] },
      scopeSpans: [{ scope: { name: 'understudy' }, spans: list.map(otlpSpan) }],
    })),
  };
}

export interface ExporterDeps {
  clock: Clock;
  counters: TracingCounters;
  onBatchFailed(info: Omit<TracingExportFailedEvent, 'url'>): void;
}

export class OtlpExporter {
  /** Spans as recorded: built for export only when their batch leaves. */
  private queue: SpanRecord[] = [];
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<Clock['setInterval']> | undefined;
  private stopping = false;
  /** Ends the current backoff wait early (on stop). */
  private wake: (() => void) | undefined;

  constructor(
    private readonly config: OtlpConfig,
    private readonly deps: ExporterDeps,
  ) {}

  start(): void {
    this.timer = this.deps.clock.setInterval(() => void this.flush(), this.config.flushIntervalMs);
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(span: SpanRecord): void {
    if (this.queue.length >= this.config.maxQueue) {
      this.deps.counters.exportDroppedSpans++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.config.batchSize && !this.inFlight) void this.flush();
  }

  /** Sends every queued batch, one POST at a time. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.queue.length) return Promise.resolve();
    this.inFlight = (async () => {
      try {
        while (this.queue.length) {
          const batch = this.queue.splice(0, this.config.batchSize);
          await this.send(batch);
        }
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private async post(body: string): Promise<void> {
    const res = await fetch(this.config.url, {
      method: 'POST',
      headers: { ...this.config.headers, 'content-type': 'application/json' },
      body,
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      const err = new Error(`collector answered ${res.status}`) as Error & { retryable?: boolean };
      err.retryable = res.status === 429 || res.status >= 500;
      throw err;
    }
  }

  private async send(batch: SpanRecord[]): Promise<void> {
    const body = JSON.stringify(otlpBody(batch.map(toSpan)));
    const { maxRetries, retryBackoffMs } = this.config;
    let attempt = 0;
    for (;;) {
      attempt++;
      try {
        await this.post(body);
        this.deps.counters.exportedSpans += batch.length;
        return;
      } catch (cause) {
        const err = cause as Error & { retryable?: boolean };
        if (err.retryable === false || attempt > maxRetries) {
          this.deps.counters.exportFailedBatches++;
          this.deps.counters.exportDroppedSpans += batch.length;
          this.deps.onBatchFailed({ spans: batch.length, attempts: attempt, error: err.message });
          return;
        }
        this.deps.counters.exportRetries++;
        // on stop there is no time to wait for: retry at once
        if (!this.stopping && retryBackoffMs > 0) await this.backoff(retryBackoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private backoff(ms: number): Promise<void> {
    const { clock } = this.deps;
    return new Promise((resolve) => {
      const handle = clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clock.clearTimeout(handle);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Stops the timer and sends what is queued (retries without backoff). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) this.deps.clock.clearInterval(this.timer);
    this.wake?.();
    await this.inFlight;
    await this.flush();
  }
}
