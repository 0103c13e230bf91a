import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { jobDone, startFleet, type FleetKit } from './helpers.js';

const admin = suite<{ kit: FleetKit }>('admin: /__admin/fleet');
admin.before.each(async (ctx) => {
  ctx.kit = await startFleet({
    strictTypes: true,
    deviceTypes: { sensor: { connection: 'inprocess', metadata: { floor: 1 } }, gateway: { connection: 'inprocess' }, phone: { connection: 'external' } },
    devices: [
      { type: 'sensor', count: 3 },
      { type: 'sensor', count: 2, metadata: { floor: 2 } },
      { type: 'gateway', count: 1, idPattern: 'gw-main' },
    ],
  });
});
admin.after.each(async (ctx) => ctx.kit.stop());

admin('list with filters and paging', async ({ kit }) => {
  const all = await kit.call('/devices');
  assert.is(all.status, 200);
  assert.is(all.body.total, 6);
  assert.equal(all.body.devices.map((d: any) => d.id), ['sensor-0001', 'sensor-0002', 'sensor-0003', 'sensor-0004', 'sensor-0005', 'gw-main']);
  assert.equal(all.body.devices[0].credentials.username, 'sensor-0001');
  const floor2 = await kit.call('/devices?type=sensor&metadata.floor=2');
  assert.equal(floor2.body.devices.map((d: any) => d.id), ['sensor-0004', 'sensor-0005']);
  const page = await kit.call('/devices?limit=2&offset=1&state=active');
  assert.equal({ total: page.body.total, offset: page.body.offset, limit: page.body.limit }, { total: 6, offset: 1, limit: 2 });
  assert.equal(page.body.devices.map((d: any) => d.id), ['sensor-0002', 'sensor-0003']);
  assert.equal((await kit.call('/devices?ids=gw-main,nope')).body.devices.map((d: any) => d.id), ['gw-main']);
  const badKey = await kit.call('/devices?colour=red');
  assert.is(badKey.status, 400);
  assert.is(badKey.body.code, 'US_FLEET_BAD_FILTER');
  assert.is((await kit.call('/devices?state=sleeping')).body.code, 'US_FLEET_BAD_FILTER');
  assert.is((await kit.call('/devices?limit=0')).body.code, 'US_BAD_REQUEST');
});

admin('get, update, decommission one device; unknown ids are 404', async ({ kit }) => {
  const one = await kit.call('/devices/sensor-0001');
  assert.is(one.status, 200);
  assert.is(one.body.state, 'active');
  assert.match(one.body.serial, /^SN-/);

  const patched = await kit.call('/devices/sensor-0001', { method: 'PATCH', json: { metadata: { floor: null, zone: 'north', on: true }, firmware: '1.1.0' } });
  assert.is(patched.status, 200);
  assert.equal(patched.body.metadata, { zone: 'north', on: true });
  assert.is(patched.body.firmware, '1.1.0');
  assert.equal(kit.k.eventsOf('device.updated').map((e) => e.data), [{ id: 'sensor-0001', metadata: { floor: null, zone: 'north', on: true }, firmware: '1.1.0' }]);

  assert.throws(() => kit.fleet.update('sensor-0001', { firmware: '' }), /firmware must be a non-empty string/);
  const empty = await kit.call('/devices/sensor-0001', { method: 'PATCH', json: {} });
  assert.is(empty.status, 400);
  assert.is(empty.body.code, 'US_FLEET_BAD_UPDATE');
  const badValue = await kit.call('/devices/sensor-0001', { method: 'PATCH', json: { metadata: { x: { nested: 1 } } } });
  assert.is(badValue.status, 400);
  assert.match(badValue.body.message, /metadata/);
  const unknownField = await kit.call('/devices/sensor-0001', { method: 'PATCH', json: { state: 'active' } });
  assert.is(unknownField.status, 400);
  assert.match(unknownField.body.message, /unknown property "state"/);

  const gone = await kit.call('/devices/sensor-0002', { method: 'DELETE' });
  assert.is(gone.status, 200);
  assert.is(gone.body.state, 'decommissioned');
  assert.is((await kit.call('/devices/sensor-0002')).body.state, 'decommissioned', 'still listed');
  const late = await kit.call('/devices/sensor-0002', { method: 'PATCH', json: { firmware: '2' } });
  assert.is(late.status, 409);
  assert.is(late.body.code, 'US_FLEET_DECOMMISSIONED');

  for (const [method, path, json] of [
    ['GET', '/devices/nope', undefined],
    ['PATCH', '/devices/nope', { firmware: '2' }],
    ['DELETE', '/devices/nope', undefined],
    ['POST', '/devices/nope/connect', undefined],
    ['POST', '/devices/nope/disconnect', undefined],
    ['GET', '/jobs/job-999', undefined],
  ] as const) {
    const res = await kit.call(path, { method, json });
    assert.is(res.status, 404, `${method} ${path}`);
    assert.match(res.body.code, /^US_FLEET_(DEVICE|JOB)_NOT_FOUND$/);
    assert.match(res.body.message, /"(nope|job-999)"/);
  }
});

admin('connect and disconnect one device', async ({ kit }) => {
  const seen: string[] = [];
  kit.fleet.watch(() => {
    throw new Error('a broken watcher');
  });
  const unwatch = kit.fleet.watch((c) => seen.push(`${c.kind}:${c.device.state}:${'expected' in c ? c.expected : '-'}`));
  const off = await kit.call('/devices/sensor-0003/disconnect?expected=false', { method: 'POST' });
  assert.is(off.status, 200, JSON.stringify(off.body));
  assert.is(off.body.state, 'offline');
  assert.equal(kit.k.eventsOf('device.disconnected').map((e) => e.data), [{ id: 'sensor-0003', expected: false }]);
  const on = await kit.call('/devices/sensor-0003/connect', { method: 'POST' });
  assert.is(on.body.state, 'active');
  assert.is((await kit.call('/devices/sensor-0003/disconnect', { method: 'POST' })).body.state, 'offline');
  unwatch();
  await kit.call('/devices/sensor-0003/connect', { method: 'POST' });
  assert.equal(seen, ['disconnected:offline:false', 'connected:active:-', 'disconnected:offline:true']);
  assert.is((await kit.call('/devices/sensor-0003/disconnect?later=1', { method: 'POST' })).status, 400);
  assert.is((await kit.call('/devices/sensor-0003/disconnect?expected=maybe', { method: 'POST' })).status, 400);
});

admin('provision one template or several; 201 with the devices', async ({ kit }) => {
  const one = await kit.call('/devices', { method: 'POST', json: { type: 'sensor', count: 2, metadata: { floor: 9 } } });
  assert.is(one.status, 201);
  assert.equal(one.body.devices.map((d: any) => [d.id, d.metadata.floor, d.state]), [
    ['sensor-0006', 9, 'provisioned'],
    ['sensor-0007', 9, 'provisioned'],
  ]);
  const several = await kit.call('/devices', {
    method: 'POST',
    json: { templates: [{ type: 'sensor', count: 1 }, { type: 'phone', count: 1, idPattern: 'phone-{n:2}' }] },
  });
  assert.is(several.status, 201);
  assert.equal(several.body.devices.map((d: any) => [d.id, d.connection]), [
    ['sensor-0008', 'inprocess'],
    ['phone-01', 'external'],
  ]);
  await waitFor(() => kit.fleet.get('sensor-0008')?.state === 'active', 'autoConnect');
  assert.is(kit.fleet.get('phone-01')!.state, 'provisioned');
  assert.equal(kit.k.eventsOf('device.provisioned').slice(-2).map((e) => e.data), [
    { id: 'sensor-0008', type: 'sensor' },
    { id: 'phone-01', type: 'phone' },
  ]);
});

admin('provisioning errors: 400 naming the field, 400 unknown type, 409 duplicate, 409 limit', async ({ kit }) => {
  const noCount = await kit.call('/devices', { method: 'POST', json: { type: 'sensor' } });
  assert.is(noCount.status, 400);
  assert.is(noCount.body.code, 'US_BAD_REQUEST');
  assert.match(noCount.body.message, /count/);
  const badTemplates = await kit.call('/devices', { method: 'POST', json: { templates: [{ type: 'sensor', count: -1 }] } });
  assert.is(badTemplates.status, 400);
  assert.match(badTemplates.body.message, /templates\.0\.count/);
  assert.not.match(badTemplates.body.message, /anyOf/);
  const extra = await kit.call('/devices', { method: 'POST', json: { type: 'sensor', count: 1, colour: 'red' } });
  assert.match(extra.body.message, /unknown property "colour"/);
  const badMetadata = await kit.call('/devices', { method: 'POST', json: { type: 'sensor', count: 1, metadata: { tags: ['a'] } } });
  assert.is(badMetadata.status, 400);
  assert.is(badMetadata.body.code, 'US_FLEET_BAD_TEMPLATE');
  assert.match(badMetadata.body.message, /metadata\.tags/);
  const notJson = await kit.call('/devices', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
  assert.is(notJson.body.code, 'US_INVALID_JSON');
  const unknownType = await kit.call('/devices', { method: 'POST', json: { type: 'toaster', count: 1 } });
  assert.is(unknownType.status, 400);
  assert.is(unknownType.body.code, 'US_FLEET_UNKNOWN_TYPE');
  assert.match(unknownType.body.message, /"toaster".*sensor, gateway, phone/);
  const duplicate = await kit.call('/devices', { method: 'POST', json: { type: 'gateway', count: 1, idPattern: 'gw-main' } });
  assert.is(duplicate.status, 409);
  assert.is(duplicate.body.code, 'US_FLEET_DEVICE_EXISTS');
  assert.match(duplicate.body.message, /gw-main/);
  const badPattern = await kit.call('/devices', { method: 'POST', json: { type: 'gateway', count: 2, idPattern: 'gw' } });
  assert.is(badPattern.body.code, 'US_FLEET_BAD_PATTERN');
  const tooMany = await kit.call('/devices', { method: 'POST', json: { type: 'sensor', count: 100_000 } });
  assert.is(tooMany.status, 409);
  assert.is(tooMany.body.code, 'US_FLEET_LIMIT');
  assert.is((await kit.call('/devices')).body.total, 6, 'nothing half-provisioned');
});

admin('bulk actions run as jobs with progress', async ({ kit }) => {
  const update = await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: { metadata: { floor: 2 } }, firmware: '3.0.0', metadata: { batch: 'b1' } } });
  assert.is(update.status, 202);
  assert.is(update.body.job.total, 2);
  const updated = await jobDone(kit, update.body.job.id);
  assert.equal({ state: updated.state, done: updated.done, failed: updated.failed }, { state: 'completed', done: 2, failed: 0 });
  assert.equal(kit.fleet.list({ metadata: { batch: 'b1' } }).map((d) => [d.id, d.firmware]), [
    ['sensor-0004', '3.0.0'],
    ['sensor-0005', '3.0.0'],
  ]);

  const disconnect = await kit.call('/bulk', { method: 'POST', json: { action: 'disconnect', filter: { type: 'sensor' }, expected: false } });
  assert.is((await jobDone(kit, disconnect.body.job.id)).done, 5);
  assert.is(kit.fleet.stats().byState.offline, 5);
  assert.ok(kit.k.eventsOf('device.disconnected').every((e) => (e.data as any).expected === false));
  const connect = await kit.call('/bulk', { method: 'POST', json: { action: 'connect', filter: {} } });
  assert.is((await jobDone(kit, connect.body.job.id)).done, 6);
  assert.is(kit.fleet.stats().connected, 6);

  const decommission = await kit.call('/bulk', { method: 'POST', json: { action: 'decommission', filter: { ids: ['sensor-0001', 'sensor-0002'] } } });
  assert.is((await jobDone(kit, decommission.body.job.id)).done, 2);
  const again = await jobDone(kit, (await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: { state: 'decommissioned' }, firmware: 'x' } })).body.job.id);
  assert.equal({ done: again.done, skipped: again.skipped }, { done: 2, skipped: 2 });

  const stats = await kit.call('/stats');
  assert.is(stats.status, 200);
  assert.equal(stats.body.byState, { provisioned: 0, active: 4, offline: 0, decommissioned: 2 });
  assert.equal(stats.body.byType.sensor, { total: 5, provisioned: 0, active: 3, offline: 0, decommissioned: 2 });
  assert.is(stats.body.jobs.running, 0);
  assert.is(stats.body.counters.unexpectedDisconnects, 5);

  const noFilter = await kit.call('/bulk', { method: 'POST', json: { action: 'connect' } });
  assert.is(noFilter.status, 400);
  assert.match(noFilter.body.message, /filter/);
  const badAction = await kit.call('/bulk', { method: 'POST', json: { action: 'explode', filter: {} } });
  assert.is(badAction.status, 400);
  const nothing = await kit.call('/bulk', { method: 'POST', json: { action: 'update', filter: {} } });
  assert.is(nothing.body.code, 'US_FLEET_BAD_UPDATE');
});

admin('routes appear in the OpenAPI document', async ({ kit }) => {
  const doc = await fetch(`${kit.k.baseUrl}/__admin/openapi.json`).then((r) => r.json());
  for (const path of ['/devices', '/devices/{id}', '/devices/{id}/connect', '/bulk', '/jobs/{id}', '/stats']) {
    assert.ok(doc.paths[`/__admin/fleet${path}`], path);
  }
});

admin.run();
