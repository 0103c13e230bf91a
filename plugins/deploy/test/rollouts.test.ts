// Rollouts end to end over real sockets on the virtual clock: a canary through its steps
// (weights applied once the canary instances are available, a timed pause, an indefinite
// pause until promoted), then the promotion and the previous version scaled down after
// scaleDownDelaySeconds; the events of every transition and the revision history.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, post, seconds, start, status, traffic, type Json } from './helpers.js';

const it = suite('deploy: rollouts');

it('canary: setWeight / pause steps, promote, Healthy; the old version goes after scaleDownDelaySeconds', async () => {
  const k = await start({ replicas: 4 });
  try {
    const started = await post(k, '/rollouts', {
      workload: 'web',
      version: '2.0.0',
      by: 'alice',
      reason: 'new checkout',
      strategy: { canary: { steps: [{ setWeight: 25 }, { pause: { duration: '30s' } }, { setWeight: 50 }, { pause: {} }], scaleDownDelaySeconds: 10 } },
    });
    assert.is(started.status, 201, JSON.stringify(started.body));
    assert.is(started.body.revision, 2);
    let s = await status(k);
    assert.is(s.phase, 'Progressing');
    assert.equal(s.replicaSets, { '1.0.0': 4, '2.0.0': 1 });
    assert.is(s.weight, 0, 'no traffic before the canary is available');
    await seconds(k, 6);
    s = await status(k);
    assert.is(s.phase, 'Paused', JSON.stringify(s));
    assert.is(s.currentStepIndex, 1);
    assert.is(s.weight, 25);
    const t = await traffic(k, 4, { perSecond: 25 });
    assert.is(t.failed, 0);
    assert.ok(t.byVersion['2.0.0']! > 5 && t.byVersion['2.0.0']! < 45, `about a quarter to the canary: ${JSON.stringify(t.byVersion)}`);
    await seconds(k, 33);
    s = await status(k);
    assert.is(s.currentStepIndex, 3, JSON.stringify(s));
    assert.is(s.phase, 'Paused');
    assert.is(s.weight, 50);
    assert.equal(s.replicaSets, { '1.0.0': 4, '2.0.0': 2 });
    const promoted = await post(k, '/rollouts/web/promote');
    assert.is(promoted.status, 200, JSON.stringify(promoted.body));
    await seconds(k, 6);
    s = await status(k);
    assert.is(s.phase, 'Healthy', JSON.stringify(s));
    assert.equal(s.stable, { version: '2.0.0', revision: 2 });
    assert.equal(s.replicaSets, { '2.0.0': 4, '1.0.0': 4 }, 'the old version is kept for scaleDownDelaySeconds');
    const after = await traffic(k, 2, { perSecond: 10 });
    assert.equal(after.byVersion, { '2.0.0': 20 });
    await seconds(k, 10);
    s = await status(k);
    assert.equal(s.replicaSets, { '2.0.0': 4 });
    assert.is((await k.resolve('cluster').workload('web')).spec.version, '2.0.0');
    const types = k.captured.filter((e) => e.type.startsWith('deploy.')).map((e) => e.type);
    for (const t of ['deploy.started', 'deploy.weightChanged', 'deploy.stepChanged', 'deploy.paused', 'deploy.resumed', 'deploy.promoted', 'deploy.completed']) assert.ok(types.includes(t), `${t} in ${types}`);
    const history = (await admin(k, '/rollouts/web/history')).body;
    assert.is(history.revisions[0].revision, 2);
    assert.is(history.revisions[0].by, 'alice');
    assert.is(history.revisions[0].reason, 'new checkout');
    assert.is(history.revisions[0].outcome, 'Healthy');
    assert.is(history.revisions[1].version, '1.0.0');
  } finally {
    await k.stop();
  }
});

it.run();
