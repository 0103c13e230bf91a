// The admin API's reports over the running cluster, built with the pure functions of
// cost.ts, capacity.ts and compare.ts: what the cluster costs now (per hour, per request,
// per workload, with right-sizing from the usage samples the controller keeps), when it runs
// out of nodes or zones at a growth rate, and the policy comparison — the standard day, or
// one shaped like a workload of the cluster (its startup time, capacity, requests and price,
// traffic scaled to its capacity). Query problems are listed together (400
// US_AUTOSCALE_INVALID_REQUEST).
import type { Cluster } from '@understudy/plugin-cluster';
import { planCapacity, capacityProblems, type CapacityNode, type CapacityPlan, type CapacityWorkload } from './capacity.js';
import { comparePolicies, compareProblems, standardComparison, type CompareOptions, type CompareReport } from './compare.js';
import { allocateCost, clusterCost, costPerRequest, rightSize, type ClusterCost, type CostAllocation, type PricedNode, type RightSizeRecommendation } from './cost.js';
import { AutoscaleErrors } from './errors.js';
import type { UsageSamples } from './usage.js';

export interface CostReport {
  at: number;
  cluster: ClusterCost;
  /** Requests/s served in the last tick, over every service. */
  servedPerSecond: number;
  /** Cost of one request at that rate (null when nothing is served). */
  perRequest: number | null;
  allocation: CostAllocation;
  rightSizing: RightSizeRecommendation[];
  /** Σ of the recommendations' savings (negative: the recommendations cost more). */
  savingPerHour: number;
}

function pricedNodes(cluster: Cluster): PricedNode[] {
  return cluster.nodes().map((n) => ({ name: n.name, zone: n.zone, cpu: n.cpu, memory: n.memory, instanceType: n.instanceType, pricePerHour: n.pricePerHour, interruptible: n.interruptible }));
}

/** Cost now, and right-sizing from the observed usage (p95 + 20 % headroom by default). */
export function costReport(cluster: Cluster, usage: UsageSamples, now: number, options: { percentile?: number; headroom?: number } = {}): CostReport {
  const nodes = pricedNodes(cluster);
  const cost = clusterCost(nodes);
  const requests = new Map(cluster.workloads().map((w) => [w.name, w.spec.resources.requests]));
  const placements = cluster
    .instances()
    .filter((i) => i.node !== undefined && i.state !== 'Terminated' && i.state !== 'Pending' && requests.has(i.workload))
    .map((i) => ({ workload: i.workload, node: i.node!, requests: requests.get(i.workload)! }));
  const allocation = allocateCost(nodes, placements);
  let served = 0;
  for (const s of cluster.lastTick()?.services.values() ?? []) served += s.served;
  const rightSizing = cluster.workloads().map((w) => {
    const u = usage.of(w.name);
    return rightSize({ workload: w.name, replicas: w.spec.replicas, requests: w.spec.resources.requests, limits: w.spec.resources.limits, cpu: u.cpu, memory: u.memory }, cost.unit, options);
  });
  return {
    at: now,
    cluster: cost,
    servedPerSecond: served,
    perRequest: costPerRequest(cost.perHour, served) ?? null,
    allocation,
    rightSizing,
    savingPerHour: rightSizing.reduce((s, r) => s + r.savingPerHour, 0),
  };
}

/** When the cluster's nodes and zones run out at `growthPerMonth`, and what it costs. */
export function capacityReport(cluster: Cluster, options: { growthPerMonth: number; months?: number; stepMonths?: number }): CapacityPlan {
  const nodes: CapacityNode[] = cluster.nodes().map((n) => ({
    name: n.name,
    zone: n.zone,
    cpu: n.cpu,
    memory: n.memory,
    instanceType: n.instanceType,
    pricePerHour: n.pricePerHour,
    interruptible: n.interruptible,
    // cordoned, draining or failed nodes take nothing
    schedulable: n.condition === 'Ready' && !n.unschedulable,
  }));
  const workloads: CapacityWorkload[] = cluster.workloads().map((w) => ({ name: w.name, replicas: w.spec.replicas, requests: w.spec.resources.requests, zoneSpread: w.spec.zoneSpread }));
  const problems = capacityProblems(nodes, workloads, options);
  if (problems.length) throw new AutoscaleErrors.INVALID_REQUEST(problems);
  return planCapacity(nodes, workloads, options);
}

export interface CompareQuery {
  seed?: number;
  hours?: number;
  tickSeconds?: number;
  factor?: number;
  workload?: string;
}

/** The comparison's options: the standard day, shaped like a cluster workload when one is named. */
export function compareOptions(cluster: Cluster, q: CompareQuery): CompareOptions {
  const base = standardComparison();
  const problems: string[] = [];
  let workload = base.workload;
  let traffic = base.traffic;
  if (q.workload !== undefined) {
    const names = cluster.workloads().map((w) => w.name);
    if (!names.includes(q.workload)) throw new AutoscaleErrors.UNKNOWN_WORKLOAD(q.workload, names);
    const w = cluster.workload(q.workload);
    const nodes = pricedNodes(cluster);
    const placements = cluster.instances({ workload: w.name }).filter((i) => i.node !== undefined && i.state === 'Ready');
    const alloc = allocateCost(nodes, placements.map((i) => ({ workload: w.name, node: i.node!, requests: w.spec.resources.requests })));
    const mine = alloc.workloads[w.name];
    workload = {
      name: w.name,
      startupSeconds: w.spec.startupSeconds,
      capacity: w.spec.capacity,
      requests: w.spec.resources.requests,
      limits: w.spec.resources.limits,
      pricePerInstanceHour: mine && mine.instances > 0 ? mine.perHour / mine.instances : base.workload.pricePerInstanceHour,
      initialReplicas: Math.max(1, w.spec.replicas),
    };
    // the standard traffic, scaled to this workload's capacity per instance
    const scale = (w.spec.capacity.concurrency * 1000) / w.spec.capacity.serviceTimeMs / ((base.workload.capacity.concurrency * 1000) / base.workload.capacity.serviceTimeMs);
    traffic = { ...traffic, min: traffic.min * scale, max: traffic.max * scale };
  }
  if (q.factor !== undefined) traffic = { ...traffic, step: { ...traffic.step, factor: q.factor } };
  const durationSeconds = q.hours !== undefined ? q.hours * 3600 : base.durationSeconds;
  if (traffic.step.atSeconds >= durationSeconds) traffic = { ...traffic, step: { ...traffic.step, atSeconds: Math.floor(durationSeconds / 3) } };
  const policies = base.policies.map((p) => ({ ...p, spec: { ...p.spec, workload: workload.name } }));
  const options: CompareOptions = { ...base, seed: q.seed ?? base.seed, durationSeconds, tickSeconds: q.tickSeconds ?? base.tickSeconds, workload, traffic, policies };
  problems.push(...compareProblems(options));
  if (problems.length) throw new AutoscaleErrors.INVALID_REQUEST(problems);
  return options;
}

/** Reports by query, the last few kept: the same query gives the same report (seeded, virtual time). */
export class CompareCache {
  private readonly reports = new Map<string, CompareReport>();
  constructor(private readonly max = 8) {}

  get(key: string, build: () => CompareOptions): CompareReport {
    const hit = this.reports.get(key);
    if (hit) return hit;
    const report = comparePolicies(build());
    if (this.reports.size >= this.max) this.reports.delete(this.reports.keys().next().value!);
    this.reports.set(key, report);
    return report;
  }
}
