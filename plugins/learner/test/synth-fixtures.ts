// Hand-written endpoint models for the synthesis, export and HAR tests: literal
// EndpointModel objects (schemas written by hand, a latency histogram recorded with the
// model's LatencyHistogram), so these tests do not depend on schema inference or learning.
import { LatencyHistogram } from '../src/model/latency.js';
import type { EndpointModel, JsonSchema, StatusModel } from '../src/model/types.js';

/** An encoded HDR histogram of these latencies (ms), as the learner stores it. */
export function encodeLatencies(values: number[]): string {
  const h = LatencyHistogram.empty();
  for (const v of values) h.record(v);
  return h.encode();
}

export function summaryOf(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, minMs: sorted[0], maxMs: sorted[sorted.length - 1], meanMs: mean, emaMs: mean, p50Ms: at(50), p90Ms: at(90), p95Ms: at(95), p99Ms: at(99), p999Ms: at(99.9) };
}

/** Log-normal-ish latencies around 40 ms with a tail, deterministic. */
export const LATENCIES = Array.from({ length: 2000 }, (_, i) => Math.round(40 * Math.exp(0.5 * Math.sin(i * 12.9898) * 2.2)));

export const userSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', minimum: 1, maximum: 100000 },
    email: { type: 'string', format: 'email' },
    firstName: { type: 'string', minLength: 2, maxLength: 20 },
    lastName: { type: 'string' },
    status: { type: 'string', enum: ['active', 'suspended', 'invited'] },
    createdAt: { type: 'string', format: 'date-time' },
    birthday: { type: ['string', 'null'], format: 'date' },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' }, zip: { type: 'string', minLength: 5, maxLength: 5 }, country: { type: 'string' } },
      required: ['city', 'country'],
    },
    tags: { type: 'array', items: { type: 'string', maxLength: 12 }, minItems: 0, maxItems: 4 },
  },
  required: ['id', 'email', 'firstName', 'status', 'createdAt'],
};

export function status(code: number, count: number, extra: Partial<StatusModel> = {}): StatusModel {
  return { status: code, count, contentType: 'application/json; charset=utf-8', headers: {}, bodyBytes: { min: 10, max: 400, mean: 120 }, examples: [], ...extra };
}

export function endpoint(overrides: Partial<EndpointModel> & Pick<EndpointModel, 'method' | 'template'>): EndpointModel {
  const latencies = overrides.latency ? [] : LATENCIES;
  return {
    key: `${overrides.method} ${overrides.template}`,
    params: {},
    query: {},
    upstream: 'default',
    count: 1000,
    errors: 0,
    firstSeen: 1_760_000_000_000,
    lastSeen: 1_760_086_400_000,
    latency: summaryOf(latencies.length ? latencies : [1]),
    latencyHistogram: encodeLatencies(latencies.length ? latencies : [1]),
    statuses: [],
    ...overrides,
  };
}

const userExample = (id: number, email: string) => ({
  path: `/users/${id}`,
  params: { userId: String(id) },
  query: {},
  body: JSON.stringify({ id, email, firstName: 'Ada', lastName: 'Lovelace', status: 'active', createdAt: '2025-10-01T10:00:00.000Z' }),
  contentType: 'application/json; charset=utf-8',
  at: 1_760_000_000_000 + id,
});

/** `GET /users/{userId}`: 97 % 200, 1 % 404, 2 % 500; examples show `id` = the path parameter. */
export function usersEndpoint(): EndpointModel {
  return endpoint({
    method: 'GET',
    template: '/users/{userId}',
    params: { userId: 'integer' },
    count: 1000,
    errors: 20,
    statuses: [
      status(200, 970, {
        schema: userSchema,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'abc', 'content-length': '123', date: 'Tue, 01 Oct 2025 10:00:00 GMT', 'content-encoding': 'gzip', 'x-api-key': '[REDACTED]' },
        examples: [userExample(7, 'ada@example.com'), userExample(1234, 'grace@example.org')],
      }),
      status(404, 10, {
        schema: { type: 'object', properties: { error: { type: 'string', const: 'not_found' }, message: { type: 'string' } }, required: ['error', 'message'] },
        examples: [{ path: '/users/999999', params: { userId: '999999' }, query: {}, body: '{"error":"not_found","message":"No such user"}', at: 1_760_000_000_500 }],
      }),
      status(500, 20, { schema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } }),
    ],
  });
}

/** `GET /users`: a paged list (query `page`, echoed). */
export function usersListEndpoint(): EndpointModel {
  return endpoint({
    method: 'GET',
    template: '/users',
    query: { page: { count: 600, schema: { type: 'integer', minimum: 1 } }, limit: { count: 100, schema: { type: 'integer' } } },
    statuses: [
      status(200, 1000, {
        schema: {
          type: 'object',
          properties: { page: { type: 'integer', minimum: 1, maximum: 50 }, total: { type: 'integer', minimum: 0 }, items: { type: 'array', items: userSchema, minItems: 1, maxItems: 5 } },
          required: ['page', 'total', 'items'],
        },
        examples: [
          { path: '/users', params: {}, query: { page: '3' }, body: JSON.stringify({ page: 3, total: 120, items: [JSON.parse(userExample(5, 'a@example.com').body)] }), at: 1 },
          { path: '/users', params: {}, query: { page: '8' }, body: JSON.stringify({ page: 8, total: 120, items: [JSON.parse(userExample(9, 'b@example.com').body)] }), at: 2 },
        ],
      }),
    ],
  });
}

/** `POST /users`: 201 echoing the request's fields, with a `location` header. */
export function createUserEndpoint(): EndpointModel {
  return endpoint({
    method: 'POST',
    template: '/users',
    requestSchema: { type: 'object', properties: { email: { type: 'string', format: 'email' }, firstName: { type: 'string' } }, required: ['email'] },
    statuses: [
      status(201, 50, { schema: userSchema, headers: { location: '/users/77' } }),
      status(422, 5, { schema: { type: 'object', properties: { errors: { type: 'array', items: { type: 'string' } } }, required: ['errors'] } }),
    ],
  });
}

/** `GET /users/me`: a literal route next to the template. */
export function meEndpoint(): EndpointModel {
  return endpoint({ method: 'GET', template: '/users/me', statuses: [status(200, 40, { schema: userSchema })] });
}

/** `GET /products/{productId}` with uuid ids. */
export function productEndpoint(): EndpointModel {
  return endpoint({
    method: 'GET',
    template: '/products/{productId}',
    params: { productId: 'uuid' },
    statuses: [
      status(200, 300, {
        schema: {
          type: 'object',
          properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, price: { type: 'number', minimum: 0.5, maximum: 999.99 }, currency: { type: 'string', enum: ['EUR', 'USD'] }, stock: { type: 'integer', minimum: 0, maximum: 500 } },
          required: ['id', 'name', 'price', 'currency'],
        },
      }),
    ],
  });
}

/** `DELETE /users/{userId}`: 204 without a body. */
export function deleteUserEndpoint(): EndpointModel {
  return endpoint({ method: 'DELETE', template: '/users/{userId}', params: { userId: 'integer' }, statuses: [status(204, 30, { contentType: undefined, bodyBytes: { min: 0, max: 0, mean: 0 } })] });
}

/** `GET /health`: text. */
export function healthEndpoint(): EndpointModel {
  return endpoint({ method: 'GET', template: '/health', statuses: [status(200, 10, { contentType: 'text/plain', examples: [{ path: '/health', params: {}, query: {}, body: 'ok', contentType: 'text/plain', at: 3 }] })] });
}

export const allEndpoints = () => [usersEndpoint(), usersListEndpoint(), createUserEndpoint(), meEndpoint(), productEndpoint(), deleteUserEndpoint(), healthEndpoint()];
