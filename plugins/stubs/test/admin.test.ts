import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, startStubs } from './helpers.js';

const fromConfig = { id: 'aaaaaaaa-0000-4000-8000-000000000001', request: { method: 'GET', urlPath: '/config' }, response: { body: 'from config' } };

const mappings = suite<{ k: TestKernel }>('admin: mappings');

mappings.before.each(async (ctx) => {
  ctx.k = await startStubs({ mappings: [fromConfig] });
});
mappings.after.each(async (ctx) => {
  await ctx.k.stop();
});

mappings('POST adds a mapping with a generated UUID and serves it', async ({ k }) => {
  const res = await call(k, '/__admin/mappings', { method: 'POST', json: { request: { url: '/new' }, response: { status: 202 } } });
  assert.is(res.status, 201);
  assert.match(res.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(res.body.uuid, res.body.id);
  assert.is((await call(k, '/new')).status, 202);
  assert.equal(k.eventsOf('stubs.mappingAdded').at(-1)!.data, { id: res.body.id, name: undefined, source: 'api' });
});

mappings('a form-encoded or text/plain body (what a page can send cross-site) is refused with 415 and plants nothing', async ({ k }) => {
  // WireMock reads these as JSON; the control plane takes JSON only as application/json
  for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
    const res = await fetch(`${k.baseUrl}/__admin/mappings`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: JSON.stringify({ request: { url: '/curl' }, response: { body: 'ok' } }),
    });
    assert.is(res.status, 415);
    assert.is((await res.json()).code, 'US_UNSUPPORTED_MEDIA_TYPE');
  }
  assert.is((await call(k, '/curl')).status, 404);
  assert.is((await call(k, '/__admin/mappings')).body.meta.total, 1);
});

mappings('GET lists mappings with meta.total, limit and offset', async ({ k }) => {
  await call(k, '/__admin/mappings', { method: 'POST', json: { request: { url: '/two' } } });
  const all = await call(k, '/__admin/mappings');
  assert.is(all.body.meta.total, 2);
  assert.equal(all.body.mappings.map((m: { request: { url?: string; urlPath?: string } }) => m.request.url ?? m.request.urlPath), ['/two', '/config']);
  const page = await call(k, '/__admin/mappings?limit=1&offset=1');
  assert.equal(page.body.mappings.map((m: { id: string }) => m.id), [fromConfig.id]);
  assert.is(page.body.meta.total, 2);
});

mappings('GET, PUT and DELETE one mapping by id', async ({ k }) => {
  const url = `/__admin/mappings/${fromConfig.id}`;
  assert.equal((await call(k, url)).body.response, { body: 'from config' });
  const put = await call(k, url, { method: 'PUT', json: { request: { method: 'GET', urlPath: '/config' }, response: { body: 'edited' } } });
  assert.is(put.status, 200);
  assert.is(put.body.id, fromConfig.id);
  assert.is((await call(k, '/config')).text, 'edited');
  assert.is(k.eventsOf('stubs.mappingUpdated').length, 1);
  assert.is((await call(k, url, { method: 'DELETE' })).status, 200);
  assert.is((await call(k, '/config')).status, 404);
  assert.equal(k.eventsOf('stubs.mappingRemoved').map((e) => e.data), [{ id: fromConfig.id, name: undefined }]);
});

mappings('unknown ids answer 404 with a code', async ({ k }) => {
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const res = await call(k, '/__admin/mappings/nope', { method, json: method === 'PUT' ? { request: {} } : undefined });
    assert.is(res.status, 404);
    assert.is(res.body.code, 'US_STUBS_MAPPING_NOT_FOUND');
    assert.match(res.body.message, 'nope');
  }
});

mappings('invalid mappings are refused with the field path and nothing changes', async ({ k }) => {
  const cases: Array<[unknown, string]> = [
    [{ request: { url: '/x', bodyPatterns: [{ matches: '([a-z' }] } }, 'request.bodyPatterns[0].matches: invalid regular expression'],
    [{ request: { url: '/x', headers: { accept: { sortOf: 'json' } } } }, 'request.headers.accept.sortOf: unknown or unsupported matcher'],
    [{ request: { url: '/x' }, response: { status: '200' } }, 'response.status: must be an integer'],
    [{ request: { url: '/x' }, response: { status: 200.5 } }, 'response.status: must be an integer'],
    [{ response: {} }, 'request: is required'],
    [{ request: { url: '/x' }, respones: {} }, 'respones: is not a WireMock mapping field'],
  ];
  for (const [mapping, message] of cases) {
    const res = await call(k, '/__admin/mappings', { method: 'POST', json: mapping });
    assert.is(res.status, 400, message);
    assert.is(res.body.code, 'US_STUBS_INVALID_MAPPING');
    assert.ok(res.body.message.startsWith(message), `${res.body.message} should start with ${message}`);
  }
  const put = await call(k, `/__admin/mappings/${fromConfig.id}`, { method: 'PUT', json: { request: { url: 3 } } });
  assert.is(put.status, 400);
  assert.is((await call(k, '/config')).text, 'from config');
  assert.is((await call(k, '/__admin/mappings')).body.meta.total, 1);
});

mappings('invalid JSON answers 400', async ({ k }) => {
  const res = await fetch(`${k.baseUrl}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ nope' });
  assert.is(res.status, 400);
  assert.is(((await res.json()) as { code: string }).code, 'US_INVALID_JSON');
});

mappings('import adds all or nothing', async ({ k }) => {
  const bad = await call(k, '/__admin/mappings/import', {
    method: 'POST',
    json: { mappings: [{ request: { url: '/a' } }, { request: { url: '/b', method: 7 } }] },
  });
  assert.is(bad.status, 400);
  assert.match(bad.body.message, /^mappings\[1\]\.request\.method/);
  assert.is((await call(k, '/a')).status, 404);
  const notArray = await call(k, '/__admin/mappings/import', { method: 'POST', json: { mappings: 1 } });
  assert.is(notArray.status, 400);
  const ok = await call(k, '/__admin/mappings/import', { method: 'POST', json: { mappings: [{ request: { url: '/a' } }, { request: { url: '/b' } }] } });
  assert.is(ok.body.mappings.length, 2);
  assert.is((await call(k, '/b')).status, 200);
});

mappings('DELETE removes all, reset goes back to what was loaded', async ({ k }) => {
  await call(k, '/__admin/mappings', { method: 'POST', json: { request: { url: '/extra' } } });
  assert.is((await call(k, '/__admin/mappings', { method: 'DELETE' })).status, 200);
  assert.is((await call(k, '/__admin/mappings')).body.meta.total, 0);
  assert.is((await call(k, '/__admin/mappings/reset', { method: 'POST', headers: { 'content-type': 'application/json' } })).status, 200);
  const after = await call(k, '/__admin/mappings');
  assert.equal(after.body.mappings.map((m: { id: string }) => m.id), [fromConfig.id]);
  assert.equal(k.eventsOf('stubs.reset').map((e) => e.data), [{ scope: 'cleared', mappings: 0 }, { scope: 'reset', mappings: 1 }]);
});

mappings('the store is a service other plugins and tests can use', async ({ k }) => {
  const store = k.resolve('stubs');
  const added = store.add({ request: { urlPath: '/programmatic' }, response: { body: 'hi' } }, 'test');
  assert.is(store.get(added.id), added);
  assert.is(store.get('nope'), undefined);
  assert.is((await call(k, '/programmatic?x=1')).text, 'hi');
});

mappings('the admin routes are in the OpenAPI document', async ({ k }) => {
  const doc = await call(k, '/__admin/openapi.json');
  for (const path of ['/__admin/mappings', '/__admin/mappings/{id}', '/__admin/requests', '/__admin/requests/count', '/__admin/scenarios']) {
    assert.ok(doc.body.paths[path], path);
  }
});

mappings.run();

const journal = suite<{ k: TestKernel }>('admin: request journal');

journal.before.each(async (ctx) => {
  ctx.k = await startStubs({ mappings: [fromConfig], journal: { maxEntries: 3 } });
});
journal.after.each(async (ctx) => {
  await ctx.k.stop();
});

journal('calls between other plugins\' services are not journalled; a call a stub answered is', async ({ k }) => {
  await k.dispatch({ request: { url: '/not-a-stub' }, context: { hops: 1, caller: 'orders' } });
  await k.dispatch({ request: { url: '/config' }, context: { hops: 1, caller: 'orders' } });
  const res = await call(k, '/__admin/requests');
  assert.equal(res.body.requests.map((r: { request: { url: string } }) => r.request.url), ['/config']);
});

journal('records matched and unmatched requests, newest first', async ({ k }) => {
  await call(k, '/config?a=1&a=2', { headers: { 'x-trace': 't1' } });
  await call(k, '/missing', { method: 'POST', body: 'payload' });
  const res = await call(k, '/__admin/requests');
  assert.is(res.body.meta.total, 2);
  assert.is(res.body.requestJournalDisabled, false);
  const [miss, hit] = res.body.requests;
  assert.is(miss.wasMatched, false);
  assert.is(miss.request.body, 'payload');
  assert.is(miss.responseDefinition.status, 404);
  assert.is(hit.wasMatched, true);
  assert.is(hit.stubMapping.id, fromConfig.id);
  assert.is(hit.request.url, '/config?a=1&a=2');
  assert.match(hit.request.absoluteUrl, /^http:\/\/127\.0\.0\.1:\d+\/config\?a=1&a=2$/);
  assert.equal(hit.request.queryParams.a, { key: 'a', values: ['1', '2'] });
  assert.is(hit.request.headers['x-trace'], 't1');
  assert.is(typeof hit.request.loggedDate, 'number');
  assert.is((await call(k, `/__admin/requests/${hit.id}`)).body.id, hit.id);
  assert.is((await call(k, '/__admin/requests/nope')).body.code, 'US_STUBS_REQUEST_NOT_FOUND');
  const unmatched = await call(k, '/__admin/requests/unmatched');
  assert.equal(unmatched.body.requests.map((r: { url: string }) => r.url), ['/missing']);
});

journal('is bounded and counts what it dropped', async ({ k }) => {
  for (let i = 0; i < 5; i++) await call(k, `/r${i}`);
  const res = await call(k, '/__admin/requests?limit=2');
  // the meta also says what the byte bounds hold and cut (see limits.test.ts)
  const { total, dropped, truncated, truncatedBytes, maxBytes } = res.body.meta;
  assert.equal({ total, dropped, truncated, truncatedBytes, maxBytes }, { total: 3, dropped: 2, truncated: 0, truncatedBytes: 0, maxBytes: 16 * 1024 * 1024 });
  assert.equal(res.body.requests.map((r: { request: { url: string } }) => r.request.url), ['/r4', '/r3']);
});

journal('count and find take a request pattern', async ({ k }) => {
  await call(k, '/config');
  await call(k, '/config');
  await call(k, '/other', { method: 'POST' });
  const count = await call(k, '/__admin/requests/count', { method: 'POST', json: { method: 'GET', urlPathPattern: '/conf.*' } });
  assert.equal(count.body, { count: 2 });
  const find = await call(k, '/__admin/requests/find', { method: 'POST', json: { method: 'POST' } });
  assert.equal(find.body.requests.map((r: { url: string }) => r.url), ['/other']);
  const bad = await call(k, '/__admin/requests/count', { method: 'POST', json: { urlPattern: '(' } });
  assert.is(bad.status, 400);
  assert.match(bad.body.message, /^request\.urlPattern: invalid regular expression/);
});

journal('DELETE clears it, POST /__admin/reset resets everything', async ({ k }) => {
  await call(k, '/config');
  assert.is((await call(k, '/__admin/requests', { method: 'DELETE' })).status, 200);
  assert.is((await call(k, '/__admin/requests')).body.meta.total, 0);
  await call(k, '/__admin/mappings', { method: 'DELETE' });
  await call(k, '/x');
  assert.is((await call(k, '/__admin/reset', { method: 'POST' })).status, 200);
  assert.is((await call(k, '/__admin/requests')).body.meta.total, 0);
  assert.is((await call(k, '/config')).status, 200);
  assert.is((await call(k, '/__admin/requests/reset', { method: 'POST' })).status, 200);
});

journal.run();

const disabled = suite('admin: disabled journal and reproducible ids');

disabled('maxEntries 0 disables the journal', async () => {
  const k = await startStubs({ journal: { maxEntries: 0 } });
  try {
    await call(k, '/x');
    const res = await call(k, '/__admin/requests');
    assert.is(res.body.requestJournalDisabled, true);
    assert.is(res.body.meta.total, 0);
  } finally {
    await k.stop();
  }
});

disabled('the same seed generates the same ids', async () => {
  const ids: string[] = [];
  for (let run = 0; run < 2; run++) {
    const k = await startStubs({}, 42);
    try {
      ids.push((await call(k, '/__admin/mappings', { method: 'POST', json: { request: { url: '/x' } } })).body.id);
    } finally {
      await k.stop();
    }
  }
  assert.is(ids[0], ids[1]);
});

disabled.run();
