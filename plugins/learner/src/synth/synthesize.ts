// A mock response for one request to a learned endpoint: the status sampled from the
// learned mix (errors at the learned error rate), the latency from the learned histogram,
// the typical headers, and a body that validates against the status's learned JSON Schema
// and looks real — values by format and field name (seeded faker), enums and ranges as
// learned, real example values reused where they fit, request values echoed where the
// examples show the real API echoes them. A kept example whose request was this very
// request (same path and query) is answered as it was recorded. Pure and deterministic:
// the same model, request and random stream give the same response; the caller seeds the
// stream per request (see README: `createRandom(seed, key + path)`).
import type { Random } from '@understudy/plugin-sdk';
import type { EndpointModel, Example, MockResponse, StatusModel } from '../model/types.js';
import { bodyRules, derive, parseJson, schemaRules, type EchoRule } from './echo.js';
import { fits, jsonEqual } from './fits.js';
import { generate } from './generate.js';
import { isJsonType, mockHeaders } from './headers.js';
import { sampleLatency } from './latency.js';
import { pickStatus } from './status.js';
import { faker } from './values.js';

export interface SynthRequest {
  method: string;
  path: string;
  /** Path parameters matched against the template (`{ userId: '42' }`). */
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  /** Request body text, for echoing fields of a JSON body. */
  body?: string;
}

export interface SynthOptions {
  /** Answer with this status (its learned shape if known) instead of sampling one. */
  status?: number;
  /** Sample 5xx at the learned error rate (default true); false answers with the other statuses only. */
  errors?: boolean;
  /** Chance (0–1) of reusing a real value an example had at the same place (default 0.3). */
  reuse?: number;
  /** Answer with a kept example recorded for this very request (default true). */
  examples?: boolean;
  /** Sample the latency (default true); false gives delayMs 0. */
  latency?: boolean;
  /** Reference time for generated dates when the model has no lastSeen (kernel clock ms). */
  now?: number;
}

const EMPTY_STATUSES = new Set([204, 205, 304]);
const WRITES = new Set(['POST', 'PUT', 'PATCH']);

function sameQuery(a: Example['query'], b: SynthRequest['query']): boolean {
  const norm = (q: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(q ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, [v].flat().map(String)]));
  return jsonEqual(norm(a), norm(b));
}

/** The example recorded for this request, if it still fits what was learned since. */
function recordedFor(status: StatusModel, req: SynthRequest): Example | undefined {
  return status.examples?.find((ex) => {
    if (ex.path !== req.path || !sameQuery(ex.query, req.query)) return false;
    if (WRITES.has(req.method.toUpperCase()) && (ex.requestBody ?? '') !== (req.body ?? '')) return false;
    return !status.schema || !isJsonType(ex.contentType ?? status.contentType) || fits(status.schema, parseJson(ex.body));
  });
}

function requestValue(rule: EchoRule, req: SynthRequest, body: unknown): unknown {
  let v: unknown;
  if (rule.source === 'param') v = req.params?.[rule.name];
  else if (rule.source === 'query') v = [req.query?.[rule.name]].flat()[0];
  else v = body && typeof body === 'object' ? (body as Record<string, unknown>)[rule.name] : undefined;
  if (typeof v === 'string' && rule.numeric && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

function echoes(status: StatusModel, model: EndpointModel, req: SynthRequest, reqBody: unknown): Map<string, unknown> {
  const learned = derive(status).rules;
  const rules = [...learned];
  const sources = new Set(learned.map((r) => r.source));
  if (!sources.has('param')) rules.push(...schemaRules(status.schema, Object.keys(req.params ?? {})));
  if (!sources.has('body') && WRITES.has(req.method.toUpperCase())) rules.push(...bodyRules(status.schema, reqBody));
  const echo = new Map<string, unknown>();
  for (const rule of rules) {
    const v = requestValue(rule, req, reqBody);
    if (v !== undefined && !echo.has(rule.pointer)) echo.set(rule.pointer, v);
  }
  void model;
  return echo;
}

/** A 31-bit seed for faker from the request's stream. */
const seedFrom = (random: Random) => random.int(0, 0x7fffffff);

export function synthesize(model: EndpointModel, req: SynthRequest, random: Random, options: SynthOptions = {}): MockResponse {
  const statusRandom = random.fork('status');
  const chosen =
    options.status !== undefined
      ? (model.statuses.find((s) => s.status === options.status) ?? ({ status: options.status, count: 0, headers: {}, bodyBytes: { min: 0, max: 0, mean: 0 }, examples: [] } as StatusModel))
      : pickStatus(model, statusRandom, options.errors !== false);
  const delayMs = options.latency === false ? 0 : sampleLatency(model, random.fork('latency'));
  if (!chosen) return { status: 200, headers: {}, body: '', delayMs, via: 'synthesized' };

  const json = isJsonType(chosen.contentType) || (!chosen.contentType && chosen.schema !== undefined);
  const headers = mockHeaders(chosen, json);
  const base = { status: chosen.status, headers, delayMs };
  if (EMPTY_STATUSES.has(chosen.status)) return { ...base, body: '', via: 'synthesized' };

  if (options.examples !== false) {
    const recorded = recordedFor(chosen, req);
    if (recorded) return { ...base, body: recorded.body, via: 'example' };
  }
  if (!chosen.schema || !json) {
    // no shape to follow (text, HTML, binary summaries): a kept example as it was, else nothing
    const examples = chosen.examples ?? [];
    if (!examples.length) return { ...base, body: '', via: 'synthesized' };
    return { ...base, body: random.fork('example').pick(examples).body, via: 'example' };
  }

  faker.seed(seedFrom(random.fork('body')));
  faker.setDefaultRefDate(model.lastSeen || options.now || 0);
  const reqBody = req.body === undefined ? undefined : parseJson(req.body);
  const value = generate(chosen.schema, {
    refDate: model.lastSeen || options.now || 0,
    pools: derive(chosen).pools,
    echo: echoes(chosen, model, req, reqBody),
    reuse: options.reuse ?? 0.3,
  });
  return { ...base, body: JSON.stringify(value), via: 'synthesized' };
}
