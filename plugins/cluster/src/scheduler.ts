// The scheduler, as kube-scheduler's two phases for one instance at a time:
//   filter  the node is Ready, schedulable (not cordoned or draining), and the requests fit
//           beside what is allocated there plus any injected pressure (NodeResourcesFit);
//   score   first the zone spread of the workload (fewest of its active instances in the
//           node's zone: PodTopologySpread with maxSkew 1 as a preference), then least
//           allocated (mean free share of CPU and memory after placing it:
//           NodeResourcesFit's LeastAllocated), then the node's name (deterministic).
// Nothing fits: the reason says why, by node count, as kube-scheduler's FailedScheduling
// message does (`0/3 nodes are available: 2 Insufficient memory, 1 node(s) NotReady`).
import type { Resources } from './contract.js';
import type { Node } from './model.js';

export type Placement = { node: Node; reason?: undefined } | { node?: undefined; reason: string };

export function schedule(nodes: Iterable<Node>, requests: Resources, zoneCounts: ReadonlyMap<string, number> | undefined): Placement {
  let best: Node | undefined;
  let bestSpread = Infinity;
  let bestFree = -Infinity;
  let total = 0;
  let notReady = 0;
  let unschedulable = 0;
  let noCpu = 0;
  let noMemory = 0;
  for (const node of nodes) {
    total++;
    if (node.condition !== 'Ready') {
      notReady++;
      continue;
    }
    if (node.unschedulable) {
      unschedulable++;
      continue;
    }
    const { cpu, memory } = node.spec;
    const freeCpu = cpu - node.allocated.cpu - node.pressure.cpu - requests.cpu;
    const freeMem = memory - node.allocated.memory - node.pressure.memory - requests.memory;
    if (freeCpu < 0 || freeMem < 0) {
      if (freeCpu < 0) noCpu++;
      if (freeMem < 0) noMemory++;
      continue;
    }
    const spread = zoneCounts?.get(node.spec.zone) ?? 0;
    const free = (freeCpu / cpu + freeMem / memory) / 2;
    if (spread < bestSpread || (spread === bestSpread && (free > bestFree || (free === bestFree && node.name < best!.name)))) {
      best = node;
      bestSpread = spread;
      bestFree = free;
    }
  }
  if (best) return { node: best };
  const parts: string[] = [];
  if (noCpu) parts.push(`${noCpu} Insufficient cpu`);
  if (noMemory) parts.push(`${noMemory} Insufficient memory`);
  if (notReady) parts.push(`${notReady} node(s) NotReady`);
  if (unschedulable) parts.push(`${unschedulable} node(s) unschedulable`);
  return { reason: `0/${total} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''} (requests ${requests.cpu}m cpu, ${requests.memory}Mi memory)` };
}
