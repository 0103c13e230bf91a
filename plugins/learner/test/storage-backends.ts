// The storage engines a suite runs against: SQLite always (a file in a temp folder), and
// the real PostgreSQL server named by UNDERSTUDY_TEST_POSTGRES (started by .ci/run or by
// `node scripts/postgres.mjs run -- …`). Each PostgreSQL test gets a schema of its own,
// dropped after it, so tests never see each other's rows. Without the variable, every
// PostgreSQL test is registered as skipped, so the summary says how many did not run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'uvu';

export const POSTGRES_URL = process.env.UNDERSTUDY_TEST_POSTGRES;

/** Where one test keeps its data. `config` goes into the learner's plugin config. */
export interface Place {
  engine: 'sqlite' | 'postgres';
  /** Folder for config-relative paths (SQLite file lives under it). */
  dir: string;
  config: { storage: string; postgresSchema?: string };
  cleanup(): Promise<void>;
}

export const ENGINES = ['sqlite', 'postgres'] as const;

export async function place(engine: 'sqlite' | 'postgres'): Promise<Place> {
  const dir = mkdtempSync(join(tmpdir(), `learner-${engine}-`));
  if (engine === 'sqlite') {
    return {
      engine,
      dir,
      config: { storage: '.understudy/learner.db' },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  return {
    engine,
    dir,
    config: { storage: POSTGRES_URL!, postgresSchema: schema },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Body = (p: Place) => Promise<void>;

/**
 * Register `name` once per engine: `[sqlite] name` and `[postgres] name` (skipped, with
 * the reason in its name, when no PostgreSQL server is configured).
 */
export function eachEngine(test: Test, name: string, body: Body): void {
  for (const engine of ENGINES) {
    if (engine === 'postgres' && !POSTGRES_URL) {
      test.skip(`[postgres] ${name} (skipped: UNDERSTUDY_TEST_POSTGRES is not set)`, async () => {});
      continue;
    }
    test(`[${engine}] ${name}`, async () => {
      const p = await place(engine);
      try {
        await body(p);
      } finally {
        await p.cleanup();
      }
    });
  }
}

/** Say once per file when PostgreSQL is skipped (the runner counts the skipped tests). */
export function notePostgres(file: string): void {
  if (!POSTGRES_URL) process.stdout.write(`${file}: PostgreSQL tests skipped (set UNDERSTUDY_TEST_POSTGRES, or run through node scripts/postgres.mjs run -- …)\n`);
}
