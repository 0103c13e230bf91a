// Every synthesized body validates against its schema (ajv's 2020-12 build with
// ajv-formats), over many seeds and schemas: nested objects, arrays, type unions,
// anyOf/oneOf/allOf, formats, enums, consts, numeric ranges (exclusive, multipleOf),
// string lengths and patterns, property counts, unique items, x-values.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRandom } from '@understudy/plugin-sdk';
import { generate } from '../src/synth/generate.js';
import { faker } from '../src/synth/values.js';
import type { JsonSchema } from '../src/model/types.js';
import { userSchema } from './synth-fixtures.js';

const Ajv2020 = (Ajv2020Module as unknown as { default: typeof Ajv2020Module }).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new (Ajv2020 as any)({ strict: false, allErrors: true });
(addFormats as any)(ajv);

const SCHEMAS: Record<string, JsonSchema> = {
  user: userSchema,
  list: { type: 'array', items: userSchema, minItems: 2, maxItems: 6 },
  nested: {
    type: 'object',
    properties: {
      order: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          lines: { type: 'array', minItems: 1, items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1, maximum: 9 }, price: { type: 'number', exclusiveMinimum: 0, maximum: 10 } }, required: ['sku', 'qty', 'price'] } },
          customer: { type: 'object', properties: { name: { type: 'string' }, phone: { type: 'string' }, website: { type: 'string', format: 'uri' }, ip: { type: 'string', format: 'ipv4' } }, required: ['name', 'phone', 'website', 'ip'] },
        },
        required: ['id', 'lines', 'customer'],
      },
    },
    required: ['order'],
  },
  unions: {
    type: 'object',
    properties: {
      a: { type: ['string', 'integer'], minLength: 3, minimum: 10 },
      b: { type: ['object', 'null'], properties: { x: { type: 'boolean' } }, required: ['x'] },
      c: { anyOf: [{ type: 'string', format: 'date' }, { type: 'array', items: { type: 'integer' }, maxItems: 2 }] },
      d: { oneOf: [{ type: 'string' }, { type: 'number' }] },
      e: { oneOf: [{ type: 'integer', minimum: 0, maximum: 10 }, { type: 'integer', minimum: 5, maximum: 20 }] },
      f: { allOf: [{ type: 'object', properties: { p: { type: 'integer' } }, required: ['p'] }, { properties: { q: { type: 'string' } }, required: ['q'] }] },
    },
    required: ['a', 'b', 'c', 'd', 'e', 'f'],
  },
  formats: {
    type: 'object',
    properties: {
      t: { type: 'string', format: 'time' },
      h: { type: 'string', format: 'hostname' },
      u: { type: 'string', format: 'uuid' },
      dt: { type: 'string', format: 'date-time' },
      d: { type: 'string', format: 'date' },
      e: { type: 'string', format: 'email', maxLength: 60 },
      url: { type: 'string', format: 'uri' },
    },
    required: ['t', 'h', 'u', 'dt', 'd', 'e', 'url'],
  },
  numbers: {
    type: 'object',
    properties: {
      m: { type: 'integer', multipleOf: 5, minimum: 3, maximum: 97 },
      f: { type: 'number', multipleOf: 0.25, minimum: 0, maximum: 3 },
      x: { type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 2 },
      onlyMin: { type: 'integer', minimum: 5000 },
      onlyMax: { type: 'integer', maximum: -5000 },
      same: { type: 'integer', minimum: 7, maximum: 7 },
      price: { type: 'number' },
      latitude: { type: 'number' },
      age: { type: 'integer', minimum: 21 },
    },
    required: ['m', 'f', 'x', 'onlyMin', 'onlyMax', 'same', 'price', 'latitude', 'age'],
  },
  strings: {
    type: 'object',
    properties: {
      short: { type: 'string', maxLength: 3 },
      long: { type: 'string', minLength: 40 },
      exact: { type: 'string', minLength: 8, maxLength: 8 },
      code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' },
      c: { const: 'fixed' },
      title: { type: 'string', maxLength: 10 },
      description: { type: 'string', minLength: 5, maxLength: 50 },
      seen: { type: 'string', 'x-values': ['alpha', 'beta', 'gamma'] },
      kind: { enum: ['a', 'b', 1, null] },
    },
    required: ['short', 'long', 'exact', 'code', 'c', 'title', 'description', 'seen', 'kind'],
    additionalProperties: false,
  },
  objects: {
    type: 'object',
    properties: {
      many: { type: 'object', minProperties: 3, properties: { one: { type: 'integer' } }, additionalProperties: { type: 'string' } },
      few: { type: 'object', maxProperties: 1, properties: { a: { type: 'integer' }, b: { type: 'integer' }, c: { type: 'integer' } } },
      free: {},
      nothing: true,
      set: { type: 'array', uniqueItems: true, minItems: 2, maxItems: 3, items: { enum: ['x', 'y', 'z'] } },
      tuple: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string', format: 'email' }], items: { type: 'boolean' }, minItems: 2 },
      empty: { type: 'array', maxItems: 0 },
    },
    required: ['many', 'few', 'free', 'nothing', 'set', 'tuple', 'empty'],
  },
  sizedFormats: {
    type: 'object',
    properties: {
      ip: { type: 'string', format: 'ipv4', maxLength: 9 },
      ipLong: { type: 'string', format: 'ipv4', minLength: 15 },
      mail: { type: 'string', format: 'email', minLength: 16, maxLength: 16 },
      shortUri: { type: 'string', format: 'uri', maxLength: 10 },
      longUri: { type: 'string', format: 'uri', minLength: 40, maxLength: 40 },
      host: { type: 'string', format: 'hostname', maxLength: 5 },
      longHost: { type: 'string', format: 'hostname', minLength: 70 },
      stamp: { type: 'string', format: 'date-time', minLength: 29 },
      shortStamp: { type: 'string', format: 'date-time', maxLength: 20 },
    },
    required: ['ip', 'ipLong', 'mail', 'shortUri', 'longUri', 'host', 'longHost', 'stamp', 'shortStamp'],
  },
  topString: { type: 'string', format: 'email' },
  topNullable: { type: ['integer', 'null'] },
  noType: { properties: { a: { minimum: 3 } }, required: ['a'] },
};

const bodies = suite('synthesized bodies validate');

for (const [name, schema] of Object.entries(SCHEMAS)) {
  bodies(`${name}: 300 seeds, all valid`, () => {
    const validate = ajv.compile(schema);
    const failures: string[] = [];
    for (let seed = 0; seed < 300; seed++) {
      faker.seed(createRandom(seed, name).int(0, 0x7fffffff));
      const value = generate(schema, { refDate: 1_760_000_000_000, pools: new Map(), echo: new Map(), reuse: 0.3 });
      if (!validate(value)) failures.push(`${JSON.stringify(value)} → ${ajv.errorsText(validate.errors)}`);
    }
    assert.equal(failures.slice(0, 3), [], `${failures.length} of 300 invalid`);
  });
}

bodies('values look real: names, e-mails on RFC 2606 domains, cities, dates near the reference date', () => {
  faker.seed(9);
  const refDate = 1_760_000_000_000;
  const users = Array.from({ length: 50 }, () => generate(userSchema, { refDate, pools: new Map(), echo: new Map(), reuse: 0 }) as Record<string, any>);
  for (const u of users) {
    assert.match(u.email, /@example\.(com|org|net)$/);
    assert.match(u.firstName, /^[A-Z][a-zA-Z'\- ]+$/);
    const created = Date.parse(u.createdAt);
    assert.ok(created <= refDate && created > refDate - 61 * 86_400_000, u.createdAt);
    if (u.address) assert.ok(u.address.city.length > 1);
  }
  assert.ok(new Set(users.map((u) => u.firstName)).size > 20, 'names vary');
});

bodies('pools: a real value at the same pointer is reused now and then, never a redacted one', () => {
  faker.seed(3);
  const pools = new Map<string, unknown[]>([['/firstName', ['Zebulon']], ['/lastName', ['[REDACTED]']]]);
  const names = Array.from({ length: 200 }, () => generate(userSchema, { refDate: 0, pools, echo: new Map(), reuse: 0.5 }) as Record<string, string>);
  const reused = names.filter((u) => u.firstName === 'Zebulon').length;
  assert.ok(reused > 50 && reused < 150, String(reused));
  assert.ok(!names.some((u) => u.lastName === '[REDACTED]'));
});

bodies('echo: a forced value at a pointer wins when its type fits (learned ranges do not hold it back), is ignored when it does not', () => {
  faker.seed(1);
  const ctx = (v: unknown) => ({ refDate: 0, pools: new Map(), echo: new Map([['/id', v]]), reuse: 0 });
  assert.is((generate(userSchema, ctx(42)) as any).id, 42);
  assert.is.not((generate(userSchema, ctx('abc')) as any).id, 'abc');
  assert.is((generate(userSchema, ctx(0)) as any).id, 0); // below the learned minimum 1: echoed all the same
});

bodies.run();
