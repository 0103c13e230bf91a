import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { registryOf, startDiscovery } from './helpers.js';

const registry = suite<{ k: TestKernel }>('registry');

registry.before.each(async (ctx) => {
  ctx.k = await startDiscovery({}, false);
});
registry.after.each(async (ctx) => {
  await ctx.k.stop();
});

const api = { id: 'api-1', service: 'api', address: '10.0.0.1', port: 80 };

registry('register fills defaults, same id updates, index bumps on every change but not on heartbeats', async ({ k }) => {
  const reg = registryOf(k);
  assert.is(reg.index, 1);
  const first = reg.register(api);
  assert.equal(
    { ...first },
    {
      ...api,
      tags: [],
      meta: {},
      version: '',
      source: 'api',
      health: 'passing',
      output: '',
      registeredAt: k.clock.now(),
      lastHeartbeat: k.clock.now(),
      createIndex: 2,
      modifyIndex: 2,
      deregisterCriticalAfterMs: 0,
      onTtlExpiry: 'critical',
    },
  );
  assert.is(reg.index, 2);
  await k.advance(1000);
  const updated = reg.register({ ...api, port: 81, tags: ['x'], version: '2' });
  assert.is(updated.createIndex, 2);
  assert.is(updated.modifyIndex, 3);
  assert.is(updated.registeredAt, first.registeredAt);
  assert.is(reg.index, 3);
  assert.ok(reg.heartbeat('api-1'));
  assert.is(reg.index, 3);
  assert.ok(reg.setHealth('api-1', 'warning', 'slow'));
  assert.is(reg.index, 4);
  assert.ok(reg.setHealth('api-1', 'warning', 'slow'));
  assert.is(reg.index, 4);
  assert.ok(reg.deregister('api-1'));
  assert.is(reg.index, 5);
  assert.not.ok(reg.deregister('api-1'));
  assert.not.ok(reg.heartbeat('api-1'));
  assert.not.ok(reg.setHealth('api-1', 'passing'));
  assert.not.ok(reg.renew('api-1'));
  assert.equal(k.eventsOf('service.registered').map((e) => e.data.updated), [false, true]);
  assert.equal(k.eventsOf('service.healthChanged').map((e) => e.data), [{ id: 'api-1', service: 'api', from: 'passing', to: 'warning', output: 'slow', source: 'api' }]);
});

registry('re-registering with another health or service', async ({ k }) => {
  const reg = registryOf(k);
  reg.register(api);
  reg.register(api, { health: 'critical' });
  assert.equal(k.eventsOf('service.healthChanged').map((e) => e.data.to), ['critical']);
  reg.register({ ...api, service: 'api2' });
  assert.equal(reg.services(), { api2: [] });
  assert.equal(k.eventsOf('service.deregistered').map((e) => e.data), [{ id: 'api-1', service: 'api', reason: 'replaced', source: 'api' }]);
});

registry('instances filter by passing and tag; services unions tags', async ({ k }) => {
  const reg = registryOf(k);
  reg.register({ ...api, id: 'b', tags: ['blue', 'x'] });
  reg.register({ ...api, id: 'a', tags: ['green', 'x'] }, { health: 'warning' });
  reg.register({ id: 'db', service: 'db', address: '', port: 5432 });
  assert.equal(reg.instances('api').map((i) => i.id), ['a', 'b']);
  assert.equal(reg.instances('api', { passingOnly: true }).map((i) => i.id), ['b']);
  assert.equal(reg.instances('api', { tag: 'green' }).map((i) => i.id), ['a']);
  assert.equal(reg.instances('nope'), []);
  assert.equal(reg.services(), { api: ['blue', 'x', 'green'], db: [] });
  assert.equal(reg.all().map((i) => i.id), ['a', 'b', 'db']);
  // returned objects are copies
  reg.instances('api')[0].tags.push('mutated');
  assert.equal(reg.get('a')!.tags, ['green', 'x']);
});

registry('validation errors are coded 400s naming the field', async ({ k }) => {
  const reg = registryOf(k);
  const cases: Array<[unknown, string]> = [
    [null, 'registration'],
    [{ ...api, id: ' ' }, 'id'],
    [{ ...api, service: '' }, 'service'],
    [{ ...api, address: 5 }, 'address'],
    [{ ...api, port: 1.5 }, 'port'],
    [{ ...api, port: -1 }, 'port'],
    [{ ...api, tags: 'x' }, 'tags'],
    [{ ...api, meta: { a: 1 } }, 'meta'],
    [{ ...api, version: 2 }, 'version'],
    [{ ...api, ttlMs: 0 }, 'ttlMs'],
  ];
  for (const [input, field] of cases) {
    try {
      reg.register(input as never);
      assert.unreachable(`accepted ${JSON.stringify(input)}`);
    } catch (err: any) {
      assert.is(err.code, 'US_DISCOVERY_INVALID_REGISTRATION');
      assert.is(err.statusCode, 400);
      assert.ok(err.message.startsWith(`${field}: `), err.message);
    }
  }
  assert.throws(() => reg.register(api, { health: 'ok' as never }), /health: "ok"/);
  reg.register(api);
  assert.throws(() => reg.setHealth('api-1', 'sick' as never), (err: any) => err.code === 'US_DISCOVERY_INVALID_HEALTH');
});

registry('TTL: critical when no heartbeat; a heartbeat restores passing; reaped after deregisterCriticalAfterMs', async ({ k }) => {
  const reg = registryOf(k);
  reg.register({ ...api, ttlMs: 5000 }, { deregisterCriticalAfterMs: 20_000 });
  await k.advance(4000);
  assert.ok(reg.heartbeat('api-1'));
  await k.advance(4999);
  assert.is(reg.get('api-1')!.health, 'passing');
  await k.advance(1);
  assert.is(reg.get('api-1')!.health, 'critical');
  assert.match(reg.get('api-1')!.output, /TTL expired/);
  await k.advance(10_000);
  reg.heartbeat('api-1'); // leaving critical cancels the reaper
  await k.advance(5000);
  assert.is(reg.get('api-1')!.health, 'critical');
  await k.advance(19_999);
  assert.ok(reg.get('api-1'));
  await k.advance(1);
  assert.is(reg.get('api-1'), undefined);
  assert.equal(k.eventsOf('service.healthChanged').map((e) => [e.data.from, e.data.to, e.data.source]), [
    ['passing', 'critical', 'ttl'],
    ['critical', 'passing', 'api'],
    ['passing', 'critical', 'ttl'],
  ]);
  assert.equal(k.eventsOf('service.deregistered')[0].data.source, 'reaper');
});

registry('the configured deregisterCriticalAfterMs applies to instances without their own', async () => {
  const k = await startDiscovery({ deregisterCriticalAfterMs: 1000 }, false);
  try {
    const reg = registryOf(k);
    reg.register(api, { health: 'critical' });
    reg.register({ ...api, id: 'keep' }, { health: 'critical', deregisterCriticalAfterMs: 0 });
    await k.advance(1000);
    assert.is(reg.get('api-1'), undefined);
    assert.ok(reg.get('keep'));
  } finally {
    await k.stop();
  }
});

registry('waitForChange: immediate when behind, same tick on change, current index on timeout, per service', async ({ k }) => {
  const reg = registryOf(k);
  reg.register(api);
  assert.is(await reg.waitForChange(1, 1000), 2);
  assert.is(await reg.waitForChange(2, 0), 2);
  assert.is(await reg.waitForChange(50, 1000), 2); // ahead of us: reset
  assert.is(await reg.waitForChange(1, 1000, 'api'), 2);

  const any = reg.waitForChange(2, 10_000);
  const apiOnly = reg.waitForChange(2, 10_000, 'api');
  let apiDone = false;
  void apiOnly.then(() => (apiDone = true));
  reg.register({ ...api, id: 'db', service: 'db' });
  assert.is(await any, 3);
  await Promise.resolve();
  assert.not.ok(apiDone);
  reg.setHealth('api-1', 'critical');
  assert.is(await apiOnly, 4);

  const timedOut = reg.waitForChange(4, 5000, 'api');
  await k.advance(5000);
  assert.is(await timedOut, 4);
  assert.is(reg.serviceIndex('nope'), 1);

  // stop releases parked waits
  const parked = reg.waitForChange(4, 60_000);
  reg.close();
  assert.is(await parked, 4);
});

registry('static services from config', async () => {
  const k = await startDiscovery(
    {
      services: [
        { service: 'web', port: 80 },
        { service: 'web', port: 81, tags: ['b'] },
        { id: 'db-main', service: 'db', address: '10.0.0.3', port: 5432, meta: { role: 'primary' }, version: '15', ttlMs: 1000 },
      ],
    },
    false,
  );
  try {
    const reg = registryOf(k);
    assert.equal(reg.all().map((i) => [i.id, i.address, i.source]), [
      ['db-main', '10.0.0.3', 'config'],
      ['web-1', '127.0.0.1', 'config'],
      ['web-2', '127.0.0.1', 'config'],
    ]);
    await k.advance(1000);
    assert.is(reg.get('db-main')!.health, 'critical');
  } finally {
    await k.stop();
  }
});

registry.run();
