// Logs of exchanges through a mesh kernel with tracing, over real HTTP: correlation ids,
// the way to the trace and back, filters, order, pagination and the NDJSON export.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, request, start } from './helpers.js';

const it = suite('observability: exchange logs');

it('every exchange of a request is logged with its template, instance, status, duration and correlation ids', async () => {
  const k = await start();
  try {
    const res = await request(k, '/svc/orders/123');
    assert.is(res.status, 200);
    const page = await call(k, '/__admin/logs');
    assert.is(page.status, 200);
    const items = (page.body.items as Array<Record<string, any>>).filter((r) => r.kind === 'exchange');
    assert.is(items.length, 2);
    // and the kernel's start, as an event line
    assert.ok((page.body.items as Array<Record<string, any>>).some((r) => r.kind === 'event' && r.event === 'kernel.started'));
    // newest first: the root (svc) settles after its call to db
    const [root, child] = items;
    assert.is(root.service, 'svc');
    assert.is(root.endpoint, 'GET /orders/:id');
    assert.is(root.method, 'GET');
    assert.is(root.status, 200);
    assert.is(root.level, 30);
    assert.is(root.kind, 'exchange');
    assert.is(root.instance, 'svc-1');
    assert.is(typeof root.time, 'number');
    assert.ok(root.durationMs >= 25, `root duration ${root.durationMs}`);
    assert.match(root.msg, /^svc GET \/orders\/:id 200 in \d+ ms$/);
    assert.is(child.service, 'db');
    assert.is(child.endpoint, 'ANY /query');
    assert.is(child.caller, 'svc');
    assert.is(child.hops, 1);
    assert.is(child.traceId, root.traceId);
    assert.is(child.parentSpanId !== undefined, true);
    assert.match(root.traceId, /^[0-9a-f]{32}$/);
    assert.match(root.spanId, /^[0-9a-f]{16}$/);
    assert.ok(root.requestId && child.requestId && root.requestId !== child.requestId);
    assert.is(res.headers.get('x-understudy-trace-id'), root.traceId);
    assert.ok(!JSON.stringify(items).includes('/orders/123'), 'the raw path is never logged');

    // to the trace …
    assert.is(root.links.trace, `/__admin/tracing/traces/${root.traceId}`);
    const trace = await call(k, root.links.trace);
    assert.is(trace.status, 200);
    assert.is(trace.body.summary.traceId, root.traceId);
    // … and back: the spans' trace id finds the same lines
    const back = await call(k, `/__admin/logs?traceId=${trace.body.summary.traceId}`);
    assert.equal(
      back.body.items.map((r: { requestId: string }) => r.requestId),
      items.map((r) => r.requestId),
    );
    assert.is(root.links.logs, `/__admin/logs?traceId=${root.traceId}`);
  } finally {
    await k.stop();
  }
});

it('failures are logged at error (5xx) and the level filter keeps them', async () => {
  const k = await start();
  try {
    assert.is((await request(k, '/svc/fail')).status, 503);
    await request(k, '/svc/orders/1');
    assert.is((await call(k, '/nowhere/at/all')).status, 404);
    const errors = await call(k, '/__admin/logs?level=error');
    assert.is(errors.body.total, 1);
    assert.is(errors.body.items[0].status, 503);
    assert.is(errors.body.items[0].level, 50);
    const warn = await call(k, '/__admin/logs?level=warn');
    assert.is(warn.body.total, 2); // the 404 too
    const unmatched = warn.body.items.find((r: { status: number }) => r.status === 404);
    assert.is(unmatched.endpoint, '(unmatched)');
    assert.is(unmatched.service, undefined);
    assert.ok(!JSON.stringify(unmatched).includes('/nowhere'), 'no raw path, even unmatched');
  } finally {
    await k.stop();
  }
});

it('filters by service, q and time; newest first; pages with a stable cursor', async () => {
  const k = await start();
  try {
    for (let i = 0; i < 5; i++) await request(k, `/svc/orders/${i}`);
    const all = await call(k, '/__admin/logs?limit=100');
    assert.is(all.body.total, 11); // 10 exchanges and kernel.started
    const times = all.body.items.map((r: { time: number }) => r.time);
    assert.equal(times, [...times].sort((a: number, b: number) => b - a));

    const db = await call(k, '/__admin/logs?service=db');
    assert.is(db.body.total, 5);
    assert.ok(db.body.items.every((r: { service: string }) => r.service === 'db'));

    const q = await call(k, '/__admin/logs?q=QUERY'); // case-insensitive, in a field value
    assert.is(q.body.total, 5);
    const byInstance = await call(k, '/__admin/logs?q=svc-1');
    assert.is(byInstance.body.total, 5); // svc's own records name their instance
    const from = all.body.items[3].time;
    const to = all.body.items[1].time;
    const ranged = await call(k, `/__admin/logs?from=${from}&to=${to}`);
    assert.ok(ranged.body.items.every((r: { time: number }) => r.time >= from && r.time <= to));
    assert.ok(ranged.body.total >= 3);

    // pages of 3: stable even when new records arrive between pages
    const p1 = await call(k, '/__admin/logs?limit=3');
    assert.is(p1.body.items.length, 3);
    assert.type(p1.body.next, 'string');
    await request(k, '/svc/orders/99'); // two newer records
    const p2 = await call(k, `/__admin/logs?limit=3&cursor=${p1.body.next}`);
    const p3 = await call(k, `/__admin/logs?limit=3&cursor=${p2.body.next}`);
    const p4 = await call(k, `/__admin/logs?limit=3&cursor=${p3.body.next}`);
    assert.is(p4.body.items.length, 2);
    assert.is(p4.body.next, undefined);
    const seen = [...p1.body.items, ...p2.body.items, ...p3.body.items, ...p4.body.items].map((r: { requestId: string }) => r.requestId);
    assert.equal(seen, all.body.items.map((r: { requestId: string }) => r.requestId));

    const bad = await call(k, '/__admin/logs?cursor=nonsense');
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_OBSERVABILITY_INVALID_CURSOR');
    const badLevel = await call(k, '/__admin/logs?level=loud');
    assert.is(badLevel.status, 400);
    assert.is((await call(k, '/__admin/logs')).status, 200); // still serving
  } finally {
    await k.stop();
  }
});

it('exports NDJSON in pino lines, oldest first, with the same filters', async () => {
  const k = await start();
  try {
    for (let i = 0; i < 3; i++) await request(k, `/svc/orders/${i}`);
    const res = await fetch(`${k.baseUrl}/__admin/logs/export?service=svc`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const text = await res.text();
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    assert.is(lines.length, 3);
    for (const l of lines) {
      assert.is(l.level, 30);
      assert.is(typeof l.time, 'number');
      assert.is(l.service, 'svc');
      assert.match(l.msg, /GET \/orders\/:id 200/);
      assert.match(l.traceId, /^[0-9a-f]{32}$/);
    }
    const times = lines.map((l) => l.time);
    assert.equal(times, [...times].sort((a, b) => a - b));
    // pino writes level first and time second
    assert.match(text.split('\n')[0]!, /^\{"level":30,"time":\d+,/);
  } finally {
    await k.stop();
  }
});

it('a large export streams every record in order, across batches', async () => {
  const k = await start({ observability: { logs: { events: false } } });
  try {
    const obs = k.resolve('observability');
    for (let i = 0; i < 2600; i++) obs.log({ level: i % 7 === 0 ? 50 : 30, msg: `line ${i}`, service: 'bulk', n: i });
    const res = await fetch(`${k.baseUrl}/__admin/logs/export?service=bulk`);
    assert.is(res.status, 200);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    assert.is(lines.length, 2600);
    assert.equal(lines.map((l) => l.n), Array.from({ length: 2600 }, (_, i) => i));
    assert.is(lines[7].level, 50);
    const errors = (await (await fetch(`${k.baseUrl}/__admin/logs/export?level=error`)).text()).trim().split('\n');
    assert.is(errors.length, Math.ceil(2600 / 7));
    const none = await (await fetch(`${k.baseUrl}/__admin/logs/export?service=nobody`)).text();
    assert.is(none, '');
  } finally {
    await k.stop();
  }
});

it.run();
