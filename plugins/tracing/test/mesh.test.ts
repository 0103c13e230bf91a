// Tracing through the mesh over real HTTP: context continued across every hop (a CLIENT
// span per call, the callee's SERVER span under it), corrupt and missing headers, the query
// API, views and service map, B3/Jaeger, the bounded store, JSON-safe attributes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin, Stage } from '@understudy/plugin-sdk';
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import meshPlugin from '@understudy/plugin-mesh';
import tracing from '../src/index.js';
import type { Span } from '../src/index.js';
import { chain, start, svc } from './helpers.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PID = '00f067aa0ba902b7';
const HEX16 = /^[0-9a-f]{16}$/;

interface Node extends Span {
  children: Node[];
  offsetMs: number;
}

const mesh = suite('tracing through the mesh');

mesh('a client traceparent continues across every hop; children carry it; the response has it', async () => {
  const k = await start();
  try {
    const res = await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${TID}-${PID}-01`, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' } });
    assert.is(res.status, 200);
    const header = res.headers.get('traceparent')!;
    assert.match(header, new RegExp(`^00-${TID}-[0-9a-f]{16}-01$`));
    assert.is(res.headers.get('x-understudy-trace-id'), TID);

    const trace = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${TID}`);
    assert.is(trace.status, 200);
    assert.is(trace.body.summary.spanCount, 5, 'a SERVER span per exchange, a CLIENT span per call');
    assert.equal(trace.body.summary.services, ['c', 'b', 'a']);
    assert.is(trace.body.summary.name, 'GET a go');
    const [a] = trace.body.spans as Node[];
    assert.is(a.service, 'a');
    assert.is(a.parentSpanId, PID, "a's parent is the client's parent-id");
    assert.is(a.spanId, header.split('-')[2], 'the response names the root span');
    assert.is(a.hops, 0);
    assert.is(a.kind, 'server');
    const callB = a.children[0]!;
    assert.is(callB.kind, 'client', "a's call to b is a's CLIENT span");
    assert.is(callB.parentSpanId, a.spanId);
    assert.is(callB.caller, 'a');
    assert.is(callB.callerInstance, 'a-1');
    const b = callB.children[0]!;
    assert.is(b.kind, 'server');
    assert.is(b.service, 'b');
    assert.is(b.parentSpanId, callB.spanId, "b's SERVER span is under a's CLIENT span");
    assert.is(b.caller, 'a');
    assert.is(b.attributes.instance, 'b-1');
    const callC = b.children[0]!;
    assert.is(callC.kind, 'client');
    const c = callC.children[0]!;
    assert.is(c.parentSpanId, callC.spanId);
    for (const s of [a, callB, b, callC, c]) {
      assert.is(s.traceId, TID);
      assert.match(s.spanId, HEX16);
      assert.is(s.status, 200);
      assert.is(s.error, false);
    }
    // the child requests carried the context: parent-id = the call's CLIENT span, tracestate passed on
    const childB = k.seen.find((s) => s.service === 'b')!;
    assert.is(childB.traceparent, `00-${TID}-${callB.spanId}-01`);
    assert.is(childB.headers.tracestate, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    assert.is(k.seen.find((s) => s.service === 'c')!.traceparent, `00-${TID}-${callC.spanId}-01`);

    const stats = await fetchJson(`${k.baseUrl}/__admin/tracing/stats`);
    assert.is(stats.body.counters.tracesContinued, 1);
    assert.is(stats.body.counters.spans, 5);
    assert.is(stats.body.storedTraces, 1);
    assert.ok(stats.body.storedBytes > 0);
    assert.is(k.resolve('tracer').getTrace(TID)!.spans.length, 5);
  } finally {
    await k.stop();
  }
});

mesh('a corrupt traceparent starts a new trace and is counted; a missing one too', async () => {
  const k = await start();
  try {
    const res = await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `ff-${TID}-${PID}-01` } });
    const id = res.headers.get('x-understudy-trace-id')!;
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.is.not(id, TID);
    // a trace this plugin starts is sampled and its id random (Level 2's random-trace-id flag)
    assert.match(res.headers.get('traceparent')!, new RegExp(`^00-${id}-[0-9a-f]{16}-03$`));
    await fetch(`${k.baseUrl}/a`);
    const stats = await fetchJson(`${k.baseUrl}/__admin/tracing/stats`);
    assert.is(stats.body.counters.corruptHeaders, 1);
    assert.is(stats.body.counters.missingHeaders, 1);
    assert.is(stats.body.counters.tracesStarted, 2);
    const trace = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${id}`);
    assert.is(trace.body.spans[0].parentSpanId, undefined);
    assert.is(trace.body.summary.spanCount, 5);
  } finally {
    await k.stop();
  }
});

mesh('query API filters, views and service map', async () => {
  const k = await start({}, { a: svc(['b']), b: svc(['c']), c: svc(), d: svc([], { status: 503 }), e: svc([], { latency: { type: 'fixed', ms: 40 } }) });
  try {
    await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${TID}-${PID}-00` } });
    await fetch(`${k.baseUrl}/a`);
    const failed = await fetch(`${k.baseUrl}/d`);
    assert.is(failed.status, 503);
    const slow = fetch(`${k.baseUrl}/e`);
    await k.untilTimers();
    await k.advance(40);
    assert.is((await slow).status, 200);
    await fetch(`${k.baseUrl}/nowhere`); // no service: named by its path

    const list = async (q: string) => (await fetchJson(`${k.baseUrl}/__admin/tracing/traces${q}`)).body.traces as { traceId: string; name: string; error: boolean; durationMs: number; services: string[] }[];
    assert.is((await list('')).length, 5);
    assert.is((await list(''))[0]!.name, 'GET /nowhere');
    assert.is((await list('?service=b')).length, 2);
    const errors = await list('?error=true');
    assert.is(errors.length, 1);
    assert.equal(errors[0]!.services, ['d']);
    assert.is((await list('?error=false')).length, 4);
    const slowOnes = await list('?minDuration=10');
    assert.is(slowOnes.length, 1);
    assert.is(slowOnes[0]!.durationMs, 40);
    assert.is((await list('?limit=2')).length, 2);
    assert.is((await fetchJson(`${k.baseUrl}/__admin/tracing/traces?limit=0`)).status, 400);

    const wf = await fetch(`${k.baseUrl}/__admin/tracing/traces/${TID}/waterfall`);
    assert.match(wf.headers.get('content-type')!, 'text/plain');
    const text = await wf.text();
    assert.match(text, `trace ${TID}  5 span(s)`);
    assert.match(text, /\nGET a go 200 +\+ +0 ms +0 ms \|#/);
    assert.match(text, /\n  a → GET b go 200 /);
    assert.match(text, /\n    GET b go 200 /);
    assert.match(text, /\n      b → GET c go 200 /);
    assert.match(text, /\n        GET c go 200 /);
    const errWf = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${errors[0]!.traceId}/waterfall`)).text();
    assert.match(errWf, 'GET d go 503 !');

    const seq = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${TID}/sequence.mmd`)).text();
    assert.equal(seq.split('\n').slice(0, 10), [
      'sequenceDiagram',
      '  participant client as client',
      '  participant a as a',
      '  participant b as b',
      '  participant c as c',
      '  client->>a: GET go',
      '  a->>b: GET go',
      '  b->>c: GET go',
      '  c-->>b: 200 (0 ms)',
      '  b-->>a: 200 (0 ms)',
    ]);
    const errSeq = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${errors[0]!.traceId}/sequence.mmd`)).text();
    assert.match(errSeq, 'd--xclient: 503');

    const map = await fetchJson(`${k.baseUrl}/__admin/tracing/service-map`);
    const edges = map.body.edges as { caller: string; service: string; calls: number; errors: number; p50: number; p99: number }[];
    const edge = (from: string, to: string) => edges.find((e) => e.caller === from && e.service === to);
    assert.is(edge('a', 'b')!.calls, 2);
    assert.is(edge('b', 'c')!.calls, 2);
    assert.is(edge('client', 'a')!.calls, 2);
    assert.is(edge('client', 'd')!.errors, 1);
    assert.is(edge('client', 'e')!.p99, 40);
    const mmd = await (await fetch(`${k.baseUrl}/__admin/tracing/service-map.mmd`)).text();
    assert.match(mmd, 'graph LR');
    assert.match(mmd, 'a[a] -->|2 calls, 0 errors, p50 0 ms, p99 0 ms| b[b]');

    const missing = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${'1'.repeat(32)}`);
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_TRACING_TRACE_NOT_FOUND');
    assert.is((await fetchJson(`${k.baseUrl}/__admin/tracing/traces/nope/waterfall`)).body.code, 'US_TRACING_TRACE_NOT_FOUND');
    assert.is((await fetchJson(`${k.baseUrl}/__admin/tracing/traces/nope/sequence.mmd`)).status, 404);
  } finally {
    await k.stop();
  }
});

mesh('B3 in, B3 and Jaeger out; response headers can be switched off', async () => {
  const k = await start({ propagation: { extract: ['b3multi'], inject: ['b3', 'jaeger'] }, responseHeaders: false });
  try {
    const res = await fetch(`${k.baseUrl}/a`, { headers: { 'X-B3-TraceId': TID, 'X-B3-SpanId': PID, 'X-B3-Sampled': '1' } });
    assert.is(res.headers.get('traceparent'), null);
    const child = k.seen.find((s) => s.service === 'b')!;
    assert.is(child.traceparent, undefined);
    assert.match(String(child.headers.b3), new RegExp(`^${TID}-[0-9a-f]{16}-1$`));
    assert.match(String(child.headers['uber-trace-id']), new RegExp(`^${TID}:[0-9a-f]{16}:0:01$`));
    const trace = k.resolve('tracer').getTrace(TID)!;
    assert.is(trace.spans.length, 5);
    // traceparent is not accepted with this config: a new trace
    await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${'2'.repeat(32)}-${PID}-01` } });
    assert.is(k.resolve('tracer').getTrace('2'.repeat(32)), undefined);
    assert.is(k.resolve('tracer').counters().missingHeaders, 1);
  } finally {
    await k.stop();
  }
});

mesh('bounded store: oldest trace evicted, spans per trace capped, tags JSON-safe', async () => {
  // a checkout of the chain is 5 spans (records settle c: 2, b: 2, a: 1): with 4, the root's is dropped
  const k = await start({ maxTraces: 2, maxSpansPerTrace: 4 });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fetch(`${k.baseUrl}/a`)).headers.get('x-understudy-trace-id')!);
    const tracer = k.resolve('tracer');
    assert.is(tracer.getTrace(ids[0]!), undefined);
    assert.ok(tracer.getTrace(ids[2]!));
    const c = tracer.counters();
    assert.is(c.evictedTraces, 1);
    assert.is(c.storedTraces, 2);
    assert.is(c.droppedSpans, 3);
    assert.is(tracer.getTrace(ids[2]!)!.spans.length, 4);
    assert.is(tracer.getTrace(ids[2]!)!.droppedSpans, 1);
    const one = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${ids[2]}`);
    assert.is(one.body.droppedSpans, 1);
    assert.match(await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${ids[2]}/waterfall`)).text(), '1 dropped');
  } finally {
    await k.stop();
  }
});

mesh('tags become JSON-safe attributes; a failing tap marks the span as an error', async () => {
  const cyclic: Record<string, unknown> = { n: 1 };
  cyclic.self = cyclic;
  const tagger = definePlugin({
    name: 'tagger',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'tagger', stage: Stage.Guard }, (ex) => {
        if (ex.service === 'c') throw new Error('boom');
        Object.assign(ex.context.tags, { breaker: { key: `${ex.service}`, state: 'closed' }, chaos: [{ kind: 'latency', ms: 5 }], fn: () => 1, big: 10n, cyc: cyclic, nothing: undefined });
        return ex;
      });
    },
  });
  const k = await createTestKernel({ plugins: [meshPlugin, tracing, tagger], config: { mesh: { services: chain } } });
  try {
    const res = await fetch(`${k.baseUrl}/a`);
    assert.is(res.status, 502);
    const rec = k.resolve('tracer').getTrace(res.headers.get('x-understudy-trace-id')!)!;
    const a = rec.spans.find((s) => s.service === 'a')!;
    assert.equal(a.attributes.breaker, { key: 'a', state: 'closed' });
    assert.equal(a.attributes.chaos, [{ kind: 'latency', ms: 5 }]);
    assert.is(a.attributes.big, '10');
    assert.is(a.attributes.cyc, '[object Object]');
    assert.not.ok('fn' in a.attributes || 'nothing' in a.attributes);
    const c = rec.spans.find((s) => s.service === 'c')!;
    assert.is(c.error, true);
    assert.is(c.errorMessage, 'Tap "tagger" failed in the "exchange" hook: boom', 'the kernel names the tap and the hook');
    assert.is(c.status, 500);
  } finally {
    await k.stop();
  }
});

mesh.run();
