// The tree behind PathTemplates: one node per path position, literal children by segment,
// at most one parameter child. A parameter accepts a set of segment classes; literal
// children are tried first, so `/users/me` stays apart from `/users/{userId}`. Names are
// not stored (except when the user fixed one): they are computed when a template is
// rendered, from the literal before the parameter, so moving subtrees never leaves stale
// names. Kept apart from templates.ts so the learning rules read on their own.
import { classify, looksHex, paramBaseName } from './classify.js';
import type { SegmentClass } from './types.js';

export interface Param {
  /** Classes this parameter takes; `string` = any segment (a collapsed or user-merged position). */
  classes: SegmentClass[];
  /** Values seen per class (the reported class is the most frequent). */
  counts: Partial<Record<SegmentClass, number>>;
  /** Shortest and longest value seen (a hex parameter also takes all-digit values of these lengths). */
  minLen: number;
  maxLen: number;
  /** A few distinct values seen (bounded), to stand for the parameter when templates are recomputed. */
  values: string[];
  /** Fixed by the user (pin / merge): never renamed. */
  name?: string;
  node: Node;
}

export interface Node {
  lit: Map<string, Node>;
  param?: Param;
  /** Methods whose requests ended here: a node with methods is a template. */
  methods: Set<string>;
  /** Requests through this node (its share of the position's traffic). */
  hits: number;
  /** Requests that ended here. */
  ends: number;
  /** A literal the user pinned or split off: never merged into a parameter. */
  pinned: boolean;
  /** A template the user pinned, split off or merged into (listed as pinned, kept without traffic). */
  pinnedTemplate: boolean;
}

export type ChainEntry = { lit: string } | { param: Param };

export const ANY_CLASS: SegmentClass[] = ['integer', 'uuid', 'ulid', 'hex', 'date', 'slug'];
export const MAX_PARAM_VALUES = 8;

export const newNode = (): Node => ({ lit: new Map(), methods: new Set(), hits: 0, ends: 0, pinned: false, pinnedTemplate: false });

export function newParam(classes: SegmentClass[], name?: string): Param {
  return { classes: [...classes], counts: {}, minLen: Infinity, maxLen: 0, values: [], name, node: newNode() };
}

/** Does this parameter take the segment? */
export function accepts(param: Param, segment: string): boolean {
  return param.classes.includes('string') || acceptsByClass(param, segment);
}

/** …by its value class alone (literals already beside a `string` parameter stay literal). */
export function acceptsByClass(param: Param, segment: string): boolean {
  const c = classify(segment);
  if (c && param.classes.includes(c)) return true;
  // an 8-character hex id is all digits 2 % of the time: it belongs to the hex parameter
  return param.classes.includes('hex') && looksHex(segment) && segment.length >= param.minLen && segment.length <= param.maxLen;
}

/** Record that the parameter took `segment` (`times` requests). */
export function note(param: Param, segment: string, times = 1): void {
  const c = classify(segment) ?? (param.classes.includes('hex') && looksHex(segment) ? 'hex' : 'string');
  param.counts[c] = (param.counts[c] ?? 0) + times;
  param.minLen = Math.min(param.minLen, segment.length);
  param.maxLen = Math.max(param.maxLen, segment.length);
  if (param.values.length < MAX_PARAM_VALUES && !param.values.includes(segment)) param.values.push(segment);
}

/** The class reported for a parameter: its most frequent one. */
export function mainClass(param: Param): SegmentClass {
  let best: SegmentClass | undefined;
  for (const c of Object.keys(param.counts) as SegmentClass[]) if (best === undefined || param.counts[c]! > param.counts[best]!) best = c;
  return best ?? (param.classes.length === 1 ? param.classes[0] : 'string');
}

/** A value standing for the parameter: one it took that no literal sibling shadows. */
export function representative(parent: Node, param: Param): string {
  return param.values.find((v) => !parent.lit.has(v) && accepts(param, v)) ?? '0';
}

export interface Rendered {
  template: string;
  /** Parameter names in order, with their Param. */
  names: Array<{ name: string; param: Param }>;
}

/** The template of a chain: names from the literal before each parameter, unique in the template. */
export function render(chain: readonly ChainEntry[]): Rendered {
  const used = new Set<string>();
  const names: Rendered['names'] = [];
  const out: string[] = [];
  let previous: string | undefined;
  let fallback = 0;
  for (const entry of chain) {
    if ('lit' in entry) {
      out.push(entry.lit);
      previous = entry.lit;
      continue;
    }
    let base = entry.param.name ?? paramBaseName(previous);
    if (base === undefined) {
      do base = `param${++fallback}`;
      while (used.has(base));
    }
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    names.push({ name, param: entry.param });
    out.push(`{${name}}`);
    previous = undefined;
  }
  return { template: `/${out.join('/')}`, names };
}

/** Path segments: empty ones (doubled or trailing slashes) are ignored. */
export function splitPath(path: string): string[] {
  // once per observation learned and per lookup: one array, no callback
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path.charCodeAt(i) === 0x2f) {
      if (i > from) out.push(path.slice(from, i));
      from = i + 1;
    }
  }
  return out;
}

/** Templates (with a concrete path standing for each) ending at or below `node`. */
export function terminals(node: Node, chain: ChainEntry[], concrete: string[], out: Array<{ concrete: string[]; template: string }> = []) {
  if (node.methods.size > 0) out.push({ concrete: [...concrete], template: render(chain).template });
  for (const [seg, child] of node.lit) terminals(child, [...chain, { lit: seg }], [...concrete, seg], out);
  if (node.param) terminals(node.param.node, [...chain, { param: node.param }], [...concrete, representative(node, node.param)], out);
  return out;
}

/** Count nodes of a subtree (for the node budget after a restore). */
export function countNodes(node: Node): number {
  let n = 1;
  for (const child of node.lit.values()) n += countNodes(child);
  if (node.param) n += countNodes(node.param.node);
  return n;
}

export interface NodeJson {
  h: number;
  e?: number;
  m?: string[];
  pin?: true;
  pt?: true;
  l?: Record<string, NodeJson>;
  p?: { c: SegmentClass[]; k: Partial<Record<SegmentClass, number>>; min: number; max: number; v: string[]; n?: string; node: NodeJson };
}

export function nodeToJson(node: Node): NodeJson {
  const out: NodeJson = { h: node.hits };
  if (node.ends) out.e = node.ends;
  if (node.methods.size) out.m = [...node.methods].sort();
  if (node.pinned) out.pin = true;
  if (node.pinnedTemplate) out.pt = true;
  if (node.lit.size) out.l = Object.fromEntries([...node.lit].map(([k, v]) => [k, nodeToJson(v)]));
  const p = node.param;
  if (p) out.p = { c: p.classes, k: p.counts, min: Number.isFinite(p.minLen) ? p.minLen : 0, max: p.maxLen, v: p.values, ...(p.name && { n: p.name }), node: nodeToJson(p.node) };
  return out;
}

const CLASSES = new Set<string>([...ANY_CLASS, 'string']);

/** Rebuild a node; throws with the JSON path of the first thing that is wrong. */
export function nodeFromJson(json: unknown, where = 'root', depth = 0): Node {
  const bad = (what: string) => new Error(`${where}: ${what}`);
  if (depth > 256) throw bad('too deep');
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('must be an object');
  const j = json as Partial<NodeJson>;
  const node = newNode();
  node.hits = typeof j.h === 'number' && j.h >= 0 ? j.h : 0;
  node.ends = typeof j.e === 'number' && j.e >= 0 ? j.e : 0;
  if (j.m !== undefined) {
    if (!Array.isArray(j.m) || j.m.some((m) => typeof m !== 'string')) throw bad('m must be a list of methods');
    node.methods = new Set(j.m);
  }
  node.pinned = j.pin === true;
  node.pinnedTemplate = j.pt === true;
  if (j.l !== undefined) {
    if (!j.l || typeof j.l !== 'object') throw bad('l must be an object');
    for (const [seg, child] of Object.entries(j.l)) node.lit.set(seg, nodeFromJson(child, `${where}/${seg}`, depth + 1));
  }
  if (j.p !== undefined) {
    const p = j.p;
    if (!p || typeof p !== 'object' || !Array.isArray(p.c) || p.c.some((c) => !CLASSES.has(c))) throw bad('p.c must list segment classes');
    const param = newParam(p.c, typeof p.n === 'string' ? p.n : undefined);
    param.counts = p.k && typeof p.k === 'object' ? { ...p.k } : {};
    param.minLen = typeof p.min === 'number' && p.min > 0 ? p.min : Infinity;
    param.maxLen = typeof p.max === 'number' ? p.max : 0;
    param.values = Array.isArray(p.v) ? p.v.filter((v): v is string => typeof v === 'string').slice(0, MAX_PARAM_VALUES) : [];
    param.node = nodeFromJson(p.node, `${where}/{}`, depth + 1);
    node.param = param;
  }
  return node;
}
