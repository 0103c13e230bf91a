// The light JSON Schema checker synthesis uses to decide whether a real value may be
// reused: each keyword it knows, accepting what ajv accepts and refusing what it refuses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fits, jsonEqual, stringLength } from '../src/synth/fits.js';
import { generate } from '../src/synth/generate.js';
import { faker } from '../src/synth/values.js';
import type { JsonSchema } from '../src/model/types.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const CASES: Array<[JsonSchema | boolean, unknown[]]> = [
  [true, [1, 'a', null]],
  [false, [1]],
  [{ type: 'integer' }, [1, 1.5, '1', null]],
  [{ type: 'number', minimum: 1, maximum: 2 }, [0.5, 1, 2, 2.5]],
  [{ type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 2 }, [1, 1.5, 2]],
  [{ type: 'number', multipleOf: 0.5 }, [1.5, 1.25, 3]],
  [{ type: 'string', minLength: 2, maxLength: 3 }, ['a', 'ab', 'abcd', '😀😀']],
  [{ type: 'string', pattern: '^[a-z]+$' }, ['abc', 'aBc']],
  [{ type: 'string', format: 'email' }, ['a@example.com', 'nope', 'a@b']],
  [{ type: 'string', format: 'uuid' }, ['3f2b8a0e-0d3c-4e1a-9b7f-2a6c5d4e3f21', '3f2b8a0e']],
  [{ type: 'string', format: 'date' }, ['2024-02-29', '2023-02-29', '2024-13-01', '2024-1-1']],
  [{ type: 'string', format: 'date-time' }, ['2024-02-29T10:00:00Z', '2024-02-29T25:00:00Z', '2024-02-29 10:00:00+01:00', '2024-02-29']],
  [{ type: 'string', format: 'time' }, ['10:00:00Z', '10:00:00', '24:00:00Z']],
  [{ type: 'string', format: 'uri' }, ['https://example.com/a', 'not a uri', 'mailto:a@example.com']],
  [{ type: 'string', format: 'ipv4' }, ['192.0.2.1', '256.0.0.1']],
  [{ type: 'string', format: 'hostname' }, ['api.example.com', '-bad-.com']],
  [{ type: 'array', minItems: 1, maxItems: 2, items: { type: 'integer' } }, [[], [1], [1, 2, 3], ['a']]],
  [{ type: 'array', uniqueItems: true }, [[1, 2], [1, 1], [{ a: 1 }, { a: 1 }]]],
  [{ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' } }, [['a', 1], [1, 1], ['a', 'b']]],
  [{ type: 'object', required: ['a'], properties: { a: { type: 'integer' } }, additionalProperties: false }, [{ a: 1 }, { a: 'x' }, {}, { a: 1, b: 2 }]],
  [{ type: 'object', minProperties: 1, maxProperties: 1 }, [{}, { a: 1 }, { a: 1, b: 2 }]],
  [{ enum: ['a', { b: [1] }] }, ['a', { b: [1] }, { b: [2] }, 'c']],
  [{ const: [1, { x: null }] }, [[1, { x: null }], [1, {}]]],
  [{ anyOf: [{ type: 'string' }, { type: 'integer' }] }, ['a', 1, null]],
  [{ oneOf: [{ type: 'integer', maximum: 10 }, { type: 'integer', minimum: 5 }] }, [1, 7, 20]],
  [{ allOf: [{ type: 'integer' }, { minimum: 3 }] }, [2, 3]],
  [{ not: { type: 'string' } }, ['a', 1]],
  [{ type: ['string', 'null'] }, ['a', null, 1]],
  [{ type: 'boolean' }, [true, 0]],
];

const f = suite('fits');

f('agrees with ajv on every keyword it knows', () => {
  for (const [schema, values] of CASES) {
    const validate = ajv.compile(schema);
    for (const v of values) assert.is(fits(schema, v), validate(v), `${JSON.stringify(schema)} ← ${JSON.stringify(v)}`);
  }
});

f('helpers: deep equality and code point lengths', () => {
  assert.ok(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
  assert.not.ok(jsonEqual({ a: 1 }, { b: 1 }));
  assert.not.ok(jsonEqual([1], { 0: 1 }));
  assert.not.ok(jsonEqual(null, {}));
  assert.is(stringLength('a😀'), 2);
  assert.not.ok(fits({ type: 'string', pattern: '(' }, 'abc'), 'a pattern that does not compile accepts nothing');
});

f('generation corners: null type, integer multiples of a fraction, deep nesting, odd patterns', () => {
  faker.seed(5);
  const ctx = { refDate: 0, pools: new Map(), echo: new Map(), reuse: 0 };
  assert.is(generate({ type: 'null' }, ctx), null);
  assert.is(generate(false, ctx), null);
  const m = generate({ type: 'integer', multipleOf: 0.5, minimum: 3, maximum: 9 }, ctx) as number;
  assert.ok(Number.isInteger(m) && m >= 3 && m <= 9);
  // nested arrays multiply: 30 levels stay bounded by the value budget (ajv's compile of so
  // many shared sub-schemas is itself exponential, so the deep one is checked with fits)
  const nest = (levels: number) => {
    let deep: JsonSchema = { type: 'object', properties: { leaf: { type: 'integer' } }, required: ['leaf'] };
    for (let i = 0; i < levels; i++) deep = { type: 'object', properties: { next: deep, list: { type: 'array', items: deep } }, required: ['next'] };
    return deep;
  };
  const shallow = nest(6);
  assert.ok(ajv.validate(shallow, generate(shallow, ctx)), ajv.errorsText());
  const deep = nest(30);
  const value = generate(deep, { ...ctx, nodes: undefined });
  assert.ok(fits(deep, value));
  assert.ok(JSON.stringify(value).length < 200_000, 'bounded');
  const odd = generate({ type: 'string', pattern: '(?<=a)b' }, ctx);
  assert.type(odd, 'string');
});

f.run();
