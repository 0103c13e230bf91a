// The learner service through a started kernel (virtual clock): learning happens on the
// flush timer, one batch per interval; templates re-key endpoint models; the queue and
// the endpoint count are bounded and overflow is counted; mocks are deterministic per seed
// and request; stateful mocks follow a resource lifecycle; settings are checked and
// cloned; reset forgets what was learned but not settings; a failed write is retried with
// the next batch; bad config stops startup naming the path.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import { Value } from '@sinclair/typebox/value';
import learnerPlugin from '../src/index.js';
import { LearnerConfigSchema } from '../src/config.js';
import { LearnerService } from '../src/service.js';
import type { Batch, LearnerStore } from '../src/storage/store.js';
import { obs, resetObservationClock, startLearner, user, usersTraffic } from './service-kit.js';

const req = (method: string, path: string, body = '') => ({ method, path, url: path, query: {}, headers: {}, body });

const test = suite('learner service');

test('observations are learned on the flush timer, one batch per interval of kernel time', async () => {
  const kit = await startLearner();
  try {
    const { learner, kernel } = kit;
    assert.is(learner.observe(obs('GET', '/health', 200, { ok: true })), true);
    assert.is(learner.observe(obs('GET', '/health', 200, { ok: true })), true);
    assert.equal([learner.stats().queued, learner.endpoints().length], [2, 0]);
    assert.ok(learner.stats().queuedBytes > 0);
    await kernel.clock.advance(249);
    assert.is(learner.endpoints().length, 0, 'nothing is learned before the interval');
    await kernel.clock.advance(1);
    await learner.flush();
    const stats = learner.stats();
    assert.equal([stats.queued, stats.queuedBytes, stats.learned, stats.flushes, stats.endpoints], [0, 0, 2, 1, 1]);
    assert.equal(kernel.eventsOf('learner.endpointLearned').map((e) => e.data), [{ key: 'GET /health', template: '/health' }]);
    // an empty interval writes nothing
    await kit.tick();
    assert.is(learner.stats().flushes, 1);
    assert.is(learner.endpoint('GET /health')!.count, 2);
    assert.is(learner.endpoint('GET /nope'), undefined);
  } finally {
    await kit.stop();
  }
});

test('templates: three ids make /users/{userId} (earlier literal models merge into it), /users/me stays literal', async () => {
  const kit = await startLearner();
  try {
    for (const o of usersTraffic()) kit.learner.observe(o);
    await kit.tick();
    const keys = Object.fromEntries(kit.learner.endpoints().map((e) => [e.key, e.count]));
    assert.equal(keys, { 'DELETE /users/{userId}': 3, 'GET /users': 1, 'GET /users/me': 1, 'GET /users/{userId}': 6, 'POST /users': 1, 'PUT /users/{userId}': 3 });
    const changed = kit.kernel.eventsOf('learner.templateChanged').map((e) => e.data);
    assert.ok(changed.some((c) => c.to === '/users/{userId}' && c.from.includes('/users/1')), JSON.stringify(changed));
    assert.equal(kit.learner.lookup('get', '/users/77'), { key: 'GET /users/{userId}', template: '/users/{userId}', params: { userId: '77' } });
    assert.equal(kit.learner.lookup('GET', '/users/me'), { key: 'GET /users/me', template: '/users/me', params: {} });
    assert.is(kit.learner.lookup('GET', '/orders/1'), undefined);
    const model = kit.learner.endpoint('GET /users/{userId}')!;
    assert.equal(model.params, { userId: 'integer' });
    assert.equal(model.statuses.map((s) => [s.status, s.count]), [[200, 5], [404, 1]]);
  } finally {
    await kit.stop();
  }
});

test('lookup answers follow the templates: a promotion, an edit and a reset change what a known path answers', async () => {
  const kit = await startLearner();
  try {
    kit.learner.observe(obs('GET', '/orders/1', 200, { id: 1 }));
    await kit.tick();
    assert.is(kit.learner.lookup('GET', '/orders/1')?.template, '/orders/1');
    assert.is(kit.learner.lookup('GET', '/orders/2'), undefined);
    assert.ok(Object.isFrozen(kit.learner.lookup('GET', '/orders/1')), 'a kept answer cannot be changed by a caller');
    for (const id of [2, 3]) kit.learner.observe(obs('GET', `/orders/${id}`, 200, { id }));
    await kit.tick();
    assert.equal(kit.learner.lookup('GET', '/orders/1'), { key: 'GET /orders/{orderId}', template: '/orders/{orderId}', params: { orderId: '1' } });
    assert.is(kit.learner.lookup('GET', '/orders/2')?.template, '/orders/{orderId}');
    assert.is(kit.learner.lookup('GET', '/orders/export'), undefined);
    await kit.learner.editTemplates((t) => t.split('/orders/{orderId}', 'export'));
    assert.is(kit.learner.lookup('GET', '/orders/export')?.template, '/orders/export');
    await kit.learner.reset();
    assert.is(kit.learner.lookup('GET', '/orders/1'), undefined);
  } finally {
    await kit.stop();
  }
});

test('the queue is bounded by count and bytes: overflow is refused at once, counted and reported', async () => {
  const kit = await startLearner({ queue: { maxItems: 3, maxBytes: 4096 } });
  try {
    const { learner } = kit;
    assert.equal([1, 2, 3, 4].map((i) => learner.observe(obs('GET', `/a${i}`, 200, { i }))), [true, true, true, false]);
    await kit.tick();
    assert.equal(kit.kernel.eventsOf('learner.overflow').map((e) => e.data), [{ dropped: 1 }]);
    // bytes: one body larger than the whole budget
    assert.is(learner.observe(obs('GET', '/big', 200, { text: 'x'.repeat(5000) })), false);
    assert.is(learner.stats().dropped, 2);
    await kit.tick();
    assert.equal(kit.kernel.eventsOf('learner.overflow').map((e) => e.data.dropped), [1, 2]);
    assert.is(learner.endpoint('GET /big'), undefined);
  } finally {
    await kit.stop();
  }
});

test('endpoints are bounded: past maxEndpoints new endpoints are counted, known ones keep learning', async () => {
  const kit = await startLearner({ maxEndpoints: 2 });
  try {
    for (const p of ['/a', '/b', '/c', '/a']) kit.learner.observe(obs('GET', p, 200, {}));
    await kit.tick();
    assert.equal(kit.learner.endpoints().map((e) => [e.key, e.count]), [['GET /a', 2], ['GET /b', 1]]);
    assert.is(kit.learner.stats().endpointsDropped, 1);
  } finally {
    await kit.stop();
  }
});

test('mocks: unknown endpoints are undefined; known ones answer deterministically per seed and request', async () => {
  const a = await startLearner({}, { seed: 7 });
  const b = await startLearner({}, { seed: 7 });
  try {
    for (const kit of [a, b]) {
      resetObservationClock(); // the same traffic at the same times: a synthesized date is relative to lastSeen
      for (const o of usersTraffic()) kit.learner.observe(o);
      // the learned id range (a schema's minimum/maximum) must hold the ids asked for below
      kit.learner.observe(obs('GET', '/users/900', 200, user(900)));
      await kit.tick();
    }
    assert.is(await a.learner.mock(req('GET', '/orders/1')), undefined);
    const first = await a.learner.mock(req('GET', '/users/42'));
    assert.ok(first && first.via !== 'state');
    assert.equal(await a.learner.mock(req('GET', '/users/42')), first, 'same request, same answer');
    assert.equal(await b.learner.mock(req('GET', '/users/42')), first, 'same seed in another kernel, same answer');
    // a seed given per call wins, and is as deterministic
    const seeded = await a.learner.mock(req('GET', '/users/42'), { seed: 'other' });
    assert.equal(await b.learner.mock(req('GET', '/users/42'), { seed: 'other' }), seeded);
    // over many ids, the learned status mix shows (mostly 200, the 404 sometimes) and 200s echo the id
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => a.learner.mock(req('GET', `/users/${100 + i}`))));
    const ok = answers.filter((r) => r!.status === 200);
    assert.ok(ok.length > 30, `${ok.length} of 60 were 200`);
    assert.ok(answers.every((r) => r!.status === 200 || r!.status === 404));
    for (const [i, r] of answers.entries()) {
      if (r!.status !== 200) continue;
      const body = JSON.parse(r!.body);
      assert.is(body.id, 100 + i, 'the path parameter is echoed into id');
      assert.match(r!.headers['content-type'], /application\/json/);
    }
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('mocks: an answer is cached per model, seed and request — the same as synthesizing again, dropped when the model changes', async () => {
  const kit = await startLearner({}, { seed: 7 });
  try {
    resetObservationClock();
    for (const o of usersTraffic()) kit.learner.observe(o);
    kit.learner.observe(obs('GET', '/users/900', 200, user(900)));
    await kit.tick();
    const first = (await kit.learner.mock(req('GET', '/users/42')))!;
    assert.equal(kit.learner.stats().mockCache, { entries: 1, bytes: kit.learner.stats().mockCache.bytes, hits: 0, misses: 1 });
    first.headers['x-changed'] = 'by the caller';
    first.body = 'changed';
    const again = (await kit.learner.mock(req('GET', '/users/42')))!;
    assert.is(kit.learner.stats().mockCache.hits, 1);
    assert.is(again.headers['x-changed'], undefined, 'what a caller does to an answer does not reach the cache');
    assert.is.not(again.body, 'changed');
    // the same request with another seed, query or method is another entry
    await kit.learner.mock(req('GET', '/users/42'), { seed: 'other' });
    await kit.learner.mock({ ...req('GET', '/users/42'), url: '/users/42?x=1', query: { x: '1' } });
    assert.equal([kit.learner.stats().mockCache.entries, kit.learner.stats().mockCache.hits], [3, 1]);
    // what synthesis gives without the cache: another service with the same seed and traffic
    const fresh = await startLearner({}, { seed: 7 });
    try {
      resetObservationClock();
      for (const o of usersTraffic()) fresh.learner.observe(o);
      fresh.learner.observe(obs('GET', '/users/900', 200, user(900)));
      await fresh.tick();
      assert.equal(await fresh.learner.mock(req('GET', '/users/42')), again);
    } finally {
      await fresh.stop();
    }
    // learning more replaces the model: the cached answer is not used for it
    kit.learner.observe(obs('GET', '/users/901', 200, user(901)));
    await kit.tick();
    await kit.learner.mock(req('GET', '/users/42'));
    assert.equal([kit.learner.stats().mockCache.hits, kit.learner.stats().mockCache.misses], [1, 4]);
    // a request with a body is never cached
    await kit.learner.mock(req('PUT', '/users/42', '{"name":"x"}'));
    await kit.learner.mock(req('PUT', '/users/42', '{"name":"x"}'));
    assert.is(kit.learner.stats().mockCache.hits, 1);
  } finally {
    await kit.stop();
  }
});

test('stateful mocks: create (next id above every id seen), read, replace, merge, delete, then a 404 in the learned shape', async () => {
  const kit = await startLearner();
  try {
    const { learner } = kit;
    for (const o of usersTraffic()) learner.observe(o);
    await kit.tick();
    assert.equal(learner.lifecycles().map((l) => [l.collection, l.idKind, l.idField, l.nextSeq, l.location]), [['/users', 'integer', 'id', 12, true]]);
    const created = (await learner.mock(req('POST', '/users', JSON.stringify({ name: 'Neo', email: 'neo@example.org' }))))!;
    assert.equal([created.status, created.via, created.headers.location], [201, 'state', '/users/12']);
    const body = JSON.parse(created.body);
    assert.equal([body.id, body.name, body.email], [12, 'Neo', 'neo@example.org']);
    assert.type(body.createdAt, 'string', 'fields the client did not send come from the learned shape');
    const read = (await learner.mock(req('GET', '/users/12')))!;
    assert.equal([read.status, read.via, JSON.parse(read.body)], [200, 'state', body]);
    const put = (await learner.mock(req('PUT', '/users/12', JSON.stringify({ name: 'Thomas' }))))!;
    assert.equal(JSON.parse(put.body), { name: 'Thomas', id: 12 });
    const patched = (await learner.mock(req('PATCH', '/users/12', JSON.stringify({ email: 't@example.org' }))))!;
    assert.equal(JSON.parse(patched.body), { name: 'Thomas', id: 12, email: 't@example.org' });
    assert.equal(JSON.parse((await learner.mock(req('GET', '/users/12')))!.body), { name: 'Thomas', id: 12, email: 't@example.org' });
    assert.is(learner.stats().resources, 1);
    const deleted = (await learner.mock(req('DELETE', '/users/12')))!;
    assert.equal([deleted.status, deleted.body, deleted.via], [204, '', 'state']);
    const after = (await learner.mock(req('GET', '/users/12')))!;
    assert.equal([after.status, after.via], [404, 'state']);
    assert.equal(Object.keys(JSON.parse(after.body)).sort(), ['error', 'message'], 'the 404 has the real API\'s shape');
    assert.is(learner.stats().resources, 0);
    assert.is((await learner.mock(req('PUT', '/users/12', '{"name":"x"}')))!.status, 404);
    // an id the mock never created is the real API's: synthesized from what was learned
    assert.is.not((await learner.mock(req('GET', '/users/3')))!.via, 'state');
    // a body that is not a JSON object creates nothing; stateful:false skips state
    assert.is.not((await learner.mock(req('POST', '/users', 'name=Neo')))!.via, 'state');
    const next = (await learner.mock(req('POST', '/users', '{}')))!;
    assert.is(JSON.parse(next.body).id, 13);
    assert.is.not((await learner.mock(req('GET', '/users/13'), { stateful: false }))!.via, 'state');
    assert.is((await learner.mock(req('HEAD', '/users/13')))!.body, '');
  } finally {
    await kit.stop();
  }
});

test('stateful mocks can be switched off; ids of the real API that are uuids give uuids', async () => {
  const off = await startLearner({ state: { enabled: false } });
  const uuids = await startLearner();
  try {
    for (const o of usersTraffic()) off.learner.observe(o);
    await off.tick();
    assert.equal(off.learner.lifecycles(), []);
    assert.is.not((await off.learner.mock(req('POST', '/users', '{"name":"x"}')))!.via, 'state');

    const id = '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd';
    uuids.learner.observe(obs('POST', '/orders', 201, { orderId: id, total: 3 }, { requestBody: '{"total":3}' }));
    await uuids.tick();
    assert.equal(uuids.learner.lifecycles().map((l) => [l.idKind, l.idField, l.location]), [['uuid', 'orderId', false]]);
    const made = JSON.parse((await uuids.learner.mock(req('POST', '/orders', '{"total":9}')))!.body);
    assert.match(made.orderId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.is(made.total, 9);
    assert.is((await uuids.learner.mock(req('GET', `/orders/${made.orderId}`)))!.via, 'state');
  } finally {
    await off.stop();
    await uuids.stop();
  }
});

test('settings: cloned on the way in and out, deleted, listed; bad keys and values are coded 400s', async () => {
  const kit = await startLearner();
  try {
    const s = kit.learner.settings;
    const modes = { 'GET /users/{userId}': 'simulate' };
    await s.set('proxy.modes', modes);
    modes['GET /users/{userId}'] = 'changed';
    const got = await s.get<Record<string, string>>('proxy.modes');
    assert.equal(got, { 'GET /users/{userId}': 'simulate' });
    got!['x'] = 'y';
    assert.equal(await s.get('proxy.modes'), { 'GET /users/{userId}': 'simulate' });
    await s.set('n', 1);
    assert.equal(await s.all(), { n: 1, 'proxy.modes': { 'GET /users/{userId}': 'simulate' } });
    assert.is(await s.delete('n'), true);
    assert.is(await s.delete('n'), false);
    assert.is(await s.get('n'), undefined);
    for (const [key, value, why] of [
      ['', 1, /key/],
      ['x'.repeat(201), 1, /key/],
      ['ok', 10n, /JSON/],
      ['ok', undefined, /undefined/],
      ['ok', 'x'.repeat(1024 * 1024 + 1), /1 MiB/],
    ] as const) {
      try {
        await s.set(key, value);
        assert.unreachable(`${key} accepted`);
      } catch (err) {
        assert.is((err as { code?: string }).code, 'US_LEARNER_BAD_SETTING');
        assert.is((err as { statusCode?: number }).statusCode, 400);
        assert.match((err as Error).message, why);
      }
    }
    await s.delete('\n').then(
      () => assert.unreachable(),
      (err) => assert.is(err.code, 'US_LEARNER_BAD_SETTING'),
    );
  } finally {
    await kit.stop();
  }
});

test('reset forgets endpoints, templates, drift and resources (and what is queued); settings stay', async () => {
  const kit = await startLearner();
  try {
    for (const o of usersTraffic()) kit.learner.observe(o);
    await kit.tick();
    await kit.learner.mock(req('POST', '/users', '{"name":"a"}'));
    await kit.learner.settings.set('proxy.mode', 'spy');
    kit.learner.observe(obs('GET', '/queued', 200, {}));
    await kit.learner.reset();
    await kit.tick();
    assert.equal([kit.learner.endpoints(), kit.learner.lifecycles(), kit.learner.drift(), kit.learner.pathTemplates.templates()], [[], [], [], []]);
    assert.equal([kit.learner.stats().resources, kit.learner.stats().queued], [0, 0]);
    assert.is(kit.learner.lookup('GET', '/users/1'), undefined);
    assert.is(await kit.learner.settings.get('proxy.mode'), 'spy');
  } finally {
    await kit.stop();
  }
});

test('drift: a new field, a missing one and a new status are recorded and emitted', async () => {
  const kit = await startLearner();
  try {
    for (let i = 1; i <= 30; i++) kit.learner.observe(obs('GET', `/users/${i}`, 200, user(i)));
    await kit.tick();
    const { email: _e, ...noEmail } = user(31);
    kit.learner.observe(obs('GET', '/users/31', 200, { ...noEmail, nickname: 'x' }));
    kit.learner.observe(obs('GET', '/users/32', 503, { error: 'down' }));
    await kit.tick();
    const kinds = kit.learner.drift().map((d) => `${d.kind} ${d.pointer ?? d.status ?? ''}`);
    assert.ok(kinds.includes('field-added /nickname'), kinds.join(', '));
    assert.ok(kinds.includes('field-removed /email'), kinds.join(', '));
    assert.ok(kinds.some((k) => k.startsWith('status-new')), kinds.join(', '));
    assert.equal(kit.kernel.eventsOf('learner.drift').map((e) => e.data), kit.learner.drift());
  } finally {
    await kit.stop();
  }
});

test('drift history is bounded by maxDrift (oldest dropped, in memory and in storage)', async () => {
  const kit = await startLearner({ maxDrift: 2 });
  try {
    for (let i = 1; i <= 25; i++) kit.learner.observe(obs('GET', `/u/${i}`, 200, { a: 1 }));
    await kit.tick();
    for (const field of ['b', 'c', 'd']) {
      kit.learner.observe(obs('GET', '/u/1', 200, { a: 1, [field]: 1 }));
      await kit.tick();
    }
    assert.equal(kit.learner.drift().map((d) => d.pointer), ['/c', '/d']);
  } finally {
    await kit.stop();
  }
});

test('after stop: observe refuses, mock answers nothing, stop again is fine', async () => {
  const kit = await startLearner();
  kit.learner.observe(obs('GET', '/a', 200, {}));
  await kit.stop();
  assert.is(kit.learner.observe(obs('GET', '/a', 200, {})), false);
  assert.is(await kit.learner.mock(req('GET', '/a')), undefined);
  await kit.learner.stop();
});

test('a batch storage refuses is counted and written with the next flush; nothing learned is lost', async () => {
  const written: Batch[] = [];
  let fail = 1;
  const store = {
    kind: 'sqlite',
    location: ':fake:',
    open: async () => {},
    load: async () => ({ endpoints: [], templates: undefined, resources: [], lifecycles: [], settings: {}, drift: [] }),
    write: async (b: Batch) => {
      if (fail-- > 0) throw Object.assign(new Error('disk full'), { code: 'US_LEARNER_STORAGE' });
      written.push(b);
    },
    close: async () => {},
  } as unknown as LearnerStore;
  const config = Value.Default(LearnerConfigSchema, {}) as never;
  const warnings: string[] = [];
  const kernel = await createTestKernel({ plugins: [], listen: false });
  const service = new LearnerService({
    config,
    clock: kernel.clock,
    random: createRandom(1),
    events: { emit: () => {} } as never,
    logger: { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => {} } as never,
    store,
  });
  try {
    await service.start();
    for (const o of usersTraffic()) service.observe(o);
    await service.flush().then(
      () => assert.unreachable(),
      (err) => assert.match(err.message, /disk full/),
    );
    assert.equal([service.stats().flushErrors, service.stats().flushes, warnings.length], [1, 0, 1]);
    service.observe(obs('GET', '/later', 200, {}));
    await service.flush();
    assert.is(service.stats().flushes, 1);
    const keys = written[0].endpoints!.map((e) => e.key).sort();
    assert.equal(keys, ['DELETE /users/{userId}', 'GET /later', 'GET /users', 'GET /users/me', 'GET /users/{userId}', 'POST /users', 'PUT /users/{userId}']);
    assert.ok(written[0].templates, 'templates are written again');
    assert.equal(written[0].lifecycles!.map((l) => l.collection), ['/users']);
  } finally {
    await service.stop();
    await kernel.stop();
  }
});

test('bad config stops startup with the path named', async () => {
  for (const [config, path] of [
    [{ flushIntervalMs: 5000 }, /plugins\.learner\.flushIntervalMs/],
    [{ storage: 'postgres://' }, /plugins\.learner\.storage/],
    [{ queue: { maxItems: 0 } }, /plugins\.learner\.queue\.maxItems/],
    [{ postgresSchema: 'Robert"); DROP' }, /plugins\.learner\.postgresSchema/],
    [{ nope: 1 }, /plugins\.learner/],
  ] as const) {
    try {
      const k = await createTestKernel({ plugins: [learnerPlugin], config: { learner: { storage: ':memory:', ...config } }, listen: false });
      await k.stop();
      assert.unreachable(`${JSON.stringify(config)} was accepted`);
    } catch (err) {
      assert.match((err as Error).message, path);
    }
  }
});

test('an unreachable PostgreSQL stops startup with a coded storage error (password hidden)', async () => {
  try {
    const k = await createTestKernel({ plugins: [learnerPlugin], config: { learner: { storage: 'postgres://u:hunter2@127.0.0.1:1/x' } }, listen: false });
    await k.stop();
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /US_LEARNER_STORAGE|storage/);
    assert.not.match((err as Error).message, /hunter2/);
  }
});

test.run();
