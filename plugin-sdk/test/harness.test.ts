import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, definePreset, Stage, Type } from '../src/index.js';
import { assertRefused, createTestKernel, fetchOnClock, type JsonReply } from '../src/testing.js';

const ticker = definePlugin({
  name: 'ticker',
  config: Type.Object({ everyMs: Type.Integer({ minimum: 1, default: 1000 }) }, { additionalProperties: false }),
  register(ctx) {
    let ticks = 0;
    ctx.onStart(() => {
      ctx.clock.setInterval(() => ctx.events.emit('ticker.tick', { n: ++ticks, roll: ctx.random.int(1, 6) }), ctx.config.everyMs);
    });
    ctx.hooks.exchange.tapPromise({ name: 'ticker', stage: Stage.Respond }, async (ex) => {
      if (ex.request.path === '/ticks') ex.response = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticks }) };
      return ex;
    });
  },
});

test('serves over a real socket on a free port, with captured events and a virtual clock', async () => {
  const kernel = await createTestKernel({ plugins: [ticker], config: { ticker: { everyMs: 100 } } });
  try {
    assert.match(kernel.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(`${kernel.baseUrl}/ticks`)).json(), { ticks: 0 });
    await kernel.advance(350);
    assert.equal(await (await fetch(`${kernel.baseUrl}/ticks`)).json(), { ticks: 3 });
    assert.equal(kernel.eventsOf('ticker.tick').map((e) => (e.data as { n: number }).n), [1, 2, 3]);
    assert.ok(kernel.captured.some((e) => e.type === 'kernel.started'));
  } finally {
    await kernel.stop();
  }
});

test('same seed, same outcomes; another seed, other outcomes', async () => {
  const rolls = async (seed: number) => {
    const kernel = await createTestKernel({ plugins: [ticker], seed, listen: false });
    await kernel.advance(10_000);
    await kernel.stop();
    return kernel.eventsOf('ticker.tick').map((e) => (e.data as { roll: number }).roll);
  };
  const a = await rolls(11);
  assert.is(a.length, 10);
  assert.equal(await rolls(11), a);
  assert.not.equal(await rolls(12), a);
});

test('inject-only kernels need no socket; presets work as in a config file', async () => {
  const preset = definePreset({ name: 'ticking', plugins: [ticker], config: { ticker: { everyMs: 5 } } });
  const kernel = await createTestKernel({ presets: [preset], listen: false });
  try {
    assert.is(kernel.baseUrl, '');
    await kernel.advance(10);
    const res = await kernel.inject('/ticks');
    assert.equal(res.json(), { ticks: 2 });
  } finally {
    await kernel.stop();
  }
});

test('untilTimers waits for work parked on the virtual clock, and gives up with a clear error', async () => {
  const kernel = await createTestKernel({ plugins: [], listen: false });
  try {
    let woke = false;
    setImmediate(() => void kernel.clock.sleep(50).then(() => (woke = true)));
    await kernel.untilTimers(1);
    await kernel.advance(50);
    assert.ok(woke);
    try {
      await kernel.untilTimers(1, 20);
      assert.unreachable('no timer is pending');
    } catch (err) {
      assert.match((err as Error).message, 'untilTimers: 0 of 1 timer(s) pending after 20 ms');
    }
  } finally {
    await kernel.stop();
  }
});

test('fetchOnClock advances the virtual clock until an answer that waits on it comes', async () => {
  const slow = definePlugin({
    name: 'slow',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'slow', stage: Stage.Respond }, async (ex) => {
        await ctx.clock.sleep(120);
        ex.response = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: ctx.clock.now() }) };
        return ex;
      });
    },
  });
  const kernel = await createTestKernel({ plugins: [slow] });
  try {
    const start = kernel.clock.now();
    const res = await fetchOnClock(kernel, '/anything', { stepMs: 40 });
    assert.is(res.status, 200);
    assert.ok(res.body.at - start >= 120, 'answered once the clock passed the sleep');
  } finally {
    await kernel.stop();
  }
});

test('assertRefused passes a refusal naming every problem, and names what is missing or wrong', () => {
  const reply = (status: number, body: unknown): JsonReply => ({ status, headers: new Headers(), body, text: JSON.stringify(body) });
  const refused = reply(400, { statusCode: 400, code: 'US_X_INVALID', message: 'Invalid x:\nreplicas: must be >= 0\nversion: must be a non-empty string' });
  assertRefused(refused, 'US_X_INVALID', ['replicas: must be >= 0', 'version: must be a non-empty string']);
  assertRefused(reply(409, { code: 'US_X_EXISTS', message: 'exists' }), 'US_X_EXISTS', [], 409);
  const failure = (f: () => void) => {
    try {
      f();
    } catch (err) {
      return (err as Error).message;
    }
    assert.unreachable('assertRefused did not throw');
    return '';
  };
  const missing = failure(() => assertRefused(refused, 'US_X_INVALID', ['replicas: must be >= 0', 'colour: unknown property', 'nodes: must be array']));
  assert.match(missing, 'missing:\n  colour: unknown property\n  nodes: must be array');
  assert.not.match(missing, '  replicas');
  assert.match(failure(() => assertRefused(refused, 'US_Y_INVALID')), 'expected a 400 US_Y_INVALID naming every problem; got 400 US_X_INVALID');
  assert.match(failure(() => assertRefused(reply(200, 'fine'), 'US_X_INVALID')), 'got 200 undefined\nmessage: "fine"');
});

test('invalid plugin config fails fast with the path', async () => {
  try {
    await createTestKernel({ plugins: [ticker], config: { ticker: { everyMs: 0 } } });
    assert.unreachable('should fail');
  } catch (err) {
    assert.match((err as Error).message, 'plugins.ticker.everyMs: must be >= 1');
  }
});

test.run();
