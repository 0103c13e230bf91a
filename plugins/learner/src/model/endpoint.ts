// Learning one endpoint (method + template) from observations: counts and errors, first
// and last seen, latency (HDR histogram + EMA), the status mix, per status the content
// type, typical headers, body sizes, the merged response schema and a few real examples;
// the request body schema and the query parameters. Everything kept is redacted first
// (secrets.ts) and bounded (examples by count and bytes, header names, query names, a
// latency window). Pure: a model in, a new model out; the only state is a bounded cache of
// decoded histograms (decoding costs ~50–300 µs, more than the rest of an observation).
import { fieldMatcher, redactBody, redactHeaders, redactQuery } from './secrets.js';
import { inferSchema, mergeSchemas, scrubSecrets, typeOnly, type SchemaOptions } from './schema.js';
import { LatencyHistogram, nextEma } from './latency.js';
import { classify } from './classify.js';
import { mergeModels } from './endpoint-merge.js';
import type { EndpointModel, Example, JsonSchema, Observation, SegmentClass, StatusModel } from './types.js';
import { getOwn, setOwn } from './own.js';
import { compareToSchema } from './drift.js';

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
   * Schema sampling: after `after` JSON bodies of a status (or of the request), a body is
   * inferred and merged only when it does not fit the learned shape (a field added, removed
   * or of another type) or is the `every`-th; the rest are counted, not inferred. Defaults
   * 200 and 20; `every: 1` infers every body.
   */
  schemaSampling?: { after?: number; every?: number };
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
  const m = v?.split(';')[0].trim().toLowerCase();
  return m || undefined;
};

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

/** `observeAll` was not handed the parsed bodies: parse them here. */
const NOT_PARSED = Symbol('not parsed');

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
      sampling: { after: options.schemaSampling?.after ?? 200, every: options.schemaSampling?.every ?? 20 },
    };
  }

  /** The model after one more observation (`model` undefined = first one). `model` is not changed. */
  observe(model: EndpointModel | undefined, o: Observation, match: TemplateMatchLike): EndpointModel {
    return this.observeAll(model, [o], match);
  }

  /**
   * The model after several observations of the endpoint: the same as observing one at a
   * time, but the histogram is encoded and summarised once (use it when draining a batch).
   * `bodies[i]`: the parsed JSON response body of `observations[i]`, when the caller has it
   * (parsed once); `fits[i]` true: that body is known to fit the status's schema (the drift
   * rule walked it), so schema sampling need not check it again.
   */
  observeAll(model: EndpointModel | undefined, observations: readonly Observation[], match: TemplateMatchLike, bodies?: readonly unknown[], fits?: readonly boolean[]): EndpointModel {
    if (observations.length === 0 && model) return model;
    const method = (observations[0]?.method ?? model?.method ?? 'GET').toUpperCase();
    const key = `${method} ${match.template}`;
    const m: EndpointModel = model
      ? { ...model, statuses: model.statuses.map((s) => ({ ...s })), query: { ...model.query }, recentLatencyMs: [...(model.recentLatencyMs ?? [])] }
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
      this.learnQuery(m, o);
      this.learnRequest(m, o);
      if (!o.failure) this.learnStatus(m, o, match, bodies ? bodies[i] : NOT_PARSED, fits?.[i] === true);
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

  private learnQuery(m: EndpointModel, o: Observation) {
    const isSecret = fieldMatcher(this.o.secrets.fields);
    for (const [name, raw] of Object.entries(o.query ?? {})) {
      const known = getOwn(m.query, name);
      if (!known && Object.keys(m.query).length >= this.o.maxQueryParams) {
        m.queryDropped = (m.queryDropped ?? 0) + 1;
        continue;
      }
      const inferred = inferSchema(Array.isArray(raw) ? raw.map(queryValue) : queryValue(raw), this.o.schema);
      // a secret's values never reach the schema (bounds and enum values would keep them)
      const schema = isSecret(name) ? { $schema: inferred.$schema, ...typeOnly(inferred) } : inferred;
      setOwn(m.query, name, known ? { count: known.count + 1, schema: mergeSchemas(known.schema, schema, this.o.schema) } : { count: 1, schema });
    }
  }

  private learnRequest(m: EndpointModel, o: Observation) {
    const body = parseJsonBody(o.requestBody, mediaType(o.requestHeaders?.['content-type']));
    if (body === undefined) return;
    m.requestBodies = (m.requestBodies ?? 0) + 1;
    if (!this.sampled(m.requestSchema, m.requestBodies, body)) return;
    const schema = this.schemaOf(body);
    m.requestSchema = m.requestSchema ? mergeSchemas(m.requestSchema, schema, this.o.schema) : schema;
  }

  /**
   * Whether the `n`-th JSON body is inferred into `schema` (see `schemaSampling`): always
   * while the schema is young, then every `every`-th, and any body whose shape the schema
   * does not describe (checked by the drift rule's walk, stopping at the first difference).
   */
  private sampled(schema: JsonSchema | undefined, n: number, body: unknown, fits = false): boolean {
    const { after, every } = this.o.sampling;
    if (!schema || n <= after || n % every === 0) return true;
    return !fits && compareToSchema(schema, body, { key: '', at: 0 }, 1).length > 0;
  }

  private learnStatus(m: EndpointModel, o: Observation, match: TemplateMatchLike, parsed: unknown, fits: boolean) {
    let i = m.statuses.findIndex((s) => s.status === o.status);
    if (i < 0) {
      m.statuses.push({ status: o.status, count: 0, headers: {}, bodyBytes: { min: o.responseBytes, max: o.responseBytes, mean: 0 }, examples: [], contentTypes: {}, headerStats: {}, exampleBytes: 0 });
      i = m.statuses.length - 1;
    }
    const s: StatusModel = { ...m.statuses[i], contentTypes: { ...m.statuses[i].contentTypes }, headerStats: { ...m.statuses[i].headerStats } };
    m.statuses[i] = s;
    s.count++;
    const bytes = Math.max(0, o.responseBytes || 0);
    s.bodyBytes = { min: Math.min(s.bodyBytes.min, bytes), max: Math.max(s.bodyBytes.max, bytes), mean: s.bodyBytes.mean + (bytes - s.bodyBytes.mean) / s.count };
    const media = mediaType(o.responseHeaders?.['content-type']);
    if (media) {
      const cts = s.contentTypes!;
      if (getOwn(cts, media) !== undefined || Object.keys(cts).length < 8) setOwn(cts, media, (getOwn(cts, media) ?? 0) + 1);
      s.contentType = Object.entries(cts).sort((a, b) => b[1] - a[1])[0][0];
    }
    this.learnHeaders(s, o);
    const body = parsed === NOT_PARSED ? parseJsonBody(o.responseBody, media) : parsed;
    if (body !== undefined) {
      s.jsonBodies = (s.jsonBodies ?? 0) + 1;
      if (this.sampled(s.schema, s.jsonBodies, body, fits)) {
        const schema = this.schemaOf(body);
        s.schema = s.schema ? mergeSchemas(s.schema, schema, this.o.schema) : schema;
      }
    }
    if (o.responseBody !== undefined) this.keepExample(s, o, match, media);
  }

  private learnHeaders(s: StatusModel, o: Observation) {
    const stats = s.headerStats!;
    const redacted = redactHeaders(o.responseHeaders ?? {}, this.o.secrets.headers);
    for (const [name, value] of Object.entries(redacted)) {
      if (NOT_TYPICAL.has(name) || value === undefined) continue;
      const known = getOwn(stats, name);
      if (!known && Object.keys(stats).length >= this.o.maxHeaders) continue;
      setOwn(stats, name, { count: (known?.count ?? 0) + 1, value: first(value)!.slice(0, 1024) });
    }
    s.headers = {};
    for (const [name, st] of Object.entries(stats)) if (st.count >= this.o.typicalHeaderShare * s.count) setOwn(s.headers, name, st.value);
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
