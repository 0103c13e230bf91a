// Degraded operation detected from metrics (the cluster's ticks under real traffic
// patterns), and the planner's remediation: shedding, replica requests, breakers forced
// open into an unhealthy dependency and closed on recovery.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, call, seconds, start, svc, until } from './helpers.js';

const degraded = suite('health: degraded by SLO');

// api: 2 replicas × (2 servers / 10 ms) = 400 req/s at utilisation 1; a 6× step of 100 req/s overloads it
const OVERLOAD = {
  services: { api: svc() },
  // (no memory per request in flight: at 10 s of queueing it would be OOMKilled — a test of its own elsewhere)
  cluster: { workloads: { api: { replicas: 2, capacity: { concurrency: 2, serviceTimeMs: 10 }, memory: { baseMiB: 64, perInflightMiB: 0 } } } },
  traffic: { sample: { perSecond: 0 }, patterns: { load: { service: 'api', shape: { kind: 'step', rps: 100, factor: 6, atSeconds: 5, durationSeconds: 20 } } } },
};

degraded('an overload breaches the SLO for `ticks` ticks: degraded, an incident, shedding and a replica request; healthy again when it ends', async () => {
  const k = await start(OVERLOAD.services, OVERLOAD.cluster, {}, { traffic: OVERLOAD.traffic });
  const t0 = k.clock.now();
  try {
    await seconds(k, 5);
    assert.is(k.resolve('health').service('api').status, 'healthy');
    // 600 req/s from 5 s: three ticks over the SLO (5, 6, 7 s) → degraded at 7 s
    await seconds(k, 2);
    const changed = k.eventsOf('health.statusChanged').find((e) => e.data.service === 'api' && e.data.to === 'degraded')!;
    assert.is((changed.at - t0) / 1000, 7);
    assert.equal(changed.data.reasons, ['error rate 33.3% > SLO 1%', 'p99 10046 ms > SLO 500 ms']);
    const api = (await admin(k, '/services/api')).body;
    assert.is(api.status, 'degraded');
    const [inc] = (await admin(k, '/incidents?status=open&service=api')).body.incidents;
    assert.is(inc.kind, 'degraded');
    // remediation: shed the excess over 95% utilisation (600 → 380 admitted), ask for replicas (600 / 160 → 4)
    const actions = k.eventsOf('health.action').map((e) => e.data);
    const shed = actions.find((a) => a.action === 'shed')!;
    assert.match(shed.message, /shed 37% of api's demand/);
    const replicas = actions.find((a) => a.action === 'requestReplicas')!;
    assert.match(replicas.message, /api needs 4 replicas for 600\.0 req\/s \(has 2\)/);
    // the event carries the total wanted, for autoscaling to answer
    assert.equal([replicas.target, replicas.replicas], ['api', 4]);
    assert.ok(actions.filter((a) => a.action !== 'requestReplicas').every((a) => a.replicas === undefined));
    assert.is(replicas.incidentId, inc.id);
    // what is left is served without queueing: p99 back under its objective, the shed share counts as errors
    await seconds(k, 1);
    const tick = k.resolve('cluster').lastTick()!.services.get('api')!;
    assert.equal([tick.demand, Math.round(tick.admitted)], [600, 378]);
    assert.ok(tick.p99Ms < 500, `p99 ${tick.p99Ms}`);
    assert.is(k.resolve('health').service('api').status, 'degraded');
    // the step ends at 25 s: shedding stops, the SLO holds for recoverTicks ticks → healthy, resolved
    await until(k, () => k.eventsOf('health.incidentResolved').length > 0, 60);
    assert.is(k.resolve('health').service('api').status, 'healthy');
    const done = (await admin(k, `/incidents/${inc.id}`)).body;
    assert.is(done.status, 'resolved');
    const kinds = done.timeline.map((e: any) => e.action ?? e.kind);
    assert.equal(kinds[0], 'detected');
    assert.ok(kinds.includes('shed') && kinds.includes('requestReplicas'));
    assert.ok(done.timeline.some((e: any) => e.action === 'shed' && /stop shedding/.test(e.message)));
    assert.is(kinds.at(-1), 'recovered');
    assert.ok(done.ttrMs > 15_000 && done.ttrMs < 30_000, `ttr ${done.ttrMs}`);
  } finally {
    await k.stop();
  }
});

degraded('per-service SLOs; with policy backoff nothing is shed', async () => {
  const k = await start(OVERLOAD.services, OVERLOAD.cluster, { policy: 'backoff', slo: { services: { api: { errorRate: 0.5, p99Ms: 60_000 } } } }, { traffic: OVERLOAD.traffic });
  try {
    await seconds(k, 12);
    // 33% errors at 600 req/s stay within this service's 50% objective
    const api = k.resolve('health').service('api');
    assert.is(api.status, 'healthy');
    assert.equal(api.slo, { errorRate: 0.5, p99Ms: 60_000 });
    assert.ok(api.errorRate > 0.2);
    assert.equal(k.eventsOf('health.action').filter((e) => e.data.action === 'shed'), []);
  } finally {
    await k.stop();
  }
});

const deps = suite('health: dependency-aware status and breakers');

deps('a critical dependency down makes its callers unhealthy, an optional one degraded; breakers into it are forced open, then closed', async () => {
  const services = {
    web: svc(['api', { service: 'recs', onFailure: 'fallback' }]),
    api: svc(['db']),
    db: svc(),
    recs: svc(),
  };
  const k = await start(services, { workloads: { db: { replicas: 1, startupSeconds: 5 }, recs: { replicas: 1, startupSeconds: 5 } } }, {}, { breaker: true });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    assert.is((await call(k, '/web/')).status, 200); // the first calls create the breakers
    cluster.kill('db-1', 'outage');
    cluster.kill('recs-1', 'outage');
    await seconds(k, 2);
    const health = k.resolve('health');
    const api = health.service('api');
    assert.is(api.status, 'unhealthy');
    assert.ok(api.reasons.includes('critical dependency db is unhealthy'));
    assert.equal(api.dependencies, [{ service: 'db', critical: true, status: 'unhealthy' }]);
    const web = health.service('web');
    assert.is(web.status, 'unhealthy'); // through api
    assert.ok(web.reasons.includes('optional dependency recs is unhealthy (its callers fall back)'));
    assert.equal(web.dependencies.map((d) => [d.service, d.critical]), [['api', true], ['recs', false]]);
    const breakers = k.resolve('breakers');
    const apiDb = breakers.list().find((b) => b.caller === 'api' && b.service === 'db')!;
    assert.is(apiDb.state, 'FORCED_OPEN');
    const opened = k.eventsOf('health.action').find((e) => e.data.action === 'openBreaker' && e.data.target === 'api')!;
    assert.ok(opened.data.incidentId);
    // recovery: db Ready after 5 s → the breaker is closed again
    await until(k, () => health.service('db').status === 'healthy', 30);
    await seconds(k, 1);
    assert.is(breakers.get(apiDb.key).state, 'CLOSED');
    assert.ok(k.eventsOf('health.action').some((e) => e.data.action === 'closeBreaker' && e.data.target === 'api'));
    const statuses = k.eventsOf('health.statusChanged').filter((e) => e.data.service === 'api').map((e) => e.data.to);
    assert.equal(statuses.slice(-2), ['unhealthy', 'healthy']);
  } finally {
    await k.stop();
  }
});

degraded.run();
deps.run();
