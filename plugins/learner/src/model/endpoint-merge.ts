// Merging endpoint models when their templates became one (`/users/1`, `/users/2`,
// `/users/3` → `/users/{userId}`, or an admin merge): counts add up, histograms add,
// schemas merge, examples are kept within the same bounds as when learning. Kept apart from
// endpoint.ts, which learns one observation at a time.
import { LatencyHistogram } from './latency.js';
import { mergeSchemas, type SchemaOptions } from './schema.js';
import { parseTemplate } from './templates.js';
import type { EndpointModel, Example, JsonSchema, StatusModel } from './types.js';
import { getOwn, setOwn } from './own.js';

const mergeOptional = (a: JsonSchema | undefined, b: JsonSchema | undefined, o: SchemaOptions) => (a && b ? mergeSchemas(a, b, o) : (a ?? b));

function mergeStatus(a: StatusModel, b: StatusModel, examples: { maxPerStatus: number; maxBytes: number }, o: SchemaOptions): StatusModel {
  const count = a.count + b.count;
  const contentTypes: Record<string, number> = { ...a.contentTypes };
  for (const [t, n] of Object.entries(b.contentTypes ?? {})) if (getOwn(contentTypes, t) !== undefined || Object.keys(contentTypes).length < 8) setOwn(contentTypes, t, (getOwn(contentTypes, t) ?? 0) + n);
  const headerStats: Record<string, { count: number; value: string }> = { ...a.headerStats };
  for (const [h, st] of Object.entries(b.headerStats ?? {})) setOwn(headerStats, h, { count: (getOwn(headerStats, h)?.count ?? 0) + st.count, value: st.value });
  const headers: Record<string, string> = {};
  const stats = Object.entries(headerStats);
  // headers are counted over the observations whose headers were learned (sampled learning)
  const headerSamples = (a.headerSamples ?? a.count) + (b.headerSamples ?? b.count);
  // models saved without headerStats keep what they had
  if (stats.length) for (const [h, st] of stats) if (st.count >= 0.9 * headerSamples) setOwn(headers, h, st.value);
  const kept: Example[] = [];
  let bytes = 0;
  for (const e of [...a.examples, ...b.examples]) {
    const size = e.body.length + (e.requestBody?.length ?? 0);
    if (kept.length >= examples.maxPerStatus || bytes + size > examples.maxBytes || kept.some((k) => k.body === e.body)) continue;
    kept.push(e);
    bytes += size;
  }
  const top = Object.entries(contentTypes).sort((x, y) => y[1] - x[1])[0];
  return {
    status: a.status,
    count,
    ...((top?.[0] ?? a.contentType ?? b.contentType) !== undefined && { contentType: top?.[0] ?? a.contentType ?? b.contentType }),
    ...(mergeOptional(a.schema, b.schema, o) && { schema: mergeOptional(a.schema, b.schema, o) }),
    headers: stats.length ? headers : { ...b.headers, ...a.headers },
    bodyBytes: {
      min: Math.min(a.bodyBytes.min, b.bodyBytes.min),
      max: Math.max(a.bodyBytes.max, b.bodyBytes.max),
      mean: count ? (a.bodyBytes.mean * a.count + b.bodyBytes.mean * b.count) / count : 0,
    },
    examples: kept,
    contentTypes,
    headerStats,
    exampleBytes: bytes,
    ...((a.jsonBodies !== undefined || b.jsonBodies !== undefined) && { jsonBodies: (a.jsonBodies ?? 0) + (b.jsonBodies ?? 0) }),
    headerSamples,
    // bodies of several routes met: learned in full again until the merged shape is stable
    shapeSince: count,
  };
}

/** One model of `template` from models of the same method (coded 400 when methods differ). */
export function mergeModels(models: readonly EndpointModel[], template: string, examples: { maxPerStatus: number; maxBytes: number }, o: SchemaOptions = {}): EndpointModel {
  if (models.length === 0) throw new Error('mergeModels: no models to merge');
  const method = models[0].method;
  if (models.some((m) => m.method !== method)) throw new Error(`mergeModels: models of different methods (${[...new Set(models.map((m) => m.method))].join(', ')})`);
  const names = parseTemplate(template).parts.filter((p) => p.param).map((p) => p.param!);
  const h = LatencyHistogram.empty();
  const statuses = new Map<number, StatusModel>();
  const query: EndpointModel['query'] = {};
  const params: EndpointModel['params'] = {};
  let requestSchema: JsonSchema | undefined;
  let ema = 0;
  let count = 0;
  for (const m of models) {
    h.merge(LatencyHistogram.decode(m.latencyHistogram));
    ema += m.latency.emaMs * m.count;
    count += m.count;
    for (const s of m.statuses) statuses.set(s.status, statuses.has(s.status) ? mergeStatus(statuses.get(s.status)!, s, examples, o) : s);
    for (const [name, q] of Object.entries(m.query)) {
      const known = getOwn(query, name);
      setOwn(query, name, known ? { count: known.count + q.count, schema: mergeSchemas(known.schema, q.schema, o) } : q);
    }
    requestSchema = mergeOptional(requestSchema, m.requestSchema, o);
    for (const [name, cls] of Object.entries(m.params)) if (names.includes(name)) params[name] = cls;
  }
  const byRecency = [...models].sort((a, b) => a.lastSeen - b.lastSeen);
  const recent = byRecency.flatMap((m) => m.recentLatencyMs ?? []).slice(-50);
  const merged: EndpointModel = {
    key: `${method} ${template}`,
    method,
    template,
    params,
    query,
    upstream: byRecency[byRecency.length - 1].upstream,
    count,
    errors: models.reduce((n, m) => n + m.errors, 0),
    firstSeen: Math.min(...models.map((m) => m.firstSeen)),
    lastSeen: Math.max(...models.map((m) => m.lastSeen)),
    latency: h.summary(count ? ema / count : undefined),
    latencyHistogram: h.encode(),
    statuses: [...statuses.values()].sort((a, b) => a.status - b.status),
    recentLatencyMs: recent,
  };
  if (requestSchema) merged.requestSchema = requestSchema;
  const requestBodies = models.reduce((n, m) => n + (m.requestBodies ?? 0), 0);
  if (requestBodies) merged.requestBodies = requestBodies;
  if (models.some((m) => m.pinned)) merged.pinned = true;
  return merged;
}
