// JSON merge patch (RFC 7396), the semantics of every change to an entity: objects merge
// recursively, `null` removes a field, anything else (arrays included) replaces. Written
// here rather than taken from a library: the RFC's algorithm is eight lines (section 2),
// and the result must be a fresh object that never shares structure with the generated
// entity (which the generator may cache).

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** `target` with `patch` applied; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
