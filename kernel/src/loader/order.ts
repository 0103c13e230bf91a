import { KernelErrors } from '../errors/index.js';

export interface Node {
  name: string;
  /** Plugins or services that must be registered first; missing = startup error. */
  dependencies?: string[];
  /** Registered first when present, skipped cleanly when not. */
  optionalDependencies?: string[];
  /** Services this plugin registers (so others may depend on the service, not the plugin). */
  provides?: string[];
}

/**
 * Order plugins so each comes after its dependencies (stable: ties keep the given
 * order). A dependency names a plugin or a service some plugin `provides`. Reports
 * every missing dependency in one error and a cycle with its path.
 */
export function orderByDependencies<T extends Node>(nodes: T[], kernelServices: readonly string[] = []): T[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const provider = new Map<string, T>();
  for (const n of nodes) for (const s of n.provides ?? []) if (!provider.has(s)) provider.set(s, n);
  const target = (dep: string) => byName.get(dep) ?? provider.get(dep);
  const builtIn = new Set(kernelServices);
  const missing = nodes.flatMap((n) =>
    (n.dependencies ?? []).filter((d) => !target(d) && !builtIn.has(d)).map((wanted) => ({ plugin: n.name, wanted })),
  );
  if (missing.length) throw new KernelErrors.PLUGIN_MISSING_DEPENDENCIES(missing);

  const edges = (n: T) =>
    [...(n.dependencies ?? []), ...(n.optionalDependencies ?? [])].map(target).filter((t): t is T => t !== undefined);
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: T[] = [];
  const visit = (node: T, path: string[]) => {
    const s = state.get(node.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new KernelErrors.PLUGIN_CYCLE([...path.slice(path.indexOf(node.name)), node.name]);
    state.set(node.name, 'visiting');
    for (const dep of edges(node)) visit(dep, [...path, node.name]);
    state.set(node.name, 'done');
    ordered.push(node);
  };
  for (const node of nodes) visit(node, []);
  return ordered;
}
