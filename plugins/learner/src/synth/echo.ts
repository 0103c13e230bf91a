// What a response repeats from its request, learned from the kept examples: a path
// parameter (`GET /users/42` → `"id": 42`), a query parameter, or a request body field
// (`POST /users {"email": …}` → the same email back). A rule is a pointer pattern (array
// indices as `*`) whose value equalled the source in every example that had the source;
// with one example only, the value must be distinctive (not a small number or a one-letter
// string) or the names must agree (`userId` ↔ `id`/`userId`), so a chance equality is not
// taken for a rule. Without examples, a path parameter goes where the schema has a property
// of its name, and the last one into a top-level `id`. The parsed examples also give the
// value pools synthesis draws real values from. Derived data is cached per status model.
import type { Example, JsonSchema, StatusModel } from '../model/types.js';
import { escape, type ValuePools } from './generate.js';
import { words } from './values.js';

export interface EchoRule {
  source: 'param' | 'query' | 'body';
  name: string;
  pointer: string;
  /** The examples held a number there (the request's text is converted). */
  numeric: boolean;
}

export interface Derived {
  rules: EchoRule[];
  pools: ValuePools;
}

/** Distinct real values kept per pointer. */
const POOL_LIMIT = 24;

type Leaf = { pointer: string; value: unknown };

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function leaves(value: unknown, pointer = '', out: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) for (const v of value) leaves(v, `${pointer}/*`, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, `${pointer}/${escape(k)}`, out);
  else out.push({ pointer, value });
  return out;
}

function sameValue(source: unknown, leaf: unknown): { equal: boolean; numeric: boolean } {
  if (typeof source === 'string' && typeof leaf === 'number') return { equal: source.trim() !== '' && String(leaf) === source, numeric: true };
  return { equal: source === leaf, numeric: typeof leaf === 'number' };
}

function distinctive(value: unknown): boolean {
  if (typeof value === 'number') return Math.abs(value) >= 100;
  if (typeof value === 'string') return value.length >= 3 && !/^\d{1,2}$/.test(value);
  return false;
}

function namesAgree(source: string, pointer: string): boolean {
  const field = pointer.split('/').pop() ?? '';
  if (field === source) return true;
  const s = words(source);
  const f = words(field);
  return f.join('') === 'id' && s[s.length - 1] === 'id';
}

function sourcesOf(ex: Example): Array<{ source: EchoRule['source']; name: string; value: unknown }> {
  const out: Array<{ source: EchoRule['source']; name: string; value: unknown }> = [];
  for (const [name, value] of Object.entries(ex.params ?? {})) out.push({ source: 'param', name, value });
  for (const [name, value] of Object.entries(ex.query ?? {})) out.push({ source: 'query', name, value: Array.isArray(value) ? value[0] : value });
  const body = parse(ex.requestBody);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) if (value !== null && typeof value !== 'object') out.push({ source: 'body', name, value });
  }
  return out;
}

function learnRules(examples: Example[], bodies: unknown[]): EchoRule[] {
  // candidates per source: pointer → numeric, narrowed example by example
  const seen = new Map<string, { source: EchoRule['source']; name: string; pointers: Map<string, boolean>; examples: number; value: unknown }>();
  examples.forEach((ex, i) => {
    const body = bodies[i];
    if (body === undefined) return;
    const byPointer = new Map<string, Leaf[]>();
    for (const leaf of leaves(body)) {
      const group = byPointer.get(leaf.pointer);
      if (group) group.push(leaf);
      else byPointer.set(leaf.pointer, [leaf]);
    }
    for (const src of sourcesOf(ex)) {
      const key = `${src.source}:${src.name}`;
      const here = new Map<string, boolean>();
      for (const [pointer, group] of byPointer) {
        const checks = group.map((l) => sameValue(src.value, l.value));
        if (checks.every((c) => c.equal)) here.set(pointer, checks[0].numeric);
      }
      const prev = seen.get(key);
      if (!prev) seen.set(key, { ...src, pointers: here, examples: 1 });
      else {
        for (const p of [...prev.pointers.keys()]) if (!here.has(p)) prev.pointers.delete(p);
        prev.examples++;
      }
    }
  });
  const rules: EchoRule[] = [];
  for (const c of seen.values()) {
    for (const [pointer, numeric] of c.pointers) {
      if (c.examples >= 2 || distinctive(c.value) || namesAgree(c.name, pointer)) rules.push({ source: c.source, name: c.name, pointer, numeric });
    }
  }
  return rules;
}

function buildPools(bodies: unknown[]): ValuePools {
  const pools: ValuePools = new Map();
  for (const body of bodies) {
    if (body === undefined) continue;
    for (const { pointer, value } of leaves(body)) {
      const pool = pools.get(pointer) ?? [];
      if (pool.length < POOL_LIMIT && !pool.includes(value)) pool.push(value);
      pools.set(pointer, pool);
    }
  }
  return pools;
}

const cache = new WeakMap<StatusModel, { examples: Example[]; length: number; first: number | undefined; derived: Derived }>();

/** Echo rules and value pools of one status, cached until its examples change. */
export function derive(status: StatusModel): Derived {
  const examples = status.examples ?? [];
  const hit = cache.get(status);
  if (hit && hit.examples === examples && hit.length === examples.length && hit.first === examples[0]?.at) return hit.derived;
  const bodies = examples.map((e) => parse(e.body));
  const derived = { rules: learnRules(examples, bodies), pools: buildPools(bodies) };
  cache.set(status, { examples, length: examples.length, first: examples[0]?.at, derived });
  return derived;
}

/** Where a path parameter goes when no example says: a property of its name, the last one also a top-level `id`. */
export function schemaRules(schema: JsonSchema | undefined, params: string[]): EchoRule[] {
  if (!schema) return [];
  const rules: EchoRule[] = [];
  const visit = (s: JsonSchema | undefined, pointer: string, depth: number) => {
    if (!s || typeof s !== 'object' || depth > 3) return;
    const props = s.properties as Record<string, JsonSchema> | undefined;
    if (props) {
      for (const name of params) if (props[name]) rules.push({ source: 'param', name, pointer: `${pointer}/${escape(name)}`, numeric: isNumeric(props[name]) });
      for (const [k, v] of Object.entries(props)) visit(v, `${pointer}/${escape(k)}`, depth + 1);
    }
    if (s.items && typeof s.items === 'object') visit(s.items as JsonSchema, `${pointer}/*`, depth + 1);
  };
  visit(schema, '', 0);
  const last = params[params.length - 1];
  const top = schema.properties as Record<string, JsonSchema> | undefined;
  if (last && top?.id && !rules.some((r) => r.pointer === '/id')) rules.push({ source: 'param', name: last, pointer: '/id', numeric: isNumeric(top.id) });
  return rules;
}

/** Request body fields a response of a write repeats when no example says: same-named top-level properties. */
export function bodyRules(schema: JsonSchema | undefined, body: unknown): EchoRule[] {
  const props = schema?.properties as Record<string, JsonSchema> | undefined;
  if (!props || !body || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.entries(body)
    .filter(([k, v]) => props[k] && v !== null && typeof v !== 'object')
    .map(([k]) => ({ source: 'body' as const, name: k, pointer: `/${escape(k)}`, numeric: isNumeric(props[k]) }));
}

function isNumeric(s: JsonSchema): boolean {
  const t = Array.isArray(s.type) ? s.type : [s.type];
  return t.includes('integer') || t.includes('number');
}

export { parse as parseJson };
