// A corrupt deployment never takes traffic away. Over real sockets on the virtual clock,
// requests go through the mesh (to web directly and through gateway → web) during:
//   - a canary of a version that crashes on start: readiness fails (its exits), the
//     rollout is aborted, the stable keeps serving — zero failed requests;
//   - a rolling update of the same version: the surge instance crashes, the old ones are
//     never scaled below what is available, the update is aborted — zero failed requests;
//   - an invalid spec: refused with every problem and its path, nothing changes;
//   - a version that never gets Ready with onFailure freeze: the progress deadline holds
//     the rollout Degraded (with an alert event) and the stable serving, until aborted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import health from '@understudy/plugin-health';
import { assertRefused } from '@understudy/plugin-sdk/testing';
import { admin, post, seconds, spy, start, status, traffic, type Traffic } from './helpers.js';

const it = suite('deploy: zero downtime');

const BAD = { '2.0.0': { crashOnStart: true } };

it('a canary of a version that crashes on start is rolled back; zero failed requests', async () => {
  const s = spy();
  const k = await start({ replicas: 4, versions: BAD, extra: [s.plugin] });
  try {
    const t: Traffic = { sent: 0, failed: 0, byVersion: {}, statuses: {} };
    await traffic(k, 3, { perSecond: 10, into: t });
    const started = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } } });
    assert.is(started.status, 201);
    await traffic(k, 30, { perSecond: 10, into: t });
    await traffic(k, 30, { perSecond: 5, path: '/gateway/', into: t });
    const st = await status(k);
    assert.is(st.phase, 'Aborted', JSON.stringify(st));
    assert.match(st.message, 'readiness failed');
    assert.match(st.message, 'crashed on start');
    assert.equal(st.stable, { version: '1.0.0', revision: 1 });
    assert.is(t.failed, 0, `failed requests: ${JSON.stringify(t.statuses)}`);
    assert.is(t.sent, 3 * 10 + 30 * 10 + 30 * 5);
    assert.equal(s.count(), { '1.0.0': t.sent }, 'every hop to web served by the stable');
    assert.is(k.resolve('cluster').workload('web').ready, 4);
    assert.is(k.eventsOf('deploy.aborted').length, 1);
    const history = (await admin(k, '/rollouts/web/history')).body.revisions;
    assert.is(history[0].outcome, 'Aborted');
    await seconds(k, 31);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 4 }, 'the aborted canary goes after abortScaleDownDelaySeconds');
  } finally {
    await k.stop();
  }
});

it('a rolling update of a version that crashes on start is aborted; the old instances keep serving', async () => {
  const k = await start({ replicas: 4, versions: BAD });
  try {
    const started = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    assert.is(started.status, 201);
    assert.match(started.body.plan.join('\n'), 'at most 5 instances, at least 4 available');
    const t = await traffic(k, 40, { perSecond: 10 });
    const st = await status(k);
    assert.is(st.phase, 'Aborted', JSON.stringify(st));
    assert.is(t.failed, 0);
    assert.equal(t.byVersion, { '1.0.0': 400 });
    await seconds(k, 2);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 4 });
  } finally {
    await k.stop();
  }
});

it('with the health plugin (readiness probes, the kubelet backoff): a crashing blue/green preview is aborted; zero failed requests', async () => {
  const k = await start({ replicas: 3, versions: BAD, extra: [health], workload: { probes: { readiness: { periodSeconds: 1 } } } });
  try {
    const started = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { blueGreen: { autoPromotionEnabled: true } } });
    assert.is(started.status, 201);
    const t = await traffic(k, 60, { perSecond: 5 });
    const st = await status(k);
    assert.is(st.phase, 'Aborted', JSON.stringify(st));
    assert.match(st.message, 'readiness failed');
    assert.is(t.failed, 0, JSON.stringify(t.statuses));
    assert.equal(t.byVersion, { '1.0.0': 300 });
  } finally {
    await k.stop();
  }
});

it('an invalid rollout is refused whole with every path, and nothing changes', async () => {
  const k = await start({ replicas: 2 });
  try {
    const bad = await post(k, '/rollouts', {
      workload: 'web',
      version: '',
      colour: 'blue',
      onFailure: 'panic',
      progressDeadlineSeconds: 0,
      template: { replicas: 3, resources: { requests: { cpu: 'lots' } } },
      strategy: {
        canary: {
          steps: [{ setWeight: 120 }, { pause: { duration: 'soon' } }, { analysis: { templates: [{ templateName: 'nope' }] } }, { jump: 1 }, { setHeaderRoute: { name: 'x', match: [{ headerName: 'x-beta', headerValue: { exact: '1', prefix: '1' } }] } }],
          match: [{ cookieName: 'beta', cookieValue: { regex: '(' } }],
        },
      },
    });
    assertRefused(bad, 'US_DEPLOY_INVALID_ROLLOUT', [
      'colour: unknown property',
      'version: must be a non-empty string',
      'onFailure: must be "rollback" or "freeze"',
      'progressDeadlineSeconds: must be >= 1',
      'template.replicas: not part of a rollout',
      'strategy.canary.steps[0].setWeight: must be an integer from 0 to 100',
      'strategy.canary.steps[1].pause.duration: must be a duration',
      'strategy.canary.steps[2].analysis.templates[0].templateName: no analysis template "nope"',
      'strategy.canary.steps[3]: unknown step "jump"',
      'strategy.canary.steps[4].setHeaderRoute.match[0].headerValue: must have exactly one of exact, prefix, regex',
      'strategy.canary.match[0].cookieValue.regex: not a valid regular expression',
    ]);
    // a template the cluster refuses: its problems with their paths under template.
    const tpl = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', template: { resources: { requests: { cpu: 'lots' } }, restartPolicy: 'Sometimes' } });
    assert.is(tpl.status, 400);
    assert.match(tpl.body.message, 'template.resources.requests.cpu: must be a number');
    assert.match(tpl.body.message, 'template.restartPolicy: must be one of');
    assert.is((await post(k, '/rollouts', [1])).status, 400);
    assert.is((await post(k, '/rollouts', { workload: 'ghost', version: '2' })).body.code, 'US_DEPLOY_WORKLOAD_NOT_FOUND');
    assert.is((await post(k, '/rollouts', { workload: 'web', version: '1.0.0' })).body.code, 'US_DEPLOY_UNCHANGED');
    const t = await traffic(k, 5, { perSecond: 10 });
    assert.is(t.failed, 0);
    assert.equal(t.byVersion, { '1.0.0': 50 });
    const st = await status(k);
    assert.is(st.phase, 'Healthy');
    assert.equal(st.replicaSets, { '1.0.0': 2 });
    assert.is(k.captured.filter((e) => e.type.startsWith('deploy.')).length, 0);
    assert.is(k.eventsOf('cluster.workloadApplied').length, 0);
    assert.is((await admin(k, '/rollouts/web/history')).body.revisions.length, 1);
  } finally {
    await k.stop();
  }
});

it('freeze: a version that never gets Ready holds the rollout Degraded at the progress deadline; abort gives the stable everything back', async () => {
  const k = await start({ replicas: 3, workload: { startupSeconds: 1000 } });
  try {
    const started = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', onFailure: 'freeze', progressDeadlineSeconds: 30, strategy: { blueGreen: {} } });
    assert.is(started.status, 201);
    const t = await traffic(k, 35, { perSecond: 4 });
    let st = await status(k);
    assert.is(st.phase, 'Degraded', JSON.stringify(st));
    assert.match(st.message, 'ProgressDeadlineExceeded');
    assert.is(st.pause.reason, 'Frozen');
    assert.is(k.eventsOf('deploy.degraded').length, 1);
    assert.equal(st.replicaSets, { '1.0.0': 3, '2.0.0': 3 }, 'held where it was');
    assert.is(t.failed, 0);
    const dry = await post(k, '/rollouts', { workload: 'web', version: '3.0.0' });
    assert.is(dry.status, 409);
    assert.is(dry.body.code, 'US_DEPLOY_IN_PROGRESS');
    const aborted = await post(k, '/rollouts/web/abort', { reason: 'stuck', by: 'bob' });
    assert.is(aborted.status, 200);
    st = await status(k);
    assert.is(st.phase, 'Aborted');
    assert.match(st.message, 'aborted: stuck');
    assert.is(k.eventsOf('deploy.aborted')[0]!.data.by, 'bob');
  } finally {
    await k.stop();
  }
});

it.run();
