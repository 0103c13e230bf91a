// Extracting and injecting trace context, unit by unit: W3C traceparent (Level 2 flags),
// tracestate per the Level 2 grammar (tracestate.ts), B3 single and multi, Jaeger.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Propagation, traceparentOf } from '../src/propagation.js';
import { normaliseTracestate, parseTracestate, truncateTracestate } from '../src/tracestate.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PID = '00f067aa0ba902b7';
const all = new Propagation(['tracecontext', 'b3', 'b3multi', 'jaeger'], ['tracecontext']);
const w3c = new Propagation(['tracecontext'], ['tracecontext']);
const tp = (value: string | string[], extra: Record<string, string | string[]> = {}) => w3c.extract({ traceparent: value, ...extra });

const traceparent = suite('W3C traceparent');

traceparent('a valid version 00 header continues the trace', () => {
  const r = tp(`00-${TID}-${PID}-01`);
  assert.equal(r.context, { format: 'tracecontext', traceId: TID, parentSpanId: PID, flags: 1 });
  assert.equal(r.corrupt, []);
  assert.ok(r.present);
});

traceparent('flags (Level 2): sampled and random-trace-id kept, other bits not propagated, unsampled stays 0', () => {
  assert.is(tp(`00-${TID}-${PID}-00`).context!.flags, 0);
  assert.is(tp(`00-${TID}-${PID}-03`).context!.flags, 3);
  assert.is(tp(`00-${TID}-${PID}-02`).context!.flags, 2);
  assert.is(tp(`00-${TID}-${PID}-fe`).context!.flags, 2);
  assert.is(tp(`00-${TID}-${PID}-fc`).context!.flags, 0);
  assert.is(tp(`cc-${TID}-${PID}-ff-future`).context!.flags, 3, 'a higher version: only the flags this version knows');
  assert.ok(tp(`00-${TID}-${PID}-0g`).corrupt.length, 'non-hex flags');
});

traceparent('version ff is invalid', () => {
  const r = tp(`ff-${TID}-${PID}-01`);
  assert.is(r.context, undefined);
  assert.equal(r.corrupt, ['tracecontext']);
});

traceparent('a higher version: the first four fields parse, extra fields are ignored', () => {
  assert.is(tp(`cc-${TID}-${PID}-01-what-the-future-will-be-like`).context!.traceId, TID);
  assert.is(tp(`01-${TID}-${PID}-01`).context!.parentSpanId, PID);
  // but something after the flags that is not a new field is not
  assert.ok(tp(`cc-${TID}-${PID}-01.what`).corrupt.length);
});

traceparent('version 00 with extra fields is invalid', () => {
  assert.ok(tp(`00-${TID}-${PID}-01-extra`).corrupt.length);
});

traceparent('all-zero trace-id or parent-id is invalid', () => {
  assert.ok(tp(`00-${'0'.repeat(32)}-${PID}-01`).corrupt.length);
  assert.ok(tp(`00-${TID}-${'0'.repeat(16)}-01`).corrupt.length);
});

traceparent('bad lengths, upper-case hex, bad separators, non-hex version', () => {
  for (const bad of [
    `00-${TID.slice(1)}-${PID}-01`,
    `00-${TID}0-${PID}-01`,
    `00-${TID}-${PID.slice(1)}-01`,
    `00-${TID.toUpperCase()}-${PID}-01`,
    `00-${TID}-${PID.toUpperCase().replace(/^00/, 'AB')}-01`,
    `0-${TID}-${PID}-01`,
    `0x-${TID}-${PID}-01`,
    `00_${TID}_${PID}_01`,
    `00-${TID}-${PID}-1`,
    '',
    'garbage',
  ]) {
    const r = tp(bad);
    assert.is(r.context, undefined, bad);
  }
});

traceparent('repeated traceparent headers are invalid', () => {
  assert.ok(tp([`00-${TID}-${PID}-01`, `00-${TID}-${PID}-01`]).corrupt.length);
  assert.ok(tp(`00-${TID}-${PID}-01, 00-${TID}-${PID}-01`).corrupt.length);
});

traceparent('no header: nothing present, nothing corrupt', () => {
  const r = w3c.extract({});
  assert.equal(r, { corrupt: [], present: false });
  // tracestate without traceparent is ignored
  assert.is(w3c.extract({ tracestate: 'a=b' }).present, false);
});

const tracestate = suite('W3C tracestate (Level 2)');

const keys = (raw: string, strict = false) => parseTracestate(raw, strict).members.map(([k]) => k);

tracestate('simple keys, trimmed, empty members skipped, leading spaces of a value kept', () => {
  const r = parseTracestate(' rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE,\tfoo@bar=baz , x= lead');
  assert.equal(r.members, [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE'], ['foo@bar', 'baz'], ['x', ' lead']]);
  assert.equal(r.dropped, []);
  assert.equal(parseTracestate(''), { members: [], dropped: [] });
  assert.equal(parseTracestate(' ,\t, '), { members: [], dropped: [] });
});

tracestate('keys: a lower-case letter or a digit, then up to 255 of a-z 0-9 _ - * / @ (@ anywhere after the first)', () => {
  for (const ok of ['foo@', 'foo@@bar', 'foo@bar@baz', 'special@vendor@tenant', '1special', `t@${'v'.repeat(15)}`, `${'t'.repeat(242)}@v`, `${'t'.repeat(241)}@${'v'.repeat(14)}`, 'z'.repeat(256), 'a_b-c*d/e']) {
    assert.equal(keys(`${ok}=1`), [ok], ok);
  }
  for (const bad of ['@foo', 'Foo', 'FOO', 'foo.bar', 'foo bar', 'é', 'z'.repeat(257), '_a', '-a', '*a', '/a']) {
    assert.equal(keys(`${bad}=1`), [], bad);
  }
});

tracestate('values: 1-256 printable ASCII characters, no comma or equals sign, not ending in a space', () => {
  assert.equal(keys(`k=${'v'.repeat(256)}`), ['k']);
  assert.equal(keys('a=with space inside'), ['a']);
  for (const bad of ['a=', 'a=b=c', 'a=b\u007f', `k=${'v'.repeat(257)}`, 'a=\u00e9', 'novalue', '=1']) assert.equal(keys(bad), [], bad);
});

tracestate('one bad list-member is dropped, the others are kept (in order)', () => {
  const r = parseTracestate('foo=1,BAD=2,bar=3,@x=4,baz=5,q=a=b');
  assert.equal(r.members, [['foo', '1'], ['bar', '3'], ['baz', '5']]);
  assert.is(r.dropped.length, 3);
  assert.match(r.dropped[0]!, 'invalid key "BAD"');
});

tracestate('duplicated keys: the first is kept, the header is not dropped', () => {
  const r = parseTracestate('a=1,b=2,a=3');
  assert.equal(r.members, [['a', '1'], ['b', '2']]);
  assert.equal(r.dropped, ['duplicate key "a" (the first is kept)']);
  assert.equal(keys('foo=1,foo=1'), ['foo']);
});

tracestate('32 list-members are kept; past 32, the right-most are dropped', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v`).join(',');
  assert.is(keys(members(32)).length, 32);
  const r = parseTracestate(members(40));
  assert.is(r.members.length, 32);
  assert.is(r.members[31]![0], 'k31');
  assert.is(r.dropped.length, 8);
  // invalid members do not count towards the 32
  assert.is(keys(`BAD=1,${members(32)}`).length, 32);
});

tracestate('strict: an invalid member or more than 32 drop the whole header; duplicates are still only deduplicated', () => {
  assert.equal(parseTracestate('foo=1,BAD=2', true).members, []);
  assert.match(parseTracestate('foo=1,@bar=2', true).dropped[0]!, 'the whole header is dropped');
  assert.equal(keys(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','), true), []);
  assert.equal(keys('foo=1,foo=2,bar=3', true), ['foo', 'bar']);
  assert.equal(keys('foo@=1,bar=2', true), ['foo@', 'bar']);
  assert.equal(normaliseTracestate('a=1,B=2,c=3', true), { value: undefined, dropped: 3 });
});

tracestate('normalised for propagation: kept members serialised, cut to 512 characters, drops counted', () => {
  assert.equal(normaliseTracestate(' a=1 , b=2 '), { value: 'a=1,b=2', dropped: 0 });
  assert.equal(normaliseTracestate('a=1,A=2,a=3'), { value: 'a=1', dropped: 2 });
  assert.equal(normaliseTracestate(''), { value: undefined, dropped: 0 });
  const long = Array.from({ length: 32 }, (_, i) => `k${String(i).padStart(2, '0')}=${'z'.repeat(20)}`).join(',');
  const cut = normaliseTracestate(long);
  assert.ok(cut.value!.length <= 512);
  assert.ok(long.startsWith(cut.value!));
  assert.is(cut.dropped, 32 - cut.value!.split(',').length);
});

tracestate('extraction: tracestate only with a valid traceparent; multiple headers combined; invalid members dropped', () => {
  const ok = tp(`00-${TID}-${PID}-01`, { tracestate: ['rojo=1', 'congo=2'] });
  assert.is(ok.context!.traceState, 'rojo=1,congo=2');
  const dup = tp(`00-${TID}-${PID}-01`, { tracestate: 'a=1,a=2' }).context!;
  assert.is(dup.traceState, 'a=1');
  assert.is(dup.traceStateDropped, 1);
  assert.is(tp(`00-${TID}-${PID}-01`, { tracestate: ['foo=1', ''] }).context!.traceState, 'foo=1');
  assert.is(tp(`00-${TID}-${PID}-01`, { tracestate: '' }).context!.traceState, undefined);
  assert.is(tp(`ff-${TID}-${PID}-01`, { tracestate: 'a=1' }).context, undefined);
  const strict = new Propagation(['tracecontext'], ['tracecontext'], { strictTracestate: true });
  assert.is(strict.extract({ traceparent: `00-${TID}-${PID}-01`, tracestate: 'a=1,B=2' }).context!.traceState, undefined);
});

tracestate('512-character limit: long members (>128) go first, then from the end', () => {
  const long = `big=${'x'.repeat(200)}`;
  const small = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}=${'y'.repeat(10)}`);
  const value = [small[0], long, ...small.slice(1)].join(',');
  const cut = truncateTracestate(value);
  assert.ok(cut.length <= 512);
  assert.not.match(cut, 'big=');
  assert.is(cut, small.join(','));
  const many = Array.from({ length: 32 }, (_, i) => `k${String(i).padStart(2, '0')}=${'z'.repeat(20)}`).join(',');
  const cut2 = truncateTracestate(many);
  assert.ok(cut2.length <= 512);
  assert.ok(many.startsWith(cut2));
  assert.is(truncateTracestate('a=1'), 'a=1');
});

tracestate('inject writes traceparent (both known flags) and the tracestate as given', () => {
  const h = w3c.inject(TID, PID, 1, 'a=1,b=2');
  assert.is(h.traceparent, `00-${TID}-${PID}-01`);
  assert.is(h.tracestate, 'a=1,b=2');
  assert.equal(w3c.inject(TID, PID, 0), { traceparent: `00-${TID}-${PID}-00` });
  assert.is(traceparentOf(TID, PID, 3), `00-${TID}-${PID}-03`);
  assert.is(traceparentOf(TID, PID, 2), `00-${TID}-${PID}-02`);
  assert.is(traceparentOf(TID, PID, 0xff), `00-${TID}-${PID}-03`);
});

const others = suite('B3 and Jaeger');

others('B3 single header', () => {
  const r = all.extract({ b3: `${TID}-${PID}-1-0000000000000001` });
  assert.equal(r.context, { format: 'b3', traceId: TID, parentSpanId: PID, flags: 1 });
  assert.is(all.extract({ b3: `${TID}-${PID}-0` }).context!.flags, 0);
  // 64-bit trace ids are left-padded
  assert.is(all.extract({ b3: `a3ce929d0e0e4736-${PID}` }).context!.traceId, `0000000000000000a3ce929d0e0e4736`);
  assert.equal(all.extract({ b3: 'nonsense' }).corrupt, ['b3']);
  // a sampling decision alone is valid B3 but carries no trace
  assert.equal(all.extract({ b3: '0' }), { corrupt: [], present: true });
});

others('B3 multi headers', () => {
  const r = all.extract({ 'x-b3-traceid': TID, 'x-b3-spanid': PID, 'x-b3-sampled': '1', 'x-b3-parentspanid': 'aaaaaaaaaaaaaaaa' });
  assert.equal(r.context, { format: 'b3multi', traceId: TID, parentSpanId: PID, flags: 1 });
  assert.equal(all.extract({ 'x-b3-traceid': TID }).corrupt, ['b3multi']);
  const b3only = new Propagation(['b3'], ['b3']);
  assert.is(b3only.extract({ 'x-b3-traceid': TID, 'x-b3-spanid': PID }).present, false, 'b3multi not accepted when only b3 is configured');
});

others('Jaeger uber-trace-id', () => {
  const r = all.extract({ 'uber-trace-id': `${TID}:${PID}:0:1` });
  assert.equal(r.context, { format: 'jaeger', traceId: TID, parentSpanId: PID, flags: 1 });
  assert.is(all.extract({ 'uber-trace-id': `a3ce929d0e0e4736%3A${PID}%3A0%3A0` }).context!.traceId, '0000000000000000a3ce929d0e0e4736');
  assert.equal(all.extract({ 'uber-trace-id': 'broken' }).corrupt, ['jaeger']);
});

others('a corrupt format falls through to the next configured one', () => {
  const r = all.extract({ traceparent: 'bad', b3: `${TID}-${PID}-1` });
  assert.is(r.context!.format, 'b3');
  assert.equal(r.corrupt, ['tracecontext']);
});

others('inject in every format', () => {
  const p = new Propagation([], ['tracecontext', 'b3', 'b3multi', 'jaeger']);
  const h = p.inject(TID, PID, 1, 'a=1');
  assert.is(h.traceparent, `00-${TID}-${PID}-01`);
  assert.is(h.tracestate, 'a=1');
  assert.is(h.b3, `${TID}-${PID}-1`);
  assert.is(h['x-b3-traceid'], TID);
  assert.is(h['x-b3-spanid'], PID);
  assert.is(h['x-b3-sampled'], '1');
  assert.match(String(h['uber-trace-id']), `${TID}:${PID}:0:01`);
  // Jaeger's bit 1 is `debug` and B3 has only a sampling decision: the random-trace-id flag stays W3C's
  const random = p.inject(TID, PID, 3);
  assert.is(random.traceparent, `00-${TID}-${PID}-03`);
  assert.match(String(random['uber-trace-id']), `${TID}:${PID}:0:01`);
  assert.is(random['x-b3-sampled'], '1');
  assert.is(all.extract({ 'uber-trace-id': `${TID}:${PID}:0:03` }).context!.flags, 1);
  // the round trip
  for (const f of ['tracecontext', 'b3', 'b3multi', 'jaeger'] as const) {
    assert.is(new Propagation([f], []).extract(h).context!.traceId, TID, f);
  }
});

traceparent.run();
tracestate.run();
others.run();
