// Learned endpoints as a Hoverfly simulation, schema v5: `data.pairs[]` of request
// matchers and a response, `data.globalActions`, `meta.schemaVersion: "v5"`. Per endpoint:
// a pair on the template and one per kept example of its main status (`exact` path and
// query matchers — Hoverfly's strongest-match strategy prefers them over the template).
// The template's path is a `glob` (`/users/*`); Hoverfly's `*` also matches `/`, so when
// that glob would also take another exported template with parameters (`/users/*` vs `/users/{id}/orders`)
// an anchored `regex` with one segment per parameter is written instead. No `destination`
// matcher: the simulation answers for whatever host the client asks. Latency is a
// per-response `logNormalDelay` (min, max, mean, median — whole ms, as Hoverfly takes them;
// mean never below median, which Hoverfly's generator needs). With `templating`, the
// template's pair echoes path parameters through Hoverfly's templating.
import type { EndpointModel } from '../model/types.js';
import { mainStatus } from '../synth/status.js';
import { exampleAnswer, exampleQuery, ms, ordered, paramNames, templateAnswer, templatedBody, type StaticAnswer } from './shared.js';

export interface HoverflyExportOptions {
  seed?: string | number;
  /** Example pairs per endpoint (default 5; 0 for none). */
  examplesPerEndpoint?: number;
  /** Kernel clock time of the export, written as meta.timeExported (omitted when not given). */
  now?: number;
  /** Echo path parameters with Hoverfly templating (`{{ Request.Path.[1] }}`, `templated: true`) where the endpoint echoes them (default false). */
  templating?: boolean;
}

export interface HoverflyMatcher {
  matcher: 'exact' | 'glob' | 'regex';
  value: string;
}

export interface HoverflyPair {
  request: { method: HoverflyMatcher[]; path: HoverflyMatcher[]; query?: Record<string, HoverflyMatcher[]> };
  response: {
    status: number;
    body: string;
    encodedBody: boolean;
    headers: Record<string, string[]>;
    templated: boolean;
    logNormalDelay?: { min: number; max: number; mean: number; median: number };
  };
}

export interface HoverflySimulation {
  data: { pairs: HoverflyPair[]; globalActions: { delays: unknown[]; delaysLogNormal: unknown[] } };
  meta: { schemaVersion: 'v5'; timeExported?: string };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeGlob = (s: string) => s.replace(/\*/g, '\\*');

/** A concrete path a template stands for, to test globs against. */
const sampleOf = (template: string) => template.replace(/\{[^}]+\}/g, 'x');

function globOf(template: string): string {
  return template.split(/\{[^}]+\}/).map(escapeGlob).join('*');
}

function globMatches(glob: string, path: string): boolean {
  const re = glob.split('*').map((part) => escapeRegex(part.replace(/\\$/, ''))).join('.*');
  return new RegExp(`^${re}$`).test(path);
}

function pathMatcher(model: EndpointModel, all: readonly EndpointModel[]): HoverflyMatcher {
  if (!paramNames(model.template).length) return { matcher: 'exact', value: model.template };
  const glob = globOf(model.template);
  // literal routes are exact matchers, which outscore a glob: only other templates can be taken
  const clash = all.some(
    (other) => other !== model && other.method === model.method && other.template !== model.template && paramNames(other.template).length > 0 && globMatches(glob, sampleOf(other.template)),
  );
  if (!clash && !glob.includes('\\*')) return { matcher: 'glob', value: glob };
  const regex = model.template.split(/\{[^}]+\}/).map(escapeRegex).join('[^/]+');
  return { matcher: 'regex', value: `^${regex}$` };
}

function response(answer: StaticAnswer, model: EndpointModel): HoverflyPair['response'] {
  const out: HoverflyPair['response'] = {
    status: answer.status,
    body: answer.body,
    encodedBody: false,
    headers: Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k, [v]])),
    templated: false,
  };
  const l = model.latency;
  const median = ms(l?.p50Ms ?? 0);
  if (l?.count && median >= 1) {
    const min = Math.min(ms(l.minMs), median);
    out.logNormalDelay = { min, max: Math.max(ms(l.maxMs), median), mean: Math.max(ms(l.meanMs), median), median };
  }
  return out;
}

const exact = (value: string): HoverflyMatcher[] => [{ matcher: 'exact', value }];

export function toHoverfly(models: readonly EndpointModel[], options: HoverflyExportOptions = {}): HoverflySimulation {
  const seed = options.seed ?? 'export';
  const perEndpoint = options.examplesPerEndpoint ?? 5;
  const all = ordered(models);
  const pairs: HoverflyPair[] = [];
  for (const model of all) {
    const answer = templateAnswer(model, seed);
    if (!answer) continue;
    const method = model.method.toUpperCase();
    const templateResponse = response(answer, model);
    const templatedText = options.templating ? templatedBody(model, answer, (i) => ` Request.Path.[${i}] `) : undefined;
    if (templatedText !== undefined) {
      templateResponse.body = templatedText;
      templateResponse.templated = true;
    }
    pairs.push({ request: { method: exact(method), path: [pathMatcher(model, all)] }, response: templateResponse });
    const main = mainStatus(model)!;
    const templated = paramNames(model.template).length > 0;
    const seen = new Set<string>();
    for (const ex of (main.examples ?? []).filter((e) => templated || exampleQuery(e).length).slice(0, perEndpoint)) {
      const query = exampleQuery(ex);
      const id = `${ex.path}?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const request: HoverflyPair['request'] = { method: exact(method), path: exact(ex.path) };
      if (query.length) request.query = Object.fromEntries(query.map(([k, v]) => [k, exact(v)]));
      pairs.push({ request, response: response(exampleAnswer(main, ex), model) });
    }
  }
  const meta: HoverflySimulation['meta'] = { schemaVersion: 'v5' };
  if (options.now !== undefined) meta.timeExported = new Date(options.now).toISOString();
  return { data: { pairs, globalActions: { delays: [], delaysLogNormal: [] } }, meta };
}
