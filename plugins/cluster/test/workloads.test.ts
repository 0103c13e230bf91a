// Workloads through the admin API: PUT merges a partial spec (dryRun: diff and planned
// actions, nothing changes), an invalid spec is refused whole with every problem and its
// path, scaling deletes Pending first, then not Ready, then newest; a version change rolls
// (maxSurge 1, maxUnavailable 0); DELETE; setReplicaSets; invalid config fails startup.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertRefused, type TestKernel } from '@understudy/plugin-sdk/testing';
import type { Cluster } from '../src/index.js';
import { admin, put, seconds, start, svc, type Json } from './helpers.js';

const it = suite('cluster: workloads');

const live = async (k: TestKernel, workload: string) =>
  ((await admin(k, `/instances?workload=${workload}`)).body.instances as Json[]).filter((i) => i.state !== 'Terminated').map((i) => `${i.id}:${i.version}:${i.state}`);

it('dryRun returns the diff and the planned actions and changes nothing; the real PUT applies them', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 2, startupSeconds: 0 } } });
  try {
    const dry = await put(k, '/workloads/web?dryRun=true', { replicas: 4, resources: { requests: { cpu: 200 } } });
    assert.is(dry.status, 200);
    assert.is(dry.body.dryRun, true);
    assert.equal(dry.body.diff, [
      { path: 'replicas', from: 2, to: 4 },
      { path: 'resources.requests.cpu', from: 100, to: 200 },
    ]);
    assert.equal(dry.body.actions, ['create 2 instance(s) of web 1.0.0', 'new instances use the changed resources']);
    const unchanged = (await admin(k, '/workloads/web')).body;
    assert.is(unchanged.spec.replicas, 2);
    assert.is(unchanged.revision, 1);
    assert.is(k.eventsOf('cluster.workloadApplied').length, 0);

    const applied = await put(k, '/workloads/web', { replicas: 4, resources: { requests: { cpu: 200 } } });
    assert.is(applied.body.dryRun, false);
    const after = (await admin(k, '/workloads/web')).body;
    assert.is(after.spec.replicas, 4);
    assert.is(after.spec.resources.requests.cpu, 200);
    assert.is(after.spec.resources.requests.memory, 128, 'merged, not replaced');
    assert.is(after.revision, 2);
    assert.is(after.ready, 4);
    assert.equal(k.eventsOf('cluster.workloadApplied')[0]!.data, { workload: 'web', revision: 2, source: 'api', actions: applied.body.actions });
    // a new workload: 201, created
    const created = await put(k, '/workloads/extra?dryRun=true', { service: 'web' });
    assert.is(created.status, 400, 'one workload per service');
    assert.match(created.body.message, 'already runs as workload "web"');
  } finally {
    await k.stop();
  }
});

it('refuses an invalid spec whole, listing every problem with its path', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 2 } } });
  try {
    const bad = await put(k, '/workloads/web', {
      replicas: -1,
      version: '',
      resources: { requests: { cpu: 'lots' }, limits: { gpu: 1 } },
      restartPolicy: 'Sometimes',
      probes: { liveness: { periodSeconds: 0, successThreshold: 2 } },
      versions: { '2.0.0': { errorRate: 2 } },
      behaviour: { livenessChecksDependencies: 'yes' },
      colour: 'blue',
    });
    assertRefused(bad, 'US_CLUSTER_INVALID_WORKLOAD', [
      'colour: unknown property',
      'replicas: must be >= 0',
      'version: must be a non-empty string',
      'resources.requests.cpu: must be a number',
      'resources.limits.gpu: unknown property',
      'restartPolicy: must be one of',
      'probes.liveness.periodSeconds: must be >= 1',
      'probes.liveness.successThreshold: must be 1 for a liveness probe',
      'versions.2.0.0.errorRate: must be <= 1',
      'behaviour.livenessChecksDependencies: must be a boolean',
    ]);
    const limits = await put(k, '/workloads/web', { resources: { limits: { memory: 10 } } });
    assert.match(limits.body.message, 'resources.limits.memory: must be >= resources.requests.memory (128)');
    const noService = await put(k, '/workloads/ghost', {});
    assert.match(noService.body.message, 'service: no mesh service "ghost"');
    assert.is((await put(k, '/workloads/web', [1, 2])).body.code, 'US_CLUSTER_INVALID_WORKLOAD');
    const still = (await admin(k, '/workloads/web')).body;
    assert.is(still.spec.replicas, 2);
    assert.is(still.revision, 1);
    const missing = await admin(k, '/workloads/wbe');
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_CLUSTER_WORKLOAD_NOT_FOUND');
    assert.match(missing.body.message, 'Did you mean "web"?');
  } finally {
    await k.stop();
  }
});

it('scales down Pending first, then not Ready, then newest', async () => {
  const k = await start({ web: svc() }, {
    nodes: [{ name: 'n1', zone: 'a', cpu: 500, memory: 4096 }],
    workloads: { web: { replicas: 4, startupSeconds: 0 } },
  });
  try {
    const c = k.resolve('cluster') as Cluster;
    c.addReadinessGate('test');
    // web-1..web-4 fit (100m each), web-5 stays Pending
    await put(k, '/workloads/web', { replicas: 5, resources: { requests: { cpu: 100 } } });
    c.setGate('web-5', 'test', true);
    c.setGate('web-2', 'test', false);
    assert.equal(await live(k, 'web'), ['web-1:1.0.0:Ready', 'web-2:1.0.0:NotReady', 'web-3:1.0.0:Ready', 'web-4:1.0.0:Ready', 'web-5:1.0.0:Ready']);
    await put(k, '/workloads/web', { replicas: 6 });
    assert.equal((await admin(k, '/instances/web-6')).body.state, 'Pending');
    const plan = await put(k, '/workloads/web?dryRun=true', { replicas: 3 });
    assert.equal(plan.body.actions, ['delete 3 instance(s) (Pending first, then not Ready, then newest)']);
    await put(k, '/workloads/web', { replicas: 3 });
    assert.equal(await live(k, 'web'), ['web-1:1.0.0:Ready', 'web-3:1.0.0:Ready', 'web-4:1.0.0:Ready']);
  } finally {
    await k.stop();
  }
});

it('rolls a version change: one new instance at a time, an old one leaves once it is Ready', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 3, startupSeconds: 2 } } });
  try {
    const plan = await put(k, '/workloads/web?dryRun=true', { version: '2.0.0' });
    assert.equal(plan.body.diff, [{ path: 'version', from: '1.0.0', to: '2.0.0' }]);
    assert.equal(plan.body.actions, ['replace 3 instance(s) of 1.0.0 with 2.0.0 (rolling: maxSurge 1, maxUnavailable 0)']);
    await put(k, '/workloads/web', { version: '2.0.0' });
    const ready = async () => (await live(k, 'web')).filter((s) => s.endsWith(':Ready')).length;
    assert.equal(await live(k, 'web'), ['web-1:1.0.0:Ready', 'web-2:1.0.0:Ready', 'web-3:1.0.0:Ready', 'web-4:2.0.0:Starting']);
    for (let t = 0; t < 8; t++) {
      await seconds(k, 1);
      assert.ok((await ready()) >= 3, 'never fewer than 3 Ready (maxUnavailable 0)');
      assert.ok((await live(k, 'web')).length <= 4, 'never more than 4 (maxSurge 1)');
    }
    assert.equal(await live(k, 'web'), ['web-4:2.0.0:Ready', 'web-5:2.0.0:Ready', 'web-6:2.0.0:Ready']);
    assert.equal((await admin(k, '/workloads/web')).body.replicaSets, { '2.0.0': 3 });
    assert.equal((await admin(k, '/stats')).body.services.web.readyByVersion, { '2.0.0': 3 });
  } finally {
    await k.stop();
  }
});

it('runs the ReplicaSets another controller sets, and deletes a workload (its service then has none)', async () => {
  const k = await start({ web: svc() }, { workloads: { web: { replicas: 2, startupSeconds: 0 } } });
  try {
    const c = k.resolve('cluster') as Cluster;
    c.setReplicaSets('web', { '1.0.0': 1, canary: 1 }, 'deploy');
    assert.equal(await live(k, 'web'), ['web-1:1.0.0:Ready', 'web-3:canary:Ready']);
    assert.equal(k.eventsOf('cluster.workloadApplied').at(-1)!.data.source, 'deploy');
    assert.throws(() => c.setReplicaSets('web', { x: -1 }), /replicaSets.x: must be an integer >= 0/);
    const del = await admin(k, '/workloads/web', { method: 'DELETE' });
    assert.equal(del.body, { deleted: 'web' });
    assert.is((await admin(k, '/workloads/web')).status, 404);
    assert.is(c.manages('web'), true);
    assert.is((await fetch(`${k.baseUrl}/web/`)).status, 503);
    assert.is(k.eventsOf('cluster.workloadRemoved').length, 1);
  } finally {
    await k.stop();
  }
});

it('fails startup listing every config problem with its full path', async () => {
  const err = await start(
    { web: svc() },
    { defaults: { replicas: -2 }, workloads: { web: { capacity: { concurrency: 0 } }, db: { service: 'nothing' } }, nodes: [{ name: 'a', cpu: 1, memory: 1 }, { name: 'a', cpu: 1, memory: 1 }] },
  ).then(
    (k) => k.stop().then(() => undefined),
    (e: Error & { code?: string }) => e,
  );
  assert.ok(err, 'startup refused');
  assert.match(err!.message, 'Invalid configuration');
  for (const line of [
    'plugins.cluster.defaults.replicas: must be >= 0',
    'plugins.cluster.workloads.web.capacity.concurrency: must be >= 1',
    'plugins.cluster.workloads.db.service: no mesh service "nothing"',
    'plugins.cluster.nodes[1].name: node name "a" is used twice',
  ]) assert.match(err!.message, line);
});

it.run();
