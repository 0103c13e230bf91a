// What the three exports share: endpoints in a stable order, the pattern of each path
// parameter class (the same classes the template learner uses, see model/classify.ts),
// a sample request for a template, the static answer of an endpoint (its most frequent
// non-5xx status, with a real example body when one was kept, else a synthesized one from
// a fixed seed), stable ids, and the learned schema without the learner's own keywords.
import { createHash } from 'node:crypto';
import { createRandom } from '@understudy/plugin-sdk';
import type { EndpointModel, Example, JsonSchema, SegmentClass, StatusModel } from '../model/types.js';
import { LEARNED_KEYWORDS } from '../model/schema.js';
import { derive, schemaRules } from '../synth/echo.js';
import { isJsonType, mockHeaders } from '../synth/headers.js';
import { mainStatus } from '../synth/status.js';
import { synthesize } from '../synth/synthesize.js';

/** Regular expressions (anchored) a parameter of each class matches. */
export const PARAM_PATTERNS: Record<SegmentClass, string> = {
  integer: '^[0-9]{1,24}$',
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  ulid: '^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$',
  hex: '^[0-9a-fA-F]{8,128}$',
  date: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  slug: '^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+$',
  string: '^[^/]+$',
};

/** A value of each class, for sample requests. */
const SAMPLE_VALUES: Record<SegmentClass, string> = {
  integer: '1',
  uuid: '00000000-0000-4000-8000-000000000001',
  ulid: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  hex: '0a1b2c3d4e5f',
  date: '2025-01-01',
  slug: 'item-1',
  string: 'sample',
};

export const paramNames = (template: string) => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** Endpoints by template, then method: exports are the same for the same models. */
export function ordered(models: readonly EndpointModel[]): EndpointModel[] {
  return [...models].sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
}

/** A UUID derived from text (SHA-1, version/variant bits set): WireMock ids must be UUIDs, and stable ones keep diffs small. */
export function stableUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  /** Body text ('' for none). */
  body: string;
  /** The parsed body when it is JSON. */
  json?: unknown;
  via: 'example' | 'synthesized';
}

function parsed(body: string, contentType: string | undefined): unknown {
  if (!body || !isJsonType(contentType)) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The answer an example gives, as recorded. */
export function exampleAnswer(status: StatusModel, ex: Example): StaticAnswer {
  const headers = mockHeaders(status, status.schema !== undefined);
  const contentType = ex.contentType ?? headers['content-type'];
  if (ex.contentType) headers['content-type'] = ex.contentType;
  return { status: status.status, headers, body: ex.body, json: parsed(ex.body, contentType), via: 'example' };
}

/** The one answer a static export gives for a template: its main status, a real body if kept. */
export function templateAnswer(model: EndpointModel, seed: string | number): StaticAnswer | undefined {
  const main = mainStatus(model);
  if (!main) return undefined;
  const latest = [...(main.examples ?? [])].sort((a, b) => b.at - a.at)[0];
  if (latest) return exampleAnswer(main, latest);
  const params = Object.fromEntries(paramNames(model.template).map((n) => [n, SAMPLE_VALUES[model.params[n]] ?? 'x']));
  const path = model.template.replace(/\{([^}]+)\}/g, (_, n: string) => params[n]);
  const mock = synthesize(model, { method: model.method, path, params, query: {} }, createRandom(seed, model.key), { status: main.status, latency: false, examples: false });
  return { status: mock.status, headers: mock.headers, body: mock.body, json: parsed(mock.body, mock.headers['content-type']), via: 'synthesized' };
}

const BOOKKEEPING = new Set<string>(LEARNED_KEYWORDS);

/**
 * The learned schema without the learner's bookkeeping (`x-count`, `x-values`, `x-map`, see
 * model/schema.ts), for other tools; at any depth, under any keyword (not only properties
 * and items), and never inside `enum`/`const` values, which are data.
 */
export function publicSchema(schema: JsonSchema | undefined, keepValues = false): JsonSchema | undefined {
  if (schema === undefined || keepValues) return schema;
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (BOOKKEEPING.has(k)) continue;
      out[k] = k === 'enum' || k === 'const' || k === 'examples' || k === 'default' ? val : clean(val);
    }
    return out;
  };
  return clean(schema) as JsonSchema;
}

/** Query values of an example as single strings (the first of a repeated one). */
export function exampleQuery(ex: Example): Array<[string, string]> {
  return Object.entries(ex.query ?? {})
    .map(([k, v]) => [k, [v].flat()[0]] as [string, string | undefined])
    .filter((e): e is [string, string] => typeof e[1] === 'string');
}

/** Latency rounded to whole milliseconds, for formats that take integers. */
export const ms = (v: number) => Math.max(0, Math.round(v));

/** How a tool's response templates name the n-th path segment (0-based, empty segments skipped). */
export type SegmentExpression = (index: number) => string;

/**
 * The answer's JSON body with the path parameters the endpoint echoes (learned from its
 * examples, else from its schema — see synth/echo.ts) replaced by a template expression of
 * the tool, unquoted where the value is a number: `{"id":{{request.path.[1]}}}`. Undefined
 * when nothing is echoed. Parameters of the `string` class are left out: only the other
 * classes guarantee a segment that cannot break the JSON (no quote, no backslash).
 */
export function templatedBody(model: EndpointModel, answer: StaticAnswer, expression: SegmentExpression): string | undefined {
  const status = model.statuses.find((s) => s.status === answer.status);
  if (!status || answer.json === undefined || answer.json === null || typeof answer.json !== 'object') return undefined;
  const segments = model.template.split('/').filter(Boolean);
  const names = paramNames(model.template).filter((n) => model.params[n] && model.params[n] !== 'string');
  const learned = derive(status).rules.filter((r) => r.source === 'param');
  const rules = (learned.length ? learned : schemaRules(status.schema, names)).filter((r) => names.includes(r.name));
  if (!rules.length) return undefined;
  const body = structuredClone(answer.json) as Record<string, unknown>;
  const marks = new Map<string, string>();
  rules.forEach((rule, i) => {
    const mark = `__understudy_echo_${i}__`;
    const expr = `{{${expression(segments.indexOf(`{${rule.name}}`))}}}`;
    if (setAt(body, rule.pointer.split('/').slice(1), mark)) marks.set(JSON.stringify(mark), rule.numeric ? expr : JSON.stringify(expr));
  });
  if (!marks.size) return undefined;
  let text = JSON.stringify(body);
  for (const [mark, expr] of marks) text = text.split(mark).join(expr);
  return text;
}

/** Set a value at a pointer pattern (`*` = every element); false when the path is not there. */
function setAt(target: unknown, tokens: string[], value: unknown): boolean {
  if (!tokens.length || target === null || typeof target !== 'object') return false;
  const [head, ...rest] = tokens;
  const key = head.replace(/~1/g, '/').replace(/~0/g, '~');
  if (head === '*') {
    if (!Array.isArray(target)) return false;
    let any = false;
    for (let i = 0; i < target.length; i++) {
      if (rest.length) any = setAt(target[i], rest, value) || any;
      else {
        target[i] = value;
        any = true;
      }
    }
    return any;
  }
  const obj = target as Record<string, unknown>;
  if (!Object.hasOwn(obj, key)) return false;
  if (!rest.length) {
    obj[key] = value;
    return true;
  }
  return setAt(obj[key], rest, value);
}
