// With the real mqtt and fleet plugins: devices hold their own MQTT connections.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson, waitFor, type TestKernel } from '@understudy/plugin-sdk/testing';
import fleetPlugin, { type FleetService } from '@understudy/plugin-fleet';
import mqttPlugin, { type MqttMessage } from '@understudy/plugin-mqtt';
import telemetryPlugin from '../src/index.js';
import { CSV_HEADER } from '../src/export.js';
import type { TelemetryPayload } from '../src/contract.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);

/** Who published on telemetry topics, seen through the mqtt plugin's `published` hook. */
const publishers = new Set<string | null>();
const spy = definePlugin({
  name: 'spy',
  dependencies: ['mqtt'],
  register(ctx) {
    ctx.pluginHooks('mqtt').published.tap('spy', (m: MqttMessage) => void (m.topic.includes('/telemetry/') && publishers.add(m.clientId)));
  },
});

async function start(fleet: Record<string, unknown>, telemetry: Record<string, unknown>, mqttConfig: Record<string, unknown> = {}) {
  publishers.clear();
  const k = await createTestKernel({
    plugins: [mqttPlugin, fleetPlugin, telemetryPlugin, spy],
    config: { mqtt: { port: 0, ...mqttConfig }, fleet: { storage: false, ...fleet }, telemetry },
  });
  return { k, fleet: k.resolve('fleet') as FleetService, broker: k.resolve('broker'), telemetry: k.resolve('telemetry') };
}

const watcher = async (k: TestKernel) => {
  const client = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'watcher', reconnectPeriod: 0 });
  const got: Array<{ topic: string; body: TelemetryPayload }> = [];
  client.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString()) }));
  await client.subscribeAsync('devices/+/telemetry/#', { qos: 1 });
  return { client, got };
};

test('a small fleet publishes the documented payloads through each device’s own connection', async () => {
  const { k, broker, telemetry } = await start(
    { devices: [{ type: 'thermostat', count: 3, idPattern: 'thermo-{n:3}' }] },
    { sensors: { thermostat: [{ sensor: 'temperature' }, { sensor: 'humidity' }] }, qos: 1 },
    { auth: { required: true, users: [{ username: 'dashboard', password: 'pw' }] } },
  );
  // logins are required: devices use their credentials, the watcher a configured user
  const client = await mqtt.connectAsync(broker.url, { clientId: 'watcher', username: 'dashboard', password: 'pw', reconnectPeriod: 0 });
  const got: Array<{ topic: string; body: TelemetryPayload }> = [];
  try {
    client.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString()) }));
    await client.subscribeAsync('devices/+/telemetry/#', { qos: 1 });
    await k.advance(5 * MIN);
    await waitFor(() => got.length === 30, `30 messages (got ${got.length})`);
    const one = got.filter((m) => m.topic === 'devices/thermo-002/telemetry/humidity').map((m) => m.body);
    assert.equal(
      one.map((b) => [b.deviceId, b.sensor, b.ts, b.unit, b.seq]),
      [1, 2, 3, 4, 5].map((n) => ['thermo-002', 'humidity', T0 + n * MIN, '%RH', n]),
    );
    assert.equal([...publishers].sort(), ['thermo-001', 'thermo-002', 'thermo-003']);
    assert.is(telemetry.stats().published, 30);
  } finally {
    await client.endAsync();
    await k.stop();
  }
});

test('a simulated day of 20 devices × 3 sensors over real MQTT connections', async () => {
  const { k, telemetry } = await start(
    { devices: [{ type: 'env', count: 20 }] },
    { sensors: { env: [{ sensor: 'temperature' }, { sensor: 'co2' }, { sensor: 'battery' }] } },
  );
  let w: Awaited<ReturnType<typeof watcher>> | undefined;
  try {
    w = await watcher(k);
    const { got } = w;
    await k.advance(86_400_000);
    await waitFor(() => telemetry.stats().published === 86_400, `every reading published (${telemetry.stats().published})`, 20_000);
    await waitFor(() => got.length === 86_400, `the subscriber got them all (${got.length})`, 20_000);
    const stats = telemetry.stats();
    assert.equal({ generated: stats.generated, stored: stats.stored, dropped: stats.dropped, offlineDropped: stats.offlineDropped }, { generated: 86_400, stored: 86_400, dropped: 0, offlineDropped: 0 });
    const temps = telemetry.readings({ deviceIds: ['env-0007'], sensor: 'temperature' });
    const at = (h: number) => temps.filter((r) => new Date(r.ts).getUTCHours() === h).reduce((a, r) => a + (r.value as number), 0) / 60;
    assert.ok(at(15) > at(5) + 3, 'afternoon warmer than early morning');
  } finally {
    await w?.client.endAsync();
    await k.stop();
  }
});

test('an offline device buffers its readings and publishes them when it reconnects', async () => {
  const { k, fleet, telemetry } = await start({ devices: [{ type: 'meter', count: 2 }] }, { sensors: { meter: [{ sensor: 'pressure' }] }, offlineBuffer: 3 });
  let w: Awaited<ReturnType<typeof watcher>> | undefined;
  try {
    w = await watcher(k);
    const { got } = w;
    await k.advance(2 * MIN);
    await waitFor(() => got.length === 4, 'first readings');
    await fleet.disconnect('meter-0001');
    await waitFor(() => !fleet.agent('meter-0001')!.online, 'offline');
    await k.advance(5 * MIN);
    assert.is(telemetry.stats().offlineBuffered, 3);
    assert.is(telemetry.stats().offlineDropped, 2);
    assert.equal(k.eventsOf('telemetry.overflow')[0].data, { buffer: 'offline', deviceId: 'meter-0001', dropped: 1, capacity: 3 });
    await fleet.connect('meter-0001');
    const seqs = () => got.filter((m) => m.body.deviceId === 'meter-0001').map((m) => m.body.seq);
    await waitFor(() => seqs().length === 5, `2 + 3 flushed (got ${seqs()})`);
    assert.equal(seqs(), [1, 2, 5, 6, 7]);
    assert.equal(
      got.filter((m) => m.body.deviceId === 'meter-0001').map((m) => m.body.ts - T0),
      [1, 2, 5, 6, 7].map((n) => n * MIN),
      'flushed readings keep the time they were taken',
    );
    assert.is(telemetry.stats().offlineBuffered, 0);
  } finally {
    await w?.client.endAsync();
    await k.stop();
  }
});

test('provisioned and decommissioned devices; in-process devices; export of a device and a time range', async () => {
  const { k, fleet, telemetry } = await start(
    { devices: [{ type: 'tracker', count: 1 }], deviceTypes: { beacon: { connection: 'inprocess' } } },
    { sensors: { tracker: [{ sensor: 'gps', intervalMs: 30_000 }, { sensor: 'vibration' }], beacon: [{ sensor: 'battery' }] } },
  );
  try {
    await fleet.provision([{ type: 'beacon', count: 2 }]);
    await k.advance(10 * MIN);
    await waitFor(() => telemetry.stats().published === 20 + 10 + 2 * 10, `published (${telemetry.stats().published})`);
    await fleet.decommission('beacon-0002');
    await k.advance(10 * MIN);
    assert.is(telemetry.readings({ deviceIds: ['beacon-0002'] }).length, 10);
    assert.is(telemetry.readings({ deviceIds: ['beacon-0001'] }).length, 20);
    const csv = await fetch(`${k.baseUrl}/__admin/telemetry/export?device=tracker-0001&sensor=gps&from=${T0 + 60_000}&to=${T0 + 120_000}&format=csv`);
    const rows = (await csv.text()).trim().split('\n');
    assert.equal(rows.length, 4);
    assert.is(rows[0], CSV_HEADER);
    assert.match(rows[1], `${T0 + 60_000},tracker-0001,gps,"{""lat"":`);
    const nd = await fetchJson(`${k.baseUrl}/__admin/telemetry/export?type=beacon&from=${T0}&to=${T0 + 5 * MIN}`);
    assert.equal(
      nd.text.trim().split('\n').map((l) => JSON.parse(l).deviceId),
      ['beacon-0001', 'beacon-0002', 'beacon-0001', 'beacon-0002', 'beacon-0001', 'beacon-0002', 'beacon-0001', 'beacon-0002', 'beacon-0001', 'beacon-0002'],
    );
  } finally {
    await k.stop();
  }
});

test('an external device is not simulated; what it publishes is captured with its type', async () => {
  const { k, fleet, telemetry } = await start({ devices: [{ type: 'thermostat', count: 1, connection: 'external', idPattern: 'real-1' }] }, { sensors: { thermostat: [{ sensor: 'temperature' }] } });
  const [device] = fleet.list();
  let client: mqtt.MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(k.resolve('broker').url, { clientId: device.id, username: device.credentials.username, password: device.credentials.password, reconnectPeriod: 0 });
    await k.advance(5 * MIN);
    await client.publishAsync('devices/real-1/telemetry/temperature', JSON.stringify({ ts: T0 + 1, value: 20.5, unit: '°C', seq: 1 }), { qos: 1 });
    await waitFor(() => telemetry.stats().captured === 1, 'captured');
    assert.equal(telemetry.readings(), [{ deviceId: 'real-1', sensor: 'temperature', ts: T0 + 1, value: 20.5, unit: '°C', seq: 1, type: 'thermostat', source: 'captured' }]);
    assert.is(telemetry.stats().generated, 0);
  } finally {
    await client?.endAsync();
    await k.stop();
  }
});

test.run();
