// A small JSON Schema (2020-12) checker for the keywords the learner infers: type (and
// unions), enum, const, numeric ranges and multipleOf, string lengths, formats and
// pattern, items/prefixItems, array lengths, properties/required/additionalProperties,
// property counts, anyOf/oneOf/allOf/not. Synthesis uses it to decide whether a real
// value (an example's, an `x-values` entry, an echoed path parameter) may be reused where
// it stands — ajv would do the same job but compiling a schema per sub-schema costs far
// more than the check. Unknown keywords pass, as in JSON Schema. The tests hold every
// synthesized body to ajv's 2020 build with ajv-formats, so this only has to be strict
// enough to never let a value through that ajv would refuse.
import type { JsonSchema } from '../model/types.js';

const FORMATS: Record<string, (s: string) => boolean> = {
  uuid: (s) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(s),
  email: (s) =>
    /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && validDate(s),
  'date-time': (s) => {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/.exec(s);
    return !!m && validDate(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
  },
  time: (s) => /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(s),
  uri: (s) => /^[a-z][a-z0-9+.-]*:[^\s"<>\\^`{|}]*$/i.test(s),
  ipv4: (s) => /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  hostname: (s) => s.length <= 253 && /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(s),
};

function validDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number);
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** Formats synthesis and this checker know; a string with another format is checked by its other keywords only. */
export const KNOWN_FORMATS = new Set(Object.keys(FORMATS));

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(want: unknown, value: unknown): boolean {
  const actual = jsonType(value);
  const wanted = Array.isArray(want) ? want : [want];
  return wanted.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** Deep equality for enum/const, as JSON sees it. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as JsonSchema)[k], (b as JsonSchema)[k]));
}

/** Length in code points, as JSON Schema counts it. */
export function stringLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function fitsNumber(schema: JsonSchema, v: number): boolean {
  const min = num(schema.minimum);
  const max = num(schema.maximum);
  const xmin = num(schema.exclusiveMinimum);
  const xmax = num(schema.exclusiveMaximum);
  const step = num(schema.multipleOf);
  if (min !== undefined && v < min) return false;
  if (max !== undefined && v > max) return false;
  if (xmin !== undefined && v <= xmin) return false;
  if (xmax !== undefined && v >= xmax) return false;
  if (step !== undefined && step > 0) {
    const q = v / step;
    if (Math.abs(q - Math.round(q)) > 1e-9) return false;
  }
  return true;
}

function fitsString(schema: JsonSchema, v: string): boolean {
  const len = stringLength(v);
  if (num(schema.minLength) !== undefined && len < (schema.minLength as number)) return false;
  if (num(schema.maxLength) !== undefined && len > (schema.maxLength as number)) return false;
  if (typeof schema.format === 'string' && FORMATS[schema.format] && !FORMATS[schema.format](v)) return false;
  if (typeof schema.pattern === 'string') {
    try {
      if (!new RegExp(schema.pattern, 'u').test(v)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function fitsArray(schema: JsonSchema, v: unknown[]): boolean {
  if (num(schema.minItems) !== undefined && v.length < (schema.minItems as number)) return false;
  if (num(schema.maxItems) !== undefined && v.length > (schema.maxItems as number)) return false;
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
  for (let i = 0; i < v.length; i++) {
    const sub = i < prefix.length ? prefix[i] : schema.items;
    if (sub !== undefined && !fits(sub as JsonSchema | boolean, v[i])) return false;
  }
  if (schema.uniqueItems === true) {
    for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) if (jsonEqual(v[i], v[j])) return false;
  }
  return true;
}

function fitsObject(schema: JsonSchema, v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  if (num(schema.minProperties) !== undefined && keys.length < (schema.minProperties as number)) return false;
  if (num(schema.maxProperties) !== undefined && keys.length > (schema.maxProperties as number)) return false;
  if (Array.isArray(schema.required) && !(schema.required as string[]).every((k) => Object.hasOwn(v, k))) return false;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
  for (const k of keys) {
    if (Object.hasOwn(props, k)) {
      if (!fits(props[k], v[k])) return false;
    } else if (schema.additionalProperties !== undefined && !fits(schema.additionalProperties as JsonSchema | boolean, v[k])) {
      return false;
    }
  }
  return true;
}

/** True when `value` validates against `schema` (for the keywords listed in the header). */
export function fits(schema: JsonSchema | boolean | undefined, value: unknown): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => jsonEqual(e, value))) return false;
  if (Object.hasOwn(schema, 'const') && !jsonEqual(schema.const, value)) return false;
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as JsonSchema[]).some((s) => fits(s, value))) return false;
  if (Array.isArray(schema.oneOf) && (schema.oneOf as JsonSchema[]).filter((s) => fits(s, value)).length !== 1) return false;
  if (Array.isArray(schema.allOf) && !(schema.allOf as JsonSchema[]).every((s) => fits(s, value))) return false;
  if (schema.not !== undefined && fits(schema.not as JsonSchema, value)) return false;
  switch (jsonType(value)) {
    case 'integer':
    case 'number':
      return fitsNumber(schema, value as number);
    case 'string':
      return fitsString(schema, value as string);
    case 'array':
      return fitsArray(schema, value as unknown[]);
    case 'object':
      return fitsObject(schema, value as Record<string, unknown>);
    default:
      return true;
  }
}
