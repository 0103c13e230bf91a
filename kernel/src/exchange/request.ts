// Building an exchange's request: URL split, header names, and the lazy HTTP request.
import type { ExchangeInit, ExchangeRequest, Headers } from './types.js';

type Query = ExchangeRequest['query'];

/** Shared by every request without a query string (one allocation fewer per request). */
const NO_QUERY: Query = Object.freeze({}) as Query;

export function splitUrl(url: string): { path: string; query: Query } {
  const q = url.indexOf('?');
  if (q === -1) return { path: url, query: NO_QUERY };
  const query: Query = {};
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { path: url.slice(0, q), query };
}

/** Header names as given, lower-cased only when needed (Node's are already). */
function lowerCaseHeaders(headers: Headers | undefined): Headers {
  if (!headers) return {};
  for (const name in headers) {
    if (name !== name.toLowerCase()) {
      return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    }
  }
  return headers;
}

/** Node's rules, simplified: lower-case names, `set-cookie` as a list, other repeats joined. */
function headersFromRaw(raw: string[]): Headers {
  const headers: Headers = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const prev = headers[name];
    if (prev === undefined) headers[name] = name === 'set-cookie' ? [raw[i + 1]] : raw[i + 1];
    else if (Array.isArray(prev)) prev.push(raw[i + 1]);
    else headers[name] = `${prev}, ${raw[i + 1]}`;
  }
  return headers;
}

/**
 * A request received over HTTP. Its header object is built only when someone reads
 * it: a stub that matches on method and URL never pays for it, and the journal keeps
 * the raw list instead of an object per request.
 */
export class HttpRequest implements ExchangeRequest {
  path: string;
  query: Query;
  private parsedHeaders: Headers | undefined;

  constructor(
    public method: string,
    public url: string,
    private readonly rawHeaders: string[],
    public body: string,
    /** The body's bytes as received (binary uploads forwarded intact); not in toJSON. */
    public rawBody?: Buffer,
    /** The client's address (a proxy's X-Forwarded-For); not in toJSON. */
    public remoteAddress?: string,
  ) {
    const q = url.indexOf('?');
    if (q === -1) {
      this.path = url;
      this.query = NO_QUERY;
    } else {
      ({ path: this.path, query: this.query } = splitUrl(url));
    }
  }

  get headers(): Headers {
    return (this.parsedHeaders ??= headersFromRaw(this.rawHeaders));
  }

  set headers(value: Headers) {
    this.parsedHeaders = value;
  }

  toJSON(): ExchangeRequest {
    const { method, url, path, query, headers, body } = this;
    return { method, url, path, query, headers, body };
  }
}

/** The request of a new exchange: an HttpRequest as it is, anything else completed. */
export function requestFromInit(req: ExchangeInit['request']): ExchangeRequest {
  if (req instanceof HttpRequest) return req;
  const split = req.path === undefined || req.query === undefined ? splitUrl(req.url) : undefined;
  const request: ExchangeRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    url: req.url,
    path: req.path ?? split!.path,
    query: req.query ?? split!.query,
    headers: lowerCaseHeaders(req.headers),
    body: req.body ?? '',
  };
  // only when given, so requests without one compare and serialise as before
  if (req.rawBody) request.rawBody = req.rawBody;
  if (req.remoteAddress) request.remoteAddress = req.remoteAddress;
  return request;
}
