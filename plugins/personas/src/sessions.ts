// The `sessions` service: each demo session is a layer over the generated data set — the
// entities it patched (whole records as they now are), created and deleted — kept in memory
// for reads and written to SQLite (store.ts) before any change is applied, so a change is
// validated, stored and applied whole, or refused with nothing changed. Sessions are bounded
// by count, and each by entities and bytes, and all together by bytes; a refusal is a
// coded 409 that names the setting, and is counted.
//
// A patched entity is stored whole rather than as the list of patches on top of the
// generated one: merge patches do not compose (a later `{ a: {…} }` after `{ a: null }`
// means "replace", which a merged patch cannot say), and a whole record reads in O(1).
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { Entity, EntityChangeKind, SessionEntity, SessionInfo, Sessions, SessionState } from './contract.js';
import type { PersonasConfig } from './config.js';
import { PersonasErrors } from './errors.js';
import type { EntityTypeInfo, IndustryData, SafetyProblem } from './industry-types.js';
import { applyMergePatch, isPlainObject } from './merge-patch.js';
import { canonicalForm, ENTITY_ID, entityKey, SESSION_NAME, typeKey } from './names.js';
import type { SessionStore, StoredEntity, StoredSession } from './store.js';
import { nearest } from './suggest.js';

/** Fixed allowance per stored entity on top of its record's JSON length (keys, row). */
const ENTITY_OVERHEAD = 64;

interface SessionData extends StoredSession {
  /** By type key (`finance/customers`), then canonical id. */
  byType: Map<string, Map<string, StoredEntity>>;
  entities: number;
  bytes: number;
}

const sizeOf = (e: StoredEntity) => ENTITY_OVERHEAD + (e.record === undefined ? 0 : JSON.stringify(e.record).length);
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export interface SessionsOptions {
  data: IndustryData;
  store: SessionStore;
  clock: Clock;
  events: PluginEvents;
  limits: PersonasConfig['sessions'];
  /** The validator's problems a written record must not have ([] = every problem is accepted). */
  writeProblems: (industry: string, plural: string, record: Entity) => SafetyProblem[];
}

export interface SessionStats {
  sessions: number;
  entities: number;
  bytes: number;
  limits: { max: number; maxEntities: number; maxBytes: number; maxTotalBytes: number };
  /** Changes refused because a bound was reached, since start. */
  refused: { sessions: number; entities: number; bytes: number };
}

export class SessionService implements Sessions {
  private readonly sessions = new Map<string, SessionData>();
  private seq = 0;
  private totalBytes = 0;
  private readonly refused = { sessions: 0, entities: 0, bytes: 0 };

  constructor(private readonly o: SessionsOptions) {
    const { sessions, entities } = o.store.load();
    for (const s of sessions) this.sessions.set(s.name, { ...s, byType: new Map(), entities: 0, bytes: 0 });
    for (const e of entities) {
      const s = this.sessions.get(e.session);
      if (!s) continue; // rows of a session deleted by an older version: ignored
      this.put(s, e);
      this.seq = Math.max(this.seq, e.seq);
    }
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────

  list(): SessionInfo[] {
    return [...this.sessions.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => this.infoOf(s));
  }

  info(name: string): SessionInfo | undefined {
    const s = this.sessions.get(name);
    return s && this.infoOf(s);
  }

  has(name: string): boolean {
    return this.sessions.has(name);
  }

  stats(): SessionStats {
    const { max, maxEntities, maxBytes, maxTotalBytes } = this.o.limits;
    let entities = 0;
    for (const s of this.sessions.values()) entities += s.entities;
    return { sessions: this.sessions.size, entities, bytes: this.totalBytes, limits: { max, maxEntities, maxBytes, maxTotalBytes }, refused: { ...this.refused } };
  }

  get(session: string, industry: string, plural: string, id: string): Entity | undefined {
    const info = this.o.data.type(industry, plural);
    const found = this.view(session, industry, info, id);
    return found && copy(found);
  }

  /** The entity as a session sees it (not a copy: callers must not change it). */
  view(session: string, industry: string, info: EntityTypeInfo, id: string): Entity | undefined {
    const cid = this.canonical(industry, info, id);
    const held = this.sessions.get(session)?.byType.get(typeKey(industry, info.plural))?.get(cid);
    if (held) return held.record;
    return this.o.data.get(industry, info.plural, cid);
  }

  /** What a session holds of one type (undefined when nothing), by canonical id. */
  held(session: string, industry: string, plural: string): ReadonlyMap<string, StoredEntity> | undefined {
    const held = this.sessions.get(session)?.byType.get(typeKey(industry, plural));
    return held && held.size ? held : undefined;
  }

  /** The canonical id of any accepted spelling (the data set's rule, also for created ids). */
  canonical(industry: string, info: EntityTypeInfo, id: string): string {
    return this.o.data.canonicalId(industry, info.plural, id) ?? canonicalForm(id, info.idPrefix);
  }

  snapshot(session: string): SessionState {
    const s = this.sessions.get(session);
    if (!s) return { entities: [] };
    const all: StoredEntity[] = [];
    for (const m of s.byType.values()) all.push(...m.values());
    return { entities: all.sort((a, b) => a.seq - b.seq).map((e) => copy(this.entityView(e))) };
  }

  entityView(e: StoredEntity): SessionEntity {
    return { industry: e.industry, plural: e.plural, id: e.id, kind: e.kind, ...(e.record !== undefined && { record: e.record }), updatedAt: e.updatedAt };
  }

  // ── session lifecycle ────────────────────────────────────────────────────────────────

  create(name: string): SessionInfo {
    this.checkName(name);
    if (this.sessions.has(name)) throw new PersonasErrors.SESSION_EXISTS(name);
    const s = this.newSession(name);
    this.o.store.write((w) => w.putSession(s));
    this.sessions.set(name, s);
    this.o.events.emit('session.created', { session: name });
    return this.infoOf(s);
  }

  delete(name: string): void {
    const s = this.existing(name);
    this.o.store.write((w) => w.deleteSession(name));
    this.sessions.delete(name);
    this.totalBytes -= s.bytes;
    this.o.events.emit('session.deleted', { session: name });
  }

  reset(session: string, cause?: string): void {
    const s = this.existing(session);
    const updatedAt = this.o.clock.now();
    this.o.store.write((w) => {
      w.clearEntities(session);
      w.putSession({ ...s, updatedAt });
    });
    this.totalBytes -= s.bytes;
    Object.assign(s, { byType: new Map(), entities: 0, bytes: 0, updatedAt });
    this.o.events.emit('session.reset', { session, ...(cause !== undefined && { cause }) });
  }

  /** Throws unless the session exists (404 with the nearest names). */
  existing(name: string): SessionData {
    const s = this.sessions.get(name);
    if (!s) throw new PersonasErrors.SESSION_NOT_FOUND(name, nearest(name, [...this.sessions.keys()]));
    return s;
  }

  checkName(name: string): void {
    if (typeof name !== 'string' || !SESSION_NAME.test(name)) throw new PersonasErrors.BAD_SESSION_NAME(String(name));
  }

  // ── changes ──────────────────────────────────────────────────────────────────────────

  patch(session: string, industry: string, plural: string, id: string, changes: Record<string, unknown>, cause?: string): Entity {
    this.checkName(session);
    const info = this.o.data.type(industry, plural);
    const current = this.view(session, industry, info, id);
    if (!current) throw this.notFound(industry, info, id);
    if (!isPlainObject(changes)) throw new PersonasErrors.BAD_CHANGES('The changes are not a JSON object');
    for (const field of ['id', 'type'] as const) {
      if (field in changes && changes[field] !== current[field]) throw new PersonasErrors.BAD_CHANGES(`"${field}" cannot change (it is ${JSON.stringify(current[field])})`);
    }
    const next = { ...(applyMergePatch(current, changes) as Entity), id: current.id, type: current.type };
    const held = this.sessions.get(session)?.byType.get(typeKey(industry, info.plural))?.get(current.id);
    const kind: EntityChangeKind = held?.kind === 'created' ? 'created' : 'patched';
    this.commit(session, industry, info, current.id, kind, next, { changes: copy(changes), cause });
    return copy(next);
  }

  createEntity(session: string, industry: string, plural: string, record: Record<string, unknown>, cause?: string): Entity {
    this.checkName(session);
    const info = this.o.data.type(industry, plural);
    if (!isPlainObject(record)) throw new PersonasErrors.BAD_CHANGES('The record is not a JSON object');
    let id: string;
    if (record.id === undefined) id = this.nextId(session, industry, info);
    else {
      if (typeof record.id !== 'string' && !(Number.isInteger(record.id) && (record.id as number) > 0)) throw new PersonasErrors.BAD_ID(record.id);
      if (!ENTITY_ID.test(String(record.id))) throw new PersonasErrors.BAD_ID(record.id);
      id = this.canonical(industry, info, String(record.id));
      if (this.view(session, industry, info, id)) throw new PersonasErrors.ENTITY_EXISTS(`/${industry}/${info.plural}/${id}`);
    }
    const next = { ...copy(record), id, type: info.type } as Entity;
    // a generated id (deleted in this session) comes back as a patched one
    const kind: EntityChangeKind = this.o.data.get(industry, info.plural, id) ? 'patched' : 'created';
    this.commit(session, industry, info, id, kind, next, { changes: copy(next), cause });
    return copy(next);
  }

  deleteEntity(session: string, industry: string, plural: string, id: string, cause?: string): void {
    this.checkName(session);
    const info = this.o.data.type(industry, plural);
    const current = this.view(session, industry, info, id);
    if (!current) throw this.notFound(industry, info, id);
    const generated = this.o.data.get(industry, info.plural, current.id) !== undefined;
    this.commit(session, industry, info, current.id, generated ? 'deleted' : undefined, undefined, { changes: null, cause });
  }

  restore(session: string, state: SessionState): void {
    this.checkName(session);
    const entities = this.checkState(state);
    const existed = this.sessions.get(session);
    let bytes = 0;
    for (const e of entities) bytes += sizeOf({ ...e, session, seq: 0 });
    this.checkBounds(session, entities.length, bytes, existed?.bytes ?? 0);
    const base = existed ?? this.checkedNewSession(session);
    const updatedAt = this.o.clock.now();
    const firstSeq = this.seq + 1;
    const rows: StoredEntity[] = entities.map((e, i) => ({ ...e, session, seq: firstSeq + i }));
    this.o.store.write((w) => {
      w.putSession({ ...base, updatedAt });
      w.clearEntities(session);
      for (const row of rows) w.putEntity(row);
    });
    this.seq += rows.length;
    this.totalBytes -= existed?.bytes ?? 0;
    const s: SessionData = { name: session, createdAt: base.createdAt, updatedAt, byType: new Map(), entities: 0, bytes: 0 };
    for (const row of rows) this.put(s, row);
    this.sessions.set(session, s);
    if (!existed) this.o.events.emit('session.created', { session });
    this.o.events.emit('session.restored', { session, entities: rows.length });
  }

  // ── internals ────────────────────────────────────────────────────────────────────────

  private notFound(industry: string, info: EntityTypeInfo, id: string) {
    return new PersonasErrors.ENTITY_NOT_FOUND(`/${industry}/${info.plural}/${id}`, `ids run from 1 to ${info.count}`, []);
  }

  /** The next id after the data set's and every id this session created of that type. */
  private nextId(session: string, industry: string, info: EntityTypeInfo): string {
    let top = info.count;
    for (const id of this.sessions.get(session)?.byType.get(typeKey(industry, info.plural))?.keys() ?? []) {
      if (/^\d+$/.test(id)) top = Math.max(top, Number(id));
    }
    return String(top + 1);
  }

  /**
   * Validate, bound, store, then apply one entity's change (kind undefined: the session
   * forgets the entity, as for a created one that is deleted), then announce it.
   */
  private commit(
    session: string,
    industry: string,
    info: EntityTypeInfo,
    id: string,
    kind: EntityChangeKind | undefined,
    record: Entity | undefined,
    what: { changes: Record<string, unknown> | null; cause?: string },
  ): void {
    if (record) {
      const problems = this.o.writeProblems(industry, info.plural, record);
      if (problems.length) throw new PersonasErrors.UNSAFE_RECORD(`/${industry}/${info.plural}/${id}`, problems);
    }
    const existed = this.sessions.get(session);
    const before = existed?.byType.get(typeKey(industry, info.plural))?.get(id);
    const updatedAt = this.o.clock.now();
    const row: StoredEntity | undefined = kind && { session, industry, plural: info.plural, id, kind, ...(record && { record }), updatedAt, seq: before?.seq ?? this.seq + 1 };
    const entities = (existed?.entities ?? 0) - (before ? 1 : 0) + (row ? 1 : 0);
    const bytes = (existed?.bytes ?? 0) - (before ? sizeOf(before) : 0) + (row ? sizeOf(row) : 0);
    this.checkBounds(session, entities, bytes, existed?.bytes ?? 0);
    const s = existed ?? this.checkedNewSession(session);
    this.o.store.write((w) => {
      w.putSession({ ...s, updatedAt });
      if (row) w.putEntity(row);
      else w.deleteEntity(session, industry, info.plural, id);
    });
    if (row && !before) this.seq = row.seq;
    if (!existed) this.sessions.set(session, s);
    s.updatedAt = updatedAt;
    if (before) this.drop(s, before);
    if (row) this.put(s, row);
    if (!existed) this.o.events.emit('session.created', { session });
    this.o.events.emit('session.entityChanged', {
      session,
      industry,
      plural: info.plural,
      id,
      kind: kind ?? 'deleted',
      changes: what.changes,
      ...(what.cause !== undefined && { cause: what.cause }),
    });
  }

  private checkBounds(session: string, entities: number, bytes: number, bytesBefore: number): void {
    const { maxEntities, maxBytes, maxTotalBytes } = this.o.limits;
    if (entities > maxEntities) {
      this.refused.entities++;
      throw new PersonasErrors.SESSION_FULL(session, `${entities} entities`, 'maxEntities', maxEntities);
    }
    if (bytes > maxBytes) {
      this.refused.bytes++;
      throw new PersonasErrors.SESSION_FULL(session, `${bytes} bytes`, 'maxBytes', maxBytes);
    }
    const total = this.totalBytes - bytesBefore + bytes;
    if (bytes > bytesBefore && total > maxTotalBytes) {
      this.refused.bytes++;
      throw new PersonasErrors.SESSION_FULL(session, `${total} bytes in all sessions`, 'maxTotalBytes', maxTotalBytes);
    }
  }

  private newSession(name: string): SessionData {
    const now = this.o.clock.now();
    return { name, createdAt: now, updatedAt: now, byType: new Map(), entities: 0, bytes: 0 };
  }

  /** A new session for a write that names an unknown one, within the session limit. */
  private checkedNewSession(name: string): SessionData {
    if (this.sessions.size >= this.o.limits.max) {
      this.refused.sessions++;
      throw new PersonasErrors.SESSION_LIMIT(name, this.o.limits.max);
    }
    return this.newSession(name);
  }

  private put(s: SessionData, e: StoredEntity): void {
    const key = typeKey(e.industry, e.plural);
    let m = s.byType.get(key);
    if (!m) s.byType.set(key, (m = new Map()));
    m.set(e.id, e);
    const size = sizeOf(e);
    s.entities++;
    s.bytes += size;
    this.totalBytes += size;
  }

  private drop(s: SessionData, e: StoredEntity): void {
    s.byType.get(typeKey(e.industry, e.plural))?.delete(e.id);
    const size = sizeOf(e);
    s.entities--;
    s.bytes -= size;
    this.totalBytes -= size;
  }

  private infoOf(s: SessionData): SessionInfo {
    let patched = 0;
    let created = 0;
    let deleted = 0;
    for (const m of s.byType.values()) {
      for (const e of m.values()) {
        if (e.kind === 'patched') patched++;
        else if (e.kind === 'created') created++;
        else deleted++;
      }
    }
    return { name: s.name, createdAt: s.createdAt, updatedAt: s.updatedAt, patched, created, deleted, bytes: s.bytes };
  }

  /** A state to restore, checked whole: every problem with its path (400), nothing changed. */
  private checkState(state: unknown): Array<Omit<StoredEntity, 'session' | 'seq'>> {
    const problems: string[] = [];
    const out: Array<Omit<StoredEntity, 'session' | 'seq'>> = [];
    if (!isPlainObject(state) || !Array.isArray(state.entities)) throw new PersonasErrors.BAD_SNAPSHOT(['entities: must be an array']);
    const seen = new Set<string>();
    state.entities.forEach((raw: unknown, i: number) => {
      const at = `entities[${i}]`;
      if (!isPlainObject(raw)) return void problems.push(`${at}: must be an object`);
      const { industry, plural, id, kind, record } = raw;
      if (typeof industry !== 'string' || typeof plural !== 'string' || typeof id !== 'string') {
        return void problems.push(`${at}: needs "industry", "plural" and "id" (strings)`);
      }
      let info: EntityTypeInfo;
      try {
        info = this.o.data.type(industry, plural);
      } catch (err) {
        return void problems.push(`${at}: ${(err as Error).message}`);
      }
      if (!ENTITY_ID.test(id)) return void problems.push(`${at}.id: ${JSON.stringify(id)} is not a valid id`);
      const cid = this.canonical(industry, info, id);
      const key = entityKey(industry, info.plural, cid);
      if (seen.has(key)) return void problems.push(`${at}: ${key} is listed twice`);
      seen.add(key);
      if (kind !== 'patched' && kind !== 'created' && kind !== 'deleted') return void problems.push(`${at}.kind: must be "patched", "created" or "deleted"`);
      const generated = this.o.data.get(industry, info.plural, cid) !== undefined;
      if (kind !== 'created' && !generated) return void problems.push(`${at}: ${key} is not in the data set, so it can only be "created"`);
      if (kind === 'created' && generated) return void problems.push(`${at}: ${key} is in the data set, so it can be "patched" or "deleted", not "created"`);
      if (kind === 'deleted') {
        if (record !== undefined) return void problems.push(`${at}.record: a deleted entity has no record`);
        return void out.push({ industry, plural: info.plural, id: cid, kind, updatedAt: this.numberOr(raw.updatedAt) });
      }
      if (!isPlainObject(record)) return void problems.push(`${at}.record: must be an object`);
      const entity = { ...copy(record), id: cid, type: info.type } as Entity;
      for (const p of this.o.writeProblems(industry, info.plural, entity)) problems.push(`${at}.record.${p.path}: ${p.message} (${p.rule})`);
      out.push({ industry, plural: info.plural, id: cid, kind, record: entity, updatedAt: this.numberOr(raw.updatedAt) });
    });
    if (problems.length) throw new PersonasErrors.BAD_SNAPSHOT(problems);
    return out;
  }

  private numberOr(v: unknown): number {
    return typeof v === 'number' && Number.isFinite(v) ? v : this.o.clock.now();
  }
}
