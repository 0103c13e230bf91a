// Faults scoped to endpoint templates (`scope.endpoints`): matched on the exchange's
// endpoint key when a plugin set one (the learning proxy's learned key), parameter names
// aside and literal endpoints kept apart, else on the request's method and path; bad
// templates are refused with their path; the scope shows in the fault's view.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import chaos from '../src/index.js';

/** Answers 200 everywhere; for /users/* it sets the endpoint key a learner would have learned. */
const app = definePlugin({
  name: 'app',
  register(ctx) {
    ctx.hooks.exchange.tap({ name: 'app-route', stage: Stage.AfterRoute }, (ex) => {
      if (ex.request.path.startsWith('/users/')) ex.endpoint = ex.request.path === '/users/me' ? 'GET /users/me' : `${ex.request.method} /users/{userId}`;
      return ex;
    });
    ctx.hooks.exchange.tap({ name: 'app', stage: Stage.Respond }, (ex) => {
      ex.response = { status: 200, headers: {}, body: 'ok' };
      return ex;
    });
  },
});

async function kernel() {
  return createTestKernel({ plugins: [chaos, app] });
}

const post = (k: { baseUrl: string }, json: unknown) => fetchJson(`${k.baseUrl}/__admin/chaos/faults`, { method: 'POST', json });

test('a fault on GET /users/{id} hits learned /users/42 only: not /users/me, not PUT, not other paths', async () => {
  const k = await kernel();
  try {
    const added = await post(k, { id: 'u', kind: 'error', status: 500, scope: { endpoints: ['GET /users/{id}'] } });
    assert.is(added.status, 201);
    assert.equal(added.body.spec.scope.endpoints, ['GET /users/{id}']);
    const status = async (path: string, method = 'GET') => (await fetch(`${k.baseUrl}${path}`, { method })).status;
    assert.is(await status('/users/42'), 500);
    assert.is(await status('/users/me'), 200, 'a literal endpoint of its own');
    assert.is(await status('/users/42', 'PUT'), 200);
    assert.is(await status('/orders/42'), 200);
  } finally {
    await k.stop();
  }
});

test('without an endpoint key the request is matched on the template: {name} one segment, * any method', async () => {
  const k = await kernel();
  try {
    await post(k, { id: 'o', kind: 'error', status: 418, scope: { endpoints: ['* /orders/{orderId}/items', 'post /products'] } });
    const status = async (path: string, method = 'GET') => (await fetch(`${k.baseUrl}${path}`, { method })).status;
    assert.is(await status('/orders/7/items'), 418);
    assert.is(await status('/orders/7/items', 'DELETE'), 418);
    assert.is(await status('/orders/7'), 200);
    assert.is(await status('/orders//items'), 200, 'an empty segment is not a parameter');
    assert.is(await status('/products', 'POST'), 418, 'methods compare upper-cased');
    assert.is(await status('/products'), 200);
    // * also matches a learned key of any method
    await post(k, { id: 'any', kind: 'error', status: 503, scope: { endpoints: ['* /users/{x}'] } });
    assert.is(await status('/users/1', 'PATCH'), 503);
  } finally {
    await k.stop();
  }
});

test('bad endpoint templates are refused with their path, nothing added', async () => {
  const k = await kernel();
  try {
    for (const endpoints of [[], ['users'], ['FETCH /x'], ['GET /users/{id'], [42]]) {
      const res = await post(k, { kind: 'error', scope: { endpoints } });
      assert.is(res.status, 400, JSON.stringify(endpoints));
      assert.is(res.body.code, 'US_CHAOS_INVALID');
      assert.match(res.body.message, 'scope.endpoints');
    }
    assert.equal((await fetchJson(`${k.baseUrl}/__admin/chaos/faults`)).body.faults, []);
  } finally {
    await k.stop();
  }
});

test.run();
