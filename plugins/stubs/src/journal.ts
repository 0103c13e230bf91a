// The request journal behind /__admin/requests: WireMock's LoggedRequest and ServeEvent
// shapes, built only when read, in a buffer bounded by count and by bytes.
//
// Bytes, because a count alone bounds nothing when entries carry bodies: 40 requests of
// 10 MB each took the server's RSS from 248 MB to 534 MB with 1,000 entries allowed, and
// one GET /__admin/requests of them reached 1.88 GB. So a body longer than
// `maxBodyBytes` is kept cut to that length (the entry says `bodyTruncated` and the
// original size; matching saw the whole body), and the entries together stay under
// `maxBytes`, the oldest dropped first and counted.
//
// Measured with 40 requests of 10 MB against the stubs plugin alone: RSS after a GC went
// from 139 MB to 649 MB before, and one GET /__admin/requests answered 400 MB and took
// the process to 2.18 GB; now 135 MB to 234 MB, a 3 MB answer, 239 MB after it.
//
// An entry's size is an estimate of what it holds and of what listing it answers: a
// fixed allowance for the entry and its headers (Node caps a request's headers at
// 16 KiB), the URL twice (url and absoluteUrl), the body kept, and the size of the
// mapping that answered — shared in memory, but repeated in every entry of a listing
// (stubMapping and responseDefinition), so a large mapping that answered many requests
// cannot make one read of the journal large either.
import { RingBuffer, type Exchange, type ExchangeRequest } from '@understudy/plugin-sdk';
import type { RequestMatcher } from './matcher/request.js';
import type { ResponseDefinition, StubMapping } from './mapping/types.js';

/** WireMock's `LoggedRequest`, plus the marker of a body the journal cut. */
export interface LoggedRequest {
  url: string;
  absoluteUrl: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, { key: string; values: string[] }>;
  /** The body as received, or its first `journal.maxBodyBytes` bytes when `bodyTruncated`. */
  body: string;
  /** Only when the body was cut: the journal keeps its first `journal.maxBodyBytes` bytes. */
  bodyTruncated?: true;
  /** Only when the body was cut: its size as received, in UTF-8 bytes. */
  originalBodyBytes?: number;
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

/** The mapping that answered a request, with its size as the journal counts it. */
export interface ServedMapping {
  mapping: StubMapping;
  /** Estimated bytes the mapping adds to a listed entry (see compileMapping). */
  bytes: number;
}

export interface JournalLimits {
  /** Entries kept; 0 disables the journal. */
  maxEntries: number;
  /** Estimated bytes of all entries together. */
  maxBytes: number;
  /** Longest body kept, in UTF-8 bytes; longer ones are cut. */
  maxBodyBytes: number;
}

/** What the journal holds and what it had to let go, for GET /__admin/requests' `meta`. */
export interface JournalStats {
  /** Entries dropped to stay under maxEntries or maxBytes (since start). */
  dropped: number;
  /** Estimated bytes held now, and the cap. */
  bytes: number;
  maxBytes: number;
  /** Entries whose body was cut (since start), and the bytes cut from them. */
  truncated: number;
  truncatedBytes: number;
}

/** What the hot path keeps: the ServeEvent is built only when someone reads it. */
interface Entry {
  seq: number;
  request: ExchangeRequest;
  /** Size of the body as received, when the journal kept only part of it. */
  originalBodyBytes: number | undefined;
  status: number;
  responseHeaders: Exchange['request']['headers'];
  stub: StubMapping | undefined;
  at: number;
  addedDelay: number;
  totalTime: number;
  /** Estimated size (see the file's header). */
  bytes: number;
}

/** The allowance for an entry's fields and headers, in bytes (see the file's header). */
export const ENTRY_OVERHEAD_BYTES = 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The longest start of `text` that fits in `maxBytes` of UTF-8, never splitting a
 * character: TextEncoder.encodeInto writes whole characters only. The result is a new
 * string decoded from those bytes, not `text.slice()`: V8 makes a long slice a view of
 * its parent, so a 64 KiB slice kept in the journal would keep the whole 10 MB body
 * alive (measured: 40 × 10 MB requests left RSS at 606 MB after a GC with slices).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = new Uint8Array(maxBytes);
  // maxBytes UTF-16 units take at least maxBytes bytes, so they are enough to fill the
  // buffer; a pair the slice cut in half is never written (its stand-in, U+FFFD, takes 3
  // bytes, and the units before it leave at most 1)
  const { written } = encoder.encodeInto(text.slice(0, maxBytes), bytes);
  return decoder.decode(bytes.subarray(0, written));
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = [v].flat().join(', ');
  return out;
}

function toServeEvent(id: string, { request, originalBodyBytes, status, responseHeaders, stub, at, addedDelay, totalTime }: Entry): ServeEvent {
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
      ...(originalBodyBytes !== undefined && { bodyTruncated: true as const, originalBodyBytes }),
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

/** The request journal: bounded by count and bytes, oldest dropped first and counted. */
export class Journal {
  private readonly entries: RingBuffer<Entry>;
  private seq = 0;
  private truncated = 0;
  private truncatedBytes = 0;
  readonly maxEntries: number;

  constructor(
    private readonly limits: JournalLimits,
    private readonly idOf: (seq: number) => string,
  ) {
    this.maxEntries = limits.maxEntries;
    this.entries = new RingBuffer(limits.maxEntries, { maxBytes: limits.maxBytes, sizeOf: (e) => e.bytes });
  }

  /** Entries dropped because the journal was full (by count or by bytes). */
  get dropped(): number {
    return this.entries.dropped;
  }

  get disabled(): boolean {
    return this.maxEntries === 0;
  }

  stats(): JournalStats {
    return {
      dropped: this.entries.dropped,
      bytes: this.entries.bytes,
      maxBytes: this.limits.maxBytes,
      truncated: this.truncated,
      truncatedBytes: this.truncatedBytes,
    };
  }

  record(ex: Exchange, served: ServedMapping | undefined): void {
    if (this.disabled) return;
    const { response } = ex;
    let { request } = ex;
    let originalBodyBytes: number | undefined;
    let bodyBytes = 0;
    const { body } = request;
    if (body.length > 0) {
      const { maxBodyBytes } = this.limits;
      // a UTF-8 character takes at most 3 bytes per UTF-16 unit: short bodies need no count
      bodyBytes = body.length * 3 <= maxBodyBytes ? body.length : Buffer.byteLength(body);
      if (bodyBytes > maxBodyBytes) {
        const kept = truncateUtf8(body, maxBodyBytes);
        originalBodyBytes = bodyBytes;
        bodyBytes = Buffer.byteLength(kept);
        this.truncated++;
        this.truncatedBytes += originalBodyBytes - bodyBytes;
        // a copy without the whole body, so the journal does not keep the original alive
        const { method, url, path, query, headers } = request;
        request = { method, url, path, query, headers, body: kept };
      }
    }
    this.entries.push({
      seq: ++this.seq,
      request,
      originalBodyBytes,
      status: response?.status ?? 404,
      responseHeaders: response?.headers ?? {},
      stub: served?.mapping,
      at: ex.startedAt,
      addedDelay: response?.delayMs ?? 0,
      totalTime: (ex.endedAt ?? ex.startedAt) - ex.startedAt,
      bytes: ENTRY_OVERHEAD_BYTES + 2 * request.url.length + bodyBytes + (served?.bytes ?? 0),
    });
  }

  /** Newest first, as WireMock lists them; optionally only those matching a pattern. */
  list(filter?: (e: ServeEvent) => boolean): ServeEvent[] {
    const events = this.entries.toArray().reverse().map(this.toServeEvent);
    return filter ? events.filter(filter) : events;
  }

  /** Entries whose request matches a pattern (on the body as kept), newest first. */
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
