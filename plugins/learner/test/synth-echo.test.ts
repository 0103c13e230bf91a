// What a response repeats from its request, learned from examples: path parameters,
// query parameters and request body fields, inside arrays too; one example is only
// believed when the value is distinctive or the names agree; rules without examples come
// from the schema. Derived data is cached per status model until its examples change.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import { bodyRules, derive, schemaRules } from '../src/synth/echo.js';
import { synthesize } from '../src/synth/index.js';
import type { Example } from '../src/model/types.js';
import { endpoint, status } from './synth-fixtures.js';

const ex = (over: Partial<Example>): Example => ({ path: '/', params: {}, query: {}, body: '{}', at: 1, ...over });
const rules = (examples: Example[]) => derive(status(200, 1, { examples })).rules.map((r) => `${r.source}:${r.name}→${r.pointer}${r.numeric ? '#' : ''}`).sort();

const e = suite('echo rules');

e('two examples agreeing make a rule; a disagreeing one removes it', () => {
  const a = ex({ params: { userId: '5' }, body: '{"id":5,"owner":5,"n":5}' });
  const b = ex({ params: { userId: '8' }, body: '{"id":8,"owner":8,"n":1}' });
  assert.equal(rules([a, b]), ['param:userId→/id#', 'param:userId→/owner#']);
});

e('one example: only a distinctive value or agreeing names make a rule', () => {
  assert.equal(rules([ex({ params: { userId: '7' }, body: '{"id":7,"count":7}' })]), ['param:userId→/id#']);
  assert.equal(rules([ex({ params: { orderId: '123456' }, body: '{"ref":123456}' })]), ['param:orderId→/ref#']);
  assert.equal(rules([ex({ params: { slug: 'blue-shoes' }, body: '{"handle":"blue-shoes"}' })]), ['param:slug→/handle']);
  assert.equal(rules([ex({ params: { slug: 'ab' }, body: '{"handle":"ab"}' })]), []);
  assert.equal(rules([ex({ query: { flag: 'true' as string }, body: '{"on":true}' })]), []);
  assert.equal(rules([ex({ params: { n: '12' }, body: '{"n":"12"}' })]), ['param:n→/n']);
});

e('array items: every element equal to the parameter (`/items/*/userId`)', () => {
  const a = ex({ params: { userId: '3' }, body: '{"items":[{"userId":3,"q":3},{"userId":3,"q":1}]}' });
  const b = ex({ params: { userId: '4' }, body: '{"items":[{"userId":4,"q":2}]}' });
  assert.equal(rules([a, b]), ['param:userId→/items/*/userId#']);
});

e('query (first of repeated values) and request body fields; bodies that are not JSON are ignored', () => {
  const a = ex({ query: { page: ['2', '9'] }, requestBody: '{"email":"a@example.com","n":null}', body: '{"page":2,"email":"a@example.com"}' });
  const b = ex({ query: { page: '5' }, requestBody: '{"email":"b@example.com"}', body: '{"page":5,"email":"b@example.com"}' });
  const c = ex({ query: { page: '6' }, body: 'not json' });
  assert.equal(rules([a, b, c]), ['body:email→/email', 'query:page→/page#']);
});

e('the cache follows the examples', () => {
  const st = status(200, 1, { examples: [ex({ params: { id: '100' }, body: '{"id":100}' })] });
  const first = derive(st);
  assert.is(derive(st), first);
  st.examples.push(ex({ params: { id: '200' }, body: '{"id":300}' }));
  assert.equal(derive(st).rules, []);
  assert.is.not(derive(st), first);
});

e('without examples: the schema names where parameters go; writes echo same-named body fields', () => {
  const schema = { type: 'object', properties: { id: { type: 'integer' }, orders: { type: 'array', items: { type: 'object', properties: { userId: { type: 'string' } } } } } };
  assert.equal(schemaRules(schema, ['userId']).map((r) => [r.pointer, r.numeric]), [['/orders/*/userId', false], ['/id', true]]);
  assert.equal(schemaRules(undefined, ['x']), []);
  assert.equal(bodyRules({ properties: { email: { type: 'string' }, age: { type: 'number' } } }, { email: 'e', age: 3, other: 1, nested: {} }).map((r) => [r.name, r.numeric]), [['email', false], ['age', true]]);
  assert.equal(bodyRules({ properties: {} }, [1]), []);
  assert.equal(bodyRules(undefined, {}), []);
});

e('synthesize echoes a learned body field on a write and a nested parameter in lists', () => {
  const model = endpoint({
    method: 'GET',
    template: '/users/{userId}/orders',
    params: { userId: 'integer' },
    statuses: [
      status(200, 10, {
        schema: { type: 'object', properties: { items: { type: 'array', minItems: 2, maxItems: 4, items: { type: 'object', properties: { userId: { type: 'integer' }, total: { type: 'number' } }, required: ['userId', 'total'] } } }, required: ['items'] },
        examples: [
          ex({ path: '/users/1/orders', params: { userId: '1' }, body: '{"items":[{"userId":1,"total":3.5}]}' }),
          ex({ path: '/users/2/orders', params: { userId: '2' }, body: '{"items":[{"userId":2,"total":9}]}' }),
        ],
      }),
    ],
  });
  const out = JSON.parse(synthesize(model, { method: 'GET', path: '/users/77/orders', params: { userId: '77' }, query: {} }, createRandom(1, 'o')).body);
  assert.ok(out.items.length >= 2);
  assert.ok(out.items.every((i: { userId: number }) => i.userId === 77));
});

e.run();
