// The REST API over real sockets: pages with totals and Link headers, filters and sorting,
// one entity by any id spelling, relations both ways, personas by key, the industry index,
// coded 404s with suggestions, 400s for bad queries, what is left to other plugins, the
// prefix, and the same bodies from two kernels with the same seed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { start, type Kit } from './helpers.js';

const rest = suite<{ kit: Kit }>('REST per industry');
rest.before(async (ctx) => {
  ctx.kit = await start();
});
rest.after(async (ctx) => ctx.kit.stop());

rest('a page: items with links, totals, Link header and x-total-count', async ({ kit }) => {
  const res = await kit.call('/finance/customers?page=2&pageSize=5');
  assert.is(res.status, 200);
  assert.is(res.headers.get('x-total-count'), '30');
  assert.is(res.headers.get('x-demo-session'), 'default');
  assert.equal(res.body.items.map((c: any) => c.id), ['6', '7', '8', '9', '10']);
  assert.equal({ page: res.body.page, pageSize: res.body.pageSize, total: res.body.total, totalPages: res.body.totalPages }, { page: 2, pageSize: 5, total: 30, totalPages: 6 });
  const link = res.headers.get('link')!;
  for (const [rel, page] of [['first', 1], ['prev', 1], ['next', 3], ['last', 6]] as const) {
    assert.ok(link.includes(`<${kit.base}/finance/customers?page=${page}&pageSize=5>; rel="${rel}"`), `${rel} in ${link}`);
  }
  assert.is(res.body.links.next, `${kit.base}/finance/customers?page=3&pageSize=5`);
  const first = res.body.items[0];
  assert.equal(first._links, { self: `${kit.base}/finance/customers/6`, accounts: `${kit.base}/finance/customers/6/accounts` });
  assert.equal(first.balance.currency, 'EUR');
  assert.ok(Number.isInteger(first.balance.amount));
});

rest('the last page has no next; a page past the end is empty; defaults are page 1 of 20', async ({ kit }) => {
  const last = await kit.call('/finance/customers?page=6&pageSize=5');
  assert.is(last.body.links.next, undefined);
  assert.not.ok(last.headers.get('link')!.includes('rel="next"'));
  const past = await kit.call('/finance/customers?page=9&pageSize=5');
  assert.equal(past.body.items, []);
  assert.is(past.body.total, 30);
  const dflt = await kit.call('/finance/customers');
  assert.is(dflt.body.items.length, 20);
  assert.is(dflt.body.page, 1);
  assert.not.ok(dflt.headers.get('link')!.includes('rel="prev"'));
});

rest('filters on fields, dotted paths, arrays, money amounts and operators; sorting both ways', async ({ kit }) => {
  const closed = await kit.call('/finance/accounts?status=closed&pageSize=100');
  assert.equal(closed.body.items.map((a: any) => a.id), ['5', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55', '60']);
  const city = await kit.call('/finance/customers?address.city=Shelbyville&pageSize=100');
  assert.ok(city.body.items.length > 0 && city.body.items.every((c: any) => c.address.city === 'Shelbyville'));
  const vip = await kit.call('/finance/customers?tags=vip&pageSize=100');
  assert.is(vip.body.total, 15);
  const either = await kit.call('/finance/accounts?customerId=1&customerId=2&pageSize=100');
  assert.equal(either.body.items.map((a: any) => a.id), ['1', '2', '31', '32']);
  const rich = await kit.call('/finance/customers?balance_gte=250000&pageSize=100');
  assert.ok(rich.body.items.every((c: any) => c.balance.amount >= 250_000));
  const poor = await kit.call('/finance/customers?balance_lt=250000&pageSize=100');
  assert.is(rich.body.total + poor.body.total, 30);
  const like = await kit.call('/finance/customers?email_like=EXAMPLE.COM&status_ne=x&pageSize=1');
  assert.is(like.status, 400, 'status is not a customer field');
  const named = await kit.call('/finance/customers?name_like=ada&pageSize=100');
  assert.ok(named.body.items.every((c: any) => c.name.toLowerCase().includes('ada')));
  const sorted = await kit.call('/finance/customers?sort=-balance,id&pageSize=100');
  const amounts = sorted.body.items.map((c: any) => c.balance.amount);
  assert.equal(amounts, [...amounts].sort((a: number, b: number) => b - a));
  const byName = await kit.call('/finance/customers?sort=name,-id&pageSize=100');
  const names = byName.body.items.map((c: any) => c.name);
  assert.equal(names, [...names].sort());
  // the pages of a filtered list add up, and keep the filter in their links
  const page2 = await kit.call('/finance/accounts?status=open&sort=-id&page=2&pageSize=10');
  assert.is(page2.body.total, 48);
  assert.equal(page2.body.items[0].id, '47'); // page 1: 59…48 without 55 and 50
  assert.ok(page2.body.links.next.includes('status=open') && page2.body.links.next.includes('sort=-id'));
  // the formatter's parameters are not filters
  const formatted = await kit.call('/finance/customers?format=json&pretty&pageSize=2');
  assert.is(formatted.body.total, 30);
});

rest('bad queries are one coded 400 naming every problem and the nearest field', async ({ kit }) => {
  const res = await kit.call('/finance/customers?page=0&pageSize=900&sort=-balnce&segmnt=premium&address..city=x');
  assert.is(res.status, 400);
  assert.is(res.body.code, 'US_PERSONAS_BAD_QUERY');
  assert.is(res.body.problems.length, 5);
  assert.match(res.body.message, 'page: "0" is not a positive integer');
  assert.match(res.body.message, 'pageSize: 900 is more than 500');
  assert.match(res.body.message, 'sort: no field "balnce" (did you mean "balance"?)');
  assert.match(res.body.message, 'segmnt: no field "segmnt" (did you mean "segment"?)');
  assert.match(res.body.message, 'is not a field path');
});

rest('one entity by every id spelling, the same body as in the list', async ({ kit }) => {
  const [plain, long, short, padded] = await Promise.all(['7', 'cus_000007', 'cus_7', '0007'].map((id) => kit.call(`/finance/customers/${id}`)));
  for (const r of [plain, long, short, padded]) {
    assert.is(r.status, 200);
    assert.equal(r.body, plain.body);
  }
  assert.is(plain.body.id, '7');
  const page = await kit.call('/finance/customers?page=2&pageSize=5');
  assert.equal(page.body.items[1], plain.body);
  const head = await fetch(`${kit.base}/finance/customers/7`, { method: 'HEAD' });
  assert.is(head.status, 200);
});

rest('relations: a customer\'s accounts (a page) and an account\'s customer (one entity)', async ({ kit }) => {
  const accounts = await kit.call('/finance/customers/3/accounts');
  assert.equal(accounts.body.items.map((a: any) => a.id), ['3', '33']);
  assert.ok(accounts.body.items.every((a: any) => a.customerId === '3'));
  assert.is(accounts.body.items[0]._links.customer, `${kit.base}/finance/customers/3`);
  const customer = await kit.call('/finance/accounts/33/customer');
  assert.equal(customer.body, (await kit.call('/finance/customers/3')).body);
  const filtered = await kit.call('/finance/customers/5/accounts?status=closed');
  assert.equal(filtered.body.items.map((a: any) => a.id), ['5', '35']);
  const none = await kit.call('/finance/customers/3/acounts');
  assert.is(none.status, 404);
  assert.is(none.body.code, 'US_PERSONAS_RELATION_NOT_FOUND');
  assert.equal(none.body.suggestions, ['accounts']);
  const deep = await kit.call('/finance/customers/3/accounts/1');
  assert.is(deep.status, 404);
});

rest('personas: by key, listed per industry, with her hints applied everywhere', async ({ kit }) => {
  const maria = await kit.call('/finance/customers/@maria');
  assert.is(maria.status, 200);
  assert.is(maria.body.id, '7');
  assert.is(maria.body.name, 'Maria Chen');
  assert.is(maria.body.segment, 'premium');
  assert.equal(maria.body, (await kit.call('/finance/customers/7')).body);
  const inList = await kit.call('/finance/customers?segment=premium&name=Maria%20Chen');
  assert.equal(inList.body.items, [maria.body]);
  const herAccounts = await kit.call('/finance/customers/@maria/accounts');
  assert.equal(herAccounts.body.items.map((a: any) => a.id), ['7', '37']);
  const list = await kit.call('/finance/personas');
  assert.is(list.body.total, 1);
  assert.equal(
    { ...list.body.items[0], entity: undefined },
    {
      key: 'maria',
      industry: 'finance',
      type: 'customers',
      id: '7',
      name: 'Maria Chen',
      hints: { name: 'Maria Chen', segment: 'premium' },
      story: 'Premium customer with a mortgage',
      href: `${kit.base}/finance/customers/7`,
      alias: `${kit.base}/finance/customers/@maria`,
      entity: undefined,
    },
  );
  assert.equal(list.body.items[0].entity, maria.body);
  assert.equal((await kit.call('/finance/personas/maria')).body.entity, maria.body);
  assert.equal((await kit.call('/retail/personas')).body, { items: [], total: 0 });
});

rest('unknown persona, entity or type: coded 404 with suggestions', async ({ kit }) => {
  const persona = await kit.call('/finance/customers/@mara');
  assert.is(persona.status, 404);
  assert.is(persona.body.code, 'US_PERSONAS_PERSONA_NOT_FOUND');
  assert.equal(persona.body.suggestions, ['@maria']);
  assert.match(persona.body.message, 'Did you mean "@maria"?');
  const elsewhere = await kit.call('/finance/accounts/@maria');
  assert.is(elsewhere.status, 404);
  assert.match(elsewhere.body.message, '/finance/customers/7');
  const byName = await kit.call('/finance/customers/chen');
  assert.is(byName.body.code, 'US_PERSONAS_ENTITY_NOT_FOUND');
  assert.equal(byName.body.suggestions[0], '@maria');
  const past = await kit.call('/finance/customers/31');
  assert.is(past.status, 404);
  assert.equal(past.body.suggestions, ['30', '29', '28']);
  assert.match(past.body.message, 'ids run from 1 to 30');
  const type = await kit.call('/finance/custmers');
  assert.is(type.status, 404);
  assert.is(type.body.code, 'US_PERSONAS_TYPE_NOT_FOUND');
  assert.equal(type.body.suggestions, ['customers']);
  const singular = await kit.call('/finance/customer/7');
  assert.is(singular.status, 200, 'the singular names the type too');
});

rest('the industry index; other paths are left to other plugins with the reason', async ({ kit }) => {
  const index = await kit.call('/finance');
  assert.equal(index.body.types.map((t: any) => [t.plural, t.count]), [['customers', 30], ['accounts', 60]]);
  assert.is(index.body.personas, `${kit.base}/finance/personas`);
  const other = await kit.call('/users/1');
  assert.is(other.status, 404);
  assert.is(other.body.code, 'US_NO_MATCH');
  assert.equal(other.body.unmatched.personas.industries, ['/finance', '/retail']);
  const method = await kit.call('/finance/customers/7', { method: 'PUT', json: {} });
  assert.is(method.status, 405);
  assert.is(method.body.code, 'US_PERSONAS_METHOD_NOT_ALLOWED');
  assert.is(method.headers.get('allow'), 'GET, PATCH, DELETE');
  const badEncoding = await kit.call('/finance/customers/%E0%A4%A');
  assert.is(badEncoding.status, 400);
  // the same through the pipeline in-process (fastify refuses it before over HTTP)
  const dispatched = await kit.k.dispatch({ request: { method: 'GET', url: '/finance/customers/%E0%A4%A' } });
  assert.is(dispatched.response!.status, 400);
  assert.match(String(dispatched.response!.body), 'bad %-encoding');
  const tagged = await kit.k.dispatch({ request: { method: 'GET', url: '/finance/customers/7/accounts' } });
  assert.equal(tagged.context.tags.personas, { session: 'default', industry: 'finance', resource: 'customers', id: '7', relation: 'accounts' });
});

rest.run();

const prefixed = suite('REST under a prefix');
prefixed('every path under the prefix is answered, an unknown industry with the known ones', async () => {
  const kit = await start({ prefix: '/api' });
  try {
    const res = await kit.call('/api/finance/customers/7');
    assert.is(res.status, 200);
    assert.is(res.body._links.self, `${kit.base}/api/finance/customers/7`);
    const list = await kit.call('/api/finance/customers?pageSize=1');
    assert.ok(list.headers.get('link')!.includes(`<${kit.base}/api/finance/customers?page=2&pageSize=1>; rel="next"`));
    const unknown = await kit.call('/api/finanse/customers');
    assert.is(unknown.status, 404);
    assert.is(unknown.body.code, 'US_PERSONAS_INDUSTRY_NOT_FOUND');
    assert.equal(unknown.body.suggestions, ['finance']);
    const root = await kit.call('/api');
    assert.equal(root.body.industries.map((i: any) => i.name), ['finance', 'retail']);
    assert.is((await kit.call('/finance/customers/7')).body.code, 'US_NO_MATCH');
    assert.equal((await kit.call('/api/finance/personas')).body.items[0].href, `${kit.base}/api/finance/customers/7`);
  } finally {
    await kit.stop();
  }
});
prefixed.run();

const same = suite('determinism');
same('two kernels with the same seed answer the same bodies; another seed another', async () => {
  const paths = ['/finance/customers?pageSize=30', '/finance/accounts/17', '/finance/customers/@maria/accounts'];
  const a = await start();
  const b = await start();
  const c = await start({}, { fakeSeed: 'other' });
  try {
    for (const path of paths) {
      const [x, y, z] = await Promise.all([a.call(path), b.call(path), c.call(path)]);
      assert.equal(x.text.replaceAll(a.base, ''), y.text.replaceAll(b.base, ''), path);
      assert.is.not(x.text.replaceAll(a.base, ''), z.text.replaceAll(c.base, ''), path);
    }
  } finally {
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  }
});
same.run();
