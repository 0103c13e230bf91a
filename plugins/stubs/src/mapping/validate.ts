// Checks a WireMock mapping field by field (errors name the path) and compiles it into
// a mapping plus its request matcher.
import { isAbsolute, relative, resolve } from 'node:path';
import { CONNECTION_FAULTS, type ConnectionFault } from '@understudy/plugin-sdk';
import { invalid } from '../errors.js';
import { compileRequestPattern, type RequestMatcher } from '../matcher/request.js';
import type { JsonObject, ResponseDefinition, StubMapping } from './types.js';
import { isObject } from '../is-object.js';

/** WireMock fields that are accepted for file compatibility but have no effect here (see README). */
const IGNORED_TOP = ['insertionIndex', 'postServeActions', 'serveEventListeners', 'metadata', 'persistent'];
const TOP_KEYS = new Set(['id', 'uuid', 'name', 'priority', 'request', 'response', 'scenarioName', 'requiredScenarioState', 'newScenarioState', ...IGNORED_TOP]);
const IGNORED_RESPONSE = ['statusMessage', 'transformers', 'transformerParameters', 'chunkedDribbleDelay', 'additionalProxyRequestHeaders'];
const RESPONSE_KEYS = new Set(['status', 'headers', 'body', 'jsonBody', 'base64Body', 'bodyFileName', 'fixedDelayMilliseconds', 'delayDistribution', 'fault', ...IGNORED_RESPONSE]);
const BODY_KEYS = ['body', 'jsonBody', 'base64Body', 'bodyFileName'] as const;

export interface CompiledMapping {
  mapping: StubMapping;
  matcher: RequestMatcher;
  /**
   * Estimated bytes the mapping adds to a journal entry that lists it: its JSON length
   * plus its response's (a ServeEvent repeats the response as responseDefinition).
   */
  bytes: number;
}

export interface CompileOptions {
  /** Used when the mapping has no `id`/`uuid`. */
  newId(): string;
  /** The `__files` folder; bodyFileName is refused without one. */
  filesDir?: string;
}

/** `response` + `status` → `response.status`; the mapping itself has the empty path. */
function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function checkKeys(raw: JsonObject, known: Set<string>, path: string): void {
  for (const key of Object.keys(raw)) {
    if (key === 'proxyBaseUrl') invalid(child(path, key), 'proxying is not supported by the stubs plugin');
    if (!known.has(key)) invalid(child(path, key), `is not a WireMock mapping field; known: ${[...known].join(', ')}`);
  }
}

function optionalString(raw: JsonObject, key: string, path: string): void {
  if (raw[key] !== undefined && typeof raw[key] !== 'string') invalid(child(path, key), `must be a string, got ${JSON.stringify(raw[key])}`);
}

function integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < min || (value as number) > max)) {
    invalid(path, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

function nonNegative(value: unknown, path: string): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : invalid(path, `must be a number >= 0, got ${JSON.stringify(value)}`);
}

function checkDelayDistribution(raw: unknown, path: string): void {
  if (raw === undefined) return;
  if (!isObject(raw)) return invalid(path, 'must be an object with a "type"');
  if (raw.type === 'uniform') {
    if (nonNegative(raw.lower, `${path}.lower`) > nonNegative(raw.upper, `${path}.upper`)) invalid(path, 'lower must not exceed upper');
  } else if (raw.type === 'lognormal') {
    nonNegative(raw.median, `${path}.median`);
    nonNegative(raw.sigma, `${path}.sigma`);
  } else {
    invalid(`${path}.type`, `must be "uniform" or "lognormal", got ${JSON.stringify(raw.type)}`);
  }
}

function checkBodyFile(name: unknown, path: string, filesDir: string | undefined): void {
  if (typeof name !== 'string' || !name) return invalid(path, 'must be a file name under __files/');
  if (!filesDir) return invalid(path, 'needs a root folder: set plugins.stubs.root to the folder that holds __files/');
  const rel = relative(filesDir, resolve(filesDir, name));
  if (isAbsolute(name) || rel.startsWith('..') || isAbsolute(rel)) invalid(path, `${JSON.stringify(name)} points outside __files/`);
}

function checkResponse(raw: unknown, path: string, filesDir: string | undefined): ResponseDefinition {
  if (raw === undefined) return {};
  if (!isObject(raw)) return invalid(path, 'must be an object');
  checkKeys(raw, RESPONSE_KEYS, path);
  integer(raw.status, `${path}.status`, 100, 599);
  if (raw.headers !== undefined) {
    if (!isObject(raw.headers)) invalid(`${path}.headers`, 'must be an object of { "<name>": "<value>" }');
    for (const [name, value] of Object.entries(raw.headers)) {
      const ok = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      if (!ok) invalid(`${path}.headers.${name}`, `must be a string or an array of strings, got ${JSON.stringify(value)}`);
    }
  }
  const bodies = BODY_KEYS.filter((k) => raw[k] !== undefined);
  if (bodies.length > 1) invalid(path, `has ${bodies.join(' and ')}; give only one body`);
  optionalString(raw, 'body', path);
  optionalString(raw, 'base64Body', path);
  if (typeof raw.base64Body === 'string' && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(raw.base64Body)) invalid(`${path}.base64Body`, 'is not valid base64');
  if (raw.bodyFileName !== undefined) checkBodyFile(raw.bodyFileName, `${path}.bodyFileName`, filesDir);
  integer(raw.fixedDelayMilliseconds, `${path}.fixedDelayMilliseconds`, 0);
  checkDelayDistribution(raw.delayDistribution, `${path}.delayDistribution`);
  if (raw.fault !== undefined && !CONNECTION_FAULTS.includes(raw.fault as ConnectionFault)) {
    invalid(`${path}.fault`, `must be one of ${CONNECTION_FAULTS.join(', ')}`);
  }
  return raw as ResponseDefinition;
}

/**
 * Check a WireMock mapping and compile its request pattern. Nothing is stored here,
 * so a bad mapping is refused whole. `path` prefixes every error (`mappings[2]`);
 * the returned mapping is a copy with its `id` set.
 */
export function compileMapping(raw: unknown, path: string, opts: CompileOptions): CompiledMapping {
  const at = (key: string) => child(path, key);
  if (!isObject(raw)) return invalid(path || '(mapping)', 'must be a JSON object with "request" and "response"');
  checkKeys(raw, TOP_KEYS, path);
  for (const key of ['id', 'uuid', 'name', 'scenarioName', 'requiredScenarioState', 'newScenarioState']) optionalString(raw, key, path);
  if (raw.id !== undefined && raw.uuid !== undefined && raw.id !== raw.uuid) invalid(at('uuid'), `differs from id ${JSON.stringify(raw.id)}; give one of them`);
  integer(raw.priority, at('priority'), 1);
  if (raw.scenarioName === undefined && (raw.requiredScenarioState !== undefined || raw.newScenarioState !== undefined)) {
    invalid(at('scenarioName'), 'is required with requiredScenarioState/newScenarioState');
  }
  if (raw.request === undefined) invalid(at('request'), 'is required');
  const matcher = compileRequestPattern(raw.request, at('request'));
  const copy = structuredClone(raw) as unknown as StubMapping;
  copy.response = structuredClone(checkResponse(raw.response, at('response'), opts.filesDir));
  const id = (raw.id ?? raw.uuid ?? opts.newId()) as string;
  copy.id = id;
  copy.uuid = id;
  return { mapping: copy, matcher, bytes: jsonLength(copy) + jsonLength(copy.response) };
}

/** Length of a value's JSON; 0 for what JSON cannot hold (a mapping given in code may be cyclic). */
function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}
