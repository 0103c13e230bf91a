// The trace store is bounded in bytes, not only in count: over real sockets, a huge tag, a
// huge path or a flood of tags is cut (with a marker) or dropped when its span is recorded,
// and counted; the store evicts its oldest traces to stay within maxBytes; the exchange's
// own tags, which other plugins may still read, are never changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import mesh from '@understudy/plugin-mesh';
import tracing from '../src/index.js';
import { chain, svc } from './helpers.js';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Tags every exchange with `tags(ex.service)` at Stage.Guard; records in settled whether the tags it set are intact. */
function tagger(tags: (service: string | undefined) => Record<string, unknown>) {
  const intact: boolean[] = [];
  const plugin = definePlugin({
    name: 'tagger',
    register(ctx) {
      const set = new WeakMap<object, Record<string, unknown>>();
      ctx.hooks.exchange.tap({ name: 'tagger', stage: Stage.Guard }, (ex) => {
        const t = tags(ex.service);
        set.set(ex, t);
        Object.assign(ex.context.tags, t);
        return ex;
      });
      ctx.hooks.settled.tap('tagger', (ex) => {
        const t = set.get(ex);
        if (t) intact.push(Object.entries(t).every(([k, v]) => ex.context.tags[k] === v));
      });
    },
  });
  return { plugin, intact };
}

const bounds = suite('span attributes bounded in bytes');

bounds('a huge tag is cut to maxAttributeBytes with a marker, too many tags stop at maxSpanAttributeBytes; both counted; the exchange keeps its tags', async () => {
  const big = 'x'.repeat(100_000);
  const accents = 'é'.repeat(3000); // 6,000 UTF-8 bytes
  const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${String(i).padStart(2, '0')}`, 'y'.repeat(1000)]));
  const t = tagger(() => ({ big, accents, wide, ...many }));
  const k = await createTestKernel({ plugins: [mesh, tracing, t.plugin], config: { mesh: { services: { c: svc() } } } });
  try {
    const res = await fetch(`${k.baseUrl}/c`);
    assert.is(res.status, 200);
    const trace = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${res.headers.get('x-understudy-trace-id')}`);
    const attrs = trace.body.spans[0].attributes as Record<string, unknown>;
    assert.is(attrs.instance, 'c-1', 'small tags are kept as they are');
    const cut = attrs.big as string;
    assert.ok(utf8(cut) <= 4096, `${utf8(cut)} bytes`);
    assert.ok(cut.endsWith('…[truncated: 100000 bytes]'), cut.slice(-40));
    assert.ok(cut.startsWith('xxxx'));
    const accented = attrs.accents as string;
    assert.ok(utf8(accented) <= 4096);
    assert.ok(accented.endsWith('…[truncated: 6000 bytes]'));
    assert.not.match(accented, '\ufffd', 'cut at a character boundary');
    const json = attrs.wide as string;
    assert.type(json, 'string', 'an object past the cap becomes its JSON text, cut');
    assert.ok(json.startsWith('{"k0":0,"k1":1'));
    assert.ok(utf8(json) <= 4096);
    const kept = Object.keys(attrs).filter((key) => key.startsWith('t'));
    assert.ok(kept.length > 0 && kept.length < 40, `${kept.length} of 40 tags kept`);
    assert.equal(kept, kept.slice().sort(), 'kept in order');
    const total = Object.entries(attrs).reduce((n, [key, v]) => n + key.length + utf8(typeof v === 'string' ? v : JSON.stringify(v)), 0);
    assert.ok(total <= 16384, `${total} bytes of attributes`);

    const stats = (await fetchJson(`${k.baseUrl}/__admin/tracing/stats`)).body;
    assert.is(stats.counters.truncatedAttributes, 3);
    assert.is(stats.counters.droppedAttributes, 40 - kept.length);
    assert.ok(stats.storedBytes < 30_000, `stored ${stats.storedBytes} bytes for a span tagged with ~250 kB`);
    assert.equal(t.intact, [true], "the exchange's own tags are untouched");
  } finally {
    await k.stop();
  }
});

bounds('limits are configurable; a long path and a long error message are cut the same way', async () => {
  const thrower = definePlugin({
    name: 'thrower',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'thrower', stage: Stage.Guard }, (ex) => {
        if (ex.request.path.startsWith('/boom')) throw new Error(`boom ${'m'.repeat(5000)}`);
        return ex;
      });
    },
  });
  const k = await createTestKernel({ plugins: [tracing, thrower], config: { tracing: { maxAttributeBytes: 256 } } });
  try {
    const path = `/nowhere/${'p'.repeat(8000)}`;
    const res = await fetch(`${k.baseUrl}${path}`);
    assert.is(res.status, 404);
    const boom = await fetch(`${k.baseUrl}/boom`);
    assert.is(boom.status, 500);
    const [second, first] = k.resolve('tracer').findTraces();
    const long = k.resolve('tracer').getTrace(first!.traceId)!.spans[0]!;
    assert.ok(utf8(long.path) <= 256);
    assert.match(long.path, /^\/nowhere\/p+…\[truncated: 8009 bytes\]$/);
    const failed = k.resolve('tracer').getTrace(second!.traceId)!.spans[0]!;
    assert.ok(utf8(failed.errorMessage!) <= 256);
    assert.match(failed.errorMessage!, /^Tap "thrower" failed in the "exchange" hook: boom m+…\[truncated: \d+ bytes\]$/);
    assert.is(k.resolve('tracer').counters().truncatedAttributes, 2);
    const bad = await createTestKernel({ plugins: [tracing], config: { tracing: { maxAttributeBytes: 10 } } }).then(
      () => undefined,
      (err: Error) => err,
    );
    assert.match(String(bad?.message), 'plugins.tracing.maxAttributeBytes');
  } finally {
    await k.stop();
  }
});

const store = suite('the store bounded in bytes');

store('the oldest traces are evicted to stay within maxBytes (counted); stats report the bytes', async () => {
  const t = tagger(() => ({ pad: 'z'.repeat(4000) }));
  const k = await createTestKernel({ plugins: [mesh, tracing, t.plugin], config: { mesh: { services: chain }, tracing: { maxBytes: 65536 } } });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await fetch(`${k.baseUrl}/a`)).headers.get('x-understudy-trace-id')!);
    const stats = (await fetchJson(`${k.baseUrl}/__admin/tracing/stats`)).body;
    assert.ok(stats.storedBytes <= 65536, `${stats.storedBytes} bytes stored`);
    assert.ok(stats.storedBytes > 40_000);
    assert.ok(stats.counters.evictedForBytes > 0);
    assert.is(stats.counters.evictedTraces, stats.counters.evictedForBytes);
    assert.is(stats.storedTraces, 10 - stats.counters.evictedForBytes);
    const tracer = k.resolve('tracer');
    assert.is(tracer.getTrace(ids[0]!), undefined, 'the oldest went first');
    assert.is(tracer.getTrace(ids[9]!)!.spans.length, 5);
  } finally {
    await k.stop();
  }
});

store('one trace alone past maxBytes keeps what fits and counts the rest as dropped spans', async () => {
  const t = tagger(() => ({ pad: 'z'.repeat(4000) }));
  const fanOut = { a: svc(Array.from({ length: 30 }, () => 'b')), b: svc() };
  const k = await createTestKernel({ plugins: [mesh, tracing, t.plugin], config: { mesh: { services: fanOut }, tracing: { maxBytes: 65536 } } });
  try {
    const res = await fetch(`${k.baseUrl}/a`);
    assert.is(res.status, 200);
    const trace = k.resolve('tracer').getTrace(res.headers.get('x-understudy-trace-id')!)!;
    const c = k.resolve('tracer').counters();
    assert.ok(c.storedBytes <= 65536);
    assert.ok(trace.droppedSpans > 0);
    assert.is(trace.spans.length + trace.droppedSpans, 61, '30 calls × 2 spans + the root');
    assert.is(c.droppedSpans, trace.droppedSpans);
  } finally {
    await k.stop();
  }
});

bounds.run();
store.run();
