// Hand-written checks for faults, scenarios and experiments: every problem is reported
// with its path (`scope.percentage: must be <= 100`), for config and admin bodies alike.
import { templateProblem } from './endpoint-templates.js';
import { checkOpsAction, checkOpsProbe } from './validate-ops.js';
import { CONDITION_OPERATORS, FAULT_KINDS, HYPOTHESIS_STRATEGIES, ROLLBACK_STRATEGIES, type ExperimentSpec, type FaultSpec, type ScenarioSpec } from './specs.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Checker {
  problems: string[] = [];
  add(path: string, problem: string): void {
    this.problems.push(`${path || '(root)'}: ${problem}`);
  }
  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; required?: boolean; integer?: boolean } = {}): void {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.add(p, 'must be number');
    if (opts.integer && !Number.isInteger(v)) return this.add(p, 'must be integer');
    if (opts.min !== undefined && v < opts.min) return this.add(p, `must be >= ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) this.add(p, `must be <= ${opts.max}`);
  }
  str(o: Obj, key: string, path: string, required = false): void {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(join(path, key), 'is required');
    } else if (typeof v !== 'string' || v === '') this.add(join(path, key), 'must be a non-empty string');
  }
  strings(v: unknown, path: string): v is string[] {
    if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string')) {
      this.add(path, 'must be a non-empty array of strings');
      return false;
    }
    return true;
  }
  known(o: Obj, keys: string[], path: string): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.add(join(path, k), 'unknown property');
  }
}

export const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

const FAULT_KEYS = ['id', 'kind', 'scope', 'ms', 'jitterMs', 'distribution', 'status', 'body', 'groups', 'headers'];
const SCOPE_KEYS = ['service', 'endpoint', 'caller', 'instance', 'version', 'percentage', 'endpoints'];

function checkFault(c: Checker, v: unknown, path: string, idRequired: boolean): void {
  if (!isObj(v)) return c.add(path, 'must be object');
  c.known(v, FAULT_KEYS, path);
  c.str(v, 'id', path, idRequired);
  if (!FAULT_KINDS.includes(v.kind as never)) c.add(join(path, 'kind'), `must be one of ${FAULT_KINDS.join(', ')}`);
  if (v.scope !== undefined) {
    const sp = join(path, 'scope');
    if (!isObj(v.scope)) c.add(sp, 'must be object');
    else {
      c.known(v.scope, SCOPE_KEYS, sp);
      for (const k of SCOPE_KEYS.slice(0, 5)) c.str(v.scope, k, sp);
      c.num(v.scope, 'percentage', sp, { min: 0, max: 100 });
      const endpoints = v.scope.endpoints;
      if (endpoints !== undefined && c.strings(endpoints, join(sp, 'endpoints'))) {
        endpoints.forEach((e, i) => {
          const problem = templateProblem(e);
          if (problem) c.add(join(join(sp, 'endpoints'), i), problem);
        });
      }
    }
  }
  c.num(v, 'ms', path, { min: 0 });
  c.num(v, 'jitterMs', path, { min: 0 });
  c.num(v, 'status', path, { min: 100, max: 599, integer: true });
  switch (v.kind) {
    case 'latency': {
      if (v.ms === undefined && v.jitterMs === undefined && v.distribution === undefined) c.add(path, 'latency needs ms, jitterMs or distribution');
      if (v.distribution !== undefined) checkDistribution(c, v.distribution, join(path, 'distribution'));
      break;
    }
    case 'timeout':
      c.num(v, 'ms', path, { required: true, min: 0 });
      break;
    case 'outage': {
      const s = isObj(v.scope) ? v.scope : {};
      if (s.service === undefined && s.instance === undefined) c.add(join(path, 'scope'), 'an outage needs scope.service or scope.instance');
      break;
    }
    case 'partition': {
      const gp = join(path, 'groups');
      if (!Array.isArray(v.groups) || v.groups.length < 2) c.add(gp, 'must list at least two groups of services');
      else v.groups.forEach((g, i) => c.strings(g, join(gp, i)));
      break;
    }
    case 'headerLoss':
    case 'headerCorruption':
      if (v.headers !== undefined) c.strings(v.headers, join(path, 'headers'));
      break;
  }
}

function checkDistribution(c: Checker, d: unknown, path: string): void {
  if (!isObj(d)) return c.add(path, 'must be object');
  const fields: Record<string, string[]> = { uniform: ['min', 'max'], normal: ['mean', 'stdDev'], lognormal: ['median', 'sigma'] };
  const need = fields[d.type as string];
  if (!need) return c.add(join(path, 'type'), 'must be one of uniform, normal, lognormal');
  for (const f of need) c.num(d, f, path, { required: true, min: 0 });
  if (d.type === 'uniform' && typeof d.min === 'number' && typeof d.max === 'number' && d.min > d.max) c.add(join(path, 'min'), `must be <= max (${d.max})`);
}

function fail(c: Checker, what: string, make: (what: string, problems: string[]) => Error): void {
  if (c.problems.length) throw make(what, c.problems);
}

export type MakeError = (what: string, problems: string[]) => Error;

export function validateFault(v: unknown, make: MakeError, path = '', idRequired = false): FaultSpec {
  const c = new Checker();
  checkFault(c, v, path, idRequired);
  fail(c, 'fault', make);
  return v as FaultSpec;
}

export function validateScenario(v: unknown, make: MakeError, path = ''): ScenarioSpec {
  const c = new Checker();
  if (!isObj(v)) c.add(path, 'must be object');
  else {
    c.known(v, ['id', 'name', 'steps'], path);
    c.str(v, 'id', path);
    c.str(v, 'name', path);
    const sp = join(path, 'steps');
    if (!Array.isArray(v.steps) || v.steps.length === 0) c.add(sp, 'must be a non-empty array');
    else
      v.steps.forEach((s, i) => {
        const p = join(sp, i);
        if (!isObj(s)) return c.add(p, 'must be object');
        c.known(s, ['at', 'duration', 'fault', 'template', 'leaf', 'simultaneous'], p);
        c.num(s, 'at', p, { required: true, min: 0 });
        c.num(s, 'duration', p, { min: 0 });
        const forms = [s.fault !== undefined, s.template !== undefined, s.simultaneous !== undefined].filter(Boolean).length;
        if (forms !== 1) return c.add(p, 'needs exactly one of fault, template, simultaneous');
        if (s.fault !== undefined) checkFault(c, s.fault, join(p, 'fault'), false);
        if (s.template !== undefined) {
          if (s.template !== 'cascade') c.add(join(p, 'template'), 'must be cascade');
          c.str(s, 'leaf', p, true);
        }
        if (s.simultaneous !== undefined) {
          const mp = join(p, 'simultaneous');
          if (!isObj(s.simultaneous)) return c.add(mp, 'must be object');
          c.strings(s.simultaneous.services, join(mp, 'services'));
          checkFault(c, s.simultaneous.fault, join(mp, 'fault'), false);
        }
      });
  }
  fail(c, 'scenario', make);
  return v as unknown as ScenarioSpec;
}

function checkProbe(c: Checker, v: Obj, path: string): void {
  c.str(v, 'name', path, true);
  const pp = join(path, 'provider');
  checkTolerance(c, v.tolerance, join(path, 'tolerance'));
  if (isObj(v.provider) && v.provider.type !== 'http') return checkOpsProbe(c, v.provider, pp);
  if (!isObj(v.provider)) return c.add(join(pp, 'type'), 'must be http, observability, health or cluster');
  if (typeof v.provider.url !== 'string' || !v.provider.url.startsWith('/')) c.add(join(pp, 'url'), 'must be a path on this server starting with /');
  c.str(v.provider, 'method', pp);
  c.num(v.provider, 'timeoutMs', pp, { min: 1 });
}

function checkTolerance(c: Checker, t: unknown, tp: string): void {
  if (t === undefined || typeof t === 'number' || (typeof t === 'string' && t !== '')) return;
  if (Array.isArray(t)) {
    if (t.length === 0 || t.some((x) => typeof x !== 'number' && typeof x !== 'string')) c.add(tp, 'must list values (numbers or words)');
  } else if (isObj(t) && t.type === 'condition') {
    if (!CONDITION_OPERATORS.includes(t.operator as never)) c.add(join(tp, 'operator'), `must be one of ${CONDITION_OPERATORS.join(' ')}`);
    if (typeof t.value !== 'number' || !Number.isFinite(t.value)) c.add(join(tp, 'value'), 'must be number');
  } else if (!isObj(t) || t.type !== 'range' || !Array.isArray(t.range) || t.range.length !== 2 || t.range.some((x) => typeof x !== 'number')) {
    c.add(tp, 'must be a value, a list of values, { type: range, range: [min, max] } or { type: condition, operator, value }');
  }
}

function checkAction(c: Checker, v: Obj, path: string): void {
  c.str(v, 'name', path, true);
  const pp = join(path, 'provider');
  if (!isObj(v.provider)) return c.add(pp, 'must be object');
  if (v.provider.type === 'fault') {
    checkFault(c, v.provider.fault, join(pp, 'fault'), false);
    c.num(v.provider, 'durationMs', pp, { min: 0 });
  } else if (v.provider.type !== 'clear-faults') checkOpsAction(c, v.provider, pp);
}

function checkActivity(c: Checker, v: unknown, path: string, allowed: string[]): void {
  if (!isObj(v)) return c.add(path, 'must be object');
  if (!allowed.includes(v.type as string)) return c.add(join(path, 'type'), `must be one of ${allowed.join(', ')}`);
  if (v.type === 'probe') checkProbe(c, v, path);
  else if (v.type === 'action') checkAction(c, v, path);
  else c.num(v, 'durationMs', path, { required: true, min: 0 });
  if (v.pauses !== undefined) {
    const pp = join(path, 'pauses');
    if (!isObj(v.pauses)) return c.add(pp, 'must be { before?, after? } (seconds)');
    c.known(v.pauses, ['before', 'after'], pp);
    c.num(v.pauses, 'before', pp, { min: 0 });
    c.num(v.pauses, 'after', pp, { min: 0 });
  }
}

function checkRuntime(c: Checker, r: unknown, rp: string): void {
  if (!isObj(r)) return c.add(rp, 'must be object');
  c.known(r, ['hypothesis', 'rollbacks'], rp);
  const hp = join(rp, 'hypothesis');
  if (r.hypothesis !== undefined) {
    if (!isObj(r.hypothesis)) c.add(hp, 'must be object');
    else {
      c.known(r.hypothesis, ['strategy', 'frequency', 'fail_fast'], hp);
      if (r.hypothesis.strategy !== undefined && !HYPOTHESIS_STRATEGIES.includes(r.hypothesis.strategy as never)) c.add(join(hp, 'strategy'), `must be one of ${HYPOTHESIS_STRATEGIES.join(', ')}`);
      c.num(r.hypothesis, 'frequency', hp, { min: 0.001 });
      if (r.hypothesis.fail_fast !== undefined && typeof r.hypothesis.fail_fast !== 'boolean') c.add(join(hp, 'fail_fast'), 'must be boolean');
    }
  }
  const bp = join(rp, 'rollbacks');
  if (r.rollbacks !== undefined) {
    if (!isObj(r.rollbacks)) c.add(bp, 'must be object');
    else {
      c.known(r.rollbacks, ['strategy'], bp);
      if (r.rollbacks.strategy !== undefined && !ROLLBACK_STRATEGIES.includes(r.rollbacks.strategy as never)) c.add(join(bp, 'strategy'), `must be one of ${ROLLBACK_STRATEGIES.join(', ')}`);
    }
  }
}

export function validateExperiment(v: unknown, make: MakeError, path = ''): ExperimentSpec {
  const c = new Checker();
  if (!isObj(v)) c.add(path, 'must be object');
  else {
    c.known(v, ['id', 'title', 'description', 'steady-state-hypothesis', 'method', 'rollbacks', 'tags', 'version', 'runtime', 'template'], path);
    c.str(v, 'id', path);
    c.str(v, 'title', path, true);
    const h = v['steady-state-hypothesis'];
    const hp = join(path, 'steady-state-hypothesis');
    if (h !== undefined) {
      if (!isObj(h) || !Array.isArray(h.probes)) c.add(hp, 'must be { title, probes: [...] }');
      else {
        c.known(h, ['title', 'probes', 'withinMs', 'pollMs'], hp);
        h.probes.forEach((p, i) => checkActivity(c, p, join(join(hp, 'probes'), i), ['probe']));
        c.num(h, 'withinMs', hp, { min: 0 });
        c.num(h, 'pollMs', hp, { min: 1 });
      }
    }
    if (v.runtime !== undefined) checkRuntime(c, v.runtime, join(path, 'runtime'));
    if (!Array.isArray(v.method)) c.add(join(path, 'method'), 'must be an array');
    else v.method.forEach((a, i) => checkActivity(c, a, join(join(path, 'method'), i), ['action', 'probe', 'pause']));
    if (v.rollbacks !== undefined) {
      if (!Array.isArray(v.rollbacks)) c.add(join(path, 'rollbacks'), 'must be an array');
      else v.rollbacks.forEach((a, i) => checkActivity(c, a, join(join(path, 'rollbacks'), i), ['action']));
    }
  }
  fail(c, 'experiment', make);
  return v as unknown as ExperimentSpec;
}
