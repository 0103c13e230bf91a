import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createVirtualClock, EventBus } from '@understudy/kernel';
import { deviceTopics } from '@understudy/plugin-fleet';
import { parseCaptured } from '../src/capture.js';
import { CSV_HEADER, csvCell, csvLine, exportChunks, ndjsonLine } from '../src/export.js';
import { OverflowReporter } from '../src/overflow.js';
import { ReadingStore } from '../src/store.js';
import type { Reading } from '../src/contract.js';

const reading = (over: Partial<Reading> = {}): Reading => ({ deviceId: 'd-1', sensor: 'temperature', ts: 1000, value: 21.5, unit: '°C', seq: 1, source: 'simulated', ...over });

test('store: bounded, oldest dropped and counted; queries filter and cap', () => {
  const store = new ReadingStore(3);
  for (let i = 1; i <= 5; i++) store.push(reading({ seq: i, ts: i * 1000, deviceId: i % 2 ? 'a' : 'b', type: i % 2 ? 'odd' : 'even' }));
  assert.is(store.length, 3);
  assert.is(store.capacity, 3);
  assert.is(store.dropped, 2);
  assert.equal(
    store.query({}).readings.map((r) => r.seq),
    [3, 4, 5],
  );
  assert.equal(
    store.query({ deviceIds: ['a'] }).readings.map((r) => r.seq),
    [3, 5],
  );
  assert.equal(
    store.query({ type: 'even' }).readings.map((r) => r.seq),
    [4],
  );
  assert.equal(
    store.query({ from: 4000, to: 4000 }).readings.map((r) => r.seq),
    [4],
  );
  assert.equal(store.query({ sensor: 'humidity' }).readings, []);
  assert.equal(store.query({ limit: 2 }), { readings: store.query({}).readings.slice(0, 2), truncated: true });
  assert.is(store.query({ limit: 3 }).truncated, false);
});

test('csv: fixed header, GPS as one JSON cell, quoting where needed', () => {
  assert.is(CSV_HEADER, 'ts,deviceId,sensor,value,unit,seq,anomaly');
  assert.is(csvLine(reading({ anomaly: 'spike' })), '1000,d-1,temperature,21.5,°C,1,spike');
  assert.is(csvLine(reading({ sensor: 'gps', value: { lat: 52.5, lon: 13.4 }, unit: 'deg' })), '1000,d-1,gps,"{""lat"":52.5,""lon"":13.4}",deg,1,');
  assert.is(csvLine(reading({ value: 'on, off', deviceId: 'x"y' })), '1000,"x""y",temperature,"on, off",°C,1,');
  assert.is(csvLine(reading({ value: true })), '1000,d-1,temperature,true,°C,1,');
  assert.is(csvCell('a\nb'), '"a\nb"');
});

test('ndjson: one stored reading per line; chunks cover every line', () => {
  assert.equal(JSON.parse(ndjsonLine(reading({ anomaly: 'drift', type: 't' }))), reading({ anomaly: 'drift', type: 't' }));
  const many = Array.from({ length: 25 }, (_, i) => reading({ seq: i + 1 }));
  const ndjson = [...exportChunks(many, 'ndjson', 10)];
  assert.is(ndjson.length, 3);
  assert.equal(
    ndjson.join('').trim().split('\n').map((l) => JSON.parse(l).seq),
    many.map((r) => r.seq),
  );
  const csv = [...exportChunks(many, 'csv', 10)].join('').trim().split('\n');
  assert.is(csv[0], CSV_HEADER);
  assert.is(csv.length, 26);
  assert.equal([...exportChunks([], 'ndjson')], []);
  assert.equal([...exportChunks([], 'csv')], [`${CSV_HEADER}\n`]);
});

test('capture: the documented payload, a bare number, or nothing', () => {
  assert.equal(deviceTopics.telemetry.parse('devices/t-1/telemetry/temperature'), { deviceId: 't-1', sensor: 'temperature' });
  assert.is(deviceTopics.telemetry.parse('devices/t-1/status'), undefined);
  assert.is(deviceTopics.telemetry.parse('devices//telemetry/x'), undefined);
  const full = Buffer.from(JSON.stringify({ deviceId: 'ignored', sensor: 'ignored', ts: 5, value: 20.1, unit: 'C', seq: 9 }));
  assert.equal(parseCaptured('t-1', 'temperature', full, 99), { deviceId: 't-1', sensor: 'temperature', ts: 5, value: 20.1, unit: 'C', seq: 9, source: 'captured' });
  assert.equal(parseCaptured('t-1', 'humidity', Buffer.from('47.5'), 99), { deviceId: 't-1', sensor: 'humidity', ts: 99, value: 47.5, unit: '%RH', seq: 0, source: 'captured' });
  assert.equal(parseCaptured('t-1', 'voltage', Buffer.from('{"value":3.3}'), 99)?.unit, '');
  for (const bad of ['not json', '"text"', 'null', '[1,2]', '{"v":1}']) assert.is(parseCaptured('t-1', 'x', Buffer.from(bad), 0), undefined, bad);
});

test('overflow: the first drop at once, then at most once per interval per buffer kind', async () => {
  const clock = createVirtualClock();
  const bus = new EventBus(clock, 100);
  const seen: unknown[] = [];
  bus.subscribe((e) => seen.push(e.data));
  const reporter = new OverflowReporter(clock, { emit: (type, data) => bus.emit('telemetry', type, data), subscribe: bus.subscribe.bind(bus), recent: bus.recent.bind(bus) }, 60_000);
  reporter.dropped('store', { dropped: 1, capacity: 5 });
  reporter.dropped('store', { dropped: 2, capacity: 5 });
  reporter.dropped('offline', { dropped: 1, capacity: 2, deviceId: 'd' });
  await clock.advance(59_999);
  reporter.dropped('store', { dropped: 3, capacity: 5 });
  await clock.advance(1);
  reporter.dropped('store', { dropped: 4, capacity: 5 });
  assert.equal(seen, [
    { buffer: 'store', dropped: 1, capacity: 5 },
    { buffer: 'offline', dropped: 1, capacity: 2, deviceId: 'd' },
    { buffer: 'store', dropped: 4, capacity: 5 },
  ]);
});

test.run();
