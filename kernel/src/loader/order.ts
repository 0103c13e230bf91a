import { KernelErrors } from '../errors.js';

export interface Node {
  name: string;
  dependencies?: string[];
  optionalDependencies?: string[];
}

/**
 * Order plugins so each comes after its dependencies (stable: ties keep the given
 * order). Reports every missing dependency in one error and a cycle with its path.
 */
export function orderByDependencies<T extends Node>(nodes: T[]): T[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const missing = nodes.flatMap((n) =>
    (n.dependencies ?? []).filter((d) => !byName.has(d)).map((d) => `"${n.name}" needs "${d}"`),
  );
  if (missing.length) throw new KernelErrors.PLUGIN_MISSING_DEPENDENCIES(missing.join(', '));

  const edges = (n: T) => [...(n.dependencies ?? []), ...(n.optionalDependencies ?? []).filter((d) => byName.has(d))];
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: T[] = [];
  const visit = (node: T, path: string[]) => {
    const s = state.get(node.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node.name)), node.name];
      throw new KernelErrors.PLUGIN_CYCLE(cycle.join(' → '));
    }
    state.set(node.name, 'visiting');
    for (const dep of edges(node)) visit(byName.get(dep)!, [...path, node.name]);
    state.set(node.name, 'done');
    ordered.push(node);
  };
  for (const node of nodes) visit(node, []);
  return ordered;
}
