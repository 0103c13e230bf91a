import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, startStubs } from './helpers.js';

const serving = suite<{ k: TestKernel }>('serving from a root folder');

serving.before(async (ctx) => {
  ctx.k = await startStubs({ root: 'world' });
});
serving.after(async (ctx) => {
  await ctx.k.stop();
});

serving('serves a plain body with its headers', async ({ k }) => {
  const res = await call(k, '/hello');
  assert.is(res.status, 200);
  assert.is(res.text, 'Hello, world');
  assert.is(res.headers.get('content-type'), 'text/plain');
});

serving('jsonBody is JSON with a JSON content type', async ({ k }) => {
  const res = await call(k, '/api/users?page=2');
  assert.is(res.status, 200);
  assert.equal(res.body, { users: [{ id: 1, name: 'Ada' }], page: 1 });
  assert.match(res.headers.get('content-type')!, /application\/json/);
});

serving('urlPathTemplate with a path parameter matcher', async ({ k }) => {
  assert.is((await call(k, '/api/users/7')).status, 200);
  assert.is((await call(k, '/api/users/abc')).status, 404);
});

serving('POST with header and JSONPath filter body patterns answers 201', async ({ k }) => {
  const ok = await call(k, '/api/orders', { method: 'POST', json: { items: [{ sku: 'a', qty: 2 }] } });
  assert.is(ok.status, 201);
  assert.is(ok.headers.get('location'), '/api/orders/42');
  assert.equal(ok.body, { id: 42 });
  const none = await call(k, '/api/orders', { method: 'POST', json: { items: [{ sku: 'a', qty: 0 }] } });
  assert.is(none.status, 404);
});

serving('bodyFileName is read from __files', async ({ k }) => {
  const res = await call(k, '/report');
  assert.is(res.text, 'id,total\n1,9.50\n');
  assert.is(res.headers.get('content-type'), 'text/csv');
});

serving('an unmatched request gets the kernel 404 with near misses', async ({ k }) => {
  const res = await call(k, '/hello', { method: 'POST' });
  assert.is(res.status, 404);
  assert.is(res.body.code, 'US_NO_MATCH');
  const [first] = res.body.unmatched.stubs.nearMisses;
  assert.is(first.name, 'hello');
  assert.equal(first.mismatches, [{ field: 'method', expected: 'GET', actual: 'POST' }]);
  assert.ok(first.distance > 0 && first.distance < 0.5);
  assert.is(res.body.unmatched.stubs.nearMisses.length, 3);
});

serving('unmatched requests emit an event; matched ones are journalled, not streamed', async ({ k }) => {
  await call(k, '/hello');
  await call(k, '/nowhere');
  const types: string[] = k.captured.map((e) => e.type);
  assert.not.ok(types.includes('stubs.matched'));
  const unmatched = k.eventsOf('stubs.unmatched').at(-1)!;
  assert.is(unmatched.data.url, '/nowhere');
  const [, hello] = (await call(k, '/__admin/requests')).body.requests;
  assert.is(hello.request.url, '/hello');
  assert.is(hello.stubMapping.id, '0d0b5d36-58c4-4c4b-9d3a-6f1f8a2f0001');
  assert.equal(hello.timing, { addedDelay: 0, totalTime: 0 });
});

serving.run();

const inline = suite<{ k: TestKernel }>('inline mappings');

inline.before(async (ctx) => {
  ctx.k = await startStubs({
    mappings: [
      { request: { urlPathPattern: '/any/.*' }, response: { status: 200, body: 'low' } },
      { priority: 1, request: { urlPathPattern: '/any/special' }, response: { status: 200, body: 'high' } },
      { request: { url: '/tie' }, response: { body: 'first' } },
      { request: { url: '/tie' }, response: { body: 'second' } },
      { request: { url: '/slow' }, response: { body: 'slow', fixedDelayMilliseconds: 500 } },
      { request: { url: '/uniform' }, response: { delayDistribution: { type: 'uniform', lower: 100, upper: 200 } } },
      { request: { url: '/lognormal' }, response: { delayDistribution: { type: 'lognormal', median: 80, sigma: 0.4 } } },
      { request: { url: '/bin' }, response: { base64Body: Buffer.from([0, 1, 2, 255]).toString('base64') } },
      { request: { url: '/fault' }, response: { fault: 'CONNECTION_RESET_BY_PEER' } },
      { request: { method: 'ANY', url: '/anything', cookies: { session: { equalTo: 'abc' } } }, response: { status: 204 } },
      { request: { url: '/secure', basicAuthCredentials: { username: 'ada', password: 'pw' } }, response: { status: 200 } },
    ],
  });
});
inline.after(async (ctx) => {
  await ctx.k.stop();
});

inline('lower priority number wins over a broader mapping', async ({ k }) => {
  assert.is((await call(k, '/any/special')).text, 'high');
  assert.is((await call(k, '/any/other')).text, 'low');
});

inline('on equal priority the most recently added mapping wins', async ({ k }) => {
  assert.is((await call(k, '/tie')).text, 'second');
});

inline('fixedDelayMilliseconds waits on the virtual clock', async ({ k }) => {
  let done = false;
  const pending = call(k, '/slow').then((r) => ((done = true), r));
  await k.untilTimers();
  await k.advance(499);
  assert.not.ok(done);
  await k.advance(1);
  const res = await pending;
  assert.is(res.text, 'slow');
});

inline('delay distributions sample from the seeded stream', async ({ k }) => {
  const delays: number[] = [];
  for (const path of ['/uniform', '/uniform', '/lognormal']) {
    const pending = call(k, path);
    await k.untilTimers();
    await k.advance(10_000);
    assert.is((await pending).status, 200);
    const [latest] = (await call(k, '/__admin/requests?limit=1')).body.requests;
    assert.is(latest.timing.totalTime, latest.timing.addedDelay);
    delays.push(latest.timing.addedDelay);
  }
  assert.ok(delays[0] >= 100 && delays[0] <= 200 && delays[1] >= 100 && delays[1] <= 200);
  assert.is.not(delays[0], delays[1]);
  assert.ok(delays[2] > 0);
});

inline('base64Body is sent as bytes', async ({ k }) => {
  const res = await fetch(`${k.baseUrl}/bin`);
  assert.equal([...new Uint8Array(await res.arrayBuffer())], [0, 1, 2, 255]);
});

inline('a fault mapping resets the connection and the server keeps serving', async ({ k }) => {
  const outcome = await fetch(`${k.baseUrl}/fault`).then(() => 'answered', (err: Error) => err.message);
  assert.is(outcome, 'fetch failed');
  assert.is((await call(k, '/no-such-stub')).status, 404);
});

inline('ANY method with a cookie matcher', async ({ k }) => {
  assert.is((await call(k, '/anything', { method: 'DELETE', headers: { cookie: 'a=1; session=abc' } })).status, 204);
  assert.is((await call(k, '/anything', { method: 'DELETE', headers: { cookie: 'session=no' } })).status, 404);
});

inline('basicAuthCredentials checks the Authorization header', async ({ k }) => {
  const auth = `Basic ${Buffer.from('ada:pw').toString('base64')}`;
  assert.is((await call(k, '/secure', { headers: { authorization: auth } })).status, 200);
  assert.is((await call(k, '/secure')).status, 404);
});

inline.run();

const scenario = suite<{ k: TestKernel }>('scenarios');

scenario.before(async (ctx) => {
  ctx.k = await startStubs({
    mappings: [
      { scenarioName: 'cart', requiredScenarioState: 'Started', request: { method: 'GET', url: '/cart' }, response: { jsonBody: { items: 0 } } },
      { scenarioName: 'cart', requiredScenarioState: 'Started', newScenarioState: 'Filled', request: { method: 'POST', url: '/cart' }, response: { status: 201 } },
      { scenarioName: 'cart', requiredScenarioState: 'Filled', request: { method: 'GET', url: '/cart' }, response: { jsonBody: { items: 1 } } },
    ],
  });
});
scenario.after(async (ctx) => {
  await ctx.k.stop();
});

scenario('state moves on and mappings follow it', async ({ k }) => {
  assert.equal((await call(k, '/cart')).body, { items: 0 });
  assert.is((await call(k, '/cart', { method: 'POST' })).status, 201);
  assert.equal((await call(k, '/cart')).body, { items: 1 });
  const miss = await call(k, '/cart', { method: 'POST' });
  assert.is(miss.status, 404);
  const [first] = miss.body.unmatched.stubs.nearMisses;
  assert.equal(first.mismatches, [{ field: 'scenarioState', expected: 'Started', actual: 'Filled' }]);
  assert.equal(k.eventsOf('stubs.scenarioChanged').map((e) => e.data), [{ scenario: 'cart', from: 'Started', to: 'Filled' }]);
});

scenario('admin lists and resets scenarios', async ({ k }) => {
  const list = await call(k, '/__admin/scenarios');
  assert.equal(list.body, { scenarios: [{ id: 'cart', name: 'cart', state: 'Filled', possibleStates: ['Started', 'Filled'] }] });
  assert.is((await call(k, '/__admin/scenarios/reset', { method: 'POST' })).status, 200);
  assert.equal((await call(k, '/cart')).body, { items: 0 });
  assert.is((await call(k, '/__admin/scenarios/cart/state', { method: 'PUT', json: { state: 'Filled' } })).status, 200);
  assert.equal((await call(k, '/cart')).body, { items: 1 });
  const unknown = await call(k, '/__admin/scenarios/nope/state', { method: 'PUT', json: { state: 'x' } });
  assert.is(unknown.status, 404);
  assert.is(unknown.body.code, 'US_STUBS_SCENARIO_NOT_FOUND');
});

scenario.run();
