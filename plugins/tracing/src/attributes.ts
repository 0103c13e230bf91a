// Span attributes are the exchange's tags. Recording must be cheap (every hop) and
// reading must be safe (cycles, bigints, functions): so a span keeps the tags object as
// it is — plugins build a fresh one per exchange and never change it after settled — and
// it is made JSON-safe, once, when a span is first read or exported.

const sanitised = new WeakSet<object>();

/** Make an attribute record JSON-safe in place, once. */
export function jsonSafe(attributes: Record<string, unknown>): Record<string, unknown> {
  if (sanitised.has(attributes)) return attributes;
  for (const key in attributes) {
    const v = attributes[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') {
      delete attributes[key];
    } else if (typeof v === 'bigint') {
      attributes[key] = String(v);
    } else if (typeof v === 'object' && v !== null) {
      try {
        attributes[key] = JSON.parse(JSON.stringify(v)) as unknown;
      } catch {
        attributes[key] = String(v);
      }
    }
  }
  sanitised.add(attributes);
  return attributes;
}
