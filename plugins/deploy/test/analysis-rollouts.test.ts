// Analysis in rollouts (a fake runner scripted per kind): a failed step analysis aborts, an
// inconclusive one pauses until promoted, a background analysis runs from its starting
// step and is terminated at the end, the runs' context (versions, args); the bake window
// after the promotion rolls back on a failed post-promotion analysis; freeze instead of
// rollback; roll back to an earlier revision (who, what, why in the history); retry;
// coded 4xx answers of the action routes; startup config errors with their paths.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import mesh from '@understudy/plugin-mesh';
import cluster from '@understudy/plugin-cluster';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import { createDeployPlugin } from '../src/index.js';
import { admin, FakeRunner, post, seconds, start, status, traffic } from './helpers.js';

const it = suite('deploy: analysis, bake, rollback');

const templates = { 'error-rate': { metrics: [] }, judge: { metrics: [] } };
const ref = (name = 'error-rate') => ({ templates: [{ templateName: name }], args: [{ name: 'threshold', value: '0.05' }] });

it('a failed step analysis aborts the canary: weight back to 0, the stable keeps everything', async () => {
  const runner = new FakeRunner();
  runner.outcome = { step: 'Failed' };
  runner.afterMs = 3000;
  const k = await start({ replicas: 2, runner, deploy: { analysisTemplates: templates } });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 50 }, { analysis: ref() }, { setWeight: 100 }] } } });
    await seconds(k, 6);
    assert.is(runner.started.length, 1);
    const c = runner.started[0]!;
    assert.is(c.name, 'web-2-step-1');
    assert.equal(c.stable, { version: '1.0.0', revision: 1 });
    assert.equal(c.canary, { version: '2.0.0', revision: 2 });
    assert.equal(c.args, { workload: 'web', service: 'web', 'stable-version': '1.0.0', 'canary-version': '2.0.0', threshold: '0.05' });
    const running = await status(k);
    assert.is(running.weight, 50);
    assert.is(running.analysisRuns[0].phase, 'Running');
    assert.is(k.eventsOf('deploy.analysisStarted')[0]!.data.run, 'web-2-step-1');
    await seconds(k, 3);
    const st = await status(k);
    assert.is(st.phase, 'Aborted', JSON.stringify(st));
    assert.match(st.message, 'analysis failed: fake Failed');
    assert.is(st.weight, 0);
    assert.equal(k.eventsOf('deploy.analysisCompleted')[0]!.data.phase, 'Failed');
    const t = await traffic(k, 1, { perSecond: 10 });
    assert.equal(t.byVersion, { '1.0.0': 10 });
    // retry starts over (and the analysis again)
    runner.outcome = { step: 'Successful' };
    const again = await post(k, '/rollouts/web/retry');
    assert.is(again.status, 200, JSON.stringify(again.body));
    await seconds(k, 8);
    assert.is((await status(k)).phase, 'Healthy');
    assert.is(runner.started[1]!.name, 'web-2-step-1-2');
    assert.is(k.eventsOf('deploy.retried').length, 1);
  } finally {
    await k.stop();
  }
});

it('inconclusive pauses until promoted; a background analysis starts at its step and is terminated at the end', async () => {
  const runner = new FakeRunner();
  runner.outcome = { step: 'Inconclusive' };
  const k = await start({ replicas: 2, runner, deploy: { analysisTemplates: templates } });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { analysis: { ...ref('judge'), startingStep: 1 }, steps: [{ setWeight: 50 }, { analysis: ref() }] } } });
    await seconds(k, 8);
    const st = await status(k);
    assert.is(st.phase, 'Paused', JSON.stringify(st));
    assert.is(st.pause.reason, 'InconclusiveAnalysis');
    assert.equal(runner.started.map((c) => c.kind).sort(), ['background', 'step']);
    await post(k, '/rollouts/web/promote');
    await seconds(k, 6);
    assert.is((await status(k)).phase, 'Healthy');
    assert.ok(runner.terminated.includes('web-2-background'));
  } finally {
    await k.stop();
  }
});

it('the bake window: a failed post-promotion analysis rolls back to the previous version, which was kept running', async () => {
  const runner = new FakeRunner();
  runner.outcome = { postPromotion: 'Failed' };
  runner.afterMs = 20_000;
  const k = await start({ replicas: 2, runner, deploy: { analysisTemplates: templates } });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', bakeSeconds: 60, strategy: { canary: { steps: [{ setWeight: 50 }], postPromotionAnalysis: ref() } } });
    await seconds(k, 12);
    let st = await status(k);
    assert.is(st.phase, 'Progressing', JSON.stringify(st));
    assert.match(st.message, 'baking');
    assert.is(st.weight, 100);
    assert.equal(st.replicaSets, { '1.0.0': 2, '2.0.0': 2 });
    assert.equal((await traffic(k, 1, { perSecond: 10 })).byVersion, { '2.0.0': 10 });
    await seconds(k, 20);
    st = await status(k);
    assert.is(st.phase, 'RolledBack', JSON.stringify(st));
    assert.equal(st.stable, { version: '1.0.0', revision: 1 });
    const t = await traffic(k, 2, { perSecond: 10 });
    assert.equal(t.byVersion, { '1.0.0': 20 });
    assert.is(t.failed, 0);
    assert.is(k.eventsOf('deploy.rolledBack').length, 1);
  } finally {
    await k.stop();
  }
});

it('roll back to an earlier revision: a new revision of the old version, no steps; the history says who, what and why', async () => {
  const runner = new FakeRunner();
  const k = await start({ replicas: 2, runner, deploy: { rollouts: { web: { strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }], scaleDownDelaySeconds: 0 } } } } } });
  try {
    assert.is((await post(k, '/rollouts/web/rollback')).body.code, 'US_DEPLOY_REVISION_NOT_FOUND');
    for (const v of ['2.0.0', '3.0.0']) {
      const r = await admin(k, '/rollouts/web', { method: 'PUT', json: { version: v, by: 'carol', reason: `ship ${v}` } });
      assert.is(r.status, 201, JSON.stringify(r.body));
      await seconds(k, 6);
      await post(k, '/rollouts/web/promote', { full: true, by: 'carol' });
      await seconds(k, 7);
      assert.is((await status(k)).phase, 'Healthy');
    }
    const rb = await post(k, '/rollouts/web/rollback', { revision: 2, by: 'dave', reason: '3.0.0 leaks memory' });
    assert.is(rb.status, 200, JSON.stringify(rb.body));
    assert.is(rb.body.revision, 4);
    assert.is(rb.body.version, '2.0.0');
    assert.match(rb.body.plan[0], 'no steps');
    await seconds(k, 7);
    const st = await status(k);
    assert.is(st.phase, 'RolledBack', JSON.stringify(st));
    assert.equal(st.stable, { version: '2.0.0', revision: 4 });
    const h = (await admin(k, '/rollouts/web/history')).body.revisions;
    assert.equal(h.map((e: any) => `${e.revision}:${e.version}:${e.outcome}`), ['4:2.0.0:RolledBack', '3:3.0.0:Healthy', '2:2.0.0:Healthy', '1:1.0.0:Healthy']);
    assert.equal([h[0].by, h[0].reason, h[0].rollbackOf], ['dave', '3.0.0 leaks memory', 3]);
    // the default target: the stable before this one
    const back = await post(k, '/rollouts/web/rollback');
    assert.is(back.body.version, '3.0.0');
    // a rollback during a rollout to the stable's own version just aborts it
    await seconds(k, 7);
    await post(k, '/rollouts', { workload: 'web', version: '9.0.0' });
    const abortOnly = await post(k, '/rollouts/web/rollback', { revision: 5 });
    assert.match(abortOnly.body.plan[0], 'keeps serving');
    assert.is((await status(k)).phase, 'Aborted');
    assert.is((await post(k, '/rollouts/web/rollback', { revision: 42 })).status, 404);
  } finally {
    await k.stop();
  }
});

it('action routes answer coded 4xx: no rollout, nothing to promote, bad bodies, unknown workloads', async () => {
  const k = await start({ replicas: 1 });
  try {
    const none = await post(k, '/rollouts/web/promote');
    assert.is(none.status, 409);
    assert.is(none.body.code, 'US_DEPLOY_INVALID_ACTION');
    assert.is((await post(k, '/rollouts/ghost/abort')).body.code, 'US_DEPLOY_WORKLOAD_NOT_FOUND');
    assert.is((await admin(k, '/rollouts/ghost')).status, 404);
    const badBody = await post(k, '/rollouts/web/promote', { full: 'yes', colour: 1 });
    assert.is(badBody.status, 400);
    assert.is(badBody.body.code, 'US_DEPLOY_INVALID_REQUEST');
    assert.match(badBody.body.message, 'full: must be a boolean');
    assert.match(badBody.body.message, 'colour: unknown property');
    assert.is((await post(k, '/rollouts/web/rollback', [1])).status, 400);
    assert.is((await post(k, '/rollouts/web/rollback', { revision: 0 })).status, 400);
    const mismatch = await admin(k, '/rollouts/web', { method: 'PUT', json: { workload: 'other', version: '2' } });
    assert.is(mismatch.status, 400);
    const dry = await admin(k, '/rollouts/web?dryRun=true', { method: 'PUT', json: { version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: 60 } }] } } } });
    assert.is(dry.status, 200);
    assert.is(dry.body.dryRun, true);
    assert.equal(dry.body.plan.slice(0, 3), ['canary 1.0.0 → 2.0.0: 2 step(s), then the promotion', 'setWeight 20', 'pause 60 s']);
    assert.is((await status(k)).phase, 'Healthy');
    assert.is((await admin(k, '/rollouts')).body.rollouts.length, 2);
    // a Healthy workload has nothing to abort or retry
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0' });
    await seconds(k, 8);
    assert.is((await status(k)).phase, 'Healthy');
    assert.is((await post(k, '/rollouts/web/abort')).status, 409);
    assert.is((await post(k, '/rollouts/web/retry')).status, 409);
  } finally {
    await k.stop();
  }
});

it('invalid config fails startup with every problem and its path', async () => {
  const runner = new FakeRunner();
  let error: any;
  try {
    const k = await createTestKernel({
      plugins: [mesh, cluster, createDeployPlugin({ analysisRunner: runner.runner as never })],
      config: {
        mesh: { services: { web: { endpoints: [{ path: '/' }] } } },
        cluster: { workloads: { web: { replicas: 1 } } },
        deploy: {
          analysisTemplates: { broken: 5 },
          defaults: { onFailure: 'shrug' },
          rollouts: { web: { strategy: { canary: { steps: [{ setWeight: -1 }] } } }, ghost: {} },
        },
      },
    });
    await k.stop();
  } catch (err) {
    error = err;
  }
  assert.ok(error, 'startup failed');
  const text = String(error.message);
  for (const line of [
    'plugins.deploy.analysisTemplates.broken: must be an object',
    'plugins.deploy.defaults.onFailure: must be "rollback" or "freeze"',
    'plugins.deploy.rollouts.web.strategy.canary.steps[0].setWeight: must be an integer from 0 to 100',
    'plugins.deploy.rollouts.ghost: no cluster workload "ghost"',
  ]) assert.match(text, line);
});

it.run();
