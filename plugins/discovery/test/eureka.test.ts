import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Eureka } from 'eureka-js-client';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, once, portOf, registryOf, startDiscovery, until } from './helpers.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function eurekaClient(k: TestKernel, instance: Record<string, unknown> = {}) {
  return new Eureka({
    logger: silent,
    instance: {
      app: 'orders',
      instanceId: 'orders-1',
      hostName: 'localhost',
      ipAddr: '127.0.0.1',
      port: { $: 8080, '@enabled': true },
      vipAddress: 'orders',
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      metadata: { version: '2.0.0', zone: 'a' },
      ...instance,
    },
    eureka: {
      host: '127.0.0.1',
      port: portOf(k),
      servicePath: '/eureka/apps/',
      preferIpAddress: true,
      heartbeatInterval: 20,
      registryFetchInterval: 20,
      maxRetries: 0,
    },
  } as never);
}

const client = suite<{ k: TestKernel }>('eureka: the real client');

client.before.each(async (ctx) => {
  ctx.k = await startDiscovery();
});
client.after.each(async (ctx) => {
  await ctx.k.stop();
});

client('start() registers and fetches the registry; heartbeats renew; stop() deregisters', async ({ k }) => {
  const eureka = eurekaClient(k);
  const started = once(eureka, 'started');
  eureka.start();
  await started;
  const reg = registryOf(k);
  const instance = reg.get('orders-1')!;
  assert.is(instance.service, 'orders');
  assert.is(instance.address, '127.0.0.1');
  assert.is(instance.port, 8080);
  assert.is(instance.version, '2.0.0');
  assert.is(instance.health, 'passing');
  assert.is(instance.source, 'eureka');
  // its own registry fetch saw itself
  assert.equal(eureka.getInstancesByAppId('ORDERS').map((i: any) => i.instanceId), ['orders-1']);
  assert.equal(eureka.getInstancesByVipAddress('orders').map((i: any) => i.instanceId), ['orders-1']);

  const apps = await call(k, '/eureka/apps', { headers: { accept: 'application/json' } });
  const [app] = apps.body.applications.application;
  assert.is(app.name, 'ORDERS');
  assert.is(app.instance[0].status, 'UP');
  assert.equal(app.instance[0].port, { $: 8080, '@enabled': 'true' });
  assert.equal(app.instance[0].metadata, { version: '2.0.0', zone: 'a' });
  assert.is(apps.body.applications.apps__hashcode, 'UP_1_');

  // renewals move lastHeartbeat on the kernel clock
  await k.advance(1000);
  await once(eureka, 'heartbeat');
  await until(() => reg.get('orders-1')!.lastHeartbeat === k.clock.now(), 2000, 'renewal');

  const stopped = once(eureka, 'deregistered');
  eureka.stop();
  await stopped;
  assert.is(reg.get('orders-1'), undefined);
  assert.is(k.eventsOf('service.deregistered')[0].data.source, 'eureka');
});

const wire = suite<{ k: TestKernel }>('eureka: the wire');

wire.before.each(async (ctx) => {
  ctx.k = await startDiscovery({ eureka: { leaseDurationMs: 30_000 } });
});
wire.after.each(async (ctx) => {
  await ctx.k.stop();
});

const body = (over: Record<string, unknown> = {}) => ({
  instance: { instanceId: 'pay-1', hostName: 'pay.local', app: 'PAY', ipAddr: '10.0.0.9', port: 9090, status: 'UP', vipAddress: 'pay', ...over },
});

for (const prefix of ['/eureka', '/eureka/v2']) {
  wire(`${prefix}: register, heartbeat, status override, deregister`, async ({ k }) => {
    assert.is((await call(k, `${prefix}/apps/pay`, { method: 'POST', json: body() })).status, 204);
    assert.is((await call(k, `${prefix}/apps/PAY/pay-1`, { method: 'PUT' })).status, 200);
    const one = await call(k, `${prefix}/apps/pay/pay-1`);
    assert.is(one.body.instance.hostName, 'pay.local');
    assert.is(one.body.instance.vipAddress, 'pay');
    assert.is((await call(k, `${prefix}/apps/PAY`)).body.application.instance.length, 1);

    assert.is((await call(k, `${prefix}/apps/PAY/pay-1/status?value=OUT_OF_SERVICE`, { method: 'PUT' })).status, 200);
    const reg = registryOf(k);
    assert.is(reg.get('pay-1')!.health, 'critical');
    let inst = (await call(k, `${prefix}/apps/PAY/pay-1`)).body.instance;
    assert.is(inst.status, 'OUT_OF_SERVICE');
    assert.is(inst.overriddenStatus, 'OUT_OF_SERVICE');
    // a renewal keeps the override
    await call(k, `${prefix}/apps/PAY/pay-1`, { method: 'PUT' });
    assert.is(reg.get('pay-1')!.health, 'critical');
    assert.is((await call(k, `${prefix}/apps/PAY/pay-1/status`, { method: 'DELETE' })).status, 200);
    inst = (await call(k, `${prefix}/apps/PAY/pay-1`)).body.instance;
    assert.is(inst.status, 'UP');
    assert.is(inst.overriddenStatus, 'UNKNOWN');
    assert.is(reg.get('pay-1')!.health, 'passing');
    assert.is((await call(k, `${prefix}/apps/PAY/pay-1/status?value=STARTING`, { method: 'PUT' })).status, 200);
    assert.is(reg.get('pay-1')!.health, 'warning');
    await call(k, `${prefix}/apps/PAY/pay-1/status?value=DOWN`, { method: 'DELETE' });
    assert.is(reg.get('pay-1')!.health, 'critical');

    assert.is((await call(k, `${prefix}/apps/PAY/pay-1`, { method: 'DELETE' })).status, 200);
    assert.is((await call(k, `${prefix}/apps/PAY/pay-1`, { method: 'DELETE' })).status, 404);
  });
}

wire('unknown apps and instances are 404, as in Eureka', async ({ k }) => {
  await call(k, '/eureka/apps/pay', { method: 'POST', json: body() });
  assert.is((await call(k, '/eureka/apps/PAY/nope', { method: 'PUT' })).status, 404);
  assert.is((await call(k, '/eureka/apps/OTHER/pay-1', { method: 'PUT' })).status, 404);
  assert.is((await call(k, '/eureka/apps/OTHER/pay-1')).status, 404);
  assert.is((await call(k, '/eureka/apps/OTHER')).status, 404);
  assert.is((await call(k, '/eureka/apps/PAY/nope/status?value=UP', { method: 'PUT' })).status, 404);
  assert.is((await call(k, '/eureka/apps/PAY/nope/status', { method: 'DELETE' })).status, 404);
});

wire('a lease without renewals expires and the instance is evicted (kernel clock)', async ({ k }) => {
  await call(k, '/eureka/apps/pay', { method: 'POST', json: body({ leaseInfo: { durationInSecs: 10 } }) });
  await call(k, '/eureka/apps/pay', { method: 'POST', json: body({ instanceId: 'pay-2' }) });
  await k.advance(9_000);
  await call(k, '/eureka/apps/PAY/pay-1', { method: 'PUT' });
  await k.advance(9_000);
  const reg = registryOf(k);
  assert.ok(reg.get('pay-1'));
  await k.advance(999);
  assert.ok(reg.get('pay-1'));
  await k.advance(1);
  assert.is(reg.get('pay-1'), undefined);
  assert.ok(reg.get('pay-2')); // default lease: 30 s from config
  await k.advance(11_000);
  assert.is(reg.get('pay-2'), undefined);
  assert.equal(k.eventsOf('service.deregistered').map((e) => e.data.reason), ['lease expired', 'lease expired']);
});

wire('full registry and delta list instances from every source, with status counts', async ({ k }) => {
  await call(k, '/eureka/apps/pay', { method: 'POST', json: body({ status: 'STARTING', port: { $: '9091', '@enabled': 'true' }, metadata: { '@class': 'java.util.Collections$EmptyMap' } }) });
  registryOf(k).register({ id: 'web-1', service: 'web', address: '10.0.0.1', port: 80 });
  registryOf(k).register({ id: 'web-2', service: 'web', address: '10.0.0.2', port: 80 }, { health: 'critical' });
  const full = (await call(k, '/eureka/v2/apps/')).body.applications;
  assert.equal(full.application.map((a: any) => a.name), ['PAY', 'WEB']);
  assert.is(full.apps__hashcode, 'DOWN_1_STARTING_1_UP_1_');
  assert.is(full.versions__delta, String(registryOf(k).index));
  const pay = full.application[0].instance[0];
  assert.equal(pay.port, { $: 9091, '@enabled': 'true' });
  assert.equal(pay.metadata, { '@class': 'java.util.Collections$EmptyMap' });
  assert.is(full.application[1].instance[0].vipAddress, 'web');
  const delta = (await call(k, '/eureka/apps/delta')).body.applications;
  assert.is(delta.application.length, 2);
  // a health change from elsewhere shows through
  registryOf(k).setHealth('pay-1', 'passing');
  assert.is((await call(k, '/eureka/apps/PAY/pay-1')).body.instance.status, 'UP');
  // a status override on an instance Eureka did not register
  await call(k, '/eureka/apps/WEB/web-1/status?value=OUT_OF_SERVICE', { method: 'PUT' });
  assert.is((await call(k, '/eureka/apps/WEB/web-1')).body.instance.status, 'OUT_OF_SERVICE');
  await call(k, '/eureka/apps/WEB/web-2/status', { method: 'DELETE' });
  assert.is(registryOf(k).get('web-2')!.health, 'passing');
});

wire('invalid registrations are 400 naming the field', async ({ k }) => {
  const post = (json: unknown) => call(k, '/eureka/apps/pay', { method: 'POST', json });
  const cases: Array<[unknown, RegExp]> = [
    [{}, /^instance: missing/],
    [{ instance: { hostName: '' } }, /^instance.instanceId: missing/],
    [{ instance: { instanceId: 'x', port: 1 } }, /^instance.ipAddr: must be a string/],
    [{ instance: { instanceId: 'x', ipAddr: '1.1.1.1', port: 'http' } }, /^instance.port: /],
    [{ instance: { instanceId: 'x', ipAddr: '1.1.1.1', port: 1, status: 'HAPPY' } }, /^instance.status: /],
  ];
  for (const [json, message] of cases) {
    const res = await post(json);
    assert.is(res.status, 400);
    assert.is(res.body.code, 'US_DISCOVERY_INVALID_REGISTRATION');
    assert.match(res.body.message, message);
  }
  await post(body());
  const status = await call(k, '/eureka/apps/PAY/pay-1/status?value=HAPPY', { method: 'PUT' });
  assert.is(status.status, 400);
  assert.match(status.body.message, /^value: /);
  assert.is((await post({ instance: { hostName: 'h', ipAddr: '1.1.1.1', port: '80' } })).status, 204);
  assert.is(registryOf(k).get('h')!.port, 80);
});

client.run();
wire.run();
