// Path templates: segment classes, parameter names, promotion with literal siblings kept,
// the changes reported for re-keying, pin/split/merge (all or nothing, coded errors),
// the bounds (literals per position, nodes) and a save/restore round trip.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CodedError } from '@understudy/plugin-sdk';
import { classify, paramBaseName, singular } from '../src/model/classify.js';
import { parseTemplate, PathTemplates } from '../src/model/templates.js';

const coded = (fn: () => unknown, code: string, status: number, text?: string) => {
  try {
    fn();
  } catch (error) {
    const e = error as CodedError;
    assert.is(e.code, code, e.message);
    assert.is(e.statusCode, status);
    if (text) assert.match(e.message, text);
    return;
  }
  assert.unreachable(`expected ${code}`);
};

const learnAll = (t: PathTemplates, paths: string[], method = 'GET') => paths.map((p) => t.learn(method, p));

const classes = suite('model: segment classes and parameter names');

classes('classify: most specific class first; words have none', () => {
  const cases: Array<[string, string | undefined]> = [
    ['42', 'integer'],
    ['0042', 'integer'],
    ['3f2504e0-4f89-41d3-9a0c-0305e82c3301', 'uuid'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAV', 'ulid'],
    ['507f1f77bcf86cd799439011', 'hex'],
    ['deadbeef', undefined], // no digit: could be a word
    ['2024-05-01', 'date'],
    ['2024-13-01', undefined],
    ['sku-1234', 'slug'],
    ['order_2024_77', 'slug'],
    ['v2', undefined],
    ['me', undefined],
    ['hello-world', undefined],
    ['search', undefined],
  ];
  for (const [seg, want] of cases) assert.is(classify(seg), want, seg);
});

classes('names: singular of the segment before + Id', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['users', 'userId'],
    ['categories', 'categoryId'],
    ['addresses', 'addressId'],
    ['boxes', 'boxId'],
    ['statuses', 'statusId'],
    ['status', 'statusId'],
    ['people', 'personId'],
    ['line-items', 'lineItemId'],
    ['order_lines', 'orderLineId'],
    ['movies', 'movieId'],
    ['v1', 'v1Id'],
    ['2024', undefined],
    [undefined, undefined],
    ['%E2%9C%93', undefined],
    ['%zz', 'zzId'],
  ];
  for (const [seg, want] of cases) assert.is(paramBaseName(seg), want, String(seg));
  assert.is(singular('analysis'), 'analysis');
});

const t = suite('model: path templates');

t('three distinct integers make a parameter; /users/me stays literal; changes are reported', () => {
  const tpl = new PathTemplates();
  const [a, me, b, c] = learnAll(tpl, ['/users/1', '/users/me', '/users/2', '/users/3']);
  assert.equal([a.template, me.template, b.template], ['/users/1', '/users/me', '/users/2']);
  assert.equal(c, { template: '/users/{userId}', params: { userId: '3' }, classes: { userId: 'integer' }, changed: [{ from: ['/users/1', '/users/2'], to: '/users/{userId}' }] });
  assert.equal(tpl.learn('GET', '/users/me').template, '/users/me');
  assert.equal(tpl.learn('GET', '/users/77').params, { userId: '77' });
  assert.equal(
    tpl.templates().map((x) => [x.template, x.hits]),
    [
      ['/users/me', 2],
      ['/users/{userId}', 4],
    ],
  );
});

t('nested parameters: changes of one request composed into one move per original template', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/users/1', '/users/2', '/users/1/orders/7', '/users/2/orders/8']);
  const r = tpl.learn('GET', '/users/3/orders/9');
  assert.is(r.template, '/users/{userId}/orders/{orderId}');
  assert.equal(r.params, { userId: '3', orderId: '9' });
  assert.equal(r.changed, [
    { from: ['/users/1', '/users/2'], to: '/users/{userId}' },
    { from: ['/users/1/orders/7', '/users/2/orders/8'], to: '/users/{userId}/orders/{orderId}' },
  ]);
});

t('promotion merges subtrees: parameters below merge, a literal below joins the parameter that takes it', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/x/1/y/5', '/x/1/y/6', '/x/1/y/7', '/x/2/y/12', '/a/1/b/5', '/a/1/b/6', '/a/1/b/7', '/a/2/b/8', '/a/2/b/9', '/a/2/b/10']);
  assert.is(tpl.match('GET', '/x/1/y/99')!.template, '/x/1/y/{yId}');
  const r = tpl.learn('GET', '/x/3/y/11');
  assert.is(r.template, '/x/{xId}/y/{yId}');
  assert.equal(r.changed, [{ from: ['/x/1/y/{yId}', '/x/2/y/12'], to: '/x/{xId}/y/{yId}' }]);
  const a = tpl.learn('GET', '/a/3');
  assert.equal(a.changed, [{ from: ['/a/1/b/{bId}', '/a/2/b/{bId}'], to: '/a/{aId}/b/{bId}' }]);
  assert.equal(
    tpl.templates().map((x) => [x.template, x.hits]),
    [
      ['/a/{aId}', 1],
      ['/a/{aId}/b/{bId}', 6],
      ['/x/{xId}/y/{yId}', 5],
    ],
  );
});

t('names: fallback param1 at the root and after a parameter; duplicates numbered', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/acme-1/x', '/beta-2/x', '/gamma-3/x']);
  assert.is(tpl.match('GET', '/delta-4/x')!.template, '/{param1}/x');
  learnAll(tpl, ['/cal/1/2024-01-01', '/cal/2/2024-01-02', '/cal/3/2024-01-03']);
  assert.is(tpl.match('GET', '/cal/9/2024-02-02')!.template, '/cal/{calId}/{param1}');
  learnAll(tpl, ['/users/1/users/1', '/users/2/users/2', '/users/3/users/3']);
  assert.equal(tpl.match('GET', '/users/5/users/6'), { template: '/users/{userId}/users/{userId2}', params: { userId: '5', userId2: '6' }, classes: { userId: 'integer', userId2: 'integer' } });
});

t('a hex parameter takes all-digit ids of its lengths; another class widens the parameter', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/commits/a1b2c3d4', '/commits/0f0f0f0a', '/commits/9e8d7c6b']);
  assert.is(tpl.learn('GET', '/commits/12345678').template, '/commits/{commitId}');
  assert.is(tpl.learn('GET', '/commits/123').template, '/commits/123', 'a shorter number is not one of these ids');
  learnAll(tpl, ['/commits/456', '/commits/789']);
  assert.is(tpl.match('GET', '/commits/1000')!.template, '/commits/{commitId}', 'integers joined the parameter');
});

t('match: by method (* = any), literal first with backtracking, undefined when unknown', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/users/1/orders', '/users/2/orders', '/users/3/orders', '/users/me']);
  tpl.learn('DELETE', '/users/4');
  tpl.pin('GET /users/42');
  assert.is(tpl.match('GET', '/users/42')!.template, '/users/42');
  assert.is(tpl.match('GET', '/users/42/orders')!.template, '/users/{userId}/orders', 'the literal 42 has no orders: back to the parameter');
  assert.is(tpl.match('GET', '/users/me/orders'), undefined, 'me is no user id');
  assert.is(tpl.match('GET', '/users/4'), undefined, 'GET was never seen there');
  assert.is(tpl.match('*', '/users/4')!.template, '/users/{userId}');
  assert.is(tpl.match('delete', '/users/5')!.template, '/users/{userId}');
  assert.is(tpl.match('GET', '/nothing'), undefined);
  assert.is(tpl.match('GET', '/users//1///orders/')!.template, '/users/{userId}/orders', 'empty segments are ignored');
  assert.is(tpl.learn('GET', '/').template, '/');
});

t('pin: literals never merged, parameter names fixed, declared parameters take classed values', () => {
  const tpl = new PathTemplates();
  const pinned = tpl.pin('GET /users/2024');
  assert.is(pinned.template, '/users/2024');
  learnAll(tpl, ['/users/1', '/users/2', '/users/3']);
  assert.is(tpl.match('GET', '/users/2024')!.template, '/users/2024');
  assert.is(tpl.match('GET', '/users/9')!.template, '/users/{userId}');
  const renamed = tpl.pin('/users/{id}');
  assert.equal(renamed.changed, [{ from: ['/users/{userId}'], to: '/users/{id}' }]);
  assert.is(tpl.learn('GET', '/users/10').template, '/users/{id}');
  // declared before any traffic
  const fresh = new PathTemplates();
  fresh.learn('GET', '/items/abc-1');
  fresh.learn('GET', '/items/new');
  const d = fresh.pin('GET /items/{itemId}');
  assert.equal(d.changed, [{ from: ['/items/abc-1'], to: '/items/{itemId}' }]);
  assert.is(fresh.match('GET', '/items/42')!.template, '/items/{itemId}');
  assert.is(fresh.match('GET', '/items/new')!.template, '/items/new', 'words stay literal');
  assert.ok(fresh.templates().find((x) => x.template === '/items/{itemId}')!.pinned);
  fresh.learn('GET', '/items');
  assert.is(fresh.templates().find((x) => x.template === '/items')!.pinned, false, 'a literal on the way of a pinned template is not a pinned template');
  const bare = new PathTemplates();
  bare.pin('/a/b');
  assert.equal(bare.templates(), [{ template: '/a/b', methods: [], hits: 0, pinned: true, params: {} }], 'a pinned template is listed before any traffic');
  assert.is(bare.match('GET', '/a/b'), undefined, 'but matches no method yet');
});

t('split: a value kept apart as a pinned literal; conflicts and bad input are coded', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/users/1/orders', '/users/2/orders', '/users/3/orders', '/users/me']);
  assert.equal(tpl.split('/users/{userId}/orders', '42'), { template: '/users/42/orders', changed: [] });
  assert.is(tpl.match('GET', '/users/42/orders')!.template, '/users/42/orders');
  assert.is(tpl.learn('GET', '/users/42/orders').template, '/users/42/orders');
  assert.is(tpl.learn('GET', '/users/43/orders').template, '/users/{userId}/orders');
  coded(() => tpl.split('/users/{userId}/orders', '42'), 'US_LEARNER_TEMPLATE_CONFLICT', 409, '42');
  coded(() => tpl.split('/users/me', 'x'), 'US_LEARNER_BAD_TEMPLATE', 400, 'no parameter');
  coded(() => tpl.split('/users/{userId}/orders', 'a/b'), 'US_LEARNER_BAD_TEMPLATE', 400);
  coded(() => tpl.split('/users/{nope}/orders', '5'), 'US_LEARNER_TEMPLATE_NOT_FOUND', 404);
});

t('merge: words into a parameter, all or nothing', () => {
  const tpl = new PathTemplates();
  learnAll(tpl, ['/users/alice', '/users/bob', '/users/alice/posts', '/users/me']);
  const before = JSON.stringify(tpl.toJSON());
  coded(() => tpl.merge(['/users/alice', '/users/carol'], '/users/{username}'), 'US_LEARNER_TEMPLATE_NOT_FOUND', 404, 'carol');
  coded(() => tpl.merge(['/users/alice'], '/people/{username}'), 'US_LEARNER_BAD_TEMPLATE', 400, 'segment 1');
  coded(() => tpl.merge(['/users/alice/posts'], '/users/{username}'), 'US_LEARNER_BAD_TEMPLATE', 400, 'segments');
  coded(() => tpl.merge([], '/users/{username}'), 'US_LEARNER_BAD_TEMPLATE', 400);
  assert.is(JSON.stringify(tpl.toJSON()), before, 'nothing changed');
  const r = tpl.merge(['/users/alice', 'GET /users/bob'], '/users/{username}');
  assert.is(r.template, '/users/{username}');
  assert.equal(r.changed, [
    { from: ['/users/alice', '/users/bob'], to: '/users/{username}' },
    { from: ['/users/alice/posts'], to: '/users/{username}/posts' },
  ]);
  assert.equal(tpl.learn('GET', '/users/carol').params, { username: 'carol' });
  assert.is(tpl.learn('GET', '/users/me').template, '/users/me', 'a literal nobody merged stays');
});

t('parseTemplate refuses what is not a template', () => {
  assert.equal(parseTemplate('get /a/{b}'), { method: 'GET', parts: [{ lit: 'a' }, { param: 'b' }] });
  for (const bad of ['users', '/a/{b}/{b}', '/a/x{b}', '/a/{1b}', '/a/{b', 'GET  ']) coded(() => parseTemplate(bad), 'US_LEARNER_BAD_TEMPLATE', 400);
  coded(() => parseTemplate(42 as unknown as string), 'US_LEARNER_BAD_TEMPLATE', 400);
});

t('bounded: too many words at one position collapse into a parameter, busy literals kept', () => {
  const tpl = new PathTemplates({ maxLiterals: 20 });
  for (let i = 0; i < 30; i++) tpl.learn('GET', '/users/me');
  const names = ['ann', 'bea', 'cid', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jon', 'kim', 'lou', 'max', 'ned', 'oli', 'pam', 'quin', 'rex', 'sam', 'tom', 'uma', 'val'];
  const results = learnAll(tpl, names.map((n) => `/users/${n}`));
  const last = results[results.length - 1];
  assert.is(last.template, '/users/{userId}');
  assert.equal(last.classes, { userId: 'string' });
  assert.ok(results.some((r) => r.changed.length > 0));
  assert.is(tpl.match('GET', '/users/me')!.template, '/users/me', 'the busy literal survived');
  assert.is(tpl.learn('GET', '/users/zed').template, '/users/{userId}');
  assert.ok(tpl.stats().nodes < 10);
});

t('bounded: past the node budget paths are answered as they are, not remembered, and counted', () => {
  const tpl = new PathTemplates({ maxNodes: 16 });
  for (let i = 0; i < 30; i++) tpl.learn('GET', `/w${String.fromCharCode(97 + (i % 26))}x/deep/er`);
  const r = tpl.learn('GET', '/zzz/new/path');
  assert.is(r.overflow, true);
  assert.is(r.template, '/zzz/new/path');
  assert.ok(tpl.stats().nodes <= 16);
  assert.ok(tpl.stats().overflow > 0);
});

t('toJSON / fromJSON round trip; bad JSON is a coded 400 naming the place', () => {
  const tpl = new PathTemplates({ minDistinct: 2 });
  learnAll(tpl, ['/a/1', '/a/2', '/a/me', '/b/x1-y/c', '/b/x2-y/c']);
  tpl.pin('/a/me');
  tpl.learn('POST', '/a/3');
  const copy = PathTemplates.fromJSON(JSON.parse(JSON.stringify(tpl)));
  assert.equal(copy.templates(), tpl.templates());
  assert.is(copy.minDistinct, 2);
  assert.equal(copy.stats(), tpl.stats());
  assert.is(copy.learn('GET', '/a/9').template, '/a/{aId}');
  coded(() => PathTemplates.fromJSON(null), 'US_LEARNER_INVALID', 400, 'version');
  coded(() => PathTemplates.fromJSON({ version: 1, root: { h: 0, l: { a: 5 } } }), 'US_LEARNER_INVALID', 400, 'root/a');
  coded(() => PathTemplates.fromJSON({ version: 1, root: { h: 0, p: { c: ['nope'], node: { h: 0 } } } }), 'US_LEARNER_INVALID', 400, 'p.c');
  coded(() => PathTemplates.fromJSON({ version: 1, root: { h: 0, m: 'GET' } }), 'US_LEARNER_INVALID', 400, 'm must');
  coded(() => PathTemplates.fromJSON({ version: 1, root: { h: 0, l: 7 } }), 'US_LEARNER_INVALID', 400, 'l must');
});

classes.run();
t.run();
