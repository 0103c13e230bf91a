// A validated topology compiled for the hot path: services by name (O(1)), endpoints
// by `METHOD path`, samplers and templates built once. A Topology is immutable: a change
// builds a new one and swaps it in, so requests in flight keep the snapshot they started with.
import { createSampler, type LatencySpec, type Sampler } from '../latency.js';
import { compileJson, compileTemplate, hasPlaceholders, type TemplateScope } from '../template.js';
import type { ChildInit } from '@understudy/plugin-sdk';
import type { CallDef, CallGroupDef, EndpointDef, ServiceDef, TopologyDef } from './schema.js';
import { endpointKey, findEndpoint } from './validate.js';

export interface Instance {
  /** `<service>-<n>`, n from 1. */
  id: string;
  version: string;
  address?: string;
  port?: number;
}

export interface CompiledCall {
  service: string;
  /** The target endpoint's key (its name, `METHOD path` or path). */
  endpoint: string;
  method: string;
  path: string;
  /** The URL a call requests: `/<service><path>`, parameters filled with `1` (built once, not per call). */
  url: string;
  mode: 'sync' | 'async';
  onFailure: 'propagate' | 'fallback' | 'ignore';
  fallback?: { status?: number; body?: unknown };
  /**
   * What `dispatch.child` is given, shared by every call (frozen, like its request and
   * headers: the caller's name); the kernel adds the parent's context and lineage. Path
   * and query are given, so the kernel splits no URL per call.
   */
  init: Readonly<ChildInit>;
}

export type Step = { parallel: boolean; calls: CompiledCall[] };

/** An endpoint's own body: fixed text, or text rendered per request from a template. */
export type CompiledBody = { text: string } | { render: (scope: TemplateScope) => string };

export interface CompiledEndpoint {
  key: string;
  method?: string;
  path: string;
  sample: Sampler;
  errorRate: number;
  errorStatuses: number[];
  status: number;
  headers?: Record<string, string>;
  /** The headers of its responses (content type, then its own headers): built once, frozen and shared. */
  responseHeaders: Readonly<Record<string, string>>;
  /** Undefined: the default JSON body (service, endpoint, instance, calls). */
  body?: CompiledBody;
  /** Top-level calls in order; a group is one step. Single calls are one-call steps. */
  steps: Step[];
  parallel: boolean;
}

export interface MeshService {
  name: string;
  def: ServiceDef;
  instances: Instance[];
  versions: string[];
  port?: number;
  endpoints: CompiledEndpoint[];
  byKey: Map<string, CompiledEndpoint>;
  /** `METHOD path` and `* path` for endpoints without parameters. */
  exact: Map<string, CompiledEndpoint>;
  patterns: Array<{ method?: string; regex: RegExp; endpoint: CompiledEndpoint }>;
  /** Round-robin position; per snapshot, so a topology change restarts it. */
  next: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function compileBody(body: unknown): CompiledBody | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return hasPlaceholders(body) ? { render: compileTemplate(body) } : { text: body };
  const text = JSON.stringify(body);
  if (!hasPlaceholders(text)) return { text };
  const render = compileJson(body);
  return { render: (scope) => JSON.stringify(render(scope)) };
}

/** `/orders/:id`, `/orders/{id}` and a trailing `/*` become a regex; else undefined. */
function pathPattern(path: string): RegExp | undefined {
  if (!/[:{*]/.test(path)) return undefined;
  const source = path
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : /^:\w+$|^\{\w+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/** The query of every call: call URLs have none. */
const NO_QUERY = Object.freeze({});

function compileCall(call: CallDef, defs: TopologyDef, caller: string): CompiledCall {
  const target = findEndpoint(defs[call.service].endpoints, call.endpoint)!;
  const method = target.method?.toUpperCase() ?? 'GET';
  const url = `/${call.service}${target.path.replace(/:\w+|\{\w+\}|\*/g, '1')}`;
  const headers = Object.freeze({ 'x-understudy-caller': caller });
  return {
    service: call.service,
    endpoint: endpointKey(target),
    method,
    path: target.path,
    url,
    mode: call.mode ?? 'sync',
    onFailure: call.onFailure ?? 'propagate',
    fallback: call.fallback,
    init: Object.freeze({
      protocol: 'http',
      service: call.service,
      endpoint: endpointKey(target),
      // a path with a query (unusual) is left for the kernel to split
      request: Object.freeze(url.includes('?') ? { method, url, headers, body: '' } : { method, url, path: url, query: NO_QUERY, headers, body: '' }),
    }),
  };
}

function compileEndpoint(ep: EndpointDef, defs: TopologyDef, service: string): CompiledEndpoint {
  const steps: Step[] = (ep.calls ?? []).map((item) =>
    'calls' in item
      ? { parallel: (item as CallGroupDef).parallel ?? false, calls: (item as CallGroupDef).calls.map((c) => compileCall(c, defs, service)) }
      : { parallel: false, calls: [compileCall(item as CallDef, defs, service)] },
  );
  const parallel = ep.parallel ?? false;
  return {
    key: endpointKey(ep),
    method: ep.method?.toUpperCase(),
    path: ep.path,
    sample: createSampler(ep.latency as LatencySpec | undefined),
    errorRate: ep.errorRate ?? 0,
    errorStatuses: ep.errorStatus === undefined ? [500] : Array.isArray(ep.errorStatus) ? ep.errorStatus : [ep.errorStatus],
    status: ep.status ?? 200,
    headers: ep.headers,
    responseHeaders: Object.freeze({ 'content-type': typeof ep.body === 'string' ? TEXT_TYPE : JSON_TYPE, ...ep.headers }),
    body: compileBody(ep.body),
    // endpoint-level parallel: every call, groups included, at once
    steps: parallel && steps.length > 0 ? [{ parallel: true, calls: steps.flatMap((s) => s.calls) }] : steps,
    parallel,
  };
}

function compileInstances(name: string, def: ServiceDef): Instance[] {
  const version = def.version ?? '1.0.0';
  const list = typeof def.instances === 'number' ? Array.from({ length: def.instances }, () => ({})) : (def.instances ?? [{}]);
  return list.map((inst: { version?: string; address?: string; port?: number }, i) => ({
    id: `${name}-${i + 1}`,
    version: inst.version ?? version,
    address: inst.address,
    port: inst.port,
  }));
}

export function compileService(name: string, def: ServiceDef, defs: TopologyDef): MeshService {
  const endpoints = def.endpoints.map((ep) => compileEndpoint(ep, defs, name));
  const exact = new Map<string, CompiledEndpoint>();
  const patterns: MeshService['patterns'] = [];
  for (const ep of endpoints) {
    const regex = pathPattern(ep.path);
    if (regex) patterns.push({ method: ep.method, regex, endpoint: ep });
    else {
      const key = `${ep.method ?? '*'} ${ep.path}`;
      if (!exact.has(key)) exact.set(key, ep);
    }
  }
  const instances = compileInstances(name, def);
  return {
    name,
    def,
    instances,
    versions: [...new Set(instances.map((i) => i.version))],
    port: def.port,
    endpoints,
    byKey: new Map(endpoints.map((e) => [e.key, e])),
    exact,
    patterns,
    next: 0,
  };
}

/** The endpoint answering `method path` (a path below the service), if any. */
export function matchEndpoint(service: MeshService, method: string, path: string): CompiledEndpoint | undefined {
  const hit = service.exact.get(`${method} ${path}`) ?? service.exact.get(`* ${path}`);
  if (hit) return hit;
  for (const p of service.patterns) if ((p.method === undefined || p.method === method) && p.regex.test(path)) return p.endpoint;
  return undefined;
}

export class Topology {
  readonly services = new Map<string, MeshService>();

  /** `defs` must have passed topologyProblems(). */
  constructor(readonly defs: TopologyDef) {
    for (const [name, def] of Object.entries(defs)) this.services.set(name, compileService(name, def, defs));
  }
}
