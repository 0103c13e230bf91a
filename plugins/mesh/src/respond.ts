// Stage.Respond: latency, simulated errors, dependency calls, then the response.
import { STATUS_CODES } from 'node:http';
import { errorResponse, type Exchange, type ExchangeResponse, type Random } from '@understudy/plugin-sdk';
import { recordCalls, runCalls, type CallDeps, type CallsOutcome } from './calls.js';
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

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=utf-8' });

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

export async function respond(route: Route, ex: Exchange, deps: RespondDeps): Promise<ExchangeResponse> {
  const { endpoint, service, instance } = route;
  const rate = endpoint.errorRate * deps.errorScale;
  const failing = rate > 0 && deps.errorRandom.chance(rate);
  if (deps.latencyScale > 0) {
    const ms = Math.round(endpoint.sample(deps.latencyRandom) * deps.latencyScale);
    if (ms > 0) await deps.sleep(ms);
  }
  if (failing) {
    const statuses = endpoint.errorStatuses;
    const status = statuses.length === 1 ? statuses[0] : deps.errorRandom.pick(statuses);
    return errorResponse(status, ResponseCodes.INJECTED_ERROR, `${service.name} ${endpoint.key} failed: simulated ${status} ${STATUS_CODES[status] ?? 'error'} (errorRate ${endpoint.errorRate}).`, {
      service: service.name,
      endpoint: endpoint.key,
      instance: instance.id,
    });
  }
  const outcome = endpoint.steps.length ? await runCalls(endpoint.steps, ex, route, deps) : { results: [] };
  recordCalls(ex, outcome.results);
  if (outcome.failure) return dependencyFailed(route, outcome);
  if (endpoint.body) {
    const { contentType, text } = endpoint.body(scopeOf(route, ex));
    return { status: endpoint.status, headers: { 'content-type': contentType, ...endpoint.headers }, body: text };
  }
  const body = JSON.stringify({ service: service.name, endpoint: endpoint.key, instance: instance.id, version: instance.version, calls: outcome.results });
  return { status: endpoint.status, headers: endpoint.headers ? { ...JSON_HEADERS, ...endpoint.headers } : JSON_HEADERS, body };
}
