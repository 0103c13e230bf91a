// Cycles of the service-level dependency graph: Tarjan's strongly connected components,
// then the elementary cycles inside each (capped, so a dense graph cannot run away).

export const MAX_CYCLES = 100;

/** Strongly connected components (iterative Tarjan, safe for 1,000s of services). */
function components(nodes: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: Array<[string, number]> = [[start, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i === 0) {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
      }
      const targets = edges.get(v) ?? [];
      if (i < targets.length) {
        frame[1]++;
        const w = targets[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        out.push(scc);
      }
    }
  }
  return out;
}

/** Each cycle as a closed path, e.g. `["a", "b", "c", "a"]`; a self-call is `["a", "a"]`. */
export function findCycles(edges: Map<string, string[]>, limit = MAX_CYCLES): string[][] {
  const cycles: string[][] = [];
  const nodes = [...edges.keys()].sort();
  for (const scc of components(nodes, edges)) {
    const members = new Set(scc);
    if (scc.length === 1 && !(edges.get(scc[0]) ?? []).includes(scc[0])) continue;
    const order = [...scc].sort();
    // each cycle once: it starts at its smallest member and visits only larger ones
    for (let s = 0; s < order.length && cycles.length < limit; s++) {
      const start = order[s];
      const allowed = new Set(order.slice(s));
      const path = [start];
      const visit = (v: string): void => {
        for (const w of [...new Set(edges.get(v) ?? [])].sort()) {
          if (cycles.length >= limit || !members.has(w) || !allowed.has(w)) continue;
          if (w === start) cycles.push([...path, start]);
          else if (!path.includes(w)) {
            path.push(w);
            visit(w);
            path.pop();
          }
        }
      };
      visit(start);
    }
  }
  return cycles;
}
