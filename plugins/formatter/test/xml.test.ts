// XML over real HTTP, parsed back with fast-xml-parser's XMLValidator and XMLParser:
// well-formed whatever the keys and text, arrays as repeated elements, root named after
// the resource, escaping, pretty printing with the configured indent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { elementName, rootName, singular, toXml } from '../src/xml.js';
import { get, start } from './helpers.js';

const it = suite('formatter: XML');

const parser = new XMLParser({ parseTagValue: false, isArray: (_name, jpath) => ['customers.customer', 'customer.tags', 'customer.accounts'].includes(String(jpath)) });
const wellFormed = (xml: string) => {
  const result = XMLValidator.validate(xml);
  assert.is(result, true, JSON.stringify(result));
};

const maria = {
  id: '42',
  name: 'Maria <Chen> & "Partners" \'Ltd\'',
  tags: ['premium', 'mortgage'],
  accounts: [{ id: '7', iban: 'DE89370400440532013000' }, { id: '8', iban: 'DE02120300000000202051' }],
  address: { street: 'Example Street 1', city: 'Springfield' },
  note: null,
  empty: [],
  active: true,
  score: 0,
};
const weird = {
  'first name': 'a',
  '123': 'digits',
  '@context': 'at',
  '#text': 'hash',
  'a:b': 'colon',
  'a b': 'one',
  a_b: 'two',
  control: 'bell\u0007tab\tnul\u0000end',
  lone: 'x\uD800y',
  emoji: 'ok 🙂',
  cdata: ']]> <![CDATA[',
};

let k: TestKernel;
it.before(async () => {
  k = await start(
    {
      '/finance/customers/42': { body: maria },
      '/finance/customers': { body: [maria, { ...maria, id: '43' }] },
      '/healthcare/patients/p1': { body: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Doe' }] } },
      '/weird/things/1': { body: weird },
      '/scalar': { body: '"just text"' },
      '/nested': { body: { matrix: [[1, 2], [3]] } },
      '/finance/customers/@maria/accounts': { body: [] },
      '/finance/accounts': { body: { items: [{ id: '7' }, { id: '8' }], page: 1, total: 2 } },
      '/finance/personas/maria': { body: { key: 'maria', name: 'Maria Chen' }, tag: { session: 'default', industry: 'finance', resource: 'personas', id: 'maria' } },
      '/finance/customers/42/loans': { body: { items: [], page: 1, total: 0 }, tag: { session: 'default', industry: 'finance', resource: 'customers', id: '42', relation: 'loans' } },
      '/finance/customers/999': { status: 404, body: { statusCode: 404, code: 'US_PERSONAS_NOT_FOUND', error: 'Not Found', message: 'No customer 999' } },
    },
    { indent: 4 },
  );
});
it.after(() => k.stop());

it('a single entity: root named after the resource, arrays as repeated elements, escaped text', async () => {
  const res = await get(k, '/finance/customers/42?format=xml');
  wellFormed(res.text);
  assert.match(res.text, '<name>Maria &lt;Chen&gt; &amp; &quot;Partners&quot; &apos;Ltd&apos;</name>');
  assert.match(res.text, '<tags>premium</tags><tags>mortgage</tags>');
  assert.not.match(res.text, '<empty');
  const back = parser.parse(res.text);
  assert.equal(back.customer, {
    id: '42',
    name: maria.name,
    tags: ['premium', 'mortgage'],
    accounts: [{ id: '7', iban: 'DE89370400440532013000' }, { id: '8', iban: 'DE02120300000000202051' }],
    address: { street: 'Example Street 1', city: 'Springfield' },
    note: '',
    active: 'true',
    score: '0',
  });
});

it('a collection: a plural root of singular elements; FHIR resources are named by resourceType', async () => {
  const res = await get(k, '/finance/customers', { accept: 'application/xml' });
  wellFormed(res.text);
  const back = parser.parse(res.text);
  assert.equal(back.customers.customer.map((c: { id: string }) => c.id), ['42', '43']);
  const p = await get(k, '/healthcare/patients/p1?format=xml');
  assert.match(p.text, '<Patient><resourceType>Patient</resourceType><id>p1</id><name><family>Doe</family></name></Patient>');
  const none = await get(k, '/finance/customers/@maria/accounts?format=xml');
  wellFormed(none.text);
  assert.match(none.text, '<accounts/>');
});

it('a page names its members after the resource; the responder’s tag names the root; errors are <error>', async () => {
  const page = await get(k, '/finance/accounts?format=xml');
  wellFormed(page.text);
  assert.match(page.text, '<accounts><account><id>7</id></account><account><id>8</id></account><page>1</page><total>2</total></accounts>');
  const persona = await get(k, '/finance/personas/maria?format=xml');
  assert.match(persona.text, '<persona><key>maria</key>');
  const loans = await get(k, '/finance/customers/42/loans?format=xml');
  assert.match(loans.text, '<loans><page>1</page><total>0</total></loans>');
  const missing = await get(k, '/finance/customers/999?format=xml');
  assert.is(missing.status, 404);
  assert.match(missing.text, '<error><statusCode>404</statusCode><code>US_PERSONAS_NOT_FOUND</code>');
  assert.equal(rootName('/x', { items: [], item: 1 }, { resource: 'items' }), { root: 'items' });
  assert.equal(rootName('/x', {}, { resource: 'customers', id: '1' }), { root: 'customer' });
});

it('any JSON key and any text still give well-formed XML', async () => {
  const res = await get(k, '/weird/things/1?format=xml&pretty');
  wellFormed(res.text);
  const back = new XMLParser({ parseTagValue: false }).parse(res.text).thing;
  assert.equal(Object.keys(back), ['_123', 'first_name', '_context', '_text', 'a_b', 'a_b_2', 'a_b_3', 'control', 'lone', 'emoji', 'cdata']);
  assert.is(back.control, 'bell\uFFFDtab\tnul\uFFFDend');
  assert.is(back.lone, 'x\uFFFDy');
  assert.is(back.emoji, 'ok 🙂');
  assert.is(back.cdata, ']]> <![CDATA[');
  for (const path of ['/scalar', '/nested']) wellFormed((await get(k, `${path}?format=xml`)).text);
  assert.match((await get(k, '/scalar?format=xml')).text, '<scalar>just text</scalar>');
  assert.match((await get(k, '/nested?format=xml')).text, '<nested><matrix><item>1</item><item>2</item></matrix><matrix><item>3</item></matrix></nested>');
});

it('pretty XML and JSON use the configured indent; compact has no line breaks', async () => {
  const x = await get(k, '/finance/customers/42?format=xml&pretty');
  assert.ok(x.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<customer>\n    <id>42</id>\n'), x.text.slice(0, 120));
  wellFormed(x.text);
  const compact = await get(k, '/finance/customers/42?format=xml');
  assert.not.match(compact.text, '\n');
  const j = await get(k, '/finance/customers/42?pretty=true');
  assert.is(j.text, JSON.stringify(maria, null, 4));
  const off = await get(k, '/finance/customers/42?pretty=0');
  assert.is(off.text, JSON.stringify(maria));
  const bad = await get(k, '/finance/customers/42?pretty=maybe');
  assert.is(bad.status, 400);
  assert.is(bad.body.code, 'US_FORMATTER_BAD_PRETTY');
});

it('root names, singulars and element names', () => {
  assert.equal(rootName('/finance/customers/cus_000042', {}), { root: 'customer' });
  assert.equal(rootName('/retail/categories', {}), { root: 'categories' });
  assert.equal(rootName('/retail/categories', []), { root: 'categories', item: 'category' });
  assert.equal(rootName('/', {}), { root: 'response' });
  assert.equal(rootName('/42', []), { root: 'items', item: 'item' });
  assert.equal(rootName('/a%20b/1', {}), { root: 'a_b' });
  assert.equal(rootName('/bad%zz', {}), { root: 'bad_zz' });
  assert.equal(['addresses', 'boxes', 'status', 'data', 'analysis', 'classes'].map(singular), ['address', 'box', 'status', 'data', 'analysis', 'class']);
  assert.is(elementName(''), '_');
  assert.is(elementName('-x'), '_-x');
  assert.is(toXml({ a: 1 }, '/x', { pretty: false, indent: 2, declaration: false }), '<x><a>1</a></x>');
});

it('no XML declaration when configured off', async () => {
  const k2 = await start({ '/x': { body: { a: 1 } } }, { xmlDeclaration: false, pretty: true });
  try {
    const res = await get(k2, '/x?format=xml');
    assert.is(res.text, '<x>\n  <a>1</a>\n</x>\n');
    assert.is((await get(k2, '/x?pretty=false')).text, '{"a":1}');
  } finally {
    await k2.stop();
  }
});

it.run();
