// Relations stay valid both ways for every type of every industry (a parent's children name
// it; a child's parent lists it), and the numbers that span entities add up: an account's
// balance is its opening balance plus its transactions, the last running balance is the
// account's; a product's rating is its reviews'; loyalty points are the delivered orders'.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Money } from '../src/contract.js';
import { service, thrown } from './helpers.js';

const s = service();

test('every relation is valid in both directions (sampled ids of every type)', () => {
  for (const industry of s.industries()) {
    for (const t of s.types(industry)) {
      for (const id of ['1', '2', String(Math.ceil(t.count / 2)), String(t.count)]) {
        const e = s.get(industry, t.plural, id);
        if (!e) continue;
        for (const rel of t.relations) {
          const related = s.related(industry, t.plural, id, rel.name);
          if (rel.kind === 'many') {
            for (const child of related) assert.is(child[rel.via], e.id, `${industry}/${rel.type}/${child.id}.${rel.via} names ${t.plural}/${id}`);
          } else {
            const target = e[rel.via];
            if (target === null || target === undefined || target === '') continue;
            assert.is(related.length, 1, `${industry}/${t.plural}/${id} → ${rel.name}`);
            assert.is(related[0].id, target);
            const back = s.types(industry).find((x) => x.plural === rel.type)!.relations.find((r) => r.kind === 'many' && r.type === t.plural);
            if (back) assert.ok(s.related(industry, rel.type, String(target), back.name).some((c) => c.id === e.id), `${rel.type}/${target} lists ${t.plural}/${id}`);
          }
        }
      }
    }
  }
});

test('finance: balance = opening + its transactions; running balances chain to it', () => {
  for (const id of ['1', '17', '999', '2500']) {
    const account = s.get('finance', 'accounts', id)!;
    const txs = s.related('finance', 'accounts', id, 'transactions');
    assert.is(txs.length, account.transactionCount);
    let running = (account.openingBalance as Money).amount;
    for (const tx of txs) {
      assert.is((tx.balanceBefore as Money).amount, running);
      running += (tx.amount as Money).amount;
      assert.is((tx.balanceAfter as Money).amount, running);
      assert.ok(String(tx.bookedAt) >= String(txs[0].bookedAt));
    }
    assert.is(running, (account.balance as Money).amount);
    assert.is(txs.map((t) => t.bookedAt).join(), [...txs.map((t) => t.bookedAt)].sort().join(), 'booked in order');
  }
});

test("finance: an account's holder is its customer; a card's account is the holder's", () => {
  const account = s.get('finance', 'accounts', '12')!;
  const customer = s.get('finance', 'customers', String(account.customerId))!;
  assert.is(account.holderName, customer.companyName ?? customer.name);
  for (const id of ['1', '2', '3', '4', '5']) {
    const card = s.get('finance', 'cards', id)!;
    if (card.accountId === null) continue;
    assert.is(s.get('finance', 'accounts', String(card.accountId))!.customerId, card.customerId);
  }
});

test("healthcare: medications fit their condition; children get paediatric values and conditions", () => {
  let children = 0;
  for (let p = 1; p <= 120; p++) {
    const patient = s.get('healthcare', 'patients', String(p))!;
    const child = Number(patient.age) < 18;
    if (child) children++;
    for (const c of s.related('healthcare', 'patients', String(p), 'conditions')) {
      if (child) assert.ok(['otitis-media', 'asthma', 'allergic-rhinitis'].includes(String(c.conditionKey)), `child ${p} has ${c.conditionKey}`);
      for (const m of s.related('healthcare', 'conditions', c.id, 'medication-requests')) {
        assert.equal(s.validate('healthcare', 'medication-requests', m), []);
        assert.is(m.patientId, patient.id);
      }
    }
    for (const enc of s.related('healthcare', 'patients', String(p), 'encounters').slice(0, 2)) {
      for (const o of s.related('healthcare', 'encounters', enc.id, 'observations')) {
        const code = (o.code as { coding: Array<{ code: string }> }).coding[0].code;
        const v = (o.valueQuantity as { value: number } | undefined)?.value;
        if (code === '8867-4') assert.ok(child ? v! >= 60 && v! <= 190 : v! >= 40 && v! <= 140, `heart rate ${v} at age ${patient.age}`);
        if (code === '9279-1' && Number(patient.age) < 1) assert.ok(v! >= 25, `infant respiratory rate ${v}`);
      }
    }
  }
  assert.ok(children > 5, `${children} children among 120 patients`);
});

test('healthcare: vitals trend — adults\' systolic pressure drifts up over their visits', () => {
  let up = 0;
  let total = 0;
  for (let p = 1; p <= 200 && total < 40; p++) {
    const patient = s.get('healthcare', 'patients', String(p))!;
    if (Number(patient.age) < 30) continue;
    const systolic = s
      .related('healthcare', 'patients', String(p), 'encounters')
      .map((enc) => s.related('healthcare', 'encounters', enc.id, 'observations').find((o) => (o.code as { coding: Array<{ code: string }> }).coding[0].code === '85354-9'))
      .filter((o) => o !== undefined)
      .map((o) => (o!.component as Array<{ valueQuantity: { value: number } }>)[0].valueQuantity.value);
    if (systolic.length < 4) continue;
    total++;
    const half = Math.floor(systolic.length / 2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    if (mean(systolic.slice(half)) >= mean(systolic.slice(0, half))) up++;
  }
  assert.ok(total >= 10, `${total} adults with 4+ visits`);
  assert.ok(up / total > 0.55, `${up} of ${total} trend up`);
});

test("retail: a product's rating is its reviews'; loyalty points are the delivered orders'", () => {
  for (const id of ['1', '50', '600']) {
    const product = s.get('retail', 'products', id)!;
    const reviews = s.related('retail', 'products', id, 'reviews');
    const rating = product.rating as { average: number | null; count: number };
    assert.is(rating.count, reviews.length);
    if (reviews.length) assert.is(rating.average, Math.round((reviews.reduce((a, r) => a + Number(r.rating), 0) / reviews.length) * 10) / 10);
  }
  for (const id of ['1', '2', '3', '500']) {
    const [loyalty] = s.related('retail', 'customers', id, 'loyalty-accounts');
    const earned = s.related('retail', 'customers', id, 'orders').filter((o) => o.status === 'delivered').reduce((a, o) => a + Math.floor((o.total as Money).amount / 100), 0);
    assert.is(loyalty.earnedPoints, earned);
    assert.is(loyalty.customerId, id);
  }
});

test('unknown relation → coded 404 with the relations there are', () => {
  const err = thrown(() => s.related('finance', 'customers', '1', 'acounts'));
  assert.is(err.code, 'US_INDUSTRY_RELATION_UNKNOWN');
  assert.is(err.statusCode, 404);
  assert.match(err.message, /Did you mean "accounts"/);
  assert.equal(s.related('finance', 'customers', '99999', 'accounts'), []);
});

test.run();
