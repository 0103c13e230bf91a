// JSON Schema (2020-12) inferred from samples and merged across them. One node per place
// in the document, whatever the types seen there: `type` is a list when they differ, and
// each type's keywords sit side by side (JSON Schema applies `minLength` to strings only,
// `properties` to objects only…), so the merged schema validates every sample it learned
// from. Keywords: type, properties, required (present in every object sample), items,
// minItems/maxItems, minimum/maximum, minLength/maxLength, format (date-time, date, email,
// uri, uuid, ipv4 — checked with ajv-formats' own functions so a learned format always
// validates), enum for low-cardinality strings. Bookkeeping keywords (allowed by 2020-12
// as unknown keywords; an ajv instance needs `strict: false` or `LEARNED_KEYWORDS` added):
// `x-count` samples at this node, `x-values` the distinct strings seen (≤ 16, then
// `false`), `x-map` an object whose keys are data (more than 200 properties seen).
// Bounded: 2,000 nodes per schema (deeper levels then keep only their type).
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { JsonSchema } from './types.js';
import { getOwn } from './own.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/** Keywords the learner adds besides the standard ones. */
export const LEARNED_KEYWORDS = ['x-count', 'x-values', 'x-map'] as const;

export interface SchemaOptions {
  /** At most this many distinct strings for an enum (default 10). */
  maxEnum?: number;
  /** …seen over at least this many samples (default 20). */
  minEnumSamples?: number;
  /** Distinct strings remembered per node (default 16); past it no enum is ever made there. */
  maxValues?: number;
  /** Strings longer than this are never enum values (default 40). */
  maxEnumLength?: number;
  /** Properties of one object before it is treated as a map (default 200). */
  maxProperties?: number;
  /** Depth past which any value is accepted (default 24). */
  maxDepth?: number;
  /** Schema nodes kept in all (default 2,000): past it the deepest levels keep only their type. */
  maxNodes?: number;
}

// Bounds: a schema holds at most maxNodes nodes, each with at most maxValues strings of at
// most maxEnumLength characters — ~2,000 × 16 × 40 characters in the worst case, ~50 KB for
// a typical 100-field body.
const DEFAULTS: Required<SchemaOptions> = { maxEnum: 10, minEnumSamples: 20, maxValues: 16, maxEnumLength: 40, maxProperties: 200, maxDepth: 24, maxNodes: 2000 };

type Format = 'date-time' | 'date' | 'email' | 'uri' | 'uuid' | 'ipv4';
const FORMATS: Format[] = ['uuid', 'date-time', 'date', 'email', 'ipv4', 'uri'];

function formatCheck(name: Format): (s: string) => boolean {
  const f = (fullFormats as Record<string, unknown>)[name];
  if (f instanceof RegExp) return (s) => f.test(s);
  if (typeof f === 'function') return f as (s: string) => boolean;
  const v = (f as { validate: RegExp | ((s: string) => boolean) }).validate;
  return v instanceof RegExp ? (s) => v.test(s) : v;
}
const CHECKS = new Map(FORMATS.map((f) => [f, formatCheck(f)]));
// cheap shape tests first, so most strings are never run through the full checks
const LOOKS: Record<Format, RegExp> = {
  uuid: /^[0-9a-f]{8}-/i,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  ipv4: /^\d{1,3}(\.\d{1,3}){3}$/,
  uri: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
};

/** The format a string has, or undefined. */
export function detectFormat(s: string): Format | undefined {
  if (s.length > 2048) return undefined;
  for (const f of FORMATS) if (LOOKS[f].test(s) && CHECKS.get(f)!(s)) return f;
  return undefined;
}

/** The JSON type of a value as a schema names it. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** The schema of one sample (with `$schema` at the root). */
export function inferSchema(value: unknown, options: SchemaOptions = {}): JsonSchema {
  const o = { ...DEFAULTS, ...options };
  return prune(finish({ $schema: SCHEMA_DIALECT, ...infer(value, o, 0) }, o), o.maxNodes);
}

function infer(value: unknown, o: Required<SchemaOptions>, depth: number): JsonSchema {
  if (depth >= o.maxDepth) return { 'x-count': 1 };
  const type = jsonType(value);
  switch (type) {
    case 'null':
    case 'boolean':
      return { type, 'x-count': 1 };
    case 'integer':
    case 'number':
      return { type, minimum: value, maximum: value, 'x-count': 1 };
    case 'string': {
      const s = value as string;
      const length = codePoints(s);
      const format = detectFormat(s);
      // formatted strings (ids, dates) are never enums: no values kept for them
      return { type, minLength: length, maxLength: length, ...(format && { format }), 'x-values': !format && s.length <= o.maxEnumLength ? [s] : false, 'x-count': 1 };
    }
    case 'array': {
      const items = value as unknown[];
      let merged: JsonSchema | undefined;
      for (const item of items) merged = merged ? merge(merged, infer(item, o, depth + 1), o) : infer(item, o, depth + 1);
      return { type, minItems: items.length, maxItems: items.length, ...(merged && { items: merged }), 'x-count': 1 };
    }
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > o.maxProperties) {
        let merged: JsonSchema | undefined;
        for (const [, v] of entries) merged = merged ? merge(merged, infer(v, o, depth + 1), o) : infer(v, o, depth + 1);
        return { type, ...(merged && { additionalProperties: merged }), 'x-map': true, 'x-count': 1 };
      }
      const properties = Object.fromEntries(entries.map(([k, v]) => [k, infer(v, o, depth + 1)]));
      return { type, properties, required: entries.map(([k]) => k), 'x-count': 1 };
    }
    default:
      return { 'x-count': 1 }; // undefined, functions: not JSON
  }
}

/** One schema for the samples of both (`a` and `b` are not changed). */
export function mergeSchemas(a: JsonSchema, b: JsonSchema, options: SchemaOptions = {}): JsonSchema {
  const o = { ...DEFAULTS, ...options };
  const merged = merge(a, b, o);
  if (a.$schema || b.$schema) return prune(finish({ $schema: SCHEMA_DIALECT, ...merged }, o), o.maxNodes);
  return prune(finish(merged, o), o.maxNodes);
}

/** Child schemas of a node. */
function children(s: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [];
  if (s.properties) out.push(...Object.values(s.properties as Record<string, JsonSchema>));
  if (s.items && typeof s.items === 'object') out.push(s.items as JsonSchema);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.push(s.additionalProperties as JsonSchema);
  return out;
}

/** Keep at most `maxNodes` nodes: the levels below the deepest one that fits keep only their type. */
function prune(s: JsonSchema, maxNodes: number): JsonSchema {
  let level = [s];
  let total = 0;
  let depth = 0;
  while (level.length) {
    total += level.length;
    if (total > maxNodes) break;
    level = level.flatMap(children);
    depth++;
  }
  if (!level.length) return s;
  // depth: the first level that did not fit; nodes at depth - 1 keep only their type
  const cut = (node: JsonSchema, d: number): JsonSchema => {
    if (d >= depth - 1) return { ...typeOnly(node), ...(node.$schema !== undefined && { $schema: node.$schema }) };
    const out: JsonSchema = { ...node };
    if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties as Record<string, JsonSchema>).map(([k, p]) => [k, cut(p, d + 1)]));
    if (node.items && typeof node.items === 'object') out.items = cut(node.items as JsonSchema, d + 1);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = cut(node.additionalProperties as JsonSchema, d + 1);
    return out;
  };
  return cut(s, 0);
}

const typesOf = (s: JsonSchema): string[] | undefined => (s.type === undefined ? undefined : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]);
const count = (s: JsonSchema) => (typeof s['x-count'] === 'number' ? (s['x-count'] as number) : 1);
const has = (types: string[], ...want: string[]) => want.some((w) => types.includes(w));

function merge(a: JsonSchema, b: JsonSchema, o: Required<SchemaOptions>): JsonSchema {
  const ta = typesOf(a);
  const tb = typesOf(b);
  const n = count(a) + count(b);
  if (!ta || !tb) return { 'x-count': n }; // one side accepts anything: so does the merge
  let types = [...new Set([...ta, ...tb])];
  if (types.includes('number')) types = types.filter((t) => t !== 'integer');
  const out: JsonSchema = { type: types.length === 1 ? types[0] : types };
  const both = (...want: string[]) => has(ta, ...want) && has(tb, ...want);
  const pick = (...want: string[]) => (has(ta, ...want) ? a : b);

  // a bound missing on one side (a scrubbed secret) is missing in the merge
  const bound = (k: string, f: (x: number, y: number) => number) => {
    if (typeof a[k] === 'number' && typeof b[k] === 'number') out[k] = f(a[k] as number, b[k] as number);
  };
  const copy = (s: JsonSchema, ...keys: string[]) => {
    for (const k of keys) if (s[k] !== undefined) out[k] = s[k];
  };
  if (has(types, 'number', 'integer')) {
    if (both('number', 'integer')) {
      bound('minimum', Math.min);
      bound('maximum', Math.max);
    } else copy(pick('number', 'integer'), 'minimum', 'maximum');
  }
  if (types.includes('string')) {
    if (both('string')) {
      bound('minLength', Math.min);
      bound('maxLength', Math.max);
      if (a.format !== undefined && a.format === b.format) out.format = a.format;
      const va = a['x-values'];
      const vb = b['x-values'];
      if (Array.isArray(va) && Array.isArray(vb)) {
        const union = [...new Set([...(va as string[]), ...(vb as string[])])];
        out['x-values'] = union.length <= o.maxValues ? union : false;
      } else out['x-values'] = false;
    } else {
      const s = pick('string');
      copy(s, 'minLength', 'maxLength', 'format');
      out['x-values'] = s['x-values'] ?? false;
    }
  }
  if (types.includes('array')) {
    if (both('array')) {
      bound('minItems', Math.min);
      bound('maxItems', Math.max);
      const items = a.items && b.items ? merge(a.items as JsonSchema, b.items as JsonSchema, o) : (a.items ?? b.items);
      if (items) out.items = items;
    } else copy(pick('array'), 'minItems', 'maxItems', 'items');
  }
  if (types.includes('object')) Object.assign(out, both('object') ? mergeObjects(a, b, o) : objectPart(pick('object')));
  out['x-count'] = n;
  return out;
}

function objectPart(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const k of ['properties', 'required', 'additionalProperties', 'x-map']) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

/** Everything an object node knows as one schema of its values (for maps). */
function valuesOf(s: JsonSchema, o: Required<SchemaOptions>): JsonSchema | undefined {
  let merged = s.additionalProperties as JsonSchema | undefined;
  for (const p of Object.values((s.properties ?? {}) as Record<string, JsonSchema>)) merged = merged ? merge(merged, p, o) : p;
  return merged;
}

function mergeObjects(a: JsonSchema, b: JsonSchema, o: Required<SchemaOptions>): JsonSchema {
  const pa = (a.properties ?? {}) as Record<string, JsonSchema>;
  const pb = (b.properties ?? {}) as Record<string, JsonSchema>;
  const keys = new Set([...Object.keys(pa), ...Object.keys(pb)]);
  if (a['x-map'] || b['x-map'] || keys.size > o.maxProperties) {
    const va = valuesOf(a, o);
    const vb = valuesOf(b, o);
    const values = va && vb ? merge(va, vb, o) : (va ?? vb);
    return { ...(values && { additionalProperties: values }), 'x-map': true };
  }
  const properties = Object.fromEntries([...keys].map((k) => {
    const x = getOwn(pa, k);
    const y = getOwn(pb, k);
    return [k, x && y ? merge(x, y, o) : (x ?? y)!];
  }));
  const rb = new Set((b.required ?? []) as string[]);
  const required = ((a.required ?? []) as string[]).filter((k) => rb.has(k));
  return { properties, required };
}

/** A copy with the derived keywords (enum) recomputed everywhere below (inputs may share subtrees: never mutate). */
function finish(s: JsonSchema, o: Required<SchemaOptions>): JsonSchema {
  const types = typesOf(s);
  if (!types) return s;
  const { enum: _old, ...out } = s;
  const values = s['x-values'];
  const onlyStrings = types.every((t) => t === 'string' || t === 'null');
  if (types.includes('string') && onlyStrings && s.format === undefined && Array.isArray(values) && values.length <= o.maxEnum && count(s) >= o.minEnumSamples) {
    out.enum = types.includes('null') ? [...values, null] : [...values];
  }
  if (s.items) out.items = finish(s.items as JsonSchema, o);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = finish(s.additionalProperties as JsonSchema, o);
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties as Record<string, JsonSchema>).map(([k, p]) => [k, finish(p, o)]));
  return out;
}

/**
 * A copy where the values under secret property names (any depth) keep only their type: no
 * bounds, no values, no properties — nothing of a secret stays in the schema, and it still
 * validates the samples.
 */
export function scrubSecrets(s: JsonSchema, isSecret: (name: string) => boolean): JsonSchema {
  const out: JsonSchema = { ...s };
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, JsonSchema>).map(([k, p]) => [k, isSecret(k) ? typeOnly(p) : scrubSecrets(p, isSecret)]),
    );
  }
  if (s.items && typeof s.items === 'object') out.items = scrubSecrets(s.items as JsonSchema, isSecret);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = scrubSecrets(s.additionalProperties as JsonSchema, isSecret);
  return out;
}

/** Only the type (and the sample count) of a schema. */
export function typeOnly(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (s.type !== undefined) out.type = s.type;
  const types = typesOf(s) ?? [];
  if (types.includes('string')) out['x-values'] = false;
  if (types.includes('object')) out.required = [];
  if (s['x-count'] !== undefined) out['x-count'] = s['x-count'];
  return out;
}

/** The schema without the learner's bookkeeping keywords (for exports). */
export function publicSchema(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if ((LEARNED_KEYWORDS as readonly string[]).includes(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, JsonSchema>).map(([p, ps]) => [p, publicSchema(ps)]));
    else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') out[k] = publicSchema(v as JsonSchema);
    else out[k] = v;
  }
  return out;
}
