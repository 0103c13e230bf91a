// The controller's HPA and KEDA policies over hpa.ts and keda.ts, on hand-made inputs: each
// metric type proposes replicas from the instances or the fetched values, the largest wins,
// a missing metric blocks a scale down, behavior applies; KEDA activates every
// pollingInterval, scales from and to zero, and runs its HPA every syncPeriod in between.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeSpec, type SpecDefaults } from '../src/config.js';
import type { AutoscalerSpec, InstanceSample, PolicyInput } from '../src/contract.js';
import { createHpaPolicy, createKedaPolicy, metricName, proposalFor } from '../src/policies.js';

const it = suite('autoscale: policies');

const D: SpecDefaults = { syncPeriodSeconds: 15, tolerance: 0.1, followHealth: true, queues: new Set(['jobs']), policies: new Set(['hpa', 'keda', 'predictive']) };
const spec = (raw: Record<string, unknown>): AutoscalerSpec => normalizeSpec('web', raw, D);

const pod = (over: Partial<InstanceSample> = {}): InstanceSample => ({
  id: 'web-1',
  status: 'ready',
  cpu: 500,
  memoryMiB: 200,
  requests: { cpu: 1000, memory: 400 },
  rps: 100,
  utilisation: 0.5,
  missing: false,
  ...over,
});

function input(s: AutoscalerSpec, over: Partial<PolicyInput> = {}): PolicyInput {
  const instances = over.instances ?? [pod(), pod()];
  return {
    now: 0,
    current: instances.length,
    readyReplicas: instances.filter((i) => i.status === 'ready').length,
    demand: 200,
    instances,
    metrics: {},
    workload: { name: 'web', service: 'web', startupSeconds: 10, capacity: { concurrency: 10, serviceTimeMs: 50 }, requests: { cpu: 1000, memory: 400 } },
    spec: s,
    ...over,
  };
}

it('metric names, and each metric type proposes replicas', () => {
  const tol = { up: 0.1, down: 0.1 };
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 25 } } } as const;
  const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: 100 } } } as const;
  const rps = { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: 50 } } } as const;
  const util = { type: 'Pods', pods: { metric: { name: 'utilisation' }, target: { type: 'AverageValue', averageValue: 0.25 } } } as const;
  const value = { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: 10 } } } as const;
  const avg = { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: 10 } } } as const;
  assert.equal([cpu, mem, rps, util, value].map(metricName), ['cpu', 'memory', 'requests_per_second', 'utilisation', 'queue_depth']);
  const s = spec({});
  const i = input(s, { metrics: { 'external:0': 40 } });
  // cpu 50 % of request, target 25 → 2 × 2 = 4; memory 200 / 100 → 4; rps 100 / 50 → 4; utilisation 0.5 / 0.25 → 4
  for (const m of [cpu, mem, rps, util]) assert.is((proposalFor(m, 'x', i, tol) as { replicas: number }).replicas, 4, metricName(m));
  // External Value: 40 / 10 over 2 ready → 8; AverageValue: ⌈40 / 10⌉ = 4
  assert.is((proposalFor(value, 'external:0', i, tol) as { replicas: number }).replicas, 8);
  assert.is((proposalFor(avg, 'external:0', i, tol) as { replicas: number }).replicas, 4);
  assert.equal(proposalFor(value, 'external:1', i, tol), { error: 'metric missing' });
  // a missing sample: set aside (scale up: counted at 0)
  const one = input(s, { instances: [pod(), pod({ missing: true })] });
  assert.is((proposalFor(rps, 'x', one, tol) as { replicas: number }).replicas, 2);
});

it('the HPA policy: the largest proposal wins, behavior applies, a missing metric blocks a scale down', () => {
  const s = spec({
    minReplicas: 1,
    maxReplicas: 20,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: 25 } } },
    ],
  });
  const p = createHpaPolicy(s);
  assert.is(p.kind, 'hpa');
  assert.is(p.intervalMs(s), 15_000);
  // cpu at target (within tolerance: 2), rps 100 / 25 → 8: the rate policies allow max(2 + 4, 2 × 2) = 6
  const d = p.decide(input(s));
  assert.is(d.desired, 6);
  assert.match(d.reason, 'requests_per_second 100');
  assert.match(d.reason, 'ScaleUpLimit');
  assert.is((d.detail!.metrics as unknown[]).length, 2);
  p.scaled!(2, 6, 0);
  // 15 s later the limit counts from 6 again
  const later = p.decide(input(s, { now: 15_000, current: 6, instances: Array.from({ length: 6 }, () => pod({ rps: 100 })) }));
  assert.is(later.desired, 12, 'rps 100 / 25 × 6 = 24: the rate policies allow max(6 + 4, 2 × 6) = 12');
  p.scaled!(6, 12, 15_000);
  const most = p.decide(input(s, { now: 30_000, current: 12, instances: Array.from({ length: 12 }, () => pod({ rps: 100 })) }));
  assert.is(most.desired, 20, 'capped by maxReplicas');
  // no metric at all: nothing is decided
  const none = createHpaPolicy(spec({ metrics: [{ type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: 1 } } }] }));
  const n = none.decide(input(spec({ metrics: [{ type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: 1 } } }] })));
  assert.is(n.desired, undefined);
  assert.match(n.reason, 'no metric could be computed');
  // one missing, the other proposing a scale down: no scale down
  const mixed = spec({
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 90 } } },
      { type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: 1 } } },
    ],
  });
  const m = createHpaPolicy(mixed).decide(input(mixed, { instances: [pod({ cpu: 100 }), pod({ cpu: 100 })] }));
  assert.is(m.desired, undefined);
  assert.match(m.reason, 'a metric is missing');
});

it("the HPA policy holds another writer's replicas for the scale-down window", () => {
  const s = spec({ minReplicas: 1, metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: 100 } } }] });
  const p = createHpaPolicy(s);
  assert.is(p.decide(input(s)).desired, 2, 'at target');
  p.held(8, 1000);
  const eight = Array.from({ length: 8 }, () => pod({ rps: 25 }));
  const held = p.decide(input(s, { now: 15_000, current: 8, instances: eight }));
  assert.is(held.desired, 8);
  assert.match(held.reason, 'ScaleDownStabilized');
  assert.is(p.decide(input(s, { now: 302_000, current: 8, instances: eight })).desired, 2);
});

it('KEDA: polls every pollingInterval, from zero on activation, to zero after cooldownPeriod, the HPA part every syncPeriod', () => {
  const s = spec({ keda: { pollingInterval: 30, cooldownPeriod: 60, maxReplicaCount: 10, triggers: [{ type: 'queue', queue: 'jobs', threshold: 10 }] } });
  const p = createKedaPolicy(s);
  assert.is(p.kind, 'keda');
  assert.is(p.intervalMs(s), 15_000, 'the shorter of pollingInterval and syncPeriodSeconds');
  // at zero, active (50 > 0): scale to 1
  let d = p.decide(input(s, { now: 0, current: 0, instances: [], metrics: { 'trigger:0': 50 } }));
  assert.equal([d.desired, d.detail!.active, d.detail!.trigger, d.detail!.value], [1, true, 0, 50]);
  p.scaled!(0, 1, 0);
  // 15 s later: no poll due, the HPA part: ⌈50 / 10⌉ = 5 (rate policies: max(1 + 4, 2) = 5)
  d = p.decide(input(s, { now: 15_000, current: 1, instances: [pod()], metrics: { 'trigger:0': 50 } }));
  assert.is(d.desired, 5);
  assert.match(d.reason, 'trigger 0 active');
  p.scaled!(1, 5, 15_000);
  // inactive from 30 s: cooling down, the HPA part keeps min 1 … and its window
  d = p.decide(input(s, { now: 30_000, current: 5, instances: Array.from({ length: 5 }, () => pod()), metrics: { 'trigger:0': 0 } }));
  assert.is(d.detail!.active, false);
  assert.match(d.reason, 'inactive, cooling down');
  // a poll with every trigger failing changes nothing
  d = p.decide(input(s, { now: 60_000, current: 5, instances: Array.from({ length: 5 }, () => pod()), metrics: {} }));
  assert.match(d.reason, 'no trigger could be read');
  // 60 s after the last activity (at 15 s? no: the last active poll was at 0 s): to zero at the next poll
  d = p.decide(input(s, { now: 90_000, current: 5, instances: Array.from({ length: 5 }, () => pod()), metrics: { 'trigger:0': 0 } }));
  assert.equal([d.desired, d.detail!.lastActiveTime], [0, 0]);
  p.scaled!(5, 0, 90_000);
  // at zero, inactive, between polls: nothing
  d = p.decide(input(s, { now: 105_000, current: 0, instances: [], metrics: { 'trigger:0': 0 } }));
  assert.is(d.desired, undefined);
  p.held(3, 105_000);
});

it.run();
