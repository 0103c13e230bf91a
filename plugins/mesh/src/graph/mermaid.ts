// Mermaid flowchart: `graph LR`, solid arrows for sync calls, dashed for async.
import { serviceEdges } from './dot.js';
import type { Graph } from './json.js';

/** Mermaid ids must be simple; labels carry the real names. */
const id = (name: string) => `s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
const text = (s: string) => s.replace(/"/g, '#quot;');

export function toMermaid(graph: Graph): string {
  const lines = ['graph LR'];
  for (const node of graph.nodes) {
    const count = `${node.instances} instance${node.instances === 1 ? '' : 's'}`;
    lines.push(`  ${id(node.id)}["${text(node.id)}<br/>${count} (${text(node.versions.join(', '))})"]`);
  }
  for (const e of serviceEdges(graph)) {
    const label = text(e.labels.join(', '));
    lines.push(e.mode === 'async' ? `  ${id(e.from)} -. "${label}" .-> ${id(e.to)}` : `  ${id(e.from)} -- "${label}" --> ${id(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}
