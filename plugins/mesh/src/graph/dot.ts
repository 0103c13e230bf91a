// Graphviz DOT: one node per service (instance count, versions), one edge per service
// pair and mode; async edges dashed.
import type { Graph } from './json.js';

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Edges merged per (from, to, mode), labelled with the endpoints they carry. */
export function serviceEdges(graph: Graph): Array<{ from: string; to: string; mode: 'sync' | 'async'; labels: string[] }> {
  const merged = new Map<string, { from: string; to: string; mode: 'sync' | 'async'; labels: string[] }>();
  for (const e of graph.edges) {
    const key = `${e.from.service}\u0000${e.to.service}\u0000${e.mode}`;
    let edge = merged.get(key);
    if (!edge) merged.set(key, (edge = { from: e.from.service, to: e.to.service, mode: e.mode, labels: [] }));
    if (!edge.labels.includes(e.to.endpoint)) edge.labels.push(e.to.endpoint);
  }
  return [...merged.values()];
}

export function nodeLabel(node: Graph['nodes'][number]): string {
  return `${node.id}\\n${node.instances} instance${node.instances === 1 ? '' : 's'} (${node.versions.join(', ')})`;
}

export function toDot(graph: Graph): string {
  const lines = ['digraph mesh {', '  rankdir=LR;', '  node [shape=box, style="rounded"];'];
  for (const node of graph.nodes) lines.push(`  ${quote(node.id)} [label=${quote(nodeLabel(node)).replace(/\\\\n/g, '\\n')}];`);
  for (const e of serviceEdges(graph)) {
    const style = e.mode === 'async' ? ', style=dashed' : '';
    lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(`${e.labels.join(', ')}${e.mode === 'async' ? ' (async)' : ''}`)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
