// The load model observed from outside: utilisation and latency from the demand (a
// traffic double's rates plus real requests), latency growing near saturation, errors
// past it, the cascade from a critical dependency, real responses delayed and failed
// accordingly, shedding, memory → OOMKilled, and eviction under node memory pressure.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchOnClock, type TestKernel } from '@understudy/plugin-sdk/testing';
import { admin, call, post, seconds, start, svc, trafficDouble, type Json } from './helpers.js';

const it = suite('cluster: load model');

const stats = async (k: TestKernel) => (await admin(k, '/stats')).body.services as Record<string, Json>;
const web = { replicas: 2, startupSeconds: 0, capacity: { concurrency: 4, serviceTimeMs: 20 }, memory: { baseMiB: 64, perInflightMiB: 0 } };

it('turns demand into utilisation, latency growing towards saturation, and errors past it', async () => {
  const t = trafficDouble();
  const k = await start({ web: svc() }, { workloads: { web }, queueTimeoutMs: 100 }, { before: [t.plugin] });
  try {
    const at = async (rps: number) => {
      t.rates.set('web', rps);
      await seconds(k, 1);
      return (await stats(k)).web;
    };
    const low = await at(100);
    assert.is(low.demand, 100);
    assert.is(low.utilisation, 0.25); // 50/s per instance × 20 ms / 4 servers
    assert.is(low.errorRate, 0);
    assert.is(low.ready, 2);
    const busy = await at(360);
    const near = await at(396);
    assert.ok(busy.latencyMs > low.latencyMs, `${busy.latencyMs} > ${low.latencyMs}`);
    assert.ok(near.latencyMs > 2 * busy.latencyMs, `${near.latencyMs} >> ${busy.latencyMs}`);
    assert.ok(near.p99Ms > near.latencyMs);
    assert.is(near.errorRate, 0);
    const over = await at(800);
    assert.is(over.utilisation, 2);
    assert.is(over.errorRate, 0.5);
    assert.is(over.served, 400);
    const inst = (await admin(k, '/instances/web-1')).body.load;
    assert.is(inst.arrivalRate, 400);
    assert.is(inst.errorRate, 0.5);
    assert.is(inst.cpu, 1000);
    // real requests fail with the overload share (seeded), 503 with a code
    // the ones served wait the queue timeout (virtual time: moved on until each answers)
    const codes = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const r = await fetchOnClock(k, '/web/', { stepMs: 10 });
      const key = r.status === 200 ? '200' : `${r.status} ${r.body.code}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    assert.equal([...codes.keys()].sort(), ['200', '503 US_CLUSTER_OVERLOADED']);
    assert.ok(codes.get('200')! > 5 && codes.get('503 US_CLUSTER_OVERLOADED')! > 5);
  } finally {
    await k.stop();
  }
});

it('delays a real request by the queueing delay of its instance (not the service time: mesh samples that)', async () => {
  const t = trafficDouble();
  const k = await start({ web: svc() }, { workloads: { web } }, { before: [t.plugin] });
  try {
    t.rates.set('web', 396);
    await seconds(k, 1);
    const waitMs = (await stats(k)).web.latencyMs - 20;
    assert.ok(waitMs > 5);
    let done = false;
    const pending = call(k, '/web/').then((r) => {
      done = true;
      return r;
    });
    await k.untilTimers(2); // the tick and the request's wait
    await k.clock.advance(Math.round(waitMs) - 1);
    assert.is(done, false);
    await k.clock.advance(1);
    assert.is((await pending).status, 200);
  } finally {
    await k.stop();
  }
});

it('counts real requests as demand when no traffic plugin is loaded', async () => {
  const k = await start({ web: svc() }, { workloads: { web } });
  try {
    for (let i = 0; i < 10; i++) await call(k, '/web/');
    await seconds(k, 1);
    const s = (await stats(k)).web;
    assert.is(s.demand, 10);
    assert.is(s.served, 10);
    await seconds(k, 1);
    assert.is((await stats(k)).web.demand, 0);
  } finally {
    await k.stop();
  }
});

it('cascades errors and latency from a critical dependency, not from an optional one', async () => {
  const t = trafficDouble();
  const k = await start(
    {
      front: svc({ calls: [{ service: 'db', endpoint: 'go' }, { service: 'cache', endpoint: 'go', onFailure: 'ignore' }] }),
      db: svc(),
      cache: svc(),
    },
    { workloads: { front: web, db: { ...web, replicas: 1 }, cache: { ...web, replicas: 1 } } },
    { before: [t.plugin] },
  );
  try {
    t.rates.set('front', 100).set('db', 400).set('cache', 400);
    await seconds(k, 1);
    const s = await stats(k);
    assert.is(s.db.errorRate, 0.5);
    assert.is(s.cache.errorRate, 0.5);
    assert.is(s.front.errorRate, 0.5, 'only db propagates');
    assert.ok(s.front.latencyMs > s.db.latencyMs + s.cache.latencyMs, 'sync calls add their latency');
    // no db instance at all: every front request fails
    await post(k, '/instances/db-1/evict');
    await k.resolve('cluster').apply('db', { replicas: 0 });
    await seconds(k, 1);
    const down = await stats(k);
    assert.is(down.db.errorRate, 1);
    assert.is(down.front.errorRate, 1);
    assert.is(down.front.served, 0);
  } finally {
    await k.stop();
  }
});

it('handles a dependency cycle in a bounded number of passes', async () => {
  const t = trafficDouble();
  const k = await start(
    { a: svc({ calls: [{ service: 'b', endpoint: 'go' }] }), b: svc({ calls: [{ service: 'a', endpoint: 'go' }] }) },
    { workloads: { a: web, b: web } },
    { before: [t.plugin] },
  );
  try {
    t.rates.set('a', 10).set('b', 10);
    await seconds(k, 2);
    const s = await stats(k);
    assert.ok(Number.isFinite(s.a.latencyMs) && s.a.latencyMs < 10 * 10_000 + 1);
    assert.is(s.a.errorRate, 0);
  } finally {
    await k.stop();
  }
});

it('sheds a share of demand at the door: errors in the tick, 503s for real requests', async () => {
  const t = trafficDouble();
  const k = await start({ web: svc() }, { workloads: { web } }, { before: [t.plugin] });
  try {
    t.rates.set('web', 100);
    const shed = await post(k, '/services/web/shed', { fraction: 0.25 });
    assert.equal(shed.body, { service: 'web', fraction: 0.25 });
    await seconds(k, 1);
    const s = (await stats(k)).web;
    assert.is(s.admitted, 75);
    assert.is(s.errorRate, 0.25);
    assert.is((await post(k, '/services/web/shed', { fraction: 2 })).status, 400);
    await post(k, '/services/web/shed', { fraction: 1 });
    const r = await call(k, '/web/');
    assert.is(r.status, 503);
    assert.is(r.body.code, 'US_CLUSTER_OVERLOADED');
  } finally {
    await k.stop();
  }
});

it("answers a version's own errorRate with 500 US_CLUSTER_APP_ERROR", async () => {
  const k = await start({ web: svc() }, { workloads: { web: { ...web, behaviour: { errorRate: 1 } } } });
  try {
    await seconds(k, 1);
    const r = await call(k, '/web/');
    assert.is(r.status, 500);
    assert.is(r.body.code, 'US_CLUSTER_APP_ERROR');
    assert.is((await stats(k)).web.errorRate, 0);
  } finally {
    await k.stop();
  }
});

it('OOMKills an instance whose memory passes its limit (a leak), and restarts it', async () => {
  const k = await start({ web: svc() }, {
    workloads: { web: { ...web, replicas: 1, memory: { baseMiB: 100, perInflightMiB: 0 }, versions: { '1.0.0': { leakMiBPerHour: 360_000 } } } },
  });
  try {
    await seconds(k, 3);
    assert.is((await admin(k, '/instances/web-1')).body.load.memoryMiB, 400);
    await seconds(k, 2);
    const inst = (await admin(k, '/instances/web-1')).body;
    assert.is(inst.lastTermination.reason, 'OOMKilled');
    assert.is(inst.restarts, 1);
    const oom = k.eventsOf('cluster.instanceChanged').find((e) => e.data.to === 'OOMKilled')!;
    assert.match(oom.data.reason!, 'exceeded its limit of 512 MiB');
  } finally {
    await k.stop();
  }
});

it('OOMKills under load when in-flight requests take the memory (Little\'s law)', async () => {
  const t = trafficDouble();
  const k = await start({ web: svc() }, { workloads: { web: { ...web, replicas: 1, memory: { baseMiB: 64, perInflightMiB: 100 } } } }, { before: [t.plugin] });
  try {
    t.rates.set('web', 50); // L = 50/s × 20 ms ≈ 1 → ~164 MiB
    await seconds(k, 1);
    assert.ok((await admin(k, '/instances/web-1')).body.load.memoryMiB < 512);
    t.rates.set('web', 190); // near saturation: L ≈ 4+ → > 512 MiB
    await seconds(k, 1);
    assert.is((await admin(k, '/instances/web-1')).body.lastTermination.reason, 'OOMKilled');
  } finally {
    await k.stop();
  }
});

it('evicts the instances using most beyond their request when a node runs out of memory, and reschedules them', async () => {
  const k = await start({ web: svc(), big: svc() }, {
    nodes: [
      { name: 'n1', zone: 'a', cpu: 4000, memory: 1024 },
      { name: 'n2', zone: 'b', cpu: 4000, memory: 4096 },
    ],
    workloads: {
      web: { ...web, replicas: 1, memory: { baseMiB: 100, perInflightMiB: 0 }, zoneSpread: false },
      big: { ...web, replicas: 1, memory: { baseMiB: 400, perInflightMiB: 0 }, zoneSpread: false },
    },
  });
  try {
    const onN1 = (await admin(k, '/instances?node=n2')).body.instances.map((i: Json) => i.id);
    assert.equal(onN1, ['web-1', 'big-1'], 'least allocated: both on the larger node');
    await post(k, '/nodes/n2/cordon');
    await post(k, '/nodes/n1/cordon');
    await post(k, '/nodes/n1/uncordon');
    await seconds(k, 1);
    const hog = await post(k, '/nodes/n2/pressure', { memory: 3700 });
    assert.is(hog.status, 200);
    assert.equal(hog.body.pressure, { cpu: 0, memory: 3700 });
    const big = (await admin(k, '/instances/big-1')).body;
    assert.is(big.state, 'Terminated');
    assert.is(big.lastTermination.reason, 'Evicted');
    assert.is((await admin(k, '/instances/web-1')).body.state, 'Ready', 'one eviction was enough');
    const ev = k.eventsOf('cluster.nodePressure')[0]!.data;
    assert.is(ev.node, 'n2');
    assert.is(ev.instances, 1);
    const replacement = (await admin(k, '/instances/big-2')).body;
    assert.is(replacement.node, 'n1');
    assert.is(replacement.state, 'Ready');
    assert.is((await post(k, '/nodes/n2/pressure', { memory: -1 })).status, 400);
  } finally {
    await k.stop();
  }
});

it.run();
