import type { Readable } from 'node:stream';

export type Headers = Record<string, string | string[] | undefined>;

export interface ExchangeRequest {
  method: string;
  /** Path and query as received, e.g. `/users/1?full=true`. */
  url: string;
  /** Path without the query. */
  path: string;
  /** Parsed query; frozen and shared when the URL has none, so replace it rather than mutate it. */
  query: Record<string, string | string[]>;
  /** Lower-case header names. May be shared between exchanges: replace it, never mutate it. */
  headers: Headers;
  /** Raw body as text ('' when none). */
  body: string;
  /**
   * The body's bytes as received, when it came over HTTP with one (the catch-all sets
   * it): `body` is their UTF-8 decoding, which mangles binary uploads a proxy forwards.
   */
  rawBody?: Buffer;
  /** The client's address, when it came over HTTP (a proxy's X-Forwarded-For). */
  remoteAddress?: string;
}

/** Ways a response can break the connection instead of answering (WireMock's names). */
export const CONNECTION_FAULTS = ['CONNECTION_RESET_BY_PEER', 'EMPTY_RESPONSE', 'MALFORMED_RESPONSE_CHUNK', 'RANDOM_DATA_THEN_CLOSE'] as const;
export type ConnectionFault = (typeof CONNECTION_FAULTS)[number];

export interface ExchangeResponse {
  status: number;
  /** May be shared between responses (a stub's fixed headers): replace it, never mutate it. */
  headers: Headers;
  /**
   * A stream is piped to the client as it arrives (a proxied upstream body): taps that
   * read or rewrite bodies leave a stream alone, and it can be consumed only once.
   */
  body: string | Buffer | Readable;
  /** Delay (ms, kernel clock) applied before the response is sent. */
  delayMs?: number;
  /** Over HTTP, break the connection this way instead of sending the response. */
  fault?: ConnectionFault;
}

export interface ExchangeContext {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  /** Number of hops from the original caller; guarded by `maxHops`. */
  hops: number;
  /** Service that made this call, if any. */
  caller?: string;
  /** Free-form annotations from plugins (breaker state, injected faults, …). */
  tags: Record<string, unknown>;
  /**
   * Why each plugin did not respond, keyed by plugin name. Included in the 404 the
   * kernel returns when no plugin responds (e.g. stubs' near misses).
   */
  unmatched: Record<string, unknown>;
}

export interface Exchange {
  id: string;
  protocol: string;
  service?: string;
  endpoint?: string;
  request: ExchangeRequest;
  response?: ExchangeResponse;
  /** Set when a tap failed; the kernel then answers 500 and `settled` still runs. */
  error?: Error;
  context: ExchangeContext;
  /**
   * Private per-exchange state of plugins, each under a symbol of its own (never
   * serialised, never shared). Cheaper for the garbage collector than a WeakMap keyed
   * by exchange, which every plugin would otherwise keep.
   */
  locals: Record<symbol, unknown>;
  /** Kernel clock time when the exchange was created. */
  startedAt: number;
  /** Kernel clock time when the pipeline finished. */
  endedAt?: number;
}

/** What a caller gives to dispatch(): everything but the request is optional. */
export type ExchangeInit = Partial<Omit<Exchange, 'request' | 'context' | 'locals'>> & {
  /** Initial private state, e.g. what a child call inherits from the plugin that made it. */
  locals?: Record<symbol, unknown>;
  /** A partial request is completed (path and query from the URL, header names lower-cased). */
  request: Partial<ExchangeRequest> & { method?: string; url: string };
  context?: Partial<ExchangeContext>;
};

/**
 * What a plugin gives to `dispatch.child()`: the call itself. Hops, caller, trace ids
 * and inherited locals come from the parent; `context.tags` may start the child's tags.
 */
export type ChildInit = Pick<ExchangeInit, 'protocol' | 'service' | 'endpoint' | 'request' | 'locals'> & {
  context?: Pick<Partial<ExchangeContext>, 'tags'>;
};
