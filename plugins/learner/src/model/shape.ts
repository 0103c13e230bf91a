// The cheap shape check of sampled learning (endpoint.ts): does a JSON text's TOP LEVEL fit
// a learned schema — an object's keys all known, every required key present, each value of
// an allowed JSON type; an array or scalar root of an allowed type — without JSON.parse?
// One pass over the text. What it needs of a schema is compiled once per schema object
// (schemas are replaced, never changed, when a body is merged): per key a bit mask of the
// allowed types, and the keys in the order the last fitting body had them, so a body with
// its keys in the same order is checked with `startsWith` at each key and allocates
// nothing. On the proxy bench's 158-byte body this is a fraction of what parsing and
// walking it cost. What sits deeper than the top level is left to the sampled bodies.
import { getOwn } from './own.js';
import type { JsonSchema } from './types.js';

const STRING = 1;
const INTEGER = 2;
const NUMBER = 4;
const BOOLEAN = 8;
const NULL = 16;
const OBJECT = 32;
const ARRAY = 64;
const ANY = 127;

const BITS: Record<string, number> = { string: STRING, integer: INTEGER, number: NUMBER | INTEGER, boolean: BOOLEAN, null: NULL, object: OBJECT, array: ARRAY };

/** The types a schema allows, as bits (an integer is a number too). */
function maskOf(s: JsonSchema): number {
  if (s.type === undefined) return ANY;
  let mask = 0;
  for (const t of Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]) mask |= BITS[t] ?? 0;
  return mask;
}

interface Key {
  mask: number;
  required: boolean;
}

interface Compiled {
  root: number;
  /** Known keys (a map's values: `mapValues` instead). */
  keys: Map<string, Key>;
  mapValues?: number;
  required: number;
  /** `"key"` texts in the order of the last body that fitted, and what each key allows. */
  order: Array<{ quoted: string; key: Key }>;
}

const compiled = new WeakMap<JsonSchema, Compiled>();

function compile(schema: JsonSchema): Compiled {
  let c = compiled.get(schema);
  if (c) return c;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const required = new Set((schema.required ?? []) as string[]);
  const keys = new Map<string, Key>();
  for (const k in props) if (Object.hasOwn(props, k)) keys.set(k, { mask: maskOf(getOwn(props, k)!), required: required.has(k) });
  c = {
    root: maskOf(schema),
    keys,
    ...(schema['x-map'] ? { mapValues: maskOf((schema.additionalProperties as JsonSchema | undefined) ?? {}) } : {}),
    required: [...required].filter((k) => keys.has(k)).length,
    order: [],
  };
  compiled.set(schema, c);
  return c;
}

/** Scans JSON values: `end` and the type bit of the last one, or false when the text is not JSON as far as the scan sees. */
class Scanner {
  end = 0;
  type = 0;
  constructor(private readonly s: string) {}

  skipWs(i: number): number {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return i;
    }
  }

  /** The end of the string starting at `i` (the opening quote), after its closing quote; -1 if unterminated. */
  string(i: number): number {
    const s = this.s;
    // the next quote not escaped (an odd run of backslashes before it escapes it)
    for (let j = s.indexOf('"', i + 1); j > 0; j = s.indexOf('"', j + 1)) {
      let k = j - 1;
      while (s.charCodeAt(k) === 0x5c) k--;
      if ((j - k) % 2 === 1) return j + 1;
    }
    return -1;
  }

  /** Sets `end` and `type` for the value at `i`; false when it is not JSON. */
  value(i: number): boolean {
    const s = this.s;
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      this.type = STRING;
      this.end = this.string(i);
      return this.end > 0;
    }
    if (c === 0x7b || c === 0x5b) {
      this.type = c === 0x7b ? OBJECT : ARRAY;
      this.end = this.nested(i);
      return this.end > 0;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      if (!s.startsWith(word, i)) return false;
      this.type = c === 0x6e ? NULL : BOOLEAN;
      this.end = i + word.length;
      return true;
    }
    let j = i;
    let integer = true;
    for (; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if ((d >= 0x30 && d <= 0x39) || d === 0x2d || d === 0x2b) continue;
      if (d === 0x2e || d === 0x65 || d === 0x45) integer = false;
      else break;
    }
    if (j === i) return false;
    if (integer) {
      // digits and signs only: a lone sign is not a number
      const last = s.charCodeAt(j - 1);
      if (last < 0x30 || last > 0x39) return false;
      this.type = INTEGER;
    } else {
      // 1.0 and 1e2 parse to integers: what JSON.parse and the schema inference would call them
      const n = Number(s.slice(i, j));
      if (!Number.isFinite(n)) return false;
      this.type = Number.isInteger(n) ? INTEGER : NUMBER;
    }
    this.end = j;
    return true;
  }

  /** The end of the object or array at `i` (brackets balanced, strings skipped); -1 if unbalanced. */
  private nested(i: number): number {
    const s = this.s;
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        j = this.string(j) - 1;
        if (j < 0) return -1;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
}

/**
 * Whether the top level of JSON text `text` fits `schema` (see the header): true / false,
 * or undefined when the text does not look like JSON (then it is parsed the usual way).
 */
export function topLevelFits(text: string, schema: JsonSchema): boolean | undefined {
  const sc = new Scanner(text);
  let i = sc.skipWs(0);
  if (i >= text.length) return undefined;
  const c = compile(schema);
  if (text.charCodeAt(i) !== 0x7b) {
    if (!sc.value(i) || sc.skipWs(sc.end) !== text.length) return undefined;
    return (c.root & sc.type) !== 0;
  }
  if (!(c.root & OBJECT)) return false;
  if (!schema.properties && c.mapValues === undefined) {
    // an object schema that names no properties (every sample was {}): any key is new
    return /^\s*\{\s*\}\s*$/.test(text) ? true : c.root !== ANY ? false : true;
  }
  let requiredSeen = 0;
  let fits = true;
  // keys in the order of the last fitting body: checked in place, nothing sliced (a map's
  // keys are data: no order is kept for them)
  const order = c.order;
  let seen: Compiled['order'] | undefined;
  let inOrder = c.mapValues === undefined;
  i = sc.skipWs(i + 1);
  if (text.charCodeAt(i) === 0x7d) return sc.skipWs(i + 1) === text.length ? c.required === 0 : undefined;
  for (let n = 0; ; n++) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    let key: Key | undefined;
    let keyEnd: number;
    const expected = inOrder ? order[n] : undefined;
    if (expected && text.startsWith(expected.quoted, i)) {
      key = expected.key;
      keyEnd = i + expected.quoted.length;
    } else {
      if (inOrder) seen = order.slice(0, n);
      inOrder = false;
      keyEnd = sc.string(i);
      if (keyEnd < 0) return undefined;
      let name = text.slice(i + 1, keyEnd - 1);
      if (name.includes('\\')) {
        try {
          name = JSON.parse(text.slice(i, keyEnd)) as string;
        } catch {
          return undefined;
        }
      }
      key = c.mapValues !== undefined ? { mask: c.mapValues, required: false } : c.keys.get(name);
      if (key && seen) seen.push({ quoted: text.slice(i, keyEnd), key });
    }
    i = sc.skipWs(keyEnd);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i = sc.skipWs(i + 1);
    if (!sc.value(i)) return undefined;
    if (fits) {
      if (!key || !(key.mask & sc.type)) fits = false;
      else if (key.required) requiredSeen++;
    }
    i = sc.skipWs(sc.end);
    const ch = text.charCodeAt(i);
    if (ch === 0x2c) {
      i = sc.skipWs(i + 1);
      continue;
    }
    if (ch !== 0x7d || sc.skipWs(i + 1) !== text.length) return undefined;
    break;
  }
  const ok = fits && requiredSeen >= c.required;
  // the next body of this endpoint most likely has its keys in this order
  if (ok && seen) c.order = seen;
  return ok;
}
