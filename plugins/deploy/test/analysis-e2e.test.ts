// The real analysis runner end to end: a canary of a version that fails a third of its
// requests, with observability measuring each version's real exchanges. The step analysis
// (the canary's error rate, and the baseline-vs-canary judge) fails it and the rollout is
// rolled back: the stable takes all the traffic again, and a good version passes the same
// analysis and is promoted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import observability from '@understudy/plugin-observability';
import { admin, post, start, status, traffic } from './helpers.js';

const it = suite('deploy: analysis end to end');

const deployConfig = {
  analysisTemplates: {
    'error-rate': {
      metrics: [{ name: 'errors', interval: '10s', count: 3, successCondition: 'result < 0.05', failureLimit: 0, provider: { kind: 'errorRate', window: '30s' } }],
    },
  },
  rollouts: { web: { strategy: { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'error-rate' }] } }] } } } },
};

it('a canary failing a third of its requests is rolled back by its error-rate analysis; a good one is promoted', async () => {
  const k = await start({ replicas: 2, versions: { '2.0.0': { errorRate: 0.35 } }, extra: [observability], deploy: deployConfig });
  try {
    assert.is((await post(k, '/rollouts', { workload: 'web', version: '2.0.0' })).status, 201);
    const t = await traffic(k, 50, { perSecond: 10 });
    const st = await status(k);
    assert.is(st.phase, 'Aborted', JSON.stringify(st));
    assert.match(st.message, 'analysis failed');
    assert.is(st.analysisRuns[0].phase, 'Failed');
    assert.ok(t.failed > 0, 'the bad canary did fail requests while it had its share');
    const after = await traffic(k, 3, { perSecond: 10 });
    assert.equal(after.byVersion, { '1.0.0': 30 });
    assert.is(after.failed, 0);
    // a good version through the same analysis
    assert.is((await post(k, '/rollouts', { workload: 'web', version: '2.1.0' })).status, 201);
    const good = await traffic(k, 50, { perSecond: 10 });
    assert.is(good.failed, 0);
    const ok = await status(k);
    assert.is(ok.phase, 'Healthy', JSON.stringify(ok));
    assert.equal(ok.stable, { version: '2.1.0', revision: 3 });
    const h = (await admin(k, '/rollouts/web/history')).body.revisions;
    assert.equal(h.map((e: any) => e.outcome), ['Healthy', 'Aborted', 'Healthy']);
  } finally {
    await k.stop();
  }
});

it.run();
