// Money and dates over real HTTP: ISO 4217 minor units (JPY 0, EUR 2, BHD 3, CLF 4),
// exact decimal strings, the display string in the configured locale, the same rendering
// in JSON and XML; dates normalised to ISO 8601 UTC; what is not money or a date stays.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { XMLParser } from 'fast-xml-parser';
import { decimalString, minorUnitDigits, MoneyRenderer } from '../src/money.js';
import { epochMillisToIso, normaliseDateString } from '../src/dates.js';
import { get, start } from './helpers.js';

const it = suite('formatter: money and dates');

const account = {
  id: '7',
  balance: { amount: 123456, currency: 'EUR' },
  overdraft: { amount: -5, currency: 'EUR' },
  yen: { amount: 1234, currency: 'JPY' },
  dinar: { amount: 1234, currency: 'BHD' },
  unidad: { amount: 12345, currency: 'CLF' },
  big: { amount: 9007199254740991, currency: 'USD' },
  history: [{ at: '2026-03-01T10:30:00+01:00', amount: { amount: 100, currency: 'EUR' } }],
  // not money: extra key, fractional amount, unknown or lower-case currency, a metal
  tagged: { amount: 1, currency: 'EUR', note: 'x' },
  fractional: { amount: 1.5, currency: 'EUR' },
  unknown: { amount: 1, currency: 'ABC' },
  lower: { amount: 1, currency: 'eur' },
  gold: { amount: 1, currency: 'XAU' },
  openedOn: '2026-03-01',
  createdAt: '2026-03-01T09:30Z',
  precise: '2026-03-01T09:30:00.123456Z',
  httpDate: 'Sun, 01 Mar 2026 09:30:00 GMT',
  local: '2026-03-01T09:30:00',
  memo: 'paid on 2026-03-01T10:30:00+01:00 at noon',
  bogus: '2026-13-45T99:99:00Z',
  updatedMs: 1772357400000,
};

it('money gets a decimal amount, minor units and a display string; dates become UTC ISO 8601', async () => {
  const k = await start({ '/finance/accounts/7': { body: account } }, { dates: { epochMillisFields: ['updatedMs'] } });
  try {
    const { body } = await get(k, '/finance/accounts/7');
    assert.equal(body.balance, { amount: '1234.56', currency: 'EUR', minorUnits: 123456, display: '€1,234.56' });
    assert.equal(body.overdraft, { amount: '-0.05', currency: 'EUR', minorUnits: -5, display: '-€0.05' });
    assert.equal(body.yen, { amount: '1234', currency: 'JPY', minorUnits: 1234, display: '¥1,234' });
    assert.equal(body.dinar, { amount: '1.234', currency: 'BHD', minorUnits: 1234, display: 'BHD\u00A01.234' });
    assert.is(body.unidad.amount, '1.2345');
    assert.equal(body.big, { amount: '90071992547409.91', currency: 'USD', minorUnits: 9007199254740991, display: '$90,071,992,547,409.91' });
    assert.equal(body.history[0], { at: '2026-03-01T09:30:00.000Z', amount: { amount: '1.00', currency: 'EUR', minorUnits: 100, display: '€1.00' } });
    for (const key of ['tagged', 'fractional', 'unknown', 'lower', 'gold']) assert.equal(body[key], account[key as keyof typeof account], key);
    assert.is(body.openedOn, '2026-03-01');
    assert.is(body.createdAt, '2026-03-01T09:30:00.000Z');
    assert.is(body.precise, '2026-03-01T09:30:00.123Z');
    assert.is(body.httpDate, '2026-03-01T09:30:00.000Z');
    assert.is(body.local, '2026-03-01T09:30:00');
    assert.is(body.memo, account.memo);
    assert.is(body.bogus, account.bogus);
    assert.is(body.updatedMs, '2026-03-01T09:30:00.000Z');

    // the same rendering in XML
    const xml = new XMLParser({ parseTagValue: false }).parse((await get(k, '/finance/accounts/7?format=xml')).text);
    assert.equal(xml.account.balance, { amount: '1234.56', currency: 'EUR', minorUnits: '123456', display: '€1,234.56' });
    assert.is(xml.account.createdAt, '2026-03-01T09:30:00.000Z');
  } finally {
    await k.stop();
  }
});

it('locale, currency display and the fields of an amount are configurable; rendering can be off', async () => {
  const k = await start(
    { '/a': { body: { p: { amount: 123456, currency: 'EUR' }, at: '2026-03-01T10:30:00+01:00' } } },
    { money: { locale: 'de-DE', currencyDisplay: 'code', fields: ['display', 'minorUnits'] } },
  );
  try {
    const { body, text } = await get(k, '/a');
    assert.equal(body.p, { display: '1.234,56\u00A0EUR', minorUnits: 123456 });
    assert.ok(text.indexOf('display') < text.indexOf('minorUnits'));
  } finally {
    await k.stop();
  }
  const off = await start({ '/a': { body: { p: { amount: 1, currency: 'EUR' }, at: '2026-03-01T10:30:00+01:00' } } }, { money: { enabled: false }, dates: { normalize: false } });
  try {
    assert.is((await get(off, '/a')).text, '{"p":{"amount":1,"currency":"EUR"},"at":"2026-03-01T10:30:00+01:00"}');
  } finally {
    await off.stop();
  }
});

it('exact decimals and ISO 4217 digits', () => {
  assert.equal([decimalString(0, 2), decimalString(7, 0), decimalString(-123, 3), decimalString(5, 4)], ['0.00', '7', '-0.123', '0.0005']);
  assert.equal(['EUR', 'JPY', 'KWD', 'CLF', 'HUF'].map(minorUnitDigits), [2, 0, 3, 4, 2]);
  const r = new MoneyRenderer({ locale: 'ja-JP', currencyDisplay: 'symbol', fields: ['display'] });
  assert.equal(r.render(1234, 'JPY'), { display: '￥1,234' });
  assert.is(normaliseDateString('short'), 'short');
  assert.is(epochMillisToIso(8.65e15), 8.65e15);
});

it.run();
