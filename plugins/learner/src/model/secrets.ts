// Redaction of secrets before anything observed is kept (typical headers, examples, query
// values). Observations arrive with secrets in clear; the learner stores only what these
// functions return. Header names are compared lower-case; field names are compared
// "loosely" (case, `-` and `_` ignored) so `api_key`, `apiKey` and `API-KEY` are one name.
import type { Headers } from '@understudy/plugin-sdk';
import { setOwn } from './own.js';

export const REDACTED = '[REDACTED]';

/** Headers that are always redacted. */
export const SECRET_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

/** Body / query fields always redacted, besides the configured ones. */
export const SECRET_FIELDS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'clientSecret',
  'authorization',
];

const loose = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

// The learner asks for a matcher / a header set per observation with the same config
// arrays: build each once per array rather than a Set per call.
const NONE: readonly string[] = [];
const matchers = new WeakMap<readonly string[], (name: string) => boolean>();
const headerSets = new WeakMap<readonly string[], Set<string>>();
function memo<T>(cache: WeakMap<readonly string[], T>, key: readonly string[], make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = make()));
  return v;
}

/** A matcher for field names: defaults plus `extra`, compared loosely. */
export function fieldMatcher(extra: readonly string[] = NONE): (name: string) => boolean {
  return memo(matchers, extra, () => {
    const names = new Set([...SECRET_FIELDS, ...extra].map(loose));
    return (name: string) => names.has(loose(name));
  });
}

/** A copy of `headers` with secret values replaced by `[REDACTED]` (arrays keep their length). */
export function redactHeaders(headers: Headers, extraNames: readonly string[] = NONE): Headers {
  const secret = memo(headerSets, extraNames, () => new Set([...SECRET_HEADERS, ...extraNames.map((n) => n.toLowerCase())]));
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    setOwn<string | string[] | undefined>(out, lower, secret.has(lower) ? (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED) : value);
  }
  return out;
}

/** A copy of a query with secret field values redacted. */
export function redactQuery(query: Record<string, string | string[]>, fieldNames: readonly string[] = []): Record<string, string | string[]> {
  const isSecret = fieldMatcher(fieldNames);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) setOwn(out, name, isSecret(name) ? (Array.isArray(value) ? value.map(() => REDACTED) : REDACTED) : value);
  return out;
}

function redactValue(value: unknown, isSecret: (name: string) => boolean, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, isSecret, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) setOwn(out, k, isSecret(k) ? REDACTED : redactValue(v, isSecret, depth + 1));
  return out;
}

/** Parsed JSON with secret fields redacted at any depth (a secret field's whole value goes, objects too). */
export function redactJson(value: unknown, fieldNames: readonly string[] = []): unknown {
  return redactValue(value, fieldMatcher(fieldNames), 0);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A body text with secret fields redacted. JSON is parsed and rewritten (compact); text that
 * is not JSON (a capture cut at its limit, a form) is redacted by pattern: `"name": "…"`,
 * `"name": 123` and `name=…` in form encoding.
 */
export function redactBody(text: string, fieldNames: readonly string[] = []): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(text), fieldNames));
    } catch {
      // not whole JSON: fall through to the patterns
    }
  }
  const names = [...SECRET_FIELDS, ...fieldNames];
  // loose names: allow `_`/`-` anywhere between letters by matching case-insensitively on a
  // pattern that accepts them between characters
  const alternatives = [...new Set(names.map(loose))].map((n) => [...n].map(escape).join('[-_]?')).join('|');
  const jsonish = new RegExp(`("(?:${alternatives})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`, 'gi');
  const form = new RegExp(`(^|&)((?:${alternatives})=)([^&]*)`, 'gi');
  return text.replace(jsonish, (_m, head: string) => `${head}"${REDACTED}"`).replace(form, (_m, lead: string, head: string) => `${lead}${head}${encodeURIComponent(REDACTED)}`);
}
