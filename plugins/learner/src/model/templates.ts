// Path templates learned from traffic: `/users/123`, `/users/456`, `/users/789` become
// `/users/{userId}` once a position has `minDistinct` (3) distinct values of one class
// (classify.ts), while words beside them (`/users/me`) stay literal. Every change of an
// existing template is returned as { from, to } so the learner can re-key its endpoint
// models. Bounded: `maxLiterals` literal children per position (past it the position
// collapses into a parameter that takes any segment — 500 distinct words are data, not
// routes — except literals carrying ≥ 2 % of its traffic), `maxNodes` nodes in all (past
// it new paths are answered as they are but not remembered; counted in `overflow`).
// Measured (test/model-templates-bench.test.ts): 50/50 templates recovered from 10,000
// generated paths, 0 literal routes merged.
import { LearnerErrors } from '../errors.js';
import { classify } from './classify.js';
import {
  ANY_CLASS,
  accepts,
  acceptsByClass,
  countNodes,
  mainClass,
  newNode,
  newParam,
  nodeFromJson,
  nodeToJson,
  note,
  render,
  splitPath,
  terminals,
  type ChainEntry,
  type Node,
  type NodeJson,
  type Param,
} from './template-tree.js';
import type { SegmentClass } from './types.js';

export { classify } from './classify.js';

export interface PathTemplatesOptions {
  /** Distinct values of one class before a position becomes a parameter (default 3). */
  minDistinct?: number;
  /** Literal children kept per position (default 500). */
  maxLiterals?: number;
  /** Nodes kept in all (default 100,000). */
  maxNodes?: number;
}

export interface TemplateMatch {
  /** `/users/{userId}` */
  template: string;
  /** `{ userId: '42' }` */
  params: Record<string, string>;
  /** `{ userId: 'integer' }` */
  classes: Record<string, SegmentClass>;
}

/** Templates that were replaced by another (their endpoint models belong to `to` now). */
export interface TemplateChange {
  from: string[];
  to: string;
}

export interface LearnResult extends TemplateMatch {
  /** Existing templates this request changed (usually none). */
  changed: TemplateChange[];
  /** True when the node budget was full: the template is the literal path, not remembered. */
  overflow?: boolean;
}

export interface TemplateInfo {
  template: string;
  methods: string[];
  /** Requests learned under this template. */
  hits: number;
  pinned: boolean;
  params: Record<string, SegmentClass>;
}

interface Walk {
  chain: ChainEntry[];
  concrete: string[];
  node: Node;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export class PathTemplates {
  readonly minDistinct: number;
  readonly maxLiterals: number;
  readonly maxNodes: number;
  private root = newNode();
  private nodes = 1;
  /** Paths not remembered because the node budget was full. */
  overflow = 0;

  constructor(options: PathTemplatesOptions = {}) {
    this.minDistinct = Math.max(2, options.minDistinct ?? 3);
    this.maxLiterals = Math.max(this.minDistinct, options.maxLiterals ?? 500);
    this.maxNodes = Math.max(16, options.maxNodes ?? 100_000);
  }

  /** Learn one request and answer its template (after any promotion it caused). */
  learn(method: string, path: string): LearnResult {
    const segs = splitPath(path);
    const changed: TemplateChange[] = [];
    const chain: ChainEntry[] = [];
    let node = this.root;
    node.hits++;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      let next = node.lit.get(seg);
      if (next) chain.push({ lit: seg });
      else if (node.param && accepts(node.param, seg)) {
        note(node.param, seg);
        next = node.param.node;
        chain.push({ param: node.param });
      } else {
        if (this.nodes >= this.maxNodes) {
          this.overflow++;
          return { ...this.describe([...chain, ...segs.slice(i).map((lit) => ({ lit }))], segs), changed, overflow: true };
        }
        node.lit.set(seg, newNode());
        this.nodes++;
        changed.push(...this.promote({ chain, concrete: segs.slice(0, i), node }, seg));
        next = node.lit.get(seg);
        if (next) chain.push({ lit: seg });
        else {
          // the promotion took the new segment (and counted it)
          next = node.param!.node;
          chain.push({ param: node.param! });
        }
      }
      next.hits++;
      node = next;
    }
    node.methods.add(method.toUpperCase());
    node.ends++;
    // runs for every observation learned: the match is extended, not copied
    const out = this.describe(chain, segs) as LearnResult;
    out.changed = compose(changed);
    return out;
  }

  /** The learned template of a request (`method` `*` = any method), or undefined. */
  match(method: string, path: string): TemplateMatch | undefined {
    const segs = splitPath(path);
    const chain = this.resolve(segs, method.toUpperCase());
    return chain && this.describe(chain, segs);
  }

  /** Every learned (or pinned) template. */
  templates(): TemplateInfo[] {
    const out: TemplateInfo[] = [];
    const visit = (node: Node, chain: ChainEntry[]) => {
      if (node.methods.size > 0 || node.pinnedTemplate) {
        const r = render(chain);
        out.push({ template: r.template, methods: [...node.methods].sort(), hits: node.ends, pinned: node.pinnedTemplate, params: Object.fromEntries(r.names.map((n) => [n.name, mainClass(n.param)])) });
      }
      for (const [seg, child] of node.lit) visit(child, [...chain, { lit: seg }]);
      if (node.param) visit(node.param.node, [...chain, { param: node.param }]);
    };
    visit(this.root, []);
    return out.sort((a, b) => (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  }

  /**
   * Pin a template (`/users/{userId}` or `GET /users/{userId}`): its literals are never merged
   * into a parameter and its parameters keep the given names. A parameter that did not exist
   * yet takes values of any class (plain words stay literal).
   */
  pin(template: string): { template: string; changed: TemplateChange[] } {
    const { method, parts } = parseTemplate(template);
    return this.changing(() => {
      const walk = this.ensure(parts);
      walk.node.pinnedTemplate = true;
      if (method) walk.node.methods.add(method);
      return render(walk.chain).template;
    });
  }

  /** Keep the value `value` of the template's last parameter apart as a literal route (pinned). */
  split(template: string, value: string): { template: string; changed: TemplateChange[] } {
    const { parts } = parseTemplate(template);
    if (!parts.some((p) => p.param)) throw new LearnerErrors.BAD_TEMPLATE(template, 'it has no parameter to split a value from');
    if (!value || value.includes('/')) throw new LearnerErrors.BAD_TEMPLATE(template, `"${value}" is not one path segment`);
    const walk = this.find(parts, template);
    const last = walk.chain.map((e, i) => ('param' in e ? i : -1)).filter((i) => i >= 0).pop()!;
    let parent = this.root;
    for (const entry of walk.chain.slice(0, last)) parent = 'lit' in entry ? parent.lit.get(entry.lit)! : parent.param!.node;
    if (parent.lit.has(value)) throw new LearnerErrors.TEMPLATE_CONFLICT(`"${value}" is already a literal route next to ${render(walk.chain).template}`);
    const literal = newNode();
    literal.pinned = true;
    // matched for the template's methods at once (its endpoint model starts with its first request)
    const methods = walk.node.methods;
    parent.lit.set(value, literal);
    this.nodes++;
    // the literal is a route of its own from now on; what was learned stays with the parameter.
    // Only literals follow the last parameter.
    const chain: ChainEntry[] = [...walk.chain.slice(0, last), { lit: value }];
    let node = literal;
    for (const entry of walk.chain.slice(last + 1) as Array<{ lit: string }>) {
      const next = newNode();
      next.pinned = true;
      this.nodes++;
      node.lit.set(entry.lit, next);
      chain.push(entry);
      node = next;
    }
    node.methods = new Set(methods);
    node.pinnedTemplate = true;
    return { template: render(chain).template, changed: [] };
  }

  /**
   * Merge templates into one: `into` has a parameter where they differ
   * (`/users/alice`, `/users/bob` → `/users/{username}`). All or nothing.
   */
  merge(templates: string[], into: string): { template: string; changed: TemplateChange[] } {
    const target = parseTemplate(into);
    if (templates.length === 0) throw new LearnerErrors.BAD_TEMPLATE(into, 'name at least one template to merge into it');
    const sources = templates.map((t) => ({ text: t, parts: parseTemplate(t).parts }));
    const missing: string[] = [];
    for (const s of sources) {
      if (s.parts.length !== target.parts.length) throw new LearnerErrors.BAD_TEMPLATE(s.text, `it has ${s.parts.length} segments and "${into}" has ${target.parts.length}`);
      s.parts.forEach((p, i) => {
        const t = target.parts[i];
        if (!t.param && p.lit !== t.lit) throw new LearnerErrors.BAD_TEMPLATE(s.text, `segment ${i + 1} is "${p.lit ?? `{${p.param}}`}" where "${into}" has "${t.lit}"`);
      });
      if (!this.tryFind(s.parts)) missing.push(s.text);
    }
    if (missing.length) throw new LearnerErrors.TEMPLATE_NOT_FOUND(missing);
    return this.changing(() => {
      const walk = this.ensure(target.parts);
      walk.node.pinnedTemplate = true;
      for (const s of sources) {
        let node = this.root;
        s.parts.forEach((p, i) => {
          if (target.parts[i].param && p.lit !== undefined && node.lit.has(p.lit) && !node.param!.classes.includes('string')) {
            if (!classify(p.lit)) node.param!.classes.push('string'); // words were merged: the position takes any word now
          }
          if (target.parts[i].param && p.lit !== undefined && node.lit.has(p.lit)) {
            const child = node.lit.get(p.lit)!;
            node.lit.delete(p.lit);
            note(node.param!, p.lit, child.hits);
            this.mergeInto(node.param!.node, child);
          }
          node = target.parts[i].param ? node.param!.node : node.lit.get(p.lit!)!;
        });
      }
      return render(walk.chain).template;
    });
  }

  /** Node count and paths not remembered. */
  stats(): { nodes: number; overflow: number } {
    return { nodes: this.nodes, overflow: this.overflow };
  }

  toJSON(): { version: 1; minDistinct: number; maxLiterals: number; maxNodes: number; overflow: number; root: NodeJson } {
    return { version: 1, minDistinct: this.minDistinct, maxLiterals: this.maxLiterals, maxNodes: this.maxNodes, overflow: this.overflow, root: nodeToJson(this.root) };
  }

  /** Rebuild from toJSON(); options given here win over the saved ones. Coded 400 when the JSON is not a template tree. */
  static fromJSON(json: unknown, options: PathTemplatesOptions = {}): PathTemplates {
    const j = (json && typeof json === 'object' ? json : {}) as Partial<ReturnType<PathTemplates['toJSON']>>;
    if (j.version !== 1) throw new LearnerErrors.INVALID('path templates', ['version: must be 1']);
    const t = new PathTemplates({ minDistinct: j.minDistinct, maxLiterals: j.maxLiterals, maxNodes: j.maxNodes, ...options });
    try {
      t.root = nodeFromJson(j.root);
    } catch (error) {
      throw new LearnerErrors.INVALID('path templates', [(error as Error).message]);
    }
    t.nodes = countNodes(t.root);
    t.overflow = typeof j.overflow === 'number' ? j.overflow : 0;
    return t;
  }

  // ── learning rules ──────────────────────────────────────────────────────────

  /** After `seg` was added under `at.node`: promote its class, or collapse an overfull position. */
  private promote(at: Walk, seg: string): TemplateChange[] {
    const node = at.node;
    const cls = classify(seg);
    const overfull = node.lit.size > this.maxLiterals;
    if (!overfull && (!cls || !this.ready(node, cls))) return [];
    const before = terminals(node, at.chain, at.concrete);
    if (overfull) this.collapse(node);
    else this.promoteClass(node, cls!);
    return this.diff(before);
  }

  private ready(node: Node, cls: SegmentClass): boolean {
    let n = 0;
    for (const [seg, child] of node.lit) if (!child.pinned && classify(seg) === cls && ++n >= this.minDistinct) return true;
    return false;
  }

  private promoteClass(node: Node, cls: SegmentClass): void {
    node.param ??= (this.nodes++, newParam([cls]));
    if (!node.param.classes.includes(cls)) node.param.classes.push(cls);
    const param = node.param;
    this.absorb(node, (seg) => classify(seg) === cls || acceptsByClass(param, seg));
  }

  /**
   * Too many literals: all but the pinned and the busy (more than 2 % of the position's
   * traffic, at most half the budget) go into a parameter taking any segment.
   */
  private collapse(node: Node): void {
    let total = 0;
    for (const child of node.lit.values()) total += child.hits;
    const busy = new Set(
      [...node.lit]
        .filter(([, c]) => !c.pinned && c.hits > Math.max(1, total * 0.02))
        .sort((a, b) => b[1].hits - a[1].hits)
        .slice(0, this.maxLiterals >> 1)
        .map(([seg]) => seg),
    );
    node.param ??= (this.nodes++, newParam(['string']));
    if (!node.param.classes.includes('string')) node.param.classes.push('string');
    this.absorb(node, (seg) => !busy.has(seg));
  }

  /** Move the (unpinned) literals `take` picks into the parameter. */
  private absorb(node: Node, take: (seg: string) => boolean): void {
    const param = node.param!;
    for (const [seg, child] of [...node.lit]) {
      if (child.pinned || !take(seg)) continue;
      node.lit.delete(seg);
      note(param, seg, Math.max(1, child.hits));
      this.mergeInto(param.node, child);
    }
  }

  /** Merge `src` into `dst` (children merged recursively), then promote what the merge made ready. */
  private mergeInto(dst: Node, src: Node): void {
    this.nodes--;
    dst.hits += src.hits;
    dst.ends += src.ends;
    for (const m of src.methods) dst.methods.add(m);
    dst.pinned ||= src.pinned;
    dst.pinnedTemplate ||= src.pinnedTemplate;
    if (src.param) {
      if (dst.param) {
        mergeParamInfo(dst.param, src.param);
        this.mergeInto(dst.param.node, src.param.node);
      } else dst.param = src.param;
    }
    for (const [seg, child] of src.lit) {
      const same = dst.lit.get(seg);
      if (same) this.mergeInto(same, child);
      else if (dst.param && !child.pinned && acceptsByClass(dst.param, seg)) {
        note(dst.param, seg, Math.max(1, child.hits));
        this.mergeInto(dst.param.node, child);
      } else dst.lit.set(seg, child);
    }
    const param = dst.param;
    if (param) this.absorb(dst, (seg) => acceptsByClass(param, seg));
    for (const cls of new Set([...dst.lit.keys()].map(classify))) if (cls && this.ready(dst, cls)) this.promoteClass(dst, cls);
  }

  // ── lookups ─────────────────────────────────────────────────────────────────

  /** Literal first, then the parameter, backtracking; `*` = a template of any method. */
  private resolve(segs: string[], method: string): ChainEntry[] | undefined {
    const walk = (node: Node, i: number): ChainEntry[] | undefined => {
      if (i === segs.length) return (method === '*' ? node.methods.size > 0 : node.methods.has(method)) ? [] : undefined;
      const lit = node.lit.get(segs[i]);
      const viaLit = lit && walk(lit, i + 1);
      if (viaLit) return [{ lit: segs[i] }, ...viaLit];
      if (node.param && accepts(node.param, segs[i])) {
        const rest = walk(node.param.node, i + 1);
        if (rest) return [{ param: node.param }, ...rest];
      }
      return undefined;
    };
    return walk(this.root, 0);
  }

  private describe(chain: ChainEntry[], segs: string[]): TemplateMatch {
    const r = render(chain);
    const params: Record<string, string> = {};
    const classes: Record<string, SegmentClass> = {};
    let k = 0;
    for (let i = 0; i < chain.length; i++) {
      if (!('param' in chain[i])) continue;
      const { name, param } = r.names[k++];
      params[name] = segs[i];
      classes[name] = mainClass(param);
    }
    return { template: r.template, params, classes };
  }

  /** Walk a parsed template through the tree (names must match the rendered ones). */
  private tryFind(parts: TemplatePart[]): Walk | undefined {
    const chain: ChainEntry[] = [];
    let node = this.root;
    for (const p of parts) {
      if (p.lit !== undefined) {
        const next = node.lit.get(p.lit);
        if (!next) return undefined;
        chain.push({ lit: p.lit });
        node = next;
      } else {
        if (!node.param) return undefined;
        chain.push({ param: node.param });
        node = node.param.node;
      }
    }
    const names = render(chain).names.map((n) => n.name);
    const wanted = parts.filter((p) => p.param).map((p) => p.param);
    if (names.some((n, i) => n !== wanted[i])) return undefined;
    return node.methods.size > 0 || node.pinnedTemplate ? { chain, concrete: [], node } : undefined;
  }

  private find(parts: TemplatePart[], text: string): Walk {
    const walk = this.tryFind(parts);
    if (!walk) throw new LearnerErrors.TEMPLATE_NOT_FOUND([text]);
    return walk;
  }

  /** Create the template's chain as needed: literals pinned, parameters with the given names. */
  private ensure(parts: TemplatePart[]): Walk {
    const chain: ChainEntry[] = [];
    let node = this.root;
    for (const p of parts) {
      if (p.lit !== undefined) {
        let next = node.lit.get(p.lit);
        if (!next) {
          next = newNode();
          this.nodes++;
          node.lit.set(p.lit, next);
        }
        next.pinned = true;
        chain.push({ lit: p.lit });
        node = next;
      } else {
        const declared = !node.param;
        if (!node.param) {
          node.param = newParam(ANY_CLASS);
          this.nodes++;
        }
        node.param.name = p.param;
        // a declared parameter takes the classed literals already there; a learned one what it accepts
        const param = node.param;
        this.absorb(node, (seg) => (declared && classify(seg) !== undefined) || acceptsByClass(param, seg));
        chain.push({ param: node.param });
        node = node.param.node;
      }
    }
    return { chain, concrete: [], node };
  }

  /** Run an edit and report which templates it replaced. */
  private changing(edit: () => string): { template: string; changed: TemplateChange[] } {
    const before = terminals(this.root, [], []);
    const template = edit();
    return { template, changed: this.diff(before) };
  }

  private diff(before: Array<{ concrete: string[]; template: string }>): TemplateChange[] {
    const groups = new Map<string, string[]>();
    for (const t of before) {
      const chain = this.resolve(t.concrete, '*');
      const now = chain ? render(chain).template : undefined;
      if (now === undefined || now === t.template) continue;
      const from = groups.get(now) ?? [];
      if (!from.includes(t.template)) from.push(t.template);
      groups.set(now, from);
    }
    return [...groups].map(([to, from]) => ({ from, to }));
  }
}

/** Successive changes of one request as one: each template that existed before → where it ends up. */
function compose(changes: TemplateChange[]): TemplateChange[] {
  if (changes.length <= 1) return changes;
  const next = new Map<string, string>();
  const made = new Set<string>();
  const originals: string[] = [];
  for (const c of changes) {
    // a template first made by an earlier change of this request has no model yet
    for (const f of c.from) if (!made.has(f) && !originals.includes(f)) originals.push(f);
    for (const f of c.from) next.set(f, c.to);
    made.add(c.to);
  }
  const groups = new Map<string, string[]>();
  for (const original of originals) {
    let to = original;
    for (let hops = 0; next.has(to) && hops < changes.length; hops++) to = next.get(to)!;
    groups.set(to, [...(groups.get(to) ?? []), original]);
  }
  return [...groups].map(([to, from]) => ({ from, to }));
}

function mergeParamInfo(dst: Param, src: Param): void {
  for (const c of src.classes) if (!dst.classes.includes(c)) dst.classes.push(c);
  for (const [c, n] of Object.entries(src.counts) as Array<[SegmentClass, number]>) dst.counts[c] = (dst.counts[c] ?? 0) + n;
  dst.minLen = Math.min(dst.minLen, src.minLen);
  dst.maxLen = Math.max(dst.maxLen, src.maxLen);
  for (const v of src.values) if (dst.values.length < 8 && !dst.values.includes(v)) dst.values.push(v);
  dst.name ??= src.name;
}

export interface TemplatePart {
  lit?: string;
  param?: string;
}

/** `GET /users/{userId}` or `/users/{userId}` → method and segments; coded 400 when malformed. */
export function parseTemplate(text: string): { method?: string; parts: TemplatePart[] } {
  const m = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(typeof text === 'string' ? text.trim() : '');
  if (!m) throw new LearnerErrors.BAD_TEMPLATE(String(text), 'it must be a path starting with "/"');
  const names = new Set<string>();
  const parts = splitPath(m[2]).map((seg): TemplatePart => {
    if (!seg.startsWith('{') && !seg.endsWith('}')) {
      if (/[{}]/.test(seg)) throw new LearnerErrors.BAD_TEMPLATE(text, `segment "${seg}" mixes text and a parameter`);
      return { lit: seg };
    }
    const name = seg.slice(1, -1);
    if (!seg.startsWith('{') || !seg.endsWith('}') || !NAME.test(name)) throw new LearnerErrors.BAD_TEMPLATE(text, `"${seg}" is not a parameter like {userId}`);
    if (names.has(name)) throw new LearnerErrors.BAD_TEMPLATE(text, `parameter {${name}} appears twice`);
    names.add(name);
    return { param: name };
  });
  return { method: m[1]?.toUpperCase(), parts };
}
