// The recovery planner on the real cluster and mesh: a dependent waits for its dependency
// instead of crash-looping (compared with plain Kubernetes backoff), admission in dependency
// order, node failure and replacement, incidents with their timelines and TTR.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { admin, call, clusterAdmin, seconds, start, svc, until } from './helpers.js';

const WORLD = { gateway: svc(['api']), api: svc(['db']), db: svc() };
const WORKLOADS = {
  gateway: { replicas: 1, startupSeconds: 2 },
  api: { replicas: 2, startupSeconds: 2 },
  db: { replicas: 1, startupSeconds: 20 },
};

const allHealthy = (k: TestKernel) => k.resolve('health').services().every((s) => s.status === 'healthy');

/** Kill the database and one of its dependents at once; how long until everything is healthy, and how many restarts. */
async function outage(policy: 'planner' | 'backoff') {
  const k = await start(WORLD, { workloads: WORKLOADS }, { policy });
  const cluster = k.resolve('cluster');
  await seconds(k, 2);
  const t0 = k.clock.now();
  cluster.kill('db-1', 'outage');
  cluster.kill('api-1', 'outage');
  const took = await until(k, () => allHealthy(k) && cluster.instance('api-1').state === 'Ready', 600);
  return { k, took, restarts: cluster.instance('api-1').restarts, t0 };
}

const planner = suite('health: recovery planner on the cluster');

planner('a dependent waits for its dependency to be Ready and restarts at once; backoff crash-loops it', async () => {
  const p = await outage('planner');
  const b = await outage('backoff');
  try {
    // planner: api-1 parked until db is Ready (20 s), restarted then, up 2 s later
    assert.is(p.restarts, 1);
    const parked = p.k.eventsOf('health.action').find((e) => e.data.action === 'hold' && e.data.target === 'api-1');
    assert.ok(parked, 'api-1 was held');
    assert.match(parked!.data.message, /waits for db before it restarts/);
    // backoff: restarts at once, exits (db not Ready), 10 s, exits, 20 s … (3 restarts before db is up)
    assert.ok(b.restarts >= 3, `backoff restarted ${b.restarts} times`);
    assert.ok(p.took < b.took, `planner ${p.took} s < backoff ${b.took} s`);
    const crashes = b.k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'api-1' && e.data.to === 'CrashLoopBackOff');
    assert.ok(crashes.length >= 2);
    assert.is(p.k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'api-1' && e.data.to === 'CrashLoopBackOff').length, 0);
  } finally {
    await p.k.stop();
    await b.k.stop();
  }
});

planner('a new instance is held Pending through admit until its critical dependency has a Ready instance', async () => {
  const k = await start(WORLD, { workloads: WORKLOADS });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    const killedAt = k.clock.now();
    cluster.kill('db-1', 'outage');
    await seconds(k, 1);
    const res = await clusterAdmin(k, '/workloads/api', { method: 'PUT', json: { replicas: 3 } });
    assert.is(res.status, 200);
    await seconds(k, 2);
    const api3 = cluster.instance('api-3');
    assert.is(api3.state, 'Pending');
    assert.is(api3.reason, 'waiting for db to be Ready');
    await until(k, () => cluster.readyInstances('db').length > 0, 60);
    await until(k, () => cluster.instance('api-3').state === 'Ready', 10);
    const actions = k.eventsOf('health.action').filter((e) => e.data.target === 'api-3').map((e) => e.data.action);
    assert.equal(actions, ['hold', 'admit']);
    // the dependency order is visible in the instance events: db Ready before api-3 starts
    const order = k.eventsOf('cluster.instanceChanged').filter((e) => e.at > killedAt && (e.data.id === 'db-1' && e.data.to === 'Ready') || (e.data.id === 'api-3' && e.data.to === 'Starting'));
    assert.equal(order.map((e) => e.data.id), ['db-1', 'api-3']);
  } finally {
    await k.stop();
  }
});

planner('a failed node: its instances are replaced on other nodes, one incident with detected, actions and recovered, and its TTR', async () => {
  const nodes = [1, 2, 3].map((i) => ({ name: `n${i}`, zone: `z${i}`, cpu: 8000, memory: 16384 }));
  const k = await start(WORLD, { nodes, workloads: { ...WORKLOADS, db: { replicas: 1, startupSeconds: 3 } } });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    const node = cluster.instance('db-1').node!;
    const lost = cluster.instances({ node }).map((i) => i.id);
    cluster.failNode(node, 'test');
    await until(k, () => k.eventsOf('health.incidentResolved').length > 0, 120);
    assert.ok(allHealthy(k));
    await seconds(k, 1);
    const running = cluster.instances().filter((i) => i.state !== 'Terminated');
    for (const id of lost) assert.not.ok(running.some((i) => i.id === id), `${id} is gone`);
    const replacements = running.filter((i) => i.service === 'db');
    assert.is(replacements.length, 1);
    assert.is.not(replacements[0]!.node, node);
    const list = (await admin(k, '/incidents?status=resolved')).body.incidents;
    assert.is(list.length, 1);
    const inc = (await admin(k, `/incidents/${list[0].id}`)).body;
    assert.is(inc.kind, 'nodeFailed');
    assert.ok(inc.services.includes('db'));
    const kinds = inc.timeline.map((e: any) => e.kind);
    assert.is(kinds[0], 'detected');
    assert.is(kinds.at(-1), 'recovered');
    assert.ok(inc.timeline.some((e: any) => e.kind === 'action' && e.action === 'reschedule'));
    assert.is(inc.ttrMs, inc.resolvedAt - inc.openedAt);
    assert.ok(inc.ttrMs >= 3000, `ttr ${inc.ttrMs}`);
    assert.equal(k.resolve('health').counters().recoveryTimesMs, [inc.ttrMs]);
    const opened = k.eventsOf('health.incidentOpened');
    const resolved = k.eventsOf('health.incidentResolved');
    assert.equal([opened.length, resolved.length], [1, 1]);
    assert.is(resolved[0]!.data.ttrMs, inc.ttrMs);
  } finally {
    await k.stop();
  }
});

planner('the replacement of an evicted instance is not a first rollout: the service is degraded until it is Ready; a scale-up is not', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 2, startupSeconds: 5 } } });
  const cluster = k.resolve('cluster');
  const health = k.resolve('health');
  try {
    await seconds(k, 6);
    assert.is(health.service('web').status, 'healthy');
    cluster.evict('web-1', 'test');
    await seconds(k, 1);
    const replacement = cluster.instances({ service: 'web' }).find((i) => i.state === 'Starting')!;
    assert.ok(replacement && replacement.restarts === 0 && replacement.lastTermination === undefined, 'a new instance');
    assert.is(health.service('web').status, 'degraded');
    assert.ok(health.service('web').reasons.includes('1/2 instances Ready'));
    await until(k, () => cluster.instance(replacement.id).state === 'Ready', 10);
    await seconds(k, 1);
    assert.is(health.service('web').status, 'healthy');
    const [inc] = health.incidents();
    assert.is(inc!.status, 'resolved');
    assert.ok(inc!.resolvedAt! >= cluster.instance(replacement.id).readyAt!);
    // growing from 2 to 3: the new instance is starting for the first time, nothing is missing
    cluster.scale('web', 3);
    await seconds(k, 1);
    assert.is(health.service('web').status, 'healthy');
    assert.is(health.incidents().length, 1);
  } finally {
    await k.stop();
  }
});

planner('switching the policy at run time: backoff restarts what the planner parked; the switch is validated', async () => {
  const k = await start(WORLD, { workloads: WORKLOADS });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    cluster.kill('db-1', 'outage');
    cluster.kill('api-1', 'outage');
    await seconds(k, 1);
    assert.is(cluster.instance('api-1').state, 'Failed');
    let res = await admin(k, '/policy');
    assert.equal([res.body.policy, res.body.parked], ['planner', 1]);
    res = await admin(k, '/policy', { method: 'PUT', json: { policy: 'fast' } });
    assert.is(res.status, 400);
    assert.is(res.body.code, 'US_HEALTH_INVALID_POLICY');
    assert.match(res.body.message, /policy/);
    res = await admin(k, '/policy', { method: 'PUT', json: { policy: 'backoff' } });
    assert.is(res.status, 200);
    assert.is(res.body.policy, 'backoff');
    assert.equal(res.body.actions.map((a: any) => [a.action, a.target]), [['restart', 'api-1']]);
    assert.is(cluster.instance('api-1').state, 'Starting');
    assert.is((await admin(k, '/policy')).body.policy, 'backoff');
    assert.is(k.resolve('health').policy, 'backoff');
    // now a dependent exit crash-loops, as Kubernetes does
    await seconds(k, 15);
    assert.ok(k.eventsOf('cluster.instanceChanged').some((e) => e.data.id === 'api-1' && e.data.to === 'CrashLoopBackOff'));
  } finally {
    await k.stop();
  }
});

planner.run();
