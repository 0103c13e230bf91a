import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PluginDefinition } from '../src/index.js';
import { testKernel } from './support.js';

const json = { 'content-type': 'application/json' };

// a plugin with a timer, to see the advance fire it
function ticker(fired: number[]): PluginDefinition {
  return {
    name: 'ticker',
    version: '1.0.0',
    register(ctx) {
      ctx.onStart(() => void ctx.clock.setInterval(() => fired.push(ctx.clock.now()), 60_000));
    },
  };
}

test('POST /__admin/clock/advance moves the virtual clock and fires the timers due on the way', async () => {
  const fired: number[] = [];
  const kernel = testKernel({ plugins: [ticker(fired)] });
  const url = await kernel.start();
  try {
    const before = await (await fetch(`${url}/__admin/clock`)).json();
    assert.is(before.kind, 'virtual');
    assert.is(before.iso, '2025-01-01T00:00:00.000Z');
    const [a, b] = await Promise.all([
      fetch(`${url}/__admin/clock/advance`, { method: 'POST', headers: json, body: JSON.stringify({ ms: 3_600_000 }) }),
      fetch(`${url}/__admin/clock/advance`, { method: 'POST', headers: json, body: JSON.stringify({ ms: 60_000 }) }),
    ]);
    assert.is(a.status, 200);
    assert.is(b.status, 200);
    const after = await (await fetch(`${url}/__admin/clock`)).json();
    assert.is(after.iso, '2025-01-01T01:01:00.000Z');
    // one per simulated minute, each exactly once and in order
    assert.is(fired.length, 61);
    assert.equal(fired, [...fired].sort((x, y) => x - y));
  } finally {
    await kernel.stop();
  }
});

test('advance refuses a bad amount with the field named, and the real clock with US_CLOCK_NOT_VIRTUAL', async () => {
  const kernel = testKernel({ clock: undefined, config: { clock: 'real' } });
  const url = await kernel.start();
  try {
    const bad = await fetch(`${url}/__admin/clock/advance`, { method: 'POST', headers: json, body: JSON.stringify({ ms: -5 }) });
    assert.is(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /ms/);
    const real = await fetch(`${url}/__admin/clock/advance`, { method: 'POST', headers: json, body: JSON.stringify({ ms: 1000 }) });
    assert.is(real.status, 409);
    const body = await real.json();
    assert.is(body.code, 'US_CLOCK_NOT_VIRTUAL');
    assert.match(body.message, /--clock virtual/);
    assert.is((await (await fetch(`${url}/__admin/clock`)).json()).kind, 'real');
  } finally {
    await kernel.stop();
  }
});

test.run();
