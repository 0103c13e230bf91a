// The HorizontalPodAutoscaler's arithmetic (hpa.ts), each rule with the numbers of the
// Kubernetes documentation's examples ("Horizontal Pod Autoscaling": algorithm details,
// scaling policies, stabilization window, default behavior, the behavior examples) and the
// controller's source where the documentation gives no numbers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Behavior, ScalingRules } from '../src/contract.js';
import {
  averageValueReplicas,
  combine,
  decide,
  defaultRules,
  isError,
  limitRate,
  newHpaState,
  perPodReplicas,
  recordScale,
  scaleDownLimit,
  scaleUpLimit,
  stabilize,
  valueReplicas,
  withinTolerance,
  type PodValue,
  type Proposal,
  type ProposalResult,
} from '../src/hpa.js';

const T = { up: 0.1, down: 0.1 };
const ok = (r: ProposalResult): Proposal => {
  if (isError(r)) throw new Error(r.error);
  return r;
};
const pods = (values: Array<number | undefined>, status: PodValue['status'] = 'ready', request = 100): PodValue[] => values.map((value) => ({ status, value, request }));
const behavior = (up: Partial<ScalingRules> = {}, down: Partial<ScalingRules> = {}): Behavior => ({
  scaleUp: { ...defaultRules('scaleUp'), ...up },
  scaleDown: { ...defaultRules('scaleDown'), ...down },
});

const algo = suite('hpa: algorithm details');

algo('desiredReplicas = ceil(currentReplicas × currentMetric / desiredMetric): 200m of 100m doubles 1 replica', () => {
  const r = ok(perPodReplicas(1, pods([200]), { type: 'AverageValue', averageValue: 100 }, T, false));
  assert.is(r.ratio, 2);
  assert.is(r.replicas, 2);
  assert.is(r.usage, 200);
});

algo('50m of 100m halves the replicas (4 → 2)', () => {
  const r = ok(perPodReplicas(4, pods([50, 50, 50, 50]), { type: 'AverageValue', averageValue: 100 }, T, false));
  assert.is(r.ratio, 0.5);
  assert.is(r.replicas, 2);
});

algo('the tolerance example: 50 replicas at 90% of a 75% CPU target → 60', () => {
  const r = ok(perPodReplicas(50, pods(Array(50).fill(90)), { type: 'Utilization', averageUtilization: 75 }, T, true));
  assert.is(r.usage, 90);
  assert.is(r.replicas, 60);
});

algo('within tolerance 0.1 (ratio in [0.9, 1.1], bounds included) nothing changes; just outside it scales', () => {
  const target = { type: 'Utilization' as const, averageUtilization: 50 };
  assert.is(ok(perPodReplicas(4, pods([55, 55, 55, 55]), target, T, true)).replicas, 4); // 1.1
  assert.is(ok(perPodReplicas(4, pods([45, 45, 45, 45]), target, T, true)).replicas, 4); // 0.9
  assert.is(ok(perPodReplicas(4, pods([56, 56, 56, 56]), target, T, true)).replicas, 5); // 1.12 → ceil(4.48)
  assert.is(ok(perPodReplicas(4, pods([44, 44, 44, 44]), target, T, true)).replicas, 4); // 0.88 → ceil(3.52) = 4
  assert.is(ok(perPodReplicas(4, pods([40, 40, 40, 40]), target, T, true)).replicas, 4); // 0.8 → ceil(3.2) = 4
  assert.is(ok(perPodReplicas(4, pods([37, 37, 37, 37]), target, T, true)).replicas, 3); // 0.74 → ceil(2.96)
  assert.ok(withinTolerance(1.1, T));
  assert.ok(withinTolerance(0.9, T));
  assert.not.ok(withinTolerance(1.11, T));
});

algo('configurable tolerance per direction: 100Mi target, 5% down and 1% up → scales above 101Mi, below 95Mi', () => {
  const t = { up: 0.01, down: 0.05 };
  const target = { type: 'AverageValue' as const, averageValue: 100 };
  assert.is(ok(perPodReplicas(10, pods(Array(10).fill(101)), target, t, false)).replicas, 10);
  assert.is(ok(perPodReplicas(10, pods(Array(10).fill(102)), target, t, false)).replicas, 11); // 10.2 → 11
  assert.is(ok(perPodReplicas(10, pods(Array(10).fill(95)), target, t, false)).replicas, 10);
  assert.is(ok(perPodReplicas(10, pods(Array(10).fill(94)), target, t, false)).replicas, 10); // ceil(9.4) = 10
  assert.is(ok(perPodReplicas(10, pods(Array(10).fill(89)), target, t, false)).replicas, 9); // ceil(8.9)
});

algo('utilisation is a percent of the requests, truncated to an integer as Kubernetes computes it', () => {
  // 3 instances using 150m, 150m, 151m of 100m requests: (451 × 100) / 300 = 150.33 → 150 %
  const r = ok(perPodReplicas(3, [150, 150, 151].map((value) => ({ status: 'ready' as const, value, request: 100 })), { type: 'Utilization', averageUtilization: 50 }, T, true));
  assert.is(r.usage, 150);
  assert.is(r.replicas, 9);
});

algo('ignored instances (pending, failed, leaving) are left out; none at all or no ready metrics is an error', () => {
  const target = { type: 'AverageValue' as const, averageValue: 100 };
  const r = ok(perPodReplicas(3, [...pods([200, 200]), ...pods([0], 'ignored')], target, T, false));
  assert.is(r.replicas, 4); // ceil(2 × 2 counted)
  assert.match((perPodReplicas(0, [], target, T, false) as { error: string }).error, 'no instances');
  assert.match((perPodReplicas(2, pods([undefined, undefined]), target, T, false) as { error: string }).error, 'no metrics for ready instances');
  assert.match((perPodReplicas(2, pods([5], 'unready'), target, T, true) as { error: string }).error, 'no metrics for ready instances');
  const noRequest = perPodReplicas(1, pods([50], 'ready', 0), { type: 'Utilization', averageUtilization: 50 }, T, true);
  assert.match((noRequest as { error: string }).error, 'missing resource request');
});

algo('missing metrics count as 100% of the target when scaling down, 0% when scaling up', () => {
  const target = { type: 'AverageValue' as const, averageValue: 100 };
  // scale down: 2 ready at 50, 2 missing counted at 100 → average 75 → ratio 0.75 → ceil(3) = 3
  const down = ok(perPodReplicas(4, pods([50, 50, undefined, undefined]), target, T, false));
  assert.is(down.ratio, 0.5); // reported without the missing ones
  assert.is(down.replicas, 3);
  // scale up: 2 ready at 300, 2 missing at 0 → average 150 → ceil(1.5 × 4) = 6
  const up = ok(perPodReplicas(4, pods([300, 300, undefined, undefined]), target, T, false));
  assert.is(up.replicas, 6);
  // utilisation: a missing instance on a scale down counts as max(100 %, target) of its request
  const util = ok(perPodReplicas(2, [{ status: 'ready', value: 10, request: 100 }, { status: 'ready', value: undefined, request: 100 }], { type: 'Utilization', averageUtilization: 150 }, T, true));
  // (10 + 150) × 100 / 200 = 80 % → 80 / 150 = 0.533 → ceil(1.07) = 2: stays
  assert.is(util.replicas, 2);
  const util2 = ok(perPodReplicas(4, [{ status: 'ready', value: 10, request: 100 }, { status: 'ready', value: 10, request: 100 }, { status: 'ready', value: 10, request: 100 }, { status: 'ready', value: undefined, request: 100 }], { type: 'Utilization', averageUtilization: 50 }, T, true));
  // (30 + 100) × 100 / 400 = 32 % → 0.64 → ceil(2.56) = 3
  assert.is(util2.replicas, 3);
});

algo('missing metrics that bring the ratio within tolerance or reverse the direction: no change', () => {
  const target = { type: 'AverageValue' as const, averageValue: 100 };
  // 1 ready at 130 (up), 3 missing at 0 → 32.5 → ratio < 1 reverses the direction
  assert.is(ok(perPodReplicas(4, pods([130, undefined, undefined, undefined]), target, T, false)).replicas, 4);
  // 3 ready at 80 (down), 1 missing at 100 → 85: still down, ceil(0.85 × 4) = 4 — no change
  assert.is(ok(perPodReplicas(4, pods([80, 80, 80, undefined]), target, T, false)).replicas, 4);
  // 1 ready at 70, 1 missing at 100 → 85 → ceil(1.7) = 2 = current
  assert.is(ok(perPodReplicas(2, pods([70, undefined]), target, T, false)).replicas, 2);
  // ratio exactly 1 with a missing instance: missing left out, within tolerance
  const exact = ok(perPodReplicas(2, pods([100, undefined]), target, { up: 0, down: 0 }, false));
  assert.is(exact.replicas, 2);
  assert.match(exact.reason, 'within tolerance');
});

algo('a count that would reverse the direction is no change (fewer instances counted than replicas)', () => {
  const target = { type: 'AverageValue' as const, averageValue: 100 };
  // current 10 but only 2 ready at 150 + 1 missing at 0: ratio 1 → 300/3 = 100 ... use 200: (400+0)/3 = 133 → ceil(1.33 × 3) = 4 < 10
  const r = ok(perPodReplicas(10, pods([200, 200, undefined]), target, T, false));
  assert.is(r.replicas, 10);
  assert.match(r.reason, 'reverse the direction');
  // and the other way: current 1, 3 counted at 50, 50 + missing at 100 → 66.7 → ceil(2) = 2 > 1
  const r2 = ok(perPodReplicas(1, pods([50, 50, undefined]), target, T, false));
  assert.is(r2.replicas, 1);
});

algo('not-yet-ready instances count as 0% on a scale up (CPU); on a scale down they are left out', () => {
  const cpu = { type: 'Utilization' as const, averageUtilization: 50 };
  // 2 ready at 150 %, 2 starting: (300 + 0 + 0) / 4 = 75 % → 1.5 → ceil(6) = 6 (9 without the unready)
  const up = ok(perPodReplicas(4, [...pods([150, 150]), ...pods([0, 0], 'unready')], cpu, T, true));
  assert.is(up.replicas, 6);
  assert.is(up.usage, 150); // reported without them
  // scale down: unready left out: 2 ready at 20 % → 0.4 → ceil(0.8) = 1
  assert.is(ok(perPodReplicas(4, [...pods([20, 20]), ...pods([0, 0], 'unready')], cpu, T, true)).replicas, 1);
  // unready making it fall within tolerance: 1 ready at 60 %, 1 unready: 30 % → reversed → no change
  assert.is(ok(perPodReplicas(2, [...pods([60]), ...pods([0], 'unready')], cpu, T, true)).replicas, 2);
  // not readiness-aware (memory, Pods metrics): unready instances count as they are
  assert.is(ok(perPodReplicas(4, [...pods([150, 150]), ...pods([150, 150], 'unready')], cpu, T, false)).replicas, 12);
});

algo('External / Object metrics with a Value target: ceil(ratio × ready), from zero ceil(ratio)', () => {
  assert.is(ok(valueReplicas(3, 3, 300, 100, T)).replicas, 9);
  assert.is(ok(valueReplicas(3, 2, 300, 100, T)).replicas, 6); // ready instances, not replicas
  assert.is(ok(valueReplicas(3, 3, 105, 100, T)).replicas, 3);
  assert.is(ok(valueReplicas(0, 0, 250, 100, T)).replicas, 3);
  assert.match((valueReplicas(1, 1, undefined, 100, T) as { error: string }).error, 'missing');
});

algo('External metrics with an AverageValue target (KEDA): ceil(value / target) outside tolerance', () => {
  assert.is(ok(averageValueReplicas(2, 1000, 100, T)).replicas, 10);
  const stay = ok(averageValueReplicas(2, 210, 100, T));
  assert.is(stay.replicas, 2);
  assert.is(stay.usage, 105);
  assert.is(ok(averageValueReplicas(0, 30, 10, T)).replicas, 3);
  assert.is(ok(averageValueReplicas(0, 30, 10, T)).usage, 30);
  assert.match((averageValueReplicas(1, undefined, 100, T) as { error: string }).error, 'missing');
});

algo('several metrics: the largest proposal; a missing one blocks a scale down but not a scale up', () => {
  const p = (replicas: number): ProposalResult => ({ replicas, ratio: 1, usage: 1, reason: '' });
  assert.equal(combine(4, [p(3), p(7), p(5)]), { replicas: 7, index: 1 });
  assert.equal(combine(4, [{ error: 'a' }, p(6)]), { replicas: 6, index: 1 });
  assert.match((combine(4, [p(2), { error: 'a' }, { error: 'b' }]) as { error: string }).error, 'a metric is missing (a)');
  assert.match((combine(4, [{ error: 'x' }]) as { error: string }).error, 'no metric could be computed: x');
  assert.match((combine(4, []) as { error: string }).error, 'no metrics');
});

const beh = suite('hpa: behavior');

algo('defaults: scale up 4 pods or 100% per 15 s (Max), no stabilization; scale down 100% per 15 s, 300 s window', () => {
  const up = defaultRules('scaleUp');
  assert.equal(up.policies, [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]);
  assert.is(up.stabilizationWindowSeconds, 0);
  const down = defaultRules('scaleDown');
  assert.is(down.stabilizationWindowSeconds, 300);
  assert.equal(down.policies, [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  assert.is(down.selectPolicy, 'Max');
  assert.is(defaultRules('scaleUp', 0.05).tolerance, 0.05);
});

beh('default scale up from 1 to 20: 1 → 5 (4 pods beats 100%) → 10 (100% beats 4 pods) → 20, one step per 15 s', () => {
  const s = newHpaState();
  const b = behavior();
  let current = 1;
  const steps: number[] = [];
  for (let t = 0; t <= 45_000; t += 15_000) {
    const d = decide(s, { now: t, current, proposal: 20, minReplicas: 1, maxReplicas: 100, behavior: b })!;
    recordScale(s, b, t, current, d.desired);
    current = d.desired;
    steps.push(current);
  }
  assert.equal(steps, [5, 10, 20, 20]);
});

beh('within one period the added replicas count against the policy (no second step before 15 s)', () => {
  const s = newHpaState();
  const b = behavior();
  recordScale(s, b, 0, 1, 5);
  assert.is(scaleUpLimit(s, 10_000, 5, b.scaleUp), 5); // start of period 1: max(1 + 4, 2) = 5
  assert.is(scaleUpLimit(s, 15_000, 5, b.scaleUp), 10); // the event left the period
});

beh('scale down with Pods 4 and Percent 10 per 60 s (Max): 80 → 72 → 64 → 57 …; at 40 or fewer, 4 at a time', () => {
  const b = behavior({}, { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] });
  const s = newHpaState();
  let current = 80;
  const steps: number[] = [];
  for (let t = 0; current > 10; t += 60_000) {
    const d = decide(s, { now: t, current, proposal: 10, minReplicas: 1, maxReplicas: 100, behavior: b })!;
    recordScale(s, b, t, current, d.desired);
    current = d.desired;
    steps.push(current);
  }
  assert.equal(steps, [72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10]);
});

beh('a second evaluation within the period removes nothing more (the 8 removed count against it)', () => {
  const b = behavior({}, { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] });
  const s = newHpaState();
  recordScale(s, b, 0, 80, 72);
  assert.is(scaleDownLimit(s, 15_000, 72, b.scaleDown), 72);
  assert.is(limitRate(s, 15_000, 72, 10, 1, 100, b).replicas, 72);
});

beh('limit scale down to 10% per minute, and to 5 pods with selectPolicy Min', () => {
  const tenPercent = behavior({}, { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] });
  assert.is(scaleDownLimit(newHpaState(), 0, 100, tenPercent.scaleDown), 90);
  const min = behavior({}, { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 5, periodSeconds: 60 }] });
  assert.is(scaleDownLimit(newHpaState(), 0, 100, min.scaleDown), 95); // 10 % would be 10 pods: at most 5
  assert.is(scaleDownLimit(newHpaState(), 0, 40, min.scaleDown), 36); // 4 < 5 pods
});

beh('selectPolicy Min on scale up takes the smallest change; Disabled stops that direction', () => {
  const min = behavior({ selectPolicy: 'Min' });
  assert.is(scaleUpLimit(newHpaState(), 0, 10, min.scaleUp), 14); // 4 pods < 100 %
  const off = behavior({ selectPolicy: 'Disabled' }, { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 });
  assert.is(scaleUpLimit(newHpaState(), 0, 10, off.scaleUp), 10);
  assert.is(scaleDownLimit(newHpaState(), 0, 10, off.scaleDown), 10);
  const s = newHpaState();
  assert.equal(decide(s, { now: 0, current: 10, proposal: 3, minReplicas: 1, maxReplicas: 20, behavior: off }), { desired: 10, reason: 'ScaleDownLimit: the desired replica count is decreasing faster than the maximum scale rate' });
  assert.is(decide(s, { now: 1000, current: 10, proposal: 30, minReplicas: 1, maxReplicas: 20, behavior: off })!.desired, 10);
});

beh('a Percent scale up rounds up so that a scale up always adds one; a Percent scale down truncates', () => {
  const b = behavior({ policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] }, { policies: [{ type: 'Percent', value: 150, periodSeconds: 60 }] });
  assert.is(scaleUpLimit(newHpaState(), 0, 3, b.scaleUp), 4); // ceil(3.3)
  assert.is(scaleDownLimit(newHpaState(), 0, 3, b.scaleDown), -1); // trunc(−1.5) = −1 (toward zero, as Go's int32())
  assert.is(limitRate(newHpaState(), 0, 3, 0, 1, 10, b).replicas, 1); // minReplicas still holds
});

beh('scale-down stabilization (300 s): the highest recommendation of the window', () => {
  const b = behavior();
  const s = newHpaState();
  // first evaluation records the current replicas (10): no scale down before the window passed
  assert.is(decide(s, { now: 0, current: 10, proposal: 4, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 10);
  assert.is(decide(s, { now: 60_000, current: 10, proposal: 6, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 10);
  assert.match(stabilize(s, 120_000, 10, 5, b).reason, 'ScaleDownStabilized');
  // at 300 s the initial 10 (t = 0) leaves the window: the highest left is 6 (t = 60 s)
  assert.is(decide(s, { now: 300_000, current: 10, proposal: 5, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 6);
  // at 360 s the 6 leaves: 5
  assert.is(decide(s, { now: 360_000, current: 6, proposal: 5, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 5);
  // a scale up is not delayed by the scale-down window
  assert.is(decide(s, { now: 375_000, current: 5, proposal: 8, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 8);
});

beh('change the downscale stabilization window to 60 s', () => {
  const b = behavior({}, { stabilizationWindowSeconds: 60 });
  const s = newHpaState();
  assert.is(decide(s, { now: 0, current: 10, proposal: 4, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 10);
  assert.is(decide(s, { now: 60_000, current: 10, proposal: 4, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 4);
});

beh('scale-up stabilization: the lowest recommendation of the window', () => {
  const b = behavior({ stabilizationWindowSeconds: 60 });
  const s = newHpaState();
  const first = decide(s, { now: 0, current: 2, proposal: 8, minReplicas: 1, maxReplicas: 20, behavior: b })!;
  assert.is(first.desired, 2); // the window holds the initial 2
  assert.match(first.reason, 'ScaleUpStabilized');
  assert.is(decide(s, { now: 30_000, current: 2, proposal: 6, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 2);
  assert.is(decide(s, { now: 60_000, current: 2, proposal: 9, minReplicas: 1, maxReplicas: 20, behavior: b })!.desired, 6); // 8 (t=0) left, lowest of 6, 9
  assert.equal(stabilize(newHpaState(), 0, 3, 3, b), { replicas: 3, reason: 'recommendation stable' });
});

beh('min/max replicas: a proposal beyond them is clamped; replicas already outside are brought in at once', () => {
  const b = behavior();
  assert.equal(decide(newHpaState(), { now: 0, current: 4, proposal: 9, minReplicas: 1, maxReplicas: 6, behavior: b }), {
    desired: 6,
    reason: 'TooManyReplicas: the desired replica count is more than the maximum replica count',
  });
  assert.equal(decide(newHpaState(), { now: 0, current: 4, proposal: 1, minReplicas: 3, maxReplicas: 6, behavior: behavior({}, { stabilizationWindowSeconds: 0 }) }), {
    desired: 3,
    reason: 'TooFewReplicas: the desired replica count is less than the minimum replica count',
  });
  assert.equal(decide(newHpaState(), { now: 0, current: 9, proposal: 9, minReplicas: 1, maxReplicas: 6, behavior: b }), { desired: 6, reason: 'Current number of replicas above maxReplicas' });
  assert.equal(decide(newHpaState(), { now: 0, current: 1, proposal: 1, minReplicas: 2, maxReplicas: 6, behavior: b }), { desired: 2, reason: 'Current number of replicas below minReplicas' });
  assert.equal(decide(newHpaState(), { now: 0, current: 0, proposal: 5, minReplicas: 2, maxReplicas: 6, behavior: b }), { desired: 0, reason: 'ScalingDisabled: scaled to zero' });
  assert.is(decide(newHpaState(), { now: 0, current: 3, proposal: undefined, minReplicas: 1, maxReplicas: 6, behavior: b }), undefined);
  assert.equal(decide(newHpaState(), { now: 0, current: 3, proposal: 3, minReplicas: 1, maxReplicas: 6, behavior: b }), { desired: 3, reason: 'recommendation stable' });
});

beh('scale events: no change is not an event; old events are forgotten past the longest period', () => {
  const b = behavior();
  const s = newHpaState();
  recordScale(s, b, 0, 3, 3);
  assert.is(s.upEvents.length + s.downEvents.length, 0);
  recordScale(s, b, 0, 3, 5);
  recordScale(s, b, 20_000, 5, 7);
  assert.equal(s.upEvents, [{ at: 20_000, change: 2 }]);
  recordScale(s, b, 30_000, 7, 2);
  assert.equal(s.downEvents, [{ at: 30_000, change: 5 }]);
  // a scale-up limit counts what was removed in the period as well: start = 2 + 5 = 7 → 14
  assert.is(scaleUpLimit(s, 35_000, 2, b.scaleUp), 14);
});

algo.run();
beh.run();
