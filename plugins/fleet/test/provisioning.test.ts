import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Random } from '@understudy/plugin-sdk';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import { ConnectivityModel, exponential, type Transition } from '../src/connectivity.js';
import { planDevices, type PlanContext } from '../src/provisioning.js';
import { DeviceStore } from '../src/store.js';
import type { Device } from '../src/contract.js';
import { throwsCode } from './helpers.js';

const plan = suite<{ k: TestKernel; random: Random }>('planning devices from templates');
plan.before(async (ctx) => {
  ctx.k = await createTestKernel({ listen: false });
  ctx.random = ctx.k.random.stream('fleet');
});
plan.after(async (ctx) => ctx.k.stop());

const context = (random: Random, existing: string[] = [], over: Partial<PlanContext> = {}): PlanContext => ({
  now: 1000,
  random,
  deviceTypes: { thermostat: { firmware: '2.1.0', metadata: { vendor: 'acme', floor: 1 }, connection: 'inprocess' } },
  strictTypes: false,
  exists: (id) => existing.includes(id),
  ids: () => existing,
  ...over,
});

plan('append numbering continues after the highest index of the pattern', ({ random }) => {
  const devices = planDevices(
    [
      { type: 'thermostat', count: 2 },
      { type: 'thermostat', count: 1, metadata: { floor: 3 }, firmware: '3.0.0', connection: 'mqtt' },
      { type: 'cam', count: 2, idPattern: 'cam-{n}' },
    ],
    context(random, ['thermostat-0001', 'thermostat-0007', 'cam-9']),
    'append',
  );
  assert.equal(devices.map((d) => d.id), ['thermostat-0008', 'thermostat-0009', 'thermostat-0010', 'cam-10', 'cam-11']);
  const [first, , third, cam] = devices;
  assert.equal(first.metadata, { vendor: 'acme', floor: 1 });
  assert.is(first.firmware, '2.1.0');
  assert.is(first.connection, 'inprocess');
  assert.is(first.state, 'provisioned');
  assert.is(first.provisionedAt, 1000);
  assert.equal(first.credentials.username, 'thermostat-0008');
  assert.equal(third.metadata, { vendor: 'acme', floor: 3 });
  assert.is(third.firmware, '3.0.0');
  assert.is(third.connection, 'mqtt');
  assert.is(cam.connection, 'mqtt', 'unknown types use the defaults');
  assert.is(cam.firmware, '1.0.0');
});

plan('ensure numbering starts at 1 per pattern and skips ids that exist', ({ random }) => {
  const templates = [
    { type: 's', count: 2, metadata: { floor: 1 } },
    { type: 's', count: 2, metadata: { floor: 2 } },
  ];
  const first = planDevices(templates, context(random), 'ensure');
  assert.equal(first.map((d) => [d.id, d.metadata.floor]), [['s-0001', 1], ['s-0002', 1], ['s-0003', 2], ['s-0004', 2]]);
  const again = planDevices(templates, context(random, ['s-0001', 's-0002', 's-0003']), 'ensure');
  assert.equal(again.map((d) => d.id), ['s-0004']);
  assert.equal(again[0].serial, first[3].serial, 'same identity for the same id');
  assert.equal(again[0].credentials, first[3].credentials);
});

plan('duplicates are one 409 listing the ids; nothing is planned', ({ random }) => {
  throwsCode(() => planDevices([{ type: 'gw', count: 1, idPattern: 'gateway' }], context(random, ['gateway']), 'append'), 'US_FLEET_DEVICE_EXISTS', /gateway/);
  throwsCode(
    () => planDevices([{ type: 'gw', count: 1, idPattern: 'gw-x' }, { type: 'gw', count: 1, idPattern: 'gw-x' }], context(random), 'ensure'),
    'US_FLEET_DEVICE_EXISTS',
  );
  const many = Array.from({ length: 7 }, (_, i) => `x-${i + 1}`);
  throwsCode(
    () => planDevices([{ type: 'x', count: 8, idPattern: 'x-{n}' }], context(random, [], { exists: (id) => many.includes(id), ids: () => [] }), 'append'),
    'US_FLEET_DEVICE_EXISTS',
    /\(7 in all\)/,
  );
});

plan('bad templates are 400s naming the problem', ({ random }) => {
  const ctx = context(random);
  throwsCode(() => planDevices([{ type: 'x', count: 2, idPattern: 'single' }], ctx, 'append'), 'US_FLEET_BAD_PATTERN', /\{n\} is needed/);
  throwsCode(() => planDevices([{ type: '', count: 1 }], ctx, 'append'), 'US_FLEET_BAD_TEMPLATE', /type/);
  throwsCode(() => planDevices([{ type: 'x', count: 0 }], ctx, 'append'), 'US_FLEET_BAD_TEMPLATE', /count/);
  throwsCode(() => planDevices([{ type: 'x', count: 1, connection: 'radio' as never }], ctx, 'append'), 'US_FLEET_BAD_TEMPLATE', /connection/);
  throwsCode(() => planDevices([{ type: 'cam', count: 1 }], { ...ctx, strictTypes: true }, 'append'), 'US_FLEET_UNKNOWN_TYPE', /"cam".*thermostat/);
  throwsCode(() => planDevices([{ type: 'cam', count: 1 }], { ...ctx, strictTypes: true, deviceTypes: {} }, 'append'), 'US_FLEET_UNKNOWN_TYPE', /\(none\)/);
});

plan.run();

const model = suite<{ k: TestKernel }>('intermittent connectivity model');
model.before.each(async (ctx) => {
  ctx.k = await createTestKernel({ listen: false });
});
model.after.each(async (ctx) => ctx.k.stop());

model('exponential durations have the right mean', ({ k }) => {
  const random = k.random.stream('exp');
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += exponential(random, 1000);
  assert.ok(Math.abs(sum / 20_000 - 1000) < 50, `mean ${sum / 20_000}`);
});

model('alternates offline and online periods on the kernel clock, the same for the same seed', async ({ k }) => {
  const run = async (name: string) => {
    const seen: Array<Transition & { at: number }> = [];
    const m = new ConnectivityModel(k.clock, k.random.stream(name), { model: 'intermittent', meanOnlineMs: 1000, meanOfflineMs: 500, unexpectedDropRate: 0.5 }, (t) =>
      seen.push({ ...t, at: k.clock.now() }),
    );
    const start = k.clock.now();
    m.start();
    m.start(); // idempotent
    assert.ok(m.running);
    await k.advance(20_000);
    m.stop();
    assert.not.ok(m.running);
    await k.advance(20_000);
    return seen.map((s) => ({ ...s, at: s.at - start }));
  };
  const a = await run('device-a');
  assert.ok(a.length > 10, `${a.length} transitions`);
  a.forEach((t, i) => assert.is(t.online, i % 2 === 1, 'offline first, then alternating'));
  const offline = a.filter((t): t is Extract<Transition, { online: false }> & { at: number } => !t.online);
  assert.ok(offline.some((t) => t.expected) && offline.some((t) => !t.expected), 'both clean and dropped disconnects');
  assert.ok(a.every((t) => t.at <= 20_000), 'nothing after stop');
  const b = await run('device-a');
  assert.equal(b, a, 'same stream, same outages');
});

model('the always model does nothing', async ({ k }) => {
  let calls = 0;
  const m = new ConnectivityModel(k.clock, k.random.stream('x'), { model: 'always', meanOnlineMs: 1, meanOfflineMs: 1, unexpectedDropRate: 0 }, () => calls++);
  m.start();
  assert.not.ok(m.running);
  await k.advance(1000);
  assert.is(calls, 0);
});

model.run();

const store = suite<{ dir: string }>('SQLite device store');
store.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'fleet-store-'));
});
store.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

const sample = (id: string): Device => ({
  id,
  type: 't',
  serial: `SN-${id}`,
  credentials: { username: id, password: 'secret' },
  metadata: { floor: 2, on: true, name: 'x' },
  firmware: '1.0.0',
  state: 'provisioned',
  connection: 'mqtt',
  provisionedAt: 5,
});

store('devices survive closing and reopening the file; updates are batched', async ({ dir }) => {
  const a = new DeviceStore('nested/folder/fleet.db', dir);
  assert.is(a.location, join(dir, 'nested/folder/fleet.db'));
  a.insert([sample('b'), sample('a')]);
  const changed = { ...sample('a'), state: 'active' as const, firmware: '2.0.0', lastSeenAt: 9, metadata: { floor: 3 } };
  a.save(changed);
  a.save(changed);
  await new Promise((r) => setImmediate(r));
  a.save({ ...changed, state: 'offline' });
  a.close();
  a.close();
  a.save(changed); // ignored once closed
  const b = new DeviceStore('nested/folder/fleet.db', dir);
  assert.equal(b.load(), [sample('b'), { ...changed, state: 'offline' }]);
  b.close();
});

store('in memory with false; an unusable path is US_FLEET_STORAGE naming it', ({ dir }) => {
  const mem = new DeviceStore(false, dir);
  assert.is(mem.location, ':memory:');
  mem.insert([sample('x')]);
  assert.is(mem.load().length, 1);
  mem.close();
  writeFileSync(join(dir, 'file'), 'not a folder');
  throwsCode(() => new DeviceStore('file/fleet.db', dir), 'US_FLEET_STORAGE', /file\/fleet\.db/);
});

store.run();
