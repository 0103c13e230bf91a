// Learning one endpoint (method + template) from observations: counts and errors, first
// and last seen, latency (HDR histogram + EMA), the status mix, per status the content
// type, typical headers, body sizes, the merged response schema and a few real examples;
// the request body schema and the query parameters. Everything kept is redacted first
// (secrets.ts) and bounded (examples by count and bytes, header names, query names, a
// latency window). Pure: a model in, a new model out; the only state is a bounded cache of
// decoded histograms (decoding costs ~50–300 µs, more than the rest of an observation).
// Sampled learning (`learnsInFull`, README "Sampled learning"): counts, latency, the status
// mix and sizes from every observation; the body (parsed, inferred, merged), headers and
// examples only from those learned in full — ≈ 40 µs each against ≈ 3.5 µs for the rest
// (the proxy bench's 158-byte body, 4,000-observation batches).
import { fieldMatcher, redactBody, redactHeaders, redactQuery } from './secrets.js';
import { inferSchema, mergeSchemas, scrubSecrets, typeOnly, type SchemaOptions } from './schema.js';
import { LatencyHistogram, nextEma } from './latency.js';
import { classify } from './classify.js';
import { mergeModels } from './endpoint-merge.js';
import type { EndpointModel, Example, JsonSchema, Observation, SegmentClass, StatusModel } from './types.js';
import { getOwn, setOwn } from './own.js';
import { compareToSchema } from './drift.js';
import { topLevelFits } from './shape.js';

export interface EndpointLearnerOptions {
  examples?: { maxPerStatus?: number; maxBytes?: number };
  secrets?: { headers?: string[]; fields?: string[] };
  schema?: SchemaOptions;
  /** A header is typical when on at least this share of a status's responses (default 0.9). */
  typicalHeaderShare?: number;
  /** Header names tracked per status (default 48). */
  maxHeaders?: number;
  /** Query parameter names learned per endpoint (default 50). */
  maxQueryParams?: number;
  /** Latencies kept for the drift rule's window (default 50). */
  latencyWindow?: number;
  /**
   * Sampled learning (see `learnsInFull`): a status's first `after` observations are learned
   * in full, then every `every`-th and any that looks new (another media type, a JSON body
   * whose top level does not fit the schema); the rest only counted. Defaults 200 and 50;
   * `every: 1` learns every observation in full.
   */
  sampling?: { after?: number; every?: number };
  /** Flat spellings of examples.maxPerStatus, examples.maxBytes, secrets.headers, secrets.fields. */
  maxExamples?: number;
  maxExampleBytes?: number;
  secretHeaders?: string[];
  secretFields?: string[];
}

export interface TemplateMatchLike {
  template: string;
  params: Record<string, string>;
  classes?: Record<string, SegmentClass>;
}

/** Headers that describe one transfer, not the endpoint: never typical (RFC 9110 §7.6.1 hop-by-hop, sizes, dates). */
const NOT_TYPICAL = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'content-length',
  'date',
  'age',
  'content-type',
]);

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaType = (value: string | string[] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  // the same header text comes with nearly every observation (and is asked for up to 3 times each)
  if (v === lastMedia.text) return lastMedia.media;
  const m = v?.split(';')[0].trim().toLowerCase() || undefined;
  lastMedia.text = v;
  lastMedia.media = m;
  return m;
};
const lastMedia: { text: string | undefined; media: string | undefined } = { text: undefined, media: undefined };

export const isJsonMedia = (media: string | undefined) => !!media && (media === 'application/json' || media.endsWith('+json') || media === 'text/json');

/** Parse a JSON body (undefined when it is not JSON). */
export function parseJsonBody(text: string | undefined, contentType: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  const t = text.trimStart();
  if (!isJsonMedia(contentType) && !t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether a text body is treated as JSON (its media type says so, or it starts like an object or array). */
export function looksJson(text: string, contentType: string | undefined): boolean {
  if (isJsonMedia(contentType)) return true;
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

export interface ObserveOptions {
  /** The parsed JSON response body of observation i (asked only for bodies learned in full). */
  body?: (i: number) => unknown;
  /** Filled in: true at i when observation i was learned in full. */
  full?: boolean[];
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);

/** Query values as JSON values, so their schema says integer / boolean where they are. */
export function queryValue(v: string): unknown {
  if (/^-?(0|[1-9]\d{0,15})$/.test(v)) return Number(v);
  if (/^-?(0|[1-9]\d*)\.\d+$/.test(v) && v.length < 20) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}

export class EndpointLearner {
  private readonly o: Required<Pick<EndpointLearnerOptions, 'typicalHeaderShare' | 'maxHeaders' | 'maxQueryParams' | 'latencyWindow'>> & {
    examples: { maxPerStatus: number; maxBytes: number };
    secrets: { headers: string[]; fields: string[] };
    schema: SchemaOptions;
    sampling: { after: number; every: number };
  };
  private readonly histograms = new Map<string, { encoded: string; h: LatencyHistogram }>();
  private static readonly CACHE = 1024;

  constructor(options: EndpointLearnerOptions = {}) {
    this.o = {
      examples: { maxPerStatus: options.examples?.maxPerStatus ?? options.maxExamples ?? 5, maxBytes: options.examples?.maxBytes ?? options.maxExampleBytes ?? 64 * 1024 },
      secrets: { headers: options.secrets?.headers ?? options.secretHeaders ?? [], fields: options.secrets?.fields ?? options.secretFields ?? [] },
      schema: options.schema ?? {},
      typicalHeaderShare: options.typicalHeaderShare ?? 0.9,
      maxHeaders: options.maxHeaders ?? 48,
      maxQueryParams: options.maxQueryParams ?? 50,
      latencyWindow: options.latencyWindow ?? 50,
      sampling: { after: options.sampling?.after ?? 200, every: options.sampling?.every ?? 50 },
    };
  }

  /** The model after one more observation (`model` undefined = first one). `model` is not changed. */
  observe(model: EndpointModel | undefined, o: Observation, match: TemplateMatchLike): EndpointModel {
    return this.observeAll(model, [o], match);
  }

  /**
   * The model after several observations of the endpoint: the same as observing one at a
   * time, but the histogram is encoded and summarised once (use it when draining a batch).
   * Each observation is learned in full or on the light path (`sampling`, see
   * `learnsInFull`); `options.full[i]` tells which, `options.body(i)` hands over the parsed
   * JSON response body of `observations[i]` when the caller parses it anyway (it is asked
   * only for bodies learned in full).
   */
  observeAll(model: EndpointModel | undefined, observations: readonly Observation[], match: TemplateMatchLike, options: ObserveOptions = {}): EndpointModel {
    if (observations.length === 0 && model) return model;
    const method = (observations[0]?.method ?? model?.method ?? 'GET').toUpperCase();
    const key = `${method} ${match.template}`;
    const m: EndpointModel = model
      ? {
          ...model,
          // copied once per call (not per observation): the model handed in is not changed
          statuses: model.statuses.map((s) => ({ ...s, bodyBytes: { ...s.bodyBytes }, contentTypes: { ...s.contentTypes }, headerStats: { ...s.headerStats } })),
          query: { ...model.query },
          recentLatencyMs: [...(model.recentLatencyMs ?? [])],
        }
      : {
          key,
          method,
          template: match.template,
          params: {},
          query: {},
          upstream: observations[0]?.upstream ?? 'default',
          count: 0,
          errors: 0,
          firstSeen: observations[0]?.at ?? 0,
          lastSeen: observations[0]?.at ?? 0,
          latency: LatencyHistogram.empty().summary(),
          latencyHistogram: '',
          statuses: [],
          recentLatencyMs: [],
        };
    m.key = key;
    m.template = match.template;
    m.params = { ...m.params };
    for (const [name, value] of Object.entries(match.params)) m.params[name] = match.classes?.[name] ?? m.params[name] ?? classify(value) ?? 'string';
    const h = this.histogram(key, m.latencyHistogram);
    let ema = m.count ? m.latency.emaMs : undefined;
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i];
      m.count++;
      if (o.status >= 500 || o.failure) m.errors++;
      m.firstSeen = Math.min(m.firstSeen, o.at);
      m.lastSeen = Math.max(m.lastSeen, o.at);
      m.upstream = o.upstream;
      if (Number.isFinite(o.latencyMs) && o.latencyMs >= 0) {
        h.record(o.latencyMs);
        ema = nextEma(ema, o.latencyMs);
        m.recentLatencyMs!.push(o.latencyMs);
      }
      const full = !o.failure && this.learnStatus(m, o, match, options, i);
      this.learnQuery(m, o, full);
      this.learnRequest(m, o);
      if (options.full) options.full[i] = full;
    }
    if (m.recentLatencyMs!.length > this.o.latencyWindow) m.recentLatencyMs = m.recentLatencyMs!.slice(-this.o.latencyWindow);
    m.statuses.sort((a, b) => a.status - b.status);
    m.latency = h.summary(ema);
    m.latencyHistogram = h.encode();
    this.remember(key, m.latencyHistogram, h);
    return m;
  }

  /**
   * One model from several (a template change merged them): counts added, histograms and
   * schemas merged, examples kept within the bounds. All must have the same method.
   */
  merge(models: readonly EndpointModel[], into: TemplateMatchLike & { template: string }): EndpointModel {
    const merged = mergeModels(models, into.template, this.o.examples, this.o.schema);
    this.histograms.delete(merged.key);
    return merged;
  }

  private histogram(key: string, encoded: string): LatencyHistogram {
    const cached = this.histograms.get(key);
    // the cache holds the histogram behind the last model this learner returned for the key
    if (cached && cached.encoded === encoded) return cached.h;
    return LatencyHistogram.decode(encoded);
  }

  private remember(key: string, encoded: string, h: LatencyHistogram) {
    this.histograms.delete(key);
    if (this.histograms.size >= EndpointLearner.CACHE) this.histograms.delete(this.histograms.keys().next().value!);
    this.histograms.set(key, { encoded, h });
  }

  /** The schema of a body, secret fields reduced to their type. */
  private schemaOf(body: unknown): JsonSchema {
    return scrubSecrets(inferSchema(body, this.o.schema), fieldMatcher(this.o.secrets.fields));
  }

  /** Query parameters: every one counted; a value's schema merged on the full path, and always for a name not seen before. */
  private learnQuery(m: EndpointModel, o: Observation, full: boolean) {
    const query = o.query;
    if (!query) return;
    let isSecret: ((name: string) => boolean) | undefined;
    for (const name in query) {
      if (!Object.hasOwn(query, name)) continue;
      const raw = query[name];
      const known = getOwn(m.query, name);
      if (!known && Object.keys(m.query).length >= this.o.maxQueryParams) {
        m.queryDropped = (m.queryDropped ?? 0) + 1;
        continue;
      }
      if (known && !full) {
        setOwn(m.query, name, { count: known.count + 1, schema: known.schema });
        continue;
      }
      isSecret ??= fieldMatcher(this.o.secrets.fields);
      const inferred = inferSchema(Array.isArray(raw) ? raw.map(queryValue) : queryValue(raw), this.o.schema);
      // a secret's values never reach the schema (bounds and enum values would keep them)
      const schema = isSecret(name) ? { $schema: inferred.$schema, ...typeOnly(inferred) } : inferred;
      setOwn(m.query, name, known ? { count: known.count + 1, schema: mergeSchemas(known.schema, schema, this.o.schema) } : { count: 1, schema });
    }
  }

  /**
   * The request body: counted when JSON; inferred while the request schema is young (the
   * first `after` bodies), every `every`-th, and whenever its top level does not fit the
   * schema (shape.ts — a fitting body is not parsed at all).
   */
  private learnRequest(m: EndpointModel, o: Observation) {
    const text = o.requestBody;
    if (text === undefined || text === '') return;
    const media = mediaType(o.requestHeaders?.['content-type']);
    const n = (m.requestBodies ?? 0) + 1;
    const { after, every } = this.o.sampling;
    if (m.requestSchema && n > after && n % every !== 0 && looksJson(text, media) && topLevelFits(text, m.requestSchema) === true) {
      m.requestBodies = n;
      return;
    }
    const body = parseJsonBody(text, media);
    if (body === undefined) return;
    m.requestBodies = n;
    const schema = this.schemaOf(body);
    m.requestSchema = m.requestSchema ? mergeSchemas(m.requestSchema, schema, this.o.schema) : schema;
  }

  /**
   * Whether an observation of status `s` (already counted) is learned in full — its body
   * parsed, inferred and merged into the schema, its headers and example learned, the drift
   * rule's body walk — or on the light path (everything counted, nothing parsed):
   * in full while the status is young (its first `after` observations, and again for `after`
   * after a body changed its shape), every `every`-th observation, a media type other than
   * the status's usual one, and any JSON body whose top level does not fit the schema.
   * Depends only on counts and the observation: the same traffic learns the same model in
   * one batch or in many.
   */
  private learnsInFull(s: StatusModel, media: string | undefined, text: string | undefined): boolean {
    const { after, every } = this.o.sampling;
    if (s.count - (s.shapeSince ?? 0) <= after || s.count % every === 0 || media !== s.contentType) return true;
    if (text === undefined || text === '' || !looksJson(text, media)) return false;
    return !s.schema || topLevelFits(text, s.schema) !== true;
  }

  /** Learn the status part of `o`; true when it was learned in full (`learnsInFull`). */
  private learnStatus(m: EndpointModel, o: Observation, match: TemplateMatchLike, options: ObserveOptions, i: number): boolean {
    let s: StatusModel | undefined;
    for (const st of m.statuses) if (st.status === o.status) s = st;
    if (!s) {
      s = { status: o.status, count: 0, headers: {}, bodyBytes: { min: o.responseBytes, max: o.responseBytes, mean: 0 }, examples: [], contentTypes: {}, headerStats: {}, exampleBytes: 0, shapeSince: 0, headerSamples: 0 };
      m.statuses.push(s);
    }
    s.count++;
    const bytes = Math.max(0, o.responseBytes || 0);
    // this call's own copy (observeAll): updated in place
    const bb = s.bodyBytes;
    bb.min = Math.min(bb.min, bytes);
    bb.max = Math.max(bb.max, bytes);
    bb.mean += (bytes - bb.mean) / s.count;
    const media = mediaType(o.responseHeaders?.['content-type']);
    const text = o.responseBody;
    const full = this.learnsInFull(s, media, text);
    if (media) {
      const cts = s.contentTypes!;
      const had = getOwn(cts, media);
      if (had !== undefined || Object.keys(cts).length < 8) setOwn(cts, media, (had ?? 0) + 1);
      // the most frequent (the first seen among equals)
      if (s.contentType === undefined || (media !== s.contentType && (getOwn(cts, media) ?? 0) > (getOwn(cts, s.contentType) ?? 0))) s.contentType = media;
    }
    if (!full) {
      if (text !== undefined && text !== '' && looksJson(text, media)) s.jsonBodies = (s.jsonBodies ?? 0) + 1;
      return false;
    }
    this.learnHeaders(s, o);
    const body = options.body ? options.body(i) : parseJsonBody(text, media);
    if (body !== undefined) {
      s.jsonBodies = (s.jsonBodies ?? 0) + 1;
      // a body of another shape: the status is young again (learned in full for `after` more)
      if (s.schema && compareToSchema(s.schema, body, { key: '', at: 0 }, 1).length > 0) s.shapeSince = s.count;
      const schema = this.schemaOf(body);
      s.schema = s.schema ? mergeSchemas(s.schema, schema, this.o.schema) : schema;
    }
    if (text !== undefined) this.keepExample(s, o, match, media);
    return true;
  }

  /** Typical headers: those on at least `typicalHeaderShare` of the observations whose headers were learned. */
  private learnHeaders(s: StatusModel, o: Observation) {
    const stats = s.headerStats!;
    // models saved before headers were sampled learned them from every observation
    const samples = (s.headerSamples ?? s.count - 1) + 1;
    s.headerSamples = samples;
    const redacted = redactHeaders(o.responseHeaders ?? {}, this.o.secrets.headers);
    for (const [name, value] of Object.entries(redacted)) {
      if (NOT_TYPICAL.has(name) || value === undefined) continue;
      const known = getOwn(stats, name);
      if (!known && Object.keys(stats).length >= this.o.maxHeaders) continue;
      setOwn(stats, name, { count: (known?.count ?? 0) + 1, value: first(value)!.slice(0, 1024) });
    }
    s.headers = {};
    for (const [name, st] of Object.entries(stats)) if (st.count >= this.o.typicalHeaderShare * samples) setOwn(s.headers, name, st.value);
  }

  private keepExample(s: StatusModel, o: Observation, match: TemplateMatchLike, media: string | undefined) {
    const { maxPerStatus, maxBytes } = this.o.examples;
    if (s.examples.length >= maxPerStatus) return;
    // the same text as a kept example: redacting it again would give that example back
    if (s.examples.some((e) => e.body === o.responseBody)) return;
    const body = redactBody(o.responseBody!, this.o.secrets.fields);
    const requestBody = o.requestBody === undefined ? undefined : redactBody(o.requestBody, this.o.secrets.fields);
    const size = body.length + (requestBody?.length ?? 0);
    const used = s.exampleBytes ?? 0;
    if (used + size > maxBytes) return;
    // one example per distinct body: five copies of the same answer teach nothing
    if (s.examples.some((e) => e.body === body)) return;
    const example: Example = { path: o.path, params: { ...match.params }, query: redactQuery(o.query ?? {}, this.o.secrets.fields), body, at: o.at };
    if (requestBody !== undefined) example.requestBody = requestBody;
    if (media) example.contentType = media;
    s.examples = [...s.examples, example];
    s.exampleBytes = used + size;
  }
}

export type { JsonSchema };
