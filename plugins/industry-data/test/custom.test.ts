// Custom industries from config: entities described with one generator per field get the same
// guarantees as the built-in ones (determinism, relations both ways, safe identifiers, the
// validator), and a config with mistakes stops startup with every problem and its path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IndustryData } from '../src/contract.js';
import { admin, start } from './helpers.js';

const AVIATION = {
  name: 'aviation',
  description: 'An airline: carriers, their aircraft and flights',
  currency: 'GBP',
  vocabulary: { city: ['Avalon', 'Brightport', 'Castlerock'], brand: ['Air', 'Airways', 'Wings'] },
  entities: [
    { type: 'airline', count: 5, fields: { name: { template: '{city} {brand}' }, code: { sequence: 'AL' }, email: { safe: 'email' }, website: { safe: 'url' }, hub: { ref: 'airports' } } },
    { type: 'airport', count: 3, idPrefix: 'apt', fields: { city: { enum: ['Avalon', 'Brightport', 'Castlerock'] }, phone: { safe: 'phone' }, ip: { safe: 'ip' } } },
    {
      type: 'aircraft',
      plural: 'aircraft',
      count: 40,
      parent: { type: 'airlines', minOne: true },
      fields: {
        model: { enum: ['A320neo', '737 MAX 8', 'E195-E2'], weights: [5, 4, 1] },
        seats: { int: [100, 220] },
        registration: { sequence: 'G-UST' },
        delivered: { date: { fromDays: -3650, toDays: -30, dateOnly: true } },
        fuelPerHour: { number: [2.1, 3.4], decimals: 1 },
        leased: { boolean: 0.3 },
        operator: { value: 'line' },
        serial: 'string.uuid',
      },
    },
    {
      type: 'flight',
      count: 200,
      parent: { type: 'aircraft', via: 'aircraftId', name: 'plane' },
      fields: { number: { sequence: 'UA' }, captain: 'person.fullName', fare: { money: { min: 4_900, max: 89_900 } }, departs: { date: { fromDays: 0, toDays: 30 } }, note: { template: 'Flight {number} from {city}, {captain} in command' }, card: { safe: 'card' }, iban: { safe: 'iban' }, bic: { safe: 'bic' }, ssn: { safe: 'ssn' }, mrn: { safe: 'mrn' }, ref: { safe: 'uuid' } },
    },
  ],
};

test('a custom industry: entities, relations both ways, safe fields, currency, validator, admin', async () => {
  const k = await start({ custom: [AVIATION], counts: { aviation: { flights: 300 } } });
  try {
    const data = k.resolve('industryData') as IndustryData;
    assert.equal(data.industries(), ['finance', 'healthcare', 'retail', 'aviation']);
    assert.is(data.describe('aviation').source, 'custom');
    const types = data.types('aviation');
    assert.equal(types.map((t) => [t.plural, t.count]), [['airlines', 5], ['airports', 3], ['aircraft', 40], ['flights', 300]]);
    const aircraft = types.find((t) => t.plural === 'aircraft')!;
    assert.equal(aircraft.relations.map((r) => `${r.kind}:${r.name}`), ['one:airline', 'many:flights']);
    const flight = data.get('aviation', 'flights', '17')!;
    assert.is(flight.type, 'flight');
    assert.match(String(flight.number), /^UA000017$/);
    assert.match(String(flight.note), /^Flight UA000017 from (Avalon|Brightport|Castlerock), .+ in command$/);
    assert.is((flight.fare as { currency: string }).currency, 'GBP');
    assert.ok(String(flight.departs) >= '2026-01-01');
    assert.equal(data.validate('aviation', 'flights', flight), []);
    const plane = data.related('aviation', 'flights', '17', 'plane')[0];
    assert.is(plane.id, flight.aircraftId);
    assert.ok(data.related('aviation', 'aircraft', plane.id, 'flights').some((f) => f.id === '17'));
    assert.ok(['A320neo', '737 MAX 8', 'E195-E2'].includes(String(plane.model)));
    assert.is(plane.operator, 'line');
    for (let a = 1; a <= 5; a++) assert.ok(data.related('aviation', 'airlines', String(a), 'aircraft').length >= 1, 'minOne');
    const airline = data.get('aviation', 'airlines', '2')!;
    assert.match(String(airline.email), /@example\.com$/);
    assert.match(String(airline.website), /^https:\/\/www\.example\.com\/airlines\/2$/);
    assert.is(data.related('aviation', 'airlines', '2', 'hub')[0].id, airline.hub);
    // every record of every custom type passes the validator
    for (const t of types) for (let i = 1; i <= t.count; i++) assert.equal(data.validate('aviation', t.plural, data.get('aviation', t.plural, String(i))!), [], `${t.plural}/${i}`);
    // field rules are checked on records sent back
    const bad = { ...plane, seats: 999, model: 'Concorde' };
    assert.equal(data.validate('aviation', 'aircraft', bad).map((p) => p.path).sort(), ['model', 'seats']);
    const sample = await admin(k, '/industries/aviation/aircraft/sample?n=2');
    assert.is(sample.status, 200);
    assert.is(sample.body.items.length, 2);
    // hints set fields of custom entities too
    assert.is(data.get('aviation', 'aircraft', '3', { seats: 150 })!.seats, 150);
  } finally {
    await k.stop();
  }
});

test('a custom industry with mistakes stops startup with every problem and its path', async () => {
  const bad = {
    name: 'finance',
    entities: [
      { type: 'thing', fields: { a: 'person.fulName', b: 'internet.email', c: { enum: ['x', 'y'], weights: [1] }, d: { int: [5, 1] }, e: { ref: 'nowhere' }, f: { template: '{nope} and {a}' }, g: { int: [1, 2], enum: ['z'] }, h: {}, id: { value: 1 }, i: 'lorem.sentence', j: { money: { min: 9, max: 1 } }, k: { date: { fromDays: 5, toDays: 1 } }, l: { enum: ['q'], weights: [0] } } },
      { type: 'thing', parent: { type: 'ghosts' }, fields: {} },
      { type: 'other', plural: 'others', parent: { type: 'others' }, fields: {} },
      { type: 'kid', parent: { type: 'things', via: 'x' }, fields: { x: { value: 1 } } },
    ],
  };
  let error: (Error & { code?: string; problems?: string[] }) | undefined;
  try {
    const k = await start({ custom: [bad], counts: { nowhere: { x: 1 }, retail: { widgets: 5 } }, epoch: '2026-13-45' });
    await k.stop();
  } catch (err) {
    error = err as Error & { code?: string; problems?: string[] };
  }
  assert.ok(error, 'startup failed');
  // the kernel names the plugin that refused its config (US_PLUGIN_FAILED around our US_CONFIG_INVALID)
  assert.is(error!.code, 'US_PLUGIN_FAILED');
  const text = error!.message;
  assert.match(text, /Invalid configuration/);
  for (const expected of [
    'plugins.industry-data.custom[0].name: "finance" is already an industry',
    'custom[0].entities[0].fields.a: "person.fulName" is not a faker method (did you mean "person.fullName"',
    'custom[0].entities[0].fields.b: faker method "internet.email" may produce real identifiers or filler text; use { safe: email }',
    'custom[0].entities[0].fields.c: weights has 1 entries for 2 enum values',
    'custom[0].entities[0].fields.d: [5, 1]: min is above max',
    'custom[0].entities[0].fields.e: ref "nowhere" is not an entity of this industry',
    'custom[0].entities[0].fields.f: template slot {nope} is neither a field',
    'custom[0].entities[0].fields.g: has enum and int; give exactly one generator',
    'custom[0].entities[0].fields.h: needs one generator',
    'custom[0].entities[0].fields.id: "id" is set by the generator',
    'custom[0].entities[0].fields.i: faker method "lorem.sentence"',
    'custom[0].entities[0].fields.j: money min 9 is above max 1',
    'custom[0].entities[0].fields.k: date fromDays 5 is after toDays 1',
    'custom[0].entities[0].fields.l: weights must not all be 0',
    'custom[0].entities[1].plural: "things" is also the plural of entities[0]',
    'custom[0].entities[1].parent.type: "ghosts" is not an entity',
    'custom[0].entities[2].parent.type: an entity cannot be its own parent',
    'custom[0].entities[3].fields.x: is the parent\'s id field',
    'plugins.industry-data.counts.nowhere: no such industry',
    'plugins.industry-data.counts.retail.widgets: retail has no type "widgets"',
    'plugins.industry-data.epoch: "2026-13-45" is not an ISO 8601 instant',
  ]) assert.ok(text.includes(expected), `missing: ${expected}\n---\n${text}`);
});

test('schema problems (wrong types, unknown options) are reported with their paths too', async () => {
  let error: Error | undefined;
  try {
    const k = await start({ custom: [{ name: 'Bad Name', entities: [] }], cache: { maxEntries: -1 }, colour: 'red' });
    await k.stop();
  } catch (err) {
    error = err as Error;
  }
  assert.ok(error);
  assert.match(error!.message, /industry-data/);
  assert.match(error!.message, /custom/);
});

test('built-in industries can be switched off', async () => {
  const k = await start({ industries: ['retail'] });
  try {
    const data = k.resolve('industryData') as IndustryData;
    assert.equal(data.industries(), ['retail']);
    const res = await admin(k, '/industries/finance');
    assert.is(res.status, 404);
    assert.equal(res.body.code, 'US_INDUSTRY_UNKNOWN');
  } finally {
    await k.stop();
  }
});

test.run();
