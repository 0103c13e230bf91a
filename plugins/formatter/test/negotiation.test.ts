// Content negotiation over real HTTP: Accept with q-values, ?format=, 406 and 400 coded,
// Vary, and what is left alone (out of scope, admin, not JSON, child calls).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { negotiate, parseAccept } from '../src/negotiate.js';
import { get, start } from './helpers.js';

const it = suite('formatter: content negotiation');

const customer = { id: '42', type: 'customer', name: 'Maria Chen' };
let k: TestKernel;
it.before(async () => {
  k = await start({
    '/finance/customers/42': { body: customer },
    '/finance/customers': { body: [customer] },
    '/page.html': { type: 'text/html', body: '<p>hi</p>' },
    '/broken': { body: '{"not json' },
    '/missing': { status: 404, body: { statusCode: 404, code: 'US_X_NOT_FOUND', error: 'Not Found', message: 'no' } },
    '/problem': { type: 'application/problem+json', body: { title: 'x' } },
    '/varied': { body: { a: 1 }, vary: 'Origin' },
    '/empty': { status: 204, body: '' },
  });
});
it.after(() => k.stop());

it('no Accept, */* and application/json answer JSON, compact, with Vary: Accept', async () => {
  for (const accept of [undefined, '*/*', 'application/json', 'application/*']) {
    const res = await get(k, '/finance/customers/42', accept ? { accept } : {});
    assert.is(res.status, 200, String(accept));
    assert.is(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.is(res.headers.get('vary'), 'Accept');
    assert.is(res.text, JSON.stringify(customer));
  }
});

it('Accept: application/xml and text/xml answer XML in the asked type', async () => {
  const a = await get(k, '/finance/customers/42', { accept: 'application/xml' });
  assert.is(a.headers.get('content-type'), 'application/xml; charset=utf-8');
  assert.ok(a.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><customer>'), a.text);
  const t = await get(k, '/finance/customers/42', { accept: 'text/xml' });
  assert.is(t.headers.get('content-type'), 'text/xml; charset=utf-8');
  const star = await get(k, '/finance/customers/42', { accept: 'image/png, text/*;q=0.1' });
  assert.is(star.headers.get('content-type'), 'text/xml; charset=utf-8');
});

it('q-values decide; q=0 refuses; ties go to the type named first', async () => {
  const cases: Array<[string, string]> = [
    ['application/json;q=0.5, application/xml', 'application/xml'],
    ['application/xml;q=0.9, application/json;q=0.8', 'application/xml'],
    ['application/xml;q=0, */*', 'application/json'],
    ['application/json;q=0, */*;q=0.2', 'application/xml'],
    ['application/xml, application/json', 'application/xml'],
    ['application/json, application/xml', 'application/json'],
    ['text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8', 'application/xml'],
    ['garbage, application/xml', 'application/xml'],
  ];
  for (const [accept, type] of cases) {
    const res = await get(k, '/finance/customers/42', { accept });
    assert.is(res.headers.get('content-type'), `${type}; charset=utf-8`, accept);
  }
});

it('nothing acceptable is a coded 406 naming what is available', async () => {
  for (const accept of ['text/html', 'image/png, text/plain;q=0.5', 'application/json;q=0, application/xml;q=0, text/xml;q=0']) {
    const res = await get(k, '/finance/customers/42', { accept });
    assert.is(res.status, 406, accept);
    assert.is(res.body.code, 'US_FORMATTER_NOT_ACCEPTABLE');
    assert.is(res.body.statusCode, 406);
    assert.is(res.body.error, 'Not Acceptable');
    assert.match(res.body.message, 'application/json, application/xml, text/xml');
    assert.match(res.body.message, '?format=xml');
  }
});

it('?format= wins over Accept; an unknown format is a coded 400', async () => {
  const x = await get(k, '/finance/customers/42?format=xml', { accept: 'application/json' });
  assert.is(x.headers.get('content-type'), 'application/xml; charset=utf-8');
  const j = await get(k, '/finance/customers/42?format=JSON', { accept: 'text/html' });
  assert.is(j.status, 200);
  assert.is(j.headers.get('content-type'), 'application/json; charset=utf-8');
  const bad = await get(k, '/finance/customers/42?format=yaml');
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'US_FORMATTER_BAD_FORMAT');
  assert.match(bad.body.message, '?format=json or ?format=xml');
});

it('an error answer from upstream keeps its status: in XML when asked, as it was when nothing fits', async () => {
  const x = await get(k, '/missing', { accept: 'application/xml' });
  assert.is(x.status, 404);
  assert.match(x.text, '<code>US_X_NOT_FOUND</code>');
  const none = await get(k, '/missing', { accept: 'text/html' });
  assert.is(none.status, 404);
  assert.is(none.body.code, 'US_X_NOT_FOUND');
});

it('+json types are JSON; an existing Vary keeps its values', async () => {
  const p = await get(k, '/problem?format=xml');
  assert.match(p.text, '<problem><title>x</title></problem>');
  const p2 = await get(k, '/problem?pretty');
  assert.is(p2.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const v = await get(k, '/varied');
  assert.is(v.headers.get('vary'), 'Origin, Accept');
});

it('not JSON, JSON that does not parse, and the control plane are left alone', async () => {
  const html = await get(k, '/page.html', { accept: 'application/xml' });
  assert.is(html.status, 200);
  assert.is(html.text, '<p>hi</p>');
  assert.is(html.headers.get('vary'), null);
  const empty = await get(k, '/empty', { accept: 'application/xml' });
  assert.equal([empty.status, empty.text, empty.headers.get('vary')], [204, '', null]);
  const broken = await get(k, '/broken', { accept: 'application/xml' });
  assert.is(broken.text, '{"not json');
  const admin = await get(k, '/__admin/answers/money?format=xml&pretty', { accept: 'application/xml' });
  assert.equal(admin.body, { price: { amount: 1234, currency: 'EUR' } });
  const stats = await get(k, '/__admin/formatter/stats');
  assert.ok(stats.body.notJson >= 1 && stats.body.invalidJson >= 1, JSON.stringify(stats.body));
});

it('a child call between services is not shaped: only the answer to the client is', async () => {
  const res = await get(k, '/child/finance/customers/42', { accept: 'application/xml' });
  assert.is(res.headers.get('content-type'), 'application/xml; charset=utf-8');
  assert.match(res.text, '<type>application/json</type>');
  assert.match(res.text, '<body>{&quot;id&quot;:&quot;42&quot;');
});

it('parseAccept ignores malformed members and clamps q', () => {
  assert.equal(parseAccept('text/xml;q=2, bad, */*;q=abc, application/json;level=1;q=0.3').map((r) => [r.type, r.subtype, r.q]), [
    ['text', 'xml', 1],
    ['application', 'json', 0.3],
  ]);
  assert.is(negotiate('   ')!.format, 'json');
  assert.is(negotiate('bad')!.format, 'json');
});

it.run();
