// Strategies end to end (real sockets, virtual clock): A/B routing by header and by
// cookie (a matching request gets the canary at every hop, the others the weights),
// blue/green (a preview reached through previewMatch, manual promotion, the active switch,
// the old set kept for scaleDownDelaySeconds, autoPromotionSeconds), and a rolling update
// within maxSurge/maxUnavailable to the end.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { post, seconds, spy, start, status, traffic } from './helpers.js';

const it = suite('deploy: strategies');

it('A/B: requests with the header or the cookie always get the canary, at every hop; the others follow the weight (0)', async () => {
  const s = spy();
  const k = await start({ replicas: 3, extra: [s.plugin] });
  try {
    const r = await post(k, '/rollouts', {
      workload: 'web',
      version: '2.0.0',
      strategy: {
        canary: {
          match: [{ cookieName: 'beta', cookieValue: { exact: 'yes' } }],
          steps: [{ setHeaderRoute: { name: 'testers', match: [{ headerName: 'X-Tester', headerValue: { prefix: 'qa-' } }] } }, { setWeight: 0 }, { pause: {} }],
        },
      },
    });
    assert.is(r.status, 201, JSON.stringify(r.body));
    await seconds(k, 7);
    const st = await status(k);
    assert.is(st.phase, 'Paused', JSON.stringify(st));
    assert.equal(Object.keys(st.headerRoutes), ['testers']);
    assert.equal(st.replicaSets, { '1.0.0': 3, '2.0.0': 1 }, 'one canary instance for the A/B route at weight 0');
    const plain = await traffic(k, 2, { perSecond: 10 });
    assert.equal(plain.byVersion, { '1.0.0': 20 });
    const tester = await traffic(k, 2, { perSecond: 10, headers: { 'x-tester': 'qa-anna' } });
    assert.equal(tester.byVersion, { '2.0.0': 20 });
    const other = await traffic(k, 1, { perSecond: 10, headers: { 'x-tester': 'anna' } });
    assert.equal(other.byVersion, { '1.0.0': 10 });
    const cookie = await traffic(k, 1, { perSecond: 10, headers: { cookie: 'a=1; beta=yes' } });
    assert.equal(cookie.byVersion, { '2.0.0': 10 });
    // through gateway → web: the child call inherits the match
    s.seen.length = 0;
    await traffic(k, 1, { perSecond: 10, path: '/gateway/', headers: { 'x-tester': 'qa-bob' } });
    assert.equal(s.count(), { '2.0.0': 10 });
    s.seen.length = 0;
    await traffic(k, 1, { perSecond: 10, path: '/gateway/' });
    assert.equal(s.count(), { '1.0.0': 10 });
    await post(k, '/rollouts/web/promote?full=true');
    await seconds(k, 6);
    assert.is((await status(k)).phase, 'Healthy');
    assert.equal((await status(k)).headerRoutes, {});
  } finally {
    await k.stop();
  }
});

it('canary weights apply on every hop (through gateway): about the step weight reaches the canary', async () => {
  const s = spy();
  const k = await start({ replicas: 4, extra: [s.plugin] });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } } });
    await seconds(k, 6);
    assert.is((await status(k)).weight, 50);
    s.seen.length = 0;
    const t = await traffic(k, 4, { perSecond: 25, path: '/gateway/' });
    assert.is(t.failed, 0);
    const c = s.count();
    assert.ok(c['2.0.0']! > 30 && c['1.0.0']! > 30, JSON.stringify(c));
  } finally {
    await k.stop();
  }
});

it('the split is reproducible: the same seed and requests give the same canary choices', async () => {
  const run = async () => {
    const k = await start({ replicas: 2, seed: 7 });
    try {
      await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 30 }, { pause: {} }] } } });
      await seconds(k, 6);
      const picks: string[] = [];
      for (let i = 0; i < 40; i++) {
        const t = await traffic(k, 1, { perSecond: 1 });
        picks.push(Object.keys(t.byVersion)[0]!);
      }
      return picks.join(',');
    } finally {
      await k.stop();
    }
  };
  const a = await run();
  assert.is(await run(), a);
  assert.ok(a.includes('2.0.0') && a.includes('1.0.0'), a);
});

it('blue/green: the preview beside the active set, reached by previewMatch; promote switches; the old set goes after scaleDownDelaySeconds', async () => {
  const k = await start({ replicas: 3 });
  try {
    const r = await post(k, '/rollouts', {
      workload: 'web',
      version: '2.0.0',
      strategy: { blueGreen: { activeService: 'web-active', previewService: 'web-preview', autoPromotionEnabled: false, previewReplicaCount: 1, scaleDownDelaySeconds: 5, previewMatch: [{ headerName: 'x-preview', headerValue: { exact: 'true' } }] } },
    });
    assert.is(r.status, 201);
    assert.match(r.body.plan.join('\n'), 'blue/green');
    await seconds(k, 6);
    let st = await status(k);
    assert.is(st.phase, 'Paused', JSON.stringify(st));
    assert.is(st.pause.reason, 'BlueGreenPause');
    assert.equal(st.replicaSets, { '1.0.0': 3, '2.0.0': 1 });
    assert.equal((await traffic(k, 1, { perSecond: 10 })).byVersion, { '1.0.0': 10 });
    assert.equal((await traffic(k, 1, { perSecond: 10, headers: { 'x-preview': 'true' } })).byVersion, { '2.0.0': 10 });
    const p = await post(k, '/rollouts/web/promote', {});
    assert.is(p.status, 200);
    assert.equal((await status(k)).replicaSets, { '1.0.0': 3, '2.0.0': 3 }, 'the preview scaled to full before the switch');
    assert.equal((await traffic(k, 1, { perSecond: 10 })).byVersion, { '1.0.0': 10 }, 'not switched before the preview is full');
    await seconds(k, 6);
    st = await status(k);
    assert.is(st.phase, 'Healthy', JSON.stringify(st));
    const after = await traffic(k, 2, { perSecond: 10 });
    assert.equal(after.byVersion, { '2.0.0': 20 });
    await seconds(k, 5);
    assert.equal((await status(k)).replicaSets, { '2.0.0': 3 });
  } finally {
    await k.stop();
  }
});

it('blue/green autoPromotionSeconds: promoted that long after the preview is ready', async () => {
  const k = await start({ replicas: 2 });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { blueGreen: { autoPromotionSeconds: 20 } } });
    await seconds(k, 7);
    let st = await status(k);
    assert.is(st.phase, 'Paused');
    assert.ok(st.pause.until > st.pause.since);
    await seconds(k, 20);
    st = await status(k);
    assert.is(st.phase, 'Healthy', JSON.stringify(st));
  } finally {
    await k.stop();
  }
});

it('rolling update: never more than replicas + maxSurge, never fewer Ready than replicas − maxUnavailable, to the end', async () => {
  const k = await start({ replicas: 4 });
  try {
    const cluster = k.resolve('cluster');
    const r = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', minReadySeconds: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    assert.is(r.status, 201);
    let maxTotal = 0;
    let minReady = Infinity;
    for (let i = 0; i < 60 && (await status(k)).phase !== 'Healthy'; i++) {
      const sets = (await status(k)).replicaSets as Record<string, number>;
      maxTotal = Math.max(maxTotal, Object.values(sets).reduce((a, b) => a + b, 0));
      minReady = Math.min(minReady, cluster.workload('web').ready);
      await seconds(k, 1);
    }
    const st = await status(k);
    assert.is(st.phase, 'Healthy');
    assert.equal(st.replicaSets, { '2.0.0': 4 });
    assert.is(maxTotal, 5);
    assert.is(minReady, 3);
    assert.is(cluster.workload('web').spec.version, '2.0.0');
    const t = await traffic(k, 1, { perSecond: 10 });
    assert.equal(t.byVersion, { '2.0.0': 10 });
  } finally {
    await k.stop();
  }
});

it.run();
