// KEDA-style scaling on the real cluster: a queue trigger scales its consumer up while messages
// arrive, to zero once no trigger has been active for cooldownPeriod, and back from zero on the
// next activation; a rate trigger follows the service's demand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { replicas, seconds, start, svc } from './helpers.js';

const it = suite('autoscale: KEDA on the cluster');

const WORLD = {
  services: { web: svc(), worker: svc() },
  workloads: { worker: { replicas: 1, startupSeconds: 5, resources: { requests: { cpu: 250, memory: 128 }, limits: { cpu: 500, memory: 256 } } } },
  autoscale: {
    queues: { jobs: { consumer: 'worker', ratePerInstance: 10, arrivalRps: 30 } },
    autoscalers: { worker: { keda: { pollingInterval: 30, cooldownPeriod: 300, maxReplicaCount: 10, triggers: [{ type: 'queue', queue: 'jobs', threshold: 20 }] } } },
  },
};

it('a queue trigger: scaled up while messages arrive, to zero cooldownPeriod after the last activity, back from zero on activation', async () => {
  const k = await start(WORLD);
  const as = k.resolve('autoscale');
  try {
    await seconds(k, 120);
    assert.ok(replicas(k, 'worker') >= 3, `worker replicas ${replicas(k, 'worker')}`);
    assert.is(k.eventsOf('autoscale.activated').length, 1);
    assert.is(k.eventsOf('autoscale.activated')[0]!.data.trigger, 'trigger:0');
    const st = as.get('worker');
    assert.is(typeof st.metrics!['trigger:0'], 'number');
    // the consumers keep up: the queue is empty, so the trigger is inactive (KEDA's queue-length semantics)
    assert.is(as.queues()[0]!.length, 0);
    assert.is(st.active, false);
    // the messages stop: the queue drains, the trigger goes inactive
    as.setQueue('jobs', { arrivalRps: 0 });
    let zeroAt: number | undefined;
    for (let s = 0; s < 900 && zeroAt === undefined; s++) {
      await seconds(k, 1);
      if (replicas(k, 'worker') === 0) zeroAt = k.clock.now();
    }
    assert.ok(zeroAt !== undefined, 'scaled to zero');
    const lastActive = as.get('worker').lastActiveTime!;
    assert.ok(zeroAt! - lastActive > 300_000, `to zero ${(zeroAt! - lastActive) / 1000} s after the last activity`);
    assert.ok(zeroAt! - lastActive <= 330_000, 'at the first poll after the cooldown');
    const toZero = k.eventsOf('autoscale.scaled').at(-1)!.data;
    assert.is(toZero.to, 0);
    assert.match(toZero.reason, 'cooldownPeriod 300 s');
    assert.is(k.eventsOf('autoscale.deactivated').length, 1);
    assert.is(k.eventsOf('autoscale.deactivated')[0]!.data.idleSince, lastActive);
    // idle at zero: nothing happens
    await seconds(k, 120);
    assert.is(replicas(k, 'worker'), 0);
    // messages again: activated at the next poll, from zero to one, then the HPA part takes over
    as.setQueue('jobs', { arrivalRps: 15 });
    await seconds(k, 31);
    assert.is(replicas(k, 'worker'), 1);
    assert.is(k.eventsOf('autoscale.activated').length, 2);
    const fromZero = k.eventsOf('autoscale.scaled').at(-1)!.data;
    assert.equal([fromZero.from, fromZero.to], [0, 1]);
    await seconds(k, 90);
    assert.ok(replicas(k, 'worker') >= 2, 'the HPA part scales on the queue length');
    assert.ok(as.queues().find((q) => q.name === 'jobs')!.length >= 0);
  } finally {
    await k.stop();
  }
});

it('a rate trigger follows the demand of the service: ⌈rate / threshold⌉ instances', async () => {
  const k = await start({
    patterns: { load: { service: 'web', shape: { kind: 'constant', rps: 900 } } },
    autoscale: { autoscalers: { web: { keda: { pollingInterval: 15, minReplicaCount: 1, maxReplicaCount: 30, triggers: [{ type: 'rate', threshold: 100 }] } } } },
  });
  try {
    await seconds(k, 120);
    assert.is(replicas(k), 9);
    const st = k.resolve('autoscale').get('web');
    assert.is(st.metrics!['trigger:0'], 900);
    assert.is(st.spec.policy, 'keda');
  } finally {
    await k.stop();
  }
});

it.run();
