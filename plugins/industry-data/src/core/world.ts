// One industry's data set: its types with their sizes, the fan-out tables of its relations,
// the hero hints registered for its entities, and the generation of one entity from
// (seed, industry, type, id, hints). Everything the service answers goes through here, so a
// customer is the same whichever endpoint reads it.
import { createRandom, type Random } from '@understudy/plugin-sdk';
import type { Entity, EntityTypeInfo, Hints, Money, RelationInfo } from '../contract.js';
import { IndustryErrors } from '../errors.js';
import type { EntityCache } from './cache.js';
import type { StreamFaker } from './faker.js';
import { Fanout } from './fanout.js';
import type { Gen } from './gen.js';
import { parseId } from './ids.js';
import type { IndustrySpec, TypeSpec } from './spec.js';

const NO_HINTS: Hints = Object.freeze({});
const MEMO_ENTRIES = 4096;

export interface WorldOptions {
  seed: string;
  epoch: number;
  currency: string;
  counts: Record<string, number>;
  cache: EntityCache;
  faker: StreamFaker;
}

export class World {
  readonly name: string;
  private readonly byPlural = new Map<string, TypeSpec>();
  private readonly bySingular = new Map<string, TypeSpec>();
  private readonly counts = new Map<string, number>();
  private readonly fanouts = new Map<string, Fanout>();
  private readonly childTypes = new Map<string, TypeSpec[]>();
  // hero hints: what was registered, and what follows from it (children claimed for demands)
  private readonly registered = new Map<string, Hints>();
  private derivedHints = new Map<string, Hints>();
  private ownerOverride = new Map<string, number>();
  private addedChildren = new Map<string, number[]>();
  private readonly memos = new Map<string, unknown>();
  /** Types other entities read while generating (parents, references): only these are cached, leaves are cheaper to regenerate than to serialise. */
  private readonly shared = new Set<string>();

  constructor(
    readonly spec: IndustrySpec,
    private readonly options: WorldOptions,
  ) {
    this.name = spec.name;
    for (const t of spec.types) {
      this.byPlural.set(t.plural, t);
      this.bySingular.set(t.type, t);
      this.counts.set(t.plural, Math.max(0, Math.floor(options.counts[t.plural] ?? t.count)));
    }
    for (const t of spec.types) {
      for (const r of t.refs ?? []) this.shared.add(r.plural);
      for (const p of t.reads ?? []) this.shared.add(p);
      if (!t.parent) continue;
      this.shared.add(t.parent.plural);
      const list = this.childTypes.get(t.parent.plural) ?? [];
      list.push(t);
      this.childTypes.set(t.parent.plural, list);
    }
  }

  pluralNames(): string[] {
    return [...this.byPlural.keys()];
  }

  /** A type by plural or singular name; unknown → coded 404 with "did you mean". */
  type(name: string): TypeSpec {
    const t = this.byPlural.get(name) ?? this.bySingular.get(name);
    if (!t) throw new IndustryErrors.UNKNOWN_TYPE(this.name, name, this.pluralNames());
    return t;
  }

  count(plural: string): number {
    return this.counts.get(this.type(plural).plural)!;
  }

  relations(t: TypeSpec): RelationInfo[] {
    const out: RelationInfo[] = [];
    if (t.parent) out.push({ name: t.parent.name, type: t.parent.plural, via: t.parent.via, kind: 'one' });
    for (const r of t.refs ?? []) out.push({ name: r.name, type: r.plural, via: r.via, kind: 'one' });
    for (const c of this.childTypes.get(t.plural) ?? []) out.push({ name: c.plural, type: c.plural, via: c.parent!.via, kind: 'many' });
    return out;
  }

  info(t: TypeSpec): EntityTypeInfo {
    return {
      type: t.type,
      plural: t.plural,
      count: this.count(t.plural),
      idPrefix: t.idPrefix,
      description: t.description,
      relations: this.relations(t),
      fields: t.fields,
      hints: t.hints,
    };
  }

  idOf(plural: string, id: string): number {
    const t = this.type(plural);
    return parseId(id, t.idPrefix, this.count(t.plural));
  }

  private fanout(child: TypeSpec): Fanout {
    let f = this.fanouts.get(child.plural);
    if (!f) {
      const p = child.parent!;
      f = new Fanout(this.count(p.plural), this.count(child.plural), `${this.options.seed}/${this.name}/${child.plural}`, p.minOne ?? false);
      this.fanouts.set(child.plural, f);
    }
    return f;
  }

  parentIdOf(child: TypeSpec, id: number): number {
    if (!child.parent) return 0;
    return this.ownerOverride.get(`${child.plural}/${id}`) ?? this.fanout(child).parentOf(id);
  }

  /** Child ids of one parent: its fan-out range, minus children claimed by a hero, plus those it claimed. */
  childrenOf(parentPlural: string, parentId: number, childPlural: string): number[] {
    const child = this.type(childPlural);
    if (child.parent?.plural !== parentPlural) return [];
    const { first, count } = this.fanout(child).childrenOf(parentId);
    const ids: number[] = [];
    for (let i = first; i < first + count; i++) {
      const owner = this.ownerOverride.get(`${child.plural}/${i}`);
      if (owner === undefined || owner === parentId) ids.push(i);
    }
    const added = this.addedChildren.get(`${parentPlural}/${parentId}/${child.plural}`);
    if (added) for (const a of added) if (!ids.includes(a)) ids.push(a);
    return ids.sort((a, b) => a - b);
  }

  /** Hints that shape an entity: registered for it, or given to it by a hero's demand. */
  hintsOf(plural: string, id: number): Hints | undefined {
    const key = `${plural}/${id}`;
    const own = this.registered.get(key);
    const derived = this.derivedHints.get(key);
    if (own && derived) return { ...derived, ...own };
    return own ?? derived;
  }

  registerHints(plural: string, id: number, hints: Hints): void {
    this.registered.set(`${this.type(plural).plural}/${id}`, { ...hints });
    this.recomputeDemands();
    this.options.cache.clear();
    this.memos.clear();
  }

  hasRegistered(plural: string, id: number): boolean {
    return this.registered.has(`${plural}/${id}`);
  }

  /**
   * Satisfies every hero's demands again from scratch (a handful of personas: cheap). A demand
   * takes the hero's own next unclaimed child; when she has none left it claims one from a
   * parent that is no hero (one with a spare child first), so every relation stays valid both ways.
   */
  private recomputeDemands(): void {
    this.derivedHints = new Map();
    this.ownerOverride = new Map();
    this.addedChildren = new Map();
    const heroes = new Set(this.registered.keys());
    const queue: Array<{ plural: string; id: number; hints: Hints }> = [];
    for (const [key, hints] of this.registered) {
      const [plural, id] = key.split('/');
      queue.push({ plural, id: Number(id), hints });
    }
    for (let q = 0; q < queue.length && q < 10_000; q++) {
      const { plural, id, hints } = queue[q];
      const demands = this.type(plural).demands?.(hints) ?? [];
      const used = new Set<number>();
      for (const demand of demands) {
        const child = this.bySingular.get(demand.plural) ?? this.byPlural.get(demand.plural);
        if (!child || child.parent?.plural !== plural) continue;
        const own = this.childrenOf(plural, id, child.plural).filter((c) => !used.has(c) && !this.derivedHints.has(`${child.plural}/${c}`));
        let chosen: number | undefined = own[0];
        if (chosen === undefined) chosen = this.claim(child, id, heroes);
        if (chosen === undefined) continue;
        used.add(chosen);
        const key = `${child.plural}/${chosen}`;
        this.derivedHints.set(key, demand.hints);
        queue.push({ plural: child.plural, id: chosen, hints: demand.hints });
      }
    }
  }

  /** Prefers a parent with two or more children; takes an only child only where parents need none (not minOne). */
  private claim(child: TypeSpec, heroId: number, heroes: Set<string>): number | undefined {
    const parentPlural = child.parent!.plural;
    for (const needSpare of child.parent!.minOne ? [true] : [true, false]) {
      for (let c = this.count(child.plural); c >= 1; c--) {
        const key = `${child.plural}/${c}`;
        if (this.ownerOverride.has(key) || this.derivedHints.has(key) || heroes.has(key)) continue;
        const owner = this.parentIdOf(child, c);
        if (owner === heroId || heroes.has(`${parentPlural}/${owner}`)) continue;
        if (needSpare && this.childrenOf(parentPlural, owner, child.plural).length < 2) continue;
        this.ownerOverride.set(key, heroId);
        const addKey = `${parentPlural}/${heroId}/${child.plural}`;
        this.addedChildren.set(addKey, [...(this.addedChildren.get(addKey) ?? []), c]);
        return c;
      }
    }
    return undefined;
  }

  /** The entity, generated (or read from the cache when no per-call hints apply). */
  generate(plural: string, id: number, callHints?: Hints): Entity {
    const t = this.type(plural);
    const cacheKey = `${this.name}/${t.plural}/${id}`;
    const useCache = !callHints || Object.keys(callHints).length === 0;
    const cacheable = useCache && this.shared.has(t.plural);
    if (cacheable) {
      const text = this.options.cache.get(cacheKey);
      if (text !== undefined) return JSON.parse(text) as Entity;
    }
    const registered = this.hintsOf(t.plural, id);
    const hints = useCache ? (registered ?? NO_HINTS) : { ...registered, ...callHints };
    const rng = createRandom(this.options.seed, `${this.name}/${t.plural}/${id}`);
    const gen = new EntityGen(this, t, id, rng, hints);
    const entity = this.options.faker.with(rng, () => t.generate(gen));
    applyFieldHints(entity, hints, t);
    if (cacheable) this.options.cache.set(cacheKey, JSON.stringify(entity));
    return entity;
  }

  /** Shared derived values (ledgers, price series, visit times): bounded by count, cleared when hints change. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    if (this.memos.size > MEMO_ENTRIES) this.memos.delete(this.memos.keys().next().value as string);
    return value;
  }

  seedKey(): string {
    return this.options.seed;
  }

  currency(): string {
    return this.options.currency;
  }

  epoch(): number {
    return this.options.epoch;
  }

  fakerOf() {
    return this.options.faker.faker;
  }
}

/** What a generator sees (gen.ts): methods on a prototype, so an entity costs one small object, not a dozen closures. */
class EntityGen implements Gen {
  readonly industry: string;
  readonly key: string;
  readonly faker;
  readonly epoch: number;
  readonly currency: string;
  private parentCache = -1;

  constructor(
    private readonly world: World,
    readonly spec: TypeSpec,
    readonly id: number,
    readonly rng: Random,
    readonly hints: Hints,
  ) {
    this.industry = world.name;
    this.key = String(id);
    this.faker = world.fakerOf();
    this.epoch = world.epoch();
    this.currency = world.currency();
  }

  parentId(): number {
    if (this.parentCache < 0) this.parentCache = this.world.parentIdOf(this.spec, this.id);
    return this.parentCache;
  }

  parent(): Entity {
    return this.world.generate(this.spec.parent!.plural, this.parentId());
  }

  siblings(): { index: number; ids: number[] } {
    const ids = this.world.childrenOf(this.spec.parent!.plural, this.parentId(), this.spec.plural);
    return { index: ids.indexOf(this.id), ids };
  }

  children(plural: string): number[] {
    return this.world.childrenOf(this.spec.plural, this.id, plural);
  }

  childrenOf(parentPlural: string, parentId: number, childPlural: string): number[] {
    return this.world.childrenOf(parentPlural, parentId, childPlural);
  }

  get(plural: string, other: number): Entity {
    return this.world.generate(plural, other);
  }

  count(plural: string): number {
    return this.world.count(plural);
  }

  pick(plural: string): number {
    const n = this.world.count(plural);
    return n === 0 ? 0 : this.rng.int(1, n);
  }

  streamOf(plural: string, other: number, name: string): Random {
    return createRandom(this.world.seedKey(), `${this.world.name}/${plural}/${other}/${name}`);
  }

  hintsOf(plural: string, other: number): Hints {
    return this.world.hintsOf(plural, other) ?? NO_HINTS;
  }

  money(amount: number, currency?: string): Money {
    return { amount: Math.round(amount), currency: currency ?? this.currency };
  }

  memo<T>(key: string, compute: () => T): T {
    return this.world.memo(key, compute);
  }
}

/** Hint keys a type does not handle itself set top-level fields of the same name (never id or type). */
function applyFieldHints(entity: Entity, hints: Hints, t: TypeSpec): void {
  for (const key of Object.keys(hints)) {
    if (key === 'id' || key === 'type' || !(key in entity)) continue;
    if (t.hints.some((h) => h.key === key)) continue;
    entity[key] = hints[key];
  }
}
