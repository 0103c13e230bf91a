import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { normalisedDistance } from '../src/matcher/distance.js';
import { checkJsonPath, jsonEquals, queryJson } from '../src/matcher/json.js';
import { compilePathTemplate } from '../src/matcher/path-template.js';
import { compileRegex } from '../src/matcher/regex.js';
import { compileValueMatcher } from '../src/matcher/value.js';

/** The error message `fn` throws, with its code checked. */
function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.is((err as { code: string }).code, 'US_STUBS_INVALID_MAPPING');
    assert.is((err as { statusCode: number }).statusCode, 400);
    return (err as Error).message;
  }
  return assert.unreachable('should have been refused');
}

const m = (raw: unknown) => compileValueMatcher(raw, 'x');

const value = suite('value matchers');

value('equalTo, case-sensitive or not, scores near values closer', () => {
  const exact = m({ equalTo: 'Hello' });
  assert.ok(exact.test('Hello'));
  assert.not.ok(exact.test('hello'));
  assert.not.ok(exact.test(undefined));
  assert.is(exact.distance(undefined), 1);
  assert.ok(exact.distance('Hellp') < exact.distance('xyz'));
  assert.is(exact.expected, 'Hello');
  const ci = m({ equalTo: 'Hello', caseInsensitive: true });
  assert.ok(ci.test('hELLO'));
  assert.is(ci.distance('HELLO'), 0);
  assert.is(ci.expected, 'Hello (case-insensitive)');
});

value('contains, doesNotContain, matches, doesNotMatch', () => {
  assert.ok(m({ contains: 'ell' }).test('Hello'));
  assert.not.ok(m({ contains: 'xyz' }).test('Hello'));
  assert.is(m({ contains: 'xyz' }).distance('Hello'), 1);
  assert.is(m({ contains: 'ell' }).distance('Hello'), 0);
  assert.ok(m({ doesNotContain: 'xyz' }).test('Hello'));
  assert.not.ok(m({ doesNotContain: 'ell' }).test('Hello'));
  assert.not.ok(m({ doesNotContain: 'ell' }).test(undefined));
  assert.ok(m({ matches: '[a-z]+' }).test('abc'));
  assert.not.ok(m({ matches: '[a-z]+' }).test('abc1'), 'the whole value must match');
  assert.ok(m({ doesNotMatch: '[0-9]+' }).test('abc'));
  assert.is(m({ matches: 'a.c' }).expected, 'matches a.c');
});

value('absent and absent: false', () => {
  assert.ok(m({ absent: true }).test(undefined));
  assert.not.ok(m({ absent: true }).test(''));
  assert.is(m({ absent: true }).expected, 'absent');
  assert.ok(m({ absent: false }).test('x'));
  assert.not.ok(m({ absent: false }).test(undefined));
});

value('equalToJson with a string or an object, and its options', () => {
  const j = m({ equalToJson: '{"a":1,"b":[1,2]}' });
  assert.ok(j.test('{ "b": [1, 2], "a": 1 }'));
  assert.not.ok(j.test('{"a":1,"b":[2,1]}'));
  assert.not.ok(j.test('not json'));
  assert.not.ok(j.test(undefined));
  assert.ok(m({ equalToJson: { b: [1, 2] }, ignoreArrayOrder: true }).test('{"b":[2,1]}'));
  assert.ok(m({ equalToJson: { a: 1 }, ignoreExtraElements: true }).test('{"a":1,"c":3}'));
  assert.not.ok(m({ equalToJson: { a: 1 } }).test('{"a":1,"c":3}'));
  assert.match(m({ equalToJson: { a: 1 } }).expected, 'equalToJson {"a":1}');
});

value('matchesJsonPath, plain and with a value matcher', () => {
  const body = JSON.stringify({ name: 'Tom', price: 15, items: [{ qty: 0 }, { qty: 3 }] });
  assert.ok(m({ matchesJsonPath: '$.name' }).test(body));
  assert.not.ok(m({ matchesJsonPath: '$.nope' }).test(body));
  assert.not.ok(m({ matchesJsonPath: '$.name' }).test('not json'));
  assert.ok(m({ matchesJsonPath: '$[?(@.price > 10)]' }).test(body), 'a root filter applies to the root object, as in WireMock');
  assert.not.ok(m({ matchesJsonPath: '$[?(@.price > 20)]' }).test(body));
  assert.ok(m({ matchesJsonPath: '$.items[?(@.qty > 2)]' }).test(body));
  assert.ok(m({ matchesJsonPath: { expression: '$.name', equalTo: 'Tom' } }).test(body));
  assert.not.ok(m({ matchesJsonPath: { expression: '$.name', equalTo: 'Ann' } }).test(body));
  assert.ok(m({ matchesJsonPath: { expression: '$.items', contains: '"qty":3' } }).test(body), 'non-strings are matched as JSON');
  assert.is(m({ matchesJsonPath: { expression: '$.name', equalTo: 'Tom' } }).expected, 'matchesJsonPath $.name Tom');
});

value('and / or', () => {
  const both = m({ and: [{ contains: 'a' }, { contains: 'b' }] });
  assert.ok(both.test('ab'));
  assert.not.ok(both.test('a'));
  assert.is(both.distance('a'), 1);
  assert.is(both.expected, '(contains "a") and (contains "b")');
  const either = m({ or: [{ equalTo: 'abc' }, { absent: true }] });
  assert.ok(either.test(undefined));
  assert.ok(either.test('abc'));
  assert.not.ok(either.test('abd'));
  assert.ok(either.distance('abd') < 1);
});

value('invalid patterns are refused with their path', () => {
  assert.match(refused(() => m('plain')), 'x: must be a matcher object');
  assert.match(refused(() => m({})), 'x: must have exactly one matcher, got none');
  assert.match(refused(() => m({ equalTo: 'a', contains: 'b' })), 'got equalTo, contains');
  assert.match(refused(() => m({ contains: 'a', caseInsensitive: true })), 'x.caseInsensitive: is not an option of contains');
  assert.match(refused(() => m({ equalTo: 1 })), 'x.equalTo: must be a string');
  assert.match(refused(() => m({ equalTo: 'a', caseInsensitive: 'yes' })), 'x.caseInsensitive: must be true or false');
  assert.match(refused(() => m({ matches: '(' })), 'x.matches: invalid regular expression');
  assert.match(refused(() => m({ equalToJson: '{' })), 'x.equalToJson: is a string but not valid JSON');
  assert.match(refused(() => m({ matchesJsonPath: 3 })), 'x.matchesJsonPath: must be a JSONPath string');
  assert.match(refused(() => m({ matchesJsonPath: 'name' })), 'must start with "$"');
  assert.match(refused(() => m({ matchesJsonPath: '$[?(@.a >>> )]' })), 'invalid JSONPath');
  assert.match(refused(() => m({ matchesJsonPath: { expression: 1 } })), 'x.matchesJsonPath.expression: must be a string');
  assert.match(refused(() => m({ matchesJsonPath: { expression: '$.a', bogus: 1 } })), 'x.matchesJsonPath.bogus: unknown or unsupported matcher');
  assert.match(refused(() => m({ and: [] })), 'x.and: must be a non-empty array');
  assert.match(refused(() => m({ or: [{ nope: 1 }] })), 'x.or[0].nope');
  assert.match(refused(() => m({ equalToXml: '<a/>' })), 'x.equalToXml: unknown or unsupported matcher; supported: equalTo');
});

value.run();

const helpers = suite('matcher helpers');

helpers('jsonEquals: placeholders, nesting and array options', () => {
  const strict = { ignoreArrayOrder: false, ignoreExtraElements: false };
  assert.ok(jsonEquals({ a: '${json-unit.any-string}', b: '${json-unit.any-number}', c: '${json-unit.any-boolean}', d: '${json-unit.ignore}' }, { a: 'x', b: 2, c: false, d: [1] }, strict));
  assert.not.ok(jsonEquals({ a: '${json-unit.any-number}' }, { a: '2' }, strict));
  assert.not.ok(jsonEquals([1], { 0: 1 }, strict));
  assert.not.ok(jsonEquals({ a: 1 }, [1], strict));
  assert.not.ok(jsonEquals([1, 2], [1, 2, 3], strict));
  assert.ok(jsonEquals([1, 2], [1, 2, 3], { ignoreArrayOrder: false, ignoreExtraElements: true }));
  assert.not.ok(jsonEquals([1, 2, 3], [1, 2], { ignoreArrayOrder: false, ignoreExtraElements: true }));
  assert.ok(jsonEquals([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }], { ignoreArrayOrder: true, ignoreExtraElements: false }));
  assert.not.ok(jsonEquals([1, 1], [1, 2], { ignoreArrayOrder: true, ignoreExtraElements: false }), 'each element is used once');
  assert.not.ok(jsonEquals({ a: 1, b: 2 }, { a: 1, c: 2 }, strict));
});

helpers('queryJson: no body, and expressions failing at run time match nothing', () => {
  assert.equal(queryJson('$.a', undefined), []);
  assert.equal(queryJson('$.items[?(@.x >>> )]', { items: [{ x: 1 }] }), []);
  checkJsonPath('$.items[?(@.x >>> )]', 'p');
});

helpers('regex: Java inline flags become RegExp flags', () => {
  assert.ok(compileRegex('(?s)a.*b', 'p').test('a\nb'));
  assert.not.ok(compileRegex('a.*b', 'p').test('a\nb'));
  assert.ok(compileRegex('(?i)abc', 'p').test('ABC'));
});

helpers('normalisedDistance', () => {
  assert.is(normalisedDistance('abc', 'abc'), 0);
  assert.is(normalisedDistance('', 'abc'), 1);
  assert.is(normalisedDistance('abcd', 'abce'), 0.25);
  assert.is(normalisedDistance('a'.repeat(3000), 'b'.repeat(3000)), 1);
});

helpers('path templates: parameters, decoding and bad templates', () => {
  const t = compilePathTemplate('/users/{id}/posts/{post-id}.json', 'p');
  assert.equal(t.names, ['id', 'post-id']);
  assert.equal(t.parse('/users/a%20b/posts/7.json'), { id: 'a b', 'post-id': '7' });
  assert.equal(t.parse('/users/%E0%A4%A/posts/7.json'), { id: '%E0%A4%A', 'post-id': '7' }, 'undecodable segments stay as they are');
  assert.is(t.parse('/users/1/posts/7xjson'), undefined, 'literal parts are escaped');
  assert.is(t.parse('/users/1/2/posts/7.json'), undefined);
  assert.match(refused(() => compilePathTemplate('users/{id}', 'p')), 'p: must start with "/"');
  assert.match(refused(() => compilePathTemplate('/a/{id}/{id}', 'p')), 'appears twice');
  assert.match(refused(() => compilePathTemplate('/a/{id', 'p')), 'malformed');
});

helpers.run();
