// Health's planner asks for replicas (health.action requestReplicas) when a service is
// overloaded: an autoscaler that follows health raises them at once (within maxReplicas), and
// its scale-down window holds them; one that does not follow health leaves them to its metrics.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import health from '@understudy/plugin-health';
import { definePlugin } from '@understudy/plugin-sdk';
import { replicas, seconds, start, svc } from './helpers.js';

const it = suite('autoscale: following health');

// api: 2 replicas × 200 req/s at utilisation 1 (2 servers / 10 ms); a 6× step of 100 req/s overloads it; health asks for 600 / 160 → 4
const world = (autoscaler: Record<string, unknown>) => ({
  services: { api: svc() },
  workloads: { api: { replicas: 2, capacity: { concurrency: 2, serviceTimeMs: 10 }, memory: { baseMiB: 64, perInflightMiB: 0 } } },
  patterns: { load: { service: 'api', shape: { kind: 'step', rps: 100, factor: 6, atSeconds: 5, durationSeconds: 60 } } },
  // a slow HPA, so that what changes the replicas here is health's request
  autoscale: { autoscalers: { api: { minReplicas: 2, maxReplicas: 10, syncPeriodSeconds: 600, ...autoscaler } } },
  extra: [health],
});

it('requestReplicas is answered: raised to what health asks, with the reason', async () => {
  const k = await start(world({}));
  try {
    await seconds(k, 10);
    const asked = k.eventsOf('health.action').find((e) => e.data.action === 'requestReplicas');
    assert.ok(asked, 'health asked for replicas');
    assert.is(replicas(k, 'api'), 4);
    const scaled = k.eventsOf('autoscale.scaled')[0]!.data;
    assert.equal([scaled.from, scaled.to, scaled.policy], [2, 4, 'health']);
    assert.match(scaled.reason, 'health requested 4 replicas');
    const st = k.resolve('autoscale').get('api');
    assert.equal([st.desiredReplicas, st.currentReplicas], [4, 4]);
    assert.match(st.lastReason!, 'health requested');
    assert.is(k.resolve('autoscale').history('api').at(-1)!.desired, 4);
  } finally {
    await k.stop();
  }
});

it('within maxReplicas; and an autoscaler with followHealth false leaves it alone', async () => {
  const capped = await start(world({ maxReplicas: 3 }));
  try {
    await seconds(capped, 10);
    assert.is(replicas(capped, 'api'), 3);
    assert.match(capped.eventsOf('autoscale.scaled')[0]!.data.reason, 'maxReplicas 3');
  } finally {
    await capped.stop();
  }
  const k = await start(world({ followHealth: false }));
  try {
    await seconds(k, 10);
    assert.ok(k.eventsOf('health.action').some((e) => e.data.action === 'requestReplicas'));
    assert.is(replicas(k, 'api'), 2);
    assert.is(k.eventsOf('autoscale.scaled').length, 0);
  } finally {
    await k.stop();
  }
});

it('without a replicas field (an older health), the count is read from the message; never lowered; other actions and services ignored', async () => {
  let emit: (data: { action: string; target: string; message: string; replicas?: number }) => void = () => {};
  const oldHealth = definePlugin({
    name: 'old-health',
    register(ctx) {
      emit = (data) => void ctx.events.emit('health.action', data);
    },
  });
  const w = world({});
  const k = await start({ ...w, extra: [oldHealth] });
  try {
    emit({ action: 'requestReplicas', target: 'api', message: 'api needs 7 replicas for 900.0 req/s (has 2)' });
    assert.is(replicas(k, 'api'), 7);
    emit({ action: 'requestReplicas', target: 'api', message: 'api needs 3 replicas' });
    assert.is(replicas(k, 'api'), 7, 'never lowered');
    emit({ action: 'requestReplicas', target: 'api', message: 'no count here' });
    emit({ action: 'restart', target: 'api-1', message: 'restart' });
    emit({ action: 'requestReplicas', target: 'nobody', message: 'nobody needs 3 replicas', replicas: 3 });
    assert.is(k.eventsOf('autoscale.scaled').length, 1);
  } finally {
    await k.stop();
  }
});

it.run();
