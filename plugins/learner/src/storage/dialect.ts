// Which engine a `storage` setting means, and a Kysely instance over it: a postgres:// (or
// postgresql://) URL → PostgresDialect over a pg Pool; `:memory:` → an in-memory SQLite;
// anything else → a SQLite file relative to the config folder, opened in WAL mode with
// synchronous=NORMAL (a committed transaction survives the process being killed; only a
// power cut can lose the last commits, and a batch of learning is cheap to lose).
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import type { Tables } from './schema.js';

export type StorageKind = 'sqlite' | 'postgres';

export interface StorageTarget {
  kind: StorageKind;
  /** File path, `:memory:`, or the URL with its password hidden (safe to log and show). */
  location: string;
  /** PostgreSQL only: the connection string, secrets included (never shown). */
  url?: string;
  /** PostgreSQL only: the schema holding the tables (`search_path`). */
  schema?: string;
}

export const isPostgresUrl = (storage: string) => /^postgres(ql)?:\/\//i.test(storage);

/** The URL with any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** Parse the storage setting (throws a plain Error with the problem; the caller codes it). */
export function storageTarget(storage: string, baseDir: string, schema?: string): StorageTarget {
  if (isPostgresUrl(storage)) {
    let u: URL;
    try {
      u = new URL(storage);
    } catch {
      throw new Error('is not a valid URL');
    }
    if (!u.hostname && !u.searchParams.get('host')) throw new Error('names no host');
    return { kind: 'postgres', location: redactUrl(storage), url: storage, ...(schema && { schema }) };
  }
  if (storage === ':memory:') return { kind: 'sqlite', location: ':memory:' };
  return { kind: 'sqlite', location: resolve(baseDir, storage) };
}

export function openKysely(target: StorageTarget): Kysely<Tables> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 4,
      // A schema of its own: tests isolate themselves this way, deployments share a database.
      ...(target.schema && { options: `-c search_path=${target.schema}` }),
    });
    // An idle client's error (server restarted) must not crash the process; the next query reports it.
    pool.on('error', () => {});
    return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true });
  const db = new Database(target.location);
  if (target.location !== ':memory:') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: db }) });
}

/** PostgreSQL: create the configured schema before the pool's search_path points at it. */
export async function ensurePostgresSchema(target: StorageTarget): Promise<void> {
  if (target.kind !== 'postgres' || !target.schema) return;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
  } finally {
    await client.end();
  }
}
