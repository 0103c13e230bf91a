// With the real industry-data plugin: the hero persona's hints shape her entity and her
// relations (a mortgage among her loans), customer 42 is the same body from every endpoint
// that mentions her and from another kernel with the same seed, the real safety validator
// refuses an unsafe patch (and lets a balance that no longer adds up through), and an export streams generated records.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import industryData from '@understudy/plugin-industry-data';
import personas from '../src/index.js';

const MARIA = { key: 'maria', industry: 'finance', type: 'customers', id: 'cus_000042', name: 'Maria Chen', hints: { segment: 'premium', products: ['mortgage'] }, story: 'Premium customer with a mortgage' };
const boot = (seed = 7) =>
  createTestKernel({
    plugins: [industryData, personas],
    seed,
    config: { 'industry-data': { industries: ['finance'] }, personas: { storage: ':memory:', personas: [MARIA] } },
  });
const strip = (k: TestKernel, text: string) => text.replaceAll(k.baseUrl, '');

const real = suite('with industry-data');

real('Maria is the same everywhere, in this kernel and in another with the same seed', async () => {
  const a = await boot();
  const b = await boot();
  try {
    const maria = await fetchJson(`${a.baseUrl}/finance/customers/@maria`);
    assert.is(maria.status, 200);
    assert.equal([maria.body.id, maria.body.name, maria.body.segment], ['42', 'Maria Chen', 'premium']);
    assert.equal(maria.body, (await fetchJson(`${a.baseUrl}/finance/customers/cus_000042`)).body);
    const loans = await fetchJson(`${a.baseUrl}/finance/customers/@maria/loans`);
    assert.ok(loans.body.items.some((l: any) => l.kind === 'mortgage'), 'her products hint gives her a mortgage');
    const accounts = await fetchJson(`${a.baseUrl}/finance/customers/42/accounts`);
    assert.ok(accounts.body.total >= 1);
    const owner = await fetchJson(`${a.baseUrl}/finance/accounts/${accounts.body.items[0].id}/customer`);
    assert.equal(owner.body, maria.body);
    const loan = loans.body.items[0];
    assert.equal((await fetchJson(`${a.baseUrl}/finance/loans/${loan.id}`)).body, loan);
    for (const path of ['/finance/customers/@maria', '/finance/customers/@maria/loans', `/finance/accounts/${accounts.body.items[0].id}`]) {
      const [x, y] = await Promise.all([fetchJson(a.baseUrl + path), fetchJson(b.baseUrl + path)]);
      assert.is(strip(a, x.text), strip(b, y.text), path);
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

real('the safety validator guards writes; exports stream generated records', async () => {
  const k = await boot();
  try {
    const unsafe = await fetchJson(`${k.baseUrl}/finance/customers/42`, { method: 'PATCH', json: { email: 'maria@gmail.com' }, headers: { 'x-demo-session': 's' } });
    assert.is(unsafe.status, 422);
    assert.is(unsafe.body.code, 'US_PERSONAS_UNSAFE_RECORD');
    assert.ok(unsafe.body.problems.some((p: any) => p.path === 'email'));
    const ok = await fetchJson(`${k.baseUrl}/finance/customers/42`, { method: 'PATCH', json: { email: 'maria.chen@example.com' }, headers: { 'x-demo-session': 's' } });
    assert.is(ok.status, 200);
    // a balance that no longer adds up breaks a consistency rule, not a safety one: accepted
    const overdrawn = await fetchJson(`${k.baseUrl}/finance/accounts/7`, { method: 'PATCH', json: { balance: { amount: -5000 } }, headers: { 'x-demo-session': 's' } });
    assert.is(overdrawn.status, 200);
    assert.is(overdrawn.body.balance.amount, -5000);
    const nd = await fetchJson(`${k.baseUrl}/__admin/personas/export?industry=finance&type=customers&format=ndjson&offset=40&limit=5&session=s`);
    const rows = nd.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.map((r) => r.id), ['41', '42', '43', '44', '45']);
    assert.is(rows[1].email, 'maria.chen@example.com');
    assert.equal(rows[0], (await fetchJson(`${k.baseUrl}/__admin/personas/sessions/s/entities/finance/customers/41`)).body);
  } finally {
    await k.stop();
  }
});

real.run();
