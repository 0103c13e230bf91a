// The sample: every second of kernel-clock time, sample.perSecond real exchanges per
// running pattern go through the pipeline (mesh answers them, settled taps see them),
// counted per pattern; none while stopped, none with perSecond 0.
import { definePlugin } from '@understudy/plugin-sdk';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, start } from './helpers.js';

function spy() {
  const seen: Array<{ service?: string; caller?: string; method: string; path: string; status?: number; traffic?: unknown }> = [];
  const plugin = definePlugin({
    name: 'spy',
    register(ctx) {
      ctx.hooks.settled.tapPromise('spy', async (ex) => {
        seen.push({ service: ex.service, caller: ex.context.caller, method: ex.request.method, path: ex.request.path, status: ex.response?.status, traffic: ex.context.tags.traffic });
      });
    },
  });
  return { plugin, seen };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('perSecond exchanges per second reach the pipeline and mesh answers them', async () => {
  const s = spy();
  const k = await start(
    { sample: { perSecond: 2 }, patterns: { web: { service: 'gateway', mix: { home: 3, order: 1 }, shape: { kind: 'constant', rps: 50 } } } },
    { extra: [s.plugin] },
  );
  try {
    for (let i = 0; i < 10; i++) {
      await k.clock.advance(1000);
      for (let j = 0; j < 5; j++) await settle();
    }
    const roots = s.seen.filter((e) => e.traffic === 'web');
    assert.is(roots.length, 20);
    assert.ok(roots.every((e) => e.status === 200 && e.caller === undefined));
    const home = roots.filter((e) => e.method === 'GET' && e.path === '/gateway/');
    const order = roots.filter((e) => e.method === 'POST' && e.path === '/gateway/orders/1');
    assert.is(home.length + order.length, 20);
    assert.ok(home.length > order.length, 'weighted 3:1');
    // their calls went through the pipeline too
    assert.ok(s.seen.some((e) => e.service === 'db' && e.caller === 'api'));
    assert.is((await admin(k, '/patterns/web')).body.sampled, 20);
    assert.is((await admin(k, '/')).body.sampled, 20);

    await admin(k, '/patterns/web/stop', { method: 'POST' });
    await k.clock.advance(3000);
    assert.is((await admin(k, '/patterns/web')).body.sampled, 20);
  } finally {
    await k.stop();
  }
});

test('the same seed draws the same sample endpoints', async () => {
  const run = async () => {
    const s = spy();
    const k = await start({ sample: { perSecond: 3 }, patterns: { web: { service: 'gateway', shape: { kind: 'constant', rps: 5 } } } }, { extra: [s.plugin], seed: 9 });
    try {
      for (let i = 0; i < 5; i++) {
        await k.clock.advance(1000);
        for (let j = 0; j < 5; j++) await settle();
      }
      return s.seen.filter((e) => e.traffic === 'web').map((e) => e.path);
    } finally {
      await k.stop();
    }
  };
  const a = await run();
  assert.is(a.length, 15);
  assert.equal(a, await run());
});

test('perSecond 0 sends nothing; a pattern at rate 0 sends nothing', async () => {
  const s = spy();
  const k = await start(
    { sample: { perSecond: 0 }, patterns: { web: { service: 'gateway', shape: { kind: 'constant', rps: 5 } } } },
    { extra: [s.plugin] },
  );
  try {
    await k.clock.advance(5000);
    assert.is(s.seen.length, 0);
  } finally {
    await k.stop();
  }
  const s2 = spy();
  const k2 = await start({ sample: { perSecond: 1 }, patterns: { idle: { service: 'gateway', shape: { kind: 'constant', rps: 0 } } } }, { extra: [s2.plugin] });
  try {
    await k2.clock.advance(5000);
    assert.is(s2.seen.length, 0);
  } finally {
    await k2.stop();
  }
});

test('sample.perSecond above the cap fails the start with its path', async () => {
  try {
    await start({ sample: { perSecond: 1000 } });
    assert.unreachable('started');
  } catch (err) {
    assert.match((err as Error).message, 'sample.perSecond');
  }
});

test.run();
