import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Consul from 'consul';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, once, portOf, registryOf, startDiscovery } from './helpers.js';

const client = suite<{ k: TestKernel; consul: Consul }>('consul: the real client');

client.before.each(async (ctx) => {
  ctx.k = await startDiscovery({ deregisterCriticalAfterMs: 0 });
  ctx.consul = new Consul({ host: '127.0.0.1', port: portOf(ctx.k) });
});
client.after.each(async (ctx) => {
  await ctx.k.stop();
});

const web: any = {
  name: 'web',
  id: 'web-1',
  tags: ['v1', 'primary'],
  address: '10.0.0.5',
  port: 8080,
  meta: { version: '1.2.3' },
  check: { ttl: '10s', deregistercriticalserviceafter: '1m' },
};

client('registers with a TTL check, lists it, passes and fails the check, deregisters', async ({ k, consul }) => {
  await consul.agent.service.register(web);
  const agent = (await consul.agent.service.list()) as Record<string, any>;
  assert.equal(Object.keys(agent), ['web-1']);
  assert.is(agent['web-1'].Service, 'web');
  assert.equal(agent['web-1'].Tags, ['v1', 'primary']);
  assert.is(agent['web-1'].Port, 8080);
  assert.equal(agent['web-1'].Meta, { version: '1.2.3' });
  assert.equal(await consul.catalog.service.list(), { web: ['v1', 'primary'] });

  const nodes = (await consul.catalog.service.nodes('web')) as any[];
  assert.is(nodes.length, 1);
  assert.is(nodes[0].ServiceID, 'web-1');
  assert.is(nodes[0].ServiceAddress, '10.0.0.5');
  assert.is(nodes[0].ServicePort, 8080);
  assert.is(nodes[0].Node, 'understudy');

  // TTL checks start critical, as in Consul
  assert.equal(await consul.health.service({ service: 'web', passing: true }), []);
  await consul.agent.check.pass({ id: 'service:web-1', note: 'all good' });
  const healthy = (await consul.health.service({ service: 'web', passing: true })) as any[];
  assert.is(healthy.length, 1);
  assert.is(healthy[0].Service.ID, 'web-1');
  const check = healthy[0].Checks.find((c: any) => c.CheckID === 'service:web-1');
  assert.is(check.Status, 'passing');
  assert.is(check.Output, 'all good');
  assert.is(check.Type, 'ttl');
  assert.is(registryOf(k).get('web-1')!.version, '1.2.3');

  await consul.agent.check.warn('service:web-1');
  assert.equal(await consul.health.service({ service: 'web', passing: true }), []);
  assert.is(((await consul.health.service('web')) as any[])[0].Checks[1].Status, 'warning');
  await consul.agent.check.fail({ id: 'service:web-1', note: 'down' });
  assert.is(registryOf(k).get('web-1')!.health, 'critical');

  await consul.agent.service.deregister('web-1');
  assert.equal(await consul.agent.service.list(), {});
  assert.equal(await consul.catalog.service.list(), {});
  assert.equal(
    k.eventsOf('service.healthChanged').map((e) => [e.data.from, e.data.to]),
    [['critical', 'passing'], ['passing', 'warning'], ['warning', 'critical']],
  );
  assert.is(k.eventsOf('service.deregistered').length, 1);
});

client('a watch on health.service (blocking queries) sees registration and health changes', async ({ k, consul }) => {
  const watch = consul.watch({ method: consul.health.service, options: { service: 'web', passing: true } as never });
  try {
    const changes: any[][] = [];
    watch.on('change', (data: any[]) => changes.push(data));
    watch.on('error', () => undefined);
    await once(watch, 'change');
    assert.equal(changes[0], []);
    await k.untilTimers(); // the next query is parked on the kernel clock

    const next = once<any[]>(watch, 'change');
    await consul.agent.service.register({ ...web, check: { ttl: '10s', status: 'passing' } });
    const seen = await next;
    assert.equal(seen.map((e) => e.Service.ID), ['web-1']);

    await k.untilTimers(2); // the TTL timer and the parked query
    const gone = once<any[]>(watch, 'change');
    await consul.agent.check.fail('service:web-1');
    assert.equal(await gone, []);
  } finally {
    watch.end();
  }
});

client('the TTL lapses into critical, and DeregisterCriticalServiceAfter removes it', async ({ k, consul }) => {
  await consul.agent.service.register({ ...web, check: { ttl: '10s', deregistercriticalserviceafter: '1m', status: 'passing' } });
  await k.advance(9_000);
  await consul.agent.check.pass('service:web-1');
  await k.advance(9_000);
  assert.is(registryOf(k).get('web-1')!.health, 'passing');
  await k.advance(1_000);
  const [entry] = (await consul.health.service('web')) as any[];
  assert.is(entry.Checks[1].Status, 'critical');
  assert.match(entry.Checks[1].Output, /TTL expired/);
  await k.advance(59_000);
  assert.ok(registryOf(k).get('web-1'));
  await k.advance(1_000);
  assert.equal(await consul.agent.service.list(), {});
  assert.match(k.eventsOf('service.deregistered')[0].data.reason, /critical for more than 60000 ms/);
});

const wire = suite<{ k: TestKernel }>('consul: the wire');

wire.before.each(async (ctx) => {
  ctx.k = await startDiscovery();
});
wire.after.each(async (ctx) => {
  await ctx.k.stop();
});

const register = (k: TestKernel, body: unknown, headers: Record<string, string> = {}) =>
  call(k, '/v1/agent/service/register', { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body), headers });

wire('bodies are JSON whatever the content type; ID defaults to Name', async ({ k }) => {
  assert.is((await register(k, { Name: 'api', Port: 80 })).status, 200);
  assert.is((await register(k, { Name: 'api', ID: 'api-2', Port: 81 }, { 'content-type': 'text/plain' })).status, 200);
  assert.is((await register(k, { name: 'api', id: 'api-3', port: 82 }, { 'content-type': 'application/x-www-form-urlencoded' })).status, 200);
  const agent = await call(k, '/v1/agent/services');
  assert.equal(Object.keys(agent.body), ['api', 'api-2', 'api-3']);
  assert.is(agent.body.api.Weights.Passing, 1);
  const one = await call(k, '/v1/agent/service/api-2');
  assert.is(one.body.Port, 81);
});

wire('unknown ids get Consul’s own answers', async ({ k }) => {
  const res = await call(k, '/v1/agent/service/deregister/nope', { method: 'PUT' });
  assert.is(res.status, 404);
  assert.is(res.text, 'Unknown service ID "nope". Ensure that the service ID is passed, not the service name.');
  const check = await call(k, '/v1/agent/check/pass/service:nope', { method: 'PUT' });
  assert.is(check.status, 404);
  assert.match(check.text, /Unknown check ID "service:nope"/);
  assert.is((await call(k, '/v1/agent/check/pass/other', { method: 'PUT' })).status, 404);
  assert.is((await call(k, '/v1/agent/service/nope')).status, 404);
});

wire('invalid input is a 400 naming the field, and the server keeps serving', async ({ k }) => {
  const noName = await register(k, { Port: 80 });
  assert.is(noName.status, 400);
  assert.is(noName.body.code, 'US_DISCOVERY_INVALID_REGISTRATION');
  assert.match(noName.body.message, /^Name: missing service name/);
  const badJson = await register(k, '{"Name": ');
  assert.is(badJson.status, 400);
  assert.is(badJson.body.code, 'US_INVALID_JSON');
  const badPort = await register(k, { Name: 'x', Port: 70000 });
  assert.match(badPort.body.message, /^port: /);
  const notObject = await register(k, '[1]');
  assert.match(notObject.body.message, /^body: must be a JSON object/);
  const badTtl = await register(k, { Name: 'x', Check: { TTL: 'soon' } });
  assert.is(badTtl.body.code, 'US_DISCOVERY_INVALID_DURATION');
  assert.match(badTtl.body.message, /^Check.TTL: "soon"/);
  assert.match((await register(k, { Name: 'x', Check: { TTL: '0s' } })).body.message, /^Check.TTL: must be longer than 0/);
  assert.match((await register(k, { Name: 'x', Check: { TTL: '1s', Status: 'meh' } })).body.message, /^Check.Status: "meh"/);
  assert.match((await register(k, { Name: 'x', ID: 5 })).body.message, /^ID: must be a string/);
  assert.match((await register(k, { Name: 'x', Checks: {} })).body.message, /^Checks: must be an array/);
  assert.match((await register(k, { Name: 'x', Checks: [1] })).body.message, /^Checks\[0\]: must be a JSON object/);
  assert.is((await call(k, '/v1/health/service/x?index=abc')).body.code, 'US_DISCOVERY_INVALID_INDEX');
  assert.is((await call(k, '/v1/health/service/x?index=3&wait=forever')).body.code, 'US_DISCOVERY_INVALID_DURATION');
  const update = await call(k, '/v1/agent/check/update/service:x', { method: 'PUT', json: { Status: 'bad' } });
  assert.match(update.body.message, /^Status: "bad"/);
  assert.is((await register(k, { Name: 'ok' })).status, 200);
});

wire('Checks: a TTL check among several, explicit check ids, check update', async ({ k }) => {
  await register(k, { Name: 'db', Checks: [{ HTTP: 'http://x', Interval: '10s' }, { CheckID: 'db-ttl', TTL: '30s', Notes: 'n' }] });
  await register(k, { Name: 'cache', Checks: [{ HTTP: 'http://x', Interval: '10s' }, { TTL: '30s' }] });
  await register(k, { Name: 'solo', Checks: [{ TTL: '30s', Name: 'solo ttl' }] });
  await register(k, { Name: 'plain', Checks: [] });
  const reg = registryOf(k);
  assert.is(reg.get('db')!.health, 'critical');
  const update = await call(k, '/v1/agent/check/update/db-ttl', { method: 'PUT', body: JSON.stringify({ Status: 'warning', Output: 'slow' }) });
  assert.is(update.status, 200);
  assert.is(reg.get('db')!.output, 'slow');
  assert.is((await call(k, '/v1/agent/check/pass/service:cache:2', { method: 'PUT' })).status, 200);
  assert.is(reg.get('cache')!.health, 'passing');
  assert.is((await call(k, '/v1/agent/check/update/service:solo', { method: 'PUT', json: { status: 'passing', output: 'ok' } })).status, 200);
  const [solo] = (await call(k, '/v1/health/service/solo')).body;
  assert.is(solo.Checks[1].Name, 'solo ttl');
  const [db] = (await call(k, '/v1/health/service/db')).body;
  assert.is(db.Checks[1].CheckID, 'db-ttl');
  assert.is(db.Checks[1].Notes, 'n');
  const [plain] = (await call(k, '/v1/health/service/plain')).body;
  assert.is(plain.Checks[1].CheckID, 'service:plain');
  assert.is(plain.Checks[1].Type, '');
  // re-registering replaces the check id
  await register(k, { Name: 'db', Check: { TTL: '30s' } });
  assert.is((await call(k, '/v1/agent/check/pass/db-ttl', { method: 'PUT' })).status, 404);
  assert.is((await call(k, '/v1/agent/check/pass/service:db', { method: 'PUT' })).status, 200);
  await call(k, '/v1/agent/service/deregister/db', { method: 'PUT' });
  assert.is((await call(k, '/v1/agent/check/pass/service:db', { method: 'PUT' })).status, 404);
});

wire('tag filters on catalog and health', async ({ k }) => {
  await register(k, { Name: 'api', ID: 'a1', Tags: ['blue'] });
  await register(k, { Name: 'api', ID: 'a2', Tags: ['green'] });
  assert.equal((await call(k, '/v1/catalog/service/api?tag=green')).body.map((s: any) => s.ServiceID), ['a2']);
  assert.equal((await call(k, '/v1/health/service/api?tag=blue')).body.map((s: any) => s.Service.ID), ['a1']);
  assert.equal((await call(k, '/v1/health/service/api?passing=false')).body.length, 2);
  assert.equal((await call(k, '/v1/catalog/services')).body, { api: ['blue', 'green'] });
});

wire('X-Consul-Index grows with each change; a blocking query returns as soon as its service changes', async ({ k }) => {
  const first = await call(k, '/v1/health/service/api');
  assert.is(first.headers.get('x-consul-index'), '1');
  assert.is(first.headers.get('x-consul-knownleader'), 'true');
  await register(k, { Name: 'other' });
  const catalog = await call(k, '/v1/catalog/services');
  const index = Number(catalog.headers.get('x-consul-index'));
  assert.is(index, 2);

  const before = k.clock.pendingTimers();
  const blocked = call(k, `/v1/health/service/api?index=${index}&wait=30s`);
  await k.untilTimers(before + 1);
  await register(k, { Name: 'other', ID: 'other-2' }); // another service: still blocked
  assert.is(k.clock.pendingTimers(), before + 1);
  const at = k.clock.now();
  await register(k, { Name: 'api' });
  const res = await blocked;
  assert.is(k.clock.now(), at); // released by the change, not by time
  assert.is(res.headers.get('x-consul-index'), '4');
  assert.is(res.body[0].Service.ID, 'api');
});

wire('a blocking query times out after wait (capped at maxWaitMs) with the same index', async ({ k }) => {
  await register(k, { Name: 'api' });
  const before = k.clock.pendingTimers();
  const blocked = call(k, '/v1/catalog/service/api?index=2&wait=1h');
  await k.untilTimers(before + 1);
  await k.advance(599_999);
  assert.is(k.clock.pendingTimers(), before + 1);
  await k.advance(1);
  const res = await blocked;
  assert.is(res.headers.get('x-consul-index'), '2');
  assert.is(res.body.length, 1);
  // an index ahead of ours (a reset registry) answers at once
  assert.is((await call(k, '/v1/agent/services?index=99&wait=10s')).status, 200);
  // index=0 is a plain read
  assert.is((await call(k, '/v1/agent/services?index=0')).status, 200);
});

wire('without ?wait a blocking query waits defaultWaitMs', async ({ k }) => {
  const before = k.clock.pendingTimers();
  const blocked = call(k, '/v1/agent/services?index=1');
  await k.untilTimers(before + 1);
  await k.advance(300_000);
  assert.is((await blocked).headers.get('x-consul-index'), '1');
});

client.run();
wire.run();
