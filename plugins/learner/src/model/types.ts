// The learner's data model, shared by its parts: what the proxy (or a HAR import) observes,
// and what the learner keeps per endpoint. Plain, JSON-serialisable objects, so the storage
// layer can save a model as it is and load it back after a restart, on SQLite or PostgreSQL.
import type { Headers } from '@understudy/plugin-sdk';

/** A JSON Schema (draft 2020-12) as learned: a plain object. */
export type JsonSchema = { [keyword: string]: unknown };

/** One request/response pair seen on the wire (already off the hot path when learned). */
export interface Observation {
  /** Kernel clock time (ms) when the request arrived. */
  at: number;
  method: string;
  /** Path without the query, as received (`/users/123`). */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names. Secrets are still in clear here: the learner redacts before it keeps anything. */
  requestHeaders: Headers;
  /** Text body when it is text/JSON and within the capture limit; undefined otherwise. */
  requestBody?: string;
  status: number;
  responseHeaders: Headers;
  responseBody?: string;
  /** Bytes of the whole response body (even when the text was not captured). */
  responseBytes: number;
  /** Time from request to the end of the response body, ms. */
  latencyMs: number;
  /** Name of the upstream target (config `targets[].name`, default `default`). */
  upstream: string;
  /** Where it came from. */
  source: 'proxy' | 'har';
  /** A transport failure instead of a response (status is then 502/504 as the proxy answered). */
  failure?: 'timeout' | 'connect' | 'reset';
}

/**
 * Value classes a path segment can have; a parameter has one consistent class. `string` is a
 * position that takes any segment: one the user merged words into, or one that collapsed
 * because it had more distinct words than routes ever have (model/templates.ts).
 */
export type SegmentClass = 'integer' | 'uuid' | 'ulid' | 'hex' | 'date' | 'slug' | 'string';

/** Latency distribution: percentiles from an HDR histogram plus an EMA. */
export interface LatencySummary {
  count: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** Exponential moving average (alpha in the summary's docs), kept for users who asked for it. */
  emaMs: number;
  /** 5th percentile (the lower edge of the drift band; optional for models saved before it). */
  p5Ms?: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** A redacted real example, kept in a small bounded set per endpoint and status. */
export interface Example {
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  requestBody?: string;
  body: string;
  contentType?: string;
  at: number;
}

/** What is known about one status code of an endpoint. */
export interface StatusModel {
  status: number;
  count: number;
  contentType?: string;
  /** Response body schema (JSON bodies only). */
  schema?: JsonSchema;
  /** Headers seen on (nearly) every response of this status, redacted, hop-by-hop removed. */
  headers: Record<string, string>;
  bodyBytes: { min: number; max: number; mean: number };
  examples: Example[];
  /** Content types seen with their counts (bounded); `contentType` is the most frequent. */
  contentTypes?: Record<string, number>;
  /** Per header name: responses carrying it and its last (redacted) value (bounded); `headers` is derived. */
  headerStats?: Record<string, { count: number; value: string }>;
  /** Bytes of `examples` (bodies and request bodies), kept under the configured cap. */
  exampleBytes?: number;
  /** JSON bodies seen (each counted; past the sampling threshold not each one is inferred into `schema`). */
  jsonBodies?: number;
  /** Observations whose headers were learned (sampled learning): `headers` are those on ≥ 90 % of them. Absent: every observation. */
  headerSamples?: number;
  /** `count` when a body last changed the schema's shape: the status is learned in full for `sampling.after` observations after it. */
  shapeSince?: number;
}

/** Everything the learner knows about one endpoint: method + path template. */
export interface EndpointModel {
  /** `GET /users/{userId}` */
  key: string;
  method: string;
  /** `/users/{userId}` */
  template: string;
  /** Parameter name → its value class. */
  params: Record<string, SegmentClass>;
  /** Query parameters: how often each was present and the schema of its values. */
  query: Record<string, { count: number; schema: JsonSchema }>;
  upstream: string;
  count: number;
  /** Responses with status >= 500 or a transport failure. */
  errors: number;
  firstSeen: number;
  lastSeen: number;
  latency: LatencySummary;
  /** The histogram itself, encoded (hdr-histogram-js base64), so it survives a restart and merges. */
  latencyHistogram: string;
  statuses: StatusModel[];
  /** Request body schema (JSON bodies of POST/PUT/PATCH). */
  requestSchema?: JsonSchema;
  /** JSON request bodies seen (see `StatusModel.jsonBodies`). */
  requestBodies?: number;
  /** Set when the user pinned this template through the admin API (never re-learned away). */
  pinned?: boolean;
  /** The last latencies (ms, oldest first, bounded): the window of the latency drift rule (model/drift.ts). */
  recentLatencyMs?: number[];
  /** Query parameter names not learned because the endpoint had too many (bounded). */
  queryDropped?: number;
}

/** What a mock answers with. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Latency sampled from the learned distribution, ms (kernel clock). */
  delayMs: number;
  /** How it was made: `synthesized`, `example`, `state` (stateful resource). */
  via: 'synthesized' | 'example' | 'state';
}

/** A change the learner saw against what it had learned (drift). */
export interface DriftChange {
  key: string;
  status?: number;
  kind: 'field-added' | 'field-removed' | 'type-changed' | 'status-new' | 'latency-shift' | 'content-type-changed';
  /** JSON Pointer into the body, for field changes (`/items/0/email`). */
  pointer?: string;
  before?: unknown;
  after?: unknown;
  at: number;
}
