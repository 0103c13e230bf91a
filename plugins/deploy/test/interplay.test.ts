// The deploy plugin with the rest of the cluster: a rollout's template bringing a bad
// version's behaviour (refused nothing, rolled back, kept in the history), an autoscaler
// changing replicas during a canary (both ReplicaSets follow), a rolling update promoted
// --full, a frozen rolling update held as it is, and a workload deleted mid-rollout.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, post, seconds, start, status, traffic } from './helpers.js';

const it = suite('deploy: interplay');

it("a rollout's template brings the new version's behaviour: crashing, it is rolled back; the history keeps the template", async () => {
  const k = await start({ replicas: 2 });
  try {
    const r = await post(k, '/rollouts', { workload: 'web', version: '3.0.0', template: { versions: { '3.0.0': { crashOnStart: true } } }, strategy: { canary: { steps: [{ setWeight: 50 }] } } });
    assert.is(r.status, 201, JSON.stringify(r.body));
    assert.equal(k.resolve('cluster').workload('web').spec.versions['3.0.0'], { crashOnStart: true });
    const t = await traffic(k, 25, { perSecond: 4 });
    assert.is(t.failed, 0);
    assert.is((await status(k)).phase, 'Aborted');
    const h = (await admin(k, '/rollouts/web/history')).body.revisions;
    assert.equal(h[0].template, { versions: { '3.0.0': { crashOnStart: true } } });
  } finally {
    await k.stop();
  }
});

it('an autoscaler changes replicas during a canary: the stable and the canary follow', async () => {
  const k = await start({ replicas: 2 });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } } });
    await seconds(k, 6);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 2, '2.0.0': 1 });
    k.resolve('cluster').scale('web', 6, { source: 'autoscale', reason: 'load' });
    await seconds(k, 2);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 6, '2.0.0': 3 });
    // someone else's ReplicaSet change while the rollout runs is set back
    k.resolve('cluster').setReplicaSets('web', { '1.0.0': 1 }, 'someone');
    await seconds(k, 1);
    assert.equal(k.resolve('cluster').workload('web').replicaSets, { '1.0.0': 6, '2.0.0': 3 });
  } finally {
    await k.stop();
  }
});

it('rolling update: promote --full replaces every instance at once; freeze holds a stuck one as it is', async () => {
  const k = await start({ replicas: 3 });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    assert.is((await post(k, '/rollouts/web/promote')).status, 409, 'a rolling update has no steps');
    assert.is((await post(k, '/rollouts/web/promote', { full: true })).status, 200);
    await seconds(k, 1);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 3, '2.0.0': 3 });
    await seconds(k, 6);
    assert.is((await status(k)).phase, 'Healthy');
    assert.equal((await status(k)).replicaSets, { '2.0.0': 3 });
  } finally {
    await k.stop();
  }
  const f = await start({ replicas: 2, workload: { startupSeconds: 500 } });
  try {
    await post(f, '/rollouts', { workload: 'web', version: '2.0.0', onFailure: 'freeze', progressDeadlineSeconds: 10, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    await seconds(f, 12);
    const st = await status(f);
    assert.is(st.phase, 'Degraded', JSON.stringify(st));
    await seconds(f, 5);
    assert.equal((await status(f)).replicaSets, { '1.0.0': 2, '2.0.0': 1 }, 'held');
    // promoting the frozen rollout goes on from where it froze (and may freeze again at the next deadline)
    assert.is((await post(f, '/rollouts/web/promote', { full: true })).status, 200);
    assert.is((await status(f)).phase, 'Progressing');
    // the workload deleted mid-rollout: the controller carries on without it
    f.resolve('cluster').remove('web');
    await seconds(f, 2);
    assert.is((await admin(f, '/rollouts/web')).status, 200, 'the record stays readable');
  } finally {
    await f.stop();
  }
});

it.run();
