import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';

let k: TestKernel;

test.before(async () => {
  k = await createTestKernel({ presets: ['basic'] });
});
test.after(async () => {
  await k.stop();
});

const get = (path: string, init?: RequestInit) => fetch(k.baseUrl + path, init);

test('the preset is found by name and loads the stubs plugin', () => {
  assert.equal(k.plugins().map((p) => p.name), ['stubs']);
});

test('GET /hello', async () => {
  const res = await get('/hello');
  assert.is(res.status, 200);
  assert.is(await res.text(), 'Hello from Understudy!');
});

test('users list, one user by template, and the unknown user', async () => {
  assert.is(((await (await get('/api/users')).json()) as { total: number }).total, 2);
  assert.is(((await (await get('/api/users/1')).json()) as { name: string }).name, 'Ada Lovelace');
  assert.is((await get('/api/users/404')).status, 404);
  assert.is((await get('/api/users/abc')).status, 404);
});

test('POST /api/orders answers 201 after its delay', async () => {
  const pending = get('/api/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ sku: 'A-1', quantity: 2 }] }) });
  await k.untilTimers();
  await k.advance(120);
  const res = await pending;
  assert.is(res.status, 201);
  assert.is(res.headers.get('location'), '/api/orders/1001');
});

test('the order-status scenario moves from processing to shipped', async () => {
  const status = async () => ((await (await get('/api/orders/1001')).json()) as { status: string }).status;
  assert.is(await status(), 'processing');
  assert.is(await status(), 'shipped');
  assert.is(await status(), 'shipped');
});

test('the sales report comes from __files', async () => {
  const res = await get('/reports/sales.csv');
  assert.match(await res.text(), /^month,region,revenue\n/);
});

test('the admin API lists the sample mappings', async () => {
  const body = (await (await get('/__admin/mappings')).json()) as { meta: { total: number } };
  assert.is(body.meta.total, 8);
});

test.run();
