// JSON helpers of the body matchers: equalToJson with WireMock's options and json-unit
// placeholders, and JSONPath queries (jsonpath-plus) for matchesJsonPath.
import { JSONPath } from 'jsonpath-plus';
import { invalid } from '../errors.js';
import { isObject } from '../is-object.js';

export interface JsonCompareOptions {
  ignoreArrayOrder: boolean;
  ignoreExtraElements: boolean;
}

/** json-unit placeholders WireMock understands inside equalToJson. */
const placeholders: Record<string, (actual: unknown) => boolean> = {
  '${json-unit.ignore}': () => true,
  '${json-unit.any-string}': (a) => typeof a === 'string',
  '${json-unit.any-number}': (a) => typeof a === 'number',
  '${json-unit.any-boolean}': (a) => typeof a === 'boolean',
};

/** Deep JSON equality with WireMock's equalToJson options and placeholders. */
export function jsonEquals(expected: unknown, actual: unknown, opts: JsonCompareOptions): boolean {
  if (typeof expected === 'string' && placeholders[expected]) return placeholders[expected](actual);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    if (opts.ignoreExtraElements ? actual.length < expected.length : actual.length !== expected.length) return false;
    if (!opts.ignoreArrayOrder) return expected.every((e, i) => jsonEquals(e, actual[i], opts));
    const used = new Set<number>();
    return expected.every((e) => {
      const i = actual.findIndex((a, idx) => !used.has(idx) && jsonEquals(e, a, opts));
      if (i === -1) return false;
      used.add(i);
      return true;
    });
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return false;
    const keys = Object.keys(expected);
    if (!opts.ignoreExtraElements && Object.keys(actual).length !== keys.length) return false;
    return keys.every((k) => k in actual && jsonEquals(expected[k], actual[k], opts));
  }
  return expected === actual;
}

/** Parse a request body as JSON; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Evaluate a JSONPath with jsonpath-plus. Jayway (WireMock) applies a root filter
 * `$[?(…)]` to the root object itself, jsonpath-plus to its children: wrap the root
 * object so WireMock expressions keep their meaning.
 */
export function queryJson(expression: string, json: unknown): unknown[] {
  if (json === undefined) return [];
  const target = expression.startsWith('$[?') && isObject(json) ? [json] : json;
  try {
    return JSONPath({ path: expression, json: target as object, wrap: true }) as unknown[];
  } catch {
    return [];
  }
}

/** Fail early on a JSONPath that cannot even be evaluated. */
export function checkJsonPath(expression: string, path: string): void {
  if (!expression.startsWith('$')) invalid(path, `JSONPath ${JSON.stringify(expression)} must start with "$"`);
  try {
    JSONPath({ path: expression, json: [{}], wrap: true });
  } catch (err) {
    invalid(path, `invalid JSONPath ${JSON.stringify(expression)} (${(err as Error).message})`);
  }
}

/** A JSONPath result as text for a value matcher: strings as they are, the rest as JSON. */
export function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
