// An endpoint's dependency calls, each a child exchange through the whole pipeline
// (so breakers, chaos and tracing apply on every hop). A call fails when the dependency
// did not give the caller what it asked for (the SDK's respondedWithError: any 4xx or
// 5xx, a broken connection, no response); its policy then decides.
import { respondedWithError, type Dispatcher, type Exchange } from '@understudy/plugin-sdk';
import type { Route } from './routing.js';
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
  dispatch: Dispatcher;
  /** Told about every finished child (loop detection). */
  observe(child: Exchange, route: Route, call: CompiledCall): void;
}

/** A call's result; fields in this order, which is the order of the JSON a caller sees. */
function result(call: CompiledCall, outcome: CallResult['outcome'], status: number | undefined): CallResult {
  return { service: call.service, endpoint: call.endpoint, mode: call.mode, outcome, status };
}

// Runs for every call: the init is the call's own (built once); the kernel derives hops,
// caller and trace ids from `ex` and copies the caller's route as the child's lineage.
async function runOne(call: CompiledCall, ex: Exchange, route: Route, deps: CallDeps, out: CallsOutcome): Promise<CallResult> {
  if (call.mode === 'async') {
    // fire-and-forget: the response never waits for it, and dispatch never throws
    void deps.dispatch.child(ex, call.init).then((child) => deps.observe(child, route, call));
    return { service: call.service, endpoint: call.endpoint, mode: call.mode, outcome: 'async' };
  }
  const child = await deps.dispatch.child(ex, call.init);
  deps.observe(child, route, call);
  const status = child.response?.status;
  if (!respondedWithError(child)) {
    const ok = result(call, 'ok', status);
    const nested = child.locals[CALLS_MADE] as CallResult[] | undefined;
    if (nested) ok.calls = nested;
    return ok;
  }
  switch (call.onFailure) {
    case 'fallback': {
      const fallback = result(call, 'fallback', call.fallback?.status ?? 200);
      fallback.body = call.fallback?.body ?? null;
      return fallback;
    }
    case 'ignore':
      return result(call, 'ignored', status);
    default:
      out.failure ??= { call, child };
      return result(call, 'failed', status);
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
