// The HPA on the real cluster, on the virtual clock: a 3× step of traffic at the front service
// is absorbed — replicas rise and utilisation is back at the target — within 2 simulated
// minutes, with the instances' 20 s startup in between; after the step, the scale-down waits
// Kubernetes' 300 s stabilization window; another writer's replicas are held, not undone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { replicas, seconds, start, tickOf, WEB } from './helpers.js';

const it = suite('autoscale: HPA on the cluster');

const CPU60 = { minReplicas: 2, maxReplicas: 40, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] };
// 600 req/s on 5 instances of 200 req/s: utilisation 0.6; ×3 from 60 s for 10 minutes
const STEP = { load: { service: 'web', shape: { kind: 'step', rps: 600, factor: 3, atSeconds: 60, durationSeconds: 600 } } };

it('a 3× step is absorbed within 2 simulated minutes: 5 → 9 → 15 replicas, utilisation back at 0.6, p99 within 500 ms', async () => {
  const k = await start({ patterns: STEP, autoscale: { autoscalers: { web: CPU60 } } });
  const t0 = k.clock.now();
  try {
    await seconds(k, 60);
    assert.is(replicas(k), 5, 'steady before the step');
    assert.is(k.eventsOf('autoscale.scaled').length, 0);
    // the step: from the first tick at 1,800 req/s, every second until the service is back within its target
    let absorbedAt: number | undefined;
    for (let s = 0; s < 120 && absorbedAt === undefined; s++) {
      await seconds(k, 1);
      const t = tickOf(k);
      if (t.demand === 1800 && t.ready >= 15 && t.utilisation <= 0.6 * 1.1 && t.p99Ms < 500) absorbedAt = k.clock.now();
    }
    assert.ok(absorbedAt !== undefined, `not absorbed within 120 s: ${JSON.stringify(k.resolve('autoscale').get('web'))}`);
    const took = (absorbedAt! - t0) / 1000 - 60;
    assert.ok(took <= 120, `absorbed after ${took} s`);
    // two scale-ups, as the rate policies allow (4 pods or 100 % per 15 s) and the readiness rules keep
    const ups = k.eventsOf('autoscale.scaled').map((e) => [e.data.from, e.data.to]);
    assert.equal(ups, [
      [5, 9],
      [9, 15],
    ]);
    const scaled = k.eventsOf('autoscale.scaled')[0]!.data;
    assert.is(scaled.policy, 'hpa');
    assert.match(scaled.reason, 'cpu 100');
    // the second waited for the first's instances: with 4 not yet ready the ratio counts them at 0
    const history = k.resolve('autoscale').history('web');
    assert.ok(history.some((h) => /4 not yet ready/.test(h.reason)), 'not-yet-ready instances held the count');
    // the cluster applied them with the autoscaler as the source
    const applied = k.eventsOf('cluster.workloadApplied').filter((e) => e.data.source === 'autoscale');
    assert.equal(applied.map((e) => e.data.actions[0]!.split(':')[0]), ['scale from 5 to 9', 'scale from 9 to 15']);
    const status = k.resolve('autoscale').get('web');
    assert.equal([status.currentReplicas, status.readyReplicas, status.desiredReplicas], [15, 15, 15]);
  } finally {
    await k.stop();
  }
});

it('after the step the scale-down waits the 300 s stabilization window, then goes back to 5 at once (100 % per 15 s)', async () => {
  const k = await start({ patterns: STEP, autoscale: { autoscalers: { web: CPU60 } } });
  const t0 = k.clock.now();
  try {
    await seconds(k, 660); // the step ends at 660 s
    assert.is(replicas(k), 15);
    await seconds(k, 280);
    assert.is(replicas(k), 15, 'held by the window');
    assert.match(k.resolve('autoscale').get('web').lastReason!, 'ScaleDownStabilized');
    await seconds(k, 60);
    assert.is(replicas(k), 5);
    const down = k.eventsOf('autoscale.scaled').find((e) => e.data.to < e.data.from)!;
    assert.equal([down.data.from, down.data.to], [15, 5]);
    // the last recommendation of 15 was made at the last sync before 660 s: the window is 300 s from it
    const lastHigh = k
      .resolve('autoscale')
      .history('web')
      .filter((h) => h.demand === 1800)
      .at(-1)!.at;
    assert.ok(down.at - lastHigh >= 300_000, `scaled down ${(down.at - lastHigh) / 1000} s after the last high recommendation`);
    assert.ok((down.at - t0) / 1000 - 660 >= 285, 'not before the window');
    await seconds(k, 30);
    assert.ok(tickOf(k).utilisation <= 0.66);
  } finally {
    await k.stop();
  }
});

it("replicas another writer set are held for the scale-down window, then the HPA's count returns", async () => {
  const k = await start({ patterns: { load: { service: 'web', shape: { kind: 'constant', rps: 600 } } }, autoscale: { autoscalers: { web: CPU60 } } });
  try {
    await seconds(k, 20);
    k.resolve('cluster').scale('web', 8, { source: 'someone', reason: 'by hand' });
    await seconds(k, 200);
    assert.is(replicas(k), 8, 'held: the window keeps the count another writer set');
    assert.is(k.eventsOf('autoscale.scaled').length, 0);
    await seconds(k, 130);
    assert.is(replicas(k), 5);
    assert.equal(k.eventsOf('autoscale.scaled').map((e) => [e.data.from, e.data.to]), [[8, 5]]);
  } finally {
    await k.stop();
  }
});

it('a disabled autoscaler leaves the workload alone; a Pods metric (requests_per_second) works the same way', async () => {
  const k = await start({
    patterns: STEP,
    autoscale: {
      autoscalers: { web: { enabled: false, maxReplicas: 40, metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: 120 } } }] } },
    },
  });
  try {
    await seconds(k, 100);
    assert.is(replicas(k), WEB.replicas);
    assert.match(k.resolve('autoscale').get('web').lastReason!, 'disabled');
    k.resolve('autoscale').set('web', { maxReplicas: 40, metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: 120 } } }] });
    await seconds(k, 16);
    // 1,800 req/s over 5 instances = 360 each, target 120: 3 × 5 = 15 (not capped like CPU); the rate policies allow max(5 + 4, 2 × 5) = 10
    assert.is(replicas(k), 10);
    await seconds(k, 60);
    assert.is(replicas(k), 15);
  } finally {
    await k.stop();
  }
});

it.run();
