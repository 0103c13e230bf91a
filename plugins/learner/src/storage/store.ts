// The one query layer over both engines: load everything at start, write a batch in one
// transaction (endpoints, templates, drift, resources, lifecycles together: a kill -9
// leaves the store at a batch boundary, never half a batch), settings one key at a time,
// reset. Writes are serialised through one chain, so a resource written after a flush is
// never overtaken by it on PostgreSQL's several pooled connections.
import type { Kysely } from 'kysely';
import type { DriftChange, EndpointModel } from '../model/types.js';
import { LearnerErrors } from '../errors.js';
import { ensurePostgresSchema, openKysely, storageTarget, type StorageKind, type StorageTarget } from './dialect.js';
import { migrate, type Tables } from './schema.js';

export interface ResourceRow {
  collection: string;
  id: string;
  body: string;
  updatedAt: number;
}

/** What a restart finds. */
export interface Snapshot {
  endpoints: EndpointModel[];
  templates: unknown | undefined;
  resources: ResourceRow[];
  lifecycles: Array<{ collection: string; data: unknown }>;
  settings: Record<string, unknown>;
  /** Oldest first, with their sequence numbers. */
  drift: Array<{ seq: number; change: DriftChange }>;
}

/** Everything one flush writes, in one transaction. */
export interface Batch {
  at: number;
  endpoints?: EndpointModel[];
  deleteEndpoints?: string[];
  /** Replaces the stored templates when set. */
  templates?: unknown;
  drift?: Array<{ seq: number; change: DriftChange }>;
  /** Drift rows with a lower seq are removed (bounded history). */
  pruneDriftBelow?: number;
  /** Upserts; `body: null` deletes. */
  resources?: Array<{ collection: string; id: string; body: string | null }>;
  /** Upserts; `data: null` deletes the lifecycle. */
  lifecycles?: Array<{ collection: string; data: unknown | null }>;
}

const CHUNK = 200; // rows per INSERT: far below SQLite's 32,766 and pg's 65,535 bound parameters

const chunks = <T>(items: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

export class LearnerStore {
  readonly kind: StorageKind;
  /** Where it lives, safe to show (a URL's password is hidden). */
  readonly location: string;
  private readonly target: StorageTarget;
  private db: Kysely<Tables> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(storage: string, baseDir: string, options: { schema?: string } = {}) {
    try {
      this.target = storageTarget(storage, baseDir, options.schema);
    } catch (err) {
      throw new LearnerErrors.STORAGE_CONFIG(storage.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@'), (err as Error).message);
    }
    this.kind = this.target.kind;
    this.location = this.target.location;
  }

  /** Connect and create missing tables. */
  async open(): Promise<void> {
    try {
      await ensurePostgresSchema(this.target);
      this.db = openKysely(this.target);
      await migrate(this.db);
    } catch (err) {
      await this.db?.destroy().catch(() => {});
      this.db = undefined;
      throw new LearnerErrors.STORAGE(`at ${this.location} (open)`, (err as Error).message);
    }
  }

  private get kysely(): Kysely<Tables> {
    if (!this.db || this.closed) throw new LearnerErrors.CLOSED();
    return this.db;
  }

  /** Run writes one after another; a failure rejects that write only. */
  private serial<T>(what: string, fn: (db: Kysely<Tables>) => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      const db = this.kysely;
      try {
        return await fn(db);
      } catch (err) {
        throw new LearnerErrors.STORAGE(`at ${this.location} (${what})`, (err as Error).message);
      }
    });
    this.chain = run.catch(() => {});
    return run;
  }

  async load(): Promise<Snapshot> {
    const db = this.kysely;
    const [endpoints, templates, resources, lifecycles, settings, drift] = await Promise.all([
      db.selectFrom('endpoints').select(['model']).orderBy('key').execute(),
      db.selectFrom('templates').select(['data']).where('name', '=', 'paths').executeTakeFirst(),
      db.selectFrom('resources').selectAll().orderBy('collection').orderBy('updated_at').execute(),
      db.selectFrom('lifecycles').selectAll().orderBy('collection').execute(),
      db.selectFrom('settings').selectAll().orderBy('key').execute(),
      db.selectFrom('drift').selectAll().orderBy('seq').execute(),
    ]);
    return {
      endpoints: endpoints.map((r) => JSON.parse(r.model) as EndpointModel),
      templates: templates ? JSON.parse(templates.data) : undefined,
      resources: resources.map((r) => ({ collection: r.collection, id: r.id, body: r.body, updatedAt: Number(r.updated_at) })),
      lifecycles: lifecycles.map((r) => ({ collection: r.collection, data: JSON.parse(r.data) })),
      settings: Object.fromEntries(settings.map((r) => [r.key, JSON.parse(r.value)])),
      drift: drift.map((r) => ({ seq: Number(r.seq), change: JSON.parse(r.change) as DriftChange })),
    };
  }

  /** Write a batch in one transaction: all of it, or (on any error) none of it. */
  write(batch: Batch): Promise<void> {
    return this.serial('write', (db) =>
      db.transaction().execute(async (trx) => {
        for (const rows of chunks(batch.endpoints ?? [])) {
          await trx
            .insertInto('endpoints')
            .values(rows.map((m) => ({ key: m.key, model: JSON.stringify(m), updated_at: batch.at })))
            .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ model: eb.ref('excluded.model'), updated_at: eb.ref('excluded.updated_at') })))
            .execute();
        }
        for (const keys of chunks(batch.deleteEndpoints ?? [])) await trx.deleteFrom('endpoints').where('key', 'in', keys).execute();
        if (batch.templates !== undefined) {
          await trx
            .insertInto('templates')
            .values({ name: 'paths', data: JSON.stringify(batch.templates) })
            .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
            .execute();
        }
        for (const rows of chunks(batch.drift ?? [])) {
          await trx
            .insertInto('drift')
            .values(rows.map((d) => ({ seq: d.seq, change: JSON.stringify(d.change) })))
            .onConflict((oc) => oc.column('seq').doNothing())
            .execute();
        }
        if (batch.pruneDriftBelow !== undefined) await trx.deleteFrom('drift').where('seq', '<', batch.pruneDriftBelow).execute();
        for (const l of batch.lifecycles ?? []) {
          if (l.data === null) {
            await trx.deleteFrom('lifecycles').where('collection', '=', l.collection).execute();
          } else {
            await trx
              .insertInto('lifecycles')
              .values({ collection: l.collection, data: JSON.stringify(l.data) })
              .onConflict((oc) => oc.column('collection').doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })))
              .execute();
          }
        }
        for (const r of batch.resources ?? []) {
          if (r.body === null) {
            await trx.deleteFrom('resources').where('collection', '=', r.collection).where('id', '=', r.id).execute();
          } else {
            await trx
              .insertInto('resources')
              .values({ collection: r.collection, id: r.id, body: r.body, updated_at: batch.at })
              .onConflict((oc) => oc.columns(['collection', 'id']).doUpdateSet((eb) => ({ body: eb.ref('excluded.body'), updated_at: eb.ref('excluded.updated_at') })))
              .execute();
          }
        }
      }),
    );
  }

  setSetting(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    return this.serial('settings', async (db) => {
      await db
        .insertInto('settings')
        .values({ key, value: text })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    });
  }

  deleteSetting(key: string): Promise<boolean> {
    return this.serial('settings', async (db) => {
      const r = await db.deleteFrom('settings').where('key', '=', key).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Forget what was learned (endpoints, templates, drift, resources, lifecycles); settings stay. */
  reset(): Promise<void> {
    return this.serial('reset', (db) =>
      db.transaction().execute(async (trx) => {
        for (const table of ['endpoints', 'templates', 'drift', 'resources', 'lifecycles'] as const) await trx.deleteFrom(table).execute();
      }),
    );
  }

  /** Wait for queued writes, then close (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.chain;
    this.closed = true;
    await this.db?.destroy();
  }
}
