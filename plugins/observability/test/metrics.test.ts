// /metrics over real HTTP: the Prometheus text format checked by promtool, RED metrics by
// endpoint template (never the raw path), the label cardinality cap.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import observability from '../src/index.js';
import { call, promtoolCheck, PROMTOOL, request, start } from './helpers.js';

const it = suite('observability: /metrics');

/** The value of one sample line, e.g. `understudy_requests_total{service="svc",...}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

it('serves the text exposition format that promtool accepts, with RED metrics by template', async () => {
  const k = await start();
  try {
    await request(k, '/svc/orders/123');
    await request(k, '/svc/orders/456');
    await request(k, '/svc/fail');
    const res = await fetch(`${k.baseUrl}/metrics`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.is(sample(text, 'understudy_requests_total', { service: 'svc', endpoint: 'GET /orders/:id', code: '200' }), 2);
    assert.is(sample(text, 'understudy_requests_total', { service: 'svc', endpoint: 'GET /fail', code: '503' }), 1);
    assert.is(sample(text, 'understudy_requests_total', { service: 'db', endpoint: 'ANY /query', code: '200' }), 2);
    assert.is(sample(text, 'understudy_request_errors_total', { service: 'svc', endpoint: 'GET /fail' }), 1);
    assert.is(sample(text, 'understudy_request_duration_seconds_count', { service: 'svc', endpoint: 'GET /orders/:id' }), 2);
    assert.is(sample(text, 'understudy_request_duration_seconds_bucket', { service: 'db', endpoint: 'ANY /query', le: '0.01' }), 0);
    assert.is(sample(text, 'understudy_request_duration_seconds_bucket', { service: 'db', endpoint: 'ANY /query', le: '0.025' }), 2);
    assert.is(sample(text, 'understudy_request_duration_seconds_bucket', { service: 'db', endpoint: 'ANY /query', le: '+Inf' }), 2);
    assert.is(sample(text, 'understudy_events_total', { type: 'kernel.started' }), 1);
    assert.ok(!text.includes('/orders/123') && !text.includes('/orders/456'), 'never a raw path');
    assert.match(text, /# TYPE understudy_request_duration_seconds histogram/);

    const checked = await promtoolCheck(text);
    if (!checked) console.log(`SKIPPED promtool check: ${PROMTOOL} is missing (CI installs it: Debian's prometheus package)`);
    else {
      assert.is(checked.output.trim(), '', `promtool reported: ${checked.output}`);
      assert.is(checked.code, 0);
    }
  } finally {
    await k.stop();
  }
});

it('promtool really checks: a broken exposition fails it', async () => {
  const checked = await promtoolCheck('# TYPE x_total counter\nx_total{a="1"} 1\nx_total{a="1"} 2\nbad line here\n');
  if (!checked) return console.log(`SKIPPED: ${PROMTOOL} is missing`);
  assert.is.not(checked.code, 0);
});

it('caps label cardinality: endpoints past the cap fall into "other", counted', async () => {
  const endpoints = Array.from({ length: 5 }, (_, i) => ({ path: `/e${i}`, name: `e${i}`, latency: { type: 'fixed', ms: 0 } }));
  const k = await start({ services: { many: { endpoints } }, observability: { metrics: { maxEndpointsPerService: 2 } } });
  try {
    for (let i = 0; i < 5; i++) assert.is((await request(k, `/many/e${i}`)).status, 200);
    const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
    assert.is(sample(text, 'understudy_requests_total', { service: 'many', endpoint: 'ANY /e0' }), 1);
    assert.is(sample(text, 'understudy_requests_total', { service: 'many', endpoint: 'ANY /e1' }), 1);
    assert.is(sample(text, 'understudy_requests_total', { service: 'many', endpoint: 'other' }), 3);
    assert.is(sample(text, 'understudy_requests_total', { service: 'many', endpoint: 'ANY /e4' }), undefined);
    assert.is(sample(text, 'understudy_metric_series_overflow_total', { kind: 'endpoint' }), 3);
    const value = await call(k, '/__admin/observability/metrics/understudy_requests_total?service=many');
    assert.is(value.body.value, 5);
  } finally {
    await k.stop();
  }
});

it('a metrics prefix from config names every metric', async () => {
  const k = await start({ observability: { metrics: { prefix: 'shop_' } } });
  try {
    await request(k, '/svc/orders/1');
    const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
    assert.ok(sample(text, 'shop_requests_total', { service: 'svc' }) === 1);
    assert.ok(!/^understudy_/m.test(text));
  } finally {
    await k.stop();
  }
});

it('caps services too: past maxServices a service falls into service="other"; the service API reads the same registry', async () => {
  const k = await start({ services: { a: { endpoints: [{ path: '/', name: 'go' }] }, b: { endpoints: [{ path: '/', name: 'go' }] }, c: { endpoints: [{ path: '/', name: 'go' }] } }, observability: { metrics: { maxServices: 1 } } });
  try {
    for (const s of ['a', 'b', 'c', 'b']) assert.is((await request(k, `/${s}/`)).status, 200);
    const obs = k.resolve('observability');
    const text = await obs.metricsText();
    assert.is(sample(text, 'understudy_requests_total', { service: 'a', endpoint: 'ANY /' }), 1);
    assert.is(sample(text, 'understudy_requests_total', { service: 'other', endpoint: 'other' }), 3);
    assert.is(sample(text, 'understudy_metric_series_overflow_total', { kind: 'service' }), 2);
    assert.is(await obs.metric('understudy_requests_total', { service: 'other' }), 3);
    // logs keep the real service names
    assert.is(obs.logs({ service: 'b' }).total, 2);
    assert.is(obs.logs({ service: 'other' }).total, 0);
  } finally {
    await k.stop();
  }
});

it('with the mesh preset: one record per hop of a checkout, breaker gauges, and promtool accepts it all', async () => {
  const k = await createTestKernel({ presets: ['mesh'], plugins: [observability], config: { mesh: { latencyScale: 0, errorScale: 0 } } });
  try {
    const res = await request(k, '/gateway/checkout', 5);
    assert.is(res.status, 200);
    const traceId = res.headers.get('x-understudy-trace-id')!;
    const page = await call(k, `/__admin/logs?traceId=${traceId}`);
    assert.is(page.body.total, 12);
    assert.equal(new Set(page.body.items.map((r: { traceId: string }) => r.traceId)), new Set([traceId]));
    const text = await (await fetch(`${k.baseUrl}/metrics`)).text();
    assert.is(sample(text, 'understudy_requests_total', { service: 'gateway', endpoint: 'GET /checkout', code: '200' }), 1);
    assert.is(sample(text, 'understudy_breaker_state', { caller: 'gateway', service: 'orders' }), 0);
    const checked = await promtoolCheck(text);
    if (checked) assert.is(checked.output.trim() + `(exit ${checked.code})`, '(exit 0)');
    const cp = await call(k, `/__admin/observability/traces/${traceId}/critical-path`);
    assert.is(cp.body.path[0].service, 'gateway');
  } finally {
    await k.stop();
  }
});

it.run();
