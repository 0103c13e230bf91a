// What survives a restart: endpoints, templates, drift, stateful resources and settings,
// on a SQLite file and, with UNDERSTUDY_TEST_POSTGRES, on the real PostgreSQL server; what
// was queued when the kernel stopped is written by the stop. (The kill -9 test is in
// persistence-kill.test.ts.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eachEngine, notePostgres } from './storage-backends.js';
import { obs, startLearner, user, usersTraffic } from './service-kit.js';

notePostgres('persistence.test.ts');

const test = suite('learner persistence');

eachEngine(test, 'a restart keeps endpoints, templates, drift, settings and stateful resources', async (p) => {
  const req = (method: string, path: string, body = '') => ({ method, path, url: path, query: {}, headers: {}, body });
  let created: { id: number; name: string };
  let endpointsBefore: string[];
  const first = await startLearner(p.config, { cwd: p.dir });
  try {
    for (const o of usersTraffic()) first.learner.observe(o);
    await first.tick();
    // drift: a field the learned schema never had
    for (let i = 0; i < 30; i++) first.learner.observe(obs('GET', `/users/${i + 1}`, 200, user(i + 1)));
    await first.tick();
    first.learner.observe(obs('GET', '/users/8', 200, { ...user(8), nickname: 'eight' }));
    await first.tick();
    assert.ok(first.learner.drift().some((d) => d.kind === 'field-added' && d.pointer === '/nickname'), JSON.stringify(first.learner.drift()));
    await first.learner.settings.set('proxy.mode', 'spy');
    const made = await first.learner.mock(req('POST', '/users', JSON.stringify({ name: 'Neo' })));
    created = JSON.parse(made!.body);
    await first.learner.mock(req('PATCH', `/users/${created.id}`, JSON.stringify({ name: 'Trinity' })));
    const gone = JSON.parse((await first.learner.mock(req('POST', '/users', JSON.stringify({ name: 'Smith' }))))!.body);
    await first.learner.mock(req('DELETE', `/users/${gone.id}`));
    endpointsBefore = first.learner.endpoints().map((e) => `${e.key} ${e.count}`);
    // observed but never flushed by the timer: stop() writes it
    first.learner.observe(obs('GET', '/orders', 200, []));
  } finally {
    await first.stop();
  }
  const second = await startLearner(p.config, { cwd: p.dir });
  try {
    const l = second.learner;
    assert.equal(l.endpoints().filter((e) => e.key !== 'GET /orders').map((e) => `${e.key} ${e.count}`), endpointsBefore);
    assert.ok(l.endpoint('GET /orders'), 'what was queued at stop is written by stop');
    assert.equal(l.lookup('GET', '/users/77'), { key: 'GET /users/{userId}', template: '/users/{userId}', params: { userId: '77' } });
    assert.is(l.lookup('GET', '/users/me')!.template, '/users/me');
    assert.ok(l.drift().some((d) => d.kind === 'field-added' && d.pointer === '/nickname'));
    assert.is(await l.settings.get('proxy.mode'), 'spy');
    const read = await l.mock(req('GET', `/users/${created.id}`));
    assert.is(read!.via, 'state');
    assert.equal(JSON.parse(read!.body).name, 'Trinity');
    const deleted = await l.mock(req('GET', `/users/${created.id + 1}`));
    assert.equal([deleted!.status, deleted!.via], [404, 'state']);
    // the sequence goes on after a restart: no id is handed out twice
    const next = JSON.parse((await l.mock(req('POST', '/users', JSON.stringify({ name: 'Morpheus' }))))!.body);
    assert.is(next.id, created.id + 2);
  } finally {
    await second.stop();
  }
});

test.run();
