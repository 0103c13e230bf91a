import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { CSV_HEADER } from '../src/export.js';
import type { Reading } from '../src/contract.js';
import { admin, start, THERMOSTAT } from './helpers.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);

test('GET /readings filters by device, sensor, type and time range, with a limit', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT, tracker: [{ sensor: 'gps' }] } }, [
    { type: 'thermostat', count: 2 },
    { type: 'tracker', count: 1 },
  ]);
  try {
    await k.advance(10 * MIN);
    const all = await admin(k, '/readings');
    assert.is(all.status, 200);
    assert.is(all.body.count, 50);
    assert.is(all.body.truncated, false);
    const one = await admin(k, `/readings?device=thermostat-2&sensor=humidity&from=${T0 + 3 * MIN}&to=${new Date(T0 + 5 * MIN).toISOString()}`);
    assert.equal(
      one.body.readings.map((r: Reading) => [r.deviceId, r.sensor, r.ts - T0, r.seq, r.type, r.source]),
      [3, 4, 5].map((m) => ['thermostat-2', 'humidity', m * MIN, m, 'thermostat', 'simulated']),
    );
    const two = await admin(k, '/readings?device=thermostat-1,%20tracker-1&limit=5');
    assert.is(two.body.count, 5);
    assert.is(two.body.truncated, true);
    assert.ok(two.body.readings.every((r: Reading) => ['thermostat-1', 'tracker-1'].includes(r.deviceId)));
    const trackers = await admin(k, '/readings?type=tracker');
    assert.is(trackers.body.count, 10);
    assert.equal(Object.keys(trackers.body.readings[0].value), ['lat', 'lon']);
    assert.is((await admin(k, '/readings?device=,')).body.count, 50, 'an empty device list filters nothing');
  } finally {
    await k.stop();
  }
});

test('GET /export streams NDJSON or CSV for a device or the fleet and a time range', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT, tracker: [{ sensor: 'gps' }] } }, [
    { type: 'thermostat', count: 2 },
    { type: 'tracker', count: 1 },
  ]);
  try {
    await k.advance(60 * MIN);
    const from = T0 + 10 * MIN;
    const to = T0 + 19 * MIN;
    const nd = await fetch(`${k.baseUrl}/__admin/telemetry/export?device=thermostat-1&from=${from}&to=${to}&format=ndjson`);
    assert.is(nd.status, 200);
    assert.is(nd.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    const lines = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l) as Reading);
    assert.is(lines.length, 20);
    assert.ok(lines.every((r) => r.deviceId === 'thermostat-1' && r.ts >= from && r.ts <= to));
    assert.equal(lines, k.telemetry.readings({ deviceIds: ['thermostat-1'], from, to }));

    const csv = await fetch(`${k.baseUrl}/__admin/telemetry/export?type=tracker&format=csv&from=${from}&to=${to}`);
    assert.is(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.is(csv.headers.get('content-disposition'), 'attachment; filename="telemetry.csv"');
    const rows = (await csv.text()).trim().split('\n');
    assert.is(rows[0], CSV_HEADER);
    assert.is(rows.length, 11);
    assert.match(rows[1], new RegExp(`^${T0 + 10 * MIN},tracker-1,gps,"\\{""lat"":[0-9.]+,""lon"":[0-9.]+\\}",deg,10,$`));

    // the whole fleet, default format NDJSON, large enough to span several chunks
    const fleet = await fetch(`${k.baseUrl}/__admin/telemetry/export`);
    assert.is((await fleet.text()).trim().split('\n').length, 300);
    const none = await fetch(`${k.baseUrl}/__admin/telemetry/export?device=nobody&format=csv`);
    assert.is(await none.text(), `${CSV_HEADER}\n`);
  } finally {
    await k.stop();
  }
});

test('bad input: 400 with a US_TELEMETRY_ code and a hint', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT } }, [{ type: 'thermostat', count: 1 }]);
  try {
    const cases: Array<[string, string, string]> = [
      ['/readings?from=2000&to=1000', 'US_TELEMETRY_BAD_RANGE', 'from <= to'],
      ['/export?from=2025-01-02&to=2025-01-01', 'US_TELEMETRY_BAD_RANGE', 'is after'],
      ['/export?format=xml', 'US_TELEMETRY_BAD_FORMAT', 'format=ndjson or format=csv'],
      ['/readings?sensor=radiation', 'US_TELEMETRY_UNKNOWN_SENSOR', 'temperature, humidity'],
      ['/export?sensor=radiation', 'US_TELEMETRY_UNKNOWN_SENSOR', 'GET /__admin/telemetry/sensors'],
      ['/readings?from=yesterday', 'US_TELEMETRY_BAD_TIME', 'ISO 8601'],
      ['/readings?limit=0', 'US_BAD_REQUEST', 'limit'],
    ];
    for (const [path, code, hint] of cases) {
      const res = await admin(k, path);
      assert.is(res.status, 400, path);
      assert.is(res.body.code, code, path);
      assert.ok(res.body.message.includes(hint), `${path}: ${res.body.message}`);
    }
    const series = [
      [{ deviceId: 'x', sensor: 'radiation', from: 0, to: 1 }, 'US_TELEMETRY_UNKNOWN_SENSOR'],
      [{ deviceId: 'x', sensor: 'co2', from: 5, to: 1 }, 'US_TELEMETRY_BAD_RANGE'],
      [{ deviceId: 'x', sensor: 'co2', from: 'soon', to: 1 }, 'US_TELEMETRY_BAD_TIME'],
      [{ deviceId: 'x', sensor: 'co2', from: 0, to: 1, params: { outdoor: 'lots' } }, 'US_TELEMETRY_BAD_PARAMS'],
      [{ deviceId: 'x', sensor: 'co2', from: 0, to: 86_400_000 * 365, intervalMs: 1000 }, 'US_TELEMETRY_SERIES_TOO_LONG'],
      [{ deviceId: 'x', sensor: 'co2', from: 0, to: 1, anomalies: { spike: 2 } }, 'US_BAD_REQUEST'],
      [{ deviceId: 'x', sensor: 'co2', from: 0, to: 1, colour: 'red' }, 'US_BAD_REQUEST'],
    ] as const;
    for (const [json, code] of series) {
      const res = await admin(k, '/series', { method: 'POST', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.is(res.body.code, code, JSON.stringify(json));
    }
    assert.throws(() => k.telemetry.series({ deviceId: 'x', sensor: 'co2', from: 0, to: 1, intervalMs: 0 }), /intervalMs: must be >= 1/);
    // still serving
    assert.is((await admin(k, '/stats')).status, 200);
  } finally {
    await k.stop();
  }
});

test('GET /sensors lists every model with its unit and default params', async () => {
  const k = await start({}, []);
  try {
    const res = await admin(k, '/sensors');
    assert.equal(
      res.body.sensors.map((s: { name: string; unit: string }) => [s.name, s.unit]),
      [
        ['temperature', '°C'],
        ['humidity', '%RH'],
        ['motion', 'events'],
        ['pressure', 'hPa'],
        ['co2', 'ppm'],
        ['battery', '%'],
        ['gps', 'deg'],
        ['vibration', 'mm/s'],
      ],
    );
    assert.is(res.body.sensors[0].params.mean, 21);
    assert.ok(res.body.sensors.every((s: { description: string }) => s.description.length > 20));
  } finally {
    await k.stop();
  }
});

test('capture: telemetry that real devices publish is stored too; simulated devices are stored once', async () => {
  const k = await start({ sensors: { thermostat: THERMOSTAT } }, [
    { type: 'thermostat', count: 1 },
    { type: 'thermostat', count: 1, idPattern: 'real-{n}', connection: 'external' },
  ]);
  const device = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'real-1' });
  try {
    await device.publishAsync('devices/real-1/telemetry/temperature', JSON.stringify({ deviceId: 'real-1', sensor: 'temperature', ts: T0 + 1234, value: 19.5, unit: '°C', seq: 1 }));
    await device.publishAsync('devices/real-1/telemetry/voltage', '3.31');
    await device.publishAsync('devices/real-1/telemetry/humidity', 'wet');
    await device.publishAsync('devices/unknown-7/telemetry/pressure', '{"value": 1001, "seq": 4}');
    await waitFor(() => k.telemetry.stats().captured === 3 && k.telemetry.stats().captureRejected === 1, 'captured');
    await k.advance(2 * MIN);
    const real = (await admin(k, '/readings?device=real-1')).body.readings;
    assert.equal(real, [
      { deviceId: 'real-1', sensor: 'temperature', ts: T0 + 1234, value: 19.5, unit: '°C', seq: 1, type: 'thermostat', source: 'captured' },
      { deviceId: 'real-1', sensor: 'voltage', ts: T0, value: 3.31, unit: '', seq: 0, type: 'thermostat', source: 'captured' },
    ]);
    const unknown = k.telemetry.readings({ deviceIds: ['unknown-7'] });
    assert.equal(unknown[0].type, undefined);
    // a sensor seen from a real device can be queried; the simulated thermostat is stored once
    assert.is((await admin(k, '/readings?sensor=voltage')).body.count, 1);
    await waitFor(() => k.telemetry.stats().published === 4, 'published');
    assert.is(k.telemetry.readings({ deviceIds: ['thermostat-1'] }).length, 4);
    const stats = (await admin(k, '/stats')).body;
    assert.equal(stats.bySensor.voltage, { generated: 0, published: 0, captured: 1, anomalies: {} });
  } finally {
    await device.endAsync();
    await k.stop();
  }
});

test('capture: false leaves devices’ own publishes alone', async () => {
  const k = await start({ capture: false }, [{ type: 'thermostat', count: 1, idPattern: 'real-{n}', connection: 'external' }]);
  const device = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'real-1' });
  try {
    let arrived = false;
    k.resolve('broker').subscribe('devices/+/telemetry/+', () => (arrived = true));
    await device.publishAsync('devices/real-1/telemetry/temperature', '20');
    await waitFor(() => arrived, 'the broker got it');
    await k.advance(MIN);
    assert.is(k.telemetry.stats().captured, 0);
    assert.equal(k.eventsOf('telemetry.started')[0].data, { devices: 0, streams: 0, capture: false });
  } finally {
    await device.endAsync();
    await k.stop();
  }
});

test.run();
