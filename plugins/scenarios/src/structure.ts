// First pass of the validator: the shape of a script, field by field, every problem with
// its path (`steps[2].progress.over: "6o s" is not a duration…`). Hand-written rather than
// a JSON Schema check: the rules are few, and each message says what to write instead,
// which ajv's "must match a schema in anyOf" does not. Timing between steps is plan.ts's job.
import { parseDuration } from './duration.js';
import { EASINGS, type Easing } from './easing.js';
import type { EntityRef, Problem, Progression, Timing } from './script.js';

export interface Limits {
  maxSteps: number;
  /** Ticks one progression may have (over / every). */
  maxTicks: number;
}

/** A step whose fields are checked; references and times are not yet resolved. */
export interface DraftStep {
  index: number;
  id: string;
  path: string;
  waypoint?: string;
  narrative?: string;
  set?: { entity: EntityRef; changes: Record<string, unknown> };
  progress?: Progression;
  emit?: { type: string; data: unknown };
  timing?: Timing;
  requires: string[];
}

export interface Draft {
  name: string;
  description?: string;
  session: string;
  steps: DraftStep[];
}

const SCRIPT_KEYS = ['name', 'description', 'session', 'steps'];
const STEP_KEYS = ['id', 'at', 'after', 'on', 'where', 'delay', 'requires', 'waypoint', 'narrative', 'set', 'progress', 'emit'];
const SET_KEYS = ['entity', 'changes'];
const PROGRESS_KEYS = ['entity', 'field', 'to', 'from', 'over', 'every', 'easing', 'decimals', 'with'];
const LINKED_KEYS = ['field', 'scale'];
const EMIT_KEYS = ['type', 'data'];
/** Names and ids: what fits in a URL segment and a YAML key without quoting. */
const NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;
/** Event types other plugins emit; a script must not counterfeit the kernel's or its own. */
const RESERVED_EVENTS = /^(scenario|kernel)\./;

/** `steps[2]` + `at` → `steps[2].at`; at the root, the key alone. */
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  constructor(readonly problems: Problem[]) {}

  add(path: string, message: string, kind: Problem['kind'] = 'schema'): void {
    this.problems.push({ path, kind, message });
  }

  unknownKeys(v: Record<string, unknown>, allowed: string[], path: string): void {
    for (const key of Object.keys(v)) if (!allowed.includes(key)) this.add(join(path, key), `unknown property; allowed: ${allowed.join(', ')}`);
  }

  string(v: Record<string, unknown>, key: string, path: string, { required = false, pattern }: { required?: boolean; pattern?: RegExp } = {}): string | undefined {
    const value = v[key];
    if (value === undefined) {
      if (required) this.add(join(path, key), 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(join(path, key), 'must be a non-empty string');
      return undefined;
    }
    if (pattern && !pattern.test(value)) {
      this.add(join(path, key), `"${value}" must be letters, digits, "_", "-" or "." (at most 100, starting with a letter or digit)`);
      return undefined;
    }
    return value;
  }

  duration(v: Record<string, unknown>, key: string, path: string, { required = false, signed = false, positive = false } = {}): number | undefined {
    const value = v[key];
    if (value === undefined) {
      if (required) this.add(join(path, key), 'is required (a duration such as "90s", "1m30s", "500ms")');
      return undefined;
    }
    const ms = parseDuration(value, signed);
    if (ms === undefined || (positive && ms <= 0)) {
      this.add(join(path, key), `${JSON.stringify(value)} is not a ${positive ? 'positive ' : ''}duration: write e.g. "90s", "1m30s", "500ms" or a number of ms`, 'duration');
      return undefined;
    }
    return ms;
  }

  entity(v: Record<string, unknown>, path: string): EntityRef | undefined {
    const key = this.string(v, 'entity', path, { required: true });
    if (key === undefined) return undefined;
    const parts = key.split('/');
    if (parts.length !== 3 || parts.some((p) => p.trim() === '')) {
      this.add(join(path, 'entity'), `"${key}" must be "industry/plural/id", e.g. "finance/accounts/7"`);
      return undefined;
    }
    const [industry, plural, id] = parts as [string, string, string];
    return { industry, plural, id, key };
  }
}

function checkProgress(c: Checker, value: unknown, path: string, limits: Limits): Progression | undefined {
  if (!isObject(value)) return void c.add(path, 'must be an object { entity, field, to, over, every?, easing?, decimals?, with? }');
  c.unknownKeys(value, PROGRESS_KEYS, path);
  const entity = c.entity(value, path);
  const field = c.string(value, 'field', path, { required: true });
  if (field !== undefined && field.split('.').some((p) => p === '')) c.add(`${path}.field`, `"${field}" must be a field name or a dotted path such as "balance.amount"`);
  const number = (key: string, required: boolean) => {
    const n = value[key];
    if (n === undefined) {
      if (required) c.add(`${path}.${key}`, 'is required (a number)');
      return undefined;
    }
    if (typeof n !== 'number' || !Number.isFinite(n)) return void c.add(`${path}.${key}`, 'must be a number');
    return n;
  };
  const to = number('to', true);
  const from = number('from', false);
  const over = c.duration(value, 'over', path, { required: true, positive: true });
  const every = value.every === undefined ? undefined : c.duration(value, 'every', path, { positive: true });
  let easing: Easing = 'linear';
  if (value.easing !== undefined) {
    if (!EASINGS.includes(value.easing as Easing)) c.add(`${path}.easing`, `must be one of: ${EASINGS.join(', ')}`);
    else easing = value.easing as Easing;
  }
  let decimals = 0;
  if (value.decimals !== undefined) {
    if (!Number.isInteger(value.decimals) || (value.decimals as number) < 0 || (value.decimals as number) > 6) c.add(`${path}.decimals`, 'must be an integer from 0 to 6');
    else decimals = value.decimals as number;
  }
  const linked: Array<{ field: string; scale: number }> = [];
  let linkedOk = true;
  if (value.with !== undefined) {
    if (!Array.isArray(value.with)) {
      c.add(`${path}.with`, 'must be a list of { field, scale? }: fields that move with the value');
      linkedOk = false;
    } else {
      value.with.forEach((l: unknown, i: number) => {
        const at = `${path}.with[${i}]`;
        if (!isObject(l)) return void ((linkedOk = false), c.add(at, 'must be an object { field, scale? }'));
        c.unknownKeys(l, LINKED_KEYS, at);
        const f = c.string(l, 'field', at, { required: true });
        const scale = l.scale ?? 1;
        if (typeof scale !== 'number' || !Number.isFinite(scale)) c.add(`${at}.scale`, 'must be a number (the linked field changes by scale × the change of the value)');
        if (f !== undefined && f === field) c.add(`${at}.field`, `"${f}" is the progression's own field`);
        if (f === undefined || typeof scale !== 'number' || !Number.isFinite(scale) || f === field) linkedOk = false;
        else linked.push({ field: f, scale });
      });
    }
  }
  if (entity === undefined || field === undefined || to === undefined || over === undefined || (value.every !== undefined && every === undefined) || !linkedOk) return undefined;
  // one tick per second by default, and never more than one per `over`
  const step = Math.min(every ?? 1000, over);
  const count = Math.ceil(over / step);
  if (count > limits.maxTicks) return void c.add(`${path}.every`, `${count} ticks (over / every) is more than maxTicks (${limits.maxTicks}): make "every" longer`, 'limit');
  const ticks = Array.from({ length: count }, (_, k) => Math.min((k + 1) * step, over));
  return { entity, field, to, ...(from !== undefined && { from }), over, every: step, easing, decimals, ticks, linked };
}

function checkStep(c: Checker, value: unknown, index: number, limits: Limits): DraftStep | undefined {
  const path = `steps[${index}]`;
  if (!isObject(value)) return void c.add(path, 'must be an object (a step)');
  c.unknownKeys(value, STEP_KEYS, path);
  const id = c.string(value, 'id', path, { pattern: NAME }) ?? `step${index + 1}`;
  const step: DraftStep = { index, id, path, requires: [] };
  const waypoint = c.string(value, 'waypoint', path);
  if (waypoint !== undefined) step.waypoint = waypoint;
  const narrative = c.string(value, 'narrative', path);
  if (narrative !== undefined) step.narrative = narrative;

  // timing: exactly one of at / after / on
  const given = (['at', 'after', 'on'] as const).filter((k) => value[k] !== undefined);
  if (given.length !== 1) {
    c.add(path, given.length ? `has ${given.join(' and ')}: give exactly one of at, after, on` : 'needs a time: one of at ("90s"), after (a step id) or on (an event type)');
  } else if (given[0] === 'at') {
    if (value.delay !== undefined) c.add(`${path}.delay`, 'goes with after or on; with at, write the time itself');
    const ms = c.duration(value, 'at', path);
    if (ms !== undefined) step.timing = { kind: 'at', ms };
  } else {
    const delay = value.delay === undefined ? 0 : c.duration(value, 'delay', path, { signed: given[0] === 'after' });
    if (given[0] === 'after') {
      const after = c.string(value, 'after', path);
      if (after !== undefined && delay !== undefined) step.timing = { kind: 'after', step: after, delay };
    } else {
      const on = c.string(value, 'on', path);
      let where: Record<string, unknown> | undefined;
      if (value.where !== undefined) {
        if (!isObject(value.where)) c.add(`${path}.where`, 'must be an object of event data fields and the values to match');
        else where = value.where;
      }
      if (on !== undefined && delay !== undefined) step.timing = { kind: 'on', event: on, ...(where && { where }), delay };
    }
  }
  if (value.where !== undefined && given[0] !== 'on') c.add(`${path}.where`, 'goes with on (it filters the events that trigger the step)');

  if (value.requires !== undefined) {
    const list = typeof value.requires === 'string' ? [value.requires] : value.requires;
    if (!Array.isArray(list) || list.some((r) => typeof r !== 'string' || r === '')) c.add(`${path}.requires`, 'must be a step id or a list of step ids');
    else step.requires = [...new Set(list as string[])];
  }

  if (value.set !== undefined) {
    const set = value.set;
    if (!isObject(set)) c.add(`${path}.set`, 'must be an object { entity, changes }');
    else {
      c.unknownKeys(set, SET_KEYS, `${path}.set`);
      const entity = c.entity(set, `${path}.set`);
      if (!isObject(set.changes) || Object.keys(set.changes).length === 0) c.add(`${path}.set.changes`, 'must be an object of at least one field and its new value');
      else if (entity) step.set = { entity, changes: set.changes };
    }
  }
  if (value.progress !== undefined) {
    const progress = checkProgress(c, value.progress, `${path}.progress`, limits);
    if (progress) step.progress = progress;
  }
  if (value.emit !== undefined) {
    const emit = value.emit;
    if (!isObject(emit)) c.add(`${path}.emit`, 'must be an object { type, data? }');
    else {
      c.unknownKeys(emit, EMIT_KEYS, `${path}.emit`);
      const type = c.string(emit, 'type', `${path}.emit`, { required: true });
      if (type !== undefined && RESERVED_EVENTS.test(type)) c.add(`${path}.emit.type`, `"${type}": scenario.* and kernel.* events are the plugin's and the kernel's own; pick another prefix (e.g. "bank.")`);
      else if (type !== undefined) step.emit = { type, data: emit.data ?? {} };
    }
  }
  return step;
}

/** The checked shape of a script, or undefined when it is not even an object with steps. */
export function checkStructure(input: unknown, problems: Problem[], limits: Limits, defaultSession: string): Draft | undefined {
  const c = new Checker(problems);
  if (!isObject(input)) return void c.add('(root)', 'a script must be an object { name, steps }');
  c.unknownKeys(input, SCRIPT_KEYS, '');
  const name = c.string(input, 'name', '', { required: true, pattern: NAME });
  const description = c.string(input, 'description', '');
  const session = c.string(input, 'session', '', { pattern: NAME }) ?? defaultSession;
  if (!Array.isArray(input.steps) || input.steps.length === 0) {
    c.add('steps', 'must be a list of at least one step');
    return undefined;
  }
  if (input.steps.length > limits.maxSteps) {
    c.add('steps', `${input.steps.length} steps is more than maxSteps (${limits.maxSteps})`, 'limit');
    return undefined;
  }
  const steps = input.steps.map((s, i) => checkStep(c, s, i, limits)).filter((s): s is DraftStep => s !== undefined);
  if (name === undefined) return undefined;
  return { name, ...(description !== undefined && { description }), session, steps };
}
