// The readings store bounded by bytes as well as by count: unit checks of the estimate,
// and captured readings that devices publish over a real MQTT connection, large enough
// that the byte bound binds long before the count does — dropped, counted in /stats and
// reported by telemetry.overflow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import mqtt from 'mqtt';
import { waitFor } from '@understudy/plugin-sdk/testing';
import { READING_OVERHEAD_BYTES, ReadingStore, readingBytes } from '../src/store.js';
import type { Reading } from '../src/contract.js';
import { admin, start } from './helpers.js';

const KiB = 1024;
const reading = (over: Partial<Reading> = {}): Reading => ({ deviceId: 'd-1', sensor: 'temperature', ts: 1000, value: 21.5, unit: '°C', seq: 1, source: 'simulated', ...over });

test('estimate: a fixed allowance plus strings; a captured object counts its JSON, a simulated one a fixed size', () => {
  assert.is(readingBytes(reading()), READING_OVERHEAD_BYTES + 'd-1'.length + 'temperature'.length + '°C'.length);
  assert.is(readingBytes(reading({ value: 'x'.repeat(1000) })) - readingBytes(reading()), 1000);
  const big = { samples: Array.from({ length: 100 }, (_, i) => i) };
  assert.is(readingBytes(reading({ value: big as never, source: 'captured' })) - readingBytes(reading({ source: 'captured' })), JSON.stringify(big).length);
  assert.is(readingBytes(reading({ value: { lat: 1, lon: 2 }, sensor: 'gps' })) - readingBytes(reading({ sensor: 'gps' })), 64);
});

test('store: bounded by bytes, the oldest dropped and counted; a reading larger than the cap is dropped', () => {
  const one = readingBytes(reading({ value: 'x'.repeat(900) }));
  const store = new ReadingStore(1000, 3 * one);
  for (let i = 1; i <= 5; i++) store.push(reading({ seq: i, value: 'x'.repeat(900) }));
  assert.is(store.length, 3);
  assert.is(store.bytes, 3 * one);
  assert.is(store.dropped, 2);
  assert.equal(store.query({}).readings.map((r) => r.seq), [3, 4, 5]);
  store.push(reading({ seq: 6, value: 'x'.repeat(10_000) }));
  assert.is(store.dropped, 3);
  assert.equal(store.query({}).readings.map((r) => r.seq), [3, 4, 5]);
});

test('captured readings of 32 KiB each over MQTT: the store stays under buffer.maxBytes, drops are counted and reported', async () => {
  const maxBytes = 256 * KiB;
  const k = await start({ buffer: { maxBytes } }, [{ type: 'meter', count: 1, idPattern: 'real-{n}', connection: 'external' }]);
  const device = await mqtt.connectAsync(k.resolve('broker').url, { clientId: 'real-1' });
  try {
    const value = 'v'.repeat(32 * KiB);
    for (let seq = 1; seq <= 40; seq++) await device.publishAsync('devices/real-1/telemetry/blob', JSON.stringify({ value, seq }));
    await waitFor(() => k.telemetry.stats().captured === 40, 'captured');
    const stats = (await admin(k, '/stats')).body;
    assert.ok(stats.bytes <= maxBytes, `store holds ${stats.bytes} bytes, cap ${maxBytes}`);
    assert.is(stats.maxBytes, maxBytes);
    assert.is(stats.capacity, 100_000);
    assert.is(stats.stored + stats.dropped, 40);
    assert.is(stats.stored, 7); // 7 × ~32.2 KiB fit in 256 KiB
    const readings = (await admin(k, '/readings?device=real-1')).body.readings;
    assert.equal(readings.map((r: Reading) => r.seq), [34, 35, 36, 37, 38, 39, 40]);
    const [overflow] = k.eventsOf('telemetry.overflow');
    // the event is the one a count overflow sends: the byte cap is in /stats
    assert.equal(overflow!.data, { buffer: 'store', dropped: 1, capacity: 100_000 });
  } finally {
    await device.endAsync();
    await k.stop();
  }
});

test('the default cap is 32 MiB and is reported by /stats', async () => {
  const k = await start({}, []);
  try {
    const stats = (await admin(k, '/stats')).body;
    assert.equal({ bytes: stats.bytes, maxBytes: stats.maxBytes, dropped: stats.dropped }, { bytes: 0, maxBytes: 32 * 1024 * 1024, dropped: 0 });
  } finally {
    await k.stop();
  }
});

test.run();
