// Learning one endpoint from observations: counts, errors, times, latency, the status mix,
// content types, typical headers (redacted), body sizes, schemas per status and of the
// request, query parameters, bounded examples with secrets redacted; merging models when
// templates merge; and the redaction helpers on their own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EndpointLearner, parseJsonBody, queryValue } from '../src/model/endpoint.js';
import { REDACTED, redactBody, redactHeaders, redactJson, redactQuery } from '../src/model/secrets.js';
import type { EndpointModel, JsonSchema, Observation } from '../src/model/types.js';

let clock = 1000;
function obs(over: Partial<Observation> = {}): Observation {
  const body = over.responseBody ?? JSON.stringify({ id: 1, name: 'Ada' });
  return {
    at: (clock += 10),
    method: 'GET',
    path: '/users/1',
    query: {},
    requestHeaders: { authorization: 'Bearer s3cret' },
    status: 200,
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'x-powered-by': 'sample', 'set-cookie': ['sid=abc'], date: 'Tue', 'content-length': '20' },
    responseBody: body,
    responseBytes: body.length,
    latencyMs: 20,
    upstream: 'default',
    source: 'proxy',
    ...over,
  };
}
const match = (id = '1') => ({ template: '/users/{userId}', params: { userId: id } });

const secrets = suite('model: redaction');

secrets('headers: authorization, cookies, x-api-key and configured names; names lower-cased', () => {
  const out = redactHeaders({ Authorization: 'Bearer x', Cookie: 'a=b', 'set-cookie': ['a', 'b'], 'X-Api-Key': 'k', 'X-Tenant-Token': 't', accept: 'json', gone: undefined }, ['x-tenant-token']);
  assert.equal(out, { authorization: REDACTED, cookie: REDACTED, 'set-cookie': [REDACTED, REDACTED], 'x-api-key': REDACTED, 'x-tenant-token': REDACTED, accept: 'json' });
});

secrets('bodies: JSON at any depth (names compared loosely), cut JSON and forms by pattern', () => {
  const json = JSON.stringify({ user: 'ada', password: 'hunter2', profile: { API_KEY: 'k1', nested: [{ accessToken: 'tok' }] }, pin: 1234 });
  const out = JSON.parse(redactBody(json, ['pin']));
  assert.equal(out, { user: 'ada', password: REDACTED, profile: { API_KEY: REDACTED, nested: [{ accessToken: REDACTED }] }, pin: REDACTED });
  const cut = '{"user":"ada","password":"hun\\"ter2","pin": 1234, "token":"abc';
  const red = redactBody(cut, ['pin']);
  assert.not.ok(/hun|1234|abc/.test(red), red);
  assert.match(red, '"user":"ada"');
  assert.is(redactBody('user=ada&password=hunter2&client_secret=zz'), 'user=ada&password=%5BREDACTED%5D&client_secret=%5BREDACTED%5D');
  assert.is(redactBody('plain text'), 'plain text');
  assert.equal(redactJson([{ secret: { a: 1 } }]), [{ secret: REDACTED }]);
  assert.equal(redactQuery({ q: 'x', api_key: 'k', token: ['a', 'b'] }), { q: 'x', api_key: REDACTED, token: [REDACTED, REDACTED] });
});

secrets('__proto__ keys stay own properties when redacting', () => {
  const out = redactJson(JSON.parse('{"__proto__": {"password": "x"}}')) as Record<string, unknown>;
  assert.ok(Object.hasOwn(out, '__proto__'));
  assert.equal(JSON.stringify(out), '{"__proto__":{"password":"[REDACTED]"}}');
  const q = redactQuery(JSON.parse('{"__proto__": "v"}'));
  assert.ok(Object.hasOwn(q, '__proto__'));
});

const learn = suite('model: endpoint learning');

learn('counts, errors, times, latency, status mix, content type, body sizes, schema per status', () => {
  const l = new EndpointLearner();
  let m: EndpointModel | undefined;
  m = l.observe(m, obs({ latencyMs: 10 }), match('1'));
  m = l.observe(m, obs({ latencyMs: 30, path: '/users/2', responseBody: JSON.stringify({ id: 2, name: 'Grace', admin: true }), responseBytes: 40 }), match('2'));
  m = l.observe(m, obs({ status: 404, responseBody: JSON.stringify({ error: 'not found' }), responseBytes: 21, latencyMs: 5 }), match('9'));
  m = l.observe(m, obs({ status: 503, responseBody: 'busy', responseHeaders: { 'content-type': 'text/plain' }, responseBytes: 4 }), match('3'));
  m = l.observe(m, obs({ status: 502, failure: 'timeout', responseBody: undefined, responseBytes: 0 }), match('4'));
  assert.is(m.key, 'GET /users/{userId}');
  assert.equal(m.params, { userId: 'integer' });
  assert.equal([m.count, m.errors], [5, 2]);
  assert.equal([m.firstSeen, m.lastSeen], [clock - 40, clock]);
  assert.equal(m.statuses.map((s) => [s.status, s.count]), [[200, 2], [404, 1], [503, 1]], 'a transport failure has no status model');
  const ok = m.statuses[0];
  assert.is(ok.contentType, 'application/json');
  assert.equal(ok.bodyBytes.max, 40);
  const schema = ok.schema as JsonSchema;
  assert.equal(schema.required, ['id', 'name']);
  assert.ok((schema.properties as Record<string, JsonSchema>).admin);
  assert.is(m.statuses[2].schema, undefined, 'a text body has no schema');
  assert.is(m.latency.count, 5);
  assert.ok(m.latency.maxMs >= 30 && m.latency.minMs <= 5);
  assert.ok(m.latencyHistogram.length > 0);
  assert.equal(m.recentLatencyMs, [10, 30, 5, 20, 20]);
});

learn('typical headers: on ≥ 90 % of a status’s responses, redacted, transfer headers left out', () => {
  const l = new EndpointLearner({ secrets: { headers: ['x-powered-by'] } });
  let m: EndpointModel | undefined;
  for (let i = 0; i < 10; i++) m = l.observe(m, obs({ responseHeaders: { 'content-type': 'application/json', etag: `"${i}"`, 'set-cookie': 'sid=x', ...(i < 5 && { 'x-rare': 'y' }), 'x-powered-by': 'x', connection: 'close', date: 'Tue' } }), match());
  const h = m!.statuses[0].headers;
  assert.equal(h, { etag: '"9"', 'set-cookie': REDACTED, 'x-powered-by': REDACTED });
  assert.not.ok(JSON.stringify(m).includes('sid=x'));
});

learn('query parameters: presence count and a value schema (numbers, booleans, repeated); secrets keep their type only', () => {
  const l = new EndpointLearner({ maxQueryParams: 3 });
  let m: EndpointModel | undefined;
  m = l.observe(m, obs({ query: { page: '1', active: 'true', tag: ['a', 'b'] } }), match());
  m = l.observe(m, obs({ query: { page: '2', token: 'sekrit' } }), match());
  assert.equal(m.query.page.count, 2);
  assert.equal([m.query.page.schema.type, m.query.page.schema.minimum, m.query.page.schema.maximum], ['integer', 1, 2]);
  assert.is(m.query.active.schema.type, 'boolean');
  assert.is(m.query.tag.schema.type, 'array');
  assert.is(m.query.token, undefined, 'past maxQueryParams names are dropped');
  assert.is(m.queryDropped, 1);
  const s = new EndpointLearner().observe(undefined, obs({ query: { api_key: 'sekrit' } }), match());
  assert.not.ok(JSON.stringify(s).includes('sekrit'));
  assert.is(s.query.api_key.schema.type, 'string');
  assert.equal([queryValue('12'), queryValue('-1.5'), queryValue('false'), queryValue('007'), queryValue('x')], [12, -1.5, false, '007', 'x']);
});

learn('request schema from JSON bodies; secrets never kept in schemas or examples', () => {
  const l = new EndpointLearner({ secrets: { fields: ['ssn'] } });
  const req = JSON.stringify({ name: 'Ada', password: 'hunter2', ssn: '123-45-6789' });
  const res = JSON.stringify({ id: 7, token: 'tok-abc', ssn: '123-45-6789' });
  const m = l.observe(undefined, obs({ method: 'POST', path: '/users', requestBody: req, requestHeaders: { 'content-type': 'application/json' }, status: 201, responseBody: res }), { template: '/users', params: {} });
  assert.is(m.key, 'POST /users');
  assert.equal((m.requestSchema as JsonSchema).required, ['name', 'password', 'ssn']);
  const text = JSON.stringify(m);
  for (const secret of ['hunter2', 'tok-abc', '123-45-6789', 's3cret']) assert.not.ok(text.includes(secret), secret);
  const ex = m.statuses[0].examples[0];
  assert.equal(JSON.parse(ex.body), { id: 7, token: REDACTED, ssn: REDACTED });
  assert.equal(JSON.parse(ex.requestBody!).password, REDACTED);
  assert.equal(ex.params, {});
});

learn('examples: bounded by count and bytes per status, one per distinct body', () => {
  const l = new EndpointLearner({ examples: { maxPerStatus: 3, maxBytes: 200 } });
  let m: EndpointModel | undefined;
  for (let i = 0; i < 10; i++) m = l.observe(m, obs({ responseBody: JSON.stringify({ id: i % 2 }) }), match(String(i)));
  assert.is(m!.statuses[0].examples.length, 2, 'two distinct bodies');
  for (let i = 0; i < 10; i++) m = l.observe(m, obs({ responseBody: JSON.stringify({ id: 100 + i, pad: 'x'.repeat(60) }) }), match());
  const s = m!.statuses[0];
  assert.is(s.examples.length, 3);
  assert.ok(s.exampleBytes! <= 200);
  const tight = new EndpointLearner({ examples: { maxPerStatus: 5, maxBytes: 10 } }).observe(undefined, obs(), match());
  assert.is(tight.statuses[0].examples.length, 0, 'a body larger than the byte cap is not kept');
});

learn('the input model is not changed; observeAll equals observing one at a time; flat option names', () => {
  const l = new EndpointLearner({ maxExamples: 1, maxExampleBytes: 1000, secretHeaders: ['x-powered-by'], secretFields: ['name'] });
  const os = [obs({ latencyMs: 7 }), obs({ latencyMs: 70, responseBody: '{"id":3,"name":"Bo"}' }), obs({ latencyMs: 700, status: 500 })];
  const first = l.observe(undefined, os[0], match());
  const frozen = JSON.stringify(first);
  const one = l.observe(l.observe(first, os[1], match()), os[2], match());
  assert.is(JSON.stringify(first), frozen);
  const all = new EndpointLearner({ maxExamples: 1, maxExampleBytes: 1000, secretHeaders: ['x-powered-by'], secretFields: ['name'] }).observeAll(undefined, os, match());
  assert.equal(all, one);
  assert.is(one.statuses[0].examples.length, 1);
  assert.equal(JSON.parse(one.statuses[0].examples[0].body).name, REDACTED);
  assert.is(one.statuses[0].headers['x-powered-by'], REDACTED);
  assert.is(l.observeAll(one, [], match()), one);
  // a model from elsewhere (no cached histogram) is decoded
  const fresh = new EndpointLearner().observe(JSON.parse(JSON.stringify(one)), os[0], match());
  assert.is(fresh.latency.count, 4);
});

learn('merge: models of merged templates become one (counts, histograms, schemas, examples)', () => {
  const l = new EndpointLearner({ examples: { maxPerStatus: 2, maxBytes: 10_000 } });
  const a = l.observe(l.observe(undefined, obs({ path: '/users/1', latencyMs: 10 }), { template: '/users/1', params: {} }), obs({ path: '/users/1', status: 404, responseBody: '{"e":1}' }), { template: '/users/1', params: {} });
  const b = l.observe(undefined, obs({ path: '/users/2', latencyMs: 90, responseBody: '{"id":2,"name":"B","extra":[1]}', query: { q: 'x' } }), { template: '/users/2', params: {} });
  const c = l.observe(undefined, obs({ path: '/users/3', latencyMs: 50, responseBody: '{"id":3,"name":"C"}', requestBody: '{"x":1}' }), { template: '/users/3', params: {} });
  const m = l.merge([a, b, c], { template: '/users/{userId}', params: {} });
  assert.is(m.key, 'GET /users/{userId}');
  assert.equal([m.count, m.latency.count], [4, 4]);
  assert.equal(m.statuses.map((s) => [s.status, s.count]), [[200, 3], [404, 1]]);
  const ok = m.statuses[0];
  assert.equal((ok.schema as JsonSchema).required, ['id', 'name']);
  assert.is(ok.examples.length, 2);
  assert.ok(m.query.q);
  assert.ok(m.requestSchema);
  assert.equal([m.firstSeen, m.lastSeen], [Math.min(a.firstSeen, b.firstSeen, c.firstSeen), Math.max(a.lastSeen, b.lastSeen, c.lastSeen)]);
  assert.ok(ok.headers.etag === undefined && ok.headers['x-powered-by'] === 'sample');
  assert.throws(() => l.merge([a, { ...b, method: 'POST' }], { template: '/users/{userId}', params: {} }), /different methods/);
  assert.throws(() => l.merge([], { template: '/x', params: {} }), /no models/);
  // the merged model keeps learning
  const more = l.observe(m, obs({ path: '/users/8' }), match('8'));
  assert.equal(more.params, { userId: 'integer' });
  assert.is(more.count, 5);
});

learn('__proto__ as a query name, header name and content type is an own property', () => {
  const m = new EndpointLearner().observe(undefined, obs({ query: JSON.parse('{"__proto__": "1"}'), responseHeaders: JSON.parse('{"__proto__": "x", "content-type": "__proto__"}') }), match());
  assert.ok(Object.hasOwn(m.query, '__proto__'));
  assert.ok(Object.hasOwn(m.statuses[0].headers, '__proto__'));
  assert.ok(Object.hasOwn(m.statuses[0].contentTypes!, '__proto__'));
  const merged = new EndpointLearner().merge([m, m], match());
  assert.is(merged.query['__proto__'].count, 2);
  assert.ok(Object.hasOwn(merged.statuses[0].headers, '__proto__'));
});

learn('parseJsonBody: JSON by media type or by its first character, else undefined', () => {
  assert.equal(parseJsonBody('{"a":1}', 'text/plain'), { a: 1 });
  assert.equal(parseJsonBody('12', 'application/problem+json'), 12);
  assert.is(parseJsonBody('12', 'text/plain'), undefined);
  assert.is(parseJsonBody('{broken', 'application/json'), undefined);
  assert.is(parseJsonBody('', 'application/json'), undefined);
  assert.is(parseJsonBody(undefined, undefined), undefined);
});

secrets.run();
learn('schema sampling: past `after` bodies only every n-th is inferred, and every body of a shape the schema lacks', () => {
  const l = new EndpointLearner({ sampling: { after: 10, every: 5 } });
  const root = (m: EndpointModel) => m.statuses[0].schema as JsonSchema;
  const body = (i: number, extra?: Record<string, unknown>) => JSON.stringify({ id: i, name: `user ${i}`, ...extra });
  const post = (i: number, extra?: Record<string, unknown>) => obs({ method: 'POST', responseBody: body(i, extra), requestBody: body(i, extra), requestHeaders: { 'content-type': 'application/json' } });
  let m: EndpointModel | undefined;
  for (let i = 1; i <= 30; i++) m = l.observe(m, post(i), match());
  // 10 one by one, then bodies 15, 20, 25, 30: 14 inferred, 30 counted
  assert.is(m!.statuses[0].jsonBodies, 30);
  assert.is(root(m!)['x-count'], 14);
  assert.is(m!.requestBodies, 30);
  assert.is((m!.requestSchema as JsonSchema)['x-count'], 14);
  assert.is((root(m!).properties as Record<string, JsonSchema>).id.maximum, 30);
  // a body with a field the schema does not have is inferred although it is not the 5th
  m = l.observe(m, post(31, { vip: true }), match());
  assert.is(root(m)['x-count'], 15);
  assert.ok((root(m).properties as Record<string, JsonSchema>).vip);
  // …and so is one of another type, or without a required field
  m = l.observe(m, post(32, { name: 7 }), match());
  assert.is(root(m)['x-count'], 16);
  m = l.observe(m, obs({ responseBody: JSON.stringify({ id: 33 }) }), match());
  assert.is(root(m)['x-count'], 17);
  assert.equal(root(m).required, ['id']);
  // the batch path, handed the parsed bodies, learns the same
  const batch = Array.from({ length: 30 }, (_, i) => post(i + 1));
  const whole = l.observeAll(undefined, batch, match(), { body: (i) => JSON.parse(batch[i].responseBody!) });
  assert.is(root(whole)['x-count'], 14);
  // every: 1 infers every body
  const all = new EndpointLearner({ sampling: { after: 0, every: 1 } }).observeAll(undefined, batch, match());
  assert.is(root(all)['x-count'], 30);
});

learn.run();
