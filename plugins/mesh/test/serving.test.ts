import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, start, svc } from './helpers.js';

const serving = suite('mesh: serving');

/**
 * GET `path`, wait until `timers` timers are parked on the virtual clock at once, then
 * advance exactly `ms` (not fetchOnClock's steps: the timer count and the time are what
 * these tests assert; fewer timers fail untilTimers, a longer wait fetchJson's timeout).
 */
async function answerAfter(k: TestKernel, path: string, timers: number, ms: number) {
  const pending = call(k.baseUrl + path);
  await k.untilTimers(timers);
  await k.advance(ms);
  return pending;
}

serving('the shop world: GET /gateway/checkout answers 200 after 3+ hops of child exchanges', async () => {
  const k = await start({ world: 'shop', latencyScale: 0, errorScale: 0 });
  try {
    const res = await call(`${k.baseUrl}/gateway/checkout`);
    assert.is(res.status, 200);
    assert.is(res.body.service, 'gateway');
    assert.is(res.body.endpoint, 'checkout');
    assert.equal(
      res.body.calls.map((c: { service: string; outcome: string }) => `${c.service}:${c.outcome}`),
      ['users:ok', 'cart:ok', 'orders:ok', 'recommendations:ok'],
    );
    // the response carries the whole call tree: gateway → orders → inventory → catalog
    const orders = res.body.calls.find((c: { service: string }) => c.service === 'orders');
    const inventory = orders.calls.find((c: { service: string }) => c.service === 'inventory');
    assert.equal(inventory.calls.map((c: { service: string; outcome: string }) => `${c.service}:${c.outcome}`), ['catalog:ok']);
    const children = k.seen.filter((s) => s.hops > 0);
    const payments = children.find((s) => s.service === 'payments')!;
    assert.is(payments.caller, 'orders');
    assert.is(payments.hops, 2);
    // gateway → orders → inventory → catalog
    assert.ok(children.some((s) => s.service === 'catalog' && s.caller === 'inventory' && s.hops === 3));
    const root = k.seen.find((s) => s.hops === 0)!;
    assert.is(root.service, 'gateway');
    assert.is(root.instance, 'gateway-1');
    // round-robin over the two gateway instances
    assert.is((await call(`${k.baseUrl}/gateway/checkout`)).body.instance, 'gateway-2');
    // templates: catalog item echoes its path and instance
    const product = await call(`${k.baseUrl}/catalog/products/p-9`);
    assert.is(product.body.path, '/catalog/products/p-9');
    assert.match(product.body.servedBy, /^catalog\/catalog-\d$/);
  } finally {
    await k.stop();
  }
});

serving('unknown service falls through to 404; unknown endpoint says why', async () => {
  const k = await start({ services: { a: svc() } });
  try {
    assert.is((await call(`${k.baseUrl}/nope/x`)).status, 404);
    const res = await call(`${k.baseUrl}/a/missing`);
    assert.is(res.status, 404);
    assert.match(res.body.unmatched.mesh.reason, 'no endpoint GET /missing');
    assert.is((await call(`${k.baseUrl}/a`)).status, 200);
  } finally {
    await k.stop();
  }
});

serving('methods, path parameters, text templates, headers and status', async () => {
  const k = await start({
    services: {
      a: {
        endpoints: [
          { path: '/items/:id', method: 'DELETE', status: 204 },
          { path: '/items/{id}', method: 'GET', body: 'item {{request.path}} from {{service}} {{endpoint}} {{instance}} v{{version}} q={{request.query.x}} {{nothing.here}}', headers: { 'x-a': '1' } },
          { path: '/files/*', body: { tags: ['{{request.method}}'], n: 1 } },
        ],
      },
    },
  });
  try {
    const get = await call(`${k.baseUrl}/a/items/7?x=y`);
    assert.is(get.text, 'item /a/items/7 from a GET /items/{id} a-1 v1.0.0 q=y ');
    assert.is(get.headers.get('x-a'), '1');
    assert.match(get.headers.get('content-type')!, 'text/plain');
    assert.is((await call(`${k.baseUrl}/a/items/7`, { method: 'DELETE' })).status, 204);
    assert.equal((await call(`${k.baseUrl}/a/files/x/y`, { method: 'PUT' })).body, { tags: ['PUT'], n: 1 });
  } finally {
    await k.stop();
  }
});

serving('latency parks on the virtual clock', async () => {
  const k = await start({ services: { slow: svc({ latency: { type: 'fixed', ms: 250 } }) } });
  try {
    assert.is((await answerAfter(k, '/slow/', 1, 250)).status, 200);
  } finally {
    await k.stop();
  }
});

serving('sync calls are awaited, async calls are not', async () => {
  const k = await start({
    services: {
      front: svc({ calls: [{ service: 'fast', endpoint: 'go' }, { service: 'slow', endpoint: '/', mode: 'async' }] }),
      fast: svc(),
      slow: svc({ latency: { type: 'fixed', ms: 1000 } }),
    },
  });
  try {
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 200);
    assert.equal(res.body.calls, [
      { service: 'fast', endpoint: 'go', mode: 'sync', outcome: 'ok', status: 200 },
      { service: 'slow', endpoint: 'go', mode: 'async', outcome: 'async' },
    ]);
    assert.not.ok(k.seen.some((s) => s.service === 'slow'));
    await k.untilTimers(1);
    await k.advance(1000);
    while (!k.seen.some((s) => s.service === 'slow')) await new Promise((r) => setImmediate(r));
    assert.is(k.seen.find((s) => s.service === 'slow')!.caller, 'front');
  } finally {
    await k.stop();
  }
});

const twoSlow = (parallel: boolean) => ({
  services: {
    front: svc({ calls: [{ parallel, calls: [{ service: 'b', endpoint: 'go' }, { service: 'c', endpoint: 'go' }] }] }),
    b: svc({ latency: { type: 'fixed', ms: 100 } }),
    c: svc({ latency: { type: 'fixed', ms: 100 } }),
  },
});

serving('a parallel group runs its calls at once', async () => {
  const k = await start(twoSlow(true));
  try {
    assert.is((await answerAfter(k, '/front/', 2, 100)).status, 200);
  } finally {
    await k.stop();
  }
});

serving('calls run in sequence by default', async () => {
  const k = await start(twoSlow(false));
  try {
    const pending = call(`${k.baseUrl}/front/`);
    await k.untilTimers(1);
    assert.is(k.clock.pendingTimers(), 1);
    await k.advance(100);
    await k.untilTimers(1);
    assert.ok(k.seen.some((s) => s.service === 'b'));
    assert.not.ok(k.seen.some((s) => s.service === 'c'));
    await k.advance(100);
    assert.is((await pending).status, 200);
  } finally {
    await k.stop();
  }
});

serving('endpoint-level parallel runs every call at once', async () => {
  const config = twoSlow(false);
  config.services.front = svc({ parallel: true, calls: [{ service: 'b', endpoint: 'go' }, { service: 'c', endpoint: 'go' }] });
  const k = await start(config);
  try {
    assert.is((await answerAfter(k, '/front/', 2, 100)).status, 200);
  } finally {
    await k.stop();
  }
});

const failing = (onFailure: string, extra: Record<string, unknown> = {}) => ({
  services: {
    front: svc({ calls: [{ service: 'bad', endpoint: 'go', onFailure, ...extra }, { service: 'ok', endpoint: 'go' }] }),
    bad: svc({ errorRate: 1, errorStatus: 503 }),
    ok: svc(),
  },
});

serving('onFailure: propagate answers 502 naming the failed dependency and stops the sequence', async () => {
  const k = await start(failing('propagate'));
  try {
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 502);
    assert.is(res.body.code, 'US_MESH_DEPENDENCY_FAILED');
    assert.equal(res.body.failed, { service: 'bad', endpoint: 'go', status: 503, code: 'US_MESH_INJECTED_ERROR' });
    assert.match(res.body.message, 'dependency bad go failed with 503');
    assert.not.ok(k.seen.some((s) => s.service === 'ok'));
  } finally {
    await k.stop();
  }
});

serving('onFailure: fallback uses the fallback and carries on', async () => {
  const k = await start(failing('fallback', { fallback: { status: 203, body: { items: [] } } }));
  try {
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 200);
    assert.equal(res.body.calls[0], { service: 'bad', endpoint: 'go', mode: 'sync', outcome: 'fallback', status: 203, body: { items: [] } });
    assert.is(res.body.calls[1].outcome, 'ok');
  } finally {
    await k.stop();
  }
  const k2 = await start(failing('fallback'));
  try {
    const res = await call(`${k2.baseUrl}/front/`);
    assert.equal(res.body.calls[0], { service: 'bad', endpoint: 'go', mode: 'sync', outcome: 'fallback', status: 200, body: null });
  } finally {
    await k2.stop();
  }
});

serving('onFailure: ignore carries on', async () => {
  const k = await start(failing('ignore'));
  try {
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 200);
    assert.equal(res.body.calls.map((c: { outcome: string; status: number }) => [c.outcome, c.status]), [['ignored', 503], ['ok', 200]]);
  } finally {
    await k.stop();
  }
});

serving('a propagated failure inside a parallel group waits for the group', async () => {
  const k = await start({
    services: {
      front: svc({ calls: [{ parallel: true, calls: [{ service: 'bad', endpoint: 'go' }, { service: 'ok', endpoint: 'go' }] }] }),
      bad: svc({ errorRate: 1, errorStatus: [500] }),
      ok: svc(),
    },
  });
  try {
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 502);
    assert.equal(res.body.calls.map((c: { outcome: string }) => c.outcome), ['failed', 'ok']);
  } finally {
    await k.stop();
  }
});

async function outcomes(seed: number): Promise<number[]> {
  const k = await start({ services: { flaky: svc({ errorRate: 0.5, errorStatus: [500, 503] }) } }, { seed });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(`${k.baseUrl}/flaky/`)).status);
    return statuses;
  } finally {
    await k.stop();
  }
}

serving('error rate: the same seed gives the same outcomes', async () => {
  const a = await outcomes(7);
  assert.equal(await outcomes(7), a);
  assert.ok(a.includes(200) && a.includes(500) && a.includes(503));
  assert.not.equal(await outcomes(8), a);
});

serving('errorScale 0 and latencyScale 0 switch simulation off', async () => {
  const k = await start({ latencyScale: 0, errorScale: 0, services: { x: svc({ errorRate: 1, latency: { type: 'fixed', ms: 5000 } }) } });
  try {
    assert.is((await call(`${k.baseUrl}/x/`)).status, 200);
  } finally {
    await k.stop();
  }
});

serving('random instance selection picks from the seeded stream', async () => {
  const k = await start({ instanceSelection: 'random', services: { x: svc({ body: '{{instance}}' }, { instances: [{ version: 'a' }, { version: 'b' }, { version: 'c' }] }) } });
  try {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await call(`${k.baseUrl}/x/`)).text);
    assert.ok(seen.size > 1);
    for (const id of seen) assert.match(id, /^x-[123]$/);
  } finally {
    await k.stop();
  }
});

serving('1,000 services from config are all reachable', async () => {
  const services: Record<string, unknown> = {};
  for (let i = 0; i < 1000; i++) services[`s${i}`] = svc(i > 0 ? { calls: [{ service: `s${i - 1}`, endpoint: 'go', mode: 'async' }] } : {});
  const k = await start({ services });
  try {
    for (const i of [0, 1, 499, 998, 999]) {
      const res = await call(`${k.baseUrl}/s${i}/`);
      assert.is(res.status, 200);
      assert.is(res.body.service, `s${i}`);
    }
    const list = await call(`${k.baseUrl}/__admin/mesh/services`);
    assert.is(list.body.services.length, 1000);
    const graph = await call(`${k.baseUrl}/__admin/mesh/graph.json`);
    assert.is(graph.body.edges.length, 999);
    assert.equal(graph.body.cycles, []);
  } finally {
    await k.stop();
  }
});

serving('an instance chosen by an earlier Route tap is kept; a non-JSON failure body is reported without a code', async () => {
  const { definePlugin, Stage } = await import('@understudy/plugin-sdk');
  const pinning = definePlugin({
    name: 'pin',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'pin', stage: Stage.BeforeRoute }, (ex) => {
        if (ex.request.path.startsWith('/multi')) ex.context.tags.instance = 'multi-3';
        return ex;
      });
    },
  });
  const k = await start(
    {
      services: {
        multi: svc({ body: '{{instance}}' }, { instances: 3 }),
        front: svc({ calls: [{ service: 'broken', endpoint: 'go' }] }),
        broken: svc({ status: 500, body: '{not json' }),
      },
    },
    { extra: [pinning] },
  );
  try {
    assert.is((await call(`${k.baseUrl}/multi/`)).text, 'multi-3');
    assert.is((await call(`${k.baseUrl}/multi/`)).text, 'multi-3');
    const res = await call(`${k.baseUrl}/front/`);
    assert.is(res.status, 502);
    assert.equal(res.body.failed, { service: 'broken', endpoint: 'go', status: 500 });
  } finally {
    await k.stop();
  }
});

serving.run();
