import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, waitFor } from '@understudy/plugin-sdk/testing';
import telemetry from '../src/index.js';
import type { Reading, TelemetryPayload } from '../src/contract.js';
import { admin, start, THERMOSTAT } from './helpers.js';

const MIN = 60_000;

test('a real MQTT client receives the documented payloads of every device and sensor', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT, tracker: [{ sensor: 'gps', intervalMs: 30_000 }] } }, [
    { type: 'thermostat', count: 2 },
    { type: 'tracker', count: 1 },
    { type: 'lamp', count: 1 },
  ]);
  const client = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'watcher' });
  try {
    const got: Array<{ topic: string; body: TelemetryPayload }> = [];
    client.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString()) }));
    await client.subscribeAsync('devices/+/telemetry/#');
    await k.advance(10 * MIN);
    await waitFor(() => got.length === 2 * 2 * 10 + 20, `40 thermostat + 20 tracker messages (got ${got.length})`);
    const t1 = got.filter((m) => m.topic === 'devices/thermostat-1/telemetry/temperature').map((m) => m.body);
    assert.is(t1.length, 10);
    assert.equal(Object.keys(t1[0]), ['deviceId', 'sensor', 'ts', 'value', 'unit', 'seq']);
    assert.equal(
      t1.map((b) => b.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(
      t1.map((b) => b.ts - t1[0].ts),
      t1.map((_, i) => i * MIN),
    );
    assert.is(t1[0].deviceId, 'thermostat-1');
    assert.is(t1[0].unit, '°C');
    assert.is(typeof t1[0].value, 'number');
    const fix = got.find((m) => m.topic === 'devices/tracker-1/telemetry/gps')!.body;
    assert.is(typeof (fix.value as { lat: number }).lat, 'number');
    assert.ok(!got.some((m) => m.topic.startsWith('devices/lamp-1')), 'a type without sensors publishes nothing');
    const stats = (await admin(k, '/stats')).body;
    assert.equal(
      { devices: stats.devices, streams: stats.streams, generated: stats.generated, published: stats.published, captured: stats.captured, stored: stats.stored, dropped: stats.dropped },
      { devices: 3, streams: 5, generated: 60, published: 60, captured: 0, stored: 60, dropped: 0 },
    );
    assert.equal(stats.bySensor.gps, { generated: 20, published: 20, captured: 0, anomalies: {} });
    assert.equal(k.eventsOf('telemetry.started')[0].data, { devices: 3, streams: 5, capture: true });
  } finally {
    await client.endAsync();
    await k.stop();
  }
  assert.equal(k.eventsOf('telemetry.stopped')[0].data, { generated: 60, published: 60 });
});

test('series() reproduces what a device published: same kernel seed, device, sensor and type', async () => {
  const sensors = { room: [{ sensor: 'temperature', params: { mean: 25 } }, { sensor: 'humidity', anomalies: { spike: 0.2, outOfOrder: 0.2 } }, { sensor: 'co2', intervalMs: 5 * MIN }] };
  const k = await start({ sensors }, [{ type: 'room', count: 2 }], 7);
  try {
    await k.advance(6 * 60 * MIN);
    for (const sensor of ['temperature', 'humidity', 'co2'] as const) {
      const live = k.telemetry.readings({ deviceIds: ['room-2'], sensor });
      assert.ok(live.length >= 72);
      const again = k.telemetry.series({ deviceId: 'room-2', sensor, type: 'room', from: live[0].ts, to: live.at(-1)!.ts });
      assert.equal(again, live, sensor);
      // POST /series with the run seed: the same numbers from outside the kernel
      const res = await admin(k, '/series', { method: 'POST', json: { deviceId: 'room-2', sensor, type: 'room', from: live[0].ts, to: new Date(live.at(-1)!.ts).toISOString(), seed: 7 } });
      assert.is(res.status, 200);
      assert.equal(res.body.readings, live);
    }
    const humid = k.telemetry.readings({ sensor: 'humidity' });
    assert.ok(humid.some((r) => r.anomaly === 'spike') && humid.some((r) => r.anomaly === 'outOfOrder'));
    // the other device has its own stream
    const other = k.telemetry.readings({ deviceIds: ['room-1'], sensor: 'temperature' });
    assert.not.equal(
      other.map((r) => r.value),
      k.telemetry.readings({ deviceIds: ['room-2'], sensor: 'temperature' }).map((r) => r.value),
    );
    // a series of its own: params, anomalies, interval, seed
    const own = k.telemetry.series({ deviceId: 'x', sensor: 'battery', from: 0, to: 10 * MIN, intervalMs: MIN, anomalies: { duplicate: 1 }, params: { start: 50 } });
    assert.is(own.length, 11);
    assert.ok(own.every((r) => r.anomaly === 'duplicate' && (r.value as number) <= 50 && r.type === undefined));
  } finally {
    await k.stop();
  }
});

test('a simulated day of 20 devices × 3 sensors at 60 s: 86 400 readings, none lost', async () => {
  const k = await start({ sensors: { sensor: [{ sensor: 'temperature' }, { sensor: 'humidity' }, { sensor: 'motion' }] } }, [{ type: 'sensor', count: 20 }]);
  try {
    await k.advance(86_400_000);
    await waitFor(() => k.telemetry.stats().published === 86_400, 'every reading published');
    const stats = k.telemetry.stats();
    assert.equal(
      { generated: stats.generated, stored: stats.stored, dropped: stats.dropped, offlineBuffered: stats.offlineBuffered },
      { generated: 86_400, stored: 86_400, dropped: 0, offlineBuffered: 0 },
    );
    const motion = k.telemetry.readings({ sensor: 'motion' });
    const perHour = (from: number, to: number) => {
      const slice = motion.filter((r) => new Date(r.ts).getUTCHours() >= from && new Date(r.ts).getUTCHours() < to);
      return (slice.reduce((a, r) => a + (r.value as number), 0) / slice.length) * 60;
    };
    assert.ok(perHour(9, 20) > 4 * perHour(0, 6), 'more motion by day');
    assert.is(k.eventsOf('telemetry.overflow').length, 0);
  } finally {
    await k.stop();
  }
});

test('offline devices keep the newest readings in a bounded buffer and publish them on reconnect', async () => {
  const k = await start({ sensors: { thermostat: [{ sensor: 'temperature' }] }, offlineBuffer: 5, overflowEventIntervalMs: 10 * MIN }, [{ type: 'thermostat', count: 2 }]);
  const client = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'watcher' });
  try {
    const seqs: number[] = [];
    client.on('message', (topic, payload) => topic.includes('thermostat-1') && seqs.push(JSON.parse(payload.toString()).seq));
    await client.subscribeAsync('devices/+/telemetry/#');
    await k.advance(2 * MIN);
    k.fake.setOnline('thermostat-1', false);
    await k.advance(8 * MIN);
    let stats = k.telemetry.stats();
    assert.is(stats.offlineBuffered, 5);
    assert.is(stats.offlineDropped, 3);
    assert.is(stats.generated, 20, 'readings are taken (and stored) while offline');
    assert.equal(k.eventsOf('telemetry.overflow').map((e) => e.data), [{ buffer: 'offline', deviceId: 'thermostat-1', dropped: 1, capacity: 5 }]);
    k.fake.setOnline('thermostat-1', true);
    await waitFor(() => seqs.length === 7, `2 before + 5 flushed (got ${seqs.length})`);
    assert.equal(seqs, [1, 2, 6, 7, 8, 9, 10]);
    stats = k.telemetry.stats();
    assert.is(stats.offlineBuffered, 0);
    // back online without a `connected` change: the next reading flushes what waited
    k.fake.setOnline('thermostat-1', false);
    await k.advance(2 * MIN);
    k.fake.setOnline('thermostat-1', true, true);
    await k.advance(MIN);
    await waitFor(() => seqs.length === 10, `3 more (got ${seqs.length})`);
    assert.equal(seqs.slice(7), [11, 12, 13]);
    // a connect with nothing buffered, and a device that is not simulated: nothing happens
    k.fake.setOnline('thermostat-2', true);
    assert.is(k.telemetry.stats().offlineBuffered, 0);
  } finally {
    await client.endAsync();
    await k.stop();
  }
});

test('a publish that fails because the device just went away is kept for the reconnect', async () => {
  const k = await start({ sensors: { thermostat: [{ sensor: 'temperature' }] } }, [{ type: 'thermostat', count: 1 }]);
  try {
    // the agent claims to be online but the write fails
    const failing = { id: 'thermostat-1', online: true, publish: () => Promise.reject(new Error('socket closed')), subscribe: () => () => {} };
    const original = k.fake.fleet.agent;
    k.fake.fleet.agent = () => failing;
    await k.advance(MIN);
    await waitFor(() => k.telemetry.stats().offlineBuffered === 1, 'buffered after the failed write');
    k.fake.fleet.agent = original;
    k.fake.setOnline('thermostat-1', true);
    await waitFor(() => k.telemetry.stats().published === 1, 'published on reconnect');
  } finally {
    await k.stop();
  }
});

test('the fleet changes: new devices start, decommissioned ones stop, external ones are not simulated', async () => {
  const k = await start({ sensors: { thermostat: [{ sensor: 'temperature' }, { sensor: 'battery', intervalMs: 2 * MIN }] } }, [{ type: 'thermostat', count: 1 }]);
  try {
    await k.advance(2 * MIN);
    await k.fake.fleet.provision([
      { type: 'thermostat', count: 1, idPattern: 'late-{n}' },
      { type: 'thermostat', count: 1, idPattern: 'real-{n}', connection: 'external' },
    ]);
    await k.advance(2 * MIN);
    assert.is(k.telemetry.readings({ deviceIds: ['late-1'] }).length, 3);
    assert.is(k.telemetry.readings({ deviceIds: ['real-1'] }).length, 0);
    assert.is(k.telemetry.stats().devices, 2);
    k.fake.decommission('thermostat-1');
    k.fake.decommission('late-1');
    k.fake.decommission('nobody-knows');
    const before = k.telemetry.stats().generated;
    await k.advance(10 * MIN);
    assert.is(k.telemetry.stats().generated, before);
    assert.equal({ devices: k.telemetry.stats().devices, streams: k.telemetry.stats().streams }, { devices: 0, streams: 0 });
    assert.is(k.clock.pendingTimers() >= 0, true);
    // an update that makes a device eligible starts it; a decommissioned one stays stopped
    k.fake.update({ ...k.fake.fleet.get('real-1')!, connection: 'inprocess' });
    k.fake.update(k.fake.fleet.get('thermostat-1')!);
    k.fake.setOnline('real-1', true);
    await k.advance(MIN);
    assert.is(k.telemetry.readings({ deviceIds: ['real-1'] }).length, 1);
    assert.is(k.telemetry.readings({ deviceIds: ['thermostat-1'] }).length, 6, 'what it took before it was decommissioned');
  } finally {
    await k.stop();
  }
});

test('a tiny store overflows: drops counted in /stats, one event per minute, no crash', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT }, buffer: { capacity: 10 } }, [{ type: 'thermostat', count: 3 }]);
  try {
    await k.advance(30 * MIN);
    const stats = (await admin(k, '/stats')).body;
    assert.equal({ generated: stats.generated, stored: stats.stored, capacity: stats.capacity, dropped: stats.dropped }, { generated: 180, stored: 10, capacity: 10, dropped: 170 });
    const events = k.eventsOf('telemetry.overflow');
    assert.ok(events.length >= 28 && events.length <= 30, `${events.length} events for 30 minutes of overflow`);
    assert.equal(events[0].data, { buffer: 'store', dropped: 1, capacity: 10 });
    const readings = (await admin(k, '/readings')).body;
    assert.is(readings.count, 10);
    assert.ok(readings.readings.every((r: Reading) => r.ts === readings.readings.at(-1).ts || r.ts >= readings.readings[0].ts));
  } finally {
    await k.stop();
  }
});

test('enabled: false generates nothing', async () => {
  const k = await start({ enabled: false, sensors: { thermostat: THERMOSTAT } }, [{ type: 'thermostat', count: 2 }]);
  try {
    await k.advance(10 * MIN);
    assert.equal({ generated: k.telemetry.stats().generated, devices: k.telemetry.stats().devices }, { generated: 0, devices: 0 });
  } finally {
    await k.stop();
  }
  assert.is(k.eventsOf('telemetry.stopped').length, 0);
});

test('invalid sensor params stop the start with every problem and its path', async () => {
  // stand-ins for mqtt and fleet: a broker left behind by a failed start would keep the process alive
  const stub = (name: string, service: 'broker' | 'fleet') => definePlugin({ name, provides: [service], register: (ctx) => ctx.provide(service, {} as never) });
  try {
    await createTestKernel({
      plugins: [stub('mqtt', 'broker'), stub('fleet', 'fleet'), telemetry],
      config: { telemetry: { sensors: { t: [{ sensor: 'temperature', params: { mean: 'warm' } }, { sensor: 'gps', params: { waypoints: [] } }] } } },
    });
    assert.unreachable('should not start');
  } catch (err) {
    const e = err as { code: string; message: string; cause: { code: string } };
    assert.is(e.cause.code, 'US_CONFIG_INVALID');
    assert.match(e.message, 'plugins.telemetry.sensors.t[0].params.mean: must be number, got string');
    assert.match(e.message, 'plugins.telemetry.sensors.t[1].params.waypoints: must be at least two');
  }
});

test.run();
