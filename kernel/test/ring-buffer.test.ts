import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RingBuffer } from '../src/index.js';

test('keeps the newest items in order and counts the dropped ones', () => {
  const buffer = new RingBuffer<number>(3);
  for (const n of [1, 2]) buffer.push(n);
  assert.equal(buffer.toArray(), [1, 2]);
  for (const n of [3, 4, 5]) buffer.push(n);
  assert.equal(buffer.toArray(), [3, 4, 5]);
  assert.is(buffer.length, 3);
  assert.is(buffer.dropped, 2);
});

test('clear empties it but keeps the dropped count', () => {
  const buffer = new RingBuffer<string>(2);
  for (const s of ['a', 'b', 'c']) buffer.push(s);
  buffer.clear();
  assert.equal(buffer.toArray(), []);
  buffer.push('d');
  assert.equal(buffer.toArray(), ['d']);
  assert.is(buffer.dropped, 1);
});

test('capacity 0 keeps nothing and counts everything as dropped', () => {
  const buffer = new RingBuffer<number>(0);
  buffer.push(1);
  buffer.push(2);
  assert.equal(buffer.toArray(), []);
  assert.is(buffer.dropped, 2);
});

test('bounded by bytes too: the oldest go until the total fits, one too large is dropped', () => {
  const buffer = new RingBuffer<string>(10, { maxBytes: 10, sizeOf: (s) => s.length });
  for (const s of ['aaaa', 'bbbb']) buffer.push(s);
  assert.is(buffer.bytes, 8);
  buffer.push('cccc');
  assert.equal(buffer.toArray(), ['bbbb', 'cccc']);
  assert.is(buffer.bytes, 8);
  assert.is(buffer.dropped, 1);
  buffer.push('x'.repeat(11));
  assert.equal(buffer.toArray(), ['bbbb', 'cccc']);
  assert.is(buffer.dropped, 2);
  buffer.push('d'.repeat(10));
  assert.equal(buffer.toArray(), ['dddddddddd']);
  assert.is(buffer.dropped, 4);
  buffer.clear();
  assert.is(buffer.bytes, 0);
});

test('the count bound still holds with a byte bound; without sizeOf items weigh nothing', () => {
  const buffer = new RingBuffer<number>(2, { maxBytes: 100 });
  for (const n of [1, 2, 3]) buffer.push(n);
  assert.equal(buffer.toArray(), [2, 3]);
  assert.is(buffer.bytes, 0);
  assert.is(buffer.dropped, 1);
});

test.run();
