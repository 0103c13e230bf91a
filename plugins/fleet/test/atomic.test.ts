// Admin edits happen whole or not at all: a bad item in the middle of a bulk write, or a
// storage write that fails in the middle (a SQLite trigger, added through a second
// connection to the fleet's own file, refuses one row), answers a coded error over HTTP
// and leaves every device, every event and the broker's identities as they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jobDone, startFleet, type FleetKit } from './helpers.js';

type Ctx = { dir: string; kit: FleetKit; db: Database.Database };
const atomic = suite<Ctx>('admin edits are atomic');

atomic.before.each(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'fleet-atomic-'));
  ctx.kit = await startFleet(
    { storage: 'fleet.db', jobThreshold: 4, deviceTypes: { meter: { connection: 'inprocess' } }, devices: [{ type: 'meter', count: 3 }] },
    { cwd: ctx.dir },
  );
  ctx.db = new Database(join(ctx.dir, 'fleet.db'));
});
atomic.after.each(async (ctx) => {
  ctx.db.close();
  await ctx.kit.stop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** What an edit must not change: the devices as the API shows them, their events, the broker's logins. */
async function state(kit: FleetKit) {
  const devices = (await kit.call('/devices?limit=1000')).body.devices;
  const broker = kit.k.resolve('broker');
  return {
    devices,
    events: ['device.provisioned', 'device.updated', 'device.decommissioned', 'device.disconnected'].map((t) => kit.k.eventsOf(t as 'device.updated').length),
    identities: ['meter-0001', 'meter-0002', 'meter-0003', 'meter-0004', 'meter-0005'].map((id) => broker.identities.has(id)),
  };
}

const failOn = (db: Database.Database, when: 'INSERT' | 'UPDATE', condition: string) =>
  db.exec(`CREATE TRIGGER injected_failure BEFORE ${when} ON devices WHEN ${condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
const heal = (db: Database.Database) => db.exec('DROP TRIGGER injected_failure');

atomic('provisioning: a bad template in the middle refuses the whole request, small or large (a job)', async ({ kit }) => {
  const before = await state(kit);
  const cases = [
    [{ type: 'meter', count: 1 }, { type: 'meter', count: 2, idPattern: 'fixed' }, { type: 'meter', count: 1 }],
    [{ type: 'meter', count: 2 }, { type: 'meter', count: 1, idPattern: 'meter-0002' }],
    [{ type: 'meter', count: 10 }, { type: 'meter', count: 1, idPattern: 'meter-{n:4}', connection: 'carrier-pigeon' }],
  ];
  const codes = [];
  for (const templates of cases) {
    const res = await kit.call('/devices', { method: 'POST', json: { templates } });
    codes.push([res.status, res.body.code]);
  }
  assert.equal(codes, [
    [400, 'US_FLEET_BAD_PATTERN'],
    [409, 'US_FLEET_DEVICE_EXISTS'],
    [400, 'US_BAD_REQUEST'],
  ]);
  assert.equal(await state(kit), before);
  assert.is((await kit.call('/jobs/job-1')).status, 404, 'no job was started');
});

atomic('provisioning: a storage write failing at the third device stores none, small or large; healed, the same request succeeds', async ({ kit, db }) => {
  const before = await state(kit);
  failOn(db, 'INSERT', "NEW.id = 'meter-0006'");
  for (const count of [3, 6]) {
    const res = await kit.call('/devices', { method: 'POST', json: { type: 'meter', count } });
    assert.is(res.status, 500, `count ${count}`);
    assert.is(res.body.code, 'US_FLEET_STORAGE_WRITE');
    assert.match(res.body.message, /injected failure\. Nothing was changed/);
  }
  assert.equal(await state(kit), before);
  assert.is((db.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n, 3);
  assert.is((await kit.call('/jobs/job-1')).status, 404);

  heal(db);
  const small = await kit.call('/devices', { method: 'POST', json: { type: 'meter', count: 3 } });
  assert.is(small.status, 201);
  assert.equal(small.body.devices.map((d: { id: string }) => d.id), ['meter-0004', 'meter-0005', 'meter-0006']);
  const large = await kit.call('/devices', { method: 'POST', json: { type: 'meter', count: 6 } });
  assert.is(large.status, 202);
  assert.is((await jobDone(kit, large.body.job.id)).done, 6);
  assert.is(kit.fleet.list().length, 12);
});

atomic('bulk update and PATCH: a write failing at one device changes no device; an unknown id named in the middle is a 404', async ({ kit, db }) => {
  const before = await state(kit);
  failOn(db, 'UPDATE', "NEW.id = 'meter-0002' AND NEW.firmware = '9.9.9'");
  const bulk = await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: {}, firmware: '9.9.9', metadata: { wave: 1 } } });
  assert.is(bulk.status, 500);
  assert.is(bulk.body.code, 'US_FLEET_STORAGE_WRITE');
  const patch = await kit.call('/devices/meter-0002', { method: 'PATCH', json: { firmware: '9.9.9' } });
  assert.is(patch.body.code, 'US_FLEET_STORAGE_WRITE');
  assert.equal(await state(kit), before);
  assert.is((await kit.call('/jobs/job-1')).status, 404);
  assert.equal(
    (db.prepare('SELECT firmware FROM devices ORDER BY id').all() as { firmware: string }[]).map((r) => r.firmware),
    ['1.0.0', '1.0.0', '1.0.0'],
  );
  heal(db);

  const named = await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: { ids: ['meter-0001', 'ghost', 'meter-0003', 'ghost-2'] }, firmware: '2.0.0' } });
  assert.is(named.status, 404);
  assert.is(named.body.code, 'US_FLEET_DEVICE_NOT_FOUND');
  assert.match(named.body.message, /No devices "ghost", "ghost-2" \(nothing was changed\)/);
  assert.equal(await state(kit), before);

  const done = await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: {}, firmware: '9.9.9' } });
  assert.is(done.status, 202);
  assert.equal({ state: done.body.job.state, done: done.body.job.done }, { state: 'completed', done: 3 }, 'an update is one transaction, done before the answer');
  assert.ok(kit.fleet.list().every((d) => d.firmware === '9.9.9'));
});

atomic('bulk decommission, connect and disconnect: ids they cannot apply to refuse the whole job (409); a failing write leaves devices connected', async ({ kit, db }) => {
  await kit.fleet.provision([{ type: 'phone', count: 1, idPattern: 'phone-1', connection: 'external' }]);
  await kit.fleet.decommission('meter-0003');
  const before = await state(kit);
  const refused = [];
  for (const json of [
    { action: 'decommission', filter: { ids: ['meter-0001', 'nope'] } },
    { action: 'update', filter: { ids: ['meter-0001', 'meter-0003'] }, firmware: 'x' },
    { action: 'connect', filter: { ids: ['meter-0001', 'phone-1'] } },
    { action: 'disconnect', filter: { ids: ['meter-0003', 'meter-0001'] } },
  ]) {
    const res = await kit.call('/bulk', { method: 'POST', json });
    refused.push([res.status, res.body.code]);
  }
  assert.equal(refused, [
    [404, 'US_FLEET_DEVICE_NOT_FOUND'],
    [409, 'US_FLEET_BULK_REFUSED'],
    [409, 'US_FLEET_BULK_REFUSED'],
    [409, 'US_FLEET_BULK_REFUSED'],
  ]);
  assert.equal(await state(kit), before);

  // keeping devices offline is stored first: a failing write disconnects none
  failOn(db, 'UPDATE', "NEW.id = 'meter-0002' AND NEW.kept_offline = 1");
  const off = await kit.call('/bulk', { method: 'POST', json: { action: 'disconnect', filter: { type: 'meter' } } });
  assert.is(off.body.code, 'US_FLEET_STORAGE_WRITE');
  const one = await kit.call('/devices/meter-0002/disconnect', { method: 'POST' });
  assert.is(one.body.code, 'US_FLEET_STORAGE_WRITE');
  assert.equal(await state(kit), before);
  assert.equal(kit.fleet.list({ state: 'active' }).map((d) => d.id), ['meter-0001', 'meter-0002']);
  heal(db);

  // selected without being named, what an action cannot apply to is skipped, as before
  const job = await kit.call('/bulk', { method: 'POST', json: { action: 'disconnect', filter: {} } });
  const finished = await jobDone(kit, job.body.job.id);
  assert.equal({ total: finished.total, done: finished.done, skipped: finished.skipped, failed: finished.failed }, { total: 4, done: 4, skipped: 2, failed: 0 });
  const decommissioned = await kit.call('/bulk', { method: 'POST', json: { action: 'decommission', filter: { ids: ['meter-0001', 'meter-0003'] } } });
  assert.is((await jobDone(kit, decommissioned.body.job.id)).done, 2, 'decommissioning a decommissioned device is no mistake');
});

atomic.run();
