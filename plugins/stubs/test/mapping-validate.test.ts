import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileMapping } from '../src/mapping/validate.js';

const opts = { newId: () => 'generated', filesDir: '/srv/root/__files' };

function refused(raw: unknown): string {
  try {
    compileMapping(raw, '', opts);
  } catch (err) {
    assert.is((err as { code: string }).code, 'US_STUBS_INVALID_MAPPING');
    return (err as Error).message;
  }
  return assert.unreachable('should have been refused');
}

const ok = { request: { url: '/x' } };

test('ids: given id or uuid is kept, otherwise generated; the copy leaves the input alone', () => {
  const input = { ...ok, uuid: 'u-1', metadata: { team: 'a' }, response: { statusMessage: 'fine', transformers: ['response-template'] } };
  const { mapping } = compileMapping(input, '', opts);
  assert.is(mapping.id, 'u-1');
  assert.is(mapping.uuid, 'u-1');
  assert.is((input as { id?: string }).id, undefined);
  assert.is(compileMapping(ok, '', opts).mapping.id, 'generated');
  assert.equal(compileMapping(ok, '', opts).mapping.response, {});
});

test('top-level fields', () => {
  assert.match(refused([]), '(mapping): must be a JSON object');
  assert.match(refused({ ...ok, id: 'a', uuid: 'b' }), 'uuid: differs from id "a"');
  assert.match(refused({ ...ok, name: 3 }), 'name: must be a string');
  assert.match(refused({ ...ok, priority: 0 }), 'priority: must be an integer from 1');
  assert.match(refused({ ...ok, newScenarioState: 'B' }), 'scenarioName: is required');
  assert.match(refused({ ...ok, response: 'ok' }), 'response: must be an object');
  assert.match(refused({ ...ok, response: { proxyBaseUrl: 'http://x' } }), 'response.proxyBaseUrl: proxying is not supported');
});

test('response fields', () => {
  assert.match(refused({ ...ok, response: { status: 99 } }), 'response.status: must be an integer from 100 to 599');
  assert.match(refused({ ...ok, response: { headers: 'x' } }), 'response.headers: must be an object');
  assert.match(refused({ ...ok, response: { headers: { a: 1 } } }), 'response.headers.a: must be a string or an array of strings');
  assert.ok(compileMapping({ ...ok, response: { headers: { 'set-cookie': ['a=1', 'b=2'] } } }, '', opts));
  assert.match(refused({ ...ok, response: { body: 'a', jsonBody: {} } }), 'response: has body and jsonBody');
  assert.match(refused({ ...ok, response: { body: {} } }), 'response.body: must be a string');
  assert.match(refused({ ...ok, response: { base64Body: 'not base64!' } }), 'response.base64Body: is not valid base64');
  assert.match(refused({ ...ok, response: { bodyFileName: '' } }), 'response.bodyFileName: must be a file name');
  assert.match(refused({ ...ok, response: { bodyFileName: '/etc/passwd' } }), 'points outside __files/');
  assert.ok(compileMapping({ ...ok, response: { bodyFileName: 'sub/a.json' } }, '', opts));
  assert.match(refused({ ...ok, response: { fixedDelayMilliseconds: -1 } }), 'response.fixedDelayMilliseconds: must be an integer');
  assert.match(refused({ ...ok, response: { fault: 'BOOM' } }), 'response.fault: must be one of CONNECTION_RESET_BY_PEER');
});

test('delay distributions', () => {
  const dd = (d: unknown) => refused({ ...ok, response: { delayDistribution: d } });
  assert.match(dd('x'), 'response.delayDistribution: must be an object');
  assert.match(dd({ type: 'fixed' }), 'response.delayDistribution.type: must be "uniform" or "lognormal"');
  assert.match(dd({ type: 'uniform', lower: 5, upper: 1 }), 'lower must not exceed upper');
  assert.match(dd({ type: 'uniform', lower: -1, upper: 1 }), 'response.delayDistribution.lower: must be a number >= 0');
  assert.match(dd({ type: 'lognormal', median: 10 }), 'response.delayDistribution.sigma: must be a number >= 0');
});

test.run();
