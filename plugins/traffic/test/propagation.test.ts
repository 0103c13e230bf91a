// Rates propagate through the call graph: every call multiplies (sync and async, parallel
// groups too), a 3× step at the gateway reaches the leaves ×3, cycles stop at the hop
// limit, and a topology change is picked up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { start, START } from './helpers.js';

test('a 3× step at the gateway reaches every leaf ×3; call counts multiply', async () => {
  const k = await start({ patterns: { load: { service: 'gateway', mix: { home: 1 }, shape: { kind: 'step', rps: 10, factor: 3, atSeconds: 60 } } } });
  try {
    const before = k.resolve('traffic').rates(START + 30_000);
    // gateway 10 → api 2 × 10 = 20 → db 20, cache 20 (async counts too)
    assert.equal(Object.fromEntries(before.services), { gateway: 10, api: 20, db: 20, cache: 20 });
    assert.is(before.endpoints.get('api')!.get('items'), 20);
    const after = k.resolve('traffic').rates(START + 61_000);
    assert.equal(Object.fromEntries(after.services), { gateway: 30, api: 60, db: 60, cache: 60 });
    for (const s of ['gateway', 'api', 'db', 'cache']) assert.is(after.services.get(s)! / before.services.get(s)!, 3, s);
  } finally {
    await k.stop();
  }
});

test('a mix splits the entry rate by weight; parallel groups count every call', async () => {
  const k = await start({ patterns: { load: { service: 'gateway', mix: { home: 3, order: 1 }, shape: { kind: 'constant', rps: 100 } } } });
  try {
    const r = k.resolve('traffic').rates();
    assert.equal(Object.fromEntries(r.endpoints.get('gateway')!), { home: 75, order: 25 });
    // api: 75·2 + 25 = 175; db: api's 175 + order's 25 = 200; cache: 175
    assert.equal(Object.fromEntries(r.services), { gateway: 100, api: 175, db: 200, cache: 175 });
  } finally {
    await k.stop();
  }
});

test('without a mix every endpoint of the entry service gets an even share', async () => {
  const k = await start({ patterns: { load: { service: 'gateway', shape: { kind: 'constant', rps: 10 } } } });
  try {
    assert.equal(Object.fromEntries(k.resolve('traffic').rates().endpoints.get('gateway')!), { home: 5, order: 5 });
  } finally {
    await k.stop();
  }
});

test('two patterns add up', async () => {
  const k = await start({
    patterns: {
      a: { service: 'gateway', mix: { home: 1 }, shape: { kind: 'constant', rps: 10 } },
      b: { service: 'api', shape: { kind: 'constant', rps: 5 } },
    },
  });
  try {
    assert.equal(Object.fromEntries(k.resolve('traffic').rates().services), { gateway: 10, api: 25, db: 25, cache: 25 });
  } finally {
    await k.stop();
  }
});

const go = (calls: string[]) => ({ endpoints: [{ name: 'go', path: '/', latency: { type: 'fixed', ms: 0 }, calls: calls.map((service) => ({ service, endpoint: 'go' })) }] });

test('a cycle terminates at the kernel hop limit', async () => {
  const k = await start(
    { patterns: { loop: { service: 'a', shape: { kind: 'constant', rps: 1 } } } },
    { services: { a: go(['b']), b: go(['a']) }, kernel: { maxHops: 5 } },
  );
  try {
    const r = k.resolve('traffic').rates();
    // hops 0..5: a b a b a b
    assert.equal(Object.fromEntries(r.services), { a: 3, b: 3 });
  } finally {
    await k.stop();
  }
});

test('a self-call fanning out twice is bounded too (default maxHops 32)', async () => {
  const k = await start({ patterns: { loop: { service: 'a', shape: { kind: 'constant', rps: 1 } } } }, { services: { a: go(['a', 'a']) } });
  try {
    // Σ_{d=0..32} 2^d
    assert.is(k.resolve('traffic').rates().services.get('a'), 2 ** 33 - 1);
  } finally {
    await k.stop();
  }
});

test('a topology change is picked up: new calls propagate, a removed endpoint carries nothing', async () => {
  const k = await start({ patterns: { load: { service: 'gateway', mix: { home: 1 }, shape: { kind: 'constant', rps: 10 } } } });
  try {
    const mesh = k.resolve('mesh');
    await mesh.put('db', { endpoints: [{ name: 'query', method: 'GET', path: '/query', latency: { type: 'fixed', ms: 0 }, calls: [{ service: 'cache', endpoint: 'get' }] }] });
    assert.equal(Object.fromEntries(k.resolve('traffic').rates().services), { gateway: 10, api: 20, db: 20, cache: 40 });
    await mesh.put('gateway', { endpoints: [{ name: 'other', path: '/other', latency: { type: 'fixed', ms: 0 } }] });
    assert.equal(Object.fromEntries(k.resolve('traffic').rates().services), {});
  } finally {
    await k.stop();
  }
});

test('rates(at) for the same instant is served from the last result; a change recomputes', async () => {
  const k = await start({ patterns: { load: { service: 'gateway', mix: { home: 1 }, shape: { kind: 'constant', rps: 10 } } } });
  try {
    const t = k.resolve('traffic');
    const a = t.rates(START + 1000);
    assert.is(t.rates(START + 1000), a);
    t.update('load', { scale: 2 });
    assert.is(t.rates(START + 1000).services.get('db'), 40);
  } finally {
    await k.stop();
  }
});

test.run();
