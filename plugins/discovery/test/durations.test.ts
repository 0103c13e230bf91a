import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration } from '../src/durations.js';

test('parses Go durations to milliseconds', () => {
  assert.is(parseDuration('10s', 'f'), 10_000);
  assert.is(parseDuration('1m', 'f'), 60_000);
  assert.is(parseDuration('500ms', 'f'), 500);
  assert.is(parseDuration('1h', 'f'), 3_600_000);
  assert.is(parseDuration('1m30s', 'f'), 90_000);
  assert.is(parseDuration('1.5s', 'f'), 1500);
  assert.is(parseDuration('250us', 'f'), 0.25);
  assert.is(parseDuration('0', 'f'), 0);
  assert.is(parseDuration(2_000_000_000, 'f'), 2000); // a JSON number is nanoseconds
});

test('rejects what Go rejects, naming the field', () => {
  for (const bad of ['', '10', 's', '10x', '1m 30s', -1, null, {}]) {
    assert.throws(() => parseDuration(bad, 'Check.TTL'), (err: any) => err.code === 'US_DISCOVERY_INVALID_DURATION' && err.message.startsWith('Check.TTL: '));
  }
});

test.run();
