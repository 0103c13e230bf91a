import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, startDiscovery } from './helpers.js';

const admin = suite<{ k: TestKernel }>('admin: /__admin/discovery');

admin.before.each(async (ctx) => {
  ctx.k = await startDiscovery();
});
admin.after.each(async (ctx) => {
  await ctx.k.stop();
});

const base = '/__admin/discovery';

admin('register, list, get, set health, heartbeat, deregister', async ({ k }) => {
  const created = await call(k, `${base}/instances`, { method: 'POST', json: { id: 'api-1', service: 'api', port: 80, tags: ['blue'], ttlMs: 5000 } });
  assert.is(created.status, 201);
  assert.is(created.body.address, '127.0.0.1');
  assert.is(created.body.source, 'admin');
  assert.is(created.body.ttlMs, 5000);
  await call(k, `${base}/instances`, { method: 'POST', json: { id: 'api-2', service: 'api', port: 81, health: 'critical', deregisterCriticalAfterMs: 0 } });

  const services = await call(k, `${base}/services`);
  assert.equal(services.body, { services: { api: ['blue'] }, index: 3 });
  const list = await call(k, `${base}/services/api`);
  assert.equal(list.body.instances.map((i: any) => i.id), ['api-1', 'api-2']);
  assert.is(list.body.index, 3);
  const passing = await call(k, `${base}/services/api?passingOnly=true`);
  assert.equal(passing.body.instances.map((i: any) => i.id), ['api-1']);
  assert.equal((await call(k, `${base}/services/api?tag=blue`)).body.instances.length, 1);

  const health = await call(k, `${base}/instances/api-1/health`, { method: 'PUT', json: { health: 'warning', output: 'slow' } });
  assert.is(health.status, 200);
  assert.is(health.body.health, 'warning');
  assert.is(health.body.output, 'slow');
  const beat = await call(k, `${base}/instances/api-1/heartbeat`, { method: 'POST' });
  assert.is(beat.body.health, 'passing');
  assert.is((await call(k, `${base}/instances/api-1`)).body.health, 'passing');

  assert.is((await call(k, `${base}/instances/api-1`, { method: 'DELETE' })).status, 200);
  assert.equal((await call(k, `${base}/services/api`)).body.instances.map((i: any) => i.id), ['api-2']);
  assert.equal(k.eventsOf('service.registered').map((e) => e.data.source), ['admin', 'admin']);
});

admin('unknown ids are 404 US_DISCOVERY_INSTANCE_NOT_FOUND', async ({ k }) => {
  for (const [method, path, json] of [
    ['GET', '/instances/nope', undefined],
    ['DELETE', '/instances/nope', undefined],
    ['PUT', '/instances/nope/health', { health: 'passing' }],
    ['POST', '/instances/nope/heartbeat', undefined],
  ] as const) {
    const res = await call(k, base + path, { method, json });
    assert.is(res.status, 404, `${method} ${path}`);
    assert.is(res.body.code, 'US_DISCOVERY_INSTANCE_NOT_FOUND');
    assert.match(res.body.message, /"nope"/);
  }
});

admin('invalid bodies are 400 naming the field; the server keeps serving', async ({ k }) => {
  const noService = await call(k, `${base}/instances`, { method: 'POST', json: { id: 'x', port: 80 } });
  assert.is(noService.status, 400);
  assert.is(noService.body.code, 'US_BAD_REQUEST');
  assert.match(noService.body.message, /service/);
  const badPort = await call(k, `${base}/instances`, { method: 'POST', json: { id: 'x', service: 's', port: 99999 } });
  assert.match(badPort.body.message, /port/);
  const badHealth = await call(k, `${base}/instances/x/health`, { method: 'PUT', json: { health: 'fine' } });
  assert.is(badHealth.status, 400);
  const badJson = await call(k, `${base}/instances`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
  assert.is(badJson.status, 400);
  assert.is(badJson.body.code, 'US_INVALID_JSON');
  assert.is((await call(k, `${base}/services`)).status, 200);
});

admin('routes appear in the OpenAPI document', async ({ k }) => {
  const doc = await call(k, '/__admin/openapi.json');
  assert.ok(doc.body.paths['/__admin/discovery/instances']);
  assert.ok(doc.body.paths['/__admin/discovery/services/{service}']);
});

admin.run();
