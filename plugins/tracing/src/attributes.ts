// Span attributes are the exchange's tags. Recording must be cheap (every hop) and
// reading must be safe (cycles, bigints, functions): so a span keeps the tags object as
// it is — plugins build a fresh one per exchange and never change it after settled — and
// it is made JSON-safe, once, when a span is first read or exported.
//
// Attributes are bounded in bytes when a span is recorded, so a huge tag cannot blow the
// store up: each value (an object counts as its JSON) at most `maxAttributeBytes`, all of
// a span's attributes together at most `maxSpanAttributeBytes`. Measuring walks the tags
// without building anything (a string's size is its length while it cannot exceed the
// cap even at 3 bytes a character, its UTF-8 length otherwise); only a span past a bound
// gets a copy of its tags, with long values cut and marked, so the exchange's own tags —
// which later `settled` taps may read — are never changed.

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
      attributes[key] = safeJsonValue(v);
    }
  }
  sanitised.add(attributes);
  return attributes;
}

function safeJsonValue(v: object): unknown {
  try {
    return JSON.parse(JSON.stringify(v)) as unknown;
  } catch {
    return String(v);
  }
}

export interface AttributeLimits {
  maxAttributeBytes: number;
  maxSpanAttributeBytes: number;
}

export interface AttributeCounters {
  /** Values (and span paths or messages) cut to `maxAttributeBytes`. */
  truncatedAttributes: number;
  /** Attributes left out because the span's attributes reached `maxSpanAttributeBytes`. */
  droppedAttributes: number;
}

/** Deeper than this, a value is not measured but converted (JSON, or String(v) for a cycle). */
const MAX_DEPTH = 8;
/** A size that says "convert, then measure" (too deep, or a cycle). */
const UNMEASURED = -1;

/** UTF-8 bytes of `s`, exact once it could exceed `cap` (then it is counted). */
function stringSize(s: string, cap: number): number {
  return s.length * 3 <= cap ? s.length : Buffer.byteLength(s, 'utf8');
}

/**
 * Estimated JSON size of `v`, stopping early past `budget` (the result is then some
 * number above it) or returning UNMEASURED when too deep to walk.
 */
function sizeOf(v: unknown, budget: number, depth: number): number {
  switch (typeof v) {
    case 'string':
      return stringSize(v, budget) + 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'bigint':
      return String(v).length;
    case 'object': {
      if (v === null) return 4;
      if (depth >= MAX_DEPTH) return UNMEASURED;
      let total = 2;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length && total <= budget; i++) {
          const n = sizeOf(v[i], budget - total, depth + 1);
          if (n === UNMEASURED) return UNMEASURED;
          total += n + 1;
        }
        return total;
      }
      for (const key in v as Record<string, unknown>) {
        const n = sizeOf((v as Record<string, unknown>)[key], budget - total, depth + 1);
        if (n === UNMEASURED) return UNMEASURED;
        total += key.length + 4 + n;
        if (total > budget) return total;
      }
      return total;
    }
    default:
      // undefined, functions, symbols: dropped when read
      return 0;
  }
}

/**
 * The bytes of `tags` when every value and the total are within the limits — the
 * common case, measured without allocating — or -1 when a bounded copy is needed.
 */
export function attributeBytes(tags: Record<string, unknown>, limits: AttributeLimits): number {
  const { maxAttributeBytes, maxSpanAttributeBytes } = limits;
  let total = 0;
  for (const key in tags) {
    const n = sizeOf(tags[key], maxAttributeBytes, 0);
    if (n === UNMEASURED || n > maxAttributeBytes) return -1;
    total += key.length + n;
    if (total > maxSpanAttributeBytes) return -1;
  }
  return total;
}

/** The marker that ends a cut value. */
export function truncationMarker(originalBytes: number): string {
  return `…[truncated: ${originalBytes} bytes]`;
}

/** The first `maxBytes` UTF-8 bytes of `text`, cut at a character boundary. */
export function cutUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  // a character is at least one byte: the first maxBytes characters hold at least maxBytes bytes
  let head = text.length > maxBytes ? text.slice(0, maxBytes) : text;
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  const buf = Buffer.from(head, 'utf8');
  if (buf.length <= maxBytes) return head;
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}

/** `text` within `maxBytes` UTF-8 bytes: itself, or cut and marked (counted). */
export function boundText(text: string, maxBytes: number, counters: AttributeCounters): string {
  if (stringSize(text, maxBytes) <= maxBytes) return text;
  const bytes = Buffer.byteLength(text, 'utf8');
  const marker = truncationMarker(bytes);
  counters.truncatedAttributes++;
  return cutUtf8(text, maxBytes - Buffer.byteLength(marker)) + marker;
}

/**
 * A copy of `tags` within the limits: JSON-safe, each value at most `maxAttributeBytes`
 * (a longer one becomes its text, cut and marked), attributes in order until
 * `maxSpanAttributeBytes` is reached (the rest dropped). Runs only for spans past a bound.
 */
export function boundedAttributes(
  tags: Record<string, unknown>,
  limits: AttributeLimits,
  counters: AttributeCounters,
): { attributes: Record<string, unknown>; bytes: number } {
  const { maxAttributeBytes, maxSpanAttributeBytes } = limits;
  const attributes: Record<string, unknown> = {};
  let bytes = 0;
  for (const key in tags) {
    let v = tags[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    let n = sizeOf(v, maxAttributeBytes, 0);
    if (n === UNMEASURED || n > maxAttributeBytes) {
      // an object becomes its JSON text (a cycle: String(v), as jsonSafe does)
      const safe = typeof v === 'object' && v !== null ? safeJsonValue(v) : v;
      const text = typeof safe === 'string' ? safe : typeof safe === 'object' ? JSON.stringify(safe) : String(safe);
      v = boundText(text, maxAttributeBytes, counters);
      n = Buffer.byteLength(v as string, 'utf8') + 2;
    } else if (typeof v === 'object' && v !== null) {
      v = safeJsonValue(v);
    } else if (typeof v === 'bigint') {
      v = String(v);
    }
    if (bytes + key.length + n > maxSpanAttributeBytes) {
      counters.droppedAttributes++;
      continue;
    }
    attributes[key] = v;
    bytes += key.length + n;
  }
  sanitised.add(attributes);
  return { attributes, bytes };
}
