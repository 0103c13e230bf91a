// Stateful mocking: how a lifecycle is read off the wire (ids in Location headers or body
// fields, integer sequences kept above every id seen, uuids and other string ids), the
// bounded resource table, nested collections, lifecycles following a template change, and
// a resource table that is full answering without keeping.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import { createdId, idFieldCandidates, idKindOf, lastLiteral, learnCreation, learnItemId, singular } from '../src/state/lifecycle.js';
import { ResourceTable } from '../src/state/resources.js';
import { splitItem, uuid } from '../src/state/stateful-mock.js';
import { obs, startLearner } from './service-kit.js';

const req = (method: string, path: string, body = '') => ({ method, path, url: path, query: {}, headers: {}, body });

const unit = suite('lifecycle detection');

unit('id kinds, singular nouns, id field candidates', () => {
  assert.equal(['42', '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd', 'ord_9', '1234567890123456'].map(idKindOf), ['integer', 'uuid', 'string', 'string']);
  assert.equal(['users', 'categories', 'addresses', 'boxes', 'data', 'status'].map(singular), ['user', 'category', 'address', 'box', 'data', 'status']);
  assert.is(lastLiteral('/users/{userId}/orders'), 'orders');
  assert.is(lastLiteral('/{id}'), undefined);
  assert.equal(idFieldCandidates('/users/{userId}/orders'), ['id', 'orderId', 'order_id', 'uuid', '_id']);
  assert.equal(idFieldCandidates('/'), ['id', 'uuid', '_id']);
});

unit('the created id: a Location under the collection (absolute or not), else an id field of the body', () => {
  const created = (location: string | undefined, body: unknown, path = '/users') =>
    createdId(obs('POST', path, 201, body, { responseHeaders: { 'content-type': 'application/json', ...(location && { location }) } }), path, body);
  assert.equal(created('https://api.example.com/users/57', {}), { id: '57', location: true });
  assert.equal(created('/users/57/', { id: 57 }), { id: '57', field: 'id', location: true });
  assert.equal(created('/elsewhere/57', { userId: 'u-1' }), { id: 'u-1', field: 'userId', location: false });
  // a body id that disagrees with the Location is not the id
  assert.equal(created('/users/57', { id: 3 }), { id: '57', location: true });
  assert.equal(created('/users/a/b', {}), undefined);
  assert.equal(created(undefined, [{ id: 1 }]), undefined);
  assert.equal(created(undefined, { id: 1.5, name: 'x' }), undefined);
  assert.equal(created(undefined, { _id: 'abc' }), { id: 'abc', field: '_id', location: false });
  assert.equal(created('/users/a%20b', {}), { id: 'a b', location: true });
  assert.equal(created('http://[bad/users/5', { id: 5 }), { id: '5', field: 'id', location: false }, 'an unparsable Location is not under the collection');
});

unit('creations update the sequence; failures, errors and other methods do not count', () => {
  const post = (status: number, body: unknown, extra = {}) => obs('POST', '/users', status, body, extra);
  assert.is(learnCreation(undefined, post(500, { id: 1 }), '/users', { id: 1 }), undefined);
  assert.is(learnCreation(undefined, post(201, { id: 1 }, { failure: 'timeout' }), '/users', { id: 1 }), undefined);
  assert.is(learnCreation(undefined, obs('PUT', '/users', 200, { id: 1 }), '/users', { id: 1 }), undefined);
  assert.is(learnCreation(undefined, post(201, { name: 'x' }), '/users', { name: 'x' }), undefined);
  let lc = learnCreation(undefined, post(201, { id: 40 }), '/users', { id: 40 })!;
  assert.equal([lc.idKind, lc.nextSeq, lc.createdStatus, lc.creations, lc.idField], ['integer', 41, 201, 1, 'id']);
  lc = learnCreation(lc, post(200, { id: 7 }), '/users', { id: 7 })!;
  assert.equal([lc.nextSeq, lc.createdStatus, lc.creations], [41, 200, 2]);
  assert.equal(learnItemId(lc, '99')?.nextSeq, 100);
  assert.is(learnItemId(lc, '3'), undefined);
  assert.is(learnItemId(lc, 'me'), undefined);
  // ids of two shapes: strings from now on, so no mock id can clash with either
  lc = learnCreation(lc, post(201, { id: 'u-9' }), '/users', { id: 'u-9' })!;
  assert.is(lc.idKind, 'string');
  assert.is(learnItemId(lc, '500'), undefined);
});

unit('path items, uuids, the bounded resource table', () => {
  assert.equal(splitItem('/users/57'), { parent: '/users', id: '57' });
  assert.equal([splitItem('/users'), splitItem('/users/'), splitItem('/'), splitItem('/a/%E0%A4%A')], [undefined, undefined, undefined, undefined]);
  const a = uuid(createRandom(1, 'x'));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(uuid(createRandom(1, 'x')), a, 'seeded');

  const table = new ResourceTable({ maxResources: 2, maxBytes: 40 });
  assert.ok(table.put('/u', '1', '{"a":1}'));
  assert.ok(table.put('/u', '2', '{"a":2}'));
  assert.not.ok(table.put('/u', '3', '{}'), 'count bound');
  assert.ok(table.put('/u', '1', '{"a":11}'), 'a replacement needs no new slot');
  assert.not.ok(table.put('/u', '2', 'x'.repeat(40)), 'bytes bound');
  assert.ok(table.put('/u', '2', undefined), 'a tombstone fits');
  assert.equal([table.size, table.overflow, table.list().length], [1, 2, 2]);
  table.clear();
  assert.equal([table.size, table.list()], [0, []]);
});

unit.run();

const flow = suite('stateful mocks through the service');

flow('nested collections keep resources per parent', async () => {
  const kit = await startLearner();
  try {
    for (const u of [1, 2, 3]) kit.learner.observe(obs('POST', `/users/${u}/orders`, 201, { id: 10 + u, total: u }, { requestBody: JSON.stringify({ total: u }) }));
    await kit.tick();
    assert.equal(kit.learner.lifecycles().map((l) => [l.collection, l.nextSeq]), [['/users/{userId}/orders', 14]]);
    const made = (await kit.learner.mock(req('POST', '/users/9/orders', '{"total":5}')))!;
    assert.equal([made.status, made.via, JSON.parse(made.body)], [201, 'state', { id: 14, total: 5 }]);
    assert.is((await kit.learner.mock(req('GET', '/users/9/orders/14')))!.via, 'state');
    // the same id under another user is not this resource
    assert.is((await kit.learner.mock(req('GET', '/users/8/orders/14'))), undefined);
  } finally {
    await kit.stop();
  }
});

flow('lifecycles on literal collections merge when their template generalises', async () => {
  const kit = await startLearner();
  try {
    kit.learner.observe(obs('POST', '/shops/1/items', 201, { id: 5 }));
    kit.learner.observe(obs('POST', '/shops/2/items', 201, { id: 9 }));
    await kit.tick();
    assert.equal(kit.learner.lifecycles().map((l) => l.collection).sort(), ['/shops/1/items', '/shops/2/items']);
    kit.learner.observe(obs('POST', '/shops/3/items', 201, { id: 7 }));
    await kit.tick();
    assert.equal(kit.learner.lifecycles().map((l) => [l.collection, l.nextSeq, l.creations]), [['/shops/{shopId}/items', 10, 3]]);
  } finally {
    await kit.stop();
  }
});

flow('string ids are handed out in a shape of their own; a full table answers without keeping', async () => {
  const kit = await startLearner({ state: { maxResources: 1 } });
  try {
    kit.learner.observe(obs('POST', '/orders', 201, { id: 'ord_abc', total: 1 }));
    kit.learner.observe(obs('DELETE', '/orders/ord_abc', 204));
    await kit.tick();
    const first = JSON.parse((await kit.learner.mock(req('POST', '/orders', '{"total":2}')))!.body);
    assert.is(first.id, 'orders-1');
    const second = (await kit.learner.mock(req('POST', '/orders', '{"total":3}')))!;
    assert.equal([second.status, JSON.parse(second.body).id], [201, 'orders-2']);
    assert.is(kit.learner.stats().resources, 1);
    assert.is((await kit.learner.mock(req('GET', '/orders/orders-2'))), undefined, 'not kept: not the mock\'s to answer');
    // the learned DELETE status answers deletions
    assert.is((await kit.learner.mock(req('DELETE', '/orders/orders-1')))!.status, 204);
    const gone = (await kit.learner.mock(req('GET', '/orders/orders-1')))!;
    assert.equal([gone.status, JSON.parse(gone.body).statusCode], [404, 404], 'no 404 learned: a generic one');
    // other methods on a kept resource are not the mock's business
    assert.is(await kit.learner.mock(req('OPTIONS', '/orders/orders-1')), undefined);
  } finally {
    await kit.stop();
  }
});

flow.run();
