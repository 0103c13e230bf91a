// An endpoint's dependency calls, each a child exchange through the whole pipeline
// (so breakers, chaos and tracing apply on every hop).
import type { Exchange, ExchangeInit } from '@understudy/plugin-sdk';
import type { Route, Router } from './routing.js';
import type { CompiledCall, Step } from './topology/model.js';

export interface CallResult {
  service: string;
  endpoint: string;
  mode: 'sync' | 'async';
  /** ok, failed (propagated), fallback, ignored, or async (sent, not awaited). */
  outcome: 'ok' | 'failed' | 'fallback' | 'ignored' | 'async';
  status?: number;
  /** The fallback body used in place of a failed dependency. */
  body?: unknown;
  /** What the dependency itself called, so one response shows the whole call tree. */
  calls?: CallResult[];
}

/** The calls a finished mesh exchange made (its private state, see Exchange.locals). */
const CALLS_MADE = Symbol('mesh.callsMade');

export function recordCalls(ex: Exchange, results: CallResult[]): void {
  if (results.length) ex.locals[CALLS_MADE] = results;
}

export interface CallsOutcome {
  results: CallResult[];
  /** The first failed call whose policy is `propagate`, with its exchange. */
  failure?: { call: CompiledCall; child: Exchange };
}

export interface CallDeps {
  dispatch(init: ExchangeInit): Promise<Exchange>;
  router: Router;
  /** Told about every finished child (loop detection). */
  observe(child: Exchange, route: Route, call: CompiledCall): void;
}

export function isFailure(ex: Exchange): boolean {
  const res = ex.response;
  return !res || res.status >= 400 || res.fault !== undefined;
}

function childInit(call: CompiledCall, ex: Exchange, route: Route, router: Router): ExchangeInit {
  const lineage = { topology: route.topology, origin: route.origin, chain: route.chain };
  return {
    protocol: 'http',
    service: call.service,
    endpoint: call.endpoint,
    request: { method: call.method, url: call.url, headers: { 'x-understudy-caller': route.service.name } },
    context: {
      hops: ex.context.hops + 1,
      caller: ex.service,
      traceId: ex.context.traceId,
      parentSpanId: ex.context.spanId,
    },
    locals: router.inherit(lineage),
  };
}

async function runOne(call: CompiledCall, ex: Exchange, route: Route, deps: CallDeps, out: CallsOutcome): Promise<CallResult> {
  const init = childInit(call, ex, route, deps.router);
  const base = { service: call.service, endpoint: call.endpoint, mode: call.mode };
  if (call.mode === 'async') {
    // fire-and-forget: the response never waits for it, and dispatch never throws
    void deps.dispatch(init).then((child) => deps.observe(child, route, call));
    return { ...base, outcome: 'async' };
  }
  const child = await deps.dispatch(init);
  deps.observe(child, route, call);
  const status = child.response?.status;
  const nested = child.locals[CALLS_MADE] as CallResult[] | undefined;
  if (!isFailure(child)) return { ...base, outcome: 'ok', status, ...(nested && { calls: nested }) };
  switch (call.onFailure) {
    case 'fallback':
      return { ...base, outcome: 'fallback', status: call.fallback?.status ?? 200, body: call.fallback?.body ?? null };
    case 'ignore':
      return { ...base, outcome: 'ignored', status };
    default:
      out.failure ??= { call, child };
      return { ...base, outcome: 'failed', status };
  }
}

/** Run the steps in order; a step's calls run in sequence or in parallel. Stops at a propagated failure. */
export async function runCalls(steps: Step[], ex: Exchange, route: Route, deps: CallDeps): Promise<CallsOutcome> {
  const out: CallsOutcome = { results: [] };
  for (const step of steps) {
    if (step.parallel) {
      out.results.push(...(await Promise.all(step.calls.map((call) => runOne(call, ex, route, deps, out)))));
    } else {
      for (const call of step.calls) {
        out.results.push(await runOne(call, ex, route, deps, out));
        if (out.failure) return out;
      }
    }
    if (out.failure) return out;
  }
  return out;
}
