// The demo preset end to end on a real socket: the same persona from three endpoints, XML on
// request, the three scenario scripts loaded and the bank one moving account 7 on the
// virtual clock.
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const config = { personas: { storage: ':memory:' } };
const post = (url: string, body: unknown = {}) =>
  fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('the demo preset loads its five plugins and three scenario scripts', async () => {
  const k = await createTestKernel({ presets: ['demo'], config });
  try {
    const plugins = (await fetchJson(`${k.baseUrl}/__admin/plugins`)).body as Array<{ name: string }>;
    assert.equal(plugins.map((p) => p.name).sort(), ['formatter', 'industry-data', 'personas', 'recorder', 'scenarios']);
    const scripts = ((await fetchJson(`${k.baseUrl}/__admin/scenarios`)).body as { scenarios: Array<{ name: string }> }).scenarios;
    assert.equal(scripts.map((s) => s.name).sort(), ['bank-overdraft', 'hospital-visit', 'shop-order']);
  } finally {
    await k.stop();
  }
});

test('Maria Chen is the same customer by id and by persona key, and comes as XML on request', async () => {
  const k = await createTestKernel({ presets: ['demo'], config });
  try {
    const byId = await fetchJson(`${k.baseUrl}/finance/customers/42`);
    const byKey = await fetchJson(`${k.baseUrl}/finance/customers/@maria`);
    assert.is(byId.status, 200);
    assert.equal(byKey.body, byId.body);
    assert.is((byId.body as { name: string }).name, 'Maria Chen');
    const xml = await fetch(`${k.baseUrl}/finance/customers/42?format=xml`);
    assert.match(xml.headers.get('content-type') ?? '', /xml/);
    assert.match(await xml.text(), /<name>Maria Chen<\/name>/);
  } finally {
    await k.stop();
  }
});

test('the bank scenario lowers account 107\'s balance on the kernel clock', async () => {
  const k = await createTestKernel({ presets: ['demo'], config });
  try {
    const before = (await fetchJson(`${k.baseUrl}/finance/accounts/107`)).body as { balance: { amount: number } };
    assert.is((await post(`${k.baseUrl}/__admin/scenarios/bank-overdraft/start`)).status, 200);
    await k.clock.advance(90_000);
    const after = (await fetchJson(`${k.baseUrl}/finance/accounts/107?format=json`)).body as { balance: { amount: string | number; minorUnits?: number } };
    const minor = (b: { amount: string | number; minorUnits?: number }) => b.minorUnits ?? Number(b.amount);
    assert.ok(minor(after.balance) !== minor(before.balance as never), 'the balance moved');
    assert.ok(k.eventsOf('scenario.waypoint').length >= 2);
  } finally {
    await k.stop();
  }
});

test.run();
