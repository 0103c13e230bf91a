// Checks a whole topology before anything is swapped in, reporting every problem with
// its path: `plugins.mesh.services.orders.endpoints[0].calls[1].service: unknown service "paymnts"`.
import { latencyProblems } from '../latency.js';

/** Service names are one URL path segment; `__admin` belongs to the control plane. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const SERVICE_KEYS = ['version', 'instances', 'port', 'endpoints'];
const ENDPOINT_KEYS = ['path', 'name', 'method', 'latency', 'errorRate', 'errorStatus', 'status', 'headers', 'body', 'parallel', 'calls'];
const CALL_KEYS = ['service', 'endpoint', 'mode', 'onFailure', 'fallback'];
const INSTANCE_KEYS = ['version', 'address', 'port'];

/** The name calls use for an endpoint: its name, else `METHOD path` or the path. */
export function endpointKey(ep: { name?: string; method?: string; path: string }): string {
  return ep.name ?? (ep.method ? `${ep.method.toUpperCase()} ${ep.path}` : ep.path);
}

/** Does `ref` (a name, key or path) name one of these endpoints? */
export function findEndpoint<E extends { name?: string; method?: string; path: string }>(endpoints: E[], ref: string): E | undefined {
  return endpoints.find((e) => endpointKey(e) === ref) ?? endpoints.find((e) => e.path === ref);
}

class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }
  keys(value: Obj, allowed: string[], path: string): void {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.add(`${path}.${key}`, `unknown property "${key}"`);
  }
}

function checkInstances(value: unknown, path: string, p: Problems): void {
  if (value === undefined || isInt(value, 1, Number.MAX_SAFE_INTEGER)) return;
  if (!Array.isArray(value) || value.length === 0) return p.add(path, 'must be an integer >= 1 or a non-empty list of instances');
  value.forEach((inst, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(inst)) return p.add(at, 'must be an object');
    p.keys(inst, INSTANCE_KEYS, at);
    if (inst.version !== undefined && typeof inst.version !== 'string') p.add(`${at}.version`, 'must be a string');
    if (inst.address !== undefined && typeof inst.address !== 'string') p.add(`${at}.address`, 'must be a string');
    if (inst.port !== undefined && !isInt(inst.port, 0, 65535)) p.add(`${at}.port`, 'must be an integer from 0 to 65535');
  });
}

function checkCall(call: unknown, path: string, defs: Obj, p: Problems): void {
  if (!isObj(call)) return p.add(path, 'must be an object');
  p.keys(call, CALL_KEYS, path);
  const target = call.service;
  if (typeof target !== 'string') p.add(`${path}.service`, 'must be a string');
  else if (!Object.hasOwn(defs, target)) p.add(`${path}.service`, `unknown service "${target}"`);
  if (typeof call.endpoint !== 'string') p.add(`${path}.endpoint`, 'must be a string');
  else if (typeof target === 'string' && isObj(defs[target])) {
    const endpoints = (defs[target] as Obj).endpoints;
    const list = Array.isArray(endpoints) ? endpoints.filter((e): e is { path: string } => isObj(e) && typeof e.path === 'string') : [];
    if (!findEndpoint(list, call.endpoint)) p.add(`${path}.endpoint`, `unknown endpoint "${call.endpoint}" of service "${target}"`);
  }
  if (call.mode !== undefined && call.mode !== 'sync' && call.mode !== 'async') p.add(`${path}.mode`, 'must be one of: "sync", "async"');
  if (call.onFailure !== undefined && !['propagate', 'fallback', 'ignore'].includes(call.onFailure as string)) {
    p.add(`${path}.onFailure`, 'must be one of: "propagate", "fallback", "ignore"');
  }
  if (call.fallback !== undefined) {
    if (!isObj(call.fallback)) p.add(`${path}.fallback`, 'must be an object');
    else {
      p.keys(call.fallback, ['status', 'body'], `${path}.fallback`);
      if (call.fallback.status !== undefined && !isInt(call.fallback.status, 100, 599)) p.add(`${path}.fallback.status`, 'must be an integer from 100 to 599');
    }
  }
}

function checkCalls(calls: unknown, path: string, defs: Obj, p: Problems): void {
  if (calls === undefined) return;
  if (!Array.isArray(calls)) return p.add(path, 'must be a list');
  calls.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (isObj(item) && 'calls' in item) {
      p.keys(item, ['parallel', 'calls'], at);
      if (item.parallel !== undefined && typeof item.parallel !== 'boolean') p.add(`${at}.parallel`, 'must be a boolean');
      if (!Array.isArray(item.calls)) return p.add(`${at}.calls`, 'must be a list');
      item.calls.forEach((call, j) => checkCall(call, `${at}.calls[${j}]`, defs, p));
    } else checkCall(item, at, defs, p);
  });
}

function checkEndpoint(ep: unknown, path: string, defs: Obj, p: Problems): void {
  if (!isObj(ep)) return p.add(path, 'must be an object');
  p.keys(ep, ENDPOINT_KEYS, path);
  if (typeof ep.path !== 'string' || !ep.path.startsWith('/')) p.add(`${path}.path`, 'must be a string starting with "/"');
  for (const key of ['name', 'method'] as const) if (ep[key] !== undefined && typeof ep[key] !== 'string') p.add(`${path}.${key}`, 'must be a string');
  if (ep.latency !== undefined) {
    if (!isObj(ep.latency)) p.add(`${path}.latency`, 'must be an object with a "type"');
    else for (const [field, problem] of latencyProblems(ep.latency)) p.add(`${path}.latency.${field}`, problem);
  }
  if (ep.errorRate !== undefined && !(typeof ep.errorRate === 'number' && ep.errorRate >= 0 && ep.errorRate <= 1)) {
    p.add(`${path}.errorRate`, 'must be a number from 0 to 1');
  }
  if (ep.errorStatus !== undefined) {
    const list = Array.isArray(ep.errorStatus) ? ep.errorStatus : [ep.errorStatus];
    if (list.length === 0 || !list.every((s) => isInt(s, 100, 599))) p.add(`${path}.errorStatus`, 'must be a status (100-599) or a non-empty list of them');
  }
  if (ep.status !== undefined && !isInt(ep.status, 100, 599)) p.add(`${path}.status`, 'must be an integer from 100 to 599');
  if (ep.headers !== undefined && !(isObj(ep.headers) && Object.values(ep.headers).every((v) => typeof v === 'string'))) {
    p.add(`${path}.headers`, 'must be an object of strings');
  }
  if (ep.parallel !== undefined && typeof ep.parallel !== 'boolean') p.add(`${path}.parallel`, 'must be a boolean');
  checkCalls(ep.calls, `${path}.calls`, defs, p);
}

function checkService(name: string, def: unknown, path: string, defs: Obj, p: Problems): void {
  if (!SERVICE_NAME.test(name) || name.startsWith('__')) p.add(path, `invalid service name "${name}" (letters, digits, ".", "_", "~", "-"; one path segment)`);
  if (!isObj(def)) return p.add(path, 'must be an object');
  p.keys(def, SERVICE_KEYS, path);
  if (def.version !== undefined && typeof def.version !== 'string') p.add(`${path}.version`, 'must be a string');
  if (def.port !== undefined && !isInt(def.port, 0, 65535)) p.add(`${path}.port`, 'must be an integer from 0 to 65535');
  checkInstances(def.instances, `${path}.instances`, p);
  if (!Array.isArray(def.endpoints)) return p.add(`${path}.endpoints`, 'must be a list');
  const seen = new Map<string, number>();
  def.endpoints.forEach((ep, i) => {
    checkEndpoint(ep, `${path}.endpoints[${i}]`, defs, p);
    if (!isObj(ep) || typeof ep.path !== 'string') return;
    const key = endpointKey(ep as { path: string });
    if (seen.has(key)) p.add(`${path}.endpoints[${i}]`, `duplicate endpoint "${key}" (also endpoints[${seen.get(key)}]); give one a name`);
    else seen.set(key, i);
  });
}

/** Every problem of a whole topology; empty when it is valid. */
export function topologyProblems(defs: unknown, prefix: string): string[] {
  const p = new Problems();
  if (!isObj(defs)) {
    p.add(prefix, 'must be an object of services by name');
    return p.list;
  }
  const ports = new Map<number, string>();
  for (const [name, def] of Object.entries(defs)) {
    checkService(name, def, `${prefix}.${name}`, defs, p);
    // two services cannot listen on one fixed port (0 = any free port, one each)
    const port = isObj(def) ? def.port : undefined;
    if (!isInt(port, 1, 65535)) continue;
    const other = ports.get(port as number);
    if (other !== undefined) p.add(`${prefix}.${name}.port`, `port ${port} is also the port of service "${other}"; give each service its own (or 0 for any free port)`);
    else ports.set(port as number, name);
  }
  return p.list;
}
