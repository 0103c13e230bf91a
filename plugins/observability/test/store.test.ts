// The store's bounds (count and bytes, overflow counted), the exchange logging modes,
// events as log lines, log() from another plugin, and config errors at startup.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import { createKernel, createVirtualClock } from '@understudy/kernel';
import mesh from '@understudy/plugin-mesh';
import { pino } from 'pino';
import observability, { LogStore } from '../src/index.js';
import { FieldsEntry } from '../src/records.js';
import { call, request, start } from './helpers.js';

const it = suite('observability: store, modes, events, config');

it('keeps at most maxRecords, the newest, and counts what it dropped', async () => {
  const k = await start({ observability: { logs: { maxRecords: 4, events: false } } });
  try {
    for (let i = 0; i < 4; i++) await request(k, `/svc/orders/${i}`); // 8 exchanges
    const page = await call(k, '/__admin/logs');
    assert.is(page.body.total, 4);
    const stats = await call(k, '/__admin/observability/stats');
    assert.is(stats.body.logs.stored, 4);
    assert.is(stats.body.logs.received, 8);
    assert.is(stats.body.logs.dropped, 4);
    assert.is(stats.body.logs.droppedForBytes, 0);
    const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
    assert.match(text, /understudy_logs_dropped_total\{reason="count"\} 4/);
    assert.match(text, /understudy_logs_stored 4/);
    // the newest survived: the last request's two records
    const last = page.body.items[0].traceId;
    assert.is(page.body.items[1].traceId, last);
  } finally {
    await k.stop();
  }
});

it('keeps within maxBytes, evicting the oldest (counted apart), and refuses a record larger than the store', () => {
  const store = new LogStore(1000, 2000);
  const rec = (n: number, msg = 'x') => new FieldsEntry({ level: 30, time: n, msg }, 500);
  for (let i = 0; i < 6; i++) store.push(rec(i));
  assert.is(store.size, 4);
  assert.is(store.bytes, 2000);
  assert.is(store.stats.dropped, 2);
  assert.is(store.stats.droppedForBytes, 2);
  store.push(new FieldsEntry({ level: 30, time: 9, msg: 'huge' }, 5000));
  assert.is(store.size, 4);
  assert.is(store.stats.droppedTooLarge, 1);
  assert.equal(
    store.query().items.map((r) => r.time),
    [5, 4, 3, 2],
  );
  // a cursor whose records were evicted meanwhile continues with what is left
  const page = store.query({ limit: 2 });
  for (let i = 10; i < 13; i++) store.push(rec(i));
  const rest = store.query({ cursor: page.next });
  assert.equal(
    rest.items.map((r) => r.time),
    [],
  );
  assert.equal(
    store.query({ limit: 10 }).items.map((r) => r.time),
    [12, 11, 10, 5],
  );
});

it("exchanges: 'errors' logs only failures, 'none' none — the metrics count them all", async () => {
  for (const [mode, expected] of [
    ['errors', 1],
    ['none', 0],
  ] as const) {
    const k = await start({ observability: { logs: { exchanges: mode, events: false } } });
    try {
      await request(k, '/svc/orders/1');
      await request(k, '/svc/fail');
      const page = await call(k, '/__admin/logs');
      assert.is(page.body.total, expected, mode);
      if (expected) assert.is(page.body.items[0].status, 503);
      const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
      assert.match(text, /understudy_requests_total\{service="svc",endpoint="GET \/orders\/:id",code="200"\} 1/);
    } finally {
      await k.stop();
    }
  }
});

it('exchangeLevel sets the level of successful exchanges', async () => {
  const k = await start({ observability: { logs: { exchangeLevel: 'debug', events: false } } });
  try {
    await request(k, '/svc/orders/1');
    const page = await call(k, '/__admin/logs');
    assert.equal(
      page.body.items.map((r: { level: number }) => r.level),
      [20, 20],
    );
    assert.is((await call(k, '/__admin/logs?level=info')).body.total, 0);
  } finally {
    await k.stop();
  }
});

it('every event on the bus becomes a log line with its correlation ids; plugins log through the service', async () => {
  const emitter = definePlugin({
    name: 'emitter',
    register(ctx) {
      ctx.onStart(() => {
        ctx.events.emit('health.incidentOpened' as never, { incidentId: 'inc-7', kind: 'instancesDown', services: ['db'] } as never);
        ctx.events.emit('cluster.instanceChanged' as never, { id: 'db-1', workload: 'db', service: 'db', version: '1.0.0', from: 'Ready', to: 'OOMKilled', reason: 'memory limit' } as never);
        ctx.events.emit('breaker.opened' as never, { key: 'svc→db:query', caller: 'svc', service: 'db', endpoint: 'query', from: 'CLOSED', to: 'OPEN', failureRate: 100, slowCallRate: 0, reason: 'failure rate 100%' } as never);
        ctx.resolve('observability').log({ level: 40, msg: 'rollout paused', service: 'svc', rolloutId: 'ro-1' });
      });
    },
  });
  const k = await start({ plugins: [emitter] });
  try {
    const page = await call(k, '/__admin/logs?limit=10');
    const byEvent = (t: string) => page.body.items.find((r: { event?: string }) => r.event === t);
    const inc = byEvent('health.incidentOpened');
    assert.is(inc.incidentId, 'inc-7');
    assert.is(inc.service, 'db');
    assert.is(inc.level, 40);
    assert.is(inc.source, 'emitter');
    assert.is(inc.msg, 'incident inc-7 opened: instancesDown in db');
    const oom = byEvent('cluster.instanceChanged');
    assert.is(oom.instance, 'db-1');
    assert.is(oom.level, 50);
    assert.is(oom.msg, 'instance db-1 of db: Ready → OOMKilled (memory limit)');
    assert.equal(oom.data.to, 'OOMKilled');
    const br = byEvent('breaker.opened');
    assert.is(br.level, 40);
    assert.is(br.msg, 'breaker.opened svc→db:query (failure rate 100%)');
    const ro = page.body.items.find((r: { rolloutId?: string }) => r.rolloutId === 'ro-1');
    assert.is(ro.msg, 'rollout paused');
    assert.is(ro.level, 40);
    // the lines of db after the incident opened carry its id: the incident and the OOM kill, and the breaker on calls to db
    assert.is(oom.incidentId, 'inc-7');
    assert.is(br.incidentId, 'inc-7');
    assert.is((await call(k, '/__admin/logs?q=inc-7')).body.total, 3);
    assert.is(ro.kind, 'log');
    assert.is((await call(k, '/__admin/logs?kind=log')).body.total, 1);
    assert.is((await call(k, '/__admin/logs?kind=event')).body.total, 4); // kernel.started too
    assert.is((await call(k, '/__admin/logs?kind=exchange')).body.total, 0);
    assert.is((await call(k, '/__admin/logs?event=breaker.opened')).body.total, 1);
    assert.is((await call(k, '/__admin/logs?event=health.')).body.total, 1);
    assert.is((await call(k, '/__admin/logs?event=health')).body.total, 0);
    assert.is((await call(k, '/__admin/logs?kind=nonsense')).status, 400);
    const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
    assert.match(text, /understudy_events_total\{type="breaker.opened"\} 1/);
  } finally {
    await k.stop();
  }
});

it('works without tracing: no trace ids, no links, still logs and metrics', async () => {
  const k = await start({ tracing: false });
  try {
    await request(k, '/svc/orders/1');
    const page = await call(k, '/__admin/logs?service=svc');
    assert.is(page.body.items[0].traceId, undefined);
    assert.is(page.body.items[0].links, undefined);
    const cp = await call(k, '/__admin/observability/traces/abc/critical-path');
    assert.is(cp.status, 409);
    assert.is(cp.body.code, 'US_OBSERVABILITY_NO_TRACER');
  } finally {
    await k.stop();
  }
});

it("forward: stored records are also written through the plugin's pino logger, the record's time as `at`", async () => {
  const lines: string[] = [];
  const kernel = createKernel({
    plugins: [mesh, observability],
    config: { server: { port: 0, host: '127.0.0.1' }, plugins: { mesh: { services: { a: { endpoints: [{ path: '/', name: 'go' }] } } }, observability: { logs: { forward: true } } } },
    clock: createVirtualClock(),
    logger: pino({ level: 'info' }, { write: (l: string) => lines.push(l) }),
    env: {},
  });
  await kernel.setup();
  await kernel.started();
  try {
    await kernel.dispatch({ protocol: 'http', request: { method: 'GET', url: '/a/' } });
    const forwarded = lines.map((l) => JSON.parse(l)).filter((l) => l.plugin === 'observability' && l.kind === 'exchange');
    assert.is(forwarded.length, 1);
    assert.is(forwarded[0].msg, 'a ANY / 200 in 0 ms');
    assert.is(forwarded[0].level, 30);
    assert.is(forwarded[0].at, kernel.clock.now());
    assert.is(forwarded[0].requestId, 'ex-1');
  } finally {
    await kernel.stop();
  }
});

it('an invalid config fails startup listing every problem with its path', async () => {
  const bad = { metrics: { buckets: [0.1, 0.05, 0.2], prefix: '9bad' }, windows: { resolutionMs: 60_000, retentionMs: 30_000 }, slo: { windows: [600_000, 300_000] }, logs: { maxRecords: 0 } };
  let err: Error & { problems?: string[] } = new Error('none');
  try {
    const k = await createTestKernel({ plugins: [mesh, observability], config: { mesh: { services: {} }, observability: bad } });
    await k.stop();
  } catch (e) {
    err = e as typeof err;
  }
  assert.match(err.message, /plugins\.observability\.logs\.maxRecords/);
  assert.match(err.message, /plugins\.observability\.metrics\.prefix/);
  // the schema problems come first; the cross-field ones once the schema passes
  const k2 = createTestKernel({ plugins: [mesh, observability], config: { mesh: { services: {} }, observability: { ...bad, metrics: { buckets: [0.1, 0.05, 0.2] }, logs: {} } } });
  const err2 = await k2.then(
    async (k) => {
      await k.stop();
      return new Error('started');
    },
    (e: Error) => e,
  );
  for (const path of ['metrics.buckets[1]', 'windows.retentionMs', 'slo.windows[0]', 'slo.windows[1]']) assert.ok(err2.message.includes(`plugins.observability.${path}`), `${path} in ${err2.message}`);
});

it.run();
