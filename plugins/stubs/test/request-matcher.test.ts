import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExchangeRequest } from '@understudy/plugin-sdk';
import { compileRequestPattern } from '../src/matcher/request.js';

function req(over: Partial<ExchangeRequest> & { url: string }): ExchangeRequest {
  const [path, qs = ''] = over.url.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(qs)) query[k] = query[k] === undefined ? v : [query[k]].flat().concat(v);
  return { method: 'GET', path, query, headers: {}, body: '', ...over };
}

function refused(raw: unknown): string {
  try {
    compileRequestPattern(raw, 'request');
  } catch (err) {
    assert.is((err as { code: string }).code, 'US_STUBS_INVALID_MAPPING');
    return (err as Error).message;
  }
  return assert.unreachable('should have been refused');
}

const matching = suite('request patterns');

matching('an empty pattern matches everything at distance 0', () => {
  const p = compileRequestPattern({}, 'request');
  assert.ok(p.test(req({ url: '/anything', method: 'DELETE' })));
  assert.equal(p.evaluate(req({ url: '/x' })), { distance: 0, mismatches: [] });
  assert.ok(compileRequestPattern({ method: 'any' }, 'request').test(req({ url: '/x', method: 'PATCH' })));
});

matching('url kinds', () => {
  const r = req({ url: '/a/b?x=1' });
  assert.ok(compileRequestPattern({ url: '/a/b?x=1' }, 'request').test(r));
  assert.not.ok(compileRequestPattern({ url: '/a/b' }, 'request').test(r));
  assert.ok(compileRequestPattern({ urlPath: '/a/b' }, 'request').test(r));
  assert.ok(compileRequestPattern({ urlPattern: '/a/.*\\?x=[0-9]' }, 'request').test(r));
  assert.ok(compileRequestPattern({ urlPathPattern: '/a/[a-z]' }, 'request').test(r));
  assert.not.ok(compileRequestPattern({ urlPathPattern: '/a' }, 'request').test(r));
});

matching('urlPathTemplate with pathParameters', () => {
  const p = compileRequestPattern({ urlPathTemplate: '/users/{id}', pathParameters: { id: { matches: '[0-9]+' } } }, 'request');
  assert.ok(p.test(req({ url: '/users/12' })));
  assert.not.ok(p.test(req({ url: '/users/ab' })));
  assert.equal(p.evaluate(req({ url: '/users/ab' })).mismatches, [{ field: 'pathParameters.id', expected: 'matches [0-9]+', actual: 'ab' }]);
  assert.equal(p.evaluate(req({ url: '/groups/1' })).mismatches, [
    { field: 'urlPathTemplate', expected: '/users/{id}', actual: '/groups/1' },
    { field: 'pathParameters.id', expected: 'matches [0-9]+', actual: null },
  ]);
});

matching('query parameters, headers (any case), cookies, multi-valued', () => {
  const p = compileRequestPattern(
    {
      queryParameters: { tag: { equalTo: 'b' }, missing: { absent: true } },
      headers: { 'X-Api-Key': { equalTo: 'k' } },
      cookies: { session: { matches: 's-[0-9]+' } },
    },
    'request',
  );
  const ok = req({ url: '/?tag=a&tag=b', headers: { 'x-api-key': 'k', cookie: ['theme=dark; session=s-1'] } });
  assert.ok(p.test(ok));
  const bad = req({ url: '/?tag=a&tag=c&missing=1', headers: {} });
  const { distance, mismatches } = p.evaluate(bad);
  assert.ok(distance > 0 && distance <= 1);
  assert.equal(mismatches, [
    { field: 'queryParameters.tag', expected: 'b', actual: ['a', 'c'] },
    { field: 'queryParameters.missing', expected: 'absent', actual: '1' },
    { field: 'headers.X-Api-Key', expected: 'k', actual: null },
    { field: 'cookies.session', expected: 'matches s-[0-9]+', actual: null },
  ]);
  assert.not.ok(compileRequestPattern({ queryParameters: { q: { equalTo: 'x' } } }, 'request').test({ ...req({ url: '/' }), query: { q: [] } }));
});

matching('near-miss distance weighs URL over method over the rest', () => {
  const p = compileRequestPattern({ method: 'POST', urlPath: '/orders', headers: { accept: { equalTo: 'x' } } }, 'request');
  const wrongMethod = p.evaluate(req({ url: '/orders', headers: { accept: 'x' } })).distance;
  const wrongHeader = p.evaluate(req({ url: '/orders', method: 'POST', headers: { accept: 'y' } })).distance;
  const wrongUrl = p.evaluate(req({ url: '/zzzzzz', method: 'POST', headers: { accept: 'x' } })).distance;
  assert.ok(wrongHeader < wrongMethod && wrongMethod < wrongUrl, `${wrongHeader} < ${wrongMethod} < ${wrongUrl}`);
});

matching('basic auth and body patterns; long bodies are cut in near misses', () => {
  const p = compileRequestPattern({ basicAuthCredentials: { username: 'u', password: 'p' }, bodyPatterns: [{ contains: 'needle' }, { matchesJsonPath: '$.a' }] }, 'request');
  const auth = { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` };
  assert.ok(p.test(req({ url: '/', headers: auth, body: '{"a":"needle"}' })));
  const body = 'x'.repeat(600);
  const { mismatches } = p.evaluate(req({ url: '/', headers: auth, body }));
  assert.is(mismatches.length, 2);
  assert.is(mismatches[0].field, 'body');
  assert.is((mismatches[0].actual as string).length, 501);
});

matching('invalid patterns are refused with their path', () => {
  assert.match(refused('x'), 'request: must be an object');
  assert.match(refused({ formParameters: {} }), 'request.formParameters: is not supported');
  assert.match(refused({ uri: '/x' }), 'request.uri: is not a request field');
  assert.match(refused({ url: '/a', urlPath: '/a' }), 'request: has url and urlPath');
  assert.match(refused({ urlPath: '/a', pathParameters: {} }), 'request.pathParameters: needs urlPathTemplate');
  assert.match(refused({ urlPath: 5 }), 'request.urlPath: must be a string');
  assert.match(refused({ urlPattern: '[' }), 'request.urlPattern: invalid regular expression');
  assert.match(refused({ urlPathTemplate: '/u/{id}', pathParameters: { name: { equalTo: 'a' } } }), 'request.pathParameters.name: is not a parameter of /u/{id}');
  assert.match(refused({ method: 'GE T' }), 'request.method: must be an HTTP method');
  assert.match(refused({ headers: [] }), 'request.headers: must be an object');
  assert.match(refused({ headers: { accept: { sortOf: 1 } } }), 'request.headers.accept.sortOf');
  assert.match(refused({ basicAuthCredentials: { username: 'u' } }), 'request.basicAuthCredentials: must be');
  assert.match(refused({ bodyPatterns: { contains: 'a' } }), 'request.bodyPatterns: must be an array');
  assert.match(refused({ bodyPatterns: [{ matches: '(' }] }), 'request.bodyPatterns[0].matches: invalid regular expression');
});

matching.run();
