// The cheap shape check of sampled learning (endpoint.ts): does a JSON text's TOP LEVEL fit
// a learned schema — an object's keys all known, every required key present, each value of
// an allowed JSON type; an array or scalar root of an allowed type — without JSON.parse?
// One pass over the text that allocates nothing per value (a key is sliced only to look it
// up): on the proxy bench's 158-byte body it is a fraction of what parsing and walking the
// body cost (JSON.parse builds every nested object only to have the walk find nothing new).
// What sits deeper than the top level is left to the sampled bodies.
import { getOwn } from './own.js';
import type { JsonSchema } from './types.js';

const WS = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Types a schema allows (undefined: any). */
const allowed = (s: JsonSchema): string[] | undefined => (s.type === undefined ? undefined : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]);

const typeFits = (types: string[] | undefined, t: string) => !types || types.includes(t) || (t === 'integer' && types.includes('number'));

/** Scans one JSON value from `i`; its end and type, or -1 when the text is not JSON as far as the scan sees. */
class Scanner {
  end = 0;
  type = '';
  constructor(private readonly s: string) {}

  skipWs(i: number): number {
    const s = this.s;
    while (i < s.length && WS(s.charCodeAt(i))) i++;
    return i;
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
      this.type = 'string';
      this.end = this.string(i);
      return this.end > 0;
    }
    if (c === 0x7b || c === 0x5b) {
      this.type = c === 0x7b ? 'object' : 'array';
      this.end = this.nested(i);
      return this.end > 0;
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
      if (!s.startsWith(word, i)) return false;
      this.type = c === 0x6e ? 'null' : 'boolean';
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
      this.type = 'integer';
    }
    else {
      // 1.0 and 1e2 parse to integers: what JSON.parse and the schema inference would call them
      const n = Number(s.slice(i, j));
      if (!Number.isFinite(n)) return false;
      this.type = Number.isInteger(n) ? 'integer' : 'number';
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
  const root = allowed(schema);
  if (text.charCodeAt(i) !== 0x7b) {
    if (!sc.value(i) || sc.skipWs(sc.end) !== text.length) return undefined;
    return typeFits(root, sc.type);
  }
  if (!typeFits(root, 'object')) return false;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const map = schema['x-map'] ? ((schema.additionalProperties as JsonSchema | undefined) ?? {}) : undefined;
  if (!props && !map) {
    // an object schema that names no properties (every sample was {}): any key is new
    return /^\{\s*\}\s*$/.test(text) ? true : root ? false : true;
  }
  const required = (schema.required ?? []) as string[];
  let requiredSeen = 0;
  let fits = true;
  i = sc.skipWs(i + 1);
  if (text.charCodeAt(i) === 0x7d) return sc.skipWs(i + 1) === text.length ? required.length === 0 : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = sc.string(i);
    if (keyEnd < 0) return undefined;
    let key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) {
      try {
        key = JSON.parse(text.slice(i, keyEnd)) as string;
      } catch {
        return undefined;
      }
    }
    i = sc.skipWs(keyEnd);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i = sc.skipWs(i + 1);
    if (!sc.value(i)) return undefined;
    if (fits) {
      const known = map ?? (props && getOwn(props, key));
      if (!known || !typeFits(allowed(known), sc.type)) fits = false;
      else if (!map && required.includes(key)) requiredSeen++;
    }
    i = sc.skipWs(sc.end);
    const c = text.charCodeAt(i);
    if (c === 0x2c) {
      i = sc.skipWs(i + 1);
      continue;
    }
    if (c !== 0x7d || sc.skipWs(i + 1) !== text.length) return undefined;
    break;
  }
  return fits && requiredSeen >= required.length;
}
