import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../clock/types.js';
import { KernelErrors } from '../errors.js';
import type { KernelHooks } from '../hooks.js';
import { requestFromInit } from './request.js';
import { callAsyncTap, plainTaps } from './taps.js';
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

// Runs on every request: plain assignments, no spreads of the whole init.
export function createExchange(init: ExchangeInit, id: string, now: number): Exchange {
  const context = init.context;
  return {
    id: init.id ?? id,
    protocol: init.protocol ?? 'http',
    service: init.service,
    endpoint: init.endpoint,
    request: requestFromInit(init.request),
    response: init.response,
    error: init.error,
    context: {
      hops: context?.hops ?? 0,
      tags: context?.tags ?? {},
      unmatched: context?.unmatched ?? {},
      traceId: context?.traceId,
      spanId: context?.spanId,
      parentSpanId: context?.parentSpanId,
      caller: context?.caller,
    },
    locals: init.locals ?? {},
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
  // a host app's logger may be fastify's no-op logger, which has no isLevelEnabled
  const debug = logger.isLevelEnabled?.('debug') ?? false;
  return async function dispatch(init) {
    let ex = createExchange(init, deps.nextId(), clock.now());
    if (ex.context.hops > maxHops) {
      const err = new KernelErrors.LOOP_DETECTED(maxHops, ex.service ?? ex.request.path);
      ex.error = err;
      ex.response = errorResponse(508, err.code, err.message);
    } else {
      try {
        // the taps are called here rather than through tapable's compiled call (see taps.ts)
        const taps = plainTaps(hooks.exchange);
        if (taps) {
          // indexed: inside an async function, for…of allocated an iterator result per tap
          for (let i = 0; i < taps.length; i++) {
            const tap = taps[i]!;
            const result = tap.type === 'sync' ? (tap.fn as (ex: Exchange) => unknown)(ex) : await callAsyncTap(tap, ex);
            if (result !== undefined) ex = result as Exchange;
          }
        } else {
          ex = (await hooks.exchange.promise(ex)) ?? ex;
        }
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
    if (debug) {
      logger.debug(
        { traceId: ex.context.traceId, exchange: ex.id, method: ex.request.method, url: ex.request.url, status: ex.response.status, ms: ex.endedAt - ex.startedAt },
        'exchange',
      );
    }
    try {
      const taps = plainTaps(hooks.settled);
      if (taps) {
        for (let i = 0; i < taps.length; i++) {
          const tap = taps[i]!;
          if (tap.type === 'sync') (tap.fn as (ex: Exchange) => unknown)(ex);
          else await callAsyncTap(tap, ex);
        }
      } else {
        await hooks.settled.promise(ex);
      }
    } catch (err) {
      logger.error({ err, traceId: ex.context.traceId, exchange: ex.id }, 'settled hook failed');
    }
    return ex;
  };
}
