// KEDA's rules (keda.ts): activation above activationThreshold, scale from zero to 1 (or
// minReplicaCount), scale to zero after cooldownPeriod (300 s by default), idleReplicaCount,
// the HPA KEDA creates for 1 … N, and the simulated queue of a `queue` trigger.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TriggerSpec } from '../src/contract.js';
import { activity, hpaBounds, kedaStep, stepQueue, triggerMetric } from '../src/keda.js';

const q = (threshold = 5, activationThreshold = 0): TriggerSpec => ({ type: 'queue', queue: 'jobs', threshold, activationThreshold });
const spec = (over: { minReplicaCount?: number; cooldownPeriod?: number; idleReplicaCount?: number } = {}) => ({ minReplicaCount: 0, cooldownPeriod: 300, ...over });

const act = suite('keda: activation');

act('a trigger is active when its value is above activationThreshold (not at it); any trigger activates', () => {
  assert.equal(activity([q(5, 10)], [10]), { active: false, trigger: -1, value: undefined, error: false });
  assert.equal(activity([q(5, 10)], [11]), { active: true, trigger: 0, value: 11, error: false });
  assert.equal(activity([q(5, 0)], [0]).active, false); // default activationThreshold 0: any message activates
  assert.equal(activity([q(), q()], [0, 3]), { active: true, trigger: 1, value: 3, error: false });
});

act('a trigger without a value is not active; every trigger failing is an error (no scaling)', () => {
  assert.equal(activity([q(), q()], [undefined, 0]).error, false);
  assert.equal(activity([q(), q()], [undefined, undefined]).error, true);
  assert.equal(activity([], []).error, false);
  const step = kedaStep(spec(), { now: 0, current: 3, activity: activity([q()], [undefined]), lastActiveAt: undefined });
  assert.equal(step, { replicas: undefined, lastActiveAt: undefined, reason: 'no trigger could be read: not scaling' });
});

const exec = suite('keda: scale executor');
const on = (value = 7) => activity([q()], [value]);
const off = () => activity([q()], [0]);

exec('active at zero: scale to 1 (minReplicaCount 0) and remember the activity', () => {
  const s = kedaStep(spec(), { now: 1000, current: 0, activity: on(), lastActiveAt: undefined });
  assert.is(s.replicas, 1);
  assert.is(s.lastActiveAt, 1000);
  assert.match(s.reason, 'scale from 0 to 1');
});

exec('active at zero with minReplicaCount 2: scale to 2', () => {
  assert.is(kedaStep(spec({ minReplicaCount: 2 }), { now: 0, current: 0, activity: on(), lastActiveAt: undefined }).replicas, 2);
});

exec('active above zero: the HPA scales; only the last activity moves', () => {
  assert.equal(kedaStep(spec(), { now: 5000, current: 3, activity: on(9), lastActiveAt: 0 }), { replicas: undefined, lastActiveAt: 5000, reason: 'trigger 0 active (9)' });
});

exec('inactive with minReplicaCount 0: cooling down for cooldownPeriod, then scale to zero', () => {
  const s = spec();
  const cooling = kedaStep(s, { now: 200_000, current: 2, activity: off(), lastActiveAt: 0 });
  assert.is(cooling.replicas, undefined);
  assert.match(cooling.reason, 'cooling down (100 s left)');
  // exactly at lastActive + cooldown: still cooling (KEDA: lastActive + cooldown before now)
  assert.is(kedaStep(s, { now: 300_000, current: 2, activity: off(), lastActiveAt: 0 }).replicas, undefined);
  const zero = kedaStep(s, { now: 300_001, current: 2, activity: off(), lastActiveAt: 0 });
  assert.is(zero.replicas, 0);
  assert.match(zero.reason, 'scale to 0');
  // never active (scaled outside KEDA): at once
  assert.is(kedaStep(s, { now: 0, current: 2, activity: off(), lastActiveAt: undefined }).replicas, 0);
  // a custom cooldownPeriod
  assert.is(kedaStep(spec({ cooldownPeriod: 30 }), { now: 30_001, current: 1, activity: off(), lastActiveAt: 0 }).replicas, 0);
});

exec('inactive at zero: nothing to do', () => {
  assert.equal(kedaStep(spec(), { now: 0, current: 0, activity: off(), lastActiveAt: 0 }), { replicas: undefined, lastActiveAt: 0, reason: 'inactive' });
});

exec('inactive with minReplicaCount > 0: never to zero; below it, brought up to it', () => {
  assert.is(kedaStep(spec({ minReplicaCount: 2 }), { now: 1e9, current: 3, activity: off(), lastActiveAt: 0 }).replicas, undefined);
  const up = kedaStep(spec({ minReplicaCount: 2 }), { now: 0, current: 1, activity: off(), lastActiveAt: 0 });
  assert.is(up.replicas, 2);
  assert.match(up.reason, 'below minReplicaCount');
});

exec('idleReplicaCount: idle at that count (below minReplicaCount), active back to minReplicaCount', () => {
  const s = spec({ minReplicaCount: 3, idleReplicaCount: 1 });
  assert.is(kedaStep(s, { now: 400_000, current: 5, activity: off(), lastActiveAt: 0 }).replicas, 1);
  assert.is(kedaStep(s, { now: 400_000, current: 1, activity: off(), lastActiveAt: 0 }).replicas, undefined); // idle, below min: left
  assert.is(kedaStep(s, { now: 400_000, current: 1, activity: on(), lastActiveAt: 0 }).replicas, 3);
  assert.is(kedaStep(s, { now: 400_000, current: 4, activity: on(), lastActiveAt: 0 }).replicas, undefined);
});

exec('the HPA KEDA creates: minReplicas max(1, minReplicaCount); one External metric per trigger', () => {
  assert.equal(hpaBounds({ minReplicaCount: 0, maxReplicaCount: 10 }), { minReplicas: 1, maxReplicas: 10 });
  assert.equal(hpaBounds({ minReplicaCount: 4, maxReplicaCount: 10 }), { minReplicas: 4, maxReplicas: 10 });
  assert.equal(triggerMetric(q(5), 0), { type: 'External', external: { metric: { name: 'trigger:0' }, target: { type: 'AverageValue', averageValue: 5 } } });
  assert.equal(triggerMetric({ type: 'rate', threshold: 50, activationThreshold: 1 }, 1).external.target, { type: 'AverageValue', averageValue: 50 });
  const value: TriggerSpec = { type: 'metric', metric: { name: 'x' }, metricType: 'Value', threshold: 20, activationThreshold: 0 };
  assert.equal(triggerMetric(value, 2).external.target, { type: 'Value', value: 20 });
  const avg: TriggerSpec = { type: 'metric', metric: { name: 'x' }, metricType: 'AverageValue', threshold: 20, activationThreshold: 0 };
  assert.equal(triggerMetric(avg, 3).external.target, { type: 'AverageValue', averageValue: 20 });
});

const queue = suite('keda: simulated queue');

queue('length grows by arrivals less what the ready consumers take, never below zero', () => {
  const state = { length: 0, arrivalRps: 10, ratePerInstance: 4 };
  assert.is(stepQueue(state, 1000, 0), 10);
  assert.is(stepQueue(state, 1000, 2), 12);
  assert.is(stepQueue(state, 2000, 5), 0); // 12 + (10 − 20) × 2 = −8 → 0
  assert.is(state.length, 0);
});

act.run();
exec.run();
queue.run();
