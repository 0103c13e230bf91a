// Dotted field paths of progressions (`balance.amount`): read a number out of an entity,
// and build the JSON merge patch that changes only that field (objects merge, so
// `{ balance: { amount: 5 } }` keeps the currency).

export function readPath(record: unknown, path: string): unknown {
  let value = record;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function patchFor(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  let patch: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) patch = { [keys[i]!]: patch };
  return patch as Record<string, unknown>;
}

/** `b` merged into `a` (objects merge; both are patches built by patchFor). */
export function mergePatches(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const here = out[k];
    out[k] = typeof here === 'object' && here !== null && typeof v === 'object' && v !== null ? mergePatches(here as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
