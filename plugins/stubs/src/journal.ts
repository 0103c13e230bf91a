// The request journal behind /__admin/requests: WireMock's LoggedRequest and ServeEvent
// shapes, built only when read, in a bounded buffer.
import { RingBuffer, type Exchange, type ExchangeRequest } from '@understudy/plugin-sdk';
import type { RequestMatcher } from './matcher/request.js';
import type { ResponseDefinition, StubMapping } from './mapping/types.js';

/** WireMock's `LoggedRequest`. */
export interface LoggedRequest {
  url: string;
  absoluteUrl: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, { key: string; values: string[] }>;
  body: string;
  loggedDate: number;
  loggedDateString: string;
}

/** WireMock's `ServeEvent`, the shape of one journal entry. */
export interface ServeEvent {
  id: string;
  request: LoggedRequest;
  responseDefinition: ResponseDefinition;
  response: { status: number; headers: Record<string, string> };
  wasMatched: boolean;
  stubMapping?: StubMapping;
  /** WireMock's timing, in kernel-clock milliseconds. */
  timing: { addedDelay: number; totalTime: number };
}

/** What the hot path keeps: the ServeEvent is built only when someone reads it. */
interface Entry {
  seq: number;
  request: ExchangeRequest;
  status: number;
  responseHeaders: Exchange['request']['headers'];
  stub: StubMapping | undefined;
  at: number;
  addedDelay: number;
  totalTime: number;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = [v].flat().join(', ');
  return out;
}

function toServeEvent(id: string, { request, status, responseHeaders, stub, at, addedDelay, totalTime }: Entry): ServeEvent {
  const host = [request.headers.host ?? 'localhost'].flat()[0];
  return {
    id,
    request: {
      url: request.url,
      absoluteUrl: `http://${host}${request.url}`,
      method: request.method,
      headers: flatten(request.headers),
      queryParams: Object.fromEntries(Object.entries(request.query).map(([key, v]) => [key, { key, values: [v].flat() }])),
      body: request.body,
      loggedDate: at,
      loggedDateString: new Date(at).toISOString(),
    },
    responseDefinition: stub?.response ?? { status },
    response: { status, headers: flatten(responseHeaders) },
    wasMatched: stub !== undefined,
    ...(stub && { stubMapping: stub }),
    timing: { addedDelay, totalTime },
  };
}

/** The request journal: a bounded buffer, oldest dropped first and counted. */
export class Journal {
  private readonly entries: RingBuffer<Entry>;
  private seq = 0;

  constructor(
    readonly maxEntries: number,
    private readonly idOf: (seq: number) => string,
  ) {
    this.entries = new RingBuffer(maxEntries);
  }

  /** Entries dropped because the journal was full. */
  get dropped(): number {
    return this.entries.dropped;
  }

  get disabled(): boolean {
    return this.maxEntries === 0;
  }

  record(ex: Exchange, stub: StubMapping | undefined): void {
    if (this.disabled) return;
    const { response } = ex;
    this.entries.push({
      seq: ++this.seq,
      request: ex.request,
      status: response?.status ?? 404,
      responseHeaders: response?.headers ?? {},
      stub,
      at: ex.startedAt,
      addedDelay: response?.delayMs ?? 0,
      totalTime: (ex.endedAt ?? ex.startedAt) - ex.startedAt,
    });
  }

  /** Newest first, as WireMock lists them; optionally only those matching a pattern. */
  list(filter?: (e: ServeEvent) => boolean): ServeEvent[] {
    const events = this.entries.toArray().reverse().map(this.toServeEvent);
    return filter ? events.filter(filter) : events;
  }

  matching(pattern: RequestMatcher): ServeEvent[] {
    return this.entries.toArray().reverse().filter((e) => pattern.test(e.request)).map(this.toServeEvent);
  }

  get(id: string): ServeEvent | undefined {
    const entry = this.entries.toArray().find((e) => this.idOf(e.seq) === id);
    return entry && this.toServeEvent(entry);
  }

  private readonly toServeEvent = (entry: Entry): ServeEvent => toServeEvent(this.idOf(entry.seq), entry);

  clear(): void {
    this.entries.clear();
  }
}
