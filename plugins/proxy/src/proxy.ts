// The learning proxy's two taps. At Stage.AfterRoute it finds the request's target and the
// learned endpoint (so chaos, at Stage.Fault, sees `ex.endpoint` = `GET /users/{userId}`
// and scopes faults to it); at Stage.Respond it decides the mode — X-Mock-Enabled first,
// then the endpoint's mode, then the global one — and forwards, mocks, or falls back to
// the mock when the upstream fails. Forwarded bodies are streamed; the learner gets its
// observation when the body has gone through (capture.ts), never before the client.
import type { Learner, Observation, EndpointMatch } from '@understudy/plugin-learner';
import { errorResponse, type Clock, type Exchange, type PluginEvents } from '@understudy/plugin-sdk';
import { captureBody, capturedOf, isLearnableText, readWhole, type Captured } from './capture.js';
import type { Mode, ProxyConfig } from './config.js';
import { ProxyErrors, ResponseCodes } from './errors.js';
import { forward, type Failure } from './forward.js';
import { downstreamHeaders, upstreamHeaders } from './headers.js';
import type { Modes } from './modes.js';
import type { ProxyStats } from './stats.js';
import { originForm, pickTarget, upstreamPath, type Target } from './targets.js';

/** What the AfterRoute tap found, for the Respond tap. */
interface Routed {
  target: Target;
  /** Origin-form path and query (an absolute-form URL's authority dropped). */
  pathAndQuery: string;
  path: string;
  match: EndpointMatch | undefined;
}

const ROUTED = Symbol('proxy route');
const NO_HEADERS: Exchange['request']['headers'] = Object.freeze({});
const BAD_TARGET = Symbol('proxy bad request target');

export interface ProxyDeps {
  config: ProxyConfig;
  targets: Target[];
  modes: Modes;
  stats: ProxyStats;
  clock: Clock;
  events: PluginEvents;
  learner: () => Learner;
  proto: 'http' | 'https';
}

function queryOf(pathAndQuery: string): Record<string, string | string[]> {
  const q = pathAndQuery.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (q === -1) return query;
  for (const [k, v] of new URLSearchParams(pathAndQuery.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return query;
}

export class LearningProxy {
  constructor(private readonly deps: ProxyDeps) {}

  /** Stage.AfterRoute: target and learned endpoint. */
  route(ex: Exchange): Exchange {
    const { request } = ex;
    const pathAndQuery = originForm(request.url);
    if (pathAndQuery === undefined) {
      ex.locals[BAD_TARGET] = true;
      return ex;
    }
    if (pathAndQuery !== request.url) {
      // absolute-form: from here on the request is its path, whatever authority it named
      const q = pathAndQuery.indexOf('?');
      request.url = pathAndQuery;
      request.path = q === -1 ? pathAndQuery : pathAndQuery.slice(0, q);
      request.query = queryOf(pathAndQuery);
    }
    const path = request.path;
    const target = pickTarget(this.deps.targets, path);
    if (!target) {
      ex.context.unmatched.proxy = `no proxy target routes ${path} (prefixes: ${this.deps.targets.map((t) => t.prefix).join(', ')})`;
      return ex;
    }
    const match = this.deps.learner().lookup(request.method, path);
    ex.service ??= target.name;
    if (match) ex.endpoint ??= match.key;
    ex.locals[ROUTED] = { target, pathAndQuery, path, match } satisfies Routed;
    return ex;
  }

  /** Stage.Respond: forward, mock, or fall back. */
  async respond(ex: Exchange): Promise<Exchange> {
    if (ex.locals[BAD_TARGET]) throw new ProxyErrors.BAD_REQUEST_TARGET(ex.request.url);
    const routed = ex.locals[ROUTED] as Routed | undefined;
    if (!routed) return ex;
    const mode = this.modeOf(ex, routed);
    switch (mode) {
      case 'simulate':
        if (!(await this.mock(ex))) this.notLearned(ex);
        break;
      case 'spy':
        if (!routed.match || !(await this.mock(ex))) await this.forward(ex, routed, true);
        break;
      default:
        await this.forward(ex, routed, mode === 'capture');
    }
    return ex;
  }

  private modeOf(ex: Exchange, routed: Routed): Mode {
    const header = ex.request.headers['x-mock-enabled'];
    const global = this.deps.modes.mode;
    if (header !== undefined) {
      const value = String(header).trim().toLowerCase();
      if (value === 'true') return 'simulate';
      if (value === 'false') return global === 'passthrough' ? 'passthrough' : 'capture';
      throw new ProxyErrors.BAD_MOCK_HEADER(String(header));
    }
    return this.deps.modes.endpointMode(routed.match?.key, ex.request.method, routed.path) ?? global;
  }

  private notLearned(ex: Exchange): void {
    this.deps.stats.notLearned++;
    const { method, path } = ex.request;
    ex.response = errorResponse(
      404,
      ResponseCodes.NOT_LEARNED,
      `Nothing learned for ${method} ${path} yet: send it through the proxy without X-Mock-Enabled (mode capture) first, or see the learned endpoints at GET /__admin/learner/endpoints.`,
    );
  }

  /** Answer from the learner; false when it knows nothing of the endpoint. */
  private async mock(ex: Exchange, fallback?: 'upstream-timeout' | 'upstream-error'): Promise<boolean> {
    const m = await this.deps.learner().mock(ex.request);
    if (!m) return false;
    this.deps.stats.mocked[m.via]++;
    const headers: Record<string, string> = { ...m.headers, 'x-understudy-mock': m.via };
    if (fallback) headers['x-understudy-fallback'] = fallback;
    ex.response = { status: m.status, headers, body: m.body, delayMs: m.delayMs };
    return true;
  }

  private async forward(ex: Exchange, routed: Routed, learn: boolean): Promise<void> {
    const { config, clock, stats } = this.deps;
    const { target } = routed;
    const { request } = ex;
    const method = request.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : (request.rawBody ?? (request.body === '' ? undefined : request.body));
    const headers = upstreamHeaders(request.headers, {
      remoteAddress: request.remoteAddress,
      proto: this.deps.proto,
      extra: target.headers,
      identity: learn && config.identityEncoding,
    });
    const sentAt = clock.now();
    const outcome = await forward(target, { method, path: upstreamPath(target, routed.pathAndQuery), headers, body }, clock, config.timeouts.responseMs);
    if (!outcome.ok) return this.failed(ex, routed, outcome.failure, outcome.message, learn, sentAt);
    const upstream = outcome.response;
    const responseHeaders = downstreamHeaders(upstream.headers);
    const length = upstream.headers['content-length'];
    if (config.bufferBytes > 0 && typeof length === 'string' && Number(length) <= config.bufferBytes) {
      // small and sized: read it whole, so the client gets it with its length in one write
      let body: Buffer;
      try {
        body = await readWhole(upstream.body);
      } catch (err) {
        stats.bodyAborted++;
        return this.failed(ex, routed, 'reset', (err as Error).message, learn, sentAt);
      }
      this.counted(target);
      ex.response = { status: upstream.statusCode, headers: responseHeaders, body };
      if (learn) this.learnResponse(ex, routed, sentAt, upstream, responseHeaders, capturedOf(body, this.captureLimit(upstream)));
      return;
    }
    this.counted(target);
    if (learn) {
      captureBody(
        upstream.body,
        this.captureLimit(upstream),
        (captured) => this.learnResponse(ex, routed, sentAt, upstream, responseHeaders, captured),
        () => void stats.bodyAborted++,
      );
    }
    ex.response = { status: upstream.statusCode, headers: responseHeaders, body: upstream.body };
  }

  private counted(target: Target): void {
    this.deps.stats.proxied++;
    this.deps.stats.target(target.name).proxied++;
  }

  /** Bytes of the upstream's body the learner gets: 0 when it is not text. */
  private captureLimit(upstream: { headers: Record<string, string | string[] | undefined> }): number {
    return isLearnableText(upstream.headers['content-type'], upstream.headers['content-encoding']) ? this.deps.config.captureBytes : 0;
  }

  private learnResponse(ex: Exchange, routed: Routed, sentAt: number, upstream: { statusCode: number }, responseHeaders: Exchange['request']['headers'], captured: Captured): void {
    if (captured.truncated) this.deps.stats.captureTruncated++;
    this.observe(this.observation(ex, routed, routed.target, sentAt, upstream.statusCode, responseHeaders, captured.text, captured.bytes));
  }

  private async failed(ex: Exchange, routed: Routed, failure: Failure, message: string, learn: boolean, sentAt: number): Promise<void> {
    const { config, stats, events, clock } = this.deps;
    const { target } = routed;
    const timeout = failure === 'timeout';
    if (timeout) stats.upstreamTimeouts++;
    else stats.upstreamErrors++;
    stats.target(target.name).errors++;
    const status = timeout ? 504 : 502;
    if (learn && config.learnFailures) {
      const o = this.observation(ex, routed, target, sentAt, status, {}, undefined, 0);
      o.failure = failure;
      this.observe(o);
    }
    const reason = timeout ? 'upstream-timeout' : 'upstream-error';
    if (config.fallback && routed.match && (await this.mock(ex, reason))) {
      stats.fallbacks[reason]++;
      events.emit('proxy.fallback', { key: routed.match.key, target: target.name, reason, failure });
      return;
    }
    const where = `${ex.request.method} ${routed.path} → ${target.name}`;
    ex.response = timeout
      ? errorResponse(504, ResponseCodes.UPSTREAM_TIMEOUT, `${where}: ${message}, and nothing learned to answer in its place.`, { target: target.name })
      : errorResponse(502, ResponseCodes.UPSTREAM_ERROR, `${where}: the upstream failed (${failure}: ${message}), and nothing learned to answer in its place.`, { target: target.name });
  }

  /** What the learner gets of an exchange: one object literal of one shape (this runs per request). */
  private observation(
    ex: Exchange,
    routed: Routed,
    target: Target,
    sentAt: number,
    status: number,
    responseHeaders: Observation['responseHeaders'],
    responseBody: string | undefined,
    responseBytes: number,
  ): Observation {
    const { request } = ex;
    const contentType = request.headers['content-type'];
    const learnable = request.body !== '' && request.body.length <= this.deps.config.captureBytes && isLearnableText(contentType);
    return {
      at: sentAt,
      method: request.method,
      path: routed.path,
      query: request.query,
      // the learner reads only the request's content type: the rest of the headers (secrets
      // among them) is not kept alive in the queue until the next flush
      requestHeaders: contentType === undefined ? NO_HEADERS : { 'content-type': contentType },
      requestBody: learnable ? request.body : undefined,
      status,
      responseHeaders,
      responseBody,
      responseBytes,
      latencyMs: this.deps.clock.now() - sentAt,
      upstream: target.name,
      source: 'proxy',
    };
  }

  private observe(o: Observation): void {
    if (this.deps.learner().observe(o)) this.deps.stats.observed++;
    else this.deps.stats.observeDropped++;
  }
}
