// The mesh's call graph compiled for the load model: services by index, each one's
// critical dependencies (a sync call with onFailure 'propagate' from any endpoint: its
// errors become the caller's), and the latency its endpoints add by calling others
// (sequential steps add, a parallel group takes its slowest call; endpoints weigh
// equally). `order` lists services leaves first (post-order), so one pass over it
// cascades an acyclic graph; `cyclic` says a loop exists and more passes are needed.
// Rebuilt only when the mesh's topology object changes.
import type { Topology } from './mesh-types.js';

export interface Step {
  parallel: boolean;
  targets: number[];
}

export interface DepGraph {
  readonly topology: Topology;
  names: string[];
  index: Map<string, number>;
  /** Critical dependencies by service index (unique, sorted by index). */
  critical: number[][];
  /** Per service, per endpoint, its steps of sync calls. */
  endpoints: Step[][][];
  order: number[];
  cyclic: boolean;
}

export function buildGraph(topology: Topology): DepGraph {
  const names = [...topology.services.keys()];
  const index = new Map(names.map((n, i) => [n, i]));
  const critical: number[][] = [];
  const endpoints: Step[][][] = [];
  for (const name of names) {
    const service = topology.services.get(name)!;
    const crit = new Set<number>();
    const eps: Step[][] = [];
    for (const ep of service.endpoints) {
      const steps: Step[] = [];
      for (const step of ep.steps) {
        const targets: number[] = [];
        for (const call of step.calls) {
          const t = index.get(call.service);
          if (t === undefined || call.mode !== 'sync') continue;
          targets.push(t);
          if (call.onFailure === 'propagate') crit.add(t);
        }
        if (targets.length) steps.push({ parallel: step.parallel, targets });
      }
      eps.push(steps);
    }
    critical.push([...crit].sort((a, b) => a - b));
    endpoints.push(eps);
  }
  // post-order DFS over every call (not only critical ones: latency cascades too)
  const order: number[] = [];
  const mark = new Uint8Array(names.length); // 0 new, 1 on the stack, 2 done
  let cyclic = false;
  const visit = (i: number) => {
    mark[i] = 1;
    for (const steps of endpoints[i]!) {
      for (const step of steps) {
        for (const t of step.targets) {
          if (mark[t] === 1) cyclic = true;
          else if (mark[t] === 0) visit(t);
        }
      }
    }
    mark[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < names.length; i++) if (mark[i] === 0) visit(i);
  return { topology, names, index, critical, endpoints, order, cyclic };
}

/** Mean latency `service` adds by its sync calls, given each service's latency (ms). */
export function callLatency(graph: DepGraph, service: number, latency: ArrayLike<number>): number {
  const eps = graph.endpoints[service]!;
  if (eps.length === 0) return 0;
  let sum = 0;
  for (const steps of eps) {
    let ep = 0;
    for (const step of steps) {
      if (step.parallel) {
        let max = 0;
        for (const t of step.targets) if (latency[t]! > max) max = latency[t]!;
        ep += max;
      } else for (const t of step.targets) ep += latency[t]!;
    }
    sum += ep;
  }
  return sum / eps.length;
}

/** Share of `service`'s requests failing because a critical dependency fails: 1 − Π(1 − e_d). */
export function dependencyErrors(graph: DepGraph, service: number, errors: ArrayLike<number>): number {
  let ok = 1;
  for (const d of graph.critical[service]!) ok *= 1 - errors[d]!;
  return 1 - ok;
}
