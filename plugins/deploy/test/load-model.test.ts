// A rollout's weights in the cluster's load model: simulated demand goes where real
// exchanges go. A bad blue/green preview takes none before the switch (the service's model
// error rate stays 0) and none after an abort; a canary at weight 20 gets 20 % of the
// demand whatever its instance count; the weights are cleared once the rollout is over.
// Observability's simulated requests by version follow the same split.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import observability from '@understudy/plugin-observability';
import { definePlugin } from '@understudy/plugin-sdk';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { post, seconds, start, status } from './helpers.js';

const it = suite('deploy: weights in the load model');

/** A stand-in for the traffic plugin: `rps` requests/s to web, in the load model only. */
function demand(rps: number) {
  return definePlugin({
    name: 'traffic-double',
    provides: ['traffic'],
    register(ctx) {
      ctx.provide('traffic', { rates: (at?: number) => ({ at: at ?? 0, services: new Map([['web', rps]]), endpoints: new Map() }) } as never);
    },
  });
}

const webTick = (k: TestKernel) => k.resolve('cluster').lastTick()!.services.get('web')!;
/** Requests/s arriving at web's Ready instances, summed by version. */
function arrivals(k: TestKernel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of k.resolve('cluster').instances({ workload: 'web', state: 'Ready' })) out[i.version] = (out[i.version] ?? 0) + i.load.arrivalRate;
  return out;
}
const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

it('blue/green: a bad preview takes no simulated requests before the switch, nor after the abort', async () => {
  const k = await start({ replicas: 2, versions: { '2.0.0': { errorRate: 0.5 } }, extra: [demand(100), observability] });
  try {
    const cluster = k.resolve('cluster');
    await seconds(k, 7);
    const r = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { blueGreen: { autoPromotionEnabled: false, abortScaleDownDelaySeconds: 5 } } });
    assert.is(r.status, 201, JSON.stringify(r.body));
    await seconds(k, 7);
    assert.is((await status(k)).phase, 'Paused');
    let t = webTick(k);
    assert.equal(t.readyByVersion, { '1.0.0': 2, '2.0.0': 2 });
    assert.equal(cluster.workload('web').trafficWeights, { '2.0.0': 0, '1.0.0': 100 });
    assert.equal(t.shareByVersion, { '1.0.0': 1, '2.0.0': 0 });
    assert.equal(arrivals(k), { '1.0.0': 100, '2.0.0': 0 });
    assert.is(t.errorRate, 0, 'the preview answers half its requests with errors, but takes none');
    assert.is(t.served, 100);
    const obs = k.resolve('observability');
    assert.is(obs.window('web', 5000, { version: '2.0.0' }).requests, 0);
    const stable = obs.window('web', 5000, { version: '1.0.0' });
    assert.ok(stable.requests > 400 && stable.errors === 0, JSON.stringify(stable));

    await post(k, '/rollouts/web/abort', {});
    await seconds(k, 1);
    assert.is((await status(k)).phase, 'Aborted');
    assert.equal(cluster.workload('web').trafficWeights, { '1.0.0': 100, '2.0.0': 0 }, 'kept out of traffic while it scales down');
    assert.is(webTick(k).errorRate, 0);
    await seconds(k, 7);
    assert.is(cluster.workload('web').trafficWeights, undefined, 'cleared once the rollout is over');
    t = webTick(k);
    assert.equal(t.readyByVersion, { '1.0.0': 2 });
    assert.is(t.errorRate, 0);
  } finally {
    await k.stop();
  }
});

it('blue/green: promoted, the new version takes the simulated demand at the switch', async () => {
  const k = await start({ replicas: 2, versions: { '2.0.0': { errorRate: 0.5 } }, extra: [demand(100)] });
  try {
    await seconds(k, 7);
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { blueGreen: { autoPromotionEnabled: false, scaleDownDelaySeconds: 5 } } });
    await seconds(k, 7);
    assert.is(webTick(k).errorRate, 0);
    await post(k, '/rollouts/web/promote', {});
    await seconds(k, 1);
    assert.is((await status(k)).phase, 'Healthy');
    assert.equal(k.resolve('cluster').workload('web').trafficWeights, { '2.0.0': 100, '1.0.0': 0 });
    assert.equal(arrivals(k), { '1.0.0': 0, '2.0.0': 100 });
    assert.ok(close(webTick(k).errorRate, 0.5), String(webTick(k).errorRate));
  } finally {
    await k.stop();
  }
});

it('canary at weight 20: its instances take 20 % of the demand, not their share of the instances', async () => {
  const k = await start({ replicas: 10, extra: [demand(100), observability] });
  try {
    const cluster = k.resolve('cluster');
    await seconds(k, 7);
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }], scaleDownDelaySeconds: 5 } } });
    await seconds(k, 7);
    const st = await status(k);
    assert.is(st.weight, 20, JSON.stringify(st));
    assert.equal(webTick(k).readyByVersion, { '1.0.0': 10, '2.0.0': 2 });
    assert.equal(cluster.workload('web').trafficWeights, { '2.0.0': 20, '1.0.0': 80 });
    const a = arrivals(k);
    assert.ok(close(a['2.0.0']!, 20) && close(a['1.0.0']!, 80), JSON.stringify(a)); // by instance count: 16.7 and 83.3
    for (const i of cluster.instances({ workload: 'web', state: 'Ready' })) assert.ok(close(i.load.arrivalRate, i.version === '2.0.0' ? 10 : 8), `${i.id}: ${i.load.arrivalRate}`);
    // observability's windows are 10 s slots: measure well after the weight was set
    await seconds(k, 25);
    const obs = k.resolve('observability');
    const canary = obs.window('web', 10_000, { version: '2.0.0' }).requests;
    const all = obs.window('web', 10_000).requests;
    assert.ok(all >= 1000 && close(canary / all, 0.2), `${canary} of ${all}`);

    await post(k, '/rollouts/web/promote', { full: true });
    await seconds(k, 7);
    assert.is((await status(k)).phase, 'Healthy');
    assert.equal(cluster.workload('web').trafficWeights, { '2.0.0': 100, '1.0.0': 0 }, 'the old version kept out of traffic for scaleDownDelaySeconds');
    await seconds(k, 6);
    assert.is(cluster.workload('web').trafficWeights, undefined);
    assert.equal(arrivals(k), { '2.0.0': 100 });
  } finally {
    await k.stop();
  }
});

it("a bad canary's simulated errors are its own: observability reads them on the canary, not on the stable", async () => {
  const k = await start({ replicas: 10, versions: { '2.0.0': { errorRate: 0.5 } }, extra: [demand(100), observability] });
  try {
    await seconds(k, 7);
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } } });
    await seconds(k, 7);
    assert.equal(webTick(k).errorRateByVersion, { '1.0.0': 0, '2.0.0': 0.5 });
    await seconds(k, 25);
    const obs = k.resolve('observability');
    const canary = obs.window('web', 10_000, { version: '2.0.0' });
    const stable = obs.window('web', 10_000, { version: '1.0.0' });
    assert.ok(close(canary.errorRate, 0.5), `canary ${canary.errors} of ${canary.requests}`);
    assert.is(stable.errors, 0, `stable ${stable.errors} of ${stable.requests}`);
  } finally {
    await k.stop();
  }
});

it('rolling update: no weights, the demand follows the instances', async () => {
  const k = await start({ replicas: 2, extra: [demand(100)] });
  try {
    await seconds(k, 7);
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    await seconds(k, 6);
    const ready = webTick(k).readyByVersion;
    assert.ok(ready['1.0.0']! > 0 && ready['2.0.0']! > 0, JSON.stringify(ready));
    assert.is(k.resolve('cluster').workload('web').trafficWeights, undefined);
    const a = arrivals(k);
    assert.ok(close(a['2.0.0']!, (100 * ready['2.0.0']!) / (ready['1.0.0']! + ready['2.0.0']!)), JSON.stringify(a));
  } finally {
    await k.stop();
  }
});

it.run();
