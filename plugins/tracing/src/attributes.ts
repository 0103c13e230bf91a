// Span attributes come from exchange tags. Copying them must be cheap (every hop), and
// reading them must be safe (cycles, bigints): so copy shallowly now, sanitise on read.

/**
 * Tags as span attributes: a shallow copy without what JSON cannot hold. Tag objects are
 * kept by reference — plugins build a fresh one per exchange and never change it after
 * settled — and made JSON-safe only when a span is read or exported.
 */
export function attributesOf(tags: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in tags) {
    const v = tags[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out[key] = typeof v === 'bigint' ? String(v) : v;
  }
  return out;
}

const sanitised = new WeakSet<object>();

/** Make an attribute record JSON-safe in place, once: objects round-trip through JSON, or become their string form. */
export function jsonSafe(attributes: Record<string, unknown>): Record<string, unknown> {
  if (sanitised.has(attributes)) return attributes;
  for (const key in attributes) {
    const v = attributes[key];
    if (typeof v !== 'object' || v === null) continue;
    try {
      attributes[key] = JSON.parse(JSON.stringify(v)) as unknown;
    } catch {
      attributes[key] = String(v);
    }
  }
  sanitised.add(attributes);
  return attributes;
}
