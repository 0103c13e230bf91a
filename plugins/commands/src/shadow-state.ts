// Device-shadow arithmetic, pure: merging partial documents and computing the delta.

export type State = Record<string, unknown>;

const isObj = (v: unknown): v is State => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
}

/**
 * Merge a partial document into a state, as AWS IoT shadows do: nested objects merge key
 * by key, `null` deletes a key, anything else (arrays included) replaces the value.
 */
export function mergeState(base: State, patch: State): State {
  const out: State = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObj(value) && isObj(out[key])) out[key] = mergeState(out[key] as State, value);
    else out[key] = value;
  }
  return out;
}

/** Desired keys whose value differs from the reported one (top level; the whole desired value). */
export function computeDelta(desired: State, reported: State): State {
  const delta: State = {};
  for (const [key, value] of Object.entries(desired)) if (!(key in reported) || !jsonEqual(value, reported[key])) delta[key] = value;
  return delta;
}

export { isObj as isState };
