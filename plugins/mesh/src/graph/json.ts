// The dependency graph as data: nodes (services) and edges (endpoint → endpoint calls).
import type { Topology } from '../topology/model.js';
import { findCycles } from './cycles.js';

export interface GraphNode {
  id: string;
  instances: number;
  versions: string[];
  endpoints: string[];
  port?: number;
}

export interface GraphEdge {
  from: { service: string; endpoint: string };
  to: { service: string; endpoint: string };
  mode: 'sync' | 'async';
  onFailure: 'propagate' | 'fallback' | 'ignore';
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  cycles: string[][];
}

export function buildGraph(topology: Topology): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const adjacency = new Map<string, string[]>();
  for (const service of topology.services.values()) {
    nodes.push({
      id: service.name,
      instances: service.instances.length,
      versions: service.versions,
      endpoints: service.endpoints.map((e) => e.key),
      ...(service.port !== undefined && { port: service.port }),
    });
    const targets: string[] = [];
    for (const endpoint of service.endpoints) {
      for (const step of endpoint.steps) {
        for (const call of step.calls) {
          edges.push({
            from: { service: service.name, endpoint: endpoint.key },
            to: { service: call.service, endpoint: call.endpoint },
            mode: call.mode,
            onFailure: call.onFailure,
          });
          targets.push(call.service);
        }
      }
    }
    adjacency.set(service.name, targets);
  }
  return { nodes, edges, cycles: findCycles(adjacency) };
}
