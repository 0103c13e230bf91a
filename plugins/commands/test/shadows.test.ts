import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { start } from './helpers.js';

const FLEET = {
  devices: [
    { type: 'thermostat', count: 1, idPattern: 'thermo-{n}' },
    { type: 'sensor', count: 1, idPattern: 'sensor-{n}', connection: 'inprocess' },
    { type: 'meter', count: 1, idPattern: 'meter-{n}', connection: 'external' },
  ],
};

const test = suite('commands: device shadows');

test('desired → delta (retained) → the simulated device applies it and reports → in sync', async () => {
  const kit = await start({}, FLEET);
  try {
    const put = await kit.call('/shadows/thermo-1/desired', { method: 'PUT', json: { targetTemp: 21, mode: 'eco' } });
    assert.is(put.status, 200);
    assert.equal(put.body.desired, { targetTemp: 21, mode: 'eco' });
    assert.equal(put.body.delta, { targetTemp: 21, mode: 'eco' });
    assert.is(put.body.inSync, false);
    assert.is(put.body.version, 1);

    // retained: a client that subscribes later still gets desired and delta
    const watcher = await kit.client({ clientId: 'watcher' });
    const got: Record<string, any> = {};
    watcher.on('message', (topic, payload, packet) => (got[topic] = { ...JSON.parse(payload.toString()), retain: packet.retain }));
    await watcher.subscribeAsync('devices/thermo-1/shadow/+', { qos: 1 });
    await waitFor(() => got['devices/thermo-1/shadow/delta'] && got['devices/thermo-1/shadow/desired'], 'retained shadow documents');
    assert.equal(got['devices/thermo-1/shadow/desired'].state, { targetTemp: 21, mode: 'eco' });
    assert.is(got['devices/thermo-1/shadow/delta'].retain, true);
    assert.is(got['devices/thermo-1/shadow/delta'].version, 1);

    await waitFor(async () => (await kit.stats()).simulator.deltas === 1, 'thermo-1 to receive the delta');
    await kit.k.advance(50);
    await waitFor(async () => (await kit.call('/shadows/thermo-1')).body.inSync, 'thermo-1 in sync');
    const shadow = (await kit.call('/shadows/thermo-1')).body;
    assert.equal(shadow.reported, { targetTemp: 21, mode: 'eco' });
    assert.equal(shadow.delta, {});
    assert.is(shadow.version, 2);
    assert.ok(got['devices/thermo-1/shadow/reported']);
    await waitFor(() => got['devices/thermo-1/shadow/delta']?.version === 2, 'the empty delta');
    assert.equal(got['devices/thermo-1/shadow/delta'].state, {});

    const updated = kit.k.eventsOf('shadow.updated').map((e) => e.data);
    assert.equal(updated, [
      { deviceId: 'thermo-1', version: 1, part: 'desired', inSync: false },
      { deviceId: 'thermo-1', version: 2, part: 'reported', inSync: true },
    ]);
    assert.equal(kit.k.eventsOf('shadow.delta').map((e) => e.data), [
      { deviceId: 'thermo-1', version: 1, delta: { targetTemp: 21, mode: 'eco' }, inSync: false },
      { deviceId: 'thermo-1', version: 2, delta: {}, inSync: true },
    ]);

    // a change to one key: only that key is in the delta; null deletes a desired key
    const again = await kit.call('/shadows/thermo-1/desired', { method: 'PUT', json: { targetTemp: 22, mode: null } });
    assert.equal(again.body.desired, { targetTemp: 22 });
    assert.equal(again.body.delta, { targetTemp: 22 });
    await waitFor(async () => (await kit.stats()).simulator.deltas === 2, 'thermo-1 to receive the second delta');
    await kit.k.advance(50);
    await waitFor(async () => (await kit.call('/shadows/thermo-1')).body.inSync, 'in sync again');

    const list = await kit.call('/shadows');
    assert.equal(list.body.shadows.map((s: { deviceId: string }) => s.deviceId), ['thermo-1']);
  } finally {
    await kit.stop();
  }
});

test('in-process simulated devices apply deltas too', async () => {
  const kit = await start({ behaviour: { byType: { sensor: { ackDelayMs: 5 } } } }, FLEET);
  try {
    await kit.call('/shadows/sensor-1/desired', { method: 'PUT', json: { rate: 10 } });
    await waitFor(async () => (await kit.stats()).simulator.deltas === 1, 'sensor-1 to receive the delta');
    await kit.k.advance(5);
    await waitFor(async () => (await kit.call('/shadows/sensor-1')).body.inSync, 'sensor-1 in sync');
    assert.equal((await kit.call('/shadows/sensor-1')).body.reported, { rate: 10 });
  } finally {
    await kit.stop();
  }
});

test('an external device reports by itself; bad reports are counted; unknown devices 404', async () => {
  const kit = await start({}, FLEET);
  try {
    const empty = await kit.call('/shadows/meter-1');
    assert.is(empty.status, 200);
    assert.equal(empty.body, { deviceId: 'meter-1', desired: {}, reported: {}, delta: {}, inSync: true, version: 0 });

    const meter = await kit.client({ clientId: 'meter-1' });
    await meter.publishAsync('devices/meter-1/shadow/reported', JSON.stringify({ kwh: 5, fw: { v: 1 } }), { qos: 1 });
    await waitFor(async () => (await kit.call('/shadows/meter-1')).body.version === 1, 'the first report');
    const put = await kit.call('/shadows/meter-1/desired', { method: 'PUT', json: { kwh: 5, fw: { v: 2 } } });
    assert.equal(put.body.delta, { fw: { v: 2 } });
    await meter.publishAsync('devices/meter-1/shadow/reported', JSON.stringify({ fw: { v: 2 } }), { qos: 1 });
    await waitFor(async () => (await kit.call('/shadows/meter-1')).body.inSync, 'meter-1 in sync');
    assert.equal((await kit.call('/shadows/meter-1')).body.reported, { kwh: 5, fw: { v: 2 } });

    // a report that does not change the delta: updated, no delta event
    const deltas = kit.k.eventsOf('shadow.delta').length;
    await meter.publishAsync('devices/meter-1/shadow/reported', JSON.stringify({ extra: true }), { qos: 1 });
    await waitFor(async () => (await kit.call('/shadows/meter-1')).body.version === 4, 'the third report');
    assert.is(kit.k.eventsOf('shadow.delta').length, deltas);

    await meter.publishAsync('devices/meter-1/shadow/reported', 'nope', { qos: 1 });
    await meter.publishAsync('devices/meter-1/shadow/reported', '[1]', { qos: 1 });
    await waitFor(async () => (await kit.stats()).shadows.malformedReports === 2, 'two malformed reports');

    const unknown = await kit.call('/shadows/ghost');
    assert.is(unknown.status, 404);
    assert.is(unknown.body.code, 'US_COMMANDS_DEVICE_NOT_FOUND');
    const unknownPut = await kit.call('/shadows/ghost/desired', { method: 'PUT', json: { a: 1 } });
    assert.is(unknownPut.status, 404);
    const bad = await kit.call('/shadows/meter-1/desired', { method: 'PUT', json: [1, 2] });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_COMMANDS_INVALID');
    const notJson = await kit.call('/shadows/meter-1/desired', { method: 'PUT', body: '{', headers: { 'content-type': 'application/json' } });
    assert.is(notJson.status, 400);
  } finally {
    await kit.stop();
  }
});

test('shadows.capacity bounds the shadows: PUT 429, reports refused and counted', async () => {
  const kit = await start({ shadows: { capacity: 1 } }, FLEET);
  try {
    assert.is((await kit.call('/shadows/thermo-1/desired', { method: 'PUT', json: { a: 1 } })).status, 200);
    const full = await kit.call('/shadows/sensor-1/desired', { method: 'PUT', json: { a: 1 } });
    assert.is(full.status, 429);
    assert.is(full.body.code, 'US_COMMANDS_SHADOW_LIMIT');
    await kit.broker.publish('devices/meter-1/shadow/reported', { a: 1 });
    await waitFor(async () => (await kit.stats()).shadows.refused === 1, 'the refused report');
    assert.is((await kit.stats()).shadows.shadows, 1);
  } finally {
    await kit.stop();
  }
});

test('a topic with an empty device level names no device: neither a reply nor a shadow report', async () => {
  const kit = await start({}, FLEET);
  try {
    // in-process publishes reach the plugin's subscriptions in order: the last one is a marker
    await kit.broker.publish('devices//replies', { correlationId: 'x', status: 'ACKED' });
    await kit.broker.publish('devices//shadow/reported', { a: 1 });
    await kit.broker.publish('devices/meter-1/shadow/reported', { a: 1 });
    await waitFor(async () => (await kit.call('/shadows/meter-1')).body.version === 1, 'the marker report');
    const stats = await kit.stats();
    assert.is(stats.commands.replies, 0);
    assert.is(stats.shadows.shadows, 1);
    assert.equal((await kit.call('/shadows')).body.shadows.map((s: { deviceId: string }) => s.deviceId), ['meter-1']);
  } finally {
    await kit.stop();
  }
});

test.run();
