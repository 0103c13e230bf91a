// OTLP/HTTP JSON export against a fake collector on a real socket: batching on the kernel
// clock, the encoding (span kinds, resources per service instance), retries with backoff,
// failures counted and announced, a bounded queue.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { unixNano } from '../src/otlp.js';
import { start, svc } from './helpers.js';

interface Collector {
  url: string;
  bodies: any[];
  headers: Record<string, string | string[] | undefined>[];
  requests: number;
  close(): Promise<void>;
}

/** A fake OTLP/HTTP collector: records bodies, answers `failStatus` to the first `failFirst` requests. */
async function collector(failFirst = 0, failStatus = 503): Promise<Collector> {
  const c = { bodies: [] as any[], headers: [] as Collector['headers'], requests: 0 } as Collector;
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      c.requests++;
      if (c.requests <= failFirst) {
        res.writeHead(failStatus).end('nope');
        return;
      }
      c.bodies.push(JSON.parse(data));
      c.headers.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  c.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  c.close = () => new Promise((resolve) => server.close(() => resolve()));
  return c;
}

/** Waits for network I/O (not time) until cond holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const spansOf = (body: any) => body.resourceSpans.flatMap((r: any) => r.scopeSpans[0].spans);

const otlp = suite('OTLP export');

otlp('batches: a full batch leaves at once, the rest on the kernel-clock interval; OTLP JSON encoding', async () => {
  const col = await collector();
  // a checkout of the chain is 5 spans: SERVER a, b, c and the CLIENT spans a→b, b→c
  const k = await start({ export: { otlp: { url: col.url, batchSize: 5, headers: { authorization: 'Bearer x' } } } });
  try {
    const res = await fetch(`${k.baseUrl}/a`);
    const traceId = res.headers.get('x-understudy-trace-id');
    await until(() => col.bodies.length === 1, 'first batch');
    const spans = spansOf(col.bodies[0]);
    assert.is(spans.length, 5);
    assert.is(col.headers[0]!.authorization, 'Bearer x');
    assert.match(String(col.headers[0]!['content-type']), 'application/json');
    assert.equal(col.bodies[0].resourceSpans[0].scopeSpans[0].scope, { name: 'understudy' });
    const root = spans.find((s: any) => s.name === 'GET a go' && s.kind === 2);
    assert.is(root.traceId, traceId);
    assert.match(root.spanId, /^[0-9a-f]{16}$/);
    assert.is(root.parentSpanId, undefined);
    assert.is(root.startTimeUnixNano, unixNano(Date.parse('2025-01-01T00:00:00Z')));
    assert.is(typeof root.endTimeUnixNano, 'string');
    assert.equal(root.status, { code: 0 });
    assert.is(root.flags, 0x103, 'sampled + random-trace-id, parent remoteness known (no parent)');
    const attr = (span: any, key: string) => span.attributes.find((a: any) => a.key === key)?.value;
    assert.equal(attr(root, 'http.response.status_code'), { intValue: '200' });
    assert.equal(attr(root, 'http.request.method'), { stringValue: 'GET' });
    assert.equal(attr(root, 'understudy.version'), { stringValue: '1.0.0' });
    assert.ok(spans.every((s: any) => s.traceId === traceId));
    // CLIENT spans (kind 3) sit between a caller's SERVER span and the callee's
    const callB = spans.find((s: any) => s.kind === 3 && attr(s, 'peer.service')?.stringValue === 'b');
    assert.is(callB.parentSpanId, root.spanId);
    assert.is(callB.name, 'GET b go');
    const b = spans.find((s: any) => s.kind === 2 && s.name === 'GET b go');
    assert.is(b.parentSpanId, callB.spanId);
    assert.equal(attr(b, 'understudy.caller'), { stringValue: 'a' });
    await until(() => k.resolve('tracer').counters().exportedSpans === 5, 'exported count');

    await fetch(`${k.baseUrl}/c`); // 1 span: waits for the interval
    assert.is(col.bodies.length, 1);
    await k.advance(1000);
    await until(() => col.bodies.length === 2, 'second batch');
    const last = col.bodies[1];
    assert.is(last.resourceSpans.length, 1);
    assert.equal(last.resourceSpans[0].resource.attributes[0], { key: 'service.name', value: { stringValue: 'c' } });
    assert.is(spansOf(last).length, 1);
  } finally {
    await k.stop();
    await col.close();
  }
});

otlp('service.instance.id is on the resource, one resource per service instance; no span carries it', async () => {
  const col = await collector();
  const services = { a: { ...svc(['b']), instances: 1, version: '2.0.0' }, b: { ...svc(), instances: 2 } };
  const k = await start({ export: { otlp: { url: col.url } } }, services);
  try {
    await fetch(`${k.baseUrl}/a`);
    await fetch(`${k.baseUrl}/a`); // round robin: b-1, then b-2
    await k.advance(1000);
    await until(() => col.bodies.length === 1, 'batch');
    const resources = col.bodies[0].resourceSpans.map((rs: any) => ({
      attrs: Object.fromEntries(rs.resource.attributes.map((a: any) => [a.key, a.value.stringValue])),
      kinds: rs.scopeSpans[0].spans.map((s: any) => s.kind).sort(),
      spans: rs.scopeSpans[0].spans,
    }));
    const of = (service: string, instance: string) => resources.find((r: any) => r.attrs['service.name'] === service && r.attrs['service.instance.id'] === instance);
    assert.is(resources.length, 3);
    // a's resource: its two SERVER spans and the two CLIENT spans of its calls to b
    assert.equal(of('a', 'a-1').attrs, { 'service.name': 'a', 'service.instance.id': 'a-1', 'service.version': '2.0.0', 'telemetry.sdk.name': 'understudy' });
    assert.equal(of('a', 'a-1').kinds, [2, 2, 3, 3]);
    assert.equal(of('b', 'b-1').kinds, [2]);
    assert.equal(of('b', 'b-2').kinds, [2]);
    assert.is(of('b', 'b-2').attrs['service.version'], '1.0.0');
    for (const r of resources) for (const span of r.spans) assert.not.ok(span.attributes.some((a: any) => a.key === 'service.instance.id'), span.name);
    // a CLIENT span names the instance it reached, as a span attribute
    const calls = of('a', 'a-1').spans.filter((s: any) => s.kind === 3);
    assert.equal(calls.map((s: any) => s.attributes.find((a: any) => a.key === 'understudy.peer.instance').value.stringValue).sort(), ['b-1', 'b-2']);
  } finally {
    await k.stop();
    await col.close();
  }
});

otlp('a failed POST is retried after a backoff on the kernel clock', async () => {
  const col = await collector(1);
  const k = await start({ export: { otlp: { url: col.url, retryBackoffMs: 100 } } });
  try {
    await fetch(`${k.baseUrl}/a`);
    await k.advance(1000);
    await until(() => col.requests === 1, 'first attempt');
    await k.untilTimers(2); // the interval + the backoff
    await k.advance(100);
    await until(() => col.bodies.length === 1, 'retry');
    assert.is(spansOf(col.bodies[0]).length, 5);
    await until(() => k.resolve('tracer').counters().exportedSpans === 5, 'exported count');
    const c = k.resolve('tracer').counters();
    assert.is(c.exportRetries, 1);
    assert.is(c.exportedSpans, 5);
    assert.is(k.eventsOf('tracing.exportFailed').length, 0);
  } finally {
    await k.stop();
    await col.close();
  }
});

otlp('a batch failing every retry: one exportFailed event, spans counted as dropped; 4xx is not retried', async () => {
  const col = await collector(100);
  const k = await start({ export: { otlp: { url: col.url, maxRetries: 1, retryBackoffMs: 50 } } });
  try {
    await fetch(`${k.baseUrl}/a`);
    await k.advance(1000);
    await until(() => col.requests === 1, 'first attempt');
    await k.untilTimers(2);
    await k.advance(50);
    await until(() => k.eventsOf('tracing.exportFailed').length === 1, 'failure event');
    const [event] = k.eventsOf('tracing.exportFailed');
    assert.equal(event!.data, { url: col.url, spans: 5, attempts: 2, error: 'collector answered 503' });
    const c = k.resolve('tracer').counters();
    assert.is(c.exportFailedBatches, 1);
    assert.is(c.exportDroppedSpans, 5);
  } finally {
    await k.stop();
    await col.close();
  }
  const bad = await collector(100, 400);
  const k2 = await start({ export: { otlp: { url: bad.url, maxRetries: 3 } } });
  try {
    await fetch(`${k2.baseUrl}/c`);
    await k2.advance(1000);
    await until(() => k2.eventsOf('tracing.exportFailed').length === 1, 'failure event');
    assert.is(bad.requests, 1);
    assert.is(k2.resolve('tracer').counters().exportRetries, 0);
  } finally {
    await k2.stop();
    await bad.close();
  }
});

otlp('a full queue drops spans (counted); stop flushes what is queued, retrying without waiting', async () => {
  const col = await collector(1);
  const k = await start({ export: { otlp: { url: col.url, maxQueue: 2, retryBackoffMs: 10_000 } } });
  try {
    await fetch(`${k.baseUrl}/a`);
    const stats = await (await fetch(`${k.baseUrl}/__admin/tracing/stats`)).json();
    // records settle c (2 spans: queued), b (2) and a (1): no room, dropped
    assert.is(stats.counters.exportDroppedSpans, 3);
    assert.is(stats.exportQueue, 2);
  } finally {
    await k.stop();
  }
  assert.is(col.requests, 2);
  assert.is(spansOf(col.bodies[0]).length, 2);
  await col.close();
});

otlp('a network error is retried like a 5xx', async () => {
  const col = await collector();
  await col.close(); // nothing listens there any more
  const k = await start({ export: { otlp: { url: col.url, maxRetries: 0 } } });
  try {
    await fetch(`${k.baseUrl}/c`);
    await k.advance(1000);
    await until(() => k.eventsOf('tracing.exportFailed').length === 1, 'failure event');
    assert.is(k.eventsOf('tracing.exportFailed')[0]!.data.attempts, 1);
  } finally {
    await k.stop();
  }
});

otlp('unixNano keeps sub-millisecond precision', () => {
  assert.is(unixNano(1735689600000), '1735689600000000000');
  assert.is(unixNano(1.5), '1500000');
});

otlp.run();
