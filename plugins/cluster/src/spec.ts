// Workload specs: the built-in defaults, hand-written validation that reports every
// problem with its path (config and PUT bodies alike: `replicas: must be >= 0`), the deep
// merge of a partial spec over the current one, and the diff between two specs. Written
// by hand rather than with the route schema so that a partial body, a merged result and
// the config file are all checked by the same rules and get the same messages.
import type { AppBehaviour, ProbeSpec, WorkloadSpec } from './contract.js';

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a workload gets for every field neither the config's `defaults` nor its own spec set. */
export function baseSpec(name: string): WorkloadSpec {
  return {
    service: name,
    replicas: 1,
    version: '1.0.0',
    resources: { requests: { cpu: 100, memory: 128 }, limits: { cpu: 1000, memory: 512 } },
    startupSeconds: 5,
    capacity: { concurrency: 10, serviceTimeMs: 10 },
    memory: { baseMiB: 64, perInflightMiB: 1 },
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 0,
    probes: {},
    behaviour: {},
    versions: {},
    zoneSpread: true,
    labels: {},
  };
}

export const PROBE_DEFAULTS: Omit<ProbeSpec, 'httpGet' | 'tcpSocket' | 'exec'> = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};

const TOP_KEYS = [
  'service', 'replicas', 'version', 'resources', 'startupSeconds', 'capacity', 'memory', 'restartPolicy',
  'terminationGracePeriodSeconds', 'probes', 'behaviour', 'versions', 'stateful', 'zoneSpread', 'labels',
];
const BEHAVIOUR_KEYS = ['crashOnStart', 'needsDependenciesAtStart', 'errorRate', 'latencyFactor', 'leakMiBPerHour', 'livenessChecksDependencies'];
const PROBE_KEYS = ['httpGet', 'tcpSocket', 'exec', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'];

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly prefix: string) {}
  add(path: string, problem: string): void {
    this.problems.push(`${join(this.prefix, path) || '(root)'}: ${problem}`);
  }
  known(o: Obj, keys: string[], path: string): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.add(join(path, k), `unknown property (one of ${keys.join(', ')})`);
  }
  obj(o: Obj, key: string, path: string): Obj | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!isObj(v)) {
      this.add(join(path, key), 'must be an object');
      return undefined;
    }
    return v;
  }
  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; exclusiveMin?: number; integer?: boolean } = {}): void {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.add(p, 'must be a number');
    if (opts.integer && !Number.isInteger(v)) return this.add(p, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) return this.add(p, `must be >= ${opts.min}`);
    if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin) return this.add(p, `must be > ${opts.exclusiveMin}`);
    if (opts.max !== undefined && v > opts.max) this.add(p, `must be <= ${opts.max}`);
  }
  str(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) this.add(join(path, key), 'must be a non-empty string');
  }
  bool(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v !== undefined && typeof v !== 'boolean') this.add(join(path, key), 'must be a boolean');
  }
  strings(o: Obj, key: string, path: string): void {
    const v = o[key];
    if (v === undefined) return;
    if (!isObj(v)) return this.add(join(path, key), 'must be an object of strings');
    for (const [k, s] of Object.entries(v)) if (typeof s !== 'string') this.add(join(join(path, key), k), 'must be a string');
  }
  resources(o: Obj, key: string, path: string): void {
    const r = this.obj(o, key, path);
    if (!r) return;
    const p = join(path, key);
    this.known(r, ['cpu', 'memory'], p);
    this.num(r, 'cpu', p, { min: 0 });
    this.num(r, 'memory', p, { min: 0 });
  }
  behaviour(v: unknown, path: string): void {
    if (v === undefined) return;
    if (!isObj(v)) return this.add(path, 'must be an object');
    this.known(v, BEHAVIOUR_KEYS, path);
    this.bool(v, 'crashOnStart', path);
    this.bool(v, 'needsDependenciesAtStart', path);
    this.num(v, 'errorRate', path, { min: 0, max: 1 });
    this.num(v, 'latencyFactor', path, { exclusiveMin: 0 });
    this.num(v, 'leakMiBPerHour', path, { min: 0 });
    this.bool(v, 'livenessChecksDependencies', path);
  }
  probe(v: unknown, path: string, kind: string): void {
    if (v === undefined) return;
    if (!isObj(v)) return this.add(path, 'must be an object');
    this.known(v, PROBE_KEYS, path);
    const handlers = ['httpGet', 'tcpSocket', 'exec'].filter((h) => v[h] !== undefined);
    if (handlers.length > 1) this.add(path, `may have only one handler (httpGet, tcpSocket or exec), has ${handlers.join(' and ')}`);
    const http = this.obj(v, 'httpGet', path);
    if (http) {
      const hp = join(path, 'httpGet');
      this.known(http, ['path', 'port', 'host'], hp);
      if (typeof http.path !== 'string' || !http.path.startsWith('/')) this.add(join(hp, 'path'), 'must be a path starting with /');
      this.num(http, 'port', hp, { min: 1, max: 65535, integer: true });
      this.str(http, 'host', hp);
    }
    const tcp = this.obj(v, 'tcpSocket', path);
    if (tcp) {
      const tp = join(path, 'tcpSocket');
      this.known(tcp, ['port'], tp);
      if (tcp.port === undefined) this.add(join(tp, 'port'), 'is required');
      this.num(tcp, 'port', tp, { min: 1, max: 65535, integer: true });
    }
    const exec = this.obj(v, 'exec', path);
    if (exec) {
      const ep = join(path, 'exec');
      this.known(exec, ['command'], ep);
      if (!Array.isArray(exec.command) || exec.command.length === 0 || exec.command.some((c) => typeof c !== 'string')) this.add(join(ep, 'command'), 'must be a non-empty array of strings');
    }
    this.num(v, 'initialDelaySeconds', path, { min: 0 });
    this.num(v, 'periodSeconds', path, { min: 1 });
    this.num(v, 'timeoutSeconds', path, { min: 1 });
    this.num(v, 'successThreshold', path, { min: 1, integer: true });
    this.num(v, 'failureThreshold', path, { min: 1, integer: true });
    if (kind !== 'readiness' && v.successThreshold !== undefined && v.successThreshold !== 1) this.add(join(path, 'successThreshold'), `must be 1 for a ${kind} probe (as in Kubernetes)`);
  }
}

/**
 * Every problem of a (partial) workload spec, each `path: problem` below `prefix`. Checks
 * types and ranges only; `completeProblems` checks what needs the whole spec.
 */
export function specProblems(value: unknown, prefix = ''): string[] {
  const c = new Checker(prefix);
  if (!isObj(value)) {
    c.add('', 'must be an object (a workload spec)');
    return c.problems;
  }
  c.known(value, TOP_KEYS, '');
  c.str(value, 'service', '');
  c.num(value, 'replicas', '', { min: 0, integer: true });
  c.str(value, 'version', '');
  const res = c.obj(value, 'resources', '');
  if (res) {
    c.known(res, ['requests', 'limits'], 'resources');
    c.resources(res, 'requests', 'resources');
    c.resources(res, 'limits', 'resources');
  }
  c.num(value, 'startupSeconds', '', { min: 0 });
  const cap = c.obj(value, 'capacity', '');
  if (cap) {
    c.known(cap, ['concurrency', 'serviceTimeMs'], 'capacity');
    c.num(cap, 'concurrency', 'capacity', { min: 1, integer: true });
    c.num(cap, 'serviceTimeMs', 'capacity', { exclusiveMin: 0 });
  }
  const mem = c.obj(value, 'memory', '');
  if (mem) {
    c.known(mem, ['baseMiB', 'perInflightMiB'], 'memory');
    c.num(mem, 'baseMiB', 'memory', { min: 0 });
    c.num(mem, 'perInflightMiB', 'memory', { min: 0 });
  }
  if (value.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(value.restartPolicy as string)) {
    c.add('restartPolicy', 'must be one of "Always", "OnFailure", "Never"');
  }
  c.num(value, 'terminationGracePeriodSeconds', '', { min: 0 });
  const probes = c.obj(value, 'probes', '');
  if (probes) {
    c.known(probes, ['liveness', 'readiness', 'startup'], 'probes');
    for (const kind of ['liveness', 'readiness', 'startup']) c.probe(probes[kind], `probes.${kind}`, kind);
  }
  c.behaviour(value.behaviour, 'behaviour');
  const versions = c.obj(value, 'versions', '');
  if (versions) for (const [v, b] of Object.entries(versions)) c.behaviour(b, `versions.${v}`);
  const stateful = c.obj(value, 'stateful', '');
  if (stateful) {
    c.known(stateful, ['replicationLagMs', 'catchUpWritesPerSecond'], 'stateful');
    c.num(stateful, 'replicationLagMs', 'stateful', { min: 0 });
    c.num(stateful, 'catchUpWritesPerSecond', 'stateful', { exclusiveMin: 0 });
  }
  c.bool(value, 'zoneSpread', '');
  c.strings(value, 'labels', '');
  return c.problems;
}

/** Problems only the whole, merged spec shows (limits below requests). */
export function completeProblems(spec: WorkloadSpec, prefix = ''): string[] {
  const problems: string[] = [];
  const { requests, limits } = spec.resources;
  for (const k of ['cpu', 'memory'] as const) {
    if (limits[k] < requests[k]) problems.push(`${join(prefix, `resources.limits.${k}`)}: must be >= resources.requests.${k} (${requests[k]})`);
  }
  return problems;
}

/** `over` merged into `base`: objects merge key by key, anything else (arrays too) replaces. A fresh object. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isObj(over) || !isObj(base)) return (over === undefined ? structuredClone(base) : structuredClone(over)) as T;
  const out: Obj = structuredClone(base) as Obj;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : structuredClone(v);
  }
  return out as T;
}

/** Leaf-by-leaf differences between two specs (`resources.requests.cpu: 100 → 200`). */
export function diffSpecs(from: unknown, to: unknown, path = ''): Array<{ path: string; from: unknown; to: unknown }> {
  if (isObj(from) && isObj(to)) {
    const out: Array<{ path: string; from: unknown; to: unknown }> = [];
    for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) out.push(...diffSpecs(from[k], to[k], join(path, k)));
    return out;
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  return [{ path: path || '(root)', from: from ?? null, to: to ?? null }];
}

/** A version's behaviour: the workload's, with the version's own over it. */
export function behaviourOf(spec: WorkloadSpec, version: string): Required<AppBehaviour> {
  const b = { ...spec.behaviour, ...spec.versions[version] };
  return {
    crashOnStart: b.crashOnStart ?? false,
    needsDependenciesAtStart: b.needsDependenciesAtStart ?? true,
    errorRate: b.errorRate ?? 0,
    latencyFactor: b.latencyFactor ?? 1,
    leakMiBPerHour: b.leakMiBPerHour ?? 0,
    livenessChecksDependencies: b.livenessChecksDependencies ?? false,
  };
}
