import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../clock/types.js';
import { KernelErrors } from '../errors/index.js';
import type { KernelHooks } from '../hooks.js';
import { requestFromInit } from './request.js';
import { ALWAYS_RUNS_FROM, callAsyncTap, type RunnableTap } from './taps.js';
import type { ChildInit, Exchange, ExchangeInit, ExchangeResponse } from './types.js';

export interface Dispatcher {
  /** Run an exchange through the pipeline. Never throws. */
  (init: ExchangeInit): Promise<Exchange>;
  /**
   * Run a call made while handling `parent` (a mock service calling its dependency):
   * the kernel derives the hop count, the caller, the trace ids and the locals marked
   * with `inheritedLocal`, so breakers, chaos and tracing see every hop alike.
   */
  child(parent: Exchange, init: ChildInit): Promise<Exchange>;
}

/** Locals that a child exchange copies from its parent (see `inheritedLocal`). */
const inherited: symbol[] = [];

/**
 * A key for `Exchange.locals` whose value every child call inherits from its parent
 * (mesh's route lineage). Call once per key, at module level.
 */
export function inheritedLocal(description: string): symbol {
  const key = Symbol(description);
  inherited.push(key);
  return key;
}

/** The init of a child call: the parent's context and inherited locals, then the call's own. */
export function childInit(parent: Exchange, init: ChildInit): ExchangeInit {
  const locals: Record<symbol, unknown> = {};
  for (let i = 0; i < inherited.length; i++) {
    const key = inherited[i]!;
    if (key in parent.locals) locals[key] = parent.locals[key];
  }
  if (init.locals) for (const key of Object.getOwnPropertySymbols(init.locals)) locals[key] = init.locals[key];
  const pc = parent.context;
  return {
    protocol: init.protocol ?? parent.protocol,
    service: init.service,
    endpoint: init.endpoint,
    request: init.request,
    context: { hops: pc.hops + 1, caller: parent.service, traceId: pc.traceId, parentSpanId: pc.spanId, tags: init.context?.tags },
    locals,
  };
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
 * A tap's error, wrapped to name the tap and the hook. A 4xx keeps its status (and a
 * `US_` code its code and message: it is an answer, not a crash); anything else is a
 * 500 whose message starts with the tap and the hook.
 */
function tapError(tap: RunnableTap, hook: string, cause: unknown): Error & { code: string; statusCode: number } {
  const err = cause instanceof Error ? cause : new Error(String(cause));
  const { code, statusCode } = err as Error & { code?: unknown; statusCode?: unknown };
  const status = typeof statusCode === 'number' && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
  const coded = typeof code === 'string' && code.startsWith('US_');
  if (coded && status < 500) return Object.assign(err, { tap: tap.name, hook }) as unknown as Error & { code: string; statusCode: number };
  const wrapped = new KernelErrors.TAP_FAILED(tap.name, hook, err.message);
  Object.assign(wrapped, { code: coded ? code : wrapped.code, statusCode: status, cause: err });
  return wrapped as typeof wrapped & { code: string; statusCode: number };
}

/**
 * Runs one exchange through the pipeline: `exchange` taps by stage, then `settled`.
 * First responder wins: once a tap has set `ex.response`, the taps before `Stage.Shape`
 * are skipped. Never throws: a failing tap becomes a 500 naming the tap and the hook,
 * and a loop beyond `maxHops` becomes a 508.
 */
export function createDispatcher(deps: DispatchDeps): Dispatcher {
  const { hooks, clock, logger, maxHops } = deps;
  // a host app's logger may be fastify's no-op logger, which has no isLevelEnabled
  const debug = logger.isLevelEnabled?.('debug') ?? false;
  const exchangeTaps = hooks.exchange.taps as unknown as readonly RunnableTap[];
  const settledTaps = hooks.settled.taps as unknown as readonly RunnableTap[];
  async function dispatch(init: ExchangeInit): Promise<Exchange> {
    let ex = createExchange(init, deps.nextId(), clock.now());
    if (ex.context.hops > maxHops) {
      const err = new KernelErrors.LOOP_DETECTED(maxHops, ex.service ?? ex.request.path);
      ex.error = err;
      ex.response = errorResponse(508, err.code, err.message);
    } else {
      // indexed: inside an async function, for…of allocated an iterator result per tap
      for (let i = 0; i < exchangeTaps.length; i++) {
        const tap = exchangeTaps[i]!;
        if (ex.response && (tap.stage ?? 0) < ALWAYS_RUNS_FROM) continue;
        try {
          const result = tap.type === 'sync' ? (tap.fn as (ex: Exchange) => unknown)(ex) : await callAsyncTap(tap, ex);
          if (result !== undefined) ex = result as Exchange;
        } catch (cause) {
          const err = tapError(tap, 'exchange', cause);
          // the first failure is the answer; a later one (a Shape tap) is only logged
          if (!ex.error) {
            ex.error = err;
            ex.response = errorResponse(err.statusCode, err.code, err.message, { tap: tap.name, hook: 'exchange' });
          }
          logger.error({ err, tap: tap.name, hook: 'exchange', traceId: ex.context.traceId, exchange: ex.id }, 'exchange failed');
        }
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
    for (let i = 0; i < settledTaps.length; i++) {
      const tap = settledTaps[i]!;
      try {
        if (tap.type === 'sync') (tap.fn as (ex: Exchange) => unknown)(ex);
        else await callAsyncTap(tap, ex);
      } catch (cause) {
        const err = tapError(tap, 'settled', cause);
        logger.error({ err, tap: tap.name, hook: 'settled', traceId: ex.context.traceId, exchange: ex.id }, 'settled hook failed');
      }
    }
    return ex;
  }
  dispatch.child = (parent: Exchange, init: ChildInit) => dispatch(childInit(parent, init));
  return dispatch;
}
