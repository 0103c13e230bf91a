// The small pieces on their own: JSON merge patch (RFC 7396's examples), suggestions,
// id spellings, cookies, CSV quoting and flattening, the query rules' edge cases.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { columnsOf, csvField, csvRow, flatten } from '../src/csv.js';
import { applyMergePatch } from '../src/merge-patch.js';
import { canonicalForm } from '../src/names.js';
import { matches, parseListQuery, sortEntities, valuesAt } from '../src/query.js';
import { cookie, sessionOf } from '../src/session-of.js';
import { nearest, nearestIds } from '../src/suggest.js';

const units = suite('units');

units('merge patch: the RFC 7396 appendix A examples', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) assert.equal(applyMergePatch(target, patch), result, JSON.stringify([target, patch]));
  const target = { a: { b: 1 } };
  const out = applyMergePatch(target, { a: { c: 2 } }) as any;
  out.a.b = 9;
  assert.equal(target, { a: { b: 1 } }, 'no shared structure');
});

units('suggestions: nearest names and ids', () => {
  assert.equal(nearest('custmers', ['accounts', 'customers', 'cards']), ['customers']);
  assert.equal(nearest('acc', ['accounts', 'cards']), ['accounts']);
  assert.equal(nearest('zzzzzz', ['accounts']), []);
  assert.equal(nearest('a', ['ab', 'ac', 'ad', 'ae']), ['ab', 'ac', 'ad']);
  assert.equal(nearestIds('31', 30), ['30', '29', '28']);
  assert.equal(nearestIds('0', 30), ['1', '2', '3']);
  assert.equal(nearestIds('cus_000015', 30), ['14', '16', '13'], 'the asked id itself is not suggested');
  assert.equal(nearestIds('x', 5), ['1']);
  assert.equal(nearestIds('x', 0), []);
  assert.equal(nearestIds('2', 1), ['1']);
});

units('ids: the canonical spelling', () => {
  assert.is(canonicalForm('cus_000042', 'cus'), '42');
  assert.is(canonicalForm('CUS_42', 'cus'), '42');
  assert.is(canonicalForm('0042', 'cus'), '42');
  assert.is(canonicalForm('vip-1', 'cus'), 'vip-1');
  assert.is(canonicalForm('acc_7', 'cus'), 'acc_7');
  assert.is(canonicalForm('7', ''), '7');
});

units('sessions: header, cookie, default', () => {
  assert.is(sessionOf({ 'x-demo-session': ' demo-1 ' }, 'default'), 'demo-1');
  assert.is(sessionOf({ 'x-demo-session': ['a', 'b'] }, 'default'), 'a');
  assert.is(sessionOf({ cookie: 'a=1; demo_session=c%2D1' }, 'default'), 'c-1');
  assert.is(sessionOf({ 'x-demo-session': '', cookie: 'demo_session=k' }, 'default'), 'k');
  assert.is(sessionOf({}, 'default'), 'default');
  assert.is(cookie(['a=1', 'demo_session=z'], 'demo_session'), 'z');
  assert.is(cookie('demo_session=%E0%A4%A', 'demo_session'), '%E0%A4%A');
  assert.is(cookie('novalue; other=1', 'demo_session'), undefined);
  assert.is(cookie(undefined, 'demo_session'), undefined);
});

units('csv: quoting, flattening, columns in order of appearance', () => {
  assert.is(csvField('plain'), 'plain');
  assert.is(csvField('a,b'), '"a,b"');
  assert.is(csvField('say "hi"'), '"say ""hi"""');
  assert.is(csvField('two\r\nlines'), '"two\r\nlines"');
  assert.equal([...flatten({ id: '1', m: { amount: 5, currency: 'EUR' }, tags: ['a'], gone: null, deep: { a: { b: true } } })], [
    ['id', '1'],
    ['m.amount', '5'],
    ['m.currency', 'EUR'],
    ['tags', '["a"]'],
    ['gone', ''],
    ['deep.a.b', 'true'],
  ]);
  assert.equal(columnsOf([{ id: 1 }, { id: 2, extra: 'x' }]), ['id', 'extra']);
  assert.is(csvRow({ id: '1' }, ['id', 'missing']), '1,\r\n');
});

units('query: values at paths, matching, sorting edge cases', () => {
  const e = { id: '1', type: 't', list: [{ code: 'A' }, { code: 'B' }], money: { amount: 150, currency: 'EUR' }, flag: true, n: null } as any;
  assert.equal(valuesAt(e, ['list', 'code']), ['A', 'B']);
  assert.equal(valuesAt(e, ['money']), [150]);
  assert.equal(valuesAt(e, ['nope', 'x']), []);
  const f = (q: Record<string, string | string[]>) => parseListQuery(q, { defaultPageSize: 10, maxPageSize: 50, ignore: new Set(['format']), fields: new Set() }).filters;
  assert.ok(matches(e, f({ 'list.code': 'B' })));
  assert.ok(matches(e, f({ money_gt: '100', money_lte: '150' })));
  assert.not.ok(matches(e, f({ money_lt: '150' })));
  assert.ok(matches(e, f({ flag: 'true' })));
  assert.not.ok(matches(e, f({ n: 'null' })), 'null matches nothing');
  assert.ok(matches(e, f({ 'list.code_ne': 'C' })));
  assert.not.ok(matches(e, f({ 'list.code_ne': 'A' })), '_ne fails when any element equals');
  assert.ok(matches(e, f({ id_gte: '1', id_lt: '10' })), 'decimal strings compare as numbers');
  assert.ok(matches(e, f({ 'list.code_like': 'a' })));
  assert.ok(matches(e, f({ type_gt: 's', type_lt: 'u' })));
  const items = [{ id: '2', v: 'b' }, { id: '10', v: undefined }, { id: '1', v: 'a' }, { id: '3', v: 3 }, { id: '4', v: true }, { id: '5', v: { x: 1 } }] as any[];
  const by = (sort: string) => sortEntities(items, parseListQuery({ sort }, { defaultPageSize: 10, maxPageSize: 50, ignore: new Set(), fields: new Set() }).sort).map((x) => x.id);
  assert.equal(by('id'), ['1', '2', '3', '4', '5', '10']);
  assert.equal(by('v'), ['3', '1', '2', '4', '5', '10'], 'numbers, strings, booleans, objects; missing last');
  assert.equal(by('-v'), ['5', '4', '2', '1', '3', '10'], 'missing last in either direction');
  assert.equal(by('+id,'), ['1', '2', '3', '4', '5', '10']);
  assert.equal(by('missing,-id'), ['10', '5', '4', '3', '2', '1'], 'a key missing everywhere leaves the next to decide');
  const p = parseListQuery({ page: ['1', '3'], pageSize: '5' }, { defaultPageSize: 10, maxPageSize: 50, ignore: new Set(), fields: new Set() });
  assert.equal([p.page, p.pageSize], [3, 5]);
});

units.run();
