// The safety rules one by one (checksums, reserved ranges, sums) and the validator catching a
// tampered record of each kind: a real-looking card, an IBAN of a real bank code, a gmail
// address, a public IP, a real phone number, an SSN the SSA issues, a balance that does not add up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Entity } from '../src/contract.js';
import { luhnDigit, luhnValid, mod97 } from '../src/safety/checksum.js';
import { cardProblems, TEST_CARDS } from '../src/safety/cards.js';
import { emailProblems, ipProblems, makeEmail, makePhone, phoneProblems, urlProblems } from '../src/safety/contact.js';
import { bicProblems, ibanProblems, makeIban } from '../src/safety/iban.js';
import { makeMrn, makeSsn, mrnProblems, ssnProblems } from '../src/safety/identifiers.js';
import { amortise, scheduleProblems } from '../src/safety/money.js';
import { createRandom } from '@understudy/plugin-sdk';
import { service, thrown } from './helpers.js';

const rules = (problems: Array<{ rule: string }>) => [...new Set(problems.map((p) => p.rule))].sort();

test('checksums: ISO 7064 mod 97-10 and Luhn', () => {
  // the IBAN example of ISO 13616 / the ECBS: DE89 3704 0044 0532 0130 00
  assert.is(mod97('370400440532013000DE89'), 1);
  assert.ok(luhnValid('79927398713'));
  assert.not.ok(luhnValid('79927398710'));
  assert.not.ok(luhnValid('12ab'));
  assert.is(luhnDigit('7992739871'), '3');
});

test('IBANs of fictitious banks pass; real bank codes and bad check digits do not; BICs must be test BICs', () => {
  const iban = makeIban('01020304', '42');
  assert.equal(ibanProblems(iban), []);
  assert.is(iban.length, 22);
  assert.match(ibanProblems('DE89370400440532013000')[0], /may be a real bank/);
  assert.match(ibanProblems(iban.slice(0, 2) + '00' + iban.slice(4))[0], /mod-97/);
  assert.match(ibanProblems('GB82WEST12345698765432')[0], /not a German IBAN/);
  assert.equal(bicProblems('HLBKDEF0'), []);
  assert.match(bicProblems('DEUTDEFF')[0], /live-network/);
  assert.match(bicProblems('nope')[0], /not a BIC/);
});

test('cards: only the published test numbers, all Luhn-valid', () => {
  for (const c of TEST_CARDS) assert.equal(cardProblems(c.number), [], c.number);
  assert.is(cardProblems('4111111111111112').length, 2);
  // Luhn-valid but not a test number: could be a real card
  assert.equal(cardProblems('4532015112830366'), ["card number 4532015112830366 is not one of the networks' published test numbers"]);
});

test('contact data: RFC 2606 domains, RFC 5737 / 3849 addresses, fictional phone ranges', () => {
  assert.equal(emailProblems('maria@example.com'), []);
  assert.equal(emailProblems('a@sub.example.org'), []);
  assert.equal(emailProblems('a@shop.test'), []);
  assert.match(emailProblems('maria@gmail.com')[0], /RFC 2606/);
  assert.match(emailProblems('nope')[0], /not an e-mail/);
  assert.is(makeEmail(['María', 'Chén'], 42), 'maria.chen.42@example.com');
  assert.is(makeEmail(['', '!'], 1), 'user.1@example.com');
  assert.equal(urlProblems('https://shop.example.com/p/1'), []);
  assert.match(urlProblems('https://evil.com/')[0], /RFC 2606/);
  assert.match(urlProblems('http://')[0], /not a URL/);
  for (const ip of ['192.0.2.1', '198.51.100.77', '203.0.113.254', '2001:db8::1']) assert.equal(ipProblems(ip), [], ip);
  assert.match(ipProblems('8.8.8.8')[0], /RFC 5737/);
  assert.match(ipProblems('2001:4860::8888')[0], /RFC 3849/);
  assert.match(ipProblems('999.1.1.1')[0], /not an IPv4/);
  const r = createRandom(1, 'phones');
  for (let i = 0; i < 200; i++) {
    assert.equal(phoneProblems(makePhone(r)), []);
    assert.equal(phoneProblems(makePhone(r, 'GB')), []);
  }
  assert.match(phoneProblems('+1-212-555-0200')[0], /fictional/);
  assert.match(phoneProblems('+44 20 7946 1234')[0], /fictional/);
});

test('identifiers: SSN-like 9xx with groups 01–49 or 000; MRNs with a Luhn check digit', () => {
  const r = createRandom(1, 'ssn');
  for (let i = 0; i < 500; i++) assert.equal(ssnProblems(makeSsn(r)), []);
  assert.equal(ssnProblems('000-12-3456'), []);
  assert.match(ssnProblems('123-45-6789')[0], /SSA issues/);
  assert.match(ssnProblems('912-70-1234')[0], /ITIN/);
  assert.match(ssnProblems('12345')[0], /form/);
  assert.equal(mrnProblems(makeMrn(1_000_042)), []);
  assert.match(mrnProblems('MRN-12345678')[0], /Luhn/);
  assert.match(mrnProblems('12345678')[0], /fictional MRN/);
});

test('amortisation: parts sum to the principal exactly, payments = interest + principal, zero rate works', () => {
  for (const [p, rate, months] of [[32_000_000, 3.9, 300], [726_000, 7.58, 36], [100_000, 0, 7], [99_999, 12.5, 1]] as const) {
    const { schedule } = amortise(p, rate, months, 'EUR', (k) => `m${k}`);
    assert.equal(scheduleProblems(p, schedule), []);
    assert.is(schedule[schedule.length - 1].remaining.amount, 0);
  }
  const { schedule } = amortise(500_000, 5, 12, 'EUR', (k) => `m${k}`);
  schedule[3].principal.amount += 1;
  const problems = scheduleProblems(500_000, schedule);
  assert.ok(problems.some((p) => /sum to/.test(p.message)));
  assert.ok(problems.some((p) => p.index === 3));
});

test('the validator flags tampered records of every kind, with paths and rules', () => {
  const s = service();
  const tamper = (industry: string, plural: string, id: string, change: (e: Entity) => void) => {
    const e = s.get(industry, plural, id)!;
    assert.equal(s.validate(industry, plural, e), [], `${industry}/${plural}/${id} is clean`);
    change(e);
    return s.validate(industry, plural, e);
  };
  assert.equal(rules(tamper('finance', 'customers', '1', (e) => { e.email = 'someone@gmail.com'; e.phone = '+1-212-867-5309'; e.lastLoginIp = '8.8.8.8'; })), ['email.rfc2606', 'ip.rfc5737', 'phone.fictional']);
  assert.equal(rules(tamper('finance', 'accounts', '1', (e) => { e.iban = 'DE89370400440532013000'; (e.balance as { amount: number }).amount += 1; })), ['iban.fictitious', 'money.balance']);
  assert.equal(rules(tamper('finance', 'cards', '1', (e) => { e.cardNumber = '4532015112830366'; })), ['card.testRange']);
  assert.equal(rules(tamper('finance', 'transactions', '1', (e) => { (e.amount as { amount: number }).amount += 0.5; })), ['money.balance', 'money.minorUnits']);
  const loanProblems = tamper('finance', 'loans', '1', (e) => { (e.schedule as Array<{ principal: { amount: number } }>)[0].principal.amount += 100; });
  assert.ok(loanProblems.some((p) => p.rule === 'loan.amortisation' && p.path.startsWith('schedule')));
  assert.equal(rules(tamper('finance', 'portfolios', '1', (e) => { (e.holdings as Array<{ ticker: string }>)[0].ticker = 'AAPL'; })), ['ticker.fictional']);
  assert.equal(rules(tamper('finance', 'payments', '1', (e) => { (e.creditorAgent as { bic: string }).bic = 'DEUTDEFF'; })), ['bic.test']);
  const patient = tamper('healthcare', 'patients', '1', (e) => { (e.identifier as Array<{ value: string }>)[1].value = '123-45-6789'; e.mrn = 'MRN-00000000'.replace(/0$/, '1'); });
  assert.equal(rules(patient), ['mrn.fictional', 'ssn.reserved']);
  assert.ok(patient.some((p) => p.path === 'identifier[1].value'));
  assert.equal(rules(tamper('healthcare', 'observations', '1', (e) => { (e.valueQuantity as { value: number }).value = 900; })), ['clinical.plausible']);
  assert.equal(rules(tamper('healthcare', 'conditions', '1', (e) => { (e.code as { coding: Array<{ code: string }> }).coding[1].code = 'Z99'; })), ['clinical.code']);
  assert.equal(rules(tamper('healthcare', 'medication-requests', '1', (e) => { (e.medicationCodeableConcept as { coding: Array<{ code: string }> }).coding[0].code = '1'; })), ['clinical.fit']);
  assert.equal(rules(tamper('healthcare', 'claims', '1', (e) => { (e.total as { amount: number }).amount = 1; })), ['money.sum']);
  assert.equal(rules(tamper('retail', 'products', '1', (e) => { e.stock = -1; e.url = 'https://www.amazon.com/x'; })), ['stock.sum', 'url.rfc2606']);
  assert.equal(rules(tamper('retail', 'orders', '1', (e) => { e.status = 'browsed'; (e.tax as { amount: number }).amount += 1; })), ['journey.order', 'money.sum']);
  assert.equal(rules(tamper('retail', 'loyalty-accounts', '1', (e) => { e.tier = 'platinum'; })), ['loyalty.tier']);
  assert.equal(rules(tamper('retail', 'carts', '1', (e) => { (e.subtotal as { amount: number }).amount += 5; })), ['money.sum']);
  assert.equal(rules(tamper('retail', 'reviews', '1', (e) => { e.body = 'Contact me at real.person@gmail.com please'; })), ['email.rfc2606']);
  // shape and type problems
  assert.equal(rules(s.validate('finance', 'accounts', { id: '', type: 'customer' })), ['entity.id', 'entity.shape', 'entity.type']);
  const err = thrown(() => s.validate('finance', 'accounts', [] as unknown as Entity));
  assert.is(err.code, 'US_INDUSTRY_INVALID_RECORD');
});

test.run();
