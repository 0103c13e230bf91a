// HAR 1.2 (HTTP Archive, the browser network panel's "Save all as HAR") → Observations the
// learner learns from, as if the requests had gone through the proxy. Checked field by
// field: every problem is listed with its path (`log.entries[3].request.url: …`) in one
// US_LEARNER_HAR_INVALID, nothing is learned from a file with a problem. Only the fields
// the learner reads are required (startedDateTime, time, request method/url/headers,
// response status/headers/content); the spec's other required fields (cookies,
// httpVersion, cache, timings…) are not, so hand-made or trimmed HARs load too. Bodies:
// `content.text` as is, or decoded when `content.encoding` is `base64`; binary bodies and
// text over `captureBytes` are counted (responseBytes) but not kept, like the proxy does.
// Entries that are not http(s) (data:, blob:, ws:) are skipped and counted. A response
// status 0 (the browser got none) becomes a transport failure, using Chrome's `_error`
// (net::ERR_TIMED_OUT → timeout, …RESET/ABORTED/CLOSED → reset, else connect).
import type { Headers } from '@understudy/plugin-sdk';
import type { Observation } from './model/types.js';
import { SynthErrors } from './synth/errors.js';

export interface HarOptions {
  /** Upstream name the observations are learned under (default `default`). */
  upstream?: string;
  /** Most entries one file may have (default 100,000). */
  maxEntries?: number;
  /** Longest body text kept, in UTF-8 bytes (default 256 KiB, the proxy's capture default). */
  captureBytes?: number;
}

export interface HarReading {
  observations: Observation[];
  /** Entries left out because their URL is not http(s). */
  skipped: number;
}

const DEFAULT_MAX_ENTRIES = 100_000;
const DEFAULT_CAPTURE_BYTES = 256 * 1024;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

/** Text bodies the learner keeps: text/*, JSON, XML, forms, JavaScript. */
export function isTextual(mime: string | undefined): boolean {
  if (!mime) return true;
  const m = mime.split(';')[0].trim().toLowerCase();
  return m === '' || m.startsWith('text/') || /[/+](json|xml)$/.test(m) || m === 'application/x-www-form-urlencoded' || m === 'application/javascript' || m === 'application/graphql';
}

class Checker {
  readonly problems: string[] = [];
  fail(path: string, problem: string): undefined {
    this.problems.push(`${path}: ${problem}`);
    return undefined;
  }
  object(v: unknown, path: string): Obj | undefined {
    return isObj(v) ? v : this.fail(path, v === undefined ? 'is required' : `must be an object, got ${show(v)}`);
  }
  string(v: unknown, path: string, optional = false): string | undefined {
    if (v === undefined && optional) return undefined;
    return typeof v === 'string' ? v : this.fail(path, v === undefined ? 'is required' : `must be a string, got ${show(v)}`);
  }
  number(v: unknown, path: string, min = -Infinity, optional = false): number | undefined {
    if (v === undefined && optional) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min) return v;
    return this.fail(path, v === undefined ? 'is required' : `must be a number${min > -Infinity ? ` >= ${min}` : ''}, got ${show(v)}`);
  }
  headers(v: unknown, path: string): Headers | undefined {
    if (!Array.isArray(v)) return this.fail(path, v === undefined ? 'is required (an array of { name, value })' : `must be an array of { name, value }, got ${show(v)}`);
    const out: Record<string, string | string[]> = {};
    v.forEach((h, i) => {
      const at = `${path}[${i}]`;
      if (!isObj(h)) return this.fail(at, `must be an object { name, value }, got ${show(h)}`);
      const name = this.string(h.name, `${at}.name`);
      const value = this.string(h.value, `${at}.value`);
      if (name === undefined || value === undefined || name.startsWith(':')) return; // HTTP/2 pseudo-headers are not headers
      const key = name.toLowerCase();
      const prev = out[key];
      out[key] = prev === undefined ? value : [prev, value].flat();
    });
    return out;
  }
}

function bodyText(text: string, encoding: string | undefined, mime: string | undefined, path: string, c: Checker): { text?: string; bytes: number } {
  if (encoding === 'base64') {
    if (!BASE64.test(text)) {
      c.fail(`${path}.text`, 'is not valid base64 (content.encoding is "base64")');
      return { bytes: 0 };
    }
    const buf = Buffer.from(text, 'base64');
    return { text: isTextual(mime) ? buf.toString('utf8') : undefined, bytes: buf.length };
  }
  if (encoding !== undefined && encoding !== '') {
    c.fail(`${path}.encoding`, `must be "base64" or absent, got ${show(encoding)}`);
    return { bytes: 0 };
  }
  return { text: isTextual(mime) ? text : undefined, bytes: Buffer.byteLength(text) };
}

function queryOf(entries: unknown, url: URL, path: string, c: Checker): Record<string, string | string[]> {
  const pairs: Array<[string, string]> = [];
  if (Array.isArray(entries) && entries.length) {
    entries.forEach((q, i) => {
      if (!isObj(q)) return c.fail(`${path}[${i}]`, `must be an object { name, value }, got ${show(q)}`);
      const name = c.string(q.name, `${path}[${i}].name`);
      const value = c.string(q.value, `${path}[${i}].value`);
      if (name !== undefined && value !== undefined) pairs.push([name, value]);
    });
  } else {
    if (entries !== undefined && !Array.isArray(entries)) c.fail(path, `must be an array of { name, value }, got ${show(entries)}`);
    for (const [k, v] of url.searchParams) pairs.push([k, v]);
  }
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [prev, v].flat();
  }
  return out;
}

function failureOf(error: unknown): Observation['failure'] {
  const text = typeof error === 'string' ? error.toUpperCase() : '';
  if (text.includes('TIMED_OUT') || text.includes('TIMEOUT')) return 'timeout';
  if (text.includes('RESET') || text.includes('ABORTED') || text.includes('CLOSED')) return 'reset';
  return 'connect';
}

function entryOf(e: unknown, path: string, c: Checker, o: Required<Omit<HarOptions, 'maxEntries'>>): Observation | 'skip' | undefined {
  const entry = c.object(e, path);
  if (!entry) return undefined;
  const started = c.string(entry.startedDateTime, `${path}.startedDateTime`);
  const at = started === undefined ? undefined : Date.parse(started);
  if (started !== undefined && !Number.isFinite(at)) c.fail(`${path}.startedDateTime`, `must be an ISO 8601 date-time, got ${show(started)}`);
  const time = c.number(entry.time, `${path}.time`, 0);
  const req = c.object(entry.request, `${path}.request`);
  const res = c.object(entry.response, `${path}.response`);
  const before = c.problems.length;
  let url: URL | undefined;
  let method: string | undefined;
  let requestHeaders: Headers | undefined;
  let requestBody: string | undefined;
  let query: Record<string, string | string[]> = {};
  if (req) {
    method = c.string(req.method, `${path}.request.method`);
    if (method !== undefined && !/^[A-Za-z!#$%&'*+.^_`|~0-9-]+$/.test(method)) c.fail(`${path}.request.method`, `must be an HTTP method, got ${show(method)}`);
    const raw = c.string(req.url, `${path}.request.url`);
    if (raw !== undefined) {
      try {
        url = new URL(raw);
      } catch {
        c.fail(`${path}.request.url`, `must be an absolute URL, got ${show(raw)}`);
      }
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') return 'skip';
    requestHeaders = c.headers(req.headers, `${path}.request.headers`);
    if (url) query = queryOf(req.queryString, url, `${path}.request.queryString`, c);
    if (req.postData !== undefined) {
      const post = c.object(req.postData, `${path}.request.postData`);
      const text = post && c.string(post.text, `${path}.request.postData.text`, true);
      const mime = post && c.string(post.mimeType, `${path}.request.postData.mimeType`, true);
      if (text !== undefined && isTextual(mime) && Buffer.byteLength(text) <= o.captureBytes) requestBody = text;
    }
  }
  let status: number | undefined;
  let responseHeaders: Headers | undefined;
  let responseBody: string | undefined;
  let responseBytes = 0;
  if (res) {
    status = c.number(res.status, `${path}.response.status`, 0);
    if (status !== undefined && (!Number.isInteger(status) || status > 999)) c.fail(`${path}.response.status`, `must be an HTTP status (0 when there was no response), got ${show(status)}`);
    responseHeaders = c.headers(res.headers, `${path}.response.headers`);
    const content = c.object(res.content, `${path}.response.content`);
    if (content) {
      const size = c.number(content.size, `${path}.response.content.size`, -1, true);
      const mime = c.string(content.mimeType, `${path}.response.content.mimeType`, true);
      const text = c.string(content.text, `${path}.response.content.text`, true);
      const encoding = c.string(content.encoding, `${path}.response.content.encoding`, true);
      if (text !== undefined) {
        const body = bodyText(text, encoding, mime, `${path}.response.content`, c);
        responseBytes = body.bytes;
        if (body.text !== undefined && Buffer.byteLength(body.text) <= o.captureBytes) responseBody = body.text;
      }
      if (size !== undefined && size >= 0) responseBytes = size;
      else if (typeof res.bodySize === 'number' && res.bodySize >= 0 && text === undefined) responseBytes = res.bodySize;
    }
  }
  if (c.problems.length > before || !url || method === undefined || status === undefined || at === undefined || time === undefined) return undefined;
  const observation: Observation = {
    at: at!,
    method: method.toUpperCase(),
    path: url.pathname || '/',
    query,
    requestHeaders: requestHeaders!,
    status,
    responseHeaders: responseHeaders!,
    responseBytes,
    latencyMs: time,
    upstream: o.upstream,
    source: 'har',
  };
  if (requestBody !== undefined) observation.requestBody = requestBody;
  if (responseBody !== undefined) observation.responseBody = responseBody;
  if (status === 0) {
    observation.failure = failureOf((res as Obj)._error ?? entry._error);
    observation.status = observation.failure === 'timeout' ? 504 : 502;
    delete observation.responseBody;
  }
  return observation;
}

/** Read a HAR file: the observations, and how many entries were skipped. Throws US_LEARNER_HAR_INVALID listing every problem. */
export function readHar(text: unknown, options: HarOptions = {}): HarReading {
  const c = new Checker();
  if (typeof text !== 'string') throw new SynthErrors.HAR_INVALID([`(file): must be the HAR file's JSON text, got ${typeof text}`]);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SynthErrors.HAR_INVALID([`(file): is not JSON (${(err as Error).message})`]);
  }
  const root = c.object(doc, '(file)');
  const log = root && c.object(root.log, 'log');
  if (!log) throw new SynthErrors.HAR_INVALID(c.problems);
  const version = c.string(log.version, 'log.version', true);
  if (version !== undefined && version !== '' && !/^1\.[12]$/.test(version)) c.fail('log.version', `must be "1.2" (or "1.1"), got ${show(version)}`);
  if (!Array.isArray(log.entries)) throw new SynthErrors.HAR_INVALID([...c.problems, log.entries === undefined ? 'log.entries: is required' : `log.entries: must be an array, got ${show(log.entries)}`]);
  const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (log.entries.length > max) throw new SynthErrors.HAR_TOO_LARGE(log.entries.length, max);
  const o = { upstream: options.upstream ?? 'default', captureBytes: options.captureBytes ?? DEFAULT_CAPTURE_BYTES };
  const observations: Observation[] = [];
  let skipped = 0;
  log.entries.forEach((e, i) => {
    const result = entryOf(e, `log.entries[${i}]`, c, o);
    if (result === 'skip') skipped++;
    else if (result) observations.push(result);
  });
  if (c.problems.length) throw new SynthErrors.HAR_INVALID(c.problems);
  observations.sort((a, b) => a.at - b.at);
  return { observations, skipped };
}

/** HAR 1.2 text → observations, oldest first (see readHar). */
export function parseHar(text: string, options?: HarOptions): Observation[] {
  return readHar(text, options).observations;
}
