// Each shape's rate at chosen times on the virtual clock (exact numbers), scale, jitter
// and bursts seeded (same seed → same rates, another seed → other bursts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { close, entryAt, start, START } from './helpers.js';

const SOLO = { solo: { endpoints: [{ name: 'go', path: '/', latency: { type: 'fixed', ms: 0 } }] } };
const one = (shape: Record<string, unknown>, extra: Record<string, unknown> = {}, seed?: number) =>
  start({ patterns: { p: { service: 'solo', shape, ...extra } } }, { services: SOLO, seed });

test('constant: the same rate at every time; 0 before the start', async () => {
  const k = await one({ kind: 'constant', rps: 40 });
  try {
    assert.is(k.clock.now(), START);
    for (const t of [0, 1, 59.5, 3600]) assert.is(entryAt(k, 'solo', t), 40);
    assert.is(entryAt(k, 'solo', -1), 0);
  } finally {
    await k.stop();
  }
});

test('diurnal: min at the trough hour, max twelve hours later, the mean in between', async () => {
  const k = await one({ kind: 'diurnal', min: 10, max: 110, troughHour: 4 });
  try {
    assert.ok(close(entryAt(k, 'solo', 4 * 3600), 10));
    assert.ok(close(entryAt(k, 'solo', 16 * 3600), 110));
    assert.ok(close(entryAt(k, 'solo', 10 * 3600), 60));
    assert.ok(close(entryAt(k, 'solo', 28 * 3600), 10));
    // cos(2π·(−4h)/24h) = 0.5 → 10 + 100·0.25
    assert.ok(close(entryAt(k, 'solo', 0), 35));
  } finally {
    await k.stop();
  }
});

test('diurnal: periodSeconds shortens the cycle', async () => {
  const k = await one({ kind: 'diurnal', min: 0, max: 100, periodSeconds: 60 });
  try {
    assert.ok(close(entryAt(k, 'solo', 0), 0));
    assert.ok(close(entryAt(k, 'solo', 30), 100));
    assert.ok(close(entryAt(k, 'solo', 15), 50));
    assert.ok(close(entryAt(k, 'solo', 60), 0, 1e-6));
  } finally {
    await k.stop();
  }
});

test('ramp: linear from → to over durationSeconds, then to', async () => {
  const k = await one({ kind: 'ramp', from: 10, to: 110, durationSeconds: 100 });
  try {
    assert.is(entryAt(k, 'solo', 0), 10);
    assert.is(entryAt(k, 'solo', 25), 35);
    assert.is(entryAt(k, 'solo', 100), 110);
    assert.is(entryAt(k, 'solo', 5000), 110);
  } finally {
    await k.stop();
  }
});

test('step: ×factor from atSeconds for durationSeconds, then back; without a duration it stays', async () => {
  const k = await start(
    {
      patterns: {
        spike: { service: 'solo', shape: { kind: 'step', rps: 100, factor: 3, atSeconds: 60, durationSeconds: 30 } },
        level: { service: 'other', shape: { kind: 'step', rps: 5, factor: 0.5, atSeconds: 10 } },
      },
    },
    { services: { ...SOLO, other: SOLO.solo } },
  );
  try {
    assert.is(entryAt(k, 'solo', 59.9), 100);
    assert.is(entryAt(k, 'solo', 60), 300);
    assert.is(entryAt(k, 'solo', 89.9), 300);
    assert.is(entryAt(k, 'solo', 90), 100);
    assert.is(entryAt(k, 'other', 9), 5);
    assert.is(entryAt(k, 'other', 10_000), 2.5);
  } finally {
    await k.stop();
  }
});

test('scale multiplies the shape', async () => {
  const k = await one({ kind: 'constant', rps: 40 }, { scale: 2.5 });
  try {
    assert.is(entryAt(k, 'solo', 5), 100);
  } finally {
    await k.stop();
  }
});

async function series(shape: Record<string, unknown>, extra: Record<string, unknown>, seed: number, seconds: number[]): Promise<number[]> {
  const k = await one(shape, extra, seed);
  try {
    return seconds.map((s) => entryAt(k, 'solo', s));
  } finally {
    await k.stop();
  }
}

const SECONDS = Array.from({ length: 600 }, (_, i) => i + 0.5);

test('bursts: rps, plus burstRps for burstSeconds about every everySeconds; seeded', async () => {
  const shape = { kind: 'bursts', rps: 10, burstRps: 90, burstSeconds: 5, everySeconds: 60 };
  const a = await series(shape, {}, 7, SECONDS);
  const b = await series(shape, {}, 7, SECONDS);
  const c = await series(shape, {}, 8, SECONDS);
  assert.equal(a, b, 'same seed, same bursts');
  assert.not.equal(a, c, 'another seed, other bursts');
  assert.ok(a.every((r) => r === 10 || r === 100));
  // one burst of 5 s in each of the ten 60-second windows
  assert.is(a.filter((r) => r === 100).length, 50);
  for (let w = 0; w < 10; w++) assert.is(a.slice(w * 60, w * 60 + 60).filter((r) => r === 100).length, 5, `window ${w}`);
});

test('jitter: seeded noise per second, fixed within a second, a pure function of seed and t', async () => {
  const shape = { kind: 'constant', rps: 100 };
  const a = await series(shape, { jitter: 0.1 }, 3, SECONDS);
  const b = await series(shape, { jitter: 0.1 }, 3, SECONDS);
  const c = await series(shape, { jitter: 0.1 }, 4, SECONDS);
  assert.equal(a, b);
  assert.not.equal(a, c);
  assert.ok(new Set(a).size > 500, 'a value per second');
  const mean = a.reduce((s, r) => s + r, 0) / a.length;
  assert.ok(Math.abs(mean - 100) < 2, `mean ${mean}`);
  assert.ok(a.every((r) => r >= 0));
  const k = await one(shape, { jitter: 0.1 }, 3);
  try {
    assert.is(entryAt(k, 'solo', 10.1), entryAt(k, 'solo', 10.9));
    // asked in another order, the same rate
    assert.is(entryAt(k, 'solo', 599.5), a[599]);
    assert.is(entryAt(k, 'solo', 0.5), a[0]);
  } finally {
    await k.stop();
  }
});

test('bursts longer than their window run on into the next one (no slack: back to back)', async () => {
  const k = await one({ kind: 'bursts', rps: 1, burstRps: 9, burstSeconds: 15, everySeconds: 10 });
  try {
    // slack 0: window k bursts over [10k, 10k + 15), so every second is in a burst
    for (const t of [0, 9.9, 10, 14.9, 15, 25, 99]) assert.is(entryAt(k, 'solo', t), 10, `t=${t}`);
  } finally {
    await k.stop();
  }
});

test.run();
