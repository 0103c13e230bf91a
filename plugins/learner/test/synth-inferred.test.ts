// Synthesis against schemas the model's inference actually produces: random JSON documents
// (nested objects and arrays, mixed types at one place, optional keys, nulls, formats,
// low-cardinality strings that become enums, wide objects that become maps) are learned
// with inferSchema/mergeSchemas, and every synthesized body must validate (ajv 2020 with
// ajv-formats) against the learned schema — 60 schemas × 30 seeds. Optional properties
// appear about as often as in the samples (x-count).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createRandom, type Random } from '@understudy/plugin-sdk';
import { inferSchema, mergeSchemas } from '../src/model/schema.js';
import type { JsonSchema } from '../src/model/types.js';
import { generate } from '../src/synth/generate.js';
import { faker } from '../src/synth/values.js';

const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;
const addFormats = (addFormatsModule as any).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

const LEAVES: Array<(r: Random) => unknown> = [
  (r) => r.int(-50, 5000),
  (r) => Math.round(r.next() * 1e4) / 100,
  (r) => r.pick(['red', 'green', 'blue']),
  (r) => `free text ${r.int(0, 1e6)}`,
  (r) => `${r.pick(['ada', 'bob', 'cy'])}${r.int(1, 99)}@example.com`,
  (r) => new Date(1.7e12 + r.int(0, 1e10)).toISOString(),
  (r) => new Date(1.7e12 + r.int(0, 1e10)).toISOString().slice(0, 10),
  () => '3f2b8a0e-0d3c-4e1a-9b7f-2a6c5d4e3f21',
  (r) => `https://example.com/${r.int(0, 99)}`,
  (r) => `192.0.2.${r.int(0, 255)}`,
  (r) => r.chance(0.5),
  () => null,
];

/** A random document shape: what a real endpoint might return. */
function shape(r: Random, depth = 0): (r: Random) => unknown {
  const kind = depth > 3 ? 0 : r.int(0, 5);
  if (kind <= 1) {
    const a = r.pick(LEAVES);
    const b = r.pick(LEAVES);
    return kind === 0 ? a : (x) => (x.chance(0.7) ? a(x) : b(x)); // one place, two types
  }
  if (kind === 2) {
    const item = shape(r, depth + 1);
    return (x) => Array.from({ length: x.int(0, 4) }, () => item(x));
  }
  if (kind === 3 && depth > 0) {
    const value = shape(r, depth + 1);
    return (x) => Object.fromEntries(Array.from({ length: x.int(0, 3) }, (_, i) => [`k${x.int(0, 1e6)}${i}`, value(x)])); // keys are data
  }
  const fields = Array.from({ length: r.int(1, 6) }, (_, i) => ({ name: r.pick(['id', 'email', 'name', 'status', 'createdAt', 'price', 'city', 'tags', 'meta', 'count']) + i, value: shape(r, depth + 1), optional: r.chance(0.3) }));
  return (x) => Object.fromEntries(fields.filter((f) => !f.optional || x.chance(0.5)).map((f) => [f.name, f.value(x)]));
}

function learned(seed: number, samples = 40): JsonSchema {
  const r = createRandom(seed, 'shape');
  const make = shape(r);
  let schema: JsonSchema | undefined;
  for (let i = 0; i < samples; i++) {
    const s = inferSchema(make(r), { maxProperties: 8 });
    schema = schema ? mergeSchemas(schema, s, { maxProperties: 8 }) : s;
  }
  return schema!;
}

const t = suite('synthesis against inferred schemas');

t('60 learned schemas × 30 seeds: every body validates', () => {
  const failures: string[] = [];
  for (let s = 0; s < 60; s++) {
    const schema = learned(s);
    const validate = ajv.compile(schema);
    for (let seed = 0; seed < 30; seed++) {
      faker.seed(seed * 1000 + s);
      const value = generate(schema, { refDate: 1.7e12, pools: new Map(), echo: new Map(), reuse: 0.3 });
      if (!validate(value)) failures.push(`schema ${s} seed ${seed}: ${ajv.errorsText(validate.errors)} ${JSON.stringify(value).slice(0, 200)}`);
    }
  }
  const kinds = [...new Set(failures.map((f) => f.replace(/^schema \d+ seed \d+: /, '').replace(/data\/\S+/g, '…').slice(0, 80)))];
  assert.equal(failures.slice(0, 3), [], `${failures.length} invalid; kinds: ${kinds.slice(0, 8).join(' | ')}`);
});

t('optional properties appear about as often as in the samples', () => {
  let schema: JsonSchema | undefined;
  const r = createRandom(1, 'presence');
  for (let i = 0; i < 400; i++) {
    const doc: Record<string, unknown> = { id: i };
    if (r.chance(0.2)) doc.rare = 'x';
    if (r.chance(0.9)) doc.common = 'y';
    const s = inferSchema(doc);
    schema = schema ? mergeSchemas(schema, s) : s;
  }
  faker.seed(3);
  const bodies = Array.from({ length: 1000 }, () => generate(schema!, { refDate: 0, pools: new Map(), echo: new Map(), reuse: 0 }) as Record<string, unknown>);
  const share = (k: string) => bodies.filter((b) => k in b).length / bodies.length;
  assert.ok(Math.abs(share('rare') - 0.2) < 0.06, `rare ${share('rare')}`);
  assert.ok(Math.abs(share('common') - 0.9) < 0.05, `common ${share('common')}`);
  assert.is(share('id'), 1);
});

t('a map (keys are data) gets a few entries of its value schema', () => {
  let schema: JsonSchema | undefined;
  for (let i = 0; i < 3; i++) {
    const s = inferSchema({ counts: Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`key${i}-${j}`, j])) }, { maxProperties: 10 });
    schema = schema ? mergeSchemas(schema, s, { maxProperties: 10 }) : s;
  }
  assert.is((schema!.properties as any).counts['x-map'], true);
  faker.seed(8);
  const body = generate(schema!, { refDate: 0, pools: new Map(), echo: new Map(), reuse: 0 }) as { counts: Record<string, number> };
  const n = Object.keys(body.counts).length;
  assert.ok(n >= 1 && n <= 3, String(n));
  assert.ok(ajv.validate(schema, body), ajv.errorsText());
});

t.run();
