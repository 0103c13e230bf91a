// With the real plugins: industry-data generates the bank, personas holds the session
// (SQLite in memory) and serves it over REST; the sample bank scenario changes what
// GET /finance/accounts/7 answers, step by step, in its own session only; jump and rewind
// restore through the sessions service's snapshot; the `on` step fires on the scenario's own event.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import industryData from '@understudy/plugin-industry-data';
import personas from '@understudy/plugin-personas';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import scenarios from '../src/index.js';

const BANK = readFileSync(new URL('../examples/bank.yaml', import.meta.url), 'utf8');

async function bankKernel(): Promise<TestKernel> {
  return createTestKernel({
    plugins: [industryData, personas, scenarios],
    config: { personas: { storage: ':memory:' } },
  });
}

const get = (k: TestKernel, path: string, session = 'demo') => fetchJson(`${k.baseUrl}${path}`, { headers: { 'x-demo-session': session } });
const amount = async (k: TestKernel, session = 'demo') => (await get(k, '/finance/accounts/7', session)).body.balance.amount as number;

test('the bank scenario moves the data the REST API serves, in its session; jump and rewind restore it', async () => {
  const k = await bankKernel();
  try {
    const admin = `${k.baseUrl}/__admin/scenarios`;
    const put = await fetchJson(`${admin}/bank-overdraft`, { method: 'PUT', json: { yaml: BANK } });
    assert.is(put.status, 201, put.text);
    const before = await amount(k);
    const elsewhere = await amount(k, 'other');
    assert.is(before, elsewhere);

    const start = await fetchJson(`${admin}/bank-overdraft/start`, { method: 'POST', json: { session: 'demo' } });
    assert.is(start.status, 200, start.text);
    assert.is((await get(k, '/finance/accounts/7')).body.status, 'active');
    await k.clock.advance(50_000); // half-way down the bills
    const half = await amount(k);
    assert.ok(half < before && half > 25_000, `${half} between ${before} and 25000`);
    await k.clock.advance(30_000);
    assert.is(await amount(k), 25_000);
    assert.is(await amount(k, 'other'), elsewhere, 'another session is untouched');

    const changed = k.eventsOf('session.entityChanged').filter((e) => e.data.session === 'demo');
    assert.ok(changed.length > 10);
    assert.is(changed[0]!.data.cause, 'scenario:bank-overdraft/intro');
    assert.ok(changed.some((e) => e.data.cause === 'scenario:bank-overdraft/bills'));

    // jump ahead: the overdraft, the review, then the flagged payment fires the `on` step
    const jumped = await fetchJson(`${admin}/bank-overdraft/jump`, { method: 'POST', json: { session: 'demo', waypoint: 'Suspicious payment' } });
    assert.is(jumped.status, 200, jumped.text);
    assert.is(await amount(k), -42_000);
    assert.is((await get(k, '/finance/customers/42')).body.riskRating, 'medium');
    await k.clock.advance(5000);
    assert.is((await get(k, '/finance/cards/3')).body.status, 'blocked');
    await k.clock.advance(30_000);
    assert.is((await get(k, '/finance/customers/42')).body.riskRating, 'low');
    assert.is(k.eventsOf('scenario.ended').at(-1)!.data.reason, 'completed');

    // rewind to the start: the session is as it was when the run started, then step 0 again
    const rewound = await fetchJson(`${admin}/bank-overdraft/rewind`, { method: 'POST', json: { session: 'demo', to: 0 } });
    assert.is(rewound.status, 200, rewound.text);
    assert.is(await amount(k), before);
    assert.is((await get(k, '/finance/cards/3')).body.status, (await get(k, '/finance/cards/3', 'other')).body.status);
    const waypoints = k.eventsOf('scenario.waypoint').map((e) => e.data.waypoint);
    assert.equal([...new Set(waypoints)], ['Morning', 'Low balance', 'Overdraft', 'Suspicious payment', 'Card blocked', 'Resolved']);
  } finally {
    await k.stop();
  }
});

test('a script naming an entity the data set does not have is refused with its path', async () => {
  const k = await bankKernel();
  try {
    const res = await fetchJson(`${k.baseUrl}/__admin/scenarios/v`, {
      method: 'PUT',
      json: { name: 'v', steps: [{ at: 0, set: { entity: 'finance/accounts/99999999', changes: { status: 'x' } } }, { at: 0, set: { entity: 'finance/widgets/1', changes: { a: 1 } } }] },
    });
    assert.is(res.status, 400, res.text);
    assert.is(res.body.code, 'US_SCENARIO_INVALID');
    assert.match(res.body.message, 'steps[0].set.entity');
    assert.match(res.body.message, 'steps[1].set.entity');
  } finally {
    await k.stop();
  }
});

test.run();
