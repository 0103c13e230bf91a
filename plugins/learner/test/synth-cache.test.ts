// The cache of synthesized answers on its own: an entry answers only for the model object
// it was made from, answers are copies, and it stays within its entry and byte bounds
// (oldest dropped first; an answer larger than the byte bound is not kept).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MockCache } from '../src/synth/cache.js';
import type { EndpointModel, MockResponse } from '../src/model/types.js';

const model = (key: string) => ({ key }) as unknown as EndpointModel;
const answer = (body: string): MockResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body, delayMs: 3, via: 'synthesized' });

test('an entry answers for its model object only, as a copy', () => {
  const cache = new MockCache();
  const m = model('GET /a');
  cache.set('k', m, answer('{"a":1}'));
  assert.equal(cache.get('k', m), answer('{"a":1}'));
  assert.is(cache.get('k', model('GET /a')), undefined, 'another object of the same key is another model');
  cache.get('k', m)!.headers.x = 'y';
  assert.equal(cache.get('k', m)!.headers, { 'content-type': 'application/json' });
  assert.equal([cache.hits, cache.misses], [3, 1]);
  // set again under the same key replaces the entry
  cache.set('k', m, answer('{"a":2}'));
  assert.equal([cache.size, cache.get('k', m)!.body], [1, '{"a":2}']);
  assert.is(cache.cachedBytes, 1 + 7);
});

test('bounded by entries and bytes, oldest first; an answer over the byte bound is not kept', () => {
  const m = model('GET /a');
  const byCount = new MockCache({ maxEntries: 2, maxBytes: 1000 });
  for (const k of ['a', 'b', 'c']) byCount.set(k, m, answer('x'));
  assert.equal([byCount.size, byCount.get('a', m), !!byCount.get('c', m)], [2, undefined, true]);
  const byBytes = new MockCache({ maxEntries: 100, maxBytes: 25 });
  byBytes.set('a', m, answer('0123456789'));
  byBytes.set('b', m, answer('0123456789'));
  assert.equal([byBytes.size, byBytes.cachedBytes], [2, 22]);
  byBytes.set('c', m, answer('0123'));
  assert.equal([byBytes.size, byBytes.get('a', m), byBytes.cachedBytes], [2, undefined, 16]);
  byBytes.set('d', m, answer('x'.repeat(40)));
  assert.equal([byBytes.size, byBytes.get('d', m)], [2, undefined]);
});

test.run();
