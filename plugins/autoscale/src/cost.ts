// What the cluster costs and what it could cost: the cost per hour of its nodes (on-demand and
// interruptible apart, by instance type and zone), the cost per request served, instance-hours
// over a series, each workload's share of the node cost, and right-sizing recommendations from
// observed usage. Pure functions over the cluster's node and workload views.
//
//   cluster cost / h      Σ nodes' pricePerHour                      (a month is 730 h)
//   cost per request      cost per hour / (requests/s served × 3600)
//   instance-hours        Σ_ticks replicas × tick length / 3,600,000 ms
//   an instance's share   pricePerHour_node × (w·cpu_req/cpu_node + (1 − w)·mem_req/mem_node)   w = cpuWeight (0.5)
//                         (a node's price split between its CPU and its memory; what no
//                         request holds is the node's idle cost)
//   unit prices           per millicore-hour = Σ price·w / Σ cpu;  per MiB-hour = Σ price·(1 − w) / Σ memory   (over the nodes)
//   right-sizing          observed = the p-th percentile (95) of the usage samples (nearest rank);
//                         recommended = max(minimum, roundUp(observed × (1 + headroom)));
//                         saving / h = replicas × (Δcpu × per-millicore-hour + Δmemory × per-MiB-hour)
//                         (negative: under-provisioned, the recommendation costs more)

import type { NodeSpec, Resources } from '@understudy/plugin-cluster';

export const HOURS_PER_MONTH = 730;

/** What a node's cost needs of the cluster's node spec. */
export type PricedNode = Pick<NodeSpec, 'name' | 'zone' | 'cpu' | 'memory' | 'instanceType' | 'pricePerHour' | 'interruptible'>;

export interface CostGroup {
  nodes: number;
  perHour: number;
}

export interface ClusterCost {
  nodes: number;
  perHour: number;
  perMonth: number;
  onDemand: CostGroup;
  interruptible: CostGroup;
  byInstanceType: Record<string, CostGroup & { pricePerHour: number; interruptible: boolean }>;
  byZone: Record<string, CostGroup>;
  /** Price per millicore-hour and per MiB-hour (see the header). */
  unit: { cpuPerMilliHour: number; memoryPerMiBHour: number };
}

const round = (v: number, digits = 6) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The cost of the nodes. `cpuWeight`: the share of a node's price that its CPU stands for (0.5). */
export function clusterCost(nodes: readonly PricedNode[], cpuWeight = 0.5): ClusterCost {
  const out: ClusterCost = {
    nodes: nodes.length,
    perHour: 0,
    perMonth: 0,
    onDemand: { nodes: 0, perHour: 0 },
    interruptible: { nodes: 0, perHour: 0 },
    byInstanceType: {},
    byZone: {},
    unit: { cpuPerMilliHour: 0, memoryPerMiBHour: 0 },
  };
  let cpu = 0;
  let memory = 0;
  for (const n of nodes) {
    out.perHour += n.pricePerHour;
    const kind = n.interruptible ? out.interruptible : out.onDemand;
    kind.nodes++;
    kind.perHour += n.pricePerHour;
    // an instance type priced differently on interruptible capacity is a line of its own
    const key = n.interruptible ? `${n.instanceType} (interruptible)` : n.instanceType;
    const t = (out.byInstanceType[key] ??= { nodes: 0, perHour: 0, pricePerHour: n.pricePerHour, interruptible: n.interruptible });
    t.nodes++;
    t.perHour += n.pricePerHour;
    const z = (out.byZone[n.zone] ??= { nodes: 0, perHour: 0 });
    z.nodes++;
    z.perHour += n.pricePerHour;
    cpu += n.cpu;
    memory += n.memory;
  }
  out.perMonth = out.perHour * HOURS_PER_MONTH;
  out.unit = {
    cpuPerMilliHour: cpu > 0 ? (out.perHour * cpuWeight) / cpu : 0,
    memoryPerMiBHour: memory > 0 ? (out.perHour * (1 - cpuWeight)) / memory : 0,
  };
  return out;
}

/** Cost of one request at this rate (undefined when nothing is served). */
export function costPerRequest(perHour: number, servedPerSecond: number): number | undefined {
  return servedPerSecond > 0 ? perHour / (servedPerSecond * 3600) : undefined;
}

/** Instance-hours of a series of replica counts, one per step of `stepMs`. */
export function instanceHours(replicas: ArrayLike<number>, stepMs: number): number {
  let sum = 0;
  for (let i = 0; i < replicas.length; i++) sum += replicas[i]!;
  return (sum * stepMs) / 3_600_000;
}

/** One running instance: where it is and what it reserves. */
export interface Placement {
  workload: string;
  node: string;
  requests: Resources;
}

export interface WorkloadCost {
  instances: number;
  perHour: number;
  /** Share of the cluster's cost per hour. */
  share: number;
}

export interface CostAllocation {
  perHour: number;
  workloads: Record<string, WorkloadCost>;
  /** What no request holds. */
  idlePerHour: number;
  /** Instances on a node that is not in the list (not priced). */
  unpriced: number;
}

/** Each workload's share of the node cost: its instances' requests priced at their node's CPU and memory. */
export function allocateCost(nodes: readonly PricedNode[], placements: readonly Placement[], cpuWeight = 0.5): CostAllocation {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const perHour = nodes.reduce((s, n) => s + n.pricePerHour, 0);
  const workloads: Record<string, WorkloadCost> = {};
  let allocated = 0;
  let unpriced = 0;
  for (const p of placements) {
    const n = byName.get(p.node);
    if (!n) {
      unpriced++;
      continue;
    }
    const share = (n.cpu > 0 ? (cpuWeight * p.requests.cpu) / n.cpu : 0) + (n.memory > 0 ? ((1 - cpuWeight) * p.requests.memory) / n.memory : 0);
    const cost = n.pricePerHour * share;
    const w = (workloads[p.workload] ??= { instances: 0, perHour: 0, share: 0 });
    w.instances++;
    w.perHour += cost;
    allocated += cost;
  }
  for (const w of Object.values(workloads)) w.share = perHour > 0 ? w.perHour / perHour : 0;
  return { perHour, workloads, idlePerHour: Math.max(0, perHour - allocated), unpriced };
}

/** The p-th percentile (0 < p <= 100) by nearest rank: the ⌈p/100·n⌉-th smallest. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1]!;
}

export interface RightSizeOptions {
  /** Percentile of the usage samples to size for (95). */
  percentile?: number;
  /** Headroom over it (0.2 = 20 %). */
  headroom?: number;
  /** Round CPU up to this many millicores (10) and memory to this many MiB (16). */
  cpuStep?: number;
  memoryStep?: number;
  /** Smallest recommendation (10 m, 32 MiB). */
  minCpu?: number;
  minMemory?: number;
  /** A change smaller than this share of the request is "right-sized" (0.1). */
  tolerance?: number;
}

export interface RightSizeInput {
  workload: string;
  replicas: number;
  requests: Resources;
  limits?: Resources;
  /** Usage samples (per instance per tick): millicores and MiB. */
  cpu: ArrayLike<number>;
  memory: ArrayLike<number>;
}

export type Verdict = 'over-provisioned' | 'under-provisioned' | 'right-sized' | 'no data';

export interface RightSizeRecommendation {
  workload: string;
  replicas: number;
  samples: number;
  /** The observed percentile of usage. */
  observed: Resources;
  current: Resources;
  recommended: Resources;
  /** Observed usage as a share of the current request. */
  usageOfRequest: { cpu: number; memory: number };
  verdict: { cpu: Verdict; memory: Verdict };
  /** Saving per hour and per month at the unit prices (negative: it costs more). */
  savingPerHour: number;
  savingPerMonth: number;
  notes: string[];
}

const stepUp = (v: number, step: number) => Math.ceil(v / step - 1e-9) * step;

/** A recommended request per resource from observed usage (see the header for the formula). */
export function rightSize(input: RightSizeInput, unit: ClusterCost['unit'], options: RightSizeOptions = {}): RightSizeRecommendation {
  const o = { percentile: 95, headroom: 0.2, cpuStep: 10, memoryStep: 16, minCpu: 10, minMemory: 32, tolerance: 0.1, ...options };
  const samples = Math.min(input.cpu.length, input.memory.length);
  const observed = { cpu: percentile(input.cpu, o.percentile), memory: percentile(input.memory, o.percentile) };
  // the answer, with what every recommendation repeats of its input
  const answer = (r: Pick<RightSizeRecommendation, 'recommended' | 'usageOfRequest' | 'verdict' | 'savingPerHour' | 'notes'>): RightSizeRecommendation => ({
    workload: input.workload,
    replicas: input.replicas,
    samples,
    observed,
    current: { ...input.requests },
    recommended: r.recommended,
    usageOfRequest: r.usageOfRequest,
    verdict: r.verdict,
    savingPerHour: r.savingPerHour,
    savingPerMonth: r.savingPerHour * HOURS_PER_MONTH,
    notes: r.notes,
  });
  if (samples === 0) {
    const notes = ['no usage samples yet: the requests are kept'];
    return answer({ recommended: { ...input.requests }, usageOfRequest: { cpu: 0, memory: 0 }, verdict: { cpu: 'no data', memory: 'no data' }, savingPerHour: 0, notes });
  }
  const recommended = {
    cpu: Math.max(o.minCpu, stepUp(observed.cpu * (1 + o.headroom), o.cpuStep)),
    memory: Math.max(o.minMemory, stepUp(observed.memory * (1 + o.headroom), o.memoryStep)),
  };
  const verdict = (current: number, rec: number): Verdict =>
    current > 0 && Math.abs(rec - current) / current < o.tolerance ? 'right-sized' : rec < current ? 'over-provisioned' : 'under-provisioned';
  const v = { cpu: verdict(input.requests.cpu, recommended.cpu), memory: verdict(input.requests.memory, recommended.memory) };
  // a right-sized resource keeps its request (no churn for a change within the tolerance)
  if (v.cpu === 'right-sized') recommended.cpu = input.requests.cpu;
  if (v.memory === 'right-sized') recommended.memory = input.requests.memory;
  const notes: string[] = [];
  if (input.limits && recommended.memory > input.limits.memory)
    notes.push(`recommended memory ${recommended.memory} MiB is above limits.memory ${input.limits.memory} MiB: raise the limit too, or instances will be OOMKilled`);
  if (input.limits && recommended.cpu > input.limits.cpu) notes.push(`recommended cpu ${recommended.cpu} m is above limits.cpu ${input.limits.cpu} m: raise the limit too`);
  if (v.memory === 'under-provisioned') notes.push('memory usage above the request: the node may evict these instances first under pressure');
  const savingPerHour =
    input.replicas * ((input.requests.cpu - recommended.cpu) * unit.cpuPerMilliHour + (input.requests.memory - recommended.memory) * unit.memoryPerMiBHour);
  const usageOfRequest = {
    cpu: input.requests.cpu > 0 ? round(observed.cpu / input.requests.cpu) : 0,
    memory: input.requests.memory > 0 ? round(observed.memory / input.requests.memory) : 0,
  };
  return answer({ recommended, usageOfRequest, verdict: v, savingPerHour, notes });
}
