// Stage.Respond: latency, simulated errors, dependency calls, then the response.
import { STATUS_CODES } from 'node:http';
import { errorResponse, type Exchange, type ExchangeResponse, type Random } from '@understudy/plugin-sdk';
import { recordCalls, runCalls, type CallDeps, type CallResult, type CallsOutcome } from './calls.js';
import { ResponseCodes } from './errors.js';
import type { Route } from './routing.js';
import type { TemplateScope } from './template.js';

export interface RespondDeps extends CallDeps {
  sleep(ms: number): Promise<void>;
  latencyRandom: Random;
  errorRandom: Random;
  latencyScale: number;
  errorScale: number;
}

function scopeOf(route: Route, ex: Exchange): TemplateScope {
  const { method, path, url, query, headers } = ex.request;
  return {
    service: route.service.name,
    endpoint: route.endpoint.key,
    instance: route.instance.id,
    version: route.instance.version,
    request: { method, path, url, query, headers },
    hops: ex.context.hops,
    caller: ex.context.caller ?? '',
  };
}

/** The child's error code, when its body is one of ours or the kernel's. */
function codeOf(child: Exchange): string | undefined {
  const body = child.response?.body;
  if (typeof body !== 'string' || !body.startsWith('{')) return undefined;
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

function dependencyFailed(route: Route, outcome: CallsOutcome): ExchangeResponse {
  const { call, child } = outcome.failure!;
  const status = child.response?.status;
  const code = codeOf(child);
  const loop = status === 508;
  // a loop stays a 508 all the way up; any other failure is a bad gateway
  const statusCode = loop ? 508 : 502;
  const message = `${route.service.name} ${route.endpoint.key}: dependency ${call.service} ${call.endpoint} failed with ${status ?? 'no response'}${code ? ` (${code})` : ''}`;
  return errorResponse(statusCode, loop ? ResponseCodes.LOOP_DETECTED : ResponseCodes.DEPENDENCY_FAILED, message, {
    service: route.service.name,
    endpoint: route.endpoint.key,
    instance: route.instance.id,
    failed: { service: call.service, endpoint: call.endpoint, status, code },
    calls: outcome.results,
  });
}

/**
 * The response of a mesh endpoint. Runs for every hop: an endpoint that calls nothing
 * and has no latency to sleep (every leaf, when latency is scaled to 0) answers at once,
 * without an async function (a promise and a frame per exchange); the rest wait.
 */
export function respond(route: Route, ex: Exchange, deps: RespondDeps): ExchangeResponse | Promise<ExchangeResponse> {
  const { endpoint } = route;
  const rate = endpoint.errorRate * deps.errorScale;
  const failing = rate > 0 && deps.errorRandom.chance(rate);
  const ms = deps.latencyScale > 0 ? Math.round(endpoint.sample(deps.latencyRandom) * deps.latencyScale) : 0;
  if (ms > 0 || (!failing && endpoint.steps.length)) return respondLater(route, ex, deps, failing, ms);
  return failing ? injectedError(route, deps) : answer(route, ex, NO_CALLS);
}

async function respondLater(route: Route, ex: Exchange, deps: RespondDeps, failing: boolean, ms: number): Promise<ExchangeResponse> {
  if (ms > 0) await deps.sleep(ms);
  if (failing) return injectedError(route, deps);
  return answer(route, ex, route.endpoint.steps.length ? await runCalls(route.endpoint.steps, ex, route, deps) : NO_CALLS);
}

/** Read-only: the outcome of an endpoint without calls. */
const NO_CALLS: CallsOutcome = Object.freeze({ results: Object.freeze([]) as unknown as CallResult[] });

function injectedError(route: Route, deps: RespondDeps): ExchangeResponse {
  const { endpoint, service, instance } = route;
  const statuses = endpoint.errorStatuses;
  const status = statuses.length === 1 ? statuses[0] : deps.errorRandom.pick(statuses);
  return errorResponse(status, ResponseCodes.INJECTED_ERROR, `${service.name} ${endpoint.key} failed: simulated ${status} ${STATUS_CODES[status] ?? 'error'} (errorRate ${endpoint.errorRate}).`, {
    service: service.name,
    endpoint: endpoint.key,
    instance: instance.id,
  });
}

function answer(route: Route, ex: Exchange, outcome: CallsOutcome): ExchangeResponse {
  const { endpoint, service, instance } = route;
  recordCalls(ex, outcome.results);
  if (outcome.failure) return dependencyFailed(route, outcome);
  const { body: own, status, responseHeaders: headers } = endpoint;
  // a fixed body needs no template scope (two objects per response)
  if (own) return { status, headers, body: 'text' in own ? own.text : own.render(scopeOf(route, ex)) };
  const body = JSON.stringify({ service: service.name, endpoint: endpoint.key, instance: instance.id, version: instance.version, calls: outcome.results });
  return { status, headers, body };
}
