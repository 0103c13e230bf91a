// The admin API under /__admin/learner over a real socket: endpoints (list, one by its
// URL-encoded key), lookup, templates (pin, split, merge — a refused edit changes nothing),
// drift, the three exports, HAR import, resources, settings, stats, reset; every bad input
// answered with a coded 4xx `{ statusCode, code, error, message }`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { harEntry, harFile } from './har-fixtures.js';
import { obs, startLearner, user, usersTraffic, type LearnerKit } from './service-kit.js';

const test = suite<{ kit: LearnerKit; url: string }>('learner admin');

test.before.each(async (ctx) => {
  ctx.kit = await startLearner();
  ctx.url = `${ctx.kit.kernel.baseUrl}/__admin/learner`;
  for (const o of usersTraffic()) ctx.kit.learner.observe(o);
  await ctx.kit.tick();
});
test.after.each(async (ctx) => {
  await ctx.kit.stop();
});

const coded = (r: { status: number; body: any }, status: number, code: string) => {
  assert.is(r.status, status, JSON.stringify(r.body));
  assert.is(r.body.code, code);
  assert.is(r.body.statusCode, status);
  assert.type(r.body.error, 'string');
  assert.type(r.body.message, 'string');
};

const post = (url: string, json: unknown) => fetchJson(url, { method: 'POST', json });

test('GET /endpoints lists every endpoint with counts, error rate, latency and status mix; filters by method and prefix', async ({ url }) => {
  const r = await fetchJson(`${url}/endpoints`);
  assert.is(r.status, 200);
  assert.equal(r.body.endpoints.map((e: any) => e.key), ['DELETE /users/{userId}', 'GET /users', 'GET /users/me', 'GET /users/{userId}', 'POST /users', 'PUT /users/{userId}']);
  const one = r.body.endpoints.find((e: any) => e.key === 'GET /users/{userId}');
  assert.equal([one.count, one.errors, one.errorRate, one.pinned], [6, 0, 0, false]);
  assert.equal(one.statuses, [{ status: 200, count: 5, share: 0.8333 }, { status: 404, count: 1, share: 0.1667 }]);
  assert.is(one.latency.p50Ms, 20);
  const gets = await fetchJson(`${url}/endpoints?method=get&prefix=/users/`);
  assert.equal(gets.body.endpoints.map((e: any) => e.key), ['GET /users/me', 'GET /users/{userId}']);
  coded(await fetchJson(`${url}/endpoints?color=red`), 400, 'US_BAD_REQUEST');
});

test('GET /endpoints/:key gives one endpoint in full (schemas, examples redacted); an unknown key is a coded 404', async ({ url }) => {
  const r = await fetchJson(`${url}/endpoints/${encodeURIComponent('GET /users/{userId}')}`);
  assert.is(r.status, 200);
  assert.is(r.body.template, '/users/{userId}');
  assert.equal(r.body.params, { userId: 'integer' });
  assert.is(r.body.latencyHistogram, undefined);
  const ok = r.body.statuses.find((s: any) => s.status === 200);
  assert.is(ok.share, 0.8333);
  assert.is(ok.schema.type, 'object');
  assert.ok(ok.examples.length > 0);
  const missing = await fetchJson(`${url}/endpoints/${encodeURIComponent('GET /nope')}`);
  coded(missing, 404, 'US_LEARNER_ENDPOINT_NOT_FOUND');
  assert.match(missing.body.message, /GET \/nope/);
});

test('secrets never leave through the admin API', async ({ kit, url }) => {
  kit.learner.observe(
    obs('GET', '/users/1', 200, { ...user(1), password: 'p4ss' }, { requestHeaders: { authorization: 'Bearer t0ken', cookie: 'sid=c00kie' }, responseHeaders: { 'content-type': 'application/json', 'set-cookie': 'sid=c00kie' } }),
  );
  await kit.tick();
  const r = await fetchJson(`${url}/endpoints/${encodeURIComponent('GET /users/{userId}')}`);
  for (const secret of ['p4ss', 't0ken', 'c00kie']) assert.not.ok(r.text.includes(secret), `${secret} was echoed`);
  for (const format of ['openapi', 'wiremock', 'hoverfly']) {
    const e = await fetchJson(`${url}/export/${format}`);
    for (const secret of ['p4ss', 't0ken', 'c00kie']) assert.not.ok(e.text.includes(secret), `${secret} in the ${format} export`);
  }
});

test('GET /lookup says which endpoint a request falls under', async ({ url }) => {
  const r = await fetchJson(`${url}/lookup?method=get&path=/users/99`);
  assert.equal(r.body, { key: 'GET /users/{userId}', template: '/users/{userId}', params: { userId: '99' }, known: true });
  coded(await fetchJson(`${url}/lookup?method=GET&path=/orders/1`), 404, 'US_LEARNER_ENDPOINT_NOT_FOUND');
  coded(await fetchJson(`${url}/lookup?method=GET&path=users`), 400, 'US_BAD_REQUEST');
  coded(await fetchJson(`${url}/lookup?path=/users`), 400, 'US_BAD_REQUEST');
});

test('templates: pin, split a literal apart, merge literals into a parameter (their models merge too)', async ({ kit, url }) => {
  const list = await fetchJson(`${url}/templates`);
  assert.ok(list.body.templates.some((t: any) => t.template === '/users/{userId}' && t.pinned === false));

  const pinned = await post(`${url}/templates/pin`, { template: 'GET /users/{userId}' });
  assert.is(pinned.status, 200, JSON.stringify(pinned.body));
  assert.is(pinned.body.template, '/users/{userId}');
  assert.is(kit.learner.endpoint('GET /users/{userId}')!.pinned, true);
  const after = await fetchJson(`${url}/endpoints`);
  assert.is(after.body.endpoints.find((e: any) => e.key === 'GET /users/{userId}').pinned, true);

  const split = await post(`${url}/templates/split`, { template: '/users/{userId}', value: '0' });
  assert.equal(split.body, { template: '/users/0' });
  assert.is(kit.learner.lookup('GET', '/users/0')!.template, '/users/0');

  // words are not ids: three usernames stay literal until merged by hand
  for (const name of ['alice', 'bob', 'carol']) kit.learner.observe(obs('GET', `/people/${name}`, 200, { name }));
  await kit.tick();
  assert.is(kit.learner.endpoints().filter((e) => e.template.startsWith('/people/')).length, 3);
  const merged = await post(`${url}/templates/merge`, { templates: ['/people/alice', '/people/bob', '/people/carol'], into: '/people/{username}' });
  assert.is(merged.status, 200, JSON.stringify(merged.body));
  assert.is(merged.body.template, '/people/{username}');
  const people = kit.learner.endpoints().filter((e) => e.template.startsWith('/people/'));
  assert.equal(people.map((e) => [e.key, e.count]), [['GET /people/{username}', 3]]);
  assert.is(kit.learner.lookup('GET', '/people/dave')!.key, 'GET /people/{username}');
  assert.ok(kit.kernel.eventsOf('learner.templateChanged').some((e) => e.data.to === '/people/{username}'));
});

test('template edits are all or nothing: a refused merge or split changes nothing, with a coded 4xx', async ({ kit, url }) => {
  for (const name of ['alice', 'bob']) kit.learner.observe(obs('GET', `/people/${name}`, 200, { name }));
  await kit.tick();
  const before = (await fetchJson(`${url}/templates`)).body;
  const endpointsBefore = (await fetchJson(`${url}/endpoints`)).body;

  // one of the templates does not exist: nothing merged, not even the ones that do
  const missing = await post(`${url}/templates/merge`, { templates: ['/people/alice', '/people/zed'], into: '/people/{username}' });
  coded(missing, 404, 'US_LEARNER_TEMPLATE_NOT_FOUND');
  assert.match(missing.body.message, /\/people\/zed/);
  coded(await post(`${url}/templates/merge`, { templates: ['/people/alice'], into: '/persons/{username}' }), 400, 'US_LEARNER_BAD_TEMPLATE');
  coded(await post(`${url}/templates/merge`, { templates: ['/people/alice/x'], into: '/people/{username}' }), 400, 'US_LEARNER_BAD_TEMPLATE');
  coded(await post(`${url}/templates/merge`, { templates: [], into: '/people/{username}' }), 400, 'US_BAD_REQUEST');
  coded(await post(`${url}/templates/split`, { template: '/users/me', value: 'x' }), 400, 'US_LEARNER_BAD_TEMPLATE');
  coded(await post(`${url}/templates/split`, { template: '/users/{userId}', value: 'a/b' }), 400, 'US_LEARNER_BAD_TEMPLATE');
  coded(await post(`${url}/templates/split`, { template: '/users/{userId}', value: 'me' }), 409, 'US_LEARNER_TEMPLATE_CONFLICT');
  coded(await post(`${url}/templates/split`, { template: '/nothing/{id}', value: '1' }), 404, 'US_LEARNER_TEMPLATE_NOT_FOUND');
  coded(await post(`${url}/templates/pin`, {}), 400, 'US_BAD_REQUEST');
  coded(await post(`${url}/templates/pin`, { template: '/x', extra: 1 }), 400, 'US_BAD_REQUEST');
  coded(await fetchJson(`${url}/templates/pin`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }), 400, 'US_INVALID_JSON');
  coded(await fetchJson(`${url}/templates/pin`, { method: 'POST', body: 'template=/x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'US_UNSUPPORTED_MEDIA_TYPE');

  assert.equal((await fetchJson(`${url}/templates`)).body, before);
  assert.equal((await fetchJson(`${url}/endpoints`)).body, endpointsBefore);
});

test('GET /drift lists changes against what was learned, filtered by key and time', async ({ kit, url }) => {
  for (let i = 1; i <= 30; i++) kit.learner.observe(obs('GET', `/users/${i}`, 200, user(i)));
  await kit.tick();
  kit.learner.observe(obs('GET', '/users/2', 200, { ...user(2), nickname: 'two' }));
  await kit.tick();
  const all = await fetchJson(`${url}/drift`);
  const added = all.body.drift.find((d: any) => d.kind === 'field-added');
  assert.equal([added.key, added.pointer], ['GET /users/{userId}', '/nickname']);
  assert.equal((await fetchJson(`${url}/drift?key=${encodeURIComponent('GET /other')}`)).body, { drift: [] });
  assert.equal((await fetchJson(`${url}/drift?since=${added.at + 1}`)).body.drift.filter((d: any) => d === added), []);
  coded(await fetchJson(`${url}/drift?since=-1`), 400, 'US_BAD_REQUEST');
});

test('exports: OpenAPI 3.1, WireMock mappings, Hoverfly v5; an unknown format is a coded 404', async ({ url }) => {
  const openapi = await fetchJson(`${url}/export/openapi?title=Users&server=${encodeURIComponent('https://api.example.com')}`);
  assert.is(openapi.status, 200);
  assert.is(openapi.body.openapi.slice(0, 3), '3.1');
  assert.is(openapi.body.info.title, 'Users');
  assert.equal(openapi.body.servers, [{ url: 'https://api.example.com' }]);
  assert.ok(openapi.body.paths['/users/{userId}'].get);
  const wiremock = await fetchJson(`${url}/export/wiremock`);
  assert.ok(wiremock.body.mappings.length > 0);
  const hoverfly = await fetchJson(`${url}/export/hoverfly`);
  assert.is(hoverfly.body.meta.schemaVersion, 'v5');
  assert.ok(hoverfly.body.data.pairs.length > 0);
  const unknown = await fetchJson(`${url}/export/postman`);
  coded(unknown, 404, 'US_LEARNER_UNKNOWN_FORMAT');
  assert.match(unknown.body.message, /openapi, wiremock, hoverfly/);
  coded(await fetchJson(`${url}/export/openapi?nope=1`), 400, 'US_BAD_REQUEST');
});

test('POST /import/har learns from recorded traffic before it answers; an invalid HAR is a coded 400 and learns nothing', async ({ kit, url }) => {
  const har = harFile([
    harEntry(),
    harEntry({ request: { ...harEntry().request, url: 'https://api.example.com/products/7', queryString: [] } }),
  ]);
  const r = await post(`${url}/import/har`, har);
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body.observed, 2);
  assert.is(r.body.endpoints, kit.learner.endpoints().length);
  assert.ok(kit.learner.endpoint('GET /products/7'), kit.learner.endpoints().map((e) => e.key).join(', '));
  const before = kit.learner.endpoints().length;
  const bad = await post(`${url}/import/har`, { log: { entries: [{ request: {} }] } });
  coded(bad, 400, 'US_LEARNER_HAR_INVALID');
  coded(await post(`${url}/import/har`, { nolog: true }), 400, 'US_BAD_REQUEST');
  coded(await post(`${url}/import/har`, [1, 2]), 400, 'US_BAD_REQUEST');
  assert.is(kit.learner.endpoints().length, before);
});

test('resources, settings and stats views; POST /reset forgets what was learned', async ({ kit, url }) => {
  await kit.learner.mock({ method: 'POST', path: '/users', url: '/users', query: {}, headers: {}, body: '{"name":"a"}' });
  await kit.learner.settings.set('proxy.mode', 'simulate');
  const resources = await fetchJson(`${url}/resources`);
  assert.equal([resources.body.resources, resources.body.lifecycles[0].collection], [1, '/users']);
  assert.equal((await fetchJson(`${url}/settings`)).body, { settings: { 'proxy.mode': 'simulate' } });
  const stats = await fetchJson(`${url}/stats`);
  assert.equal([stats.body.endpoints, stats.body.learned, stats.body.storage], [6, 15, { kind: 'sqlite', location: ':memory:' }]);
  coded(await post(`${url}/reset`, { all: true }), 400, 'US_LEARNER_INVALID');
  coded(await post(`${url}/reset`, [1]), 400, 'US_LEARNER_INVALID');
  assert.is(kit.learner.endpoints().length, 6, 'a refused reset forgets nothing');
  const reset = await fetchJson(`${url}/reset`, { method: 'POST' });
  assert.equal([reset.status, reset.body], [200, { reset: true }]);
  assert.is((await post(`${url}/reset`, {})).status, 200);
  assert.equal((await fetchJson(`${url}/endpoints`)).body, { endpoints: [] });
  assert.equal((await fetchJson(`${url}/resources`)).body, { lifecycles: [], resources: 0 });
  assert.equal((await fetchJson(`${url}/settings`)).body, { settings: { 'proxy.mode': 'simulate' } });
});

test('the routes are in the admin OpenAPI document, tagged learner', async ({ kit }) => {
  const doc = await fetchJson(`${kit.kernel.baseUrl}/__admin/openapi.json`);
  const paths = Object.keys(doc.body.paths).filter((p) => p.startsWith('/__admin/learner'));
  for (const p of ['/endpoints', '/endpoints/{key}', '/templates/pin', '/templates/split', '/templates/merge', '/drift', '/export/{format}', '/import/har', '/reset', '/stats']) {
    assert.ok(paths.includes(`/__admin/learner${p}`), `${p} missing from ${paths.join(', ')}`);
  }
  assert.equal(doc.body.paths['/__admin/learner/templates/merge'].post.tags, ['learner']);
});

test.run();
