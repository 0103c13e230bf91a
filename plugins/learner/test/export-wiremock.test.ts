// The WireMock export: its mappings have WireMock's fields (UUID ids, urlPathTemplate with
// pathParameters, lognormal delayDistribution fitted to the learned percentiles), and a
// real stubs kernel loads them — through WireMock's own import API and through config —
// and answers real HTTP requests with them: recorded requests exactly, other ids through
// the template, literal routes apart, ids of the wrong class refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createTestKernel, fetchJson, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';
import stubs from '@understudy/plugin-stubs';
import { toWireMock, type WireMockExport } from '../src/exports/index.js';
import { lognormalFit } from '../src/synth/latency.js';
import { allEndpoints, userSchema, usersEndpoint } from './synth-fixtures.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const shape = suite('WireMock export: the format');

shape('mappings carry WireMock fields only, with UUID ids, stable across exports', () => {
  const out = toWireMock(allEndpoints());
  assert.is(out.meta.total, out.mappings.length);
  const known = { top: ['id', 'name', 'priority', 'request', 'response', 'metadata'], request: ['method', 'urlPath', 'urlPathTemplate', 'pathParameters', 'queryParameters'], response: ['status', 'headers', 'body', 'jsonBody', 'delayDistribution'] };
  for (const m of out.mappings) {
    assert.match(m.id, UUID);
    for (const k of Object.keys(m)) assert.ok(known.top.includes(k), k);
    for (const k of Object.keys(m.request)) assert.ok(known.request.includes(k), k);
    for (const k of Object.keys(m.response)) assert.ok(known.response.includes(k), k);
    assert.ok(!(m.response.body !== undefined && m.response.jsonBody !== undefined));
    assert.ok(Number.isInteger(m.priority) && m.priority >= 1);
  }
  assert.equal(toWireMock(allEndpoints()), out, 'same models, same export');
  assert.is(new Set(out.mappings.map((m) => m.id)).size, out.mappings.length, 'ids unique');
});

shape('a template becomes urlPathTemplate + pathParameters; examples exact urlPaths ahead of it', () => {
  const out = toWireMock([usersEndpoint()]);
  const template = out.mappings.find((m) => m.request.urlPathTemplate)!;
  assert.equal(template.request, { method: 'GET', urlPathTemplate: '/users/{userId}', pathParameters: { userId: { matches: '^[0-9]{1,24}$' } } });
  const examples = out.mappings.filter((m) => m.request.urlPath);
  assert.equal(examples.map((m) => m.request.urlPath).sort(), ['/users/1234', '/users/7']);
  assert.ok(examples.every((m) => m.priority < template.priority));
  const model = usersEndpoint();
  const fit = lognormalFit(model.latency.p50Ms, model.latency.p99Ms);
  assert.equal(template.response.delayDistribution, { type: 'lognormal', median: model.latency.p50Ms, sigma: fit.sigma });
  assert.ok(fit.sigma > 0);
  // the fitted distribution's p99 is the learned p99
  assert.ok(Math.abs(fit.median * Math.exp(fit.sigma * 2.3263478740408408) - model.latency.p99Ms) < 0.05 * model.latency.p99Ms);
  assert.equal(toWireMock([usersEndpoint()], { examplesPerEndpoint: 0 }).mappings.length, 1);
});

shape('templating: the template mapping echoes path parameters with WireMock response templates', () => {
  const out = toWireMock(allEndpoints(), { templating: true });
  const users = out.mappings.find((m) => m.request.method === 'GET' && m.request.urlPathTemplate === '/users/{userId}')!;
  assert.equal(users.response.transformers, ['response-template']);
  assert.is(users.response.jsonBody, undefined);
  assert.match(users.response.body!, /"id":\{\{request\.path\.\[1\]\}\}/);
  // rendered as WireMock would for GET /users/42: valid JSON with the id
  const rendered = JSON.parse(users.response.body!.replace(/\{\{request\.path\.\[1\]\}\}/g, '42'));
  assert.is(rendered.id, 42);
  assert.ok(ajv.validate(userSchema, rendered));
  // a uuid echoed by the schema rule (no examples) is quoted
  const product = out.mappings.find((m) => m.request.urlPathTemplate === '/products/{productId}')!;
  assert.match(product.response.body!, /"id":"\{\{request\.path\.\[1\]\}\}"/);
  // literal routes, example mappings and endpoints that echo nothing stay static
  assert.ok(out.mappings.filter((m) => !m.request.urlPathTemplate).every((m) => !m.response.transformers));
  const del = out.mappings.find((m) => m.request.method === 'DELETE')!;
  assert.is(del.response.transformers, undefined);
  assert.is(toWireMock(allEndpoints()).mappings.find((m) => m.request.method === 'GET' && m.request.urlPathTemplate === '/users/{userId}')!.response.transformers, undefined);
});

/** A request whose answer waits on the virtual clock: let the kernel sleep, advance, read. */
async function call(k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]): Promise<JsonReply> {
  const reply = fetchJson(k.baseUrl + path, init);
  await k.untilTimers(1);
  k.clock.advance(60_000);
  return reply;
}

const served = suite<{ k: TestKernel; exported: WireMockExport }>('WireMock export: served by the stubs plugin');

served.before(async (ctx) => {
  ctx.exported = toWireMock(allEndpoints());
  ctx.k = await createTestKernel({ plugins: [stubs] });
  const res = await fetchJson(`${ctx.k.baseUrl}/__admin/mappings/import`, { method: 'POST', json: { mappings: ctx.exported.mappings } });
  assert.ok(res.status < 300, `${res.status} ${res.text}`);
});
served.after(async (ctx) => {
  await ctx.k.stop();
});

served('the import took every mapping', async ({ k, exported }) => {
  const list = await fetchJson(`${k.baseUrl}/__admin/mappings`);
  assert.is(list.body.mappings.length, exported.mappings.length);
});

served('a recorded request answers as recorded; another id through the template', async ({ k }) => {
  const seven = await call(k, '/users/7');
  assert.is(seven.status, 200);
  assert.equal([seven.body.id, seven.body.email], [7, 'ada@example.com']);
  assert.match(seven.headers.get('content-type')!, /application\/json/);
  assert.is(seven.headers.get('x-request-id'), 'abc');
  const other = await call(k, '/users/42');
  assert.is(other.status, 200);
  assert.ok(ajv.validate(userSchema, other.body));
});

served('an id of the wrong class is not matched; the literal route answers apart', async ({ k }) => {
  const bad = await fetchJson(`${k.baseUrl}/users/abc`);
  assert.is(bad.status, 404);
  assert.is(bad.body.code, 'US_NO_MATCH');
  const me = await call(k, '/users/me');
  assert.is(me.status, 200);
  assert.ok(ajv.validate(userSchema, me.body), ajv.errorsText());
});

served('query examples, uuid templates, 201 with location, 204, text', async ({ k }) => {
  const page = await call(k, '/users?page=3');
  assert.is(page.body.page, 3);
  const product = await call(k, '/products/3f2b8a0e-0d3c-4e1a-9b7f-2a6c5d4e3f21');
  assert.is(product.status, 200);
  assert.ok(['EUR', 'USD'].includes(product.body.currency));
  const created = await call(k, '/users', { method: 'POST', json: { email: 'x@example.com' } });
  assert.is(created.status, 201);
  assert.is(created.headers.get('location'), '/users/77');
  const deleted = await call(k, '/users/3', { method: 'DELETE' });
  assert.equal([deleted.status, deleted.text], [204, '']);
  const health = await call(k, '/health');
  assert.equal([health.status, health.text, health.headers.get('content-type')], [200, 'ok', 'text/plain']);
});

served('the delay is sampled on the kernel clock (the answer waits for it)', async ({ k }) => {
  const reply = fetchJson(`${k.baseUrl}/users/42`);
  await k.untilTimers(1);
  assert.ok(k.clock.pendingTimers() >= 1, 'the response waits for a delay');
  k.clock.advance(60_000);
  assert.is((await reply).status, 200);
});

const config = suite('WireMock export: loaded from config');

config('plugins.stubs.mappings takes the export as it is', async () => {
  const k = await createTestKernel({ plugins: [stubs], config: { stubs: { mappings: toWireMock(allEndpoints()).mappings } } });
  try {
    const res = await call(k, '/users/1234');
    assert.equal([res.status, res.body.email], [200, 'grace@example.org']);
  } finally {
    await k.stop();
  }
});

shape.run();
served.run();
config.run();
