// Sampled learning: the cheap top-level shape check (shape.ts) against what JSON.parse and
// the schema would say, and the rule of EndpointLearner.observeAll — counts, latency, the
// status mix and sizes exact for every observation; schema, headers and examples from the
// observations learned in full; a shape change after the endpoint matured still learned at
// once (top level) or within `every` observations (deeper); the same traffic gives the same
// model in one batch or in many. Through the service: drift after maturity is reported.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EndpointLearner } from '../src/model/endpoint.js';
import { inferSchema, mergeSchemas } from '../src/model/schema.js';
import { topLevelFits } from '../src/model/shape.js';
import type { EndpointModel, JsonSchema, Observation } from '../src/model/types.js';
import { obs as serviceObs, startLearner } from './service-kit.js';

const shape = suite('model: top-level shape check');

const schemaOf = (...samples: unknown[]) => samples.map((s) => inferSchema(s)).reduce((a, b) => mergeSchemas(a, b));

shape('an object: known keys, required keys present, values of allowed types', () => {
  const s = schemaOf({ id: 1, name: 'a', price: 1.5, tags: ['x'], owner: { id: 1 }, ok: true, note: null });
  assert.is(topLevelFits('{"id":2,"name":"b","price":2,"tags":[],"owner":{"id":"deep changes are not looked at"},"ok":false,"note":null}', s), true);
  assert.is(topLevelFits(' {\n "id" : 2 , "name":"b","price":2.25,"tags":["a","b"],"owner":{},"ok":true,"note":null}\n', s), true);
  assert.is(topLevelFits('{"id":2,"name":"b","price":2,"tags":[],"owner":{},"ok":true,"note":null,"vip":true}', s), false, 'a key the schema lacks');
  assert.is(topLevelFits('{"id":2,"price":2,"tags":[],"owner":{},"ok":true,"note":null}', s), false, 'a required key missing');
  assert.is(topLevelFits('{"id":"2","name":"b","price":2,"tags":[],"owner":{},"ok":true,"note":null}', s), false, 'a string where an integer was');
  assert.is(topLevelFits('{"id":2.5,"name":"b","price":2,"tags":[],"owner":{},"ok":true,"note":null}', s), false, 'a fraction where an integer was');
  assert.is(topLevelFits('{"id":2.0,"name":"b","price":2,"tags":[],"owner":{},"ok":true,"note":null}', s), true, '2.0 parses to an integer');
  assert.is(topLevelFits('{"id":2,"name":"b","price":2,"tags":{},"owner":{},"ok":true,"note":null}', s), false, 'an object where an array was');
});

shape('strings with quotes, backslashes and brackets; escaped keys; __proto__', () => {
  const s = schemaOf({ 'a"b': 'x', text: 'y' });
  assert.is(topLevelFits(String.raw`{"a\"b":"}{[\\","text":"say \"hi\" \\"}`, s), true);
  assert.is(topLevelFits(String.raw`{"a\u0022b":"x","text":"y"}`, s), true, 'a key spelled with an escape is the same key');
  const p = schemaOf(JSON.parse('{"__proto__": 1}'));
  assert.is(topLevelFits('{"__proto__": 2}', p), true);
  assert.is(topLevelFits('{"constructor": 2, "__proto__": 2}', p), false, 'a key from the prototype chain is not a known one');
});

shape('keys in the order of the last fitting body, in another order, or sharing a prefix give the same answers', () => {
  const s = schemaOf({ id: 1, idx: 'a', name: 'n' }, { id: 2, name: 'm' });
  assert.is(topLevelFits('{"id":1,"idx":"a","name":"n"}', s), true);
  assert.is(topLevelFits('{"id":1,"idx":"a","name":"n"}', s), true, 'the same order again');
  assert.is(topLevelFits('{"idx":"a","id":1,"name":"n"}', s), true, 'another order');
  assert.is(topLevelFits('{"idx":"a","id":1}', s), false, 'a required key missing, in the order just learned');
  assert.is(topLevelFits('{"idx":"a","idy":1,"name":"n","id":3}', s), false, 'an unknown key between known ones');
  assert.is(topLevelFits('{"id":1,"name":"n"}', s), true, 'an optional key absent');
  assert.is(topLevelFits('{"id":"1","name":"n"}', s), false, 'a known key of another type');
  assert.is(topLevelFits('{"idx":1,"id":1,"name":"n"}', s), false, 'a key like the expected one but of another type');
  assert.is(topLevelFits('{"id" :1, "name":"n"}', s), true, 'spaces between a key and its colon');
});

shape('roots other than an object, maps, empty objects; what is not JSON', () => {
  assert.is(topLevelFits('[1,2,{"a":[3]}]', schemaOf([1])), true);
  assert.is(topLevelFits('{"a":1}', schemaOf([1])), false);
  assert.is(topLevelFits('"x"', schemaOf('y')), true);
  assert.is(topLevelFits('12', schemaOf('y')), false);
  const map = schemaOf(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])));
  assert.ok(map['x-map']);
  assert.is(topLevelFits('{"any":1,"other":2}', map), true);
  assert.is(topLevelFits('{"any":"one"}', map), false);
  assert.is(topLevelFits('{}', schemaOf({})), true);
  assert.is(topLevelFits('{"a":1}', schemaOf({})), false);
  assert.is(topLevelFits('{ }', schemaOf({ a: 1 })), false, 'a required key missing');
  assert.is(topLevelFits('{"a":1}', {}), true, 'a schema that accepts anything');
  for (const bad of ['', '   ', '{"a":1', '{"a" 1}', '{"a":1,}', '{a:1}', '{"a":1} x', '{"a":tru}', '{"a":"x}', '{"a":[1,2}', 'nope', '{"a":-}']) {
    assert.is(topLevelFits(bad, schemaOf({ a: 1 })), undefined, bad);
  }
});

shape('agrees with JSON.parse and the schema on the top level of generated bodies', () => {
  const base = { id: 1, name: 'n', price: 1.5, tags: ['t'], owner: { id: 1, email: 'a@b.c' }, active: true };
  const s = schemaOf(base, { ...base, id: 2 });
  const variants: Array<[unknown, boolean]> = [
    [{ ...base, id: 77, name: 'x"y\\z' }, true],
    [{ ...base, extra: 1 }, false],
    [{ ...base, owner: null }, false],
    [{ ...base, price: 3 }, true],
    [Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'tags')), false],
  ];
  for (const [v, fits] of variants) {
    assert.is(topLevelFits(JSON.stringify(v), s), fits, JSON.stringify(v));
    assert.is(topLevelFits(JSON.stringify(v, null, 2), s), fits, 'pretty-printed');
  }
});

shape.run();

const rule = suite('model: sampled learning');

let at = 5000;
function o(i: number, over: Partial<Observation> & { body?: unknown } = {}): Observation {
  const { body, ...rest } = over;
  const text = JSON.stringify(body ?? { id: i, name: `user ${i}`, tags: ['a'], owner: { id: i % 7 } });
  return {
    at: (at += 3),
    method: 'GET',
    path: `/users/${i}`,
    query: i % 3 ? {} : { page: String(i) },
    requestHeaders: {},
    status: i % 10 === 9 ? 404 : 200,
    responseHeaders: { 'content-type': 'application/json', 'x-request-id': `r${i}`, ...(i % 4 ? { 'x-cache': 'hit' } : {}) },
    responseBody: text,
    responseBytes: text.length,
    latencyMs: 5 + (i % 13),
    upstream: 'default',
    source: 'proxy',
    ...rest,
  };
}
const match = { template: '/users/{userId}', params: { userId: '1' } };
const root = (m: EndpointModel, status = 200) => m.statuses.find((s) => s.status === status)!.schema as JsonSchema;
const props = (s: JsonSchema) => s.properties as Record<string, JsonSchema>;

rule('counts, errors, latency, statuses, content types and sizes are exact; the schema is sampled', () => {
  const traffic = Array.from({ length: 2000 }, (_, i) => o(i, i % 50 === 7 ? { status: 503, body: { error: 'busy' } } : {}));
  const sampled = new EndpointLearner({ sampling: { after: 100, every: 25 } }).observeAll(undefined, traffic, match);
  const every = new EndpointLearner({ sampling: { after: 0, every: 1 } }).observeAll(undefined, traffic, match);
  for (const k of ['count', 'errors', 'firstSeen', 'lastSeen', 'latency', 'latencyHistogram', 'recentLatencyMs', 'upstream'] as const) assert.equal(sampled[k], every[k], k);
  assert.equal(
    sampled.statuses.map((s) => [s.status, s.count, s.jsonBodies, s.bodyBytes, s.contentType, s.contentTypes]),
    every.statuses.map((s) => [s.status, s.count, s.jsonBodies, s.bodyBytes, s.contentType, s.contentTypes]),
  );
  assert.equal(Object.fromEntries(Object.entries(sampled.query).map(([k, q]) => [k, q.count])), Object.fromEntries(Object.entries(every.query).map(([k, q]) => [k, q.count])));
  const ok = sampled.statuses.find((s) => s.status === 200)!;
  // 100 in full, then every 25th of the status's count: far fewer bodies inferred than seen
  assert.is(ok.count, 1760);
  assert.is(root(sampled)['x-count'], 100 + Math.floor(1760 / 25) - Math.floor(100 / 25));
  assert.is(root(every)['x-count'], 1760);
  assert.is(ok.headerSamples, root(sampled)['x-count']);
  // typical headers are judged over the observations whose headers were learned (the value
  // kept is the last one learned, so it may be an older response's)
  assert.equal(Object.keys(ok.headers).sort(), Object.keys(every.statuses.find((s) => s.status === 200)!.headers).sort());
  assert.equal(Object.keys(ok.headers).sort(), ['x-request-id']);
});

rule('the same traffic learns the same model in one batch or in many', () => {
  const traffic = Array.from({ length: 900 }, (_, i) => o(i, i === 600 ? { body: { id: 1, name: 'n', tags: [], owner: {}, vip: true } } : {}));
  const l = new EndpointLearner({ sampling: { after: 50, every: 10 } });
  const whole = l.observeAll(undefined, traffic, match);
  let m: EndpointModel | undefined;
  for (let i = 0; i < traffic.length; i += 37) m = new EndpointLearner({ sampling: { after: 50, every: 10 } }).observeAll(m, traffic.slice(i, i + 37), match);
  assert.equal(m, whole);
});

rule('after the endpoint matured: a new, missing or retyped top-level field is learned at once; the status is young again', () => {
  const l = new EndpointLearner({ sampling: { after: 20, every: 1000 } });
  let m = l.observeAll(undefined, Array.from({ length: 200 }, (_, i) => o(i * 10)), match);
  const before = root(m)['x-count'];
  assert.is(before, 20);
  const full: boolean[] = [];
  m = l.observeAll(m, [o(3000, { body: { id: 1, name: 'n', tags: [], owner: {}, vip: true } }), o(3010)], match, { full });
  assert.ok(props(root(m)).vip, 'the new field is in the schema');
  assert.equal(root(m).required, ['id', 'name', 'tags', 'owner']);
  // the body of a new shape was learned in full, and so is the next one (young again)
  assert.equal(full, [true, true]);
  assert.is(m.statuses[0].shapeSince, 201);
  m = l.observeAll(m, Array.from({ length: 40 }, (_, i) => o(4000 + i * 10)), match);
  assert.is(root(m)['x-count'], before + 2 + 19, 'learned in full until `after` observations past the change');
  m = l.observeAll(m, [o(5000, { body: { id: 'x', name: 'n', tags: [], owner: {} } })], match);
  assert.equal(props(root(m)).id.type, ['integer', 'string']);
  m = l.observeAll(m, [o(5010, { body: { name: 'n', tags: [], owner: {} } })], match);
  assert.ok(!(root(m).required as string[]).includes('id'));
});

rule('a change below the top level is learned by the next sampled body (within `every`)', () => {
  const l = new EndpointLearner({ sampling: { after: 20, every: 10 } });
  let m = l.observeAll(undefined, Array.from({ length: 100 }, (_, i) => o(i * 10)), match);
  const changed = (i: number) => o(i, { body: { id: i, name: 'n', tags: ['a'], owner: { id: 1, email: 'a@b.c' } } });
  const full: boolean[] = [];
  m = l.observeAll(m, Array.from({ length: 10 }, (_, i) => changed(2000 + i * 10)), match, { full });
  assert.is(full.filter(Boolean).length, 1, 'one in ten learned in full');
  assert.ok(props(props(root(m)).owner).email, 'the nested field arrived with it');
});

rule('a media type other than the usual one, a new status and what is not JSON', () => {
  const l = new EndpointLearner({ sampling: { after: 5, every: 1000 } });
  let m = l.observeAll(undefined, Array.from({ length: 50 }, (_, i) => o(i * 10)), match);
  const full: boolean[] = [];
  const text = '<p>busy</p>';
  m = l.observeAll(
    m,
    [
      o(1000, { responseHeaders: { 'content-type': 'text/html' }, responseBody: text, responseBytes: text.length }),
      o(1010, { status: 201 }),
      o(1020, { responseHeaders: { 'content-type': 'application/json' }, responseBody: '{"id":1,"name":"x","tags":[],"owner":{}', responseBytes: 9 }),
      o(1030, { failure: 'reset', status: 502 }),
      o(1040),
    ],
    match,
    { full },
  );
  assert.equal(full, [true, true, true, false, false]);
  assert.equal(m.statuses.find((s) => s.status === 200)!.contentTypes, { 'application/json': 52, 'text/html': 1 });
  assert.is(m.errors, 1);
});

rule.run();

const service = suite('service: sampled learning');

service('drift after maturity: a field added is reported once, counts stay exact', async () => {
  const kit = await startLearner({ sampling: { after: 30, every: 50 } });
  try {
    const body = (i: number, extra: Record<string, unknown> = {}) => ({ id: i, name: `n${i}`, ...extra });
    for (let i = 0; i < 400; i++) kit.learner.observe(serviceObs('GET', `/items/${i + 1}`, 200, body(i)));
    await kit.tick();
    for (let i = 0; i < 300; i++) kit.learner.observe(serviceObs('GET', `/items/${i + 1}`, 200, body(i, i >= 100 ? { sku: 'x' } : {})));
    await kit.tick();
    const [model] = kit.learner.endpoints();
    assert.is(model.key, 'GET /items/{itemId}');
    assert.is(model.count, 700);
    assert.is(model.statuses[0].jsonBodies, 700);
    assert.is(model.latency.count, 700);
    assert.ok(props(model.statuses[0].schema as JsonSchema).sku);
    assert.equal(
      kit.learner.drift().map((d) => `${d.kind} ${d.pointer}`),
      ['field-added /sku'],
    );
  } finally {
    await kit.stop();
  }
});

service('a latency shift after maturity is reported from observations that are only counted', async () => {
  const kit = await startLearner({ sampling: { after: 30, every: 1000 } });
  try {
    const send = (n: number, latencyMs: (i: number) => number) => {
      for (let i = 0; i < n; i++) kit.learner.observe(serviceObs('GET', '/health', 200, { ok: true }, { latencyMs: latencyMs(i) }));
    };
    send(1000, (i) => 20 + (i % 3));
    await kit.tick();
    // the shift shows when the recent window's median leaves the learned band (25 of its 50
    // latencies slow)
    send(24, () => 400);
    await kit.tick();
    send(10, () => 400);
    await kit.tick();
    assert.equal(
      kit.learner.drift().map((d) => [d.kind, d.after]),
      [['latency-shift', 211]],
    );
    assert.is(kit.learner.endpoints()[0].latency.count, 1034);
  } finally {
    await kit.stop();
  }
});

service('a latency shift that starts inside one batch is reported once, wherever the batches end', async () => {
  for (const cuts of [[34], [10, 24], [30, 4]]) {
    const kit = await startLearner({ sampling: { after: 30, every: 1000 } });
    try {
      const send = (n: number, latencyMs: number | ((i: number) => number)) => {
        for (let i = 0; i < n; i++) kit.learner.observe(serviceObs('GET', '/health', 200, { ok: true }, { latencyMs: typeof latencyMs === 'number' ? latencyMs : latencyMs(i) }));
      };
      send(1000, (i) => 20 + (i % 3));
      await kit.tick();
      for (const n of cuts) {
        send(n, 400);
        await kit.tick();
      }
      send(10, 400);
      await kit.tick();
      assert.equal(
        kit.learner.drift().map((d) => [d.kind, d.after]),
        [['latency-shift', 211]],
        `batches of ${cuts.join(' + ')} slow responses`,
      );
    } finally {
      await kit.stop();
    }
  }
});

service.run();
