// Lists: pages in id order without a scan, filters on dotted paths (money by amount, arrays by
// any element), multi-key sorts with a stable id tie-break, coded 400s for bad pages and for
// scans over maxScan, coded 404s with "did you mean" for unknown industries and types.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Money } from '../src/contract.js';
import { service, thrown } from './helpers.js';

const s = service();

test('pages in id order with the total', () => {
  const page = s.list('finance', 'customers', { offset: 10, limit: 5 });
  assert.is(page.total, 1000);
  assert.equal(page.items.map((e) => e.id), ['11', '12', '13', '14', '15']);
  assert.equal(s.list('finance', 'customers', { offset: 998, limit: 5 }).items.map((e) => e.id), ['999', '1000']);
  assert.equal(s.list('finance', 'customers', { offset: 2000, limit: 5 }).items, []);
});

test('filters: dotted paths, money amounts, arrays; sort: several keys, descending, id tie-break', () => {
  const premium = s.list('finance', 'customers', { offset: 0, limit: 1000, filter: { segment: 'premium' } });
  assert.ok(premium.total > 50 && premium.total < 600);
  assert.ok(premium.items.every((c) => c.segment === 'premium'));
  const city = String(s.get('finance', 'customers', '1')!.address && (s.get('finance', 'customers', '1')!.address as { city: string }).city);
  assert.ok(s.list('finance', 'customers', { offset: 0, limit: 10, filter: { 'address.city': city } }).items.every((c) => (c.address as { city: string }).city === city));
  const acc = s.get('finance', 'accounts', '5')!;
  const byBalance = s.list('finance', 'accounts', { offset: 0, limit: 10, filter: { balance: String((acc.balance as Money).amount) } });
  assert.ok(byBalance.items.some((a) => a.id === '5'));
  const patient = s.get('healthcare', 'patients', '3')!;
  const family = (patient.name as Array<{ family: string }>)[0].family;
  assert.ok(s.list('healthcare', 'patients', { offset: 0, limit: 10, filter: { 'name.family': family } }).items.some((p) => p.id === '3'));
  const sorted = s.list('finance', 'accounts', { offset: 0, limit: 1000, sort: ['product', '-balance'] }).items;
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    assert.ok(String(a.product) <= String(b.product));
    if (a.product === b.product) assert.ok((a.balance as Money).amount >= (b.balance as Money).amount);
  }
  const byName = s.list('retail', 'categories', { offset: 0, limit: 3, sort: ['department', 'name'] }).items.map((c) => c.name);
  assert.equal(byName, ['Basics', 'Footwear', 'Knitwear']);
  const missingLast = s.list('finance', 'customers', { offset: 0, limit: 1000, sort: ['companyName'] }).items;
  assert.ok(missingLast[0].companyName !== undefined && missingLast[missingLast.length - 1].companyName === undefined);
  assert.is(s.list('finance', 'customers', { offset: 0, limit: 5, filter: { companyName: '' } }).items[0].companyName, undefined);
});

test('bad queries are a coded 400 naming each problem; scans past maxScan are refused', () => {
  const err = thrown(() => s.list('finance', 'customers', { offset: -1, limit: 5000 }));
  assert.is(err.code, 'US_INDUSTRY_INVALID_QUERY');
  assert.is(err.statusCode, 400);
  assert.match(err.message, /offset/);
  assert.match(err.message, /maxPageSize/);
  const small = service({ maxScan: 100 });
  assert.match(thrown(() => small.list('finance', 'customers', { offset: 0, limit: 5, sort: ['name'] })).message, /maxScan/);
  assert.is(small.list('finance', 'customers', { offset: 0, limit: 5, sort: [''] }).items.length, 5);
});

test('unknown industry or type → coded 404 with the known ones and "did you mean"', () => {
  const a = thrown(() => s.types('helthcare'));
  assert.is(a.code, 'US_INDUSTRY_UNKNOWN');
  assert.is(a.statusCode, 404);
  assert.match(a.message, /Did you mean "healthcare"\?/);
  assert.equal(a.available, ['finance', 'healthcare', 'retail']);
  const b = thrown(() => s.get('finance', 'acounts', '1'));
  assert.is(b.code, 'US_INDUSTRY_TYPE_UNKNOWN');
  assert.equal(b.suggestions, ['accounts']);
  assert.match(thrown(() => s.type('retail', 'zzz')).message, /Its types: "categories"/);
  assert.not.match(thrown(() => s.types('zzzzzzzz')).message, /Did you mean/);
});

test('counts per type change the data set without changing the entities that remain', () => {
  const big = service({ counts: { retail: { categories: 50 } } });
  assert.is(big.type('retail', 'categories').count, 50);
  assert.is(big.get('retail', 'categories', '30')!.name, 'Cycling 2');
  assert.equal(big.get('retail', 'categories', '3'), s.get('retail', 'categories', '3'));
  assert.equal(big.describe('retail').types.length, 7);
});

test('the cache is bounded by count and bytes and counts evictions', () => {
  const tiny = service({ cache: { maxEntries: 10, maxBytes: 4000 } });
  for (let i = 1; i <= 30; i++) tiny.get('finance', 'customers', String(i));
  const stats = tiny.cacheStats();
  assert.ok(stats.entries <= 10 && stats.bytes <= 4000, JSON.stringify(stats));
  assert.ok(stats.evicted >= 20);
  tiny.get('finance', 'customers', '30');
  assert.ok(tiny.cacheStats().hits >= 1);
  const none = service({ cache: { maxEntries: 0, maxBytes: 0 } });
  none.get('finance', 'customers', '1');
  assert.is(none.cacheStats().entries, 0);
});

test.run();
