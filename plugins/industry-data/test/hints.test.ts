// Hero persona hints: fields are fixed (name, segment), relations are shaped (a mortgage among
// her loans) and the result is the same from every endpoint — get, list, related, and the
// child read on its own — because the hints are registered with the service.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Money } from '../src/contract.js';
import { service, thrown } from './helpers.js';

test('Maria Chen, premium, with a mortgage and a savings account — the same everywhere', () => {
  const s = service();
  const before = s.related('finance', 'customers', '42', 'loans');
  s.registerHints('finance', 'customers', '42', { name: 'Maria Chen', segment: 'premium', products: ['mortgage', { product: 'savings', balance: 1_250_000 }] });
  const maria = s.get('finance', 'customers', '42')!;
  assert.is(maria.name, 'Maria Chen');
  assert.is(maria.givenName, 'Maria');
  assert.is(maria.familyName, 'Chen');
  assert.is(maria.segment, 'premium');
  assert.is(maria.email, 'maria.chen.42@example.com');
  const loans = s.related('finance', 'customers', '42', 'loans');
  const mortgage = loans.find((l) => l.kind === 'mortgage');
  assert.ok(mortgage, `a mortgage among ${loans.map((l) => l.kind)} (before: ${before.length} loans)`);
  // the loan read on its own is the same mortgage, and names her
  assert.equal(s.get('finance', 'loans', mortgage!.id), mortgage);
  assert.is(mortgage!.customerId, '42');
  assert.equal(s.related('finance', 'loans', mortgage!.id, 'customer')[0], maria);
  const savings = s.related('finance', 'customers', '42', 'accounts').find((a) => a.product === 'savings')!;
  assert.is((savings.balance as Money).amount, 1_250_000);
  assert.equal(s.validate('finance', 'accounts', savings), [], 'her balance still adds up');
  assert.is(savings.holderName, 'Maria Chen');
  // lists see her too
  const page = s.list('finance', 'customers', { offset: 40, limit: 5 });
  assert.is(page.items[1].name, 'Maria Chen');
  assert.is(s.list('finance', 'customers', { offset: 0, limit: 5, filter: { name: 'Maria Chen' } }).total, 1);
  assert.equal(s.hintsOf('finance', 'loans', mortgage!.id), { kind: 'mortgage' });
});

test('a hero without children of a type claims one from a customer who has two or more', () => {
  const s = service({ counts: { finance: { customers: 100, loans: 20 } } });
  const empty = Array.from({ length: 100 }, (_, i) => String(i + 1)).find((id) => s.related('finance', 'customers', id, 'loans').length === 0)!;
  assert.ok(empty, 'some customer has no loan');
  s.registerHints('finance', 'customers', empty, { products: ['mortgage'] });
  const loans = s.related('finance', 'customers', empty, 'loans');
  assert.is(loans.length, 1);
  assert.is(loans[0].kind, 'mortgage');
  assert.is(loans[0].customerId, empty);
  // the loan left its old owner: nobody else lists it
  let owners = 0;
  for (let c = 1; c <= 100; c++) if (s.related('finance', 'customers', String(c), 'loans').some((l) => l.id === loans[0].id)) owners++;
  assert.is(owners, 1);
});

test('hints given with a call are registered for relations; later different ones shape that call only', () => {
  const s = service();
  const maria = s.get('finance', 'customers', '7', { name: 'Maria Chen', products: ['auto'] })!;
  assert.is(maria.name, 'Maria Chen');
  assert.ok(s.related('finance', 'customers', '7', 'loans').some((l) => l.kind === 'auto'));
  assert.is(s.get('finance', 'customers', '7')!.name, 'Maria Chen');
  assert.is(s.get('finance', 'customers', '7', { name: 'Someone Else' })!.name, 'Someone Else');
  assert.is(s.get('finance', 'customers', '7')!.name, 'Maria Chen');
  const listed = s.list('finance', 'customers', { offset: 0, limit: 3 }, (id) => (id === '2' ? { segment: 'private' } : undefined));
  assert.is(listed.items[1].segment, 'private');
});

test('healthcare: a patient with type 2 diabetes gets metformin and HbA1c results; age hints make a child', () => {
  const s = service();
  s.registerHints('healthcare', 'patients', '10', { name: 'Ana Ruiz', sex: 'female', age: 58, conditions: ['type-2-diabetes', 'hypertension'] });
  const ana = s.get('healthcare', 'patients', '10')!;
  assert.is(ana.age, 58);
  assert.is(ana.gender, 'female');
  assert.equal((ana.name as Array<{ given: string[]; family: string }>)[0].family, 'Ruiz');
  const conditions = s.related('healthcare', 'patients', '10', 'conditions');
  const diabetes = conditions.find((c) => c.conditionKey === 'type-2-diabetes')!;
  assert.ok(diabetes);
  assert.ok(conditions.some((c) => c.conditionKey === 'hypertension'));
  const meds = s.related('healthcare', 'conditions', diabetes.id, 'medication-requests');
  assert.is((meds[0].medicationCodeableConcept as { coding: Array<{ code: string }> }).coding[0].code, '861007');
  s.registerHints('healthcare', 'patients', '11', { age: 4 });
  const kid = s.get('healthcare', 'patients', '11')!;
  assert.is(kid.age, 4);
  const gp = s.get('healthcare', 'practitioners', String(kid.practitionerId))!;
  assert.is((gp.specialty as { text: string }).text, 'Paediatric specialty');
});

test('retail: orders at journey steps and a loyalty tier', () => {
  const s = service();
  s.registerHints('retail', 'customers', '5', { name: 'Sam Patel', orders: ['shipped', 'returned'], tier: 'gold' });
  const orders = s.related('retail', 'customers', '5', 'orders');
  assert.ok(orders.some((o) => o.status === 'shipped'));
  const returned = orders.find((o) => o.status === 'returned')!;
  assert.equal((returned.journey as Array<{ step: string }>).map((j) => j.step), ['browsed', 'added-to-cart', 'checked-out', 'shipped', 'delivered', 'returned']);
  assert.equal(returned.refunded, returned.total);
  const [loyalty] = s.related('retail', 'customers', '5', 'loyalty-accounts');
  assert.is(loyalty.tier, 'gold');
  assert.equal(s.validate('retail', 'loyalty-accounts', loyalty), []);
});

test('registering hints for an id outside the data set is a coded 404', () => {
  const err = thrown(() => service().registerHints('finance', 'customers', '5000', { name: 'X' }));
  assert.is(err.code, 'US_INDUSTRY_ENTITY_NOT_FOUND');
  assert.match(err.message, /ids run from 1 to 1000/);
});

test.run();
