// OTLP/HTTP JSON export: spans queue (bounded; overflow dropped and counted), batches
// leave on the kernel clock's interval or when a batch is full, one POST at a time,
// retried with exponential backoff on network errors, 429 and 5xx. No OpenTelemetry SDK
// exporter is used: it would bring its own tracer provider, timers and clock, while these
// spans already exist and time must come from the kernel clock.
import { jsonSafe } from './attributes.js';
import type { Clock } from '@understudy/plugin-sdk';
import type { OtlpConfig } from './config.js';
import type { Span, TracingCounters, TracingExportFailedEvent } from './contract.js';
import { toSpans, type SpanRecord } from './span-record.js';

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export interface OtlpAttribute {
  key: string;
  value: AnyValue;
}

/** OTLP's SpanKind: SPAN_KIND_SERVER = 2, SPAN_KIND_CLIENT = 3. */
const SPAN_KIND = { server: 2, client: 3 } as const;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
/** OTLP Span.flags: bits 0-7 the W3C trace flags, bit 8 "is the parent's remoteness known", bit 9 "the parent is remote". */
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

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

/** Tags that are resource attributes or OpenTelemetry names of their own, not `understudy.<tag>`. */
const OWN_TAGS = new Set(['instance', 'url.full']);

/**
 * One span in OTLP JSON. Its service and instance are the resource's (`otlpBody`), not
 * span attributes. A CLIENT span names the service it called (`peer.service`), a SERVER
 * span its caller (`understudy.caller`).
 */
export function otlpSpan(s: Span) {
  const attributes: OtlpAttribute[] = [attr('http.request.method', s.method), attr('url.path', s.path), attr('understudy.hops', s.hops)];
  if (s.status !== undefined) attributes.push(attr('http.response.status_code', s.status));
  if (s.endpoint !== undefined) attributes.push(attr('understudy.endpoint', s.endpoint));
  if (s.kind === 'client') {
    if (s.service !== undefined) attributes.push(attr('peer.service', s.service));
    if (s.instance !== undefined) attributes.push(attr('understudy.peer.instance', s.instance));
    const url = s.attributes['url.full'];
    if (typeof url === 'string') attributes.push(attr('url.full', url));
  } else if (s.caller !== undefined) attributes.push(attr('understudy.caller', s.caller));
  if (s.fault !== undefined) attributes.push(attr('understudy.fault', s.fault));
  for (const [k, v] of Object.entries(jsonSafe(s.attributes))) if (!OWN_TAGS.has(k)) attributes.push(attr(`understudy.${k}`, v));
  // a root SERVER span continued from a request's headers has a remote parent; every other parent is in this process
  const remoteParent = s.kind === 'server' && s.hops === 0 && s.parentSpanId !== undefined;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    ...(s.traceState !== undefined ? { traceState: s.traceState } : {}),
    flags: (s.flags & 0xff) | FLAG_HAS_IS_REMOTE | (remoteParent ? FLAG_IS_REMOTE : 0),
    name: s.name,
    kind: SPAN_KIND[s.kind],
    startTimeUnixNano: unixNano(s.start),
    endTimeUnixNano: unixNano(s.end),
    attributes,
    status: s.error ? { code: STATUS_ERROR, message: s.errorMessage ?? (s.status === undefined ? 'error' : `HTTP ${s.status}`) } : { code: STATUS_UNSET },
  };
}

/** The resource a span belongs to: a SERVER span the callee's instance, a CLIENT span the caller's. */
function resourceOf(s: Span): { service: string; instance?: string; version?: string } {
  if (s.kind === 'client') return { service: s.caller ?? 'understudy', instance: s.callerInstance, version: s.callerVersion };
  const version = s.attributes.version;
  return { service: s.service ?? 'understudy', instance: s.instance, version: typeof version === 'string' ? version : undefined };
}

/**
 * One resource per service instance (`service.name`, `service.instance.id`,
 * `service.version` — OpenTelemetry's resource attributes), one scope `understudy`.
 */
export function otlpBody(spans: Span[]) {
  const byResource = new Map<string, { resource: ReturnType<typeof resourceOf>; spans: Span[] }>();
  for (const s of spans) {
    const resource = resourceOf(s);
    const key = `${resource.service}\u0000${resource.instance ?? ''}\u0000${resource.version ?? ''}`;
    let group = byResource.get(key);
    if (!group) byResource.set(key, (group = { resource, spans: [] }));
    group.spans.push(s);
  }
  return {
    resourceSpans: [...byResource.values()].map(({ resource, spans: list }) => {
      const attributes = [attr('service.name', resource.service)];
      if (resource.instance !== undefined) attributes.push(attr('service.instance.id', resource.instance));
      if (resource.version !== undefined) attributes.push(attr('service.version', resource.version));
      attributes.push(attr('telemetry.sdk.name', 'understudy'));
      return { resource: { attributes }, scopeSpans: [{ scope: { name: 'understudy' }, spans: list.map(otlpSpan) }] };
    }),
  };
}

export interface ExporterDeps {
  clock: Clock;
  counters: TracingCounters;
  onBatchFailed(info: Omit<TracingExportFailedEvent, 'url'>): void;
}

export class OtlpExporter {
  /** Records as stored (one or two spans each): built for export only when their batch leaves. */
  private queue: SpanRecord[] = [];
  /** Spans in the queue. */
  private spans = 0;
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

  /** Spans waiting. */
  get queued(): number {
    return this.spans;
  }

  enqueue(rec: SpanRecord): void {
    const count = rec.spanCount;
    if (this.spans + count > this.config.maxQueue) {
      this.deps.counters.exportDroppedSpans += count;
      return;
    }
    this.queue.push(rec);
    this.spans += count;
    if (this.spans >= this.config.batchSize && !this.inFlight) void this.flush();
  }

  /** Records holding at most batchSize spans (at least one record). */
  private takeBatch(): SpanRecord[] {
    let n = 0;
    let spans = 0;
    while (n < this.queue.length && (n === 0 || spans + this.queue[n]!.spanCount <= this.config.batchSize)) spans += this.queue[n++]!.spanCount;
    this.spans -= spans;
    return this.queue.splice(0, n);
  }

  /** Sends every queued batch, one POST at a time. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.queue.length) return Promise.resolve();
    this.inFlight = (async () => {
      try {
        while (this.queue.length) {
          await this.send(this.takeBatch().flatMap(toSpans));
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

  private async send(batch: Span[]): Promise<void> {
    const body = JSON.stringify(otlpBody(batch));
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
