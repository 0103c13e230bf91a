// Cost: the cluster's cost per hour (on-demand and interruptible, by type and zone), cost per
// request, instance-hours, each workload's share of the node cost, percentiles and
// right-sizing recommendations — each number computed by hand from the formulas in src/cost.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allocateCost, clusterCost, costPerRequest, instanceHours, percentile, rightSize, type PricedNode } from '../src/cost.js';

const it = suite('autoscale: cost');

const close = (actual: number, expected: number, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

const node = (name: string, zone: string, pricePerHour: number, interruptible = false): PricedNode => ({
  name,
  zone,
  cpu: 2000,
  memory: 8192,
  instanceType: 'm5.large',
  pricePerHour,
  interruptible,
});
const nodes = [node('a', 'zone-a', 0.096), node('b', 'zone-b', 0.096), node('c', 'zone-c', 0.035, true)];

it('cluster cost per hour and month, on-demand and interruptible apart, by type and zone, unit prices', () => {
  const c = clusterCost(nodes);
  assert.is(c.nodes, 3);
  close(c.perHour, 0.227);
  close(c.perMonth, 0.227 * 730);
  assert.equal(c.onDemand, { nodes: 2, perHour: 0.192 });
  assert.equal(c.interruptible, { nodes: 1, perHour: 0.035 });
  assert.equal(c.byInstanceType['m5.large'], { nodes: 2, perHour: 0.192, pricePerHour: 0.096, interruptible: false });
  assert.equal(c.byInstanceType['m5.large (interruptible)'], { nodes: 1, perHour: 0.035, pricePerHour: 0.035, interruptible: true });
  assert.equal(c.byZone['zone-c'], { nodes: 1, perHour: 0.035 });
  close(c.unit.cpuPerMilliHour, (0.227 * 0.5) / 6000);
  close(c.unit.memoryPerMiBHour, (0.227 * 0.5) / 24576);
  // CPU weighted at 0.8 of the price
  close(clusterCost(nodes, 0.8).unit.cpuPerMilliHour, (0.227 * 0.8) / 6000);
  const empty = clusterCost([]);
  assert.equal([empty.perHour, empty.unit.cpuPerMilliHour, empty.unit.memoryPerMiBHour], [0, 0, 0]);
});

it('cost per request and instance-hours', () => {
  // 0.36 per hour at 100 req/s: 360,000 requests an hour → 1e-6 each
  close(costPerRequest(0.36, 100)!, 1e-6);
  assert.is(costPerRequest(0.36, 0), undefined);
  // 2 replicas for 30 min then 4 for 30 min, in 15-minute steps: 3 instance-hours
  close(instanceHours([2, 2, 4, 4], 900_000), 3);
  assert.is(instanceHours([], 1000), 0);
});

it("a workload's share of the node cost: requests priced at their node's CPU and memory, the rest idle", () => {
  const a = allocateCost(nodes, [
    { workload: 'web', node: 'a', requests: { cpu: 500, memory: 1024 } }, // 0.5·500/2000 + 0.5·1024/8192 = 0.1875 of 0.096
    { workload: 'web', node: 'c', requests: { cpu: 500, memory: 1024 } }, // 0.1875 of 0.035
    { workload: 'db', node: 'b', requests: { cpu: 1000, memory: 4096 } }, // 0.25 + 0.25 = 0.5 of 0.096
    { workload: 'db', node: 'gone', requests: { cpu: 1000, memory: 4096 } },
  ]);
  close(a.perHour, 0.227);
  assert.is(a.workloads.web!.instances, 2);
  close(a.workloads.web!.perHour, 0.1875 * 0.096 + 0.1875 * 0.035);
  close(a.workloads.db!.perHour, 0.048);
  close(a.workloads.db!.share, 0.048 / 0.227);
  close(a.idlePerHour, 0.227 - 0.0245625 - 0.048);
  assert.is(a.unpriced, 1);
  const zero = allocateCost([{ ...node('z', 'zone-a', 0), cpu: 0, memory: 0 }], [{ workload: 'w', node: 'z', requests: { cpu: 1, memory: 1 } }]);
  assert.equal(zero.workloads.w, { instances: 1, perHour: 0, share: 0 });
});

it('percentile by nearest rank', () => {
  const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  assert.is(percentile(v, 95), 95);
  assert.is(percentile(v, 50), 50);
  assert.is(percentile(v, 100), 100);
  assert.is(percentile([7], 95), 7);
  assert.is(percentile([], 95), 0);
  assert.is(percentile([3, 1, 2], 1), 1);
});

it('right-sizing: p95 of usage plus headroom, rounded up, and the saving at unit prices', () => {
  const unit = { cpuPerMilliHour: 0.00002, memoryPerMiBHour: 0.000005 };
  const r = rightSize(
    {
      workload: 'web',
      replicas: 4,
      requests: { cpu: 500, memory: 1024 },
      limits: { cpu: 1000, memory: 2048 },
      cpu: Array.from({ length: 100 }, (_, i) => 2 * (i + 1)), // 2..200 → p95 = 190
      memory: Array.from({ length: 100 }, () => 300),
    },
    unit,
  );
  assert.is(r.samples, 100);
  assert.equal(r.observed, { cpu: 190, memory: 300 });
  // 190 × 1.2 = 228 → 230 m; 300 × 1.2 = 360 → 368 MiB (steps of 16)
  assert.equal(r.recommended, { cpu: 230, memory: 368 });
  assert.equal(r.usageOfRequest, { cpu: 0.38, memory: 0.292969 });
  assert.equal(r.verdict, { cpu: 'over-provisioned', memory: 'over-provisioned' });
  // 4 × (270 × 0.00002 + 656 × 0.000005) = 0.03472 per hour
  close(r.savingPerHour, 0.03472);
  close(r.savingPerMonth, 0.03472 * 730);
  assert.equal(r.notes, []);
});

it('right-sizing: under-provisioned memory costs more and says what to watch; within tolerance keeps the request', () => {
  const unit = { cpuPerMilliHour: 0.00002, memoryPerMiBHour: 0.000005 };
  const r = rightSize(
    { workload: 'db', replicas: 2, requests: { cpu: 100, memory: 128 }, limits: { cpu: 100, memory: 256 }, cpu: [95, 96, 100], memory: [300, 310, 320] },
    unit,
  );
  // cpu p95 = 100 → 120 (> limit 100); memory p95 = 320 → 384 (> limit 256)
  assert.equal(r.recommended, { cpu: 120, memory: 384 });
  assert.equal(r.verdict, { cpu: 'under-provisioned', memory: 'under-provisioned' });
  close(r.savingPerHour, 2 * (-20 * 0.00002 + -256 * 0.000005));
  assert.equal(r.notes, [
    'recommended memory 384 MiB is above limits.memory 256 MiB: raise the limit too, or instances will be OOMKilled',
    'recommended cpu 120 m is above limits.cpu 100 m: raise the limit too',
    'memory usage above the request: the node may evict these instances first under pressure',
  ]);
  // usage × 1.2 within 10 % of the request: right-sized, nothing changes, no saving
  const ok = rightSize({ workload: 'ok', replicas: 3, requests: { cpu: 120, memory: 384 }, cpu: [100], memory: [320] }, unit);
  assert.equal(ok.verdict, { cpu: 'right-sized', memory: 'right-sized' });
  assert.equal(ok.recommended, { cpu: 120, memory: 384 });
  assert.is(ok.savingPerHour, 0);
  // minimums and options
  const tiny = rightSize({ workload: 't', replicas: 1, requests: { cpu: 0, memory: 0 }, cpu: [0], memory: [0] }, unit, { headroom: 0 });
  assert.equal(tiny.recommended, { cpu: 10, memory: 32 });
  assert.equal(tiny.usageOfRequest, { cpu: 0, memory: 0 });
  assert.equal(tiny.verdict, { cpu: 'under-provisioned', memory: 'under-provisioned' });
});

it('right-sizing with no samples keeps the requests and says so', () => {
  const r = rightSize({ workload: 'new', replicas: 2, requests: { cpu: 100, memory: 128 }, cpu: [], memory: [] }, { cpuPerMilliHour: 1, memoryPerMiBHour: 1 });
  assert.equal(r.verdict, { cpu: 'no data', memory: 'no data' });
  assert.equal(r.recommended, { cpu: 100, memory: 128 });
  assert.is(r.savingPerHour, 0);
  assert.equal(r.notes, ['no usage samples yet: the requests are kept']);
});

it.run();
