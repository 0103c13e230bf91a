// The lifecycle end to end: startup time, readiness gates, kill → restart, a crashing
// version, a missing critical dependency at start, the instanceExited and admit hooks,
// and mesh sending real requests only to Ready instances (503 from mesh when none).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import type { Cluster, RestartDecision } from '../src/index.js';
import { admin, call, post, seconds, start, svc, type Json } from './helpers.js';

const it = suite('cluster: instances');

const states = async (k: TestKernel, workload: string) =>
  ((await admin(k, `/instances?workload=${workload}`)).body.instances as Json[]).map((i) => `${i.id}:${i.state}`);

it('starts instances through Starting for startupSeconds, then Ready; only Ready ones take traffic', async () => {
  const k = await start({ web: svc() }, { warmStart: false, workloads: { web: { replicas: 2, startupSeconds: 3 } } });
  try {
    assert.equal(await states(k, 'web'), ['web-1:Starting', 'web-2:Starting']);
    const none = await call(k, '/web/');
    assert.is(none.status, 503);
    assert.is(none.body.code, 'US_MESH_NO_READY_INSTANCE');
    await seconds(k, 2);
    assert.equal(await states(k, 'web'), ['web-1:Starting', 'web-2:Starting']);
    await seconds(k, 1);
    assert.equal(await states(k, 'web'), ['web-1:Ready', 'web-2:Ready']);
    const served = new Set<string>();
    for (let i = 0; i < 4; i++) served.add((await call(k, '/web/')).text);
    assert.equal([...served].sort(), ['web-1', 'web-2']);
    const changes = k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'web-1').map((e) => `${e.data.from}>${e.data.to}`);
    assert.equal(changes, ['Pending>Starting', 'Starting>Ready']);
  } finally {
    await k.stop();
  }
});

it('an action needs no body (curl -X POST), takes an optional reason, and refuses any other body with a 400', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 1, startupSeconds: 2 } } });
  try {
    const bare = await fetch(`${k.baseUrl}/__admin/cluster/instances/web-1/kill`, { method: 'POST' });
    assert.is(bare.status, 200);
    assert.is((await bare.json()).restarts, 1);
    const noBodyNode = await fetch(`${k.baseUrl}/__admin/cluster/nodes/${(await admin(k, '/nodes')).body.nodes[0].name}/cordon`, { method: 'POST' });
    assert.is(noBodyNode.status, 200);
    const reasoned = await post(k, '/instances/web-1/kill', { reason: 'chaos drill' });
    assert.is(reasoned.status, 200);
    for (const body of [{ why: 'x' }, { reason: 3 }, [1]]) {
      const refused = await post(k, '/instances/web-1/kill', body);
      assert.is(refused.status, 400, JSON.stringify(body));
      assert.is(refused.body.code, 'US_CLUSTER_INVALID_VALUE');
    }
  } finally {
    await k.stop();
  }
});

it('restarts a killed instance at once (no tap): Failed, then Starting again, restarts counted', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 1, startupSeconds: 2 } } });
  try {
    const killed = (await post(k, '/instances/web-1/kill')).body;
    assert.is(killed.state, 'Starting');
    assert.is(killed.restarts, 1);
    assert.equal(killed.lastTermination, { reason: 'Killed', at: killed.lastTermination.at, exitCode: 137 });
    const seen = k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'web-1').map((e) => e.data.to);
    assert.equal(seen.slice(-2), ['Failed', 'Starting']);
    assert.is((await call(k, '/web/')).status, 503);
    await seconds(k, 2);
    assert.is((await call(k, '/web/')).text, 'web-1');
    // evicting replaces it with a new instance
    const evicted = (await post(k, '/instances/web-1/evict')).body;
    assert.is(evicted.state, 'Terminated');
    assert.equal(await states(k, 'web'), ['web-2:Starting', 'web-1:Terminated']);
    // acting on a terminated one is a 409, on an unknown one a 404
    assert.is((await post(k, '/instances/web-1/kill')).status, 409);
    const unknown = await post(k, '/instances/nope-1/kill');
    assert.is(unknown.status, 404);
    assert.is(unknown.body.code, 'US_CLUSTER_INSTANCE_NOT_FOUND');
  } finally {
    await k.stop();
  }
});

it('lets the instanceExited tap decide (backoff, stay) and the admit tap hold Pending instances', async () => {
  const decisions: RestartDecision[] = [];
  let hold: string | undefined = 'waiting for the test';
  const policy = definePlugin({
    name: 'policy',
    dependencies: ['cluster'],
    register(ctx) {
      ctx.pluginHooks('cluster').instanceExited.tap('policy', () => decisions.shift());
      ctx.pluginHooks('cluster').admit.tap('policy', (inst) => (inst.workload === 'held' ? hold : undefined));
    },
  });
  const k = await start({ web: svc(), held: svc() }, { workloads: { web: { replicas: 1, startupSeconds: 0 }, held: { replicas: 1, startupSeconds: 0 } } }, { extra: [policy] });
  try {
    decisions.push({ action: 'restart', delayMs: 10_000, state: 'CrashLoopBackOff', reason: 'back-off 10s' });
    const backoff = (await post(k, '/instances/web-1/kill')).body;
    assert.is(backoff.state, 'CrashLoopBackOff');
    assert.is(backoff.reason, 'back-off 10s');
    await seconds(k, 9);
    assert.is((await admin(k, '/instances/web-1')).body.state, 'CrashLoopBackOff');
    await seconds(k, 1);
    assert.is((await admin(k, '/instances/web-1')).body.state, 'Ready');
    decisions.push({ action: 'stay', reason: 'given up' });
    const stayed = (await post(k, '/instances/web-1/kill')).body;
    assert.is(stayed.state, 'Failed');
    assert.is(stayed.reason, 'given up');
    await seconds(k, 3);
    assert.is((await admin(k, '/instances/web-1')).body.state, 'Failed');

    const held = (await admin(k, '/instances/held-1')).body;
    assert.is(held.state, 'Pending');
    assert.is(held.reason, 'waiting for the test');
    assert.ok(held.node, 'scheduled, then held');
    hold = undefined;
    await seconds(k, 1);
    assert.is((await admin(k, '/instances/held-1')).body.state, 'Ready');
  } finally {
    await k.stop();
  }
});

it('a crashing version never gets Ready; a version needing a missing dependency exits at start', async () => {
  const k = await start(
    { front: svc({ calls: [{ service: 'db', endpoint: 'go' }] }), db: svc() },
    { warmStart: false, workloads: { front: { replicas: 1, startupSeconds: 1 }, db: { replicas: 1, startupSeconds: 5, versions: { '1.0.0': { crashOnStart: true } } } } },
  );
  try {
    await seconds(k, 1);
    const front = (await admin(k, '/instances/front-1')).body;
    // restarted at once (no tap), still nothing from db: it keeps exiting
    assert.is(front.state, 'Starting');
    assert.ok(front.restarts >= 1);
    assert.is(front.lastTermination.reason, 'Error');
    const exits = k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'front-1' && e.data.to === 'Failed');
    assert.match(exits[0]!.data.reason!, 'critical dependency db has no Ready instance');
    await seconds(k, 5);
    const db = (await admin(k, '/instances/db-1')).body;
    assert.ok(db.restarts >= 1);
    assert.is(db.lastTermination.reason, 'Error');
    const crash = k.eventsOf('cluster.instanceChanged').find((e) => e.data.id === 'db-1' && e.data.to === 'Failed');
    assert.match(crash!.data.reason!, 'crashed on start');
  } finally {
    await k.stop();
  }
});

it('livenessDependencyDown names the critical dependency with no Ready instance, for a version whose liveness checks its dependencies only', async () => {
  const k = await start(
    { front: svc({ calls: [{ service: 'db', endpoint: 'go' }] }), plain: svc({ calls: [{ service: 'db', endpoint: 'go' }] }), db: svc() },
    {
      workloads: {
        front: { replicas: 1, startupSeconds: 1, behaviour: { livenessChecksDependencies: true } },
        plain: { replicas: 1, startupSeconds: 1 },
        db: { replicas: 1, startupSeconds: 5 },
      },
    },
  );
  try {
    const c = k.resolve('cluster') as Cluster;
    assert.equal(c.workload('front').spec.behaviour, { livenessChecksDependencies: true });
    assert.is(c.livenessDependencyDown('front-1'), undefined);
    c.kill('db-1', 'outage');
    assert.is(c.livenessDependencyDown('front-1'), 'db');
    assert.is(c.livenessDependencyDown('plain-1'), undefined, 'its liveness does not look at db');
    assert.is(c.livenessDependencyDown('db-1'), undefined, 'not running');
    assert.is(c.livenessDependencyDown('ghost-1'), undefined);
    await seconds(k, 6);
    assert.is(c.instance('db-1').state, 'Ready');
    assert.is(c.livenessDependencyDown('front-1'), undefined);
  } finally {
    await k.stop();
  }
});

it('keeps Starting until every readiness gate is true, and NotReady when one turns false', async () => {
  const gate = definePlugin({
    name: 'gate',
    dependencies: ['cluster'],
    register(ctx) {
      ctx.resolve('cluster').addReadinessGate('probes');
    },
  });
  const k = await start({ web: svc() }, { warmStart: false, workloads: { web: { replicas: 1, startupSeconds: 0 } } }, { extra: [gate] });
  try {
    const c = k.resolve('cluster') as Cluster;
    const first = c.instance('web-1');
    assert.is(first.state, 'Starting');
    assert.is(first.reason, 'waiting for readiness gate probes');
    assert.equal(first.gates, { probes: false });
    c.setGate('web-1', 'probes', true);
    assert.is(c.instance('web-1').state, 'Ready');
    c.setGate('web-1', 'probes', false, 'readiness probe failed');
    const out = c.instance('web-1');
    assert.is(out.state, 'NotReady');
    assert.is(out.reason, 'readiness probe failed');
    assert.is((await call(k, '/web/')).body.code, 'US_MESH_NO_READY_INSTANCE');
    c.setGate('web-1', 'probes', true);
    assert.is((await call(k, '/web/')).text, 'web-1');
  } finally {
    await k.stop();
  }
});

it.run();
