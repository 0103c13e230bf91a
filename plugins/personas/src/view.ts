// The data set as one session sees it: generated entities (industry-data) with the
// session's patched ones in their place, its deleted ones gone and its created ones after
// them, in creation order. Lists without filters, sorting or session changes of that type
// read just the page from industry-data (a page of 100 costs 100 entities, not the data
// set); the others walk the data set in chunks, so the rules of query.ts apply alike to
// generated and changed entities. Relations follow industry-data's `RelationInfo`: `many`
// children carry the parent's id in `via`, a `one` parent is named by this entity's `via`.
import type { Entity } from './contract.js';
import type { EntityTypeInfo, IndustryData, RelationInfo } from './industry-types.js';
import { PersonasErrors } from './errors.js';
import { canonicalForm, typeKey } from './names.js';
import { matches, sortEntities, type ListParams } from './query.js';
import type { SessionService } from './sessions.js';

export interface Page {
  items: Entity[];
  total: number;
}

export class DataView {
  private readonly fieldsByType = new Map<string, Set<string>>();

  constructor(
    private readonly data: IndustryData,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Top-level fields of a type (for "no field" and "did you mean"): the documented ones,
   * those of the data set's first 50 entities (some fields exist on some entities only:
   * a business customer's companyName), and those of the session's own records of it.
   */
  fields(session: string, industry: string, info: EntityTypeInfo): Set<string> {
    const key = typeKey(industry, info.plural);
    let fields = this.fieldsByType.get(key);
    if (!fields) {
      fields = new Set(['id', 'type', ...info.fields.map((f) => f.name.split(/[.[]/)[0])]);
      for (const e of this.data.list(industry, info.plural, { offset: 0, limit: Math.min(50, info.count) }).items) for (const k of Object.keys(e)) fields.add(k);
      this.fieldsByType.set(key, fields);
    }
    const held = this.sessions.held(session, industry, info.plural);
    if (!held) return fields;
    const mine = new Set(fields);
    for (const h of held.values()) for (const k of Object.keys(h.record ?? {})) mine.add(k);
    return mine;
  }

  /** Every entity of a type as the session sees it, read `chunk` at a time. */
  *all(session: string, industry: string, info: EntityTypeInfo, chunk: number): Generator<Entity> {
    const held = this.sessions.held(session, industry, info.plural);
    for (let offset = 0; ; offset += chunk) {
      const { items, total } = this.data.list(industry, info.plural, { offset, limit: chunk });
      for (const item of items) {
        const h = held?.get(item.id);
        if (!h) yield item;
        else if (h.record) yield h.record;
      }
      if (items.length === 0 || offset + items.length >= total) break;
    }
    if (held) for (const h of held.values()) if (h.kind === 'created' && h.record) yield h.record;
  }

  /** How many entities of a type the session sees. */
  count(session: string, industry: string, info: EntityTypeInfo): number {
    let n = info.count;
    for (const h of this.sessions.held(session, industry, info.plural)?.values() ?? []) {
      if (h.kind === 'created') n++;
      else if (h.kind === 'deleted') n--;
    }
    return n;
  }

  /**
   * One page of a type, filtered and sorted. Without filters and sorting, and with no
   * deletion of that type in the session, the page is read from industry-data alone (the
   * session's patched entities replace theirs, its created ones follow the data set's);
   * anything else scans the type, at most `maxScan` entities (400 beyond).
   */
  list(session: string, industry: string, info: EntityTypeInfo, p: ListParams, bounds: { chunk: number; maxScan: number }): Page {
    const offset = (p.page - 1) * p.pageSize;
    const held = this.sessions.held(session, industry, info.plural);
    const plain = !p.filters.length && !p.sort.length;
    if (plain && !held) return this.data.list(industry, info.plural, { offset, limit: p.pageSize });
    const kinds = held ? [...held.values()] : [];
    if (plain && !kinds.some((h) => h.kind === 'deleted')) {
      const created = kinds.filter((h) => h.kind === 'created').map((h) => h.record!);
      const generated = offset < info.count ? this.data.list(industry, info.plural, { offset, limit: Math.min(p.pageSize, info.count - offset) }) : { items: [], total: info.count };
      const items = generated.items.map((e) => held!.get(e.id)?.record ?? e);
      const from = Math.max(0, offset - generated.total);
      items.push(...created.slice(from, from + p.pageSize - items.length));
      return { items, total: generated.total + created.length };
    }
    if (info.count > bounds.maxScan) {
      throw new PersonasErrors.BAD_QUERY([
        `${industry}/${info.plural} has ${info.count} entities, more than plugins.personas.maxScan (${bounds.maxScan}) a filtered, sorted or (in a session with deletions) paged list may read; ` +
          'page without filters and sorting, use a relation (/<industry>/<plural>/<id>/<relation>), or raise the setting',
      ]);
    }
    return this.page([...this.all(session, industry, info, bounds.chunk)], p);
  }

  /** Filter, sort and cut a list. */
  page(items: Entity[], p: ListParams): Page {
    const kept = p.filters.length ? items.filter((e) => matches(e, p.filters)) : items;
    const sorted = sortEntities(kept, p.sort);
    const offset = (p.page - 1) * p.pageSize;
    return { items: sorted.slice(offset, offset + p.pageSize), total: sorted.length };
  }

  /** A `many` relation's entities as the session sees them (a created parent has only created children). */
  children(session: string, industry: string, parentInfo: EntityTypeInfo, parent: Entity, relation: RelationInfo): Entity[] {
    const childInfo = this.data.type(industry, relation.type);
    const held = this.sessions.held(session, industry, childInfo.plural);
    const pointsHere = (e: Entity) => e[relation.via] !== undefined && canonicalForm(String(e[relation.via]), parentInfo.idPrefix) === parent.id;
    const generatedParent = this.data.get(industry, parentInfo.plural, parent.id) !== undefined;
    const out: Entity[] = [];
    const seen = new Set<string>();
    for (const child of generatedParent ? this.data.related(industry, parentInfo.plural, parent.id, relation.name) : []) {
      seen.add(child.id);
      const h = held?.get(child.id);
      if (!h) out.push(child);
      else if (h.record && pointsHere(h.record)) out.push(h.record);
    }
    for (const h of held?.values() ?? []) {
      if (h.record && !seen.has(h.id) && pointsHere(h.record)) out.push(h.record);
    }
    return out;
  }

  /** A `one` relation's entity as the session sees it, or undefined. */
  parent(session: string, industry: string, entity: Entity, relation: RelationInfo): Entity | undefined {
    const ref = entity[relation.via];
    if (ref === undefined || ref === null) return undefined;
    return this.sessions.view(session, industry, this.data.type(industry, relation.type), String(ref));
  }
}
