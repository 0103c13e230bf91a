// Schema inference: every keyword the learner writes, and the rule that matters most — the
// merged schema validates every sample it learned from (checked with ajv's 2020-12 build
// and ajv-formats, over seeded random documents as well as hand-written ones).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRandom, type Random } from '@understudy/plugin-sdk';
import { detectFormat, inferSchema, LEARNED_KEYWORDS, mergeSchemas, publicSchema, scrubSecrets, typeOnly } from '../src/model/schema.js';
import type { JsonSchema } from '../src/model/types.js';

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: InstanceType<typeof Ajv2020>) => void;

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const k of LEARNED_KEYWORDS) ajv.addKeyword(k);
  return ajv;
}
const ajv = validator();

const learn = (samples: unknown[], options = {}) => samples.map((s) => inferSchema(s, options)).reduce((a, b) => mergeSchemas(a, b, options));

function assertValidates(schema: JsonSchema, samples: unknown[]) {
  const validate = ajv.compile(schema);
  for (const s of samples) assert.ok(validate(s), `${JSON.stringify(s)}: ${ajv.errorsText(validate.errors)}`);
}

const schema = suite('model: schema inference');

schema('types, required vs optional, unions, integer vs number, ranges and lengths', () => {
  const samples = [
    { id: 1, name: 'Ada', score: 3, tags: ['a'], note: null },
    { id: 2, name: 'Grace Hopper', score: 4.5, tags: [], extra: true },
    { id: 3, name: 'Linus', score: 10, tags: ['x', 'y', 'z'], note: 'hi' },
  ];
  const s = learn(samples);
  assert.is(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.is(s.type, 'object');
  assert.equal(s.required, ['id', 'name', 'score', 'tags']);
  const p = s.properties as Record<string, JsonSchema>;
  assert.equal([p.id.type, p.id.minimum, p.id.maximum], ['integer', 1, 3]);
  assert.equal([p.score.type, p.score.minimum, p.score.maximum], ['number', 3, 10]);
  assert.equal([p.name.minLength, p.name.maxLength], [3, 12]);
  assert.equal([p.tags.minItems, p.tags.maxItems, (p.tags.items as JsonSchema).type], [0, 3, 'string']);
  assert.equal(p.note.type, ['null', 'string']);
  assert.is(p.extra.type, 'boolean');
  assert.is(s['x-count'], 3);
  assertValidates(s, samples);
  assert.not.ok(ajv.validate(s, { id: 1.5, name: 'Ada', score: 1, tags: [] }), 'an integer field refuses a fraction');
});

schema('formats: date-time, date, email, uri, uuid, ipv4 — dropped when samples disagree', () => {
  const values: Record<string, string> = {
    at: '2024-05-01T10:20:30Z',
    day: '2024-05-01',
    email: 'ada@example.com',
    site: 'https://example.org/a?b=1',
    id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    ip: '192.168.1.20',
  };
  const s = inferSchema(values);
  const p = s.properties as Record<string, JsonSchema>;
  assert.equal(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.format])), { at: 'date-time', day: 'date', email: 'email', site: 'uri', id: 'uuid', ip: 'ipv4' });
  assert.is(detectFormat('2024-02-30'), undefined, 'an impossible date is no date');
  assert.is(detectFormat('not: a uri'), undefined);
  const mixed = mergeSchemas(inferSchema({ at: '2024-05-01T10:20:30Z' }), inferSchema({ at: 'yesterday' }));
  assert.is((mixed.properties as Record<string, JsonSchema>).at.format, undefined);
  const kept = mergeSchemas(inferSchema({ at: '2024-05-01T10:20:30Z' }), inferSchema({ at: 7 }));
  assert.is((kept.properties as Record<string, JsonSchema>).at.format, 'date-time', 'a number beside the dates does not drop the format of the strings');
  assertValidates(kept, [{ at: '2024-05-01T10:20:30Z' }, { at: 7 }]);
});

schema('enum for low-cardinality strings over enough samples; x-values bounded, then dropped for good', () => {
  const statuses = ['paid', 'open', 'void'];
  const samples = Array.from({ length: 40 }, (_, i) => ({ status: statuses[i % 3], code: `C${i}` }));
  const s = learn(samples);
  const p = s.properties as Record<string, JsonSchema>;
  assert.equal(p.status.enum, ['paid', 'open', 'void']);
  assert.is(p.code.enum, undefined, '40 distinct codes are not an enum');
  assert.is(p.code['x-values'], false, 'past 16 distinct values the set is dropped');
  assertValidates(s, samples);
  const few = learn(samples.slice(0, 10));
  assert.is((few.properties as Record<string, JsonSchema>).status.enum, undefined, '10 samples are too few for an enum');
  const nullable = learn(Array.from({ length: 20 }, (_, i) => ({ s: i % 2 ? null : 'on' })));
  assert.equal((nullable.properties as Record<string, JsonSchema>).s.enum, ['on', null]);
  assertValidates(nullable, [{ s: null }, { s: 'on' }]);
  const long = inferSchema('x'.repeat(100));
  assert.is(long['x-values'], false, 'long strings are never enum values');
  assert.is(inferSchema('3f2504e0-4f89-41d3-9a0c-0305e82c3301')['x-values'], false, 'formatted strings keep no values');
});

schema('arrays of mixed items, nested objects, maps with many keys, depth cap', () => {
  const s = learn([[1, 'a', { x: 1 }], [], [null, { x: 2, y: [true] }]]);
  assert.equal((s.items as JsonSchema).type, ['integer', 'string', 'object', 'null']);
  const map = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, { n: i }]));
  const m = inferSchema(map);
  assert.is(m['x-map'], true);
  assert.is(m.properties, undefined);
  assert.is(((m.additionalProperties as JsonSchema).properties as Record<string, JsonSchema>).n.maximum, 299);
  assertValidates(m, [map]);
  // a small object that later grows past the limit becomes a map too
  const grown = mergeSchemas(inferSchema({ a: 1 }), inferSchema(map));
  assert.is(grown['x-map'], true);
  assertValidates(grown, [{ a: 1 }, map]);
  let deep: unknown = 'leaf';
  for (let i = 0; i < 40; i++) deep = { d: deep };
  const d = inferSchema(deep);
  assertValidates(d, [deep]);
  assert.ok(JSON.stringify(d).length < 4000, 'past the depth cap anything is accepted, nothing more is kept');
});

schema('bounded: at most maxNodes schema nodes; the deepest levels keep only their type', () => {
  const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { a: i, b: [{ c: 'x', d: { e: i } }] }]));
  const samples = [wide(150), wide(180)];
  const s = learn(samples);
  let nodes = 0;
  const count = (x: JsonSchema) => {
    nodes++;
    for (const p of Object.values((x.properties ?? {}) as Record<string, JsonSchema>)) count(p);
    if (x.items) count(x.items as JsonSchema);
    if (x.additionalProperties && typeof x.additionalProperties === 'object') count(x.additionalProperties as JsonSchema);
  };
  count(s);
  assert.ok(nodes <= 2000, `${nodes} nodes`);
  assert.is(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.ok((s.properties as Record<string, JsonSchema>).f0, 'the top levels are kept');
  assertValidates(s, samples);
  const tiny = inferSchema({ a: { b: 1 } }, { maxNodes: 1 });
  assert.equal(tiny, { type: 'object', required: [], 'x-count': 1, $schema: 'https://json-schema.org/draft/2020-12/schema' });
});

schema('mergeSchemas leaves its inputs alone; an untyped side accepts anything', () => {
  const a = inferSchema({ s: 'x', list: ['a'] });
  const b = inferSchema({ s: 'y', list: ['b'] });
  const before = JSON.stringify([a, b]);
  const many = Array.from({ length: 30 }, () => b).reduce((acc, x) => mergeSchemas(acc, x), a);
  assert.ok((many.properties as Record<string, JsonSchema>).s.enum);
  assert.is(JSON.stringify([a, b]), before);
  assert.equal(mergeSchemas({ 'x-count': 1 }, inferSchema(1)), { $schema: 'https://json-schema.org/draft/2020-12/schema', 'x-count': 2 });
  assert.is(inferSchema(undefined).type, undefined);
});

schema('publicSchema drops the bookkeeping keywords; scrubSecrets keeps only the type of secret fields', () => {
  const s = learn([{ user: 'ada', password: 'hunter2', nested: [{ token: { v: 'abc' } }] }]);
  const pub = publicSchema(s);
  assert.not.ok(JSON.stringify(pub).includes('x-'), JSON.stringify(pub));
  const scrubbed = scrubSecrets(s, (k) => k === 'password' || k === 'token');
  const text = JSON.stringify(scrubbed);
  assert.not.ok(text.includes('hunter2') || text.includes('abc'), text);
  const p = scrubbed.properties as Record<string, JsonSchema>;
  assert.equal(p.password, { type: 'string', 'x-values': false, 'x-count': 1 });
  assert.equal(typeOnly(inferSchema({ a: 1 })), { type: 'object', required: [], 'x-count': 1 });
  assertValidates(mergeSchemas(scrubbed, scrubbed), [{ user: 'bob', password: 'another', nested: [{ token: { w: 1 } }] }]);
});

schema('keys from traffic named __proto__ are properties like any other', () => {
  const samples = [JSON.parse('{"__proto__": {"a": 1}, "b": 2}'), JSON.parse('{"__proto__": {"a": 5}, "b": 3}')];
  const s = learn(samples);
  const p = s.properties as Record<string, JsonSchema>;
  assert.ok(Object.hasOwn(p, '__proto__'));
  assert.is(Object.getPrototypeOf(p), Object.prototype);
  assert.equal(((p['__proto__'] as JsonSchema).properties as Record<string, JsonSchema>).a.maximum, 5);
  assert.equal(s.required, ['__proto__', 'b']);
  assertValidates(s, samples);
});

// ── seeded random documents: the schema validates every sample it learned from ──

const WORDS = ['alpha', 'beta', 'gamma', 'delta'];
function randomValue(r: Random, depth: number): unknown {
  const kind = r.int(0, depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.int(-1000, 1000);
    case 3:
      return Math.round(r.next() * 1e6) / 100;
    case 4:
      return r.pick([r.pick(WORDS), `user${r.int(1, 99)}@example.com`, '2024-01-0' + r.int(1, 9), `https://x.test/${r.int(1, 9)}`, '🙂 emoji ' + r.int(0, 9)]);
    case 5:
      return r.pick(['open', 'closed']);
    case 6:
    case 7:
      return Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [r.pick(['id', 'name', 'tags', 'meta', 'at', 'n']), randomValue(r, depth + 1)]));
    default:
      return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
  }
}

schema('1,000 seeded random documents of 10 endpoints: each learned schema validates all its samples', () => {
  for (let e = 0; e < 10; e++) {
    const r = createRandom(13, `schema-${e}`);
    const shape = randomValue(r, 0);
    const samples = Array.from({ length: 100 }, () => (r.chance(0.7) ? shape : randomValue(r, 0)));
    // samples drift from the shape: mutate some fields
    const s = learn(samples);
    assertValidates(s, samples);
  }
});

schema.run();
