// Capacity planning on a small cluster worked out by hand: three zones of two 4-core nodes,
// `web` (6 × 1 core) and `db` (3 × 2 cores) growing 10 % a month — when each zone and the
// whole cluster run out, the nodes to add and the cost at each step, the continuous estimate,
// and bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { capacityProblems, planCapacity, type CapacityNode, type CapacityWorkload } from '../src/capacity.js';

const it = suite('autoscale: capacity planning');

const close = (actual: number, expected: number, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

const node = (name: string, zone: string, over: Partial<CapacityNode> = {}): CapacityNode => ({
  name,
  zone,
  cpu: 4000,
  memory: 16384,
  instanceType: 'm5.xlarge',
  pricePerHour: 0.2,
  interruptible: false,
  ...over,
});
const nodes = ['a', 'b', 'c'].flatMap((z) => [node(`${z}1`, `zone-${z}`), node(`${z}2`, `zone-${z}`)]);
const workloads: CapacityWorkload[] = [
  { name: 'web', replicas: 6, requests: { cpu: 1000, memory: 1024 } },
  { name: 'db', replicas: 3, requests: { cpu: 2000, memory: 4096 } },
];

it('10 % a month: zone-a runs out in month 8 (its share gets the remainder first), the others in month 9', () => {
  const plan = planCapacity(nodes, workloads, { growthPerMonth: 0.1, months: 10 });
  assert.is(plan.steps.length, 11);
  const s0 = plan.steps[0]!;
  assert.equal(s0.replicas, { web: 6, db: 3 });
  assert.equal(s0.requested, { cpu: 12_000, memory: 18_432 });
  assert.equal(s0.capacity, { cpu: 24_000, memory: 98_304 });
  assert.equal(s0.zones['zone-a'], {
    nodes: 2,
    instances: 3,
    requested: { cpu: 4000, memory: 6144 },
    capacity: { cpu: 8000, memory: 32_768 },
    fits: true,
    unplaced: 0,
    nodesToAdd: 0,
  });
  close(s0.costPerHour, 1.2);
  close(s0.costPerMonth, 1.2 * 730);
  // month 1: ⌈6.6⌉ = 7 web, ⌈3.3⌉ = 4 db; zone-a takes 3 web and 2 db = 7 cores, packed db+db | web×3
  assert.equal(plan.steps[1]!.replicas, { web: 7, db: 4 });
  assert.ok(plan.steps[1]!.zones['zone-a']!.fits);
  // month 7: 1.1^7 = 1.9487 → 12 web, 6 db: 4 web + 2 db per zone, exactly 8 cores each: still fits
  const s7 = plan.steps[7]!;
  assert.equal(s7.replicas, { web: 12, db: 6 });
  assert.ok(s7.fits);
  assert.equal(s7.requested.cpu, 24_000);
  // month 8: 13 web, 7 db → zone-a 5 web + 3 db = 11 cores on two 4-core nodes: 3 web left, one node added
  const s8 = plan.steps[8]!;
  assert.equal(s8.replicas, { web: 13, db: 7 });
  assert.equal(s8.zones['zone-a']!.unplaced, 3);
  assert.is(s8.zones['zone-a']!.nodesToAdd, 1);
  assert.ok(s8.zones['zone-b']!.fits);
  assert.not.ok(s8.fits); // 27 cores on 24
  assert.is(s8.nodesToAdd, 1);
  close(s8.costPerHour, 1.4);
  assert.equal(plan.runsOut, { total: 8, zones: { 'zone-a': 8, 'zone-b': 9, 'zone-c': 9 } });
  // continuous estimate: CPU 12 of 24 cores → ln 2 / ln 1.1; memory 18,432 of 98,304 MiB
  close(plan.estimate.cpuMonths!, Math.log(2) / Math.log(1.1));
  close(plan.estimate.memoryMonths!, Math.log(98_304 / 18_432) / Math.log(1.1));
  assert.equal(plan.notes, []);
  // deterministic
  assert.equal(planCapacity(nodes, workloads, { growthPerMonth: 0.1, months: 10 }), plan);
});

it('steps, no growth, a cordoned node, and an instance no node can hold', () => {
  const flat = planCapacity(nodes, workloads, { growthPerMonth: 0, months: 12, stepMonths: 6 });
  assert.equal(flat.steps.map((s) => s.month), [0, 6, 12]);
  assert.equal(flat.runsOut.total, null);
  assert.equal(flat.estimate, { cpuMonths: null, memoryMonths: null });
  // a cordoned node takes nothing (but is still paid for): zone-a has one 4-core node, and is
  // last in line for a remainder (the zones with more CPU take it first)
  const cordoned = nodes.map((n) => (n.name === 'a2' ? { ...n, schedulable: false } : n));
  const c = planCapacity(cordoned, workloads, { growthPerMonth: 0.1, months: 4 });
  assert.equal(c.steps[0]!.zones['zone-a']!.capacity, { cpu: 4000, memory: 16_384 });
  assert.ok(c.steps[3]!.zones['zone-a']!.fits); // 8 web, 4 db: zone-a 2 web + 1 db = 4 cores
  assert.equal(c.steps[1]!.zones['zone-b']!.instances, 5); // 7 web, 4 db: zone-b 3 + 2
  assert.not.ok(c.steps[4]!.zones['zone-a']!.fits); // 9 web, 5 db: 3 web + 1 db = 5 cores
  assert.is(c.runsOut.zones['zone-a'], 4);
  close(c.steps[0]!.costPerHour, 1.2);
  // too big for any node
  const huge = planCapacity(nodes, [{ name: 'big', replicas: 1, requests: { cpu: 8000, memory: 1 } }], { growthPerMonth: 0.1, months: 0 });
  assert.is(huge.runsOut.total, 0);
  assert.equal(huge.notes, ['an instance is larger than a m5.xlarge node of zone-a (4000 m, 16384 MiB): it can never be placed there']);
  close(huge.estimate.cpuMonths!, Math.log(3) / Math.log(1.1)); // the sum (8 of 24 cores) says 11.5 months: the estimate does not see shapes
  assert.is(planCapacity(nodes, [{ name: 'all', replicas: 30, requests: { cpu: 1000, memory: 1 } }], { growthPerMonth: 0.1, months: 0 }).estimate.cpuMonths, 0);
  // nothing requested
  assert.equal(planCapacity(nodes, [], { growthPerMonth: 0.1, months: 0 }).estimate, { cpuMonths: null, memoryMonths: null });
});

it('workloads without zone spread count in the total only; new nodes for them are shaped like the most common node', () => {
  const small = [node('a1', 'zone-a'), node('b1', 'zone-b', { cpu: 2000, instanceType: 'm5.large', pricePerHour: 0.1 })];
  const plan = planCapacity(small, [{ name: 'batch', replicas: 3, requests: { cpu: 2000, memory: 1024 }, zoneSpread: false }], { growthPerMonth: 1, months: 1 });
  const [s0, s1] = plan.steps;
  assert.is(s0!.zones['zone-a']!.instances, 0);
  assert.ok(s0!.fits); // 2 + 1 on the two nodes
  assert.is(s1!.instances, 6);
  assert.is(s1!.unplaced, 3);
  // all six packed onto the two nodes and new ones like a1 (the first by name of the two shapes): 2 per node → 2 new
  assert.is(s1!.nodesToAdd, 2);
  close(s1!.costPerHour, 0.3 + 2 * 0.2);
  assert.is(plan.runsOut.total, 1);
  assert.equal(plan.runsOut.zones, { 'zone-a': null, 'zone-b': null });
});

it('bad input: every problem listed', () => {
  assert.equal(capacityProblems(nodes, workloads, { growthPerMonth: 0.1 }), []);
  assert.equal(capacityProblems([], [{ name: 'w', replicas: -1, requests: { cpu: 1, memory: 1 } }], { growthPerMonth: -1, months: 121, stepMonths: 0 }), [
    'growthPerMonth: must be a number above -1 and at most 10 (0.1 = 10 % a month; got -1)',
    'months: must be an integer from 0 to 120 (got 121)',
    'stepMonths: must be an integer from 1 to 120 (got 0)',
    'nodes: the cluster has no nodes to plan for',
    'workloads.w.replicas: must be an integer >= 0 (got -1)',
  ]);
  assert.throws(() => planCapacity([], [], { growthPerMonth: 0.1 }), /Invalid capacity plan:\nnodes: the cluster has no nodes/);
});

it.run();
