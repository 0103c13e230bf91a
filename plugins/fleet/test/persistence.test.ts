import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, waitFor } from '@understudy/plugin-sdk/testing';
import fleet from '../src/index.js';
import { DeviceStore } from '../src/store.js';
import { jobDone, startFleet, type FleetKit } from './helpers.js';

const persistence = suite<{ dir: string }>('identities survive a restart');
persistence.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'fleet-persist-'));
});
persistence.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

persistence('same storage file, new kernel: same ids, serials and secrets; nothing provisioned twice', async ({ dir }) => {
  const config = { storage: '.understudy/fleet.db', devices: [{ type: 'meter', count: 2 }] };
  const first = await startFleet(config, { cwd: dir, mqtt: { auth: { required: true } } });
  let before;
  try {
    await waitFor(() => first.fleet.list().every((d) => d.state === 'active'), 'online');
    await first.fleet.provision([{ type: 'meter', count: 1, metadata: { floor: 4 } }]);
    first.fleet.update('meter-0001', { metadata: { room: 'boiler' }, firmware: '1.2.0' });
    await first.fleet.decommission('meter-0002');
    before = first.fleet.list();
  } finally {
    await first.stop();
  }
  assert.ok(existsSync(join(dir, '.understudy/fleet.db')));

  // a different seed would give different identities to new devices, not to stored ones
  const second = await startFleet(config, { cwd: dir, seed: 99, mqtt: { auth: { required: true } } });
  try {
    const after = second.fleet.list();
    assert.equal(after.map((d) => d.id), ['meter-0001', 'meter-0002', 'meter-0003']);
    for (const [i, d] of after.entries()) {
      assert.is(d.serial, before[i].serial);
      assert.equal(d.credentials, before[i].credentials);
      assert.is(d.provisionedAt, before[i].provisionedAt);
    }
    assert.equal(after[0].metadata, { room: 'boiler' });
    assert.is(after[0].firmware, '1.2.0');
    assert.equal(after[2].metadata, { floor: 4 });
    assert.is(after[1].state, 'decommissioned');
    assert.is(second.k.eventsOf('device.provisioned').length, 0, 'config devices are not provisioned again');
    // the stored secrets are the ones the broker accepts again
    await waitFor(() => second.fleet.get('meter-0001')!.state === 'active' && second.fleet.get('meter-0003')!.state === 'active', 'reconnected');
    assert.is(second.k.resolve('broker').identities.has('meter-0002'), false, 'decommissioned stays revoked');
    // numbering continues after the stored ids
    const [next] = await second.fleet.provision([{ type: 'meter', count: 1 }]);
    assert.is(next.id, 'meter-0004');
  } finally {
    await second.stop();
  }
});

persistence('a config template growing by one provisions only the new device', async ({ dir }) => {
  const first = await startFleet({ storage: 'fleet.db', autoConnect: false, devices: [{ type: 's', count: 2 }] }, { cwd: dir });
  const ids = first.fleet.list().map((d) => d.serial);
  await first.stop();
  const second = await startFleet({ storage: 'fleet.db', autoConnect: false, devices: [{ type: 's', count: 3 }] }, { cwd: dir });
  try {
    assert.equal(second.fleet.list().map((d) => d.id), ['s-0001', 's-0002', 's-0003']);
    assert.equal(second.fleet.list().slice(0, 2).map((d) => d.serial), ids);
    assert.equal(second.k.eventsOf('device.provisioned').map((e) => (e.data as any).id), ['s-0003']);
  } finally {
    await second.stop();
  }
});

persistence('a device stored as active (the process died) starts offline, then reconnects', async ({ dir }) => {
  const store = new DeviceStore('fleet.db', dir);
  store.insert([
    {
      id: 'crashed-1',
      type: 'crashed',
      serial: 'SN-0000000001',
      credentials: { username: 'crashed-1', password: 'pw' },
      metadata: {},
      firmware: '1.0.0',
      state: 'active',
      connection: 'mqtt',
      provisionedAt: 1,
    },
  ]);
  store.close();
  const kit = await startFleet({ storage: 'fleet.db', autoConnect: false }, { cwd: dir, mqtt: { auth: { required: true } } });
  try {
    assert.is(kit.fleet.get('crashed-1')!.state, 'offline');
    await kit.fleet.connect('crashed-1');
    assert.is(kit.fleet.get('crashed-1')!.state, 'active');
  } finally {
    await kit.stop();
  }
});

persistence('a device the admin API disconnected and keeps offline stays offline after a restart, until it is connected', async ({ dir }) => {
  const config = { storage: 'fleet.db', devices: [{ type: 'meter', count: 3 }] };
  const online = (kit: FleetKit) => kit.fleet.list().filter((d) => d.state === 'active').map((d) => d.id);
  const first = await startFleet(config, { cwd: dir });
  try {
    await waitFor(() => online(first).length === 3, 'online');
    const off = await first.call('/devices/meter-0001/disconnect', { method: 'POST' });
    assert.is(off.status, 200);
    assert.is(off.body.keptOffline, true);
    const bulk = await first.call('/bulk', { method: 'POST', json: { action: 'disconnect', filter: { ids: ['meter-0002'] }, expected: false } });
    await jobDone(first, bulk.body.job.id);
    assert.equal(online(first), ['meter-0003']);
  } finally {
    await first.stop();
  }

  const second = await startFleet(config, { cwd: dir });
  try {
    await waitFor(() => online(second).length === 1, 'the one device not kept offline reconnected');
    assert.equal(online(second), ['meter-0003']);
    for (const id of ['meter-0001', 'meter-0002']) {
      const device = (await second.call(`/devices/${id}`)).body;
      assert.equal([device.state, device.keptOffline], ['offline', true], id);
    }
    assert.is(second.k.resolve('broker').isConnected('meter-0001'), false);
    const on = await second.call('/devices/meter-0001/connect', { method: 'POST' });
    assert.equal([on.body.state, on.body.keptOffline], ['active', undefined]);
  } finally {
    await second.stop();
  }

  const third = await startFleet(config, { cwd: dir });
  try {
    await waitFor(() => online(third).length === 2, 'connected again, it comes back after a restart');
    assert.equal(online(third), ['meter-0001', 'meter-0003']);
  } finally {
    await third.stop();
  }
});

persistence('a storage file from before keptOffline existed opens and gains the column', async ({ dir }) => {
  const { default: Database } = await import('better-sqlite3');
  const old = new Database(join(dir, 'old.db'));
  old.exec(`CREATE TABLE devices (id TEXT PRIMARY KEY, type TEXT NOT NULL, serial TEXT NOT NULL, credentials TEXT NOT NULL, metadata TEXT NOT NULL,
    firmware TEXT NOT NULL, state TEXT NOT NULL, connection TEXT NOT NULL, provisioned_at INTEGER NOT NULL, last_seen_at INTEGER)`);
  old.prepare('INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run('old-1', 'old', 'SN-1', '{"username":"old-1","password":"pw"}', '{}', '1.0.0', 'offline', 'inprocess', 1, null);
  old.close();
  const kit = await startFleet({ storage: 'old.db' }, { cwd: dir });
  try {
    await waitFor(() => kit.fleet.get('old-1')?.state === 'active', 'the stored device connects');
    await kit.fleet.disconnect('old-1');
    assert.is(kit.fleet.get('old-1')!.keptOffline, true);
  } finally {
    await kit.stop();
  }
});

persistence('bad config devices stop the start with the path in the message', async ({ dir }) => {
  // a stand-in broker: a kernel that fails in register is never stopped, and a real broker would keep the test alive
  const identities = new Map<string, string>();
  const fakeMqtt = definePlugin({
    name: 'mqtt',
    provides: ['broker'],
    register: (ctx) => ctx.provide('broker', { identities: { set: (id: string, s: string) => identities.set(id, s), delete: () => true, has: () => false } } as never),
  });
  const failed = await createTestKernel({
    plugins: [fakeMqtt, fleet],
    config: { fleet: { storage: 'fleet.db', devices: [{ type: 'x', count: 2, idPattern: 'one' }] } },
    cwd: dir,
    listen: false,
  }).then(
    (k) => k.stop().then(() => 'started'),
    (err: Error) => err.message,
  );
  assert.match(failed, /plugins\.fleet\.devices: idPattern "one"/);
});

persistence.run();
