// A WireMock request pattern compiled into a matcher: a fast yes/no for serving, and a
// weighted distance with mismatches for near misses.
import type { ExchangeRequest } from '@understudy/plugin-sdk';
import { invalid } from '../errors.js';
import { compilePathTemplate } from './path-template.js';
import { compileValueMatcher, equalTo, regex, type ValueMatcher } from './value.js';
import { isObject } from '../is-object.js';

/** One part of a request that did not match, as shown in near misses. */
export interface Mismatch {
  field: string;
  expected: string;
  /** `null` when the request has no such part (missing header, no body…). */
  actual: string | string[] | null;
}

export interface Evaluation {
  /** Weighted 0 (match) … 1 (nothing alike), as WireMock ranks near misses. */
  distance: number;
  mismatches: Mismatch[];
}

export interface RequestMatcher {
  /** Sum of the parts' weights, to fold extra criteria (scenario state) into a distance. */
  readonly weight: number;
  /** Fast yes/no, stopping at the first part that fails. */
  test(req: ExchangeRequest): boolean;
  /** Full comparison for near misses. */
  evaluate(req: ExchangeRequest): Evaluation;
}

type Selection = string | string[] | undefined;

interface Part {
  field: string;
  /** WireMock weighs the URL and the method above the other parts. */
  weight: number;
  matcher: ValueMatcher;
  select(req: ExchangeRequest): Selection;
}

const URL_KEYS = ['url', 'urlPath', 'urlPattern', 'urlPathPattern', 'urlPathTemplate'] as const;
const KNOWN_KEYS = new Set<string>([
  'method', ...URL_KEYS, 'pathParameters', 'queryParameters', 'headers', 'cookies', 'basicAuthCredentials', 'bodyPatterns',
]);
/** Would silently widen matching if ignored, so they are refused by name. */
const UNSUPPORTED_KEYS = new Set(['formParameters', 'multipartPatterns', 'customMatcher', 'host', 'port', 'scheme', 'clientIp']);
/** How much string the near-miss report shows of a body. */
const MAX_ACTUAL_LENGTH = 500;

function parseCookies(header: Selection): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of [header ?? []].flat()) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

function testPart(part: Part, req: ExchangeRequest): boolean {
  const value = part.select(req);
  if (Array.isArray(value)) return value.length ? value.some((v) => part.matcher.test(v)) : part.matcher.test(undefined);
  return part.matcher.test(value);
}

function partDistance(part: Part, value: Selection): number {
  if (Array.isArray(value) && value.length) return Math.min(...value.map((v) => part.matcher.distance(v)));
  return part.matcher.distance(Array.isArray(value) ? undefined : value);
}

function shown(value: Selection): string | string[] | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value;
  return value.length > MAX_ACTUAL_LENGTH ? `${value.slice(0, MAX_ACTUAL_LENGTH)}…` : value;
}

/** `{ name: matcher }` maps (headers, query, cookies, path parameters) become one part each. */
function namedParts(
  raw: unknown,
  path: string,
  field: string,
  select: (req: ExchangeRequest, name: string) => Selection,
  normaliseName: (name: string) => string = (n) => n,
): Part[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) return invalid(path, 'must be an object of { "<name>": <matcher> }');
  return Object.entries(raw).map(([name, m]) => {
    const key = normaliseName(name);
    return { field: `${field}.${name}`, weight: 1, matcher: compileValueMatcher(m, `${path}.${name}`), select: (req) => select(req, key) };
  });
}

function urlParts(raw: Record<string, unknown>, path: string): Part[] {
  const given = URL_KEYS.filter((k) => raw[k] !== undefined);
  if (given.length > 1) invalid(path, `has ${given.join(' and ')}; use only one of ${URL_KEYS.join(', ')}`);
  if (raw.pathParameters !== undefined && given[0] !== 'urlPathTemplate') invalid(`${path}.pathParameters`, 'needs urlPathTemplate');
  const key = given[0];
  if (key === undefined) return [];
  const value = raw[key];
  const at = `${path}.${key}`;
  if (typeof value !== 'string') return invalid(at, `must be a string, got ${JSON.stringify(value)}`);
  const onPath = key !== 'url' && key !== 'urlPattern';
  const select = onPath ? (req: ExchangeRequest) => req.path : (req: ExchangeRequest) => req.url;
  if (key !== 'urlPathTemplate') {
    const matcher = key === 'url' || key === 'urlPath' ? equalTo(value) : regex('matches', value, at);
    return [{ field: key, weight: 10, matcher, select }];
  }
  const template = compilePathTemplate(value, at);
  const fits: ValueMatcher = {
    expected: value,
    test: (a) => a !== undefined && template.parse(a) !== undefined,
    distance: (a) => (a !== undefined && template.parse(a) ? 0 : 1),
  };
  const params = namedParts(raw.pathParameters, `${path}.pathParameters`, 'pathParameters', (req, name) => template.parse(req.path)?.[name]);
  for (const p of params) {
    const name = p.field.slice('pathParameters.'.length);
    if (!template.names.includes(name)) invalid(`${path}.pathParameters.${name}`, `is not a parameter of ${value}`);
  }
  return [{ field: key, weight: 10, matcher: fits, select }, ...params];
}

function methodParts(method: unknown, path: string): Part[] {
  if (method === undefined) return [];
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) return invalid(`${path}.method`, `must be an HTTP method such as "GET" or "ANY", got ${JSON.stringify(method)}`);
  const upper = method.toUpperCase();
  if (upper === 'ANY') return [];
  return [{ field: 'method', weight: 3, matcher: equalTo(upper), select: (req) => req.method }];
}

function basicAuthParts(raw: unknown, path: string): Part[] {
  if (raw === undefined) return [];
  if (!isObject(raw) || typeof raw.username !== 'string' || typeof raw.password !== 'string') {
    return invalid(path, 'must be { "username": "…", "password": "…" }');
  }
  const token = `Basic ${Buffer.from(`${raw.username}:${raw.password}`).toString('base64')}`;
  return [{ field: 'basicAuthCredentials', weight: 1, matcher: equalTo(token), select: (req) => req.headers.authorization }];
}

function bodyParts(raw: unknown, path: string): Part[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return invalid(path, 'must be an array of matchers');
  return raw.map((m, i) => ({
    field: 'body',
    weight: 1,
    matcher: compileValueMatcher(m, `${path}[${i}]`),
    select: (req: ExchangeRequest) => req.body,
  }));
}

/**
 * Compile a WireMock request pattern (the `request` of a mapping, or the body of
 * `/__admin/requests/count`). `path` prefixes every error (`request.headers.accept…`).
 */
export function compileRequestPattern(raw: unknown, path: string): RequestMatcher {
  if (!isObject(raw)) return invalid(path, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (UNSUPPORTED_KEYS.has(key)) invalid(`${path}.${key}`, 'is not supported by the stubs plugin');
    if (!KNOWN_KEYS.has(key)) invalid(`${path}.${key}`, `is not a request field; known: ${[...KNOWN_KEYS].join(', ')}`);
  }
  const parts: Part[] = [
    ...methodParts(raw.method, path),
    ...urlParts(raw, path),
    ...namedParts(raw.queryParameters, `${path}.queryParameters`, 'queryParameters', (req, name) => req.query[name]),
    ...namedParts(raw.headers, `${path}.headers`, 'headers', (req, name) => req.headers[name], (n) => n.toLowerCase()),
    ...namedParts(raw.cookies, `${path}.cookies`, 'cookies', (req, name) => parseCookies(req.headers.cookie)[name]),
    ...basicAuthParts(raw.basicAuthCredentials, `${path}.basicAuthCredentials`),
    ...bodyParts(raw.bodyPatterns, `${path}.bodyPatterns`),
  ];
  const totalWeight = parts.reduce((sum, p) => sum + p.weight, 0);
  return {
    weight: totalWeight,
    test: (req) => parts.every((p) => testPart(p, req)),
    evaluate(req) {
      const mismatches: Mismatch[] = [];
      let weighted = 0;
      for (const part of parts) {
        if (testPart(part, req)) continue;
        const value = part.select(req);
        weighted += partDistance(part, value) * part.weight;
        mismatches.push({ field: part.field, expected: part.matcher.expected, actual: shown(value) });
      }
      return { distance: totalWeight ? weighted / totalWeight : 0, mismatches };
    },
  };
}
