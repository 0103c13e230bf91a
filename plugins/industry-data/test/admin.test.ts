// The admin API on a real socket: industries, types, samples with their safety report, the
// validator for sent records, stats — and coded 4xx for unknown names, bad queries and bodies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { admin, start } from './helpers.js';

let k: TestKernel;
test.before(async () => {
  k = await start({ counts: { finance: { customers: 50 } } });
});
test.after(async () => {
  await k.stop();
});

test('GET /industries and /industries/:industry list industries and their types with fields, relations and hints', async () => {
  const list = await admin(k, '/industries');
  assert.is(list.status, 200);
  assert.equal(list.body.industries.map((i: { name: string }) => i.name), ['finance', 'healthcare', 'retail']);
  const finance = await admin(k, '/industries/finance');
  assert.is(finance.status, 200);
  const customers = finance.body.types.find((t: { plural: string }) => t.plural === 'customers');
  assert.is(customers.count, 50);
  assert.ok(customers.hints.some((h: { key: string }) => h.key === 'products'));
  assert.ok(customers.relations.some((r: { name: string; kind: string }) => r.name === 'accounts' && r.kind === 'many'));
  const one = await admin(k, '/industries/healthcare/observations');
  assert.is(one.body.type, 'observation');
  assert.ok(one.body.fields.length > 3);
});

test('GET …/sample returns entities with no safety problems; ?id= picks one; ?offset pages', async () => {
  for (const [industry, plural] of [['finance', 'cards'], ['healthcare', 'patients'], ['retail', 'orders']]) {
    const res = await admin(k, `/industries/${industry}/${plural}/sample?n=5`);
    assert.is(res.status, 200, `${industry}/${plural}`);
    assert.is(res.body.items.length, 5);
    assert.equal(res.body.problems, []);
  }
  const one = await admin(k, '/industries/finance/customers/sample?id=cus_000007');
  assert.is(one.body.items[0].id, '7');
  const paged = await admin(k, '/industries/finance/customers/sample?n=2&offset=10');
  assert.equal(paged.body.items.map((e: { id: string }) => e.id), ['11', '12']);
});

test('POST …/validate reports problems of a sent record, or of { records }', async () => {
  const sample = (await admin(k, '/industries/finance/accounts/sample?id=3')).body.items[0];
  const clean = await admin(k, '/industries/finance/accounts/validate', { method: 'POST', json: sample });
  assert.is(clean.status, 200);
  assert.is(clean.body.valid, true);
  const dirty = await admin(k, '/industries/finance/accounts/validate', { method: 'POST', json: { records: [sample, { ...sample, iban: 'DE89370400440532013000' }] } });
  assert.is(dirty.body.valid, false);
  assert.is(dirty.body.results[0].valid, true);
  assert.equal(dirty.body.results[1].problems.map((p: { rule: string }) => p.rule), ['iban.fictitious']);
});

test('coded 4xx: unknown industry, type or id; bad query; bad body', async () => {
  const industry = await admin(k, '/industries/fnance');
  assert.is(industry.status, 404);
  assert.is(industry.body.code, 'US_INDUSTRY_UNKNOWN');
  assert.match(industry.body.message, /Did you mean "finance"/);
  assert.is(industry.body.statusCode, 404);
  assert.ok(industry.body.error);
  const type = await admin(k, '/industries/finance/acounts/sample');
  assert.is(type.status, 404);
  assert.is(type.body.code, 'US_INDUSTRY_TYPE_UNKNOWN');
  const id = await admin(k, '/industries/finance/customers/sample?id=51');
  assert.is(id.status, 404);
  assert.is(id.body.code, 'US_INDUSTRY_ENTITY_NOT_FOUND');
  assert.match(id.body.message, /1 to 50/);
  const n = await admin(k, '/industries/finance/customers/sample?n=1000');
  assert.is(n.status, 400);
  const body = await admin(k, '/industries/finance/customers/validate', { method: 'POST', json: [1, 2] });
  assert.is(body.status, 400);
  assert.is(body.body.code, 'US_INDUSTRY_INVALID_RECORD');
  const inner = await admin(k, '/industries/finance/customers/validate', { method: 'POST', json: { records: ['x'] } });
  assert.is(inner.status, 400);
  assert.match(inner.body.message, /records\[0\]/);
  const many = await admin(k, '/industries/finance/customers/validate', { method: 'POST', json: { records: Array.from({ length: 1001 }, () => ({})) } });
  assert.is(many.status, 400);
  assert.is(many.body.code, 'US_INDUSTRY_INVALID_QUERY');
});

test('GET /stats shows the seed, epoch and cache counters', async () => {
  const res = await admin(k, '/stats');
  assert.is(res.status, 200);
  assert.is(res.body.epoch, '2026-01-01T00:00:00.000Z');
  assert.type(res.body.seed, 'string');
  assert.ok(res.body.cache.maxEntries > 0);
});

test.run();
