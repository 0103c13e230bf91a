// The Shape tap's work on one response: is it ours (an outermost HTTP exchange, a path in
// scope, a JSON body), which representation was asked for (?format= over Accept), then
// money and dates rendered, printed compact or pretty, as JSON or XML. A body that is
// not valid JSON is left as it is: the formatter never breaks a response it cannot read.
import type { Exchange, Headers } from '@understudy/plugin-sdk';
import type { FormatterConfig } from './config.js';
import { FormatterErrors } from './errors.js';
import { MoneyRenderer } from './money.js';
import { byFormatParameter, negotiate, REPRESENTATIONS, type Representation } from './negotiate.js';
import { createScope } from './scope.js';
import { transform, type TransformOptions } from './transform.js';
import { toXml, type ResourceHint } from './xml.js';

/** Counters behind GET /__admin/formatter/stats. */
export interface FormatterStats {
  json: number;
  xml: number;
  pretty: number;
  notAcceptable: number;
  badRequest: number;
  /** In scope but not shaped: not JSON, or a body that does not parse. */
  notJson: number;
  invalidJson: number;
}

const AVAILABLE = [...new Set(REPRESENTATIONS.map((r) => r.type))];
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const isJsonType = (type: string) => {
  const media = type.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
};

/** `?pretty` alone or `true`/`1`/`yes`/`on` → true; `false`/`0`/`no`/`off` → false; absent → the default. */
function prettyParameter(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === '1' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === 'off') return false;
  throw new FormatterErrors.BAD_PRETTY(value);
}

export function createShaper(config: FormatterConfig) {
  const inScope = createScope(config.paths, config.exclude);
  const options: TransformOptions = {
    money: config.money.enabled ? new MoneyRenderer(config.money) : undefined,
    normaliseDates: config.dates.normalize,
    epochMillisFields: new Set(config.dates.epochMillisFields),
  };
  const stats: FormatterStats = { json: 0, xml: 0, pretty: 0, notAcceptable: 0, badRequest: 0, notJson: 0, invalidJson: 0 };

  /** The representation asked for; throws the coded 400/406. */
  function choose(ex: Exchange): Representation {
    const format = first(ex.request.query.format);
    if (format !== undefined) {
      const rep = byFormatParameter(format);
      if (!rep) {
        stats.badRequest++;
        throw new FormatterErrors.BAD_FORMAT(format);
      }
      return rep;
    }
    const accept = first(ex.request.headers.accept);
    const rep = negotiate(accept);
    if (!rep) {
      stats.notAcceptable++;
      throw new FormatterErrors.NOT_ACCEPTABLE(accept!, AVAILABLE);
    }
    return rep;
  }

  function shape(ex: Exchange): Exchange {
    const res = ex.response;
    // child calls between mock services are not for people; the formatter shapes the answer to the client
    if (!res || ex.context.hops > 0 || ex.protocol !== 'http' || res.fault || !inScope(ex.request.path)) return ex;
    const type = first(res.headers['content-type']);
    if (!type || !isJsonType(type)) {
      stats.notJson++;
      return ex;
    }
    // a streamed body (a proxied upstream, an export) goes out as it arrives: not read here;
    // an empty one (a 204, a HEAD) has nothing to shape
    if (typeof res.body !== 'string' && !Buffer.isBuffer(res.body)) return ex;
    if (res.body.length === 0) return ex;
    let body: unknown;
    try {
      body = JSON.parse(typeof res.body === 'string' ? res.body : res.body.toString('utf8'));
    } catch {
      stats.invalidJson++;
      return ex;
    }
    let pretty: boolean;
    let rep: Representation;
    try {
      pretty = prettyParameter(first(ex.request.query.pretty), config.pretty);
      rep = choose(ex);
    } catch (err) {
      if ((err as { code?: string }).code === FormatterErrors.BAD_PRETTY.code) stats.badRequest++;
      // an error answer already chosen upstream keeps its status; only say it in JSON
      if (res.status >= 400) return ex;
      throw err;
    }
    const value = transform(body, options);
    const text =
      rep.format === 'xml'
        ? toXml(value, ex.request.path, { pretty, indent: config.indent, declaration: config.xmlDeclaration }, resourceHint(ex.context.tags.personas))
        : pretty
          ? JSON.stringify(value, null, config.indent)
          : value === body && typeof res.body === 'string'
            ? res.body
            : JSON.stringify(value);
    stats[rep.format]++;
    if (pretty) stats.pretty++;
    const headers: Headers = { ...res.headers, 'content-type': `${rep.format === 'xml' ? rep.type : type.split(';', 1)[0]}; charset=utf-8`, vary: vary(res.headers.vary) };
    delete headers['content-length'];
    ex.response = { ...res, headers, body: text };
    return ex;
  }

  return { shape, stats };
}

/** The resource a responder named in `context.tags.personas` ({ resource, id?, relation? }), if any. */
function resourceHint(tag: unknown): ResourceHint | undefined {
  if (!tag || typeof tag !== 'object') return undefined;
  const { resource, id, relation } = tag as Record<string, unknown>;
  if (typeof resource !== 'string') return undefined;
  return { resource, ...(typeof id === 'string' && { id }), ...(typeof relation === 'string' && { relation }) };
}

/** Vary with Accept added once (a cache must key on it: one URL, two representations). */
function vary(existing: string | string[] | undefined): string {
  const values = (Array.isArray(existing) ? existing.join(',') : (existing ?? '')).split(',').map((v) => v.trim()).filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'accept' || v === '*')) values.push('Accept');
  return values.join(', ');
}
