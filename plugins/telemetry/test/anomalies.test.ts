import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ANOMALY_KINDS, DRIFT_READINGS, offsetValue, STUCK_READINGS } from '../src/anomalies.js';
import { MODELS } from '../src/sensors/index.js';
import type { AnomalyKind, GpsValue } from '../src/contract.js';
import { run, steps, values } from './pure-helpers.js';

const only = (kind: AnomalyKind, p = 1) => ({ [kind]: p });

test('probability 0 (or none configured): no anomaly ever', () => {
  const zero = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0]));
  for (const anomalies of [undefined, zero]) {
    const all = steps('temperature', { anomalies, days: 2 });
    assert.ok(all.every((s) => s.reading.anomaly === undefined && s.send.length === 1 && s.send[0] === s.reading));
  }
});

test('probability 1: every reading carries the anomaly', () => {
  for (const kind of ['spike', 'drift', 'stuck', 'dropout', 'duplicate'] as const) {
    const readings = run('temperature', { anomalies: only(kind) });
    assert.ok(
      readings.every((r) => r.anomaly === kind),
      kind,
    );
  }
  // the reading that releases a held one is never held itself: every other one
  const ooo = run('temperature', { anomalies: only('outOfOrder') });
  assert.ok(ooo.every((r, i) => (i % 2 === 0 ? r.anomaly === 'outOfOrder' : r.anomaly === undefined)));
});

test('a probability in between shows up about that often; the model values do not change', () => {
  const clean = run('pressure', { days: 7 });
  const noisy = run('pressure', { days: 7, anomalies: { spike: 0.05, dropout: 0.05 } });
  const count = (k: AnomalyKind) => noisy.filter((r) => r.anomaly === k).length;
  assert.ok(Math.abs(count('spike') / noisy.length - 0.05) < 0.01, `spikes ${count('spike')}`);
  assert.ok(Math.abs(count('dropout') / noisy.length - 0.05 * 0.95) < 0.01, `dropouts ${count('dropout')}`);
  noisy.forEach((r, i) => {
    if (r.anomaly === undefined || r.anomaly === 'dropout') assert.is(r.value, clean[i].value);
  });
});

test('spike: a jump of one to two anomaly scales, either way', () => {
  const clean = values(run('temperature'));
  const spiked = values(run('temperature', { anomalies: only('spike') }));
  const diffs = spiked.map((v, i) => v - clean[i]);
  assert.ok(diffs.every((d) => Math.abs(d) >= 8 - 0.01 && Math.abs(d) <= 16 + 0.01));
  assert.ok(diffs.some((d) => d > 0) && diffs.some((d) => d < 0));
  // GPS jumps on both axes; bounded sensors stay in range
  assert.equal(offsetValue({ lat: 1, lon: 2 }, 0.5), { lat: 1.5, lon: 2.5 });
  const hum = values(run('humidity', { anomalies: only('spike') }));
  assert.ok(hum.every((v) => v >= 0 && v <= 100));
  const fixes = run('gps', { anomalies: only('spike') }).map((r) => r.value as GpsValue);
  assert.ok(fixes.every((f) => typeof f.lat === 'number' && typeof f.lon === 'number'));
});

test('drift: an offset growing reading by reading, reset after an episode', () => {
  const clean = values(run('temperature'));
  const drifted = values(run('temperature', { anomalies: only('drift') }));
  const offsets = drifted.map((v, i) => Math.abs(v - clean[i]));
  const step = MODELS.temperature.anomalyScale / DRIFT_READINGS;
  for (let i = 0; i < DRIFT_READINGS; i++) assert.ok(Math.abs(offsets[i] - step * (i + 1)) < 0.011, `reading ${i}: ${offsets[i]}`);
  assert.ok(Math.abs(offsets[DRIFT_READINGS] - step) < 0.011, 'a new episode starts from a small offset');
});

test('stuck: the last value repeats for a while', () => {
  const readings = run('temperature', { anomalies: { stuck: 0.02 }, days: 3 });
  const first = readings.findIndex((r) => r.anomaly === 'stuck');
  assert.ok(first > 0);
  const episode = readings.slice(first, first + STUCK_READINGS);
  assert.ok(episode.every((r) => r.anomaly === 'stuck' && r.value === readings[first - 1].value));
  assert.is(readings[first + STUCK_READINGS].anomaly === 'stuck' && readings[first + STUCK_READINGS].value === readings[first - 1].value, false);
  // from the very first reading it sticks to that reading
  const always = values(run('battery', { anomalies: only('stuck'), days: 3 }));
  assert.ok(always.every((v) => v === always[0]));
});

test('delivery: dropout sends nothing, duplicate sends twice, outOfOrder sends the next one first', () => {
  const drop = steps('co2', { anomalies: only('dropout') });
  assert.ok(drop.every((s) => s.send.length === 0));
  assert.equal(
    drop.map((s) => s.reading.seq).slice(0, 3),
    [1, 2, 3],
    'dropped readings still take a sequence number, so the gap shows',
  );
  const dup = steps('co2', { anomalies: only('duplicate') });
  assert.ok(dup.every((s) => s.send.length === 2 && s.send[0] === s.reading && s.send[1] === s.reading));
  const ooo = steps('co2', { anomalies: only('outOfOrder') });
  assert.equal(ooo[0].send, []);
  assert.equal(
    ooo[1].send.map((r) => r.seq),
    [2, 1],
  );
  // a held reading waits through a dropout and goes out after the next published one, duplicates first
  const mixed = steps('co2', { anomalies: { dropout: 0.3, duplicate: 0.3, outOfOrder: 0.5 }, days: 1 });
  const wire = mixed.flatMap((s) => s.send.map((r) => r.seq));
  const held = mixed.filter((s) => s.reading.anomaly === 'outOfOrder').map((s) => s.reading.seq);
  assert.ok(held.length > 50);
  for (const seq of held.slice(0, -1)) {
    const at = wire.indexOf(seq);
    assert.ok(at > 0 && wire[at - 1] > seq, `held ${seq} follows a later reading`);
  }
  const dropsWhileHeld = mixed.some((s, i) => i > 0 && mixed[i - 1].reading.anomaly === 'outOfOrder' && s.reading.anomaly === 'dropout');
  assert.ok(dropsWhileHeld);
  // every reading goes out as often as its anomaly says (a held one still waiting at the end: not yet)
  const times = (seq: number) => wire.filter((x) => x === seq).length;
  const pending = held.at(-1)!;
  for (const { reading } of mixed) {
    const expected = reading.anomaly === 'dropout' ? 0 : reading.anomaly === 'duplicate' ? 2 : 1;
    assert.ok(times(reading.seq) === expected || (reading.seq === pending && times(pending) === 0), `seq ${reading.seq}`);
  }
});

test.run();
