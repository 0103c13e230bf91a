// Data inconsistency during recovery, end to end (issue 11, health's edge cases): db is a
// stateful workload whose writes reach its other instances after `stateful.replicationLagMs`.
// A db instance that was killed comes back behind the others; until it has caught up, the
// reads it serves see stale data, and a user must be told — which reads, on which instance,
// for how long — in an incident of kind `staleReads` (the health contract's name). Traffic
// both reads (GET /gateway/checkout → GET /db/query) and writes (POST /gateway/order →
// POST /db/write). Virtual clock, real HTTP.
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { get, incidents, kill, sample, seconds, startWorld, until } from './fixtures/ops-world.js';

const stale = suite('ops: data inconsistency during recovery');

const LAG_MS = 3000;

/** gateway reads through api (GET /orders → db GET /query) and writes (POST /orders → db POST /write). */
function services() {
  return {
    gateway: {
      endpoints: [
        { path: '/checkout', method: 'GET', name: 'checkout', calls: [{ service: 'api', endpoint: 'orders' }] },
        { path: '/order', method: 'POST', name: 'order', calls: [{ service: 'api', endpoint: 'create' }] },
      ],
    },
    api: {
      endpoints: [
        { path: '/orders', method: 'GET', name: 'orders', calls: [{ service: 'db', endpoint: 'query' }, { service: 'cache', endpoint: 'get', onFailure: 'fallback' }] },
        { path: '/orders', method: 'POST', name: 'create', calls: [{ service: 'db', endpoint: 'write' }] },
      ],
    },
    db: {
      endpoints: [
        { path: '/query', method: 'GET', name: 'query' },
        { path: '/write', method: 'POST', name: 'write' },
      ],
    },
    cache: { endpoints: [{ path: '/get', method: 'GET', name: 'get' }] },
  };
}

const world = () =>
  startWorld({
    config: {
      mesh: { services: services() },
      cluster: { workloads: { db: { replicas: 3, startupSeconds: 2, stateful: { replicationLagMs: LAG_MS } } } },
      traffic: {
        patterns: {
          shoppers: { service: 'gateway', mix: { checkout: 3, order: 1 }, shape: { kind: 'constant', rps: 40 } },
        },
      },
    },
  });

const staleIncidents = async (k: TestKernel) => (await incidents(k, 'service=db')).filter((i) => i.kind === 'staleReads');

stale('a recovering db replica serves stale reads until it has caught up: a staleReads incident names it, counts them, and resolves once it is current', async () => {
  const k = await world();
  try {
    await seconds(k, 5);
    assert.equal(await staleIncidents(k), [], 'no stale reads while every replica is current');
    const t0 = k.clock.now();
    await kill(k, ['db-2']);
    // back Ready after its startup, then behind by the writes it missed
    await until(k, async () => (await get(k, '/__admin/cluster/instances/db-2')).body.state === 'Ready', 20);
    const readyAt = (await get(k, '/__admin/cluster/instances/db-2')).body.readyAt as number;
    for (let i = 0; i < 6; i++) assert.is((await get(k, '/gateway/checkout')).status, 200, 'stale reads still answer');
    await seconds(k, Math.ceil(LAG_MS / 1000) + 5);

    const found = await staleIncidents(k);
    assert.is(found.length, 1, `a staleReads incident for db: ${JSON.stringify(await incidents(k))}`);
    const [incident] = found;
    assert.ok(incident!.services.includes('db'));
    assert.ok(incident!.openedAt >= t0 && incident!.openedAt <= readyAt + 1000, `opened at +${incident!.openedAt - t0} ms`);
    const detected = incident!.timeline.find((e) => e.kind === 'detected');
    assert.ok(detected && detected.target === 'db-2', JSON.stringify(incident!.timeline));
    // how many reads saw stale data, in words a user reads
    const counted = incident!.timeline.map((e) => /(\d+) (?:stale reads|reads saw stale data)/.exec(e.message)).find(Boolean);
    assert.ok(counted && Number(counted[1]) > 0, JSON.stringify(incident!.timeline));
    // resolved once db-2 caught up: within the replication lag after it was Ready (plus a tick)
    assert.is(incident!.status, 'resolved');
    assert.ok(incident!.resolvedAt! <= readyAt + LAG_MS + 2000, `resolved ${incident!.resolvedAt! - readyAt} ms after db-2 was Ready`);
    assert.is(incident!.ttrMs, incident!.resolvedAt! - incident!.openedAt);
    const metrics = (await get(k, '/metrics')).text;
    assert.ok((sample(metrics, 'understudy_stale_reads_total', { service: 'db' }) ?? 0) > 0, 'understudy_stale_reads_total{service="db"} counts them');
  } finally {
    await k.stop();
  }
});

stale('no staleReads incident when only stateless services restart', async () => {
  const k = await world();
  try {
    await seconds(k, 5);
    await kill(k, ['api-1', 'cache-1']);
    await seconds(k, 10);
    assert.equal(await staleIncidents(k), []);
  } finally {
    await k.stop();
  }
});

stale.run();
