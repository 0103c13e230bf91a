import type { Exchange, ExchangeRequest } from '@understudy/plugin-sdk';
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
}

interface Entry {
  event: ServeEvent;
  /** Kept to re-match entries against patterns (`/__admin/requests/count`). */
  request: ExchangeRequest;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = [v].flat().join(', ');
  return out;
}

/** The request journal: a bounded buffer, oldest dropped first and counted. */
export class Journal {
  private entries: Entry[] = [];
  /** Entries dropped because the journal was full. */
  dropped = 0;

  constructor(
    readonly maxEntries: number,
    private readonly newId: () => string,
  ) {}

  get disabled(): boolean {
    return this.maxEntries === 0;
  }

  record(ex: Exchange, stub: StubMapping | undefined, at: number): void {
    if (this.disabled) return;
    const { request } = ex;
    const host = [ex.request.headers.host ?? 'localhost'].flat()[0];
    const event: ServeEvent = {
      id: this.newId(),
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
      responseDefinition: stub?.response ?? { status: ex.response?.status ?? 404 },
      response: { status: ex.response?.status ?? 404, headers: flatten(ex.response?.headers ?? {}) },
      wasMatched: stub !== undefined,
      ...(stub && { stubMapping: stub }),
    };
    if (this.entries.length >= this.maxEntries) {
      this.entries.shift();
      this.dropped++;
    }
    this.entries.push({ event, request });
  }

  /** Newest first, as WireMock lists them; optionally only those matching a pattern. */
  list(filter?: (e: ServeEvent) => boolean): ServeEvent[] {
    const events = this.entries.map((e) => e.event).reverse();
    return filter ? events.filter(filter) : events;
  }

  matching(pattern: RequestMatcher): ServeEvent[] {
    return this.entries.filter((e) => pattern.test(e.request)).map((e) => e.event).reverse();
  }

  get(id: string): ServeEvent | undefined {
    return this.entries.find((e) => e.event.id === id)?.event;
  }

  clear(): void {
    this.entries = [];
  }
}
