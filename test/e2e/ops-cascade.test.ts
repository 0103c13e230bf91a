// Cascading failure across dependencies, end to end (issue 11, health's edge cases): the
// database tier goes down, api (which needs it) errors and gateway follows; the optional
// cache does not matter. Recovery in dependency order under the recovery planner (api waits
// for db instead of crash-looping), compared with Kubernetes' plain backoff in the same run.
// Everything a user would look at: HTTP to the services, /__admin/health and its incidents,
// /__admin/cluster instances, events, /__admin/logs and /metrics — on the virtual clock.
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { get, incidents, instances, kill, liveIds, sample, seconds, startWorld, statuses, until, type IncidentView } from './fixtures/ops-world.js';

const cascade = suite('ops: cascading failure across dependencies');

const allHealthy = (k: TestKernel) => async () => Object.values(await statuses(k)).every((s) => s === 'healthy');

interface Outcome {
  k: TestKernel;
  /** Virtual seconds from the kills until every service is healthy again. */
  healedAfter: number;
  incident: IncidentView;
  apiStates: Array<{ to: string; at: number; id: string }>;
  dbReadyAt: number;
}

/** db (startupSeconds 15) and then api lose every instance; run until healthy again. */
async function dbTierDown(policy: 'planner' | 'backoff', during?: (k: TestKernel, t0: number) => Promise<void>): Promise<Outcome> {
  const k = await startWorld({ config: { health: { policy }, cluster: { workloads: { db: { startupSeconds: 15 } } } } });
  await seconds(k, 3);
  const t0 = k.clock.now();
  await kill(k, await liveIds(k, 'db'));
  await during?.(k, t0);
  await kill(k, await liveIds(k, 'api'));
  const healedAfter = await until(k, allHealthy(k), 120);
  const [incident, ...others] = await incidents(k);
  assert.is(others.length, 0, `one incident, not ${others.length + 1}: ${JSON.stringify(others.map((i) => i.services))}`);
  const changes = k.eventsOf('cluster.instanceChanged').filter((e) => e.at >= t0);
  const apiStates = changes.filter((e) => e.data.service === 'api').map((e) => ({ to: e.data.to, at: e.at, id: e.data.id }));
  const dbReadyAt = Math.min(...changes.filter((e) => e.data.service === 'db' && e.data.to === 'Ready').map((e) => e.at));
  return { k, healedAfter, incident: incident!, apiStates, dbReadyAt };
}

cascade('one db instance down: db, api and gateway degraded (critical chain), cache untouched, checkout still served; healthy again once it is back', async () => {
  const k = await startWorld();
  try {
    await seconds(k, 3);
    assert.equal(await statuses(k), { api: 'healthy', cache: 'healthy', db: 'healthy', gateway: 'healthy' });
    await kill(k, ['db-1']);
    await seconds(k, 1);
    assert.equal(await statuses(k), { api: 'degraded', cache: 'healthy', db: 'degraded', gateway: 'degraded' });
    const api = (await get(k, '/__admin/health/services/api')).body;
    assert.ok(api.reasons.includes('critical dependency db is degraded'), JSON.stringify(api.reasons));
    assert.equal(api.dependencies, [
      { service: 'db', critical: true, status: 'degraded' },
      { service: 'cache', critical: false, status: 'healthy' },
    ]);
    assert.ok((await get(k, '/__admin/health/services/db')).body.reasons.includes('1/2 instances Ready'));
    // the other db instance still serves every request
    for (let i = 0; i < 4; i++) assert.is((await get(k, '/gateway/checkout')).status, 200);

    await until(k, allHealthy(k), 30);
    const [incident] = await incidents(k);
    assert.is(incident!.status, 'resolved');
    assert.ok(incident!.services.includes('db') && incident!.services.includes('gateway'), JSON.stringify(incident!.services));
    assert.not.ok(incident!.services.includes('cache'));
    assert.is((await get(k, '/__admin/cluster/instances/db-1')).body.restarts, 1);
  } finally {
    await k.stop();
  }
});

cascade('db tier down under the planner: api errors, gateway fails, api waits for db and is re-admitted after it; one incident with its timeline and TTR', async () => {
  let parked: Array<{ id: string; state: string; reason?: string }> = [];
  let early: { orders: { status: number; body: any }; checkout: { status: number; body: any }; statuses: Record<string, string>; apiReasons: string[] } | undefined;
  const { k, incident, apiStates, dbReadyAt, healedAfter } = await dbTierDown('planner', async (k) => {
    const orders = await get(k, '/api/orders');
    const checkout = await get(k, '/gateway/checkout');
    await seconds(k, 1);
    early = { orders, checkout, statuses: await statuses(k), apiReasons: (await get(k, '/__admin/health/services/api')).body.reasons };
  });
  try {
    // db down → api errors → gateway fails, over real HTTP
    assert.is(early!.orders.status, 502);
    assert.is(early!.orders.body.failed.service, 'db');
    assert.is(early!.orders.body.failed.code, 'US_MESH_NO_READY_INSTANCE');
    assert.is(early!.checkout.status, 502);
    assert.is(early!.checkout.body.failed.service, 'api');
    assert.equal(early!.statuses, { api: 'unhealthy', cache: 'healthy', db: 'unhealthy', gateway: 'unhealthy' });
    assert.ok(early!.apiReasons.includes('critical dependency db is unhealthy'), JSON.stringify(early!.apiReasons));

    // dependency order: no api instance crash-looped, none was Ready before db was
    assert.not.ok(apiStates.some((s) => s.to === 'CrashLoopBackOff'), JSON.stringify(apiStates));
    const apiReady = apiStates.filter((s) => s.to === 'Ready');
    assert.is(new Set(apiReady.map((s) => s.id)).size, 3);
    for (const s of apiReady) assert.ok(s.at >= dbReadyAt, `${s.id} Ready at ${s.at}, before db at ${dbReadyAt}`);
    parked = (await instances(k, 'workload=api')).map((i) => ({ id: i.id, state: i.state, reason: i.reason }));
    assert.ok(parked.every((i) => i.state === 'Ready'), JSON.stringify(parked));

    // healed: real requests pass again
    assert.is((await get(k, '/gateway/checkout')).status, 200);
    assert.ok(healedAfter < 30, `healed after ${healedAfter} s`);

    // the incident: db, api and gateway (not the optional cache), detected → actions → recovered
    assert.is(incident.kind, 'instancesDown');
    assert.is(incident.status, 'resolved');
    assert.equal([...incident.services].sort(), ['api', 'db', 'gateway']);
    assert.is(incident.ttrMs, incident.resolvedAt! - incident.openedAt);
    const { timeline } = incident;
    assert.is(timeline[0]!.kind, 'detected');
    assert.is(timeline.at(-1)!.kind, 'recovered');
    assert.is(timeline.at(-1)!.at, incident.resolvedAt);
    for (let i = 1; i < timeline.length; i++) assert.ok(timeline[i]!.at >= timeline[i - 1]!.at, 'timeline in time order');
    for (const id of ['api-1', 'api-2', 'api-3']) {
      const hold = timeline.find((e) => e.action === 'hold' && e.target === id);
      assert.ok(hold, `${id} held: ${JSON.stringify(timeline)}`);
      assert.match(hold!.message, 'waits for db');
      const restart = timeline.find((e) => e.action === 'restart' && e.target === id && e.at >= dbReadyAt);
      assert.ok(restart, `${id} restarted once db was Ready`);
      assert.match(restart!.message, 'db Ready again');
    }
    assert.equal((await get(k, `/__admin/health/incidents/${incident.id}`)).body, incident);

    // events, logs and metrics tell the same story
    assert.is(k.eventsOf('health.incidentOpened').length, 1);
    assert.equal(k.eventsOf('health.incidentResolved').map((e) => e.data.ttrMs), [incident.ttrMs]);
    const logs = (await get(k, '/__admin/logs?service=api&level=error&q=Failed')).body;
    assert.ok(logs.items.some((r: { event?: string; instance?: string }) => r.event === 'cluster.instanceChanged' && r.instance === 'api-1'), JSON.stringify(logs.items.slice(0, 3)));
    const metrics = (await get(k, '/metrics')).text;
    assert.is(sample(metrics, 'understudy_health_incidents_opened_total'), 1);
    assert.is(sample(metrics, 'understudy_health_incidents_resolved_total'), 1);
    assert.is(sample(metrics, 'understudy_health_incidents_open'), 0);
    assert.is(sample(metrics, 'understudy_health_recovery_time_seconds_count'), 1);
    assert.is(sample(metrics, 'understudy_health_recovery_time_seconds_sum'), incident.ttrMs! / 1000);
    assert.is(sample(metrics, 'understudy_cluster_instances', { service: 'api', state: 'Ready' }), 3);
    assert.is(sample(metrics, 'understudy_health_service_status', { service: 'gateway' }), 0);
  } finally {
    await k.stop();
  }
});

cascade('the same failure under the backoff policy: api crash-loops (10 s, then 20 s) and recovers clearly later than with the planner', async () => {
  const planner = await dbTierDown('planner');
  await planner.k.stop();
  const backoff = await dbTierDown('backoff');
  try {
    const { k, incident, apiStates, dbReadyAt } = backoff;
    assert.is((await get(k, '/__admin/health/policy')).body.policy, 'backoff');
    assert.ok(apiStates.some((s) => s.to === 'CrashLoopBackOff'), JSON.stringify(apiStates));
    // api started while db was still starting, exited, and backed off
    const messages = incident.timeline.filter((e) => e.target === 'api-1' && e.action === 'restart').map((e) => e.message);
    assert.ok(messages.some((m) => m.includes('restarts in 10 s (CrashLoopBackOff)')), JSON.stringify(messages));
    assert.ok(messages.some((m) => m.includes('restarts in 20 s (CrashLoopBackOff)')), JSON.stringify(messages));
    assert.not.ok(incident.timeline.some((e) => e.action === 'hold'), 'backoff holds nothing');
    const exitedAtStart = incident.timeline.filter((e) => e.kind === 'detected' && e.target === 'api-1' && e.message.includes('critical dependency db has no Ready instance'));
    assert.ok(exitedAtStart.length >= 2, JSON.stringify(exitedAtStart));
    // api's instances sat in backoff after db was Ready
    const firstApiReady = Math.min(...apiStates.filter((s) => s.to === 'Ready').map((s) => s.at));
    assert.ok(firstApiReady - dbReadyAt >= 10_000, `api Ready ${firstApiReady - dbReadyAt} ms after db`);
    const restarts = (await instances(k, 'workload=api')).map((i) => i.restarts);
    assert.ok(restarts.every((r) => r >= 3), JSON.stringify(restarts));

    assert.ok(incident.ttrMs! > planner.incident.ttrMs!, `backoff TTR ${incident.ttrMs} ms vs planner ${planner.incident.ttrMs} ms`);
    assert.ok(incident.ttrMs! >= planner.incident.ttrMs! + 10_000, `backoff TTR ${incident.ttrMs} ms vs planner ${planner.incident.ttrMs} ms`);
    assert.ok(backoff.healedAfter > planner.healedAfter);
  } finally {
    await backoff.k.stop();
  }
});

cascade('once db is Ready again, checkout passes within a second: the breakers the planner forced open do not keep traffic away from it', async () => {
  const k = await startWorld({ config: { cluster: { workloads: { db: { startupSeconds: 15 } } } } });
  try {
    await seconds(k, 3);
    await kill(k, await liveIds(k, 'db'));
    await until(k, async () => (await instances(k, 'workload=db')).some((i) => i.state === 'Ready'), 30);
    assert.ok(k.eventsOf('breaker.forcedOpen').length > 0, 'the planner forced breakers open while db was down');
    await seconds(k, 1);
    const checkout = await get(k, '/gateway/checkout');
    assert.is(checkout.status, 200, `db Ready 1 s ago, checkout answered ${checkout.status} ${checkout.text.slice(0, 200)}`);
  } finally {
    await k.stop();
  }
});

cascade('reproducible from the seed: the same failure twice gives the same incident, entry by entry, and the same instance history', async () => {
  const runs: Array<{ incident: IncidentView; apiStates: Outcome['apiStates'] }> = [];
  for (let i = 0; i < 2; i++) {
    const { k, incident, apiStates } = await dbTierDown('planner');
    await k.stop();
    runs.push({ incident, apiStates });
  }
  assert.equal(runs[1]!.incident, runs[0]!.incident);
  assert.equal(runs[1]!.apiStates, runs[0]!.apiStates);
});

cascade.run();
