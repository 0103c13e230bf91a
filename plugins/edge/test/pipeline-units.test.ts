import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RollingStats, ZScoreDetector } from '../src/anomaly.js';
import { createFilter, DeadbandFilter, ThresholdFilter } from '../src/filters.js';
import { decimalsOf, roundTo } from '../src/reading.js';
import { WindowAggregator } from '../src/windows.js';

const it = suite('edge: filters, windows, z-score');

it('threshold keeps readings inside [min, max] and counts the rest', () => {
  const f = new ThresholdFilter(0, 50);
  assert.equal([-1, 0, 25, 50, 51].map((v) => f.pass('d/t', v)), [false, true, true, true, false]);
  assert.is(f.held, 2);
  const onlyMax = createFilter({ kind: 'threshold', max: 10 });
  assert.ok(onlyMax.pass('s', -1e9));
  assert.not.ok(onlyMax.pass('s', 11));
  assert.is(onlyMax.kind, 'threshold');
});

it('deadband passes a reading only when it moved at least delta from the last passed one, per series', () => {
  const f = new DeadbandFilter(0.5);
  const a = [20, 20.2, 20.4, 20.5, 20.6, 21.0, 19.9].map((v) => f.pass('a', v));
  assert.equal(a, [true, false, false, true, false, true, true]);
  // another series has its own last value
  assert.ok(f.pass('b', 20.1));
  assert.is(f.held, 3);
  assert.is(createFilter({ kind: 'deadband', delta: 1 }).kind, 'deadband');
});

it('tumbling windows close on the clock (an idle window still closes) and skip empty ones', () => {
  const w = new WindowAggregator(1000);
  w.add(100, 10, 'd1');
  w.add(500, 30, 'd2');
  w.add(999, 20, 'd1');
  assert.equal(w.close(999), [], 'not closed before its end');
  const [first, ...rest] = w.close(1000);
  assert.equal(rest, []);
  assert.is(first.start, 0);
  assert.is(first.end, 1000);
  assert.is(first.count, 3);
  assert.is(first.min, 10);
  assert.is(first.max, 30);
  assert.is(first.mean, 20);
  assert.is(first.maxDevice, 'd2');
  assert.is(first.minDevice, 'd1');
  assert.equal([...first.devices], ['d1', 'd2']);
  assert.is(w.open, 0, 'closed buckets are let go');
  // a gap: nothing is emitted for the empty windows in between
  w.add(5200, 1, 'd3');
  assert.equal(w.close(60_000).map((r) => [r.start, r.end, r.count]), [[5000, 6000, 1]]);
  assert.equal(w.close(120_000), []);
});

it('sliding windows emit every slideMs over the last sizeMs', () => {
  const w = new WindowAggregator(300, 100);
  w.add(0, 1, 'a');
  w.add(150, 2, 'b');
  w.add(250, 6, 'a');
  const out = w.close(600).map((r) => ({ start: r.start, end: r.end, count: r.count, min: r.min, max: r.max, mean: r.mean }));
  assert.equal(out, [
    { start: -200, end: 100, count: 1, min: 1, max: 1, mean: 1 },
    { start: -100, end: 200, count: 2, min: 1, max: 2, mean: 1.5 },
    { start: 0, end: 300, count: 3, min: 1, max: 6, mean: 3 },
    { start: 100, end: 400, count: 2, min: 2, max: 6, mean: 4 },
    { start: 200, end: 500, count: 1, min: 6, max: 6, mean: 6 },
  ]);
  assert.is(w.open, 0);
});

it('sliding windows resume where they stopped and refuse readings for emitted windows', () => {
  const w = new WindowAggregator(200, 100);
  w.add(50, 1, 'a');
  assert.equal(w.close(100).map((r) => r.end), [100]);
  w.add(120, 3, 'a');
  assert.equal(w.close(250).map((r) => [r.end, r.count]), [[200, 2]]);
  assert.not.ok(w.add(20, 9, 'late'), 'its windows are out already');
  assert.is(w.late, 1);
  assert.equal(w.close(1000).map((r) => [r.end, r.count]), [[300, 1]]);
});

it('an out-of-order reading joins its bucket, and a bucket between others is inserted in order', () => {
  const w = new WindowAggregator(1000, 100);
  w.add(350, 5, 'a');
  w.add(120, 1, 'b');
  w.add(360, 7, 'b');
  w.add(130, 3, 'a');
  const all = w.close(1100);
  assert.is(all[0].end, 200);
  assert.is(all[0].count, 2);
  assert.is(all.at(-1)!.count, 4);
  assert.is(all.at(-1)!.max, 7);
  assert.is(all.at(-1)!.maxDevice, 'b');
});

it('rolling stats keep the last N values with mean and population std', () => {
  const s = new RollingStats(4);
  assert.is(s.mean(), 0);
  assert.is(s.std(), 0);
  for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) s.push(v);
  assert.is(s.count, 4);
  // the last four: 5, 5, 7, 9
  assert.is(s.mean(), 6.5);
  assert.ok(Math.abs(s.std() - Math.sqrt((1.5 ** 2 * 2 + 0.5 ** 2 + 2.5 ** 2) / 4)) < 1e-12);
});

it('z-score flags a spike against the series window once it has minSamples readings', () => {
  const d = new ZScoreDetector({ zScore: 3, window: 10, minSamples: 5 });
  const base = [10, 11, 9, 10, 11, 9, 10];
  for (const v of base.slice(0, 4)) assert.is(d.check('a', v), undefined);
  assert.is(d.check('a', 100), undefined, 'only 4 samples: not judged yet');
  const e = new ZScoreDetector({ zScore: 3, window: 10 });
  for (const v of [...base, 11, 9, 10]) assert.is(e.check('a', v), undefined);
  const spike = e.check('a', 30)!;
  assert.ok(spike, 'spike flagged');
  assert.is(spike.value, 30);
  assert.is(spike.mean, 10);
  assert.ok(spike.z > 3);
  assert.ok(Math.abs(spike.z - (30 - spike.mean) / spike.std) < 1e-9);
  assert.ok(e.check('a', -20)!.z < -3, 'negative spikes too');
  // other series are independent
  assert.is(e.check('b', 1000), undefined);
});

it('a flat series is not judged unless minStd gives it a spread', () => {
  const flat = new ZScoreDetector({ zScore: 3, window: 5 });
  for (let i = 0; i < 5; i++) flat.check('a', 20);
  assert.is(flat.check('a', 25), undefined);
  const floored = new ZScoreDetector({ zScore: 3, window: 5, minStd: 1 });
  for (let i = 0; i < 5; i++) floored.check('a', 20);
  assert.is(floored.check('a', 22), undefined);
  // window now 20, 20, 20, 20, 22: mean 20.4, std 0.8 → floored to 1
  const found = floored.check('a', 30)!;
  assert.is(found.std, 1);
  assert.ok(Math.abs(found.mean - 20.4) < 1e-9);
  assert.ok(Math.abs(found.z - 9.6) < 1e-9);
});

it('a reading\'s precision is the decimals it is written with; rounding is half away from zero', () => {
  const cases: Array<[number, number]> = [[21, 0], [21.7, 1], [-3.25, 2], [0.000001, 6], [1e-7, 7], [1.5e-12, 10], [22.419999999999998, 10], [1e21, 0]];
  assert.equal(cases.map(([v]) => decimalsOf(v)), cases.map(([, d]) => d));
  assert.equal([roundTo(22.419999999999998, 3), roundTo(0.15000000000000002, 2), roundTo(2.5, 0), roundTo(-2.5, 0), roundTo(1.005, 2)], [22.42, 0.15, 3, -3, 1]);
});

it.run();