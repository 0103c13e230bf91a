// The REST list query: `?page=&pageSize=` (1-based pages), `?sort=-createdAt,name` and
// filters `?field=value` on dotted paths (`address.city=Springfield`), with json-server's
// operator suffixes `_ne`, `_gt`, `_gte`, `_lt`, `_lte` and `_like` (case-insensitive
// substring). A parameter given twice matches either value. As industry-data's own list
// does: arrays on the path match any element, and money (`{ amount, currency }`) compares
// by its amount; strings that are decimal numbers (ids: "9" < "10") compare as numbers. Personas filters and sorts itself (not through industry-data's list) so
// that the same rules apply to generated entities and to a session's changed ones.
import type { Entity } from './contract.js';
import { PersonasErrors } from './errors.js';
import { isPlainObject } from './merge-patch.js';
import { nearest } from './suggest.js';

export type Operator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'like';
const OPERATORS: Operator[] = ['ne', 'gte', 'gt', 'lte', 'lt', 'like'];

export interface Filter {
  path: string[];
  op: Operator;
  /** Any of these values matches. */
  values: string[];
}

export interface SortKey {
  path: string[];
  descending: boolean;
}

export interface ListParams {
  page: number;
  pageSize: number;
  sort: SortKey[];
  filters: Filter[];
}

export interface QueryRules {
  defaultPageSize: number;
  maxPageSize: number;
  /** Parameters that are not filters (`format`, `pretty`). */
  ignore: ReadonlySet<string>;
  /** Top-level fields an entity of this type may have (for "did you mean"). */
  fields: ReadonlySet<string>;
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function positiveInteger(name: string, raw: string | string[] | undefined, fallback: number, max: number | undefined, problems: string[]): number {
  const values = asList(raw);
  if (values.length === 0) return fallback;
  const text = values[values.length - 1];
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    problems.push(`${name}: ${JSON.stringify(text)} is not a positive integer`);
    return fallback;
  }
  const n = Number(text);
  if (max !== undefined && n > max) {
    problems.push(`${name}: ${n} is more than ${max} (plugins.personas.pagination.maxPageSize); ask for pages of at most ${max}`);
    return max;
  }
  return n;
}

/** Parse a list query, every problem at once (400 US_PERSONAS_BAD_QUERY). */
export function parseListQuery(query: Record<string, string | string[]>, rules: QueryRules): ListParams {
  const problems: string[] = [];
  const page = positiveInteger('page', query.page, 1, undefined, problems);
  const pageSize = positiveInteger('pageSize', query.pageSize, rules.defaultPageSize, rules.maxPageSize, problems);
  const checkField = (param: string, path: string[]) => {
    if (path.some((p) => p === '')) return void problems.push(`${param}: "${path.join('.')}" is not a field path (use dots between names: address.city)`);
    if (rules.fields.size && !rules.fields.has(path[0])) {
      const near = nearest(path[0], rules.fields);
      problems.push(`${param}: no field "${path[0]}"${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}; fields: ${[...rules.fields].join(', ')}`);
    }
  };
  const sort: SortKey[] = [];
  for (const spec of asList(query.sort).flatMap((s) => s.split(','))) {
    const text = spec.trim();
    if (!text) continue;
    const descending = text.startsWith('-');
    const path = (descending || text.startsWith('+') ? text.slice(1) : text).split('.');
    checkField('sort', path);
    sort.push({ path, descending });
  }
  const filters: Filter[] = [];
  for (const [param, raw] of Object.entries(query)) {
    if (param === 'page' || param === 'pageSize' || param === 'sort' || rules.ignore.has(param)) continue;
    const op = OPERATORS.find((o) => param.endsWith(`_${o}`)) ?? 'eq';
    const field = op === 'eq' ? param : param.slice(0, -(op.length + 1));
    const path = field.split('.');
    checkField(param, path);
    filters.push({ path, op, values: asList(raw) });
  }
  if (problems.length) throw new PersonasErrors.BAD_QUERY(problems);
  return { page, pageSize, sort, filters };
}

const isMoney = (v: unknown): v is { amount: number } => isPlainObject(v) && typeof v.amount === 'number' && typeof v.currency === 'string';

/** The values at a dotted path, descending into arrays (any element); money gives its amount. */
export function valuesAt(entity: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [entity];
  for (const key of path) {
    const next: unknown[] = [];
    for (const v of current) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (isPlainObject(item) && item[key] !== undefined) next.push(item[key]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (isMoney(v) ? v.amount : v));
}

const numeric = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));
/** A string of a plain decimal number ("42", "-1.5"): ids and codes compare as numbers. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function compareToText(leaf: unknown, text: string): number {
  if (typeof leaf === 'number' && numeric(text)) return leaf - Number(text);
  if (typeof leaf === 'string' && DECIMAL.test(leaf) && DECIMAL.test(text)) return Number(leaf) - Number(text);
  const s = String(leaf);
  return s < text ? -1 : s > text ? 1 : 0;
}

function matchesOne(leaf: unknown, op: Operator, text: string): boolean {
  if (leaf === null || typeof leaf === 'object') return false;
  switch (op) {
    case 'eq':
      return compareToText(leaf, text) === 0;
    case 'ne':
      return compareToText(leaf, text) !== 0;
    case 'like':
      return String(leaf).toLowerCase().includes(text.toLowerCase());
    case 'gt':
      return compareToText(leaf, text) > 0;
    case 'gte':
      return compareToText(leaf, text) >= 0;
    case 'lt':
      return compareToText(leaf, text) < 0;
    case 'lte':
      return compareToText(leaf, text) <= 0;
  }
}

/** Does the entity pass every filter? (`_ne` passes when no value at the path equals any given.) */
export function matches(entity: Entity, filters: readonly Filter[]): boolean {
  for (const f of filters) {
    const leaves = valuesAt(entity, f.path);
    const ok =
      f.op === 'ne'
        ? f.values.every((text) => leaves.every((leaf) => matchesOne(leaf, 'ne', text)))
        : f.values.some((text) => leaves.some((leaf) => matchesOne(leaf, f.op, text)));
    if (!ok) return false;
  }
  return true;
}

const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);

function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 1 && DECIMAL.test(a as string) && DECIMAL.test(b as string)) return Number(a) - Number(b);
  const sa = ra === 3 ? JSON.stringify(a) : String(a);
  const sb = rb === 3 ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A stable sort by the keys (missing values last, whatever the direction). */
export function sortEntities(items: Entity[], keys: readonly SortKey[]): Entity[] {
  if (!keys.length) return items;
  const decorated = items.map((item) => ({ item, values: keys.map((k) => valuesAt(item, k.path)[0]) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const a = x.values[i];
      const b = y.values[i];
      if (a === undefined || b === undefined) {
        if (a !== b) return a === undefined ? 1 : -1;
        continue;
      }
      const c = compareValues(a, b);
      if (c !== 0) return keys[i].descending ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}
