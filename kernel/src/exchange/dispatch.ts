import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../clock/types.js';
import { KernelErrors } from '../errors.js';
import type { KernelHooks } from '../hooks.js';
import type { Exchange, ExchangeInit, ExchangeResponse } from './types.js';

export interface Dispatcher {
  (init: ExchangeInit): Promise<Exchange>;
}

export interface DispatchDeps {
  hooks: KernelHooks;
  clock: Clock;
  logger: Logger;
  maxHops: number;
  nextId(): string;
}

function splitUrl(url: string) {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query: Record<string, string | string[]> = {};
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { path, query };
}

export function createExchange(init: ExchangeInit, id: string, now: number): Exchange {
  const { path, query } = splitUrl(init.request.url);
  const headers = Object.fromEntries(
    Object.entries(init.request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    ...init,
    id: init.id ?? id,
    protocol: init.protocol ?? 'http',
    request: {
      method: (init.request.method ?? 'GET').toUpperCase(),
      url: init.request.url,
      path: init.request.path ?? path,
      query: init.request.query ?? query,
      headers,
      body: init.request.body ?? '',
    },
    context: { hops: 0, tags: {}, unmatched: {}, ...init.context },
    startedAt: now,
  };
}

/** A JSON error body in the control plane's shape. */
export function errorResponse(statusCode: number, code: string, message: string, extra?: object): ExchangeResponse {
  return {
    status: statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra }),
  };
}

/**
 * Runs one exchange through the pipeline: `exchange` taps by stage, then `settled`.
 * Never throws: a failing tap becomes a 500 carrying the error's code, and a loop
 * beyond `maxHops` becomes a 508.
 */
export function createDispatcher(deps: DispatchDeps): Dispatcher {
  const { hooks, clock, logger, maxHops } = deps;
  return async function dispatch(init) {
    let ex = createExchange(init, deps.nextId(), clock.now());
    if (ex.context.hops > maxHops) {
      const err = new KernelErrors.LOOP_DETECTED(maxHops, ex.service ?? ex.request.path);
      ex.error = err;
      ex.response = errorResponse(508, err.code, err.message);
    } else {
      try {
        ex = (await hooks.exchange.promise(ex)) ?? ex;
      } catch (cause) {
        const err = cause instanceof Error ? cause : new Error(String(cause));
        ex.error = err;
        const code = (err as { code?: string }).code ?? 'US_EXCHANGE_FAILED';
        const status = (err as { statusCode?: number }).statusCode ?? 500;
        ex.response = errorResponse(status, code, err.message);
        logger.error({ err, traceId: ex.context.traceId, exchange: ex.id }, 'exchange failed');
      }
    }
    if (!ex.response) {
      const err = new KernelErrors.NO_MATCH(ex.request.method, ex.request.url);
      ex.response = errorResponse(404, err.code, err.message, { unmatched: ex.context.unmatched });
    }
    if (ex.response.delayMs && ex.response.delayMs > 0) await clock.sleep(ex.response.delayMs);
    ex.endedAt = clock.now();
    logger.debug(
      { traceId: ex.context.traceId, exchange: ex.id, method: ex.request.method, url: ex.request.url, status: ex.response.status, ms: ex.endedAt - ex.startedAt },
      'exchange',
    );
    try {
      await hooks.settled.promise(ex);
    } catch (err) {
      logger.error({ err, traceId: ex.context.traceId, exchange: ex.id }, 'settled hook failed');
    }
    return ex;
  };
}
