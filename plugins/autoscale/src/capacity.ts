// Capacity planning: with demand growing by a rate per month, when do the cluster's nodes run
// out — in each zone and in total — and what does the cluster cost at each step, counting the
// nodes it would need to add. Pure: the nodes and the workloads' current footprint in, a plan out.
//
//   factor(k)     = (1 + growthPerMonth)^k                       month k = 0, stepMonths, …, months
//   replicas_w(k) = ⌈replicas_w × factor(k)⌉                     the footprint grows with demand
//                                                                 (what a utilisation-target autoscaler does)
//   per zone      a zone-spread workload's replicas split evenly over the zones (the remainder
//                 to the zones with the most CPU, then by name); that share is packed onto the
//                 zone's own schedulable nodes, first fit decreasing (largest request first, by the
//                 larger of its CPU and memory shares of the zone's template node)
//   in total      every instance packed onto any node (spread relaxed, as the scheduler's soft
//                 spread would when a zone is full)
//   runs out      the first step at which a zone (or the total) cannot hold its instances
//   nodes to add  what does not fit is packed onto new nodes shaped like the zone's most common
//                 node (its template); cost/h = Σ current nodes' prices + Σ added nodes' prices
//   estimate      months until the summed requests pass the summed capacity, continuously:
//                 ln(capacity / requested) / ln(1 + growthPerMonth) (per resource; null without growth)
//
// A workload with zoneSpread false is counted in the total only; when the total does not fit,
// the nodes to add are the larger of the zones' sum and the whole footprint packed onto new
// nodes shaped like the cluster's most common node.
import type { Resources } from '@understudy/plugin-cluster';
import type { PricedNode } from './cost.js';
import { HOURS_PER_MONTH } from './cost.js';

export interface CapacityWorkload {
  name: string;
  replicas: number;
  requests: Resources;
  zoneSpread?: boolean;
}

export interface CapacityNode extends PricedNode {
  /** Cordoned or NotReady nodes take nothing. */
  schedulable?: boolean;
}

export interface CapacityOptions {
  /** 0.1 = 10 % more demand each month (compounded). */
  growthPerMonth: number;
  /** How far to plan, months (24). */
  months?: number;
  /** Months between steps (1). */
  stepMonths?: number;
}

export interface ZoneStep {
  nodes: number;
  instances: number;
  requested: Resources;
  capacity: Resources;
  fits: boolean;
  /** Instances of its share that do not fit on its nodes. */
  unplaced: number;
  /** Template nodes to add so its share fits. */
  nodesToAdd: number;
}

export interface CapacityStep {
  month: number;
  factor: number;
  replicas: Record<string, number>;
  instances: number;
  requested: Resources;
  capacity: Resources;
  /** Every instance fits somewhere (spread relaxed). */
  fits: boolean;
  unplaced: number;
  zones: Record<string, ZoneStep>;
  /** Σ nodes to add over the zones (with workloads that do not spread, see the header). */
  nodesToAdd: number;
  costPerHour: number;
  costPerMonth: number;
}

export interface CapacityPlan {
  growthPerMonth: number;
  months: number;
  stepMonths: number;
  steps: CapacityStep[];
  /** First month at which the instances no longer fit (null: not within the plan). */
  runsOut: { total: number | null; zones: Record<string, number | null> };
  /** Continuous estimate of the months left per resource (null: never at this growth). */
  estimate: { cpuMonths: number | null; memoryMonths: number | null };
  /** An instance larger than any node can never be placed. */
  notes: string[];
}

/** Problems with the options and inputs; empty when valid. */
export function capacityProblems(nodes: readonly CapacityNode[], workloads: readonly CapacityWorkload[], o: CapacityOptions): string[] {
  const out: string[] = [];
  if (typeof o.growthPerMonth !== 'number' || !Number.isFinite(o.growthPerMonth) || o.growthPerMonth <= -1 || o.growthPerMonth > 10)
    out.push(`growthPerMonth: must be a number above -1 and at most 10 (0.1 = 10 % a month; got ${String(o.growthPerMonth)})`);
  if (o.months !== undefined && (!Number.isInteger(o.months) || o.months < 0 || o.months > 120)) out.push(`months: must be an integer from 0 to 120 (got ${String(o.months)})`);
  if (o.stepMonths !== undefined && (!Number.isInteger(o.stepMonths) || o.stepMonths < 1 || o.stepMonths > 120))
    out.push(`stepMonths: must be an integer from 1 to 120 (got ${String(o.stepMonths)})`);
  if (nodes.length === 0) out.push('nodes: the cluster has no nodes to plan for');
  workloads.forEach((w) => {
    if (!Number.isInteger(w.replicas) || w.replicas < 0) out.push(`workloads.${w.name}.replicas: must be an integer >= 0 (got ${String(w.replicas)})`);
  });
  return out;
}

interface Bin {
  cpu: number;
  memory: number;
}

/**
 * First fit decreasing: instances (cpu, memory), largest first, onto the bins in order; what
 * does not fit opens template bins (when a template is given). Returns the instances left
 * over and the template bins opened.
 */
function pack(items: Resources[], bins: Bin[], template: Resources | undefined): { unplaced: number; opened: number; neverFits: number } {
  const free = bins.map((b) => ({ cpu: b.cpu, memory: b.memory }));
  const sorted = [...items].sort((a, b) => b.cpu + b.memory / 4 - (a.cpu + a.memory / 4));
  let unplaced = 0;
  let opened = 0;
  let neverFits = 0;
  const extra: Bin[] = [];
  outer: for (const it of sorted) {
    for (const f of free)
      if (f.cpu >= it.cpu && f.memory >= it.memory) {
        f.cpu -= it.cpu;
        f.memory -= it.memory;
        continue outer;
      }
    unplaced++;
    if (!template) continue;
    if (template.cpu < it.cpu || template.memory < it.memory) {
      neverFits++;
      continue;
    }
    for (const f of extra)
      if (f.cpu >= it.cpu && f.memory >= it.memory) {
        f.cpu -= it.cpu;
        f.memory -= it.memory;
        continue outer;
      }
    extra.push({ cpu: template.cpu - it.cpu, memory: template.memory - it.memory });
    opened++;
  }
  return { unplaced, opened, neverFits };
}

/** The zone's most common node shape (cpu, memory, type, price); ties: the first by name. */
function templateOf(nodes: readonly CapacityNode[]): CapacityNode {
  const counts = new Map<string, { n: number; node: CapacityNode }>();
  for (const node of [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = `${node.instanceType}/${node.cpu}/${node.memory}/${node.pricePerHour}/${node.interruptible}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { n: 1, node });
  }
  let best: { n: number; node: CapacityNode } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best!.node;
}

const sum = (nodes: readonly CapacityNode[]): Resources => nodes.reduce((s, n) => ({ cpu: s.cpu + n.cpu, memory: s.memory + n.memory }), { cpu: 0, memory: 0 });

/** The plan (see the header). Throws a RangeError listing every problem with the inputs. */
export function planCapacity(allNodes: readonly CapacityNode[], workloads: readonly CapacityWorkload[], options: CapacityOptions): CapacityPlan {
  const problems = capacityProblems(allNodes, workloads, options);
  if (problems.length) throw new RangeError(`Invalid capacity plan:\n${problems.join('\n')}`);
  const months = options.months ?? 24;
  const stepMonths = options.stepMonths ?? 1;
  const g = options.growthPerMonth;
  const nodes = allNodes.filter((n) => n.schedulable !== false);
  const basePerHour = allNodes.reduce((s, n) => s + n.pricePerHour, 0);
  const zoneNames = [...new Set(allNodes.map((n) => n.zone))].sort();
  const zoneNodes = new Map(zoneNames.map((z) => [z, nodes.filter((n) => n.zone === z)]));
  // a zone whose nodes are all cordoned still has a shape to add more of
  const templates = new Map(zoneNames.map((z) => [z, templateOf(allNodes.filter((n) => n.zone === z))]));
  const globalTemplate = templateOf(allNodes);
  // zones by CPU (most first), then name: who takes a spread workload's remainder
  const zoneOrder = [...zoneNames].sort((a, b) => sum(zoneNodes.get(b)!).cpu - sum(zoneNodes.get(a)!).cpu || (a < b ? -1 : 1));
  const capacity = sum(nodes);

  const steps: CapacityStep[] = [];
  const runsOut: CapacityPlan['runsOut'] = { total: null, zones: Object.fromEntries(zoneNames.map((z) => [z, null])) };
  const notes = new Set<string>();
  for (let month = 0; month <= months; month += stepMonths) {
    const factor = (1 + g) ** month;
    const replicas: Record<string, number> = {};
    const all: Resources[] = [];
    const perZone = new Map<string, Resources[]>(zoneNames.map((z) => [z, []]));
    let unspread = 0;
    const requested = { cpu: 0, memory: 0 };
    for (const w of workloads) {
      const r = Math.ceil(w.replicas * factor - 1e-9);
      replicas[w.name] = r;
      for (let i = 0; i < r; i++) all.push(w.requests);
      requested.cpu += r * w.requests.cpu;
      requested.memory += r * w.requests.memory;
      if (w.zoneSpread === false) {
        unspread += r;
        continue;
      }
      const each = Math.floor(r / zoneOrder.length);
      const rest = r - each * zoneOrder.length;
      zoneOrder.forEach((z, i) => {
        const share = each + (i < rest ? 1 : 0);
        for (let k = 0; k < share; k++) perZone.get(z)!.push(w.requests);
      });
    }
    const total = pack(all, nodes, undefined);
    const zones: Record<string, ZoneStep> = {};
    let nodesToAdd = 0;
    let addedPerHour = 0;
    for (const z of zoneNames) {
      const items = perZone.get(z)!;
      const zn = zoneNodes.get(z)!;
      const t = templates.get(z)!;
      const p = pack(items, zn, t);
      if (p.neverFits) notes.add(`an instance is larger than a ${t.instanceType} node of ${z} (${t.cpu} m, ${t.memory} MiB): it can never be placed there`);
      zones[z] = {
        nodes: zn.length,
        instances: items.length,
        requested: items.reduce((s, i) => ({ cpu: s.cpu + i.cpu, memory: s.memory + i.memory }), { cpu: 0, memory: 0 }),
        capacity: sum(zn),
        fits: p.unplaced === 0,
        unplaced: p.unplaced,
        nodesToAdd: p.opened,
      };
      nodesToAdd += p.opened;
      addedPerHour += p.opened * t.pricePerHour;
      if (p.unplaced > 0 && runsOut.zones[z] === null) runsOut.zones[z] = month;
    }
    if (unspread > 0 && total.unplaced > 0) {
      // with workloads that do not spread, the whole footprint packed onto any node, new ones
      // shaped like the cluster's most common node, may need more than the zones' sum
      const t = pack(all, nodes, globalTemplate);
      if (t.opened > nodesToAdd) {
        addedPerHour += (t.opened - nodesToAdd) * globalTemplate.pricePerHour;
        nodesToAdd = t.opened;
      }
    }
    if (total.unplaced > 0 && runsOut.total === null) runsOut.total = month;
    const costPerHour = basePerHour + addedPerHour;
    steps.push({
      month,
      factor,
      replicas,
      instances: all.length,
      requested,
      capacity,
      fits: total.unplaced === 0,
      unplaced: total.unplaced,
      zones,
      nodesToAdd,
      costPerHour,
      costPerMonth: costPerHour * HOURS_PER_MONTH,
    });
  }
  const base = workloads.reduce((s, w) => ({ cpu: s.cpu + w.replicas * w.requests.cpu, memory: s.memory + w.replicas * w.requests.memory }), { cpu: 0, memory: 0 });
  const monthsLeft = (cap: number, req: number): number | null => {
    if (req <= 0) return null;
    if (req >= cap) return 0;
    return g > 0 ? Math.log(cap / req) / Math.log(1 + g) : null;
  };
  return {
    growthPerMonth: g,
    months,
    stepMonths,
    steps,
    runsOut,
    estimate: { cpuMonths: monthsLeft(capacity.cpu, base.cpu), memoryMonths: monthsLeft(capacity.memory, base.memory) },
    notes: [...notes],
  };
}
