import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SENSOR_NAMES } from '../src/sensors/index.js';
import { run } from './pure-helpers.js';

test('same seed, device and sensor: the identical series, for every model', () => {
  for (const sensor of SENSOR_NAMES) {
    const a = run(sensor, { seed: 42, deviceId: 'd-1', anomalies: { spike: 0.1, drift: 0.01, stuck: 0.01, dropout: 0.1, duplicate: 0.1, outOfOrder: 0.1 } });
    const b = run(sensor, { seed: 42, deviceId: 'd-1', anomalies: { spike: 0.1, drift: 0.01, stuck: 0.01, dropout: 0.1, duplicate: 0.1, outOfOrder: 0.1 } });
    assert.equal(a, b, sensor);
  }
});

test('another device or another seed: a different series', () => {
  const base = run('temperature', { seed: 42, deviceId: 'd-1' }).map((r) => r.value);
  assert.not.equal(run('temperature', { seed: 42, deviceId: 'd-2' }).map((r) => r.value), base);
  assert.not.equal(run('temperature', { seed: 43, deviceId: 'd-1' }).map((r) => r.value), base);
});

test('anomalies draw from their own stream: turning them on keeps the clean readings', () => {
  const clean = run('vibration', { seed: 7 });
  const noisy = run('vibration', { seed: 7, anomalies: { duplicate: 0.5 } });
  assert.equal(
    noisy.map((r) => r.value),
    clean.map((r) => r.value),
  );
});

test.run();
