// The learner's tables, one schema for SQLite and PostgreSQL (created through Kysely's
// schema builder, so the DDL is the dialect's own). Models, templates and resources are
// JSON text rather than jsonb: the learner reads and writes them whole, never queries
// inside them, and TEXT is the one JSON column type both engines share. Times are
// `double precision` because pg returns int8 as a string but float8 as a number.
import { sql, type Kysely } from 'kysely';

export interface Tables {
  /** One row per endpoint (`GET /users/{userId}`): the EndpointModel as JSON. */
  endpoints: { key: string; model: string; updated_at: number };
  /** Learned path templates (PathTemplates.toJSON()), one row named `paths`. */
  templates: { name: string; data: string };
  /** Stateful mock resources: one row per (collection, id), the body as sent back. */
  resources: { collection: string; id: string; body: string; updated_at: number };
  /** Lifecycles detected per collection: id kind, id field, next sequence value. */
  lifecycles: { collection: string; data: string };
  /** Key/value settings for the proxy (modes, scoped chaos faults): JSON values. */
  settings: { key: string; value: string };
  /** Drift records, numbered; the oldest are pruned past maxDrift. */
  drift: { seq: number; change: string };
  /** Schema version and other bookkeeping. */
  meta: { key: string; value: string };
}

export const SCHEMA_VERSION = 1;

/** Create every table that is missing (idempotent) and record the schema version. */
export async function migrate(db: Kysely<Tables>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = trx.schema;
    const time = sql`double precision`;
    await s
      .createTable('endpoints')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .execute();
    await s
      .createTable('templates')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('resources')
      .ifNotExists()
      .addColumn('collection', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('resources_pk', ['collection', 'id'])
      .execute();
    await s
      .createTable('lifecycles')
      .ifNotExists()
      .addColumn('collection', 'text', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('settings')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('drift')
      .ifNotExists()
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('change', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('meta')
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await trx
      .insertInto('meta')
      .values({ key: 'schemaVersion', value: String(SCHEMA_VERSION) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
}
