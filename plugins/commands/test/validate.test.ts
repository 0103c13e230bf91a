import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { computeDelta, jsonEqual, mergeState } from '../src/shadow-state.js';
import { parseReply, parseSendRequest } from '../src/validate.js';

const send = suite('commands: send request validation');

function problems(body: unknown): string {
  try {
    parseSendRequest(body, 'rest');
  } catch (err) {
    assert.is((err as { code: string }).code, 'US_COMMANDS_INVALID');
    assert.is((err as { statusCode: number }).statusCode, 400);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

send('a valid request with defaults filled in', () => {
  const r = parseSendRequest({ target: { deviceId: 'd1' }, name: 'reboot' }, 'rest');
  assert.equal(r, { target: { deviceId: 'd1' }, name: 'reboot', params: {}, timeoutMs: undefined, maxAttempts: undefined, ttlMs: undefined, requestId: undefined, origin: 'rest' });
  const s = parseSendRequest(
    { target: { selector: { type: 't', ids: ['a'], metadata: { floor: 2, zone: 'a', on: true } } }, name: 'set.temp', params: { v: 1 }, timeoutMs: 5, maxAttempts: 1, ttlMs: 9, requestId: 'r1' },
    'mqtt:x',
  );
  assert.is(s.requestId, 'r1');
  assert.is(s.origin, 'mqtt:x');
  assert.equal(s.params, { v: 1 });
});

send('every problem with its path', () => {
  assert.match(problems(null), '(root): must be an object');
  assert.match(problems([]), '(root)');
  const m = problems({ target: { deviceId: '' }, name: 'a/b', params: [], timeoutMs: 0, maxAttempts: 1.5, ttlMs: 'x', requestId: 5, extra: 1 });
  for (const p of ['extra: unknown property', 'target.deviceId: must be a non-empty string', 'name: must be', 'params: must be an object', 'timeoutMs: must be an integer >= 1', 'maxAttempts:', 'ttlMs:', 'requestId: must be a string']) {
    assert.match(m, p);
  }
  assert.match(problems({ name: 'x' }), 'target: must be');
  assert.match(problems({ target: {}, name: 'x' }), 'target: must have exactly one of deviceId or selector');
  assert.match(problems({ target: { deviceId: 'a', selector: {} }, name: 'x' }), 'exactly one');
  assert.match(problems({ target: { other: 1 }, name: 'x' }), 'exactly one');
  assert.match(problems({ target: { selector: 'x' }, name: 'x' }), 'target.selector: must be an object');
  const s = problems({ target: { selector: { type: '', ids: [], metadata: { a: {} }, x: 1 } }, name: 'x' });
  for (const p of ['target.selector.x: unknown property', 'target.selector.type', 'target.selector.ids', 'target.selector.metadata.a']) assert.match(s, p);
  assert.match(problems({ target: { selector: { ids: [1] } }, name: 'x' }), 'target.selector.ids');
  assert.match(problems({ target: { selector: { metadata: [] } }, name: 'x' }), 'target.selector.metadata: must be an object');
  assert.match(problems({ target: { deviceId: 'd' }, name: '' }), 'name:');
  assert.match(problems({ target: { deviceId: 'a/b' }, name: 'x' }), 'target.deviceId: must be a non-empty string without / + #');
  assert.match(problems({ target: { deviceId: 'a+' }, name: 'x' }), 'target.deviceId');
  assert.match(problems({ target: { deviceId: 'd' }, name: 'a+' }), 'name:');
});

send.run();

const replies = suite('commands: reply parsing');

replies('valid replies, errors made strings', () => {
  assert.equal(parseReply('{"correlationId":"c","status":"ACKED"}'), { correlationId: 'c', status: 'ACKED', result: undefined, error: undefined });
  assert.equal(parseReply(Buffer.from('{"correlationId":"c","status":"FAILED","error":"x","result":1}')), { correlationId: 'c', status: 'FAILED', result: 1, error: 'x' });
  assert.is(parseReply('{"correlationId":"c","status":"REJECTED","error":{"why":"busy"}}')!.error, '{"why":"busy"}');
});

replies('malformed replies are undefined', () => {
  for (const text of ['nope', '[]', 'null', '{"status":"ACKED"}', '{"correlationId":"c","status":"DONE"}', '{"correlationId":1,"status":"ACKED"}']) {
    assert.is(parseReply(text), undefined, text);
  }
});

replies.run();

const shadow = suite('commands: shadow state');

shadow('mergeState: nested objects merge, null deletes, arrays replace', () => {
  const base = { a: 1, b: { x: 1, y: 2 }, c: [1, 2], d: 'keep' };
  assert.equal(mergeState(base, { a: 2, b: { y: 3, z: 4 }, c: [3], d: null, e: { n: 1 } }), { a: 2, b: { x: 1, y: 3, z: 4 }, c: [3], e: { n: 1 } });
  assert.equal(base, { a: 1, b: { x: 1, y: 2 }, c: [1, 2], d: 'keep' });
  assert.equal(mergeState({ a: 1 }, { a: { b: 1 } }), { a: { b: 1 } });
});

shadow('computeDelta: desired keys whose value differs from reported', () => {
  assert.equal(computeDelta({ t: 21, mode: 'eco', cfg: { a: 1, b: [1] } }, { t: 20, mode: 'eco', cfg: { b: [1], a: 1 }, extra: 1 }), { t: 21 });
  assert.equal(computeDelta({ t: 21 }, {}), { t: 21 });
  assert.equal(computeDelta({}, { t: 1 }), {});
});

shadow('jsonEqual', () => {
  assert.ok(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
  assert.not.ok(jsonEqual([1], [1, 2]));
  assert.not.ok(jsonEqual([1], { 0: 1 }));
  assert.not.ok(jsonEqual({ a: 1 }, { b: 1 }));
  assert.not.ok(jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.not.ok(jsonEqual(1, '1'));
  assert.not.ok(jsonEqual(null, {}));
});

shadow.run();
