// A deep liveness check (the cluster's `livenessChecksDependencies`): the httpGet liveness
// probe of api fails while db has no Ready instance. The kubelet (policy backoff) kills api
// for it and api crash-loops at start; the recovery planner knows db is down and lets api
// run until db is back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { admin, seconds, start, svc, until } from './helpers.js';

const it = suite('health: deep liveness checks');

const LIVENESS = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 2 };

async function world(policy: 'planner' | 'backoff', behaviour: Record<string, unknown> = { livenessChecksDependencies: true }, liveness: Record<string, unknown> = LIVENESS): Promise<TestKernel> {
  return start(
    { api: svc(['db']), db: svc() },
    { workloads: { api: { replicas: 2, startupSeconds: 1, behaviour, probes: { liveness } }, db: { replicas: 1, startupSeconds: 10 } } },
    { policy },
  );
}

const dbReady = (k: TestKernel) => () => k.resolve('cluster').instance('db-1').state === 'Ready';

it('planner: api\'s liveness fails while db is down, api is not killed (one hold each) and passes again once db is Ready', async () => {
  const k = await world('planner');
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    cluster.kill('db-1', 'outage');
    await seconds(k, 4);
    const probe = (await admin(k, '/probes?instance=api-1')).body.probes.find((p: { probe: string }) => p.probe === 'liveness');
    assert.is(probe.ok, false);
    assert.is(probe.message, 'HTTP probe failed with statuscode: 503 (critical dependency db has no Ready instance)');
    assert.equal(['api-1', 'api-2'].map((id) => [cluster.instance(id).state, cluster.instance(id).restarts]), [['Ready', 0], ['Ready', 0]]);
    const holds = k.eventsOf('health.action').filter((e) => e.data.action === 'hold');
    assert.equal(holds.map((e) => e.data.target).sort(), ['api-1', 'api-2']);
    assert.match(holds[0]!.data.message, /not killed: liveness probe failed 2 times: .*critical dependency db has no Ready instance\); it waits for db/);
    assert.is(k.eventsOf('health.action').filter((e) => e.data.action === 'kill').length, 0);
    await until(k, dbReady(k), 30);
    await seconds(k, 2);
    const back = k.eventsOf('health.probeChanged').filter((e) => e.data.instance === 'api-1' && e.data.probe === 'liveness').map((e) => e.data.ok);
    assert.equal(back, [false, true]);
    assert.is(cluster.instance('api-1').restarts, 0);
  } finally {
    await k.stop();
  }
});

it('backoff: the kubelet kills api for its failing liveness, and api crash-loops at start while db is down', async () => {
  const k = await world('backoff');
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 2);
    cluster.kill('db-1', 'outage');
    await until(k, dbReady(k), 30);
    const kills = k.eventsOf('health.action').filter((e) => e.data.action === 'kill' && e.data.target === 'api-1');
    assert.ok(kills.length >= 1);
    assert.match(kills[0]!.data.message, 'critical dependency db has no Ready instance');
    assert.ok(cluster.instance('api-1').restarts >= 1);
    assert.ok(k.eventsOf('cluster.instanceChanged').some((e) => e.data.id === 'api-1' && e.data.to === 'CrashLoopBackOff'));
    assert.is(k.eventsOf('health.action').filter((e) => e.data.action === 'hold').length, 0);
  } finally {
    await k.stop();
  }
});

it('without the flag, or with a tcpSocket liveness probe, db being down does not fail api\'s liveness', async () => {
  for (const k of [await world('backoff', {}), await world('backoff', { livenessChecksDependencies: true }, { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 2 })]) {
    const cluster = k.resolve('cluster');
    try {
      await seconds(k, 2);
      cluster.kill('db-1', 'outage');
      await seconds(k, 5);
      assert.is(cluster.instance('api-1').restarts, 0);
      assert.ok(k.resolve('health').probes('api-1').every((p) => p.ok || p.probe !== 'liveness'));
    } finally {
      await k.stop();
    }
  }
});

it.run();
