// A partial network partition, end to end (issue 11, health's edge cases): chaos's
// partition fault cuts db off from gateway, api and cache (api cannot reach db; gateway → api
// and api → cache still work). Health must see api — and gateway through it — degraded or
// unhealthy while the partition lasts, and everything healthy again after it ends; a db
// instance restarted meanwhile stays critical in discovery until then, and so does a db
// replica added meanwhile (a new instance id, registered during the fault). Real
// HTTP to the services, discovery's view, /__admin/health and its incidents; virtual clock.
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { get, incidents, instances, kill, liveIds, post, statuses, startWorld, until } from './fixtures/ops-world.js';

const partition = suite<{ k: TestKernel }>('ops: a partial network partition');

partition.before.each(async (ctx) => {
  ctx.k = await startWorld();
});
partition.after.each(async ({ k }) => {
  await k.stop();
});

const SPLIT = { id: 'split', kind: 'partition', groups: [['gateway', 'api', 'cache'], ['db']] };

/** A user's load on top of traffic's sample: `n` checkouts, then one second of virtual time; the statuses it answered. */
async function busySecond(k: TestKernel, n = 5): Promise<number[]> {
  const answered: number[] = [];
  for (let i = 0; i < n; i++) answered.push((await get(k, '/gateway/checkout')).status);
  await k.advance(1000);
  return answered;
}

const dbChecks = async (k: TestKernel) =>
  ((await get(k, '/v1/health/service/db')).body as Array<{ Service: { ID: string }; Checks: Array<{ Status: string; Output: string }> }>).map((e) => ({
    id: e.Service.ID,
    critical: e.Checks.some((c) => c.Status === 'critical'),
  }));

partition('api cannot reach db: requests across the cut fail, the rest pass, discovery marks db critical', async ({ k }) => {
  for (let s = 0; s < 3; s++) assert.equal(await busySecond(k, 2), [200, 200]);
  assert.is((await post(k, '/__admin/chaos/faults', SPLIT)).status, 201);

  const orders = await get(k, '/api/orders');
  assert.is(orders.status, 502);
  assert.is(orders.body.failed.service, 'db');
  assert.is(orders.body.failed.code, 'US_CHAOS_PARTITION');
  const checkout = await get(k, '/gateway/checkout');
  assert.is(checkout.status, 502);
  assert.is(checkout.body.failed.service, 'api');
  // same side of the cut, and requests from outside, still pass
  assert.is((await get(k, '/cache/get')).status, 200);
  assert.is((await get(k, '/db/query')).status, 200);
  assert.equal(await dbChecks(k), [
    { id: 'db-1', critical: true },
    { id: 'db-2', critical: true },
  ]);
});

partition('health sees api and gateway degraded or unhealthy while the partition lasts, and healthy again after it ends; one incident with its TTR', async ({ k }) => {
  for (let s = 0; s < 3; s++) await busySecond(k);
  assert.equal(await statuses(k), { api: 'healthy', cache: 'healthy', db: 'healthy', gateway: 'healthy' });
  assert.is((await post(k, '/__admin/chaos/faults', SPLIT)).status, 201);
  const cutAt = k.clock.now();

  let seen: Record<string, string> = {};
  for (let s = 0; s < 10; s++) {
    assert.ok((await busySecond(k)).every((status) => status === 502));
    seen = await statuses(k);
    if (seen.api !== 'healthy' && seen.gateway !== 'healthy') break;
  }
  assert.ok(seen.api !== 'healthy', `api while cut off from db: ${JSON.stringify(seen)}`);
  assert.ok(seen.gateway !== 'healthy', `gateway through api: ${JSON.stringify(seen)}`);
  assert.is(seen.cache, 'healthy');
  const api = (await get(k, '/__admin/health/services/api')).body;
  assert.ok(api.errorRate > api.slo.errorRate, JSON.stringify(api));
  const open = await incidents(k, 'status=open');
  assert.is(open.length, 1, JSON.stringify(open));
  assert.ok(open[0]!.services.includes('api'), JSON.stringify(open[0]!.services));
  assert.ok(open[0]!.openedAt >= cutAt);

  assert.is((await get(k, '/__admin/chaos/faults/split', { method: 'DELETE' })).status < 300, true);
  const healedAt = k.clock.now();
  // breakers the planner forced open during the partition (every service kept Ready instances:
  // they failed by their error rates) are released once those are within their SLOs again,
  // a few ticks later
  let after: number[] = [];
  for (let s = 0; s < 10; s++) if ((after = await busySecond(k)).every((status) => status === 200)) break;
  assert.equal(after, [200, 200, 200, 200, 200]);
  assert.equal(await dbChecks(k), [
    { id: 'db-1', critical: false },
    { id: 'db-2', critical: false },
  ]);
  for (let s = 0; s < 10 && Object.values(await statuses(k)).some((v) => v !== 'healthy'); s++) await busySecond(k);
  assert.equal(await statuses(k), { api: 'healthy', cache: 'healthy', db: 'healthy', gateway: 'healthy' });
  const [incident] = await incidents(k);
  assert.is(incident!.status, 'resolved');
  assert.ok(incident!.resolvedAt! >= healedAt);
  assert.is(incident!.ttrMs, incident!.resolvedAt! - incident!.openedAt);
  assert.is(incident!.timeline[0]!.kind, 'detected');
  assert.is(incident!.timeline.at(-1)!.kind, 'recovered');
});

partition('a db instance restarted during the partition stays critical in discovery until the partition ends', async ({ k }) => {
  for (let s = 0; s < 3; s++) await busySecond(k, 1);
  assert.is((await post(k, '/__admin/chaos/faults', SPLIT)).status, 201);
  await kill(k, ['db-1']);
  await until(k, async () => (await instances(k, 'workload=db')).every((i) => i.state === 'Ready'), 30);
  assert.ok((await get(k, '/__admin/cluster/instances/db-1')).body.restarts >= 1);
  // Ready again in the cluster, still on the cut-off side of the partition
  assert.equal(await dbChecks(k), [
    { id: 'db-1', critical: true },
    { id: 'db-2', critical: true },
  ]);
  assert.is((await get(k, '/__admin/chaos/faults/split', { method: 'DELETE' })).status < 300, true);
  await k.advance(1000);
  assert.equal(await dbChecks(k), [
    { id: 'db-1', critical: false },
    { id: 'db-2', critical: false },
  ]);
});

partition('a db replica added during the partition registers critical in discovery, and passing once the partition ends', async ({ k }) => {
  for (let s = 0; s < 3; s++) await busySecond(k, 1);
  assert.is((await post(k, '/__admin/chaos/faults', SPLIT)).status, 201);
  const scaled = await fetchJson(k.baseUrl + '/__admin/cluster/workloads/db', { method: 'PUT', json: { replicas: 3 } });
  assert.is(scaled.status, 200, scaled.text);
  await until(k, async () => (await instances(k, 'workload=db')).filter((i) => i.state === 'Ready').length === 3, 30);
  const ids = await liveIds(k, 'db');
  assert.is(ids.length, 3);
  // the new replica, on the cut-off side from its first registration
  assert.equal(await dbChecks(k), ids.sort().map((id) => ({ id, critical: true })));
  assert.is((await get(k, '/__admin/chaos/faults/split', { method: 'DELETE' })).status < 300, true);
  await k.advance(1000);
  assert.equal(await dbChecks(k), ids.map((id) => ({ id, critical: false })));
});

partition.run();
