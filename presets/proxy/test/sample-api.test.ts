// The sample API on its own port: users, products and orders with the whole lifecycle
// (POST with Location, GET, PUT, DELETE, then 404), /users/me next to /users/{id}, nested
// orders, validation errors, seeded latency slept on the kernel clock, occasional errors
// at the configured rate, the same data for the same seed, and stop/start for the tour.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { drive, startPreset } from './helpers.js';

test('lifecycle of users and orders, /users/me, nested orders, products by uuid, validation', async () => {
  const k = await startPreset({ sampleApi: { latency: { enabled: false }, errorRate: 0 } });
  const api = (path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.apiUrl + path, init);
  try {
    const list = await api('/users?limit=5');
    assert.equal([list.status, list.body.items.length, list.body.total, list.body.limit], [200, 5, 40, 5]);
    const me = await api('/users/me');
    assert.equal([me.body.id, Array.isArray(me.body.permissions)], [1, true]);
    const created = await api('/users', { method: 'POST', json: { name: 'Kay Lee', email: 'kay@example.com' } });
    assert.is(created.status, 201);
    assert.is(created.headers.get('location'), `/users/${created.body.id}`);
    assert.is(created.body.id, 41);
    assert.is((await api(`/users/${created.body.id}`)).body.name, 'Kay Lee');
    assert.is((await api('/users/41', { method: 'PUT', json: { name: 'Kay Li' } })).body.name, 'Kay Li');
    assert.is((await api('/users/41', { method: 'DELETE' })).status, 204);
    const gone = await api('/users/41');
    assert.equal([gone.status, gone.body.error], [404, 'not_found']);
    assert.equal((await api('/users', { method: 'POST', json: { name: '' } })).body.fields, ['name', 'email']);
    const orders = await api('/users/1/orders');
    assert.ok(orders.body.items.every((o: { userId: number }) => o.userId === 1));
    const products = await api('/products');
    const pid = products.body.items[0].id;
    assert.match(pid, /^[0-9a-f-]{36}$/);
    assert.is((await api(`/products/${pid}`)).body.id, pid);
    assert.is((await api('/products/42')).status, 400);
    const order = await api('/orders', { method: 'POST', json: { userId: 2, items: [{ productId: pid, quantity: 2 }] } });
    assert.equal([order.status, order.body.status, order.body.total], [201, 'pending', Math.round(products.body.items[0].price * 200) / 100]);
    assert.is((await api(`/orders/${order.body.id}`, { method: 'PUT', json: { status: 'paid' } })).body.status, 'paid');
    assert.is((await api(`/orders/${order.body.id}`, { method: 'PUT', json: { status: 'lost' } })).status, 422);
    assert.is((await api(`/orders/${order.body.id}`, { method: 'DELETE' })).status, 204);
    assert.is((await api(`/orders/${order.body.id}`)).status, 404);
    assert.is((await api('/nowhere')).status, 404);
  } finally {
    await k.stop();
  }
});

test('latency is slept on the kernel clock; errors come at about the configured rate; same seed, same data', async () => {
  const k = await startPreset({ sampleApi: { errorRate: 0.1 } });
  try {
    const pending = fetchJson(`${k.apiUrl}/users/3`);
    await k.untilTimers(2); // the learner's flush timer and this request's latency
    const before = k.clock.now();
    const res = await drive(k, pending);
    assert.ok(k.clock.now() > before, 'the answer waited for kernel time');
    assert.ok([200, 500, 503].includes(res.status));
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await drive(k, fetchJson(`${k.apiUrl}/users/${(i % 40) + 1}`))).status);
    const errors = statuses.filter((s) => s >= 500).length;
    assert.ok(errors > 5 && errors < 40, `${errors} errors of 200`);
  } finally {
    await k.stop();
  }
  const a = await startPreset({ sampleApi: { latency: { enabled: false }, errorRate: 0 } }, 3);
  const b = await startPreset({ sampleApi: { latency: { enabled: false }, errorRate: 0 } }, 3);
  try {
    assert.equal((await fetchJson(`${a.apiUrl}/products`)).body, (await fetchJson(`${b.apiUrl}/products`)).body);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('stop and start through the admin API: refused while stopped, same port and data after', async () => {
  const k = await startPreset({ sampleApi: { latency: { enabled: false }, errorRate: 0 } });
  try {
    const before = (await fetchJson(`${k.apiUrl}/users/2`)).body;
    const stopped = await fetchJson(`${k.baseUrl}/__admin/sampleApi/stop`, { method: 'POST' });
    assert.equal([stopped.body.running, stopped.body.url], [false, k.apiUrl]);
    const refused = await fetch(`${k.apiUrl}/users/2`).then(() => 'answered', (e: Error) => (e.cause as { code?: string })?.code ?? e.message);
    assert.is(refused, 'ECONNREFUSED');
    const started = await fetchJson(`${k.baseUrl}/__admin/sampleApi/start`, { method: 'POST' });
    assert.is(started.body.running, true);
    assert.equal((await fetchJson(`${k.apiUrl}/users/2`)).body, before);
    assert.is((await fetchJson(`${k.baseUrl}/__admin/sampleApi`)).body.requests, 2);
  } finally {
    await k.stop();
  }
});

test.run();
