import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom, createRandomSource, createRealClock, createVirtualClock, VIRTUAL_EPOCH } from '../src/index.js';
import { errorOf } from './support.js';

test('virtual clock starts at a fixed epoch and only moves on advance()', async () => {
  const clock = createVirtualClock();
  assert.is(clock.now(), VIRTUAL_EPOCH);
  await clock.advance(1500);
  assert.is(clock.now(), VIRTUAL_EPOCH + 1500);
});

test('advance fires due timers in time order, not creation order', async () => {
  const clock = createVirtualClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('300'), 300);
  clock.setTimeout(() => fired.push('100'), 100);
  clock.setTimeout(() => fired.push('200'), 200);
  await clock.advance(250);
  assert.equal(fired, ['100', '200']);
  await clock.advance(50);
  assert.equal(fired, ['100', '200', '300']);
});

test('intervals repeat, clear stops them, sleep resolves on advance', async () => {
  const clock = createVirtualClock(0);
  let ticks = 0;
  const handle = clock.setInterval(() => ticks++, 10);
  await clock.advance(35);
  assert.is(ticks, 3);
  clock.clearInterval(handle);
  await clock.advance(100);
  assert.is(ticks, 3);
  const cancelled = clock.setTimeout(() => ticks++, 5);
  assert.is(clock.pendingTimers(), 1);
  clock.clearTimeout(cancelled);
  assert.is(clock.pendingTimers(), 0);
  let woke = false;
  const sleeping = clock.sleep(20).then(() => (woke = true));
  await clock.advance(19);
  assert.is(woke, false);
  await clock.advance(1);
  await sleeping;
  assert.is(woke, true);
  assert.is(ticks, 3);
});

test('promise chains between timers settle within one advance', async () => {
  const clock = createVirtualClock(0);
  const seen: number[] = [];
  const chain = (async () => {
    await clock.sleep(10);
    seen.push(clock.now());
    await clock.sleep(10);
    seen.push(clock.now());
  })();
  await clock.advance(20);
  await chain;
  assert.equal(seen, [10, 20]);
});

test('dispose cancels pending virtual timers', async () => {
  const clock = createVirtualClock(0);
  let fired = false;
  clock.setTimeout(() => (fired = true), 10);
  clock.dispose();
  await clock.advance(20);
  assert.is(fired, false);
});

test('real clock: now is wall time, timers fire, sleep resolves, dispose cancels', async () => {
  const clock = createRealClock();
  assert.ok(Math.abs(clock.now() - Date.now()) < 1000);
  await clock.sleep(1);
  const fired = await new Promise<boolean>((resolve) => clock.setTimeout(() => resolve(true), 1));
  assert.ok(fired);
  let count = 0;
  const interval = clock.setInterval(() => count++, 1);
  assert.is(clock.pendingTimers(), 1);
  await new Promise<void>((resolve) => clock.setTimeout(() => resolve(), 20));
  clock.clearInterval(interval);
  let late = false;
  const t = clock.setTimeout(() => (late = true), 1);
  clock.clearTimeout(t);
  clock.setTimeout(() => (late = true), 1);
  clock.dispose();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.is(late, false);
  assert.ok(count >= 1);
});

test('real clock refuses advance()', async () => {
  const err = await errorOf(() => createRealClock().advance(1));
  assert.is(err.code, 'US_CLOCK_NOT_VIRTUAL');
});

test('same seed and name give the same sequence', () => {
  const a = createRandom(42, 'chaos');
  const b = createRandom(42, 'chaos');
  const seqA = Array.from({ length: 5 }, () => a.next());
  const seqB = Array.from({ length: 5 }, () => b.next());
  assert.equal(seqA, seqB);
  for (const v of seqA) assert.ok(v >= 0 && v < 1);
});

test('streams are independent: another plugin drawing never changes mine', () => {
  const source = createRandomSource('run-7');
  const alone = createRandomSource('run-7').stream('fleet');
  const fleetValues = Array.from({ length: 3 }, () => alone.next());
  const other = source.stream('chaos');
  other.next();
  other.next();
  const fleet = source.stream('fleet');
  assert.equal(Array.from({ length: 3 }, () => fleet.next()), fleetValues);
  assert.not.equal(createRandom(1, 'a').next(), createRandom(1, 'b').next());
  assert.not.equal(createRandom(1, 'a').next(), createRandom(2, 'a').next());
});

test('helpers stay in range and forks are deterministic', () => {
  const r = createRandom(3, 'x');
  for (let i = 0; i < 200; i++) {
    const n = r.int(2, 4);
    assert.ok(n >= 2 && n <= 4 && Number.isInteger(n));
  }
  assert.ok(['a', 'b'].includes(r.pick(['a', 'b'])));
  assert.type(r.chance(0.5), 'boolean');
  assert.is(r.chance(0), false);
  assert.is(r.chance(1), true);
  const samples = Array.from({ length: 2000 }, () => r.normal(10, 2));
  const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
  assert.ok(Math.abs(mean - 10) < 0.3, `mean ${mean}`);
  assert.is(createRandom(3, 'x').fork('y').next(), createRandom(3, 'x/y').next());
  assert.ok(Number.isFinite(createRandom(3, 'z').normal()));
});

test.run();
