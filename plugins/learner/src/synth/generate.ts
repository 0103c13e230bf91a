// A value for a JSON Schema (2020-12, the keywords the learner infers — see fits.ts),
// built to validate by construction: enums and consts as given, numbers inside their
// (exclusive) bounds and multipleOf, strings by format, then by field name, within their
// lengths and pattern, arrays within their item counts, objects with every required
// property and the optional ones as often as the learner saw them (`x-count`), maps
// (`x-map`) with a few entries. Real values win where they fit: an echoed request value
// (path parameter, query, request body field) at its pointer, else now and then a value an
// example had at the same pointer or one of the schema's `x-values`. Unions pick a branch
// (oneOf: one that no other branch also accepts). Choices come from the seeded faker.
import type { JsonSchema } from '../model/types.js';
import { KNOWN_FORMATS, fits, jsonType, stringLength } from './fits.js';
import { byFormat, byName, faker, numberRange, plainString } from './values.js';

/** Real values by pointer pattern (`/items/*\/email`: array indices are `*`). */
export type ValuePools = Map<string, unknown[]>;

export interface GenerateContext {
  /** Reference time (ms) for dates: the model's last sighting. */
  refDate: number;
  /** Values an example had at a pointer, reused now and then. */
  pools: ValuePools;
  /** Values that must appear at a pointer when they fit (echoed request values). */
  echo: Map<string, unknown>;
  /** Chance of reusing a pooled real value where one fits. */
  reuse: number;
  /** Values generated so far in this body (see MAX_NODES); set by generate() when absent. */
  nodes?: { count: number };
}

/** Stop nesting past this depth (learned schemas have no $ref, so this only guards hand-written ones). */
const MAX_DEPTH = 24;
/**
 * Values one body may hold before optional properties are left out and arrays keep their
 * minimum: nested arrays multiply (30 levels of 2 items is 2³⁰ values), so size is bounded
 * by a count, not only by depth.
 */
const MAX_NODES = 5000;
/** Items an array gets at most when its schema sets no larger minimum. */
const MAX_GENERATED_ITEMS = 10;
const TRIES = 6;
/** Branches tried for a union before giving up (oneOf branches may overlap: 7 fits both 0–10 and 5–20). */
const UNION_TRIES = 32;
/** Chance a nullable value is null. */
const NULL_CHANCE = 0.1;
/** Chance an optional property is present when the learner did not count it. */
const OPTIONAL_CHANCE = 0.75;

const COMPOSITES = ['anyOf', 'oneOf', 'allOf'];

function withoutComposites(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) if (!COMPOSITES.includes(k)) out[k] = v;
  return out;
}

/** allOf folded into one schema: later keywords win, properties and required merge. */
function mergeAll(parts: JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (k === 'properties') out.properties = { ...(out.properties as JsonSchema), ...(v as JsonSchema) };
      else if (k === 'required') out.required = [...new Set([...((out.required as string[]) ?? []), ...(v as string[])])];
      else out[k] = v;
    }
  }
  return out;
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.required || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items || schema.prefixItems || schema.minItems !== undefined) return ['array'];
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return ['number'];
  return ['string'];
}

/**
 * What an echoed request value must fit: the learned type and format, but not the ranges,
 * lengths or value sets seen so far. Those describe the ids the traffic happened to show
 * (1–6, say), not what the real API accepts, and `GET /users/42` answering `id: 3` would
 * give the mock away — so an echoed value may lie outside the learned range.
 */
function relaxedForEcho(s: JsonSchema): JsonSchema {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, enum: values, ['x-values']: seen, ...rest } = s;
  void minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, values, seen;
  return rest;
}

const pick = <T>(items: readonly T[]): T => items[faker.number.int({ min: 0, max: items.length - 1 })];

export function generate(schema: JsonSchema | boolean | undefined, ctx: GenerateContext, pointer = '', name?: string, parent?: string, depth = 0): unknown {
  if (schema === false) return null; // nothing validates; the caller's schema was unsatisfiable
  ctx.nodes ??= { count: 0 };
  ctx.nodes.count++;
  const s: JsonSchema = schema === true || schema === undefined ? {} : schema;
  if (ctx.echo.has(pointer) && fits(relaxedForEcho(s), ctx.echo.get(pointer))) return ctx.echo.get(pointer);
  if (Object.hasOwn(s, 'const')) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) {
    const ok = s.enum.filter((v) => fits(withoutComposites({ ...s, enum: undefined }), v));
    return pick(ok.length ? ok : s.enum);
  }
  if (Array.isArray(s.allOf)) return generate(mergeAll([withoutComposites(s), ...(s.allOf as JsonSchema[])]), ctx, pointer, name, parent, depth + 1);
  const union = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length) return fromUnion(s, union, ctx, pointer, name, parent, depth);

  const reused = reuse(s, ctx, pointer);
  if (reused.found) return reused.value;

  let types = typesOf(s);
  if (types.length > 1 && types.includes('null')) {
    if (faker.number.float() < NULL_CHANCE) return null;
    types = types.filter((t) => t !== 'null');
  }
  const type = types.length === 1 ? types[0] : pick(types);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return faker.datatype.boolean();
    case 'integer':
      return makeNumber(s, name, true);
    case 'number':
      return makeNumber(s, name, types.includes('integer'));
    case 'array':
      return makeArray(s, ctx, pointer, name, depth);
    case 'object':
      return makeObject(s, ctx, pointer, name, depth);
    default:
      return makeString(s, ctx, pointer, name, parent);
  }
}

function fromUnion(s: JsonSchema, union: JsonSchema[], ctx: GenerateContext, pointer: string, name: string | undefined, parent: string | undefined, depth: number): unknown {
  const rest = withoutComposites(s);
  const order = faker.helpers.shuffle(union.map((_, i) => i));
  let first: unknown;
  for (let attempt = 0; attempt < UNION_TRIES; attempt++) {
    const i = order[attempt % order.length];
    const value = generate(mergeAll([rest, union[i]]), ctx, pointer, name, parent, depth + 1);
    if (attempt === 0) first = value;
    if (fits(s, value)) return value;
  }
  return first;
}

/** A real value from the example pool or `x-values`, when one fits and the dice say so. */
function reuse(s: JsonSchema, ctx: GenerateContext, pointer: string): { found: boolean; value?: unknown } {
  const candidates: unknown[] = [];
  const pool = ctx.pools.get(pointer);
  if (pool) candidates.push(...pool);
  if (Array.isArray(s['x-values'])) candidates.push(...(s['x-values'] as unknown[]));
  if (!candidates.length || faker.number.float() >= ctx.reuse) return { found: false };
  const ok = candidates.filter((v) => v !== null && typeof v !== 'object' && v !== '[REDACTED]' && fits(s, v));
  return ok.length ? { found: true, value: pick(ok) } : { found: false };
}

const numberOrUndefined = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function makeNumber(s: JsonSchema, name: string | undefined, integer: boolean): number {
  const base = numberRange(name, integer);
  const min = numberOrUndefined(s.minimum);
  const max = numberOrUndefined(s.maximum);
  const xmin = numberOrUndefined(s.exclusiveMinimum);
  const xmax = numberOrUndefined(s.exclusiveMaximum);
  const lowBound = min ?? xmin;
  const highBound = max ?? xmax;
  let lo = lowBound ?? base.min;
  let hi = highBound ?? base.max;
  if (lo > hi) {
    // one bound from the schema and the name's range on the wrong side of it
    if (lowBound !== undefined && highBound === undefined) hi = lo + (base.max - base.min);
    else if (highBound !== undefined && lowBound === undefined) lo = hi - (base.max - base.min);
  }
  const step = numberOrUndefined(s.multipleOf);
  const isX = (v: number) => (xmin !== undefined && v <= xmin) || (xmax !== undefined && v >= xmax);
  if (step && step > 0) {
    let kLo = Math.ceil(lo / step);
    let kHi = Math.floor(hi / step);
    if (isX(kLo * step)) kLo++;
    if (isX(kHi * step)) kHi--;
    if (integer && !Number.isInteger(step)) {
      // k·step must also be an integer: walk to the first such k (bounded)
      for (let k = kLo; k <= Math.min(kHi, kLo + 1000); k++) if (Number.isInteger(Number((k * step).toFixed(10)))) return Number((k * step).toFixed(10));
    }
    const k = kLo <= kHi ? faker.number.int({ min: kLo, max: kHi }) : kLo;
    return Number((k * step).toFixed(10));
  }
  if (integer) {
    let iLo = Math.ceil(lo);
    let iHi = Math.floor(hi);
    if (isX(iLo)) iLo++;
    if (isX(iHi)) iHi--;
    return iLo <= iHi ? faker.number.int({ min: iLo, max: iHi }) : iLo;
  }
  if (lo === hi) return lo;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const v = faker.number.float({ min: lo, max: hi, fractionDigits: base.decimals });
    if (v >= lo && v <= hi && !isX(v)) return v;
  }
  return (lo + hi) / 2;
}

function makeArray(s: JsonSchema, ctx: GenerateContext, pointer: string, name: string | undefined, depth: number): unknown[] {
  const minItems = numberOrUndefined(s.minItems) ?? 0;
  const maxItems = numberOrUndefined(s.maxItems);
  const lo = Math.min(Math.max(minItems, s.minItems === undefined ? 1 : minItems), maxItems ?? Infinity);
  let hi = Math.min(maxItems ?? Math.max(lo, 3), Math.max(lo, MAX_GENERATED_ITEMS));
  if (hi < lo) hi = lo;
  if (depth >= MAX_DEPTH) return Array.from({ length: minItems }, () => null);
  const n = full(ctx) ? minItems : faker.number.int({ min: Math.min(lo, hi), max: hi });
  const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as JsonSchema[]) : [];
  const item = singular(name);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const sub = i < prefix.length ? prefix[i] : (s.items as JsonSchema | boolean | undefined);
    let value = generate(sub, ctx, `${pointer}/*`, item, name, depth + 1);
    if (s.uniqueItems === true) {
      for (let attempt = 0; attempt < TRIES && out.some((v) => JSON.stringify(v) === JSON.stringify(value)); attempt++) {
        value = generate(sub, ctx, `${pointer}/*`, item, name, depth + 1);
      }
      if (out.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
        if (out.length >= minItems) break;
      }
    }
    out.push(value);
  }
  return out;
}

const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How often an optional property is present: its share of the parent's samples when the
 * learner counted both (`x-count`, model/schema.ts), else three times in four.
 */
function presence(parent: JsonSchema, child: JsonSchema | boolean): number {
  const of = parent['x-count'];
  const seen = isSchema(child) ? child['x-count'] : undefined;
  if (typeof of === 'number' && typeof seen === 'number' && of > 0) return Math.min(1, Math.max(0.05, seen / of));
  return OPTIONAL_CHANCE;
}

const full = (ctx: GenerateContext) => (ctx.nodes?.count ?? 0) >= MAX_NODES;

/** `users` → `user`, `categories` → `category`: array items are named like one element. */
function singular(name: string | undefined): string | undefined {
  if (!name) return name;
  if (/ies$/i.test(name)) return name.replace(/ies$/i, 'y');
  if (/(ss|us)$/i.test(name)) return name;
  return name.replace(/s$/i, '');
}

function makeObject(s: JsonSchema, ctx: GenerateContext, pointer: string, name: string | undefined, depth: number): Record<string, unknown> {
  const props = (s.properties ?? {}) as Record<string, JsonSchema | boolean>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const maxProps = numberOrUndefined(s.maxProperties) ?? Infinity;
  const minProps = numberOrUndefined(s.minProperties) ?? 0;
  const out: Record<string, unknown> = {};
  if (depth >= MAX_DEPTH || full(ctx)) {
    for (const key of required) out[key] = generate(props[key], ctx, `${pointer}/${escape(key)}`, key, name, depth + 1);
    return out;
  }
  const optional = Object.keys(props).filter((k) => !required.has(k));
  const chosen = new Set<string>(optional.filter((k) => ctx.echo.has(`${pointer}/${escape(k)}`) || faker.number.float() < presence(s, props[k])));
  for (const k of optional) if (required.size + chosen.size < minProps) chosen.add(k);
  for (const k of [...chosen]) if (required.size + chosen.size > maxProps) chosen.delete(k);
  for (const key of Object.keys(props)) {
    if (required.has(key) || chosen.has(key)) out[key] = generate(props[key], ctx, `${pointer}/${escape(key)}`, key, name, depth + 1);
  }
  for (const key of required) if (!Object.hasOwn(out, key)) out[key] = generate(s.additionalProperties as JsonSchema | undefined, ctx, `${pointer}/${escape(key)}`, key, name, depth + 1);
  if (s['x-map'] === true && isSchema(s.additionalProperties) && !full(ctx)) {
    // an object whose keys are data (the learner saw too many to list): a few entries
    const n = faker.number.int({ min: 1, max: 3 });
    for (let i = 0; i < n && Object.keys(out).length < maxProps; i++) {
      const key = faker.string.alphanumeric({ length: 8, casing: 'lower' });
      out[key] = generate(s.additionalProperties, ctx, `${pointer}/${escape(key)}`, undefined, name, depth + 1);
    }
  }
  if (s.additionalProperties !== false) {
    for (let i = 1; Object.keys(out).length < minProps; i++) out[`field${i}`] = generate(s.additionalProperties as JsonSchema | undefined, ctx, `${pointer}/field${i}`, `field${i}`, name, depth + 1);
  }
  return out;
}

/** JSON Pointer escaping of one token. */
export function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function makeString(s: JsonSchema, ctx: GenerateContext, pointer: string, name: string | undefined, parent: string | undefined): string {
  const format = typeof s.format === 'string' && KNOWN_FORMATS.has(s.format) ? s.format : undefined;
  const minLength = numberOrUndefined(s.minLength) ?? 0;
  const maxLength = numberOrUndefined(s.maxLength);
  const pattern = typeof s.pattern === 'string' ? s.pattern : undefined;
  let last = '';
  for (let attempt = 0; attempt < TRIES; attempt++) {
    let v: string;
    if (pattern) v = fromPattern(pattern);
    else if (format) v = attempt < TRIES / 2 ? byFormat(format, ctx.refDate)! : sizedFormat(format, byFormat(format, ctx.refDate)!, minLength, maxLength);
    else v = (attempt < TRIES / 2 ? byName(name, parent, ctx.refDate) : undefined) ?? plainString();
    if (!format && !pattern) v = fitLength(v, minLength, maxLength);
    last = v;
    if (fits(s, v)) return v;
  }
  // lengths a format cannot meet, or a pattern faker cannot follow: the closest real value, else the last try
  const pool = [...(ctx.pools.get(pointer) ?? []), ...(Array.isArray(s['x-values']) ? (s['x-values'] as unknown[]) : [])].filter((v) => typeof v === 'string' && fits(s, v));
  return pool.length ? (pick(pool) as string) : last;
}

const letters = (n: number) => faker.string.alpha({ length: Math.max(0, n), casing: 'lower' });

/**
 * A value of a format reshaped to a length the learned schema allows (samples `192.0.2.7`
 * give `maxLength: 9`, which most generated addresses exceed): the format's short or long
 * forms, padded where it has a free part. Formats of a fixed shape (uuid, date, time) stay.
 */
export function sizedFormat(format: string, v: string, min: number, max: number | undefined): string {
  const len = stringLength(v);
  const target = Math.min(Math.max(len, min), max ?? Math.max(len, min));
  if (target === len) return v;
  switch (format) {
    case 'email': {
      const domain = v.slice(v.indexOf('@') + 1);
      const local = target - domain.length - 1;
      return local >= 1 ? `${letters(local)}@${domain}` : v;
    }
    case 'ipv4': {
      if (target < 7 || target > 15) return v;
      let digits = target - 3;
      const octets: string[] = [];
      for (let i = 0; i < 4; i++) {
        const d = Math.min(3, Math.max(1, digits - (3 - i)));
        digits -= d;
        octets.push(String(d === 1 ? faker.number.int({ min: 1, max: 9 }) : d === 2 ? faker.number.int({ min: 10, max: 99 }) : faker.number.int({ min: 100, max: 255 })));
      }
      return octets.join('.');
    }
    case 'uri': {
      const base = 'https://example.com/';
      if (target >= base.length) return base + letters(target - base.length);
      return target >= 5 ? `urn:${letters(target - 4)}` : v;
    }
    case 'hostname': {
      if (target < 1 || target > 253) return v;
      const labels: string[] = [];
      let left = target;
      while (left > 0) {
        const n = Math.min(63, left === 2 ? 1 : left);
        labels.push(letters(n));
        left -= n + 1;
      }
      return labels.join('.');
    }
    case 'date-time': {
      const base = v.slice(0, 19);
      const forms = [`${base}Z`, `${base}.${faker.number.int({ min: 100, max: 999 })}Z`, `${base}+00:00`, `${base}.${faker.number.int({ min: 100, max: 999 })}+00:00`, `${base}.${faker.string.numeric(6)}Z`];
      return forms.find((f) => f.length === target) ?? forms.find((f) => f.length >= min && (max === undefined || f.length <= max)) ?? v;
    }
    default:
      return v;
  }
}

function fromPattern(pattern: string): string {
  try {
    return faker.helpers.fromRegExp(pattern.replace(/^\^/, '').replace(/\$$/, ''));
  } catch {
    return plainString();
  }
}

/** Cut or pad a free-text string into [min, max] code points. */
function fitLength(v: string, min: number, max: number | undefined): string {
  let out = v;
  if (max !== undefined && stringLength(out) > max) out = [...out].slice(0, max).join('').trimEnd() || [...out].slice(0, max).join('');
  while (stringLength(out) < min) out += (out ? ' ' : '') + faker.lorem.word();
  if (max !== undefined && stringLength(out) > max) out = [...out].slice(0, max).join('');
  return out;
}

export { jsonType };
