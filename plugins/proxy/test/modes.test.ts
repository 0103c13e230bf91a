// Modes over real sockets: X-Mock-Enabled per request, the global modes (capture,
// simulate, spy, passthrough) and modes per endpoint key (parameter names aside, literal
// endpoints apart, templates not learned yet matched on the path); admin edits are checked
// whole (coded 400, nothing changed), persisted through learner.settings, restored at start,
// and taken back when the write fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { fakeLearner, MemorySettings, startProxy, startUpstream } from './helpers.js';

const KNOWN = { 'GET /users/{userId}': {}, 'GET /users/me': { via: 'example' as const }, 'POST /orders': { status: 201, via: 'state' as const } };

test('X-Mock-Enabled: true answers from the learner with X-Understudy-Mock; false forwards; unknown → 404 coded; bad value → 400', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner(KNOWN);
  const k = await startProxy({ target: up.url }, learner);
  try {
    const mocked = await fetchJson(`${k.baseUrl}/users/42`, { headers: { 'x-mock-enabled': 'true' } });
    assert.is(mocked.status, 200);
    assert.equal(mocked.body, { mocked: 'GET /users/{userId}', params: { userId: '42' } });
    assert.is(mocked.headers.get('x-understudy-mock'), 'synthesized');
    const me = await fetchJson(`${k.baseUrl}/users/me`, { headers: { 'X-Mock-Enabled': 'TRUE' } });
    assert.is(me.headers.get('x-understudy-mock'), 'example');
    const created = await fetchJson(`${k.baseUrl}/orders`, { method: 'POST', json: {}, headers: { 'x-mock-enabled': 'true' } });
    assert.equal([created.status, created.headers.get('x-understudy-mock')], [201, 'state']);
    assert.is(up.seen.length, 0, 'mocks never reach the upstream');
    assert.is(observed.length, 0, 'and are not learned');
    const unknown = await fetchJson(`${k.baseUrl}/nothing/here`, { headers: { 'x-mock-enabled': 'true' } });
    assert.equal([unknown.status, unknown.body.code], [404, 'US_PROXY_NOT_LEARNED']);
    assert.match(unknown.body.message, 'without X-Mock-Enabled');
    const forwarded = await fetchJson(`${k.baseUrl}/users/42`, { headers: { 'x-mock-enabled': 'false' } });
    assert.is(forwarded.headers.get('x-upstream'), 'yes');
    const bad = await fetchJson(`${k.baseUrl}/users/42`, { headers: { 'x-mock-enabled': 'maybe' } });
    assert.equal([bad.status, bad.body.code], [400, 'US_PROXY_BAD_MOCK_HEADER']);
    const stats = (await fetchJson(`${k.baseUrl}/__admin/proxy/stats`)).body;
    assert.equal(stats.mocked, { synthesized: 1, example: 1, state: 1 });
    assert.is(stats.notLearned, 1);
    assert.is(stats.proxied, 1);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('global modes: simulate mocks or 404s, spy mocks the known and forwards (and learns) the rest, passthrough forwards only', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner(KNOWN);
  const k = await startProxy({ target: up.url, mode: 'simulate' }, learner);
  const setMode = (mode: string | null) => fetchJson(`${k.baseUrl}/__admin/proxy/modes`, { method: 'PATCH', json: { mode } });
  try {
    assert.is((await fetchJson(`${k.baseUrl}/users/1`)).headers.get('x-understudy-mock'), 'synthesized');
    assert.is((await fetchJson(`${k.baseUrl}/unknown`)).status, 404);
    assert.is((await fetchJson(`${k.baseUrl}/users/1`, { headers: { 'x-mock-enabled': 'false' } })).headers.get('x-upstream'), 'yes', 'the header beats the mode');
    assert.is(observed.length, 1);

    assert.equal((await setMode('spy')).body, { mode: 'spy', configMode: 'simulate', endpoints: {} });
    assert.is((await fetchJson(`${k.baseUrl}/users/1`)).headers.get('x-understudy-mock'), 'synthesized');
    const passed = await fetchJson(`${k.baseUrl}/unknown`);
    assert.is(passed.headers.get('x-upstream'), 'yes');
    assert.is(observed.length, 2, 'spy learns what it forwards');

    await setMode('passthrough');
    assert.is((await fetchJson(`${k.baseUrl}/users/1`)).headers.get('x-upstream'), 'yes');
    assert.is((await fetchJson(`${k.baseUrl}/users/1`, { headers: { 'x-mock-enabled': 'false' } })).headers.get('x-upstream'), 'yes');
    assert.is(observed.length, 2, 'passthrough learns nothing, even with X-Mock-Enabled: false');

    assert.is((await setMode(null)).body.mode, 'simulate', 'null returns to the config\'s mode');
  } finally {
    await k.stop();
    await up.close();
  }
});

test('modes per endpoint: learned keys compare without parameter names, literals stay apart, unlearned templates match the path', async () => {
  const up = await startUpstream();
  const { learner } = fakeLearner(KNOWN);
  const k = await startProxy({ target: up.url }, learner);
  try {
    const res = await fetchJson(`${k.baseUrl}/__admin/proxy/modes`, {
      method: 'PATCH',
      json: { endpoints: { 'get /users/{id}': 'simulate', 'GET /products/{productId}': 'simulate' } },
    });
    assert.equal(res.body.endpoints, { 'GET /users/{id}': 'simulate', 'GET /products/{productId}': 'simulate' });
    assert.is((await fetchJson(`${k.baseUrl}/users/7`)).headers.get('x-understudy-mock'), 'synthesized');
    assert.is((await fetchJson(`${k.baseUrl}/users/me`)).headers.get('x-upstream'), 'yes', '/users/me is an endpoint of its own');
    const product = await fetchJson(`${k.baseUrl}/products/9`);
    assert.equal([product.status, product.body.code], [404, 'US_PROXY_NOT_LEARNED'], 'not learned yet, but its mode applies');
    assert.is((await fetchJson(`${k.baseUrl}/products/9/reviews`)).headers.get('x-upstream'), 'yes');
    // PUT replaces the whole set
    const put = await fetchJson(`${k.baseUrl}/__admin/proxy/modes`, { method: 'PUT', json: { mode: 'spy' } });
    assert.equal(put.body, { mode: 'spy', configMode: 'capture', endpoints: {} });
    const removed = await fetchJson(`${k.baseUrl}/__admin/proxy/modes`, { method: 'PATCH', json: { endpoints: { 'GET /users/{id}': 'capture' } } });
    assert.equal(removed.body.endpoints, { 'GET /users/{id}': 'capture' });
    assert.is((await fetchJson(`${k.baseUrl}/users/7`)).headers.get('x-upstream'), 'yes', 'the endpoint\'s capture beats the global spy');
    const gone = await fetchJson(`${k.baseUrl}/__admin/proxy/modes`, { method: 'PATCH', json: { endpoints: { 'GET /users/{id}': null } } });
    assert.equal(gone.body.endpoints, {});
  } finally {
    await k.stop();
    await up.close();
  }
});

test('bad mode edits are refused whole with every problem named; nothing changes', async () => {
  const up = await startUpstream();
  const { learner, settings } = fakeLearner(KNOWN);
  const k = await startProxy({ target: up.url }, learner);
  try {
    const url = `${k.baseUrl}/__admin/proxy/modes`;
    for (const [json, expected] of [
      [{ mode: 'mock' }, 'mode: must be one of capture, simulate, spy, passthrough'],
      [{ endpoints: { 'GET users': 'spy', 'GET /ok': 'spy' } }, 'endpoints["GET users"]: must be "METHOD /path"'],
      [{ endpoints: { 'FETCH /x': 'spy' } }, 'method must be one of'],
      [{ endpoints: { 'GET /x/{a': 'spy' } }, 'a parameter is a whole segment'],
      [{ endpoints: { 'GET /x': 'fast' } }, 'endpoints["GET /x"]: must be one of'],
      [{ endpoints: [] }, 'endpoints: must be an object'],
      [{ modes: 'spy' }, 'modes: unknown property'],
      [[1], '(root): must be an object'],
    ] as const) {
      const res = await fetchJson(url, { method: 'PATCH', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.is(res.body.code, 'US_PROXY_INVALID');
      assert.match(res.body.message, expected);
    }
    const view = await fetchJson(url);
    assert.equal(view.body, { mode: 'capture', configMode: 'capture', endpoints: {} });
    assert.is(settings.values.size, 0, 'nothing written');
    // a failed write takes the edit back
    settings.failWrites = true;
    const failed = await fetchJson(url, { method: 'PATCH', json: { mode: 'simulate' } });
    assert.is(failed.status, 500);
    assert.is((await fetchJson(url)).body.mode, 'capture');
  } finally {
    await k.stop();
    await up.close();
  }
});

test('modes persist through learner.settings and are back after a restart; a damaged value is ignored', async () => {
  const up = await startUpstream();
  const settings = new MemorySettings();
  const first = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner);
  try {
    await fetchJson(`${first.baseUrl}/__admin/proxy/modes`, { method: 'PATCH', json: { mode: 'spy', endpoints: { 'GET /users/{userId}': 'passthrough' } } });
  } finally {
    await first.stop();
  }
  assert.equal(settings.values.get('proxy.modes'), { mode: 'spy', endpoints: { 'GET /users/{userId}': 'passthrough' } });
  const second = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner);
  try {
    const view = await fetchJson(`${second.baseUrl}/__admin/proxy/modes`);
    assert.equal(view.body, { mode: 'spy', configMode: 'capture', endpoints: { 'GET /users/{userId}': 'passthrough' } });
    assert.is((await fetchJson(`${second.baseUrl}/users/3`)).headers.get('x-upstream'), 'yes');
  } finally {
    await second.stop();
  }
  settings.values.set('proxy.modes', { mode: 'warp', endpoints: { nope: 1 } });
  const third = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner);
  try {
    assert.is((await fetchJson(`${third.baseUrl}/__admin/proxy/modes`)).body.mode, 'capture');
  } finally {
    await third.stop();
    await up.close();
  }
});

test.run();
