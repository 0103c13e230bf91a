// The proxy preset's README tour, end to end on real sockets: `presets: ['proxy']` loaded
// by name as `understudy start --preset proxy` does, the sample API on a port of its own,
// the virtual clock driven in small steps while requests sleep on it. Each test is one
// step of the tour, in order: traffic through the proxy, the learned endpoints
// (`/users/{userId}` next to the literal `/users/me`), the backend stopped, realistic
// answers with X-Mock-Enabled (and a fallback without it), a created resource read back,
// chaos on one endpoint, and the OpenAPI export loaded by another tool (ajv) that checks the
// real backend's answers against it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel, fetchJson, type JsonReply, type TestKernel } from '@understudy/plugin-sdk/testing';

let k: TestKernel;
let apiUrl = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One request through the proxy, the virtual clock moved until it is answered. */
async function send(path: string, init: Parameters<typeof fetchJson>[1] = {}, base = k.baseUrl): Promise<JsonReply> {
  let done = false;
  const work = fetchJson(base + path, init).finally(() => (done = true));
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done && k.clock.pendingTimers() > 0) await k.clock.advance(5);
  }
  return work;
}
const admin = (path: string, init?: Parameters<typeof fetchJson>[1]) => send(`/__admin${path}`, init);
const mock = { headers: { 'x-mock-enabled': 'true' } };

test.before(async () => {
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  k = await createTestKernel({
    presets: ['proxy'],
    seed: 13,
    // the tour's defaults, but an in-memory store and the free port
    config: { sampleApi: { port }, proxy: { target: apiUrl }, learner: { storage: ':memory:' } },
  });
});
test.after(async () => {
  await k.stop();
});

test('1. traffic through the proxy reaches the sample API', async () => {
  for (let id = 1; id <= 20; id++) assert.ok([200, 500, 503].includes((await send(`/users/${id}`)).status));
  await send('/users/me');
  await send('/users/me');
  const products = await send('/products');
  for (const p of products.body.items?.slice(0, 8) ?? []) await send(`/products/${p.id}`);
  for (let id = 1; id <= 6; id++) await send(`/users/${id}/orders`);
  for (let i = 0; i < 4; i++) {
    const created = await send('/users', { method: 'POST', json: { name: `Tour User ${i}`, email: `tour${i}@example.com` } });
    if (created.status !== 201) continue;
    await send(`/users/${created.body.id}`);
    await send(`/users/${created.body.id}`, { method: 'PUT', json: { name: `Tour User ${i}b` } });
    await send(`/users/${created.body.id}`, { method: 'DELETE' });
    await send(`/users/${created.body.id}`);
  }
  const stats = (await admin('/proxy/stats')).body;
  assert.ok(stats.proxied >= 50, JSON.stringify(stats));
  assert.is(stats.upstreamErrors, 0);
});

test('2. the learned endpoints: /users/{userId} appears, /users/me stays literal', async () => {
  await k.resolve('learner').flush();
  const keys = (await admin('/learner/endpoints')).body.endpoints.map((e: { key: string }) => e.key);
  for (const key of ['GET /users/{userId}', 'GET /users/me', 'GET /products/{productId}', 'GET /users/{userId}/orders', 'POST /users']) assert.ok(keys.includes(key), `${key} in ${keys}`);
  assert.not.ok(keys.some((key: string) => /\/users\/\d+$/.test(key)), 'no exact user URLs');
  const one = await admin(`/learner/endpoints/${encodeURIComponent('GET /users/{userId}')}`);
  assert.is(one.status, 200);
  assert.ok(one.body.latency.p50Ms > 0, 'latency learned as a distribution');
});

test('3–4. the backend stops; X-Mock-Enabled gives realistic answers, and without it the proxy falls back', async () => {
  assert.is((await admin('/sampleApi/stop', { method: 'POST' })).body.running, false);
  const user = await send('/users/42', mock);
  assert.is(user.status === 200 || user.status >= 500, true);
  // the status mix is learned too: ask until a success comes (seeded, so the same each run)
  let ok = user;
  for (let i = 0; ok.status !== 200 && i < 10; i++) ok = await send(`/users/${43 + i}`, mock);
  assert.is(ok.status, 200);
  assert.is(ok.headers.get('x-understudy-mock'), 'synthesized');
  assert.type(ok.body.name, 'string');
  assert.match(ok.body.email, /@/);
  assert.match(ok.body.createdAt, /^\d{4}-\d{2}-\d{2}T/);
  const me = await send('/users/me', mock);
  if (me.status === 200) assert.ok(Array.isArray(me.body.permissions), 'the literal endpoint has its own shape');
  const fallback = await send('/users/7');
  assert.is(fallback.headers.get('x-understudy-fallback'), 'upstream-error');
  const unknown = await send('/nothing/learned', mock);
  assert.equal([unknown.status, unknown.body.code], [404, 'US_PROXY_NOT_LEARNED']);
});

test('4b. state: a user created against the mock can be read back and deleted', async () => {
  let created: JsonReply | undefined;
  for (let i = 0; i < 10 && created?.status !== 201; i++) created = await send('/users', { method: 'POST', json: { name: 'Mock Made', email: 'mock@example.com' }, ...mock });
  assert.is(created!.status, 201);
  assert.is(created!.headers.get('x-understudy-mock'), 'state');
  const id = created!.body.id;
  const read = await send(`/users/${id}`, mock);
  assert.equal([read.status, read.body.name], [200, 'Mock Made']);
  assert.is((await send(`/users/${id}`, { method: 'DELETE', ...mock })).status, 204);
  assert.is((await send(`/users/${id}`, mock)).status, 404);
});

test('5. chaos on one endpoint: GET /users/{userId} fails, /users/me does not', async () => {
  const fault = await admin('/proxy/chaos', { method: 'POST', json: { id: 'users-down', kind: 'error', status: 503, endpoints: ['GET /users/{userId}'] } });
  assert.is(fault.status, 201);
  for (let i = 0; i < 3; i++) {
    const hit = await send(`/users/${i + 1}`, mock);
    assert.equal([hit.status, hit.body.code], [503, 'US_CHAOS_INJECTED_ERROR']);
  }
  const me = await send('/users/me', mock);
  assert.is.not(me.body.code, 'US_CHAOS_INJECTED_ERROR');
  assert.is((await admin('/proxy/chaos')).body.faults[0].injected, 3);
  assert.is((await admin('/proxy/chaos/users-down', { method: 'DELETE' })).status, 200);
});

test('6. export OpenAPI and load it in another tool: ajv checks the real backend against it', async () => {
  const doc = await admin('/learner/export/openapi');
  assert.is(doc.status, 200);
  assert.match(doc.body.openapi, /^3\.1\./);
  assert.ok(doc.body.paths['/users/{userId}'], Object.keys(doc.body.paths).join(', '));
  const schema = doc.body.paths['/users/{userId}'].get.responses['200'].content['application/json'].schema;
  const ajv = new Ajv2020({ strict: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(schema);
  await admin('/sampleApi/start', { method: 'POST' });
  // the users it learned from (a schema learned from 20 users need not know every role)
  for (let id = 1; id <= 20; id++) {
    const real = await send(`/users/${id}`, {}, apiUrl);
    if (real.status === 200) assert.ok(validate(real.body), JSON.stringify(validate.errors));
  }
});

test.run();
