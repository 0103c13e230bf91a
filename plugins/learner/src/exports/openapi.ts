// Learned endpoints as an OpenAPI 3.1 document: a path per template (parameters from its
// `{name}`s, typed by class: integer, uuid and date as formats, the others as patterns),
// an operation per method with the learned query parameters (required when every request
// had it), the request body schema, and a response per status with its schema (OpenAPI 3.1
// schemas are JSON Schema 2020-12, so the learned ones go in as they are, minus the
// learner's bookkeeping keywords), typical headers and up to `examplesPerStatus` real examples. The
// learned latency and counts are extensions: `x-understudy-latency` (the percentiles),
// `x-understudy-requests`, `x-understudy-error-rate`. Templates of one shape with other
// parameter names (`/users/{userId}` for GET, `/users/{id}` for DELETE) would be two paths
// OpenAPI forbids, so they share the first one's names.
import type { EndpointModel, JsonSchema, SegmentClass, StatusModel } from '../model/types.js';
import { isJsonType, mockHeaders } from '../synth/headers.js';
import { PARAM_PATTERNS, ordered, paramNames, publicSchema } from './shared.js';

export interface OpenApiExportOptions {
  title?: string;
  version?: string;
  description?: string;
  /** Server URLs (`https://api.example.com`). */
  servers?: string[];
  /** Real examples per response (default 3; 0 for none). */
  examplesPerStatus?: number;
  /** Keep the learner's bookkeeping keywords (x-count, x-values, x-map) in schemas (default false). */
  keepValues?: boolean;
}

type Doc = Record<string, unknown>;

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  410: 'Gone', 412: 'Precondition Failed', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

function paramSchema(cls: SegmentClass | undefined): JsonSchema {
  switch (cls) {
    case 'integer':
      return { type: 'integer', minimum: 0 };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'date':
      return { type: 'string', format: 'date' };
    case undefined:
      return { type: 'string' };
    default:
      return { type: 'string', pattern: PARAM_PATTERNS[cls] };
  }
}

/** `GET /users/{userId}/orders` → `getUsersUserIdOrders`. */
function operationId(model: EndpointModel): string {
  const words = model.template.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return model.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') || model.method.toLowerCase();
}

/** Media type without parameters (`application/json; charset=utf-8` → `application/json`). */
const mediaType = (ct: string | undefined) => (ct ?? 'application/octet-stream').split(';')[0].trim().toLowerCase() || 'application/octet-stream';

function exampleValue(body: string, json: boolean): unknown {
  if (!json) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function responseOf(status: StatusModel, options: OpenApiExportOptions): Doc {
  const out: Doc = { description: `${REASONS[status.status] ?? `Status ${status.status}`} — seen ${status.count} time${status.count === 1 ? '' : 's'}` };
  const headers = mockHeaders(status, false);
  delete headers['content-type']; // OpenAPI ignores a Content-Type header object
  if (Object.keys(headers).length) out.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { schema: { type: 'string' }, example: v }]));
  const hasBody = status.schema !== undefined || (status.examples ?? []).some((e) => e.body) || status.bodyBytes?.max > 0;
  if (status.status === 204 || status.status === 304 || !hasBody) return out;
  const ct = status.contentType ?? (status.schema ? 'application/json' : undefined);
  const json = isJsonType(ct);
  const media: Doc = {};
  const schema = publicSchema(status.schema, options.keepValues);
  if (schema) media.schema = schema;
  const examples = (status.examples ?? []).slice(0, options.examplesPerStatus ?? 3);
  if (examples.length) {
    media.examples = Object.fromEntries(examples.map((ex, i) => [`example${i + 1}`, { summary: ex.path + (Object.keys(ex.query ?? {}).length ? `?${new URLSearchParams(Object.entries(ex.query).map(([k, v]): [string, string] => [k, String([v].flat()[0])])).toString()}` : ''), value: exampleValue(ex.body, json) }]));
  }
  out.content = { [mediaType(ct)]: media };
  return out;
}

function operation(model: EndpointModel, names: string[], options: OpenApiExportOptions): Doc {
  const own = paramNames(model.template);
  const parameters: Doc[] = names.map((name, i) => ({ name, in: 'path', required: true, schema: paramSchema(model.params[own[i]]) }));
  for (const [name, q] of Object.entries(model.query ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    parameters.push({ name, in: 'query', required: model.count > 0 && q.count >= model.count, schema: publicSchema(q.schema, options.keepValues) ?? {} });
  }
  const op: Doc = { operationId: operationId(model), summary: model.key, tags: [model.template.split('/').filter(Boolean)[0] ?? 'root'] };
  if (parameters.length) op.parameters = parameters;
  if (model.requestSchema) op.requestBody = { content: { 'application/json': { schema: publicSchema(model.requestSchema, options.keepValues) } } };
  const responses: Doc = {};
  for (const status of [...model.statuses].sort((a, b) => a.status - b.status)) responses[String(status.status)] = responseOf(status, options);
  if (!Object.keys(responses).length) responses.default = { description: 'No response learned yet' };
  op.responses = responses;
  op['x-understudy-requests'] = model.count;
  op['x-understudy-error-rate'] = model.count ? Number((model.errors / model.count).toFixed(4)) : 0;
  if (model.latency?.count) {
    const { count, minMs, maxMs, meanMs, emaMs, p50Ms, p90Ms, p95Ms, p99Ms, p999Ms } = model.latency;
    op['x-understudy-latency'] = { count, minMs, maxMs, meanMs, emaMs, p50Ms, p90Ms, p95Ms, p99Ms, p999Ms };
  }
  return op;
}

export function toOpenApi(models: readonly EndpointModel[], options: OpenApiExportOptions = {}): Doc {
  const paths: Record<string, Doc> = {};
  const shapes = new Map<string, { path: string; names: string[] }>();
  const ids = new Set<string>();
  for (const model of ordered(models)) {
    const shape = model.template.replace(/\{[^}]+\}/g, '{}');
    const first = shapes.get(shape) ?? { path: model.template, names: paramNames(model.template) };
    shapes.set(shape, first);
    const item = (paths[first.path] ??= {});
    const method = model.method.toLowerCase();
    if (item[method]) continue; // one model per method and template
    const op = operation(model, first.names, options);
    let id = op.operationId as string;
    for (let i = 2; ids.has(id); i++) id = `${op.operationId}${i}`;
    ids.add(id);
    op.operationId = id;
    item[method] = op;
  }
  const total = models.reduce((n, m) => n + m.count, 0);
  const doc: Doc = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Learned API',
      version: options.version ?? '1.0.0',
      description: options.description ?? `Learned by Understudy from ${total} observed request${total === 1 ? '' : 's'} over ${models.length} endpoint${models.length === 1 ? '' : 's'}.`,
    },
  };
  if (options.servers?.length) doc.servers = options.servers.map((url) => ({ url }));
  doc.paths = paths;
  return doc;
}
