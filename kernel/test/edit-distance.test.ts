// The one edit distance behind every "did you mean" and the stubs' near misses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { editDistance } from '../src/index.js';

test('Levenshtein: insertions, deletions and substitutions count one each', () => {
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('', 'abc'), 3);
  assert.is(editDistance('abc', ''), 3);
  assert.is(editDistance('same', 'same'), 0);
  assert.is(editDistance('Mesh', 'mesh'), 1, 'case-sensitive: callers lower-case when they want');
});

test.run();
