import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { didYouMean, listNames } from '../src/index.js';

test('didYouMean names the nearest known name when it is near enough', () => {
  assert.is(didYouMean('chekout', ['checkout', 'cart']), ' Did you mean "checkout"?');
  assert.is(didYouMean('zzzzzz', ['checkout', 'cart']), '');
  assert.is(didYouMean('a', []), '');
});

test('listNames lists up to max names, then an ellipsis; none when empty', () => {
  assert.is(listNames(['a', 'b']), 'a, b');
  assert.is(listNames(['a', 'b', 'c'], 2), 'a, b, …');
  assert.is(listNames([]), 'none');
});

test.run();
