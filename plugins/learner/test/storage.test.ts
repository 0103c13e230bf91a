// The storage layer against both engines (SQLite file and the real PostgreSQL server when
// UNDERSTUDY_TEST_POSTGRES is set): tables created on open, a batch written in one
// transaction and read back by a fresh connection, a failing batch leaving nothing,
// upserts and deletes, settings, reset, drift pruning, bad targets refused with codes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LearnerStore } from '../src/storage/store.js';
import { redactUrl, storageTarget } from '../src/storage/dialect.js';
import type { EndpointModel } from '../src/model/types.js';
import { eachEngine, notePostgres, type Place } from './storage-backends.js';

notePostgres('storage.test.ts');

const model = (key: string, count = 1): EndpointModel => {
  const [method, template] = key.split(' ');
  return {
    key,
    method,
    template,
    params: {},
    query: {},
    upstream: 'default',
    count,
    errors: 0,
    firstSeen: 1000,
    lastSeen: 2000,
    latency: { count, minMs: 1, maxMs: 9, meanMs: 4, emaMs: 4, p50Ms: 4, p90Ms: 8, p95Ms: 8, p99Ms: 9, p999Ms: 9 },
    latencyHistogram: 'HISTFAKE',
    statuses: [{ status: 200, count, headers: { 'content-type': 'application/json' }, bodyBytes: { min: 2, max: 2, mean: 2 }, examples: [] }],
  };
};

const open = async (p: Place) => {
  const store = new LearnerStore(p.config.storage, p.dir, { schema: p.config.postgresSchema });
  await store.open();
  return store;
};

const test = suite('learner storage');

eachEngine(test, 'a new store is empty; a batch comes back whole through a new connection', async (p) => {
  const first = await open(p);
  try {
    assert.equal(await first.load(), { endpoints: [], templates: undefined, resources: [], lifecycles: [], settings: {}, drift: [] });
    await first.write({
      at: 5000,
      endpoints: [model('GET /users/{userId}', 3), model('POST /users')],
      templates: { version: 1, trees: { GET: ['users', '{userId}'] } },
      drift: [{ seq: 1, change: { key: 'GET /users/{userId}', kind: 'field-added', pointer: '/nick', at: 4000 } }],
      resources: [{ collection: '/users', id: '7', body: '{"id":7,"name":"Ada"}' }],
      lifecycles: [{ collection: '/users', data: { collection: '/users', idKind: 'integer', nextSeq: 8 } }],
    });
  } finally {
    await first.close();
  }
  const second = await open(p);
  try {
    const s = await second.load();
    assert.equal(s.endpoints.map((e) => [e.key, e.count]), [['GET /users/{userId}', 3], ['POST /users', 1]]);
    assert.equal(s.endpoints[0], model('GET /users/{userId}', 3));
    assert.equal(s.templates, { version: 1, trees: { GET: ['users', '{userId}'] } });
    assert.equal(s.drift, [{ seq: 1, change: { key: 'GET /users/{userId}', kind: 'field-added', pointer: '/nick', at: 4000 } }]);
    assert.equal(s.resources, [{ collection: '/users', id: '7', body: '{"id":7,"name":"Ada"}', updatedAt: 5000 }]);
    assert.equal(s.lifecycles, [{ collection: '/users', data: { collection: '/users', idKind: 'integer', nextSeq: 8 } }]);
  } finally {
    await second.close();
  }
});

eachEngine(test, 'upserts replace, deletes remove, templates are replaced whole', async (p) => {
  const store = await open(p);
  try {
    await store.write({ at: 1, endpoints: [model('GET /a'), model('GET /b')], templates: { n: 1 } });
    await store.write({ at: 2, endpoints: [model('GET /a', 9)], deleteEndpoints: ['GET /b'], templates: { n: 2 } });
    await store.write({ at: 3, resources: [{ collection: '/u', id: '1', body: '{}' }, { collection: '/u', id: '2', body: '{}' }] });
    await store.write({ at: 4, resources: [{ collection: '/u', id: '1', body: null }, { collection: '/u', id: '2', body: '{"x":1}' }] });
    await store.write({ at: 5, lifecycles: [{ collection: '/u', data: { a: 1 } }, { collection: '/v', data: { b: 1 } }] });
    await store.write({ at: 6, lifecycles: [{ collection: '/v', data: null }, { collection: '/u', data: { a: 2 } }] });
    const s = await store.load();
    assert.equal(s.endpoints.map((e) => [e.key, e.count]), [['GET /a', 9]]);
    assert.equal(s.templates, { n: 2 });
    assert.equal(s.resources, [{ collection: '/u', id: '2', body: '{"x":1}', updatedAt: 4 }]);
    assert.equal(s.lifecycles, [{ collection: '/u', data: { a: 2 } }]);
  } finally {
    await store.close();
  }
});

eachEngine(test, 'a batch that fails part-way leaves nothing behind (one transaction)', async (p) => {
  const store = await open(p);
  try {
    await store.write({ at: 1, endpoints: [model('GET /kept')] });
    // the drift record cannot be serialised: the endpoints before it in the same batch must roll back
    const bad = { seq: 1, change: { key: 'x', kind: 'field-added', at: 1, after: 10n } } as never;
    try {
      await store.write({ at: 2, endpoints: [model('GET /kept', 5), model('GET /new')], templates: { t: 1 }, drift: [bad] });
      assert.unreachable('the write should fail');
    } catch (err) {
      assert.is((err as { code?: string }).code, 'US_LEARNER_STORAGE');
      assert.match((err as Error).message, /BigInt/);
    }
    const s = await store.load();
    assert.equal(s.endpoints.map((e) => [e.key, e.count]), [['GET /kept', 1]]);
    assert.is(s.templates, undefined);
    assert.equal(s.drift, []);
    // and the store keeps working after the failure
    await store.write({ at: 3, endpoints: [model('GET /new')] });
    assert.is((await store.load()).endpoints.length, 2);
  } finally {
    await store.close();
  }
});

eachEngine(test, 'hundreds of rows in one batch (inserted in chunks) and writes kept in order', async (p) => {
  const store = await open(p);
  try {
    const many = Array.from({ length: 450 }, (_, i) => model(`GET /r${String(i).padStart(3, '0')}`, i + 1));
    await store.write({ at: 1, endpoints: many, drift: many.map((m, i) => ({ seq: i + 1, change: { key: m.key, kind: 'status-new', status: 500, at: i } })) });
    // not awaited one by one: the chain must keep their order, the last one wins
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.write({ at: n, endpoints: [model('GET /r000', 1000 + n)] })));
    const s = await store.load();
    assert.is(s.endpoints.length, 450);
    assert.is(s.endpoints[0].count, 1005);
    assert.is(s.drift.length, 450);
    await store.write({ at: 9, pruneDriftBelow: 401 });
    const pruned = (await store.load()).drift;
    assert.is(pruned.length, 50);
    assert.is(pruned[0].seq, 401);
  } finally {
    await store.close();
  }
});

eachEngine(test, 'settings: JSON values of every kind, delete, survive a reopen and a reset', async (p) => {
  const store = await open(p);
  try {
    await store.setSetting('proxy.mode', 'simulate');
    await store.setSetting('proxy.modes', { 'GET /users/{userId}': 'spy' });
    await store.setSetting('n', 42);
    await store.setSetting('flag', false);
    await store.setSetting('list', [1, 'two', null]);
    await store.setSetting('n', 43);
    assert.is(await store.deleteSetting('flag'), true);
    assert.is(await store.deleteSetting('flag'), false);
    await store.write({ at: 1, endpoints: [model('GET /x')], resources: [{ collection: '/x', id: '1', body: '{}' }] });
    await store.reset();
  } finally {
    await store.close();
  }
  const again = await open(p);
  try {
    const s = await again.load();
    assert.equal(s.settings, { list: [1, 'two', null], n: 43, 'proxy.mode': 'simulate', 'proxy.modes': { 'GET /users/{userId}': 'spy' } });
    assert.equal([s.endpoints, s.resources, s.lifecycles, s.drift, s.templates], [[], [], [], [], undefined]);
  } finally {
    await again.close();
  }
});

eachEngine(test, 'after close: writes are refused with US_LEARNER_CLOSED; close twice is fine', async (p) => {
  const store = await open(p);
  await store.close();
  await store.close();
  try {
    await store.write({ at: 1 });
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'US_LEARNER_CLOSED');
  }
});

test('SQLite: the file is in WAL mode with synchronous=NORMAL; :memory: works and leaves no file', async () => {
  const { place } = await import('./storage-backends.js');
  const p = await place('sqlite');
  try {
    const store = await open(p);
    await store.write({ at: 1, endpoints: [model('GET /w')] });
    const file = join(p.dir, '.understudy/learner.db');
    assert.is(store.location, file);
    assert.is(store.kind, 'sqlite');
    const peek = new Database(file, { readonly: true });
    assert.is(peek.pragma('journal_mode', { simple: true }), 'wal');
    assert.is((peek.prepare('SELECT count(*) AS n FROM endpoints').get() as { n: number }).n, 1);
    peek.close();
    await store.close();
    const mem = new LearnerStore(':memory:', p.dir);
    await mem.open();
    await mem.write({ at: 1, endpoints: [model('GET /m')] });
    assert.is((await mem.load()).endpoints.length, 1);
    assert.is(mem.location, ':memory:');
    await mem.close();
  } finally {
    await p.cleanup();
  }
});

test('bad targets: a postgres URL without a host, an unreachable server, an unwritable file — coded, passwords hidden', async () => {
  try {
    new LearnerStore('postgres://', '/tmp');
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'US_LEARNER_STORAGE_CONFIG');
    assert.is((err as { statusCode?: number }).statusCode, 400);
  }
  // a port nothing listens on (a closed TCP port refuses at once)
  const unreachable = new LearnerStore('postgres://ada:s3cret@127.0.0.1:1/db', '/tmp');
  assert.is(unreachable.kind, 'postgres');
  assert.not.match(unreachable.location, /s3cret/);
  try {
    await unreachable.open();
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'US_LEARNER_STORAGE');
    assert.not.match((err as Error).message, /s3cret/);
    assert.match((err as Error).message, /ada:\*\*\*@127\.0\.0\.1:1/);
  }
  // a folder that is a file: nothing can be created under it
  const { place } = await import('./storage-backends.js');
  const p = await place('sqlite');
  writeFileSync(join(p.dir, 'plain-file'), 'x');
  const unwritable = new LearnerStore('plain-file/x.db', p.dir);
  try {
    await unwritable.open();
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'US_LEARNER_STORAGE');
    assert.match((err as Error).message, /plain-file\/x\.db/);
  }
  try {
    await unwritable.load();
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'US_LEARNER_CLOSED');
  }
  await p.cleanup();
});

test('storage targets: relative files resolve against the config folder; URLs keep their secrets out of location', () => {
  assert.equal(storageTarget('data/l.db', '/srv/app'), { kind: 'sqlite', location: '/srv/app/data/l.db' });
  assert.equal(storageTarget('/abs/l.db', '/srv/app'), { kind: 'sqlite', location: '/abs/l.db' });
  const t = storageTarget('postgresql://u:pw@db:5432/x', '/', 'learn');
  assert.equal([t.kind, t.location, t.schema], ['postgres', 'postgresql://u:***@db:5432/x', 'learn']);
  assert.is(redactUrl('postgres://u@db/x'), 'postgres://u@db/x');
  assert.is(redactUrl('postgres://u:p@[bad'), 'postgres://u:***@[bad');
  assert.throws(() => storageTarget('postgres://u:p@[bad', '/'), /not a valid URL/);
  assert.equal(storageTarget('postgres:///x?host=/var/run/postgresql', '/').kind, 'postgres');
});

test.run();
