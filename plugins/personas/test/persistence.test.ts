// Sessions survive a restart: a kernel stopped and another started on the same SQLite file
// (relative to the config folder) sees every session, patch, creation and deletion; and
// writes are atomic: a storage write that fails (a SQLite trigger added through a second
// connection refuses one row) answers 500 US_PERSONAS_STORAGE_WRITE over HTTP and leaves
// the session, its entities and the events as they were. A storage that cannot be opened
// stops startup.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { start, write } from './helpers.js';

const persistence = suite<{ dir: string }>('sessions survive a restart');
persistence.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'personas-persist-'));
});
persistence.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

persistence('stop one kernel, start another on the same file: the same sessions and entities', async ({ dir }) => {
  const config = { storage: '.understudy/demo.db' };
  const first = await start(config, { cwd: dir });
  let before: Record<string, unknown>;
  const paths = ['/finance/accounts/7', '/finance/customers/31', '/finance/customers/2', '/finance/customers?pageSize=40&sort=-id', '/finance/customers/3/accounts'];
  try {
    await first.call('/finance/accounts/7', write('PATCH', { balance: { amount: -500 }, status: 'overdrawn' }, 'bank'));
    await first.call('/finance/customers', write('POST', { name: 'Created Later', email: 'later@example.com' }, 'bank'));
    await first.call('/finance/customers/2', { method: 'DELETE', session: 'bank' });
    await first.call('/finance/customers/3', write('PATCH', { segment: 'other' }, 'shop'));
    await first.admin('/sessions', { method: 'POST', json: { name: 'empty' } });
    before = Object.fromEntries(await Promise.all(paths.map(async (p) => [p, (await first.call(p, { session: 'bank' })).text.replaceAll(first.base, '')])));
  } finally {
    await first.stop();
  }
  assert.ok(existsSync(join(dir, '.understudy/demo.db')));

  const second = await start(config, { cwd: dir });
  try {
    for (const p of paths) assert.is((await second.call(p, { session: 'bank' })).text.replaceAll(second.base, ''), before[p], p);
    assert.is((await second.call('/finance/customers/3', { session: 'shop' })).body.segment, 'other');
    assert.is.not((await second.call('/finance/customers/3', { session: 'bank' })).body.segment, 'other');
    const listed = (await second.admin('/sessions')).body.sessions;
    assert.equal(listed.map((s: any) => [s.name, s.patched, s.created, s.deleted]), [['bank', 1, 1, 1], ['empty', 0, 0, 0], ['shop', 1, 0, 0]]);
    assert.is(second.k.eventsOf('session.created').length, 0, 'nothing is created again');
    // creation order and the next id continue after the stored ones
    const next = await second.call('/finance/customers', write('POST', { name: 'After Restart' }, 'bank'));
    assert.is(next.body.id, '32');
  } finally {
    await second.stop();
  }
});

persistence('a storage that cannot be opened stops startup with the path', async ({ dir }) => {
  writeFileSync(join(dir, 'not-a-dir'), 'x');
  try {
    await start({ storage: 'not-a-dir/demo.db' }, { cwd: dir });
    assert.unreachable('started');
  } catch (err: any) {
    assert.is(err.code, 'US_PLUGIN_FAILED');
    assert.is(err.cause.code, 'US_PERSONAS_STORAGE');
    assert.match(err.message, `Cannot open the sessions storage "${join(dir, 'not-a-dir/demo.db')}"`);
    assert.match(err.message, 'plugins.personas.storage');
  }
});

persistence.run();

const atomic = suite<{ dir: string }>('writes are atomic');
atomic.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'personas-atomic-'));
});
atomic.after.each((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

atomic('a failed storage write is a 500 with nothing changed, in memory or on disk', async ({ dir }) => {
  const kit = await start({ storage: 'demo.db' }, { cwd: dir });
  const db = new Database(join(dir, 'demo.db'));
  try {
    await kit.call('/finance/customers/1', write('PATCH', { segment: 'kept' }, 'bank'));
    const snapshot = async () => ({
      sessions: (await kit.admin('/sessions')).body.sessions,
      bank: (await kit.admin('/sessions/bank')).body,
      events: kit.k.captured.length,
    });
    const before = await snapshot();
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON personas_entities WHEN NEW.id = '5' BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`);
    db.exec(`CREATE TRIGGER refuse_update BEFORE UPDATE ON personas_entities WHEN NEW.id = '1' BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`);
    const insert = await kit.call('/finance/customers/5', write('PATCH', { segment: 'x' }, 'bank'));
    assert.is(insert.status, 500);
    assert.is(insert.body.code, 'US_PERSONAS_STORAGE_WRITE');
    assert.match(insert.body.message, 'refused by test');
    assert.match(insert.body.message, 'Nothing was changed');
    const update = await kit.call('/finance/customers/1', write('PATCH', { segment: 'lost' }, 'bank'));
    assert.is(update.body.code, 'US_PERSONAS_STORAGE_WRITE');
    // a new session whose first write fails is not created either
    const fresh = await kit.call('/finance/customers/5', write('PATCH', { segment: 'x' }, 'fresh'));
    assert.is(fresh.status, 500);
    const restore = await kit.admin('/sessions/bank/snapshot', { method: 'PUT', json: { entities: [{ industry: 'finance', plural: 'customers', id: '5', kind: 'deleted' }] } });
    assert.is(restore.status, 500);
    assert.equal(await snapshot(), before);
    assert.is((await kit.call('/finance/customers/1', { session: 'bank' })).body.segment, 'kept');
    assert.equal(
      db.prepare('SELECT session, id, kind FROM personas_entities ORDER BY seq').all(),
      [{ session: 'bank', id: '1', kind: 'patched' }],
    );
    assert.equal(db.prepare('SELECT name FROM personas_sessions').all(), [{ name: 'bank' }]);
  } finally {
    db.close();
    await kit.stop();
  }
});

atomic('after stop, a write through the service is refused (the storage is closed)', async ({ dir }) => {
  const kit = await start({ storage: 'demo.db' }, { cwd: dir });
  const svc = kit.k.resolve('sessions');
  await kit.stop();
  assert.throws(() => svc.patch('x', 'finance', 'customers', '1', { a: 1 }), (err: any) => err.code === 'US_PERSONAS_STORAGE_WRITE' && /closed/.test(err.message));
});

atomic.run();
