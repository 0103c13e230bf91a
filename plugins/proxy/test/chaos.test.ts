// Chaos scoped to endpoints through the proxy's admin: a fault on `GET /users/{userId}`
// hits proxied and mocked answers of that endpoint only (not the literal /users/me), shows
// in chaos's own view with source "proxy", persists through learner.settings and is back
// after a restart; bad bodies get coded 400s; without the chaos plugin a coded 409.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { fakeLearner, MemorySettings, startProxy, startUpstream } from './helpers.js';

const KNOWN = { 'GET /users/{userId}': {}, 'GET /users/me': {} };

test('a fault on one endpoint template: proxied and mocked answers of it only, persisted, back after a restart', async () => {
  const up = await startUpstream();
  const settings = new MemorySettings();
  const k = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner, true);
  let id = '';
  try {
    const added = await fetchJson(`${k.baseUrl}/__admin/proxy/chaos`, { method: 'POST', json: { kind: 'error', status: 503, endpoints: ['GET /users/{id}'] } });
    assert.is(added.status, 201);
    id = added.body.id;
    assert.equal([added.body.kind, added.body.endpoints, added.body.active], ['error', ['GET /users/{id}'], true]);
    assert.is((await fetchJson(`${k.baseUrl}/users/1`)).status, 503);
    assert.is((await fetchJson(`${k.baseUrl}/users/1`, { headers: { 'x-mock-enabled': 'true' } })).status, 503, 'in mock mode too');
    assert.is((await fetchJson(`${k.baseUrl}/users/me`)).status, 200);
    assert.is((await fetchJson(`${k.baseUrl}/orders/1`)).status, 200);
    const chaosView = (await fetchJson(`${k.baseUrl}/__admin/chaos/faults`)).body.faults;
    assert.equal(chaosView.map((f: { id: string; source: string; injected: number }) => [f.id, f.source, f.injected]), [[id, 'proxy', 2]]);
    assert.is((await fetchJson(`${k.baseUrl}/__admin/proxy/chaos`)).body.faults[0].injected, 2);
    // a latency fault, on the kernel clock
    await fetchJson(`${k.baseUrl}/__admin/proxy/chaos`, { method: 'POST', json: { id: 'slow-me', kind: 'latency', ms: 800, scope: { endpoints: ['GET /users/me'] } } });
    const slow = fetchJson(`${k.baseUrl}/users/me`);
    await k.untilTimers(1);
    await k.clock.advance(800);
    assert.is((await slow).status, 200);
  } finally {
    await k.stop();
  }
  assert.equal((settings.values.get('proxy.chaos') as Array<{ id: string }>).map((f) => f.id), [id, 'slow-me']);
  const again = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner, true);
  try {
    assert.is((await fetchJson(`${again.baseUrl}/users/2`)).status, 503, 'restored at start');
    const del = await fetchJson(`${again.baseUrl}/__admin/proxy/chaos/${id}`, { method: 'DELETE' });
    assert.equal(del.body, { removed: 1 });
    assert.is((await fetchJson(`${again.baseUrl}/users/2`)).status, 200);
    assert.equal((await fetchJson(`${again.baseUrl}/__admin/proxy/chaos/${id}`, { method: 'DELETE' })).body.code, 'US_PROXY_FAULT_NOT_FOUND');
    assert.equal((await fetchJson(`${again.baseUrl}/__admin/proxy/chaos`, { method: 'DELETE' })).body, { removed: 1 });
    assert.equal(settings.values.get('proxy.chaos'), []);
    assert.equal((await fetchJson(`${again.baseUrl}/__admin/chaos/faults`)).body.faults, []);
  } finally {
    await again.stop();
    await up.close();
  }
});

test('bad scoped faults are refused with coded 400s and nothing is added; a failed write takes the fault back', async () => {
  const up = await startUpstream();
  const settings = new MemorySettings();
  const k = await startProxy({ target: up.url }, fakeLearner(KNOWN, settings).learner, true);
  try {
    const url = `${k.baseUrl}/__admin/proxy/chaos`;
    for (const [json, code, text] of [
      [{ kind: 'error' }, 'US_PROXY_INVALID', 'endpoints: must be a non-empty array'],
      [{ kind: 'error', endpoints: ['users'] }, 'US_PROXY_INVALID', 'endpoints[0]: must be "METHOD /path"'],
      [{ kind: 'error', endpoints: ['GET /x'], scope: 'x' }, 'US_PROXY_INVALID', 'scope: must be object'],
      [{ kind: 'boom', endpoints: ['GET /x'] }, 'US_CHAOS_INVALID', 'kind: must be one of'],
      ['x', 'US_PROXY_INVALID', 'must be a chaos fault with "endpoints"'],
    ] as const) {
      const res = await fetchJson(url, { method: 'POST', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.is(res.body.code, code);
      assert.match(res.body.message, text);
    }
    settings.failWrites = true;
    assert.is((await fetchJson(url, { method: 'POST', json: { kind: 'error', endpoints: ['GET /x'] } })).status, 500);
    settings.failWrites = false;
    assert.equal((await fetchJson(url)).body.faults, []);
    assert.equal((await fetchJson(`${k.baseUrl}/__admin/chaos/faults`)).body.faults, []);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('without the chaos plugin scoped chaos answers 409 US_PROXY_CHAOS_NOT_LOADED', async () => {
  const up = await startUpstream();
  const k = await startProxy({ target: up.url }, fakeLearner(KNOWN).learner);
  try {
    const res = await fetchJson(`${k.baseUrl}/__admin/proxy/chaos`, { method: 'POST', json: { kind: 'error', endpoints: ['GET /x'] } });
    assert.equal([res.status, res.body.code], [409, 'US_PROXY_CHAOS_NOT_LOADED']);
    assert.equal((await fetchJson(`${k.baseUrl}/__admin/proxy/chaos`)).body.faults, []);
  } finally {
    await k.stop();
    await up.close();
  }
});

test.run();
