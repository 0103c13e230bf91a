// Rate propagation through the mesh's call graph, compiled once per topology snapshot.
//
// Every endpoint of every service is a node; every compiled call of an endpoint (each step,
// sync and async, in parallel groups or not) is an edge to the called endpoint, counted as
// often as it appears. One request at endpoint e causes, at hop depth d, the requests
// F_d = F_{d-1} · C (C the call-count matrix, F_0 = e); its reach is R(e) = Σ_{d=0..D} F_d.
// The mesh allows cycles, so the sum stops at D = the kernel's maxHops (a call deeper than
// that is refused by the kernel with 508) — or earlier, when no call is left (a DAG).
import type { MeshStore } from '@understudy/plugin-mesh';

export type Topology = MeshStore['topology'];

/** A sparse vector over the snapshot's endpoint nodes. */
export interface Reach {
  nodes: Int32Array;
  coefficients: Float64Array;
}

/** Hard cap on the depth, whatever maxHops says. */
export const MAX_DEPTH = 64;

export class Propagation {
  /** Node index → its service and endpoint key. */
  readonly serviceOf: string[] = [];
  readonly keyOf: string[] = [];
  /** Service index of each node, and the services in order. */
  readonly serviceIndexOf: Int32Array;
  readonly services: string[] = [];
  private readonly index = new Map<string, Map<string, number>>();
  /** Per node: called nodes and how many times. */
  private readonly edges: Array<{ to: Int32Array; count: Float64Array }> = [];
  private readonly cache = new Map<number, Reach>();
  readonly depth: number;

  constructor(readonly topology: Topology, maxHops: number) {
    this.depth = Math.min(MAX_DEPTH, Math.max(0, maxHops));
    const serviceIndex: number[] = [];
    for (const service of topology.services.values()) {
      const byKey = new Map<string, number>();
      this.index.set(service.name, byKey);
      const s = this.services.push(service.name) - 1;
      for (const ep of service.endpoints) {
        if (byKey.has(ep.key)) continue;
        byKey.set(ep.key, this.serviceOf.length);
        this.serviceOf.push(service.name);
        this.keyOf.push(ep.key);
        serviceIndex.push(s);
      }
    }
    this.serviceIndexOf = Int32Array.from(serviceIndex);
    for (const service of topology.services.values()) {
      const seen = new Set<string>();
      for (const ep of service.endpoints) {
        if (seen.has(ep.key)) continue;
        seen.add(ep.key);
        const counts = new Map<number, number>();
        for (const step of ep.steps) {
          for (const call of step.calls) {
            const to = this.node(call.service, call.endpoint);
            if (to !== undefined) counts.set(to, (counts.get(to) ?? 0) + 1);
          }
        }
        this.edges.push({ to: Int32Array.from(counts.keys()), count: Float64Array.from(counts.values()) });
      }
    }
  }

  get size(): number {
    return this.serviceOf.length;
  }

  node(service: string, key: string): number | undefined {
    return this.index.get(service)?.get(key);
  }

  /** Requests at every endpoint caused by one request at `node` (itself included). */
  reach(node: number): Reach {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const n = this.size;
    const total = new Float64Array(n);
    let frontier = new Float64Array(n);
    let active = [node];
    frontier[node] = 1;
    total[node] = 1;
    for (let d = 1; d <= this.depth && active.length > 0; d++) {
      const next = new Float64Array(n);
      const nextActive: number[] = [];
      for (const from of active) {
        const f = frontier[from]!;
        const { to, count } = this.edges[from]!;
        for (let i = 0; i < to.length; i++) {
          const t = to[i]!;
          if (next[t] === 0) nextActive.push(t);
          next[t] += f * count[i]!;
        }
      }
      for (const t of nextActive) total[t] += next[t]!;
      frontier = next;
      active = nextActive;
    }
    const nodes: number[] = [];
    for (let i = 0; i < n; i++) if (total[i] !== 0) nodes.push(i);
    const reach = { nodes: Int32Array.from(nodes), coefficients: Float64Array.from(nodes, (i) => total[i]!) };
    this.cache.set(node, reach);
    return reach;
  }

  /** Σ weight × reach over the given entry nodes (weights summing to 1 make one entry request). */
  combine(entries: Array<{ node: number; weight: number }>): Reach {
    const sum = new Map<number, number>();
    for (const { node, weight } of entries) {
      const r = this.reach(node);
      for (let i = 0; i < r.nodes.length; i++) sum.set(r.nodes[i]!, (sum.get(r.nodes[i]!) ?? 0) + weight * r.coefficients[i]!);
    }
    const nodes = [...sum.keys()].sort((a, b) => a - b);
    return { nodes: Int32Array.from(nodes), coefficients: Float64Array.from(nodes, (i) => sum.get(i)!) };
  }

  /** The same vector summed by service (indices into `services`). */
  byService(reach: Reach): Reach {
    const sum = new Map<number, number>();
    for (let i = 0; i < reach.nodes.length; i++) {
      const s = this.serviceIndexOf[reach.nodes[i]!]!;
      sum.set(s, (sum.get(s) ?? 0) + reach.coefficients[i]!);
    }
    const nodes = [...sum.keys()].sort((a, b) => a - b);
    return { nodes: Int32Array.from(nodes), coefficients: Float64Array.from(nodes, (i) => sum.get(i)!) };
  }
}
