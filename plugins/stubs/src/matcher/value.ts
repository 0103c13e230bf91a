// WireMock's string value patterns (equalTo, contains, matches, absent, equalToJson,
// matchesJsonPath, and, or…) compiled into matchers with a near-miss distance.
import { invalid } from '../errors.js';
import { normalisedDistance } from './distance.js';
import { checkJsonPath, jsonEquals, jsonText, parseJson, queryJson } from './json.js';
import { compileRegex } from './regex.js';
import { isObject } from '../is-object.js';

/** A compiled WireMock `StringValuePattern` (`{ equalTo: … }`, `{ matches: … }`, …). */
export interface ValueMatcher {
  /** How the expectation reads in a near miss, e.g. `contains "abc"`. */
  readonly expected: string;
  /** `undefined` means the value is absent (no such header, parameter, …). */
  test(actual: string | undefined): boolean;
  /** 0 when it matches, up to 1 when far off. */
  distance(actual: string | undefined): number;
}

export const SUPPORTED_MATCHERS = [
  'equalTo', 'contains', 'doesNotContain', 'matches', 'doesNotMatch', 'absent',
  'equalToJson', 'matchesJsonPath', 'and', 'or',
] as const;

/** Options that may sit next to an operator. */
const MODIFIERS: Record<string, string[]> = {
  equalTo: ['caseInsensitive'],
  equalToJson: ['ignoreArrayOrder', 'ignoreExtraElements'],
};

function requireString(value: unknown, path: string): string {
  return typeof value === 'string' ? value : invalid(path, `must be a string, got ${JSON.stringify(value)}`);
}

function optionalBoolean(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  return typeof value === 'boolean' ? value : invalid(path, `must be true or false, got ${JSON.stringify(value)}`);
}

/** A matcher whose distance is simply 0 or 1. */
function binary(expected: string, test: (actual: string | undefined) => boolean): ValueMatcher {
  return { expected, test, distance: (actual) => (test(actual) ? 0 : 1) };
}

/** Matchers other than `absent` never match a missing value. */
function present(expected: string, test: (actual: string) => boolean): ValueMatcher {
  return binary(expected, (actual) => actual !== undefined && test(actual));
}

export function equalTo(value: string, caseInsensitive = false): ValueMatcher {
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const want = fold(value);
  return {
    expected: caseInsensitive ? `${value} (case-insensitive)` : value,
    test: (actual) => actual !== undefined && fold(actual) === want,
    distance: (actual) => (actual === undefined ? 1 : normalisedDistance(want, fold(actual))),
  };
}

/** `matches` / `doesNotMatch`: a Java-style regex on the whole value. */
export function regex(op: 'matches' | 'doesNotMatch', source: string, path: string): ValueMatcher {
  const re = compileRegex(source, path);
  const want = op === 'matches';
  return present(`${op} ${source}`, (a) => re.test(a) === want);
}

function equalToJson(raw: Record<string, unknown>, path: string): ValueMatcher {
  const value = raw.equalToJson;
  let expected = value;
  if (typeof value === 'string') {
    expected = parseJson(value);
    if (expected === undefined) invalid(`${path}.equalToJson`, 'is a string but not valid JSON');
  }
  const opts = {
    ignoreArrayOrder: optionalBoolean(raw.ignoreArrayOrder, `${path}.ignoreArrayOrder`),
    ignoreExtraElements: optionalBoolean(raw.ignoreExtraElements, `${path}.ignoreExtraElements`),
  };
  return present(`equalToJson ${JSON.stringify(expected)}`, (actual) => {
    const json = parseJson(actual);
    return json !== undefined && jsonEquals(expected, json, opts);
  });
}

function matchesJsonPath(value: unknown, path: string): ValueMatcher {
  const at = `${path}.matchesJsonPath`;
  if (typeof value === 'string') {
    checkJsonPath(value, at);
    return present(`matchesJsonPath ${value}`, (actual) => queryJson(value, parseJson(actual)).length > 0);
  }
  if (!isObject(value)) return invalid(at, 'must be a JSONPath string or { "expression": …, <matcher> }');
  const { expression, ...rest } = value;
  const expr = requireString(expression, `${at}.expression`);
  checkJsonPath(expr, `${at}.expression`);
  const inner = compileValueMatcher(rest, at);
  return present(`matchesJsonPath ${expr} ${inner.expected}`, (actual) =>
    queryJson(expr, parseJson(actual)).some((found) => inner.test(jsonText(found))),
  );
}

function combine(op: 'and' | 'or', value: unknown, path: string): ValueMatcher {
  if (!Array.isArray(value) || value.length === 0) return invalid(`${path}.${op}`, 'must be a non-empty array of matchers');
  const parts = value.map((m, i) => compileValueMatcher(m, `${path}.${op}[${i}]`));
  const expected = parts.map((p) => `(${p.expected})`).join(` ${op} `);
  return op === 'and'
    ? { expected, test: (a) => parts.every((p) => p.test(a)), distance: (a) => Math.max(...parts.map((p) => p.distance(a))) }
    : { expected, test: (a) => parts.some((p) => p.test(a)), distance: (a) => Math.min(...parts.map((p) => p.distance(a))) };
}

/**
 * Compile one WireMock value pattern; `path` names it in errors
 * (`request.headers.accept.matches: invalid regular expression …`).
 */
export function compileValueMatcher(raw: unknown, path: string): ValueMatcher {
  if (!isObject(raw)) return invalid(path, `must be a matcher object such as { "equalTo": "…" }`);
  const operators = Object.keys(raw).filter((k) => !Object.values(MODIFIERS).flat().includes(k));
  if (operators.length !== 1) {
    return invalid(path, `must have exactly one matcher, got ${operators.length ? operators.join(', ') : 'none'}; supported: ${SUPPORTED_MATCHERS.join(', ')}`);
  }
  const op = operators[0];
  for (const key of Object.keys(raw)) {
    if (key !== op && !(MODIFIERS[op] ?? []).includes(key)) invalid(`${path}.${key}`, `is not an option of ${op}`);
  }
  const value = raw[op];
  const at = `${path}.${op}`;
  switch (op) {
    case 'equalTo':
      return equalTo(requireString(value, at), optionalBoolean(raw.caseInsensitive, `${path}.caseInsensitive`));
    case 'contains':
    case 'doesNotContain': {
      const s = requireString(value, at);
      const want = op === 'contains';
      return present(`${op} ${JSON.stringify(s)}`, (a) => a.includes(s) === want);
    }
    case 'matches':
    case 'doesNotMatch':
      return regex(op, requireString(value, at), at);
    case 'absent': {
      // `absent: false` is WireMock's way of saying "must be present"
      const wantAbsent = optionalBoolean(value, at);
      return binary(wantAbsent ? 'absent' : 'present', (a) => (a === undefined) === wantAbsent);
    }
    case 'equalToJson':
      return equalToJson(raw, path);
    case 'matchesJsonPath':
      return matchesJsonPath(value, path);
    case 'and':
    case 'or':
      return combine(op, value, path);
    default:
      return invalid(at, `unknown or unsupported matcher; supported: ${SUPPORTED_MATCHERS.join(', ')}`);
  }
}
