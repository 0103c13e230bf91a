// Learned endpoints as WireMock stub mappings — `{ mappings: [...], meta: { total } }`, the
// shape of WireMock's GET /__admin/mappings and of POST /__admin/mappings/import, which our
// stubs plugin also loads (plugins.stubs.mappings, files, or its /__admin API). Per endpoint:
// one mapping on the template (`urlPathTemplate` with a `pathParameters` regex per
// parameter class, or `urlPath` for a literal route) answering the main status with a real
// example body (else a synthesized one), and one exact `urlPath` mapping per kept example of
// that status (plus `queryParameters` when it had a query), ahead of the template by
// priority. Latency is a `delayDistribution` of type lognormal fitted to the learned p50
// and p99 (median = p50, sigma = ln(p99/p50) / z₀.₉₉). Ids are UUIDs derived from the key.
// With `templating`, the template mapping echoes path parameters through WireMock's
// response templating, where the endpoint was seen to echo them.
import type { EndpointModel } from '../model/types.js';
import { lognormalFit } from '../synth/latency.js';
import { mainStatus } from '../synth/status.js';
import { PARAM_PATTERNS, exampleAnswer, exampleQuery, ordered, paramNames, stableUuid, templateAnswer, templatedBody, type StaticAnswer } from './shared.js';

export interface WireMockExportOptions {
  /** Seed of the synthesized bodies (endpoints without examples). */
  seed?: string | number;
  /** Exact-path mappings per endpoint from its kept examples (default 5; 0 for none). */
  examplesPerEndpoint?: number;
  /**
   * Echo path parameters with WireMock's response templating (`{{request.path.[1]}}` and the
   * `response-template` transformer) where the endpoint echoes them (default false). For
   * WireMock itself: the stubs plugin does not render templates.
   */
  templating?: boolean;
}

export interface WireMockMapping {
  id: string;
  name: string;
  priority: number;
  request: {
    method: string;
    urlPath?: string;
    urlPathTemplate?: string;
    pathParameters?: Record<string, { matches: string }>;
    queryParameters?: Record<string, { equalTo: string }>;
  };
  response: {
    status: number;
    headers?: Record<string, string>;
    body?: string;
    jsonBody?: unknown;
    transformers?: string[];
    delayDistribution?: { type: 'lognormal'; median: number; sigma: number };
  };
  metadata: { understudy: { key: string; source: 'template' | 'example'; count: number; bodyFrom: 'example' | 'synthesized' } };
}

export interface WireMockExport {
  mappings: WireMockMapping[];
  meta: { total: number };
}

/** Priorities: recorded requests first, then literal routes, then templates (1 is WireMock's highest). */
const PRIORITY = { example: 1, literal: 2, template: 3 } as const;

function response(answer: StaticAnswer, model: EndpointModel): WireMockMapping['response'] {
  const out: WireMockMapping['response'] = { status: answer.status };
  if (Object.keys(answer.headers).length) out.headers = answer.headers;
  if (answer.json !== undefined) out.jsonBody = answer.json;
  else if (answer.body) out.body = answer.body;
  const { median, sigma } = lognormalFit(model.latency?.p50Ms ?? 0, model.latency?.p99Ms ?? 0);
  if (model.latency?.count && median > 0) out.delayDistribution = { type: 'lognormal', median: Number(median.toFixed(3)), sigma };
  return out;
}

export function toWireMock(models: readonly EndpointModel[], options: WireMockExportOptions = {}): WireMockExport {
  const seed = options.seed ?? 'export';
  const perEndpoint = options.examplesPerEndpoint ?? 5;
  const mappings: WireMockMapping[] = [];
  for (const model of ordered(models)) {
    const answer = templateAnswer(model, seed);
    if (!answer) continue;
    const names = paramNames(model.template);
    const request: WireMockMapping['request'] = { method: model.method.toUpperCase() };
    if (names.length) {
      request.urlPathTemplate = model.template;
      request.pathParameters = Object.fromEntries(names.map((n) => [n, { matches: PARAM_PATTERNS[model.params[n]] ?? '^[^/]+$' }]));
    } else {
      request.urlPath = model.template;
    }
    const templateResponse = response(answer, model);
    const templated = options.templating && names.length ? templatedBody(model, answer, (i) => `request.path.[${i}]`) : undefined;
    if (templated !== undefined) {
      delete templateResponse.jsonBody;
      templateResponse.body = templated;
      templateResponse.transformers = ['response-template'];
    }
    mappings.push({
      id: stableUuid(`${model.key} template`),
      name: model.key,
      priority: names.length ? PRIORITY.template : PRIORITY.literal,
      request,
      response: templateResponse,
      metadata: { understudy: { key: model.key, source: 'template', count: model.count, bodyFrom: answer.via } },
    });
    const main = mainStatus(model)!;
    // a literal route's example only adds something when it had a query
    const examples = (main.examples ?? []).filter((ex) => names.length || exampleQuery(ex).length).slice(0, perEndpoint);
    const seen = new Set<string>();
    for (const ex of examples) {
      const query = exampleQuery(ex);
      const id = `${ex.path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const exRequest: WireMockMapping['request'] = { method: model.method.toUpperCase(), urlPath: ex.path };
      if (query.length) exRequest.queryParameters = Object.fromEntries(query.map(([k, v]) => [k, { equalTo: v }]));
      mappings.push({
        id: stableUuid(`${model.key} example ${id}`),
        name: `${model.key} (${id.replace(/\?$/, '')})`,
        priority: PRIORITY.example,
        request: exRequest,
        response: response(exampleAnswer(main, ex), model),
        metadata: { understudy: { key: model.key, source: 'example', count: model.count, bodyFrom: 'example' } },
      });
    }
  }
  return { mappings, meta: { total: mappings.length } };
}
