// Hand-written checks of a pattern spec, for config and admin bodies alike: every problem
// with its path (`shape.factor: must be >= 0`, `mix.GET /prodcts: no such endpoint of
// "shop" (did you mean "GET /products"?)`), the entry service and mix keys checked against
// the mesh topology, and a replay's CSV parsed (inline or a file under the config's folder)
// with each bad line named.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { editDistance } from '@understudy/plugin-sdk';
import type { PatternShape, PatternSpec } from './contract.js';
import { parseRateCsv, type RatePoint } from './shapes/csv.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export const SHAPE_KINDS = ['constant', 'diurnal', 'ramp', 'step', 'bursts', 'replay'] as const;

/** Each kind's fields: name → required. */
const SHAPE_FIELDS: Record<PatternShape['kind'], Record<string, boolean>> = {
  constant: { rps: true },
  diurnal: { min: true, max: true, periodSeconds: false, troughHour: false },
  ramp: { from: true, to: true, durationSeconds: true },
  step: { rps: true, factor: true, atSeconds: true, durationSeconds: false },
  bursts: { rps: true, burstRps: true, burstSeconds: true, everySeconds: true },
  replay: { csv: false, file: false, loop: false, scale: false },
};
const SPEC_KEYS = ['service', 'mix', 'shape', 'scale', 'jitter'];

/** What validation needs of the mesh: its services' endpoint keys. */
export interface TopologyView {
  services(): Iterable<string>;
  endpoints(service: string): string[] | undefined;
}

export interface Checked {
  spec: PatternSpec;
  /** A replay's parsed series. */
  points?: RatePoint[];
}

/** A hint naming the nearest of `names` to `name`, or ''. */
export function nearest(name: string, names: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

class Checker {
  readonly problems: string[] = [];
  constructor(private readonly prefix: string) {}
  add(path: string, problem: string): void {
    this.problems.push(`${join(this.prefix, path) || '(root)'}: ${problem}`);
  }
  num(o: Obj, key: string, path: string, opts: { min?: number; max?: number; above?: number; required?: boolean }): void {
    const v = o[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.add(p, 'must be a number');
    if (opts.min !== undefined && v < opts.min) return this.add(p, `must be >= ${opts.min}`);
    if (opts.above !== undefined && v <= opts.above) return this.add(p, `must be > ${opts.above}`);
    if (opts.max !== undefined && v > opts.max) this.add(p, `must be <= ${opts.max}`);
  }
}

function checkShape(c: Checker, shape: unknown, baseDir: string): RatePoint[] | undefined {
  if (!isObj(shape)) {
    c.add('shape', shape === undefined ? 'is required' : 'must be an object with a kind');
    return undefined;
  }
  const kind = shape.kind as PatternShape['kind'];
  if (!SHAPE_KINDS.includes(kind)) {
    c.add('shape.kind', `must be one of ${SHAPE_KINDS.join(', ')}${typeof kind === 'string' ? nearest(kind, SHAPE_KINDS) : ''}`);
    return undefined;
  }
  const fields = SHAPE_FIELDS[kind];
  for (const k of Object.keys(shape)) {
    if (k !== 'kind' && !(k in fields)) c.add(`shape.${k}`, `unknown property for a ${kind} shape (one of ${Object.keys(fields).join(', ')})`);
  }
  const rate = { min: 0 };
  switch (kind) {
    case 'constant':
      c.num(shape, 'rps', 'shape', { ...rate, required: true });
      break;
    case 'diurnal':
      c.num(shape, 'min', 'shape', { ...rate, required: true });
      c.num(shape, 'max', 'shape', { ...rate, required: true });
      c.num(shape, 'periodSeconds', 'shape', { above: 0 });
      c.num(shape, 'troughHour', 'shape', { min: 0, max: 24 });
      if (typeof shape.min === 'number' && typeof shape.max === 'number' && shape.max < shape.min) c.add('shape.max', `must be >= min (${shape.min})`);
      break;
    case 'ramp':
      c.num(shape, 'from', 'shape', { ...rate, required: true });
      c.num(shape, 'to', 'shape', { ...rate, required: true });
      c.num(shape, 'durationSeconds', 'shape', { min: 0, required: true });
      break;
    case 'step':
      c.num(shape, 'rps', 'shape', { ...rate, required: true });
      c.num(shape, 'factor', 'shape', { min: 0, required: true });
      c.num(shape, 'atSeconds', 'shape', { min: 0, required: true });
      c.num(shape, 'durationSeconds', 'shape', { above: 0 });
      break;
    case 'bursts':
      c.num(shape, 'rps', 'shape', { ...rate, required: true });
      c.num(shape, 'burstRps', 'shape', { ...rate, required: true });
      c.num(shape, 'burstSeconds', 'shape', { above: 0, required: true });
      c.num(shape, 'everySeconds', 'shape', { above: 0, required: true });
      break;
    case 'replay':
      return checkReplay(c, shape, baseDir);
  }
  return undefined;
}

function checkReplay(c: Checker, shape: Obj, baseDir: string): RatePoint[] | undefined {
  c.num(shape, 'scale', 'shape', { min: 0 });
  if (shape.loop !== undefined && typeof shape.loop !== 'boolean') c.add('shape.loop', 'must be a boolean');
  const { csv, file } = shape;
  if ((csv === undefined) === (file === undefined)) {
    c.add('shape', 'a replay needs exactly one of csv (the series inline) or file (a CSV path relative to the config file)');
    return undefined;
  }
  let text: string;
  let where: string;
  if (csv !== undefined) {
    if (typeof csv !== 'string') return void c.add('shape.csv', 'must be a string of "seconds,rps" lines');
    text = csv;
    where = 'shape.csv';
  } else {
    if (typeof file !== 'string' || file === '') return void c.add('shape.file', 'must be a non-empty path');
    const path = isAbsolute(file) ? file : resolve(baseDir, file);
    where = 'shape.file';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      c.add('shape.file', `cannot read "${path}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); paths are relative to the config file's folder`);
      return undefined;
    }
  }
  const parsed = parseRateCsv(text);
  for (const p of parsed.problems) c.add(where, p);
  return parsed.points;
}

function checkMix(c: Checker, mix: unknown, endpoints: string[] | undefined, service: string): void {
  if (mix === undefined) return;
  if (!isObj(mix)) return c.add('mix', 'must be an object of endpoint key → weight');
  const keys = Object.keys(mix);
  if (keys.length === 0) return c.add('mix', 'must name at least one endpoint (omit mix for every endpoint evenly)');
  let total = 0;
  for (const key of keys) {
    const w = mix[key];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) c.add(`mix.${key}`, 'must be a number >= 0');
    else total += w;
    if (endpoints && !endpoints.includes(key)) c.add(`mix.${key}`, `no such endpoint of "${service}"${nearest(key, endpoints)}; its endpoints are ${endpoints.join(', ')}`);
  }
  if (total === 0 && !c.problems.some((p) => p.includes('mix.'))) c.add('mix', 'weights must not all be 0');
}

/** Every problem of `value` as a pattern spec (paths under `prefix`), or the checked spec. */
export function checkPattern(value: unknown, topology: TopologyView, baseDir: string, prefix = ''): { problems: string[]; checked?: Checked } {
  const c = new Checker(prefix);
  if (!isObj(value)) {
    c.add('', 'must be an object { service, shape, mix?, scale?, jitter? }');
    return { problems: c.problems };
  }
  for (const k of Object.keys(value)) if (!SPEC_KEYS.includes(k)) c.add(k, `unknown property (one of ${SPEC_KEYS.join(', ')})`);
  let endpoints: string[] | undefined;
  const service = value.service;
  if (service === undefined) c.add('service', 'is required (the mesh service that takes the traffic)');
  else if (typeof service !== 'string') c.add('service', 'must be a string');
  else {
    endpoints = topology.endpoints(service);
    if (!endpoints) c.add('service', `no mesh service "${service}"${nearest(service, topology.services())}`);
  }
  checkMix(c, value.mix, endpoints, String(service));
  const points = checkShape(c, value.shape, baseDir);
  c.num(value, 'scale', '', { min: 0 });
  c.num(value, 'jitter', '', { min: 0, max: 10 });
  if (c.problems.length) return { problems: c.problems };
  return { problems: [], checked: { spec: structuredClone(value) as unknown as PatternSpec, points } };
}
