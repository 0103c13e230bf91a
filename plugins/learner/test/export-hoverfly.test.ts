// The Hoverfly export: a v5 simulation (checked against the v5 fields written out below
// from Hoverfly's simulation schema reference: data.pairs[].request matchers
// {matcher, value}, response status/body/encodedBody/headers (arrays of values)/templated/
// logNormalDelay {min,max,mean,median} integers, data.globalActions, meta.schemaVersion),
// and its matchers picking the right pair for real paths under Hoverfly's rules (exact
// beats glob/regex; glob `*` spans `/`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import { toHoverfly, type HoverflyPair, type HoverflySimulation } from '../src/exports/index.js';
import { allEndpoints, endpoint, status, userSchema, usersEndpoint } from './synth-fixtures.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const ajv = new Ajv2020({ strict: false });

const matchers = { type: 'array', items: { type: 'object', required: ['matcher', 'value'], properties: { matcher: { enum: ['exact', 'glob', 'regex'] }, value: { type: 'string' } }, additionalProperties: false } };
const V5 = {
  type: 'object',
  required: ['data', 'meta'],
  additionalProperties: false,
  properties: {
    meta: { type: 'object', required: ['schemaVersion'], properties: { schemaVersion: { const: 'v5' }, timeExported: { type: 'string', format: 'date-time' } }, additionalProperties: false },
    data: {
      type: 'object',
      required: ['pairs'],
      properties: {
        globalActions: { type: 'object', properties: { delays: { type: 'array' }, delaysLogNormal: { type: 'array' } } },
        pairs: {
          type: 'array',
          items: {
            type: 'object',
            required: ['request', 'response'],
            properties: {
              request: { type: 'object', required: ['method', 'path'], properties: { method: matchers, path: matchers, query: { type: 'object', additionalProperties: matchers } }, additionalProperties: false },
              response: {
                type: 'object',
                required: ['status', 'body', 'encodedBody', 'headers', 'templated'],
                additionalProperties: false,
                properties: {
                  status: { type: 'integer' },
                  body: { type: 'string' },
                  encodedBody: { type: 'boolean' },
                  templated: { type: 'boolean' },
                  headers: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
                  fixedDelay: { type: 'integer' },
                  logNormalDelay: { type: 'object', required: ['min', 'max', 'mean', 'median'], properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer' }, mean: { type: 'integer' }, median: { type: 'integer', minimum: 1 } }, additionalProperties: false },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** Hoverfly's matchers, as documented: exact equality, glob with `*` over any characters, regex. */
function fieldMatches(m: { matcher: string; value: string }, actual: string): boolean {
  if (m.matcher === 'exact') return m.value === actual;
  if (m.matcher === 'regex') return new RegExp(m.value).test(actual);
  return new RegExp(`^${m.value.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(actual);
}

/** Strongest match: every field must match; exact matchers score above the others. */
function resolve(sim: HoverflySimulation, method: string, path: string, query: Record<string, string> = {}): HoverflyPair | undefined {
  let best: { pair: HoverflyPair; score: number } | undefined;
  for (const pair of sim.data.pairs) {
    const r = pair.request;
    const ok = r.method.every((m) => fieldMatches(m, method)) && r.path.every((m) => fieldMatches(m, path)) && Object.entries(r.query ?? {}).every(([k, ms]) => query[k] !== undefined && ms.every((m) => fieldMatches(m, query[k])));
    if (!ok) continue;
    const all = [...r.method, ...r.path, ...Object.values(r.query ?? {}).flat()];
    const score = all.reduce((n, m) => n + (m.matcher === 'exact' ? 2 : 1), 0);
    if (!best || score > best.score) best = { pair, score };
  }
  return best?.pair;
}

const h = suite('Hoverfly export');

h('a v5 simulation with the v5 fields', () => {
  const sim = toHoverfly(allEndpoints(), { now: 1_760_000_000_000 });
  const validate = ajv.compile(V5);
  assert.ok(validate(sim), ajv.errorsText(validate.errors));
  assert.is(sim.meta.schemaVersion, 'v5');
  assert.is(sim.meta.timeExported, '2025-10-09T08:53:20.000Z');
  assert.is(toHoverfly(allEndpoints()).meta.timeExported, undefined);
  assert.equal(toHoverfly(allEndpoints()), toHoverfly(allEndpoints()));
});

h('templates are globs, literal routes exact, recorded requests exact with their query', () => {
  const sim = toHoverfly(allEndpoints());
  const users = resolve(sim, 'GET', '/users/42')!;
  assert.ok(ajv.validate(userSchema, JSON.parse(users.response.body)));
  assert.equal(sim.data.pairs.find((p) => p.request.path[0].value === '/users/*')!.request.path, [{ matcher: 'glob', value: '/users/*' }]);
  assert.is(JSON.parse(resolve(sim, 'GET', '/users/7')!.response.body).email, 'ada@example.com');
  assert.is(resolve(sim, 'GET', '/users/me')!.request.path[0].matcher, 'exact');
  assert.is(JSON.parse(resolve(sim, 'GET', '/users', { page: '8' })!.response.body).page, 8);
  assert.is(resolve(sim, 'DELETE', '/users/3')!.response.status, 204);
  assert.equal(resolve(sim, 'GET', '/health')!.response.headers['content-type'], ['text/plain']);
  assert.is(resolve(sim, 'PUT', '/users/3'), undefined);
});

h('a glob that would also take another template becomes an anchored regex', () => {
  const orders = endpoint({ method: 'GET', template: '/users/{userId}/orders', params: { userId: 'integer' }, statuses: [status(200, 5, { schema: { type: 'array', items: { type: 'object' } } })] });
  const sim = toHoverfly([usersEndpoint(), orders]);
  const user = sim.data.pairs.find((p) => p.request.path[0].matcher !== 'exact' && !p.request.path[0].value.includes('orders'))!;
  assert.equal(user.request.path, [{ matcher: 'regex', value: '^/users/[^/]+$' }]);
  assert.is(resolve(sim, 'GET', '/users/5/orders')!.response.body.startsWith('['), true);
  assert.is(JSON.parse(resolve(sim, 'GET', '/users/5')!.response.body).firstName !== undefined, true);
  // a literal `*` in a template is not a glob either
  const star = endpoint({ method: 'GET', template: '/files/{fileId}/*', params: { fileId: 'integer' }, statuses: [status(200, 1, { schema: { type: 'object' } })] });
  assert.is(toHoverfly([star]).data.pairs[0].request.path[0].matcher, 'regex');
});

h('logNormalDelay from the learned latency (whole ms, mean never below median); none without latency', () => {
  const model = usersEndpoint();
  const pair = toHoverfly([model]).data.pairs[0];
  assert.equal(pair.response.logNormalDelay, { min: Math.round(model.latency.minMs), max: Math.round(model.latency.maxMs), mean: Math.max(Math.round(model.latency.meanMs), Math.round(model.latency.p50Ms)), median: Math.round(model.latency.p50Ms) });
  const skewed = { ...model, latency: { ...model.latency, meanMs: 1, p50Ms: 30 } };
  const d = toHoverfly([skewed]).data.pairs[0].response.logNormalDelay!;
  assert.ok(d.mean >= d.median && d.min <= d.median && d.max >= d.median);
  const none = { ...model, latency: { ...model.latency, count: 0 } };
  assert.is(toHoverfly([none]).data.pairs[0].response.logNormalDelay, undefined);
  assert.is(toHoverfly([usersEndpoint()], { examplesPerEndpoint: 0 }).data.pairs.length, 1);
  assert.is(toHoverfly([endpoint({ method: 'GET', template: '/none' })]).data.pairs.length, 0);
});

h('templating: the template pair echoes path parameters with Hoverfly templates', () => {
  const sim = toHoverfly(allEndpoints(), { templating: true });
  const users = sim.data.pairs.find((p) => p.request.method[0].value === 'GET' && p.request.path[0].value === '/users/*')!;
  assert.is(users.response.templated, true);
  assert.match(users.response.body, /"id":\{\{ Request\.Path\.\[1\] \}\}/);
  const rendered = JSON.parse(users.response.body.replace(/\{\{ Request\.Path\.\[1\] \}\}/g, '42'));
  assert.is(rendered.id, 42);
  assert.ok(sim.data.pairs.filter((p) => p.request.path[0].matcher === 'exact').every((p) => p.response.templated === false));
  const validate = ajv.compile(V5);
  assert.ok(validate(sim), ajv.errorsText(validate.errors));
});

h.run();
