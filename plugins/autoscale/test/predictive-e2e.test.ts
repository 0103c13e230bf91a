// The predictive policy on the real cluster: an hourly cycle of demand (200 → 2,000 req/s)
// that the policy knows from two past cycles (seedHistory) is met ahead of time — instances are
// started before the demand that needs them arrives, with the 60 s startup taken into account,
// so the service is never saturated on the way up; the HPA on the same world lags behind it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seconds, start, tickOf, WEB } from './helpers.js';

const it = suite('autoscale: predictive on the cluster');

const PERIOD = 3600;
const MIN = 200;
const MAX = 2000;
const diurnal = (c: number) => MIN + ((MAX - MIN) * (1 - Math.cos((2 * Math.PI * c) / PERIOD))) / 2;
/** Two past cycles in 60 s samples (the mean over each minute), ending where the run starts. */
const history = Array.from({ length: (2 * PERIOD) / 60 }, (_, k) => {
  let sum = 0;
  for (let s = 0; s < 60; s++) sum += diurnal(k * 60 + s);
  return sum / 60;
});

const world = (autoscaler: Record<string, unknown>) => ({
  patterns: { day: { service: 'web', shape: { kind: 'diurnal', min: MIN, max: MAX, periodSeconds: PERIOD, troughHour: 0 } } },
  workloads: { web: { ...WEB, replicas: 2, startupSeconds: 60 } },
  autoscale: { autoscalers: { web: autoscaler } },
});

const CPU60 = { minReplicas: 2, maxReplicas: 40, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] };

/** Seconds of the rising half-cycle in which the service was saturated (utilisation >= 1). */
async function risingHalf(k: Awaited<ReturnType<typeof start>>): Promise<{ saturated: number; peakUtilisation: number }> {
  let saturated = 0;
  let peak = 0;
  for (let s = 0; s < PERIOD / 2; s++) {
    await seconds(k, 1);
    const u = tickOf(k).utilisation;
    if (u >= 1) saturated++;
    peak = Math.max(peak, u);
  }
  return { saturated, peakUtilisation: peak };
}

it('scales ahead of a known cycle: never saturated on the way up; each scale-up starts instances the demand of now does not need yet', async () => {
  const k = await start(world({ policy: 'predictive', minReplicas: 2, maxReplicas: 40, predictive: { sampleSeconds: 60, seasonSeconds: PERIOD, targetUtilisation: 0.6, marginSeconds: 30, seedHistory: history } }));
  try {
    const r = await risingHalf(k);
    assert.is(r.saturated, 0, 'never saturated');
    assert.ok(r.peakUtilisation < 0.8, `peak utilisation ${r.peakUtilisation}`);
    const ups = k.eventsOf('autoscale.scaled').filter((e) => e.data.to > e.data.from);
    assert.ok(ups.length >= 3, `${ups.length} scale-ups`);
    // ahead: at each scale-up, the replicas it had could still serve the demand of now at the target
    const points = k.resolve('autoscale').history('web');
    const ahead = ups.filter((e) => {
      const p = points.find((h) => h.at === e.at)!;
      return p.demand / 120 <= e.data.from;
    });
    assert.ok(ahead.length >= ups.length - 1, `${ahead.length} of ${ups.length} scale-ups ahead of the demand`);
    assert.match(ups[0]!.data.reason, 'forecast');
    assert.is(ups[0]!.data.policy, 'predictive');
    const detail = k.resolve('autoscale').get('web').detail as { method: string; leadSeconds: number };
    assert.is(detail.method, 'holt-winters');
    assert.is(detail.leadSeconds, 90, 'startup 60 s + margin 30 s');
  } finally {
    await k.stop();
  }
});

it('the HPA on the same cycle reacts to it instead: it runs hotter on the way up', async () => {
  const k = await start(world(CPU60));
  try {
    const hpa = await risingHalf(k);
    const p = await start(world({ policy: 'predictive', minReplicas: 2, maxReplicas: 40, predictive: { sampleSeconds: 60, seasonSeconds: PERIOD, targetUtilisation: 0.6, marginSeconds: 30, seedHistory: history } }));
    try {
      const pred = await risingHalf(p);
      assert.ok(hpa.peakUtilisation > pred.peakUtilisation, `HPA peak ${hpa.peakUtilisation} vs predictive ${pred.peakUtilisation}`);
    } finally {
      await p.stop();
    }
  } finally {
    await k.stop();
  }
});

it.run();
