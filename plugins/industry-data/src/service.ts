// The `industryData` service: the known industries (built-in and custom), their data sets,
// lists with filtering, sorting and pagination, relations, hero hints and the safety
// validator — the contract in contract.ts, over one World per industry.
import type { Entity, EntityTypeInfo, Hints, IndustryData, IndustryInfo, ListQuery, ListResult, SafetyProblem } from './contract.js';
import { EntityCache, type CacheStats } from './core/cache.js';
import { StreamFaker } from './core/faker.js';
import { comparator, matches } from './core/query.js';
import type { IndustrySpec } from './core/spec.js';
import { World } from './core/world.js';
import { IndustryErrors } from './errors.js';
import { validateRecord } from './safety/validator.js';

export interface ServiceOptions {
  seed: string;
  epoch: string;
  industries: IndustrySpec[];
  counts: Record<string, Record<string, number>>;
  currency: Record<string, string>;
  cache: { maxEntries: number; maxBytes: number };
  maxPageSize: number;
  maxScan: number;
}

export class IndustryDataService implements IndustryData {
  readonly seed: string;
  readonly epoch: string;
  private readonly worlds = new Map<string, World>();
  private readonly cache: EntityCache;
  private readonly maxPageSize: number;
  private readonly maxScan: number;

  constructor(options: ServiceOptions) {
    this.seed = options.seed;
    this.epoch = new Date(Date.parse(options.epoch)).toISOString();
    this.cache = new EntityCache(options.cache.maxEntries, options.cache.maxBytes);
    this.maxPageSize = options.maxPageSize;
    this.maxScan = options.maxScan;
    const faker = new StreamFaker();
    for (const spec of options.industries) {
      this.worlds.set(
        spec.name,
        new World(spec, {
          seed: options.seed,
          epoch: Date.parse(options.epoch),
          currency: options.currency[spec.name] ?? 'USD',
          counts: options.counts[spec.name] ?? {},
          cache: this.cache,
          faker,
        }),
      );
    }
  }

  private world(industry: string): World {
    const w = this.worlds.get(industry);
    if (!w) throw new IndustryErrors.UNKNOWN_INDUSTRY(industry, this.industries());
    return w;
  }

  industries(): string[] {
    return [...this.worlds.keys()];
  }

  describe(industry: string): IndustryInfo {
    const w = this.world(industry);
    return { name: w.name, description: w.spec.description, source: w.spec.source, types: w.pluralNames() };
  }

  types(industry: string): EntityTypeInfo[] {
    const w = this.world(industry);
    return w.spec.types.map((t) => w.info(t));
  }

  type(industry: string, plural: string): EntityTypeInfo {
    const w = this.world(industry);
    return w.info(w.type(plural));
  }

  canonicalId(industry: string, plural: string, id: string): string | undefined {
    const n = this.world(industry).idOf(plural, id);
    return n ? String(n) : undefined;
  }

  get(industry: string, plural: string, id: string, hints?: Hints): Entity | undefined {
    const w = this.world(industry);
    const t = w.type(plural);
    const n = w.idOf(t.plural, id);
    if (!n) return undefined;
    return w.generate(t.plural, n, this.callHints(w, t.plural, n, hints));
  }

  /**
   * Hints given with a call for an entity nobody registered hints for are registered, so the
   * relations they shape (her mortgage) are the same from every endpoint afterwards; hints that
   * differ from registered ones apply to that call's fields only.
   */
  private callHints(w: World, plural: string, n: number, hints: Hints | undefined): Hints | undefined {
    if (!hints || Object.keys(hints).length === 0) return undefined;
    if (!w.hasRegistered(plural, n)) {
      w.registerHints(plural, n, hints);
      return undefined;
    }
    const registered = w.hintsOf(plural, n);
    return JSON.stringify(registered) === JSON.stringify({ ...registered, ...hints }) ? undefined : hints;
  }

  list(industry: string, plural: string, q: ListQuery, hintsFor?: (id: string) => Hints | undefined): ListResult {
    const w = this.world(industry);
    const t = w.type(plural);
    const count = w.count(t.plural);
    const problems: string[] = [];
    if (!Number.isInteger(q.offset) || q.offset < 0) problems.push(`offset: must be an integer ≥ 0 (got ${q.offset})`);
    if (!Number.isInteger(q.limit) || q.limit < 0 || q.limit > this.maxPageSize) problems.push(`limit: must be an integer from 0 to ${this.maxPageSize} (got ${q.limit}); set plugins.industry-data.maxPageSize for larger pages`);
    const filter = q.filter && Object.keys(q.filter).length ? q.filter : undefined;
    const sort = q.sort?.filter((s) => s.replace(/^[-+]/, '') !== '') ?? [];
    if ((filter || sort.length) && count > this.maxScan) problems.push(`filter/sort: ${industry}/${t.plural} has ${count} entities, more than maxScan (${this.maxScan}); page without them or raise plugins.industry-data.maxScan`);
    if (problems.length) throw new IndustryErrors.INVALID_QUERY(problems);
    const entity = (n: number) => w.generate(t.plural, n, this.callHints(w, t.plural, n, hintsFor?.(String(n))));
    if (!filter && !sort.length) {
      const items: Entity[] = [];
      for (let n = q.offset + 1; n <= Math.min(count, q.offset + q.limit); n++) items.push(entity(n));
      return { items, total: count };
    }
    let all: Entity[] = [];
    for (let n = 1; n <= count; n++) {
      const e = entity(n);
      if (!filter || matches(e, filter)) all.push(e);
    }
    if (sort.length) all = all.sort(comparator(sort));
    return { items: all.slice(q.offset, q.offset + q.limit), total: all.length };
  }

  related(industry: string, plural: string, id: string, relation: string, hints?: Hints): Entity[] {
    const w = this.world(industry);
    const t = w.type(plural);
    const rels = w.relations(t);
    const rel = rels.find((r) => r.name === relation) ?? rels.find((r) => r.type === relation);
    if (!rel) throw new IndustryErrors.UNKNOWN_RELATION(industry, t.plural, relation, rels.map((r) => r.name));
    const n = w.idOf(t.plural, id);
    if (!n) return [];
    if (rel.kind === 'many') {
      if (hints) this.callHints(w, t.plural, n, hints);
      return w.childrenOf(t.plural, n, rel.type).map((c) => w.generate(rel.type, c));
    }
    const self = w.generate(t.plural, n, this.callHints(w, t.plural, n, hints));
    const target = self[rel.via];
    const targetId = typeof target === 'string' || typeof target === 'number' ? w.idOf(rel.type, String(target)) : 0;
    return targetId ? [w.generate(rel.type, targetId)] : [];
  }

  validate(industry: string, plural: string, record: Entity): SafetyProblem[] {
    const w = this.world(industry);
    const t = w.type(plural);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new IndustryErrors.INVALID_RECORD('it is not a JSON object');
    return validateRecord(t, record);
  }

  registerHints(industry: string, plural: string, id: string, hints: Hints): void {
    const w = this.world(industry);
    const t = w.type(plural);
    const n = w.idOf(t.plural, id);
    if (!n) throw new IndustryErrors.ENTITY_NOT_FOUND(industry, t.plural, id, w.count(t.plural), t.idPrefix);
    w.registerHints(t.plural, n, hints);
  }

  hintsOf(industry: string, plural: string, id: string): Hints | undefined {
    const w = this.world(industry);
    const t = w.type(plural);
    const n = w.idOf(t.plural, id);
    return n ? w.hintsOf(t.plural, n) : undefined;
  }

  cacheStats(): CacheStats {
    return this.cache.stats();
  }
}
