// Where sessions survive a restart: two SQLite tables (better-sqlite3), one row per session
// and one per entity a session holds a version of (the record as JSON). Every change is
// written in one transaction before it is applied in memory (the disk is the part that can
// fail), so a change holds whole or leaves nothing; there is no batching, because changes
// are admin edits, REST writes and scenario steps — a few per second, not thousands.
// Tables are prefixed `personas_` so the file may be shared with other plugins.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Entity, EntityChangeKind } from './contract.js';
import { PersonasErrors } from './errors.js';

export interface StoredSession {
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredEntity {
  session: string;
  industry: string;
  plural: string;
  id: string;
  kind: EntityChangeKind;
  record?: Entity;
  updatedAt: number;
  /** Order of first change within the store (created entities are listed in this order). */
  seq: number;
}

interface EntityRow {
  session: string;
  industry: string;
  plural: string;
  id: string;
  kind: EntityChangeKind;
  record: string | null;
  updated_at: number;
  seq: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS personas_sessions (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS personas_entities (
  session TEXT NOT NULL,
  industry TEXT NOT NULL,
  plural TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  record TEXT,
  updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (session, industry, plural, id)
);`;

/** The statements one transaction may run. */
export interface StoreWriter {
  putSession(s: StoredSession): void;
  deleteSession(name: string): void;
  putEntity(e: StoredEntity): void;
  deleteEntity(session: string, industry: string, plural: string, id: string): void;
  clearEntities(session: string): void;
}

export class SessionStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly writer: StoreWriter;
  private closed = false;

  /** `file` relative to `baseDir`, or `:memory:`. */
  constructor(file: string, baseDir: string) {
    const memory = file === ':memory:';
    this.location = memory ? ':memory:' : resolve(baseDir, file);
    try {
      if (!memory) mkdirSync(dirname(this.location), { recursive: true });
      this.db = new Database(this.location);
      if (!memory) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
      }
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new PersonasErrors.STORAGE(this.location, (err as Error).message);
    }
    const putSession = this.db.prepare(
      'INSERT INTO personas_sessions (name, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at',
    );
    const deleteSession = this.db.prepare('DELETE FROM personas_sessions WHERE name = ?');
    const putEntity = this.db.prepare(
      `INSERT INTO personas_entities (session, industry, plural, id, kind, record, updated_at, seq) VALUES (@session, @industry, @plural, @id, @kind, @record, @updated_at, @seq)
       ON CONFLICT(session, industry, plural, id) DO UPDATE SET kind = excluded.kind, record = excluded.record, updated_at = excluded.updated_at`,
    );
    const deleteEntity = this.db.prepare('DELETE FROM personas_entities WHERE session = ? AND industry = ? AND plural = ? AND id = ?');
    const clearEntities = this.db.prepare('DELETE FROM personas_entities WHERE session = ?');
    this.writer = {
      putSession: (s) => putSession.run(s.name, s.createdAt, s.updatedAt),
      deleteSession: (name) => {
        clearEntities.run(name);
        deleteSession.run(name);
      },
      putEntity: (e) =>
        putEntity.run({
          session: e.session,
          industry: e.industry,
          plural: e.plural,
          id: e.id,
          kind: e.kind,
          record: e.record === undefined ? null : JSON.stringify(e.record),
          updated_at: e.updatedAt,
          seq: e.seq,
        }),
      deleteEntity: (session, industry, plural, id) => deleteEntity.run(session, industry, plural, id),
      clearEntities: (session) => clearEntities.run(session),
    };
  }

  /** Every stored session and entity (entities in the order they were first changed). */
  load(): { sessions: StoredSession[]; entities: StoredEntity[] } {
    const sessions = (this.db.prepare('SELECT name, created_at, updated_at FROM personas_sessions ORDER BY name').all() as Array<{ name: string; created_at: number; updated_at: number }>).map(
      (r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }),
    );
    const entities = (this.db.prepare('SELECT * FROM personas_entities ORDER BY seq').all() as EntityRow[]).map((r) => ({
      session: r.session,
      industry: r.industry,
      plural: r.plural,
      id: r.id,
      kind: r.kind,
      ...(r.record !== null && { record: JSON.parse(r.record) as Entity }),
      updatedAt: r.updated_at,
      seq: r.seq,
    }));
    return { sessions, entities };
  }

  /** Run `fn` in one transaction: all of its writes hold, or none (US_PERSONAS_STORAGE_WRITE). */
  write(fn: (w: StoreWriter) => void): void {
    if (this.closed) throw new PersonasErrors.STORAGE_WRITE(this.location, 'the storage is closed (the plugin stopped)');
    try {
      this.db.transaction(() => fn(this.writer))();
    } catch (err) {
      throw new PersonasErrors.STORAGE_WRITE(this.location, (err as Error).message);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
