// Analysis routes over real HTTP: percentiles per endpoint, the slowest endpoints, SLO
// burn rates, the critical path of a known multi-hop trace, a service's window (and
// window() by version), the latency chart as SVG.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, request, start } from './helpers.js';

const it = suite('observability: analysis');

const fixed = (ms: number) => ({ type: 'fixed', ms });
/** gw calls b (5 ms) then c (10 ms), which calls d (40 ms): d is what makes a request slow. */
const chain = {
  gw: { endpoints: [{ path: '/go', name: 'go', latency: fixed(2), calls: [{ service: 'b', endpoint: 'b' }, { service: 'c', endpoint: 'c' }] }] },
  b: { endpoints: [{ path: '/b', name: 'b', latency: fixed(5) }] },
  c: { version: '2.0.0', endpoints: [{ path: '/c', name: 'c', latency: fixed(10), calls: [{ service: 'd', endpoint: 'd' }] }] },
  d: { endpoints: [{ path: '/d/:id', method: 'GET', name: 'd', latency: fixed(40) }, { path: '/boom', name: 'boom', latency: fixed(1), errorRate: 1 }] },
};

it("the critical path follows the hops a trace waited on, each with its self time, and links back to the trace's logs", async () => {
  const k = await start({ services: chain });
  try {
    const res = await request(k, '/gw/go', 5);
    assert.is(res.status, 200);
    const traceId = res.headers.get('x-understudy-trace-id')!;
    const cp = await call(k, `/__admin/observability/traces/${traceId}/critical-path`);
    assert.is(cp.status, 200);
    const path = cp.body.path as Array<{ kind: string; service?: string; selfMs: number; durationMs: number }>;
    // gw's SERVER span → its CLIENT call to c → c's SERVER span → its CLIENT call to d → d's SERVER span
    assert.equal(
      path.map((h) => `${h.kind}:${h.service}`),
      ['server:gw', 'client:c', 'server:c', 'client:d', 'server:d'],
    );
    assert.is(cp.body.slowest.service, 'd');
    assert.is(cp.body.slowest.kind, 'server');
    assert.ok(cp.body.slowest.selfMs >= 40, `d's self time ${cp.body.slowest.selfMs}`);
    const c = path[2]!;
    assert.ok(c.selfMs >= 10 && c.selfMs < c.durationMs, `c: self ${c.selfMs} of ${c.durationMs}`);
    assert.ok(cp.body.durationMs >= 57);
    // Jaeger's critical path: the sequential call to b is on it too, then c and d
    const segs = cp.body.segments as Array<{ service: string; kind: string; start: number; end: number; durationMs: number }>;
    for (let i = 1; i < segs.length; i++) assert.ok(segs[i]!.start >= segs[i - 1]!.end, 'segments in order, never overlapping');
    const on = (service: string) => segs.filter((x) => x.service === service && x.kind === 'server').reduce((n, x) => n + x.durationMs, 0);
    assert.ok(on('b') >= 5, `b on the path: ${on('b')}`);
    assert.ok(on('d') >= 40, `d on the path: ${on('d')}`);
    const total = segs.reduce((n, x) => n + x.durationMs, 0);
    assert.is(total, cp.body.durationMs); // every instant of the root is on the path once
    assert.is(cp.body.byService[0].service, 'd');
    assert.is(cp.body.links.logs, `/__admin/logs?traceId=${traceId}`);
    const logs = await call(k, cp.body.links.logs);
    assert.equal(new Set(logs.body.items.map((r: { service: string }) => r.service)), new Set(['gw', 'b', 'c', 'd']));
    const missing = await call(k, '/__admin/observability/traces/0123456789abcdef0123456789abcdef/critical-path');
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_OBSERVABILITY_TRACE_NOT_FOUND');
  } finally {
    await k.stop();
  }
});

it('percentiles per endpoint template and the slowest endpoints', async () => {
  const k = await start({ services: chain });
  try {
    for (let i = 0; i < 3; i++) await request(k, '/gw/go', 5);
    const eps = await call(k, '/__admin/observability/endpoints?service=d');
    assert.is(eps.status, 200);
    assert.is(eps.body.endpoints.length, 1);
    const d = eps.body.endpoints[0];
    assert.is(d.endpoint, 'GET /d/:id');
    assert.is(d.requests, 3);
    assert.ok(d.p50Ms >= 39 && d.p50Ms <= 41, `p50 ${d.p50Ms}`);
    assert.ok(d.p99Ms >= d.p50Ms);
    const slow = await call(k, '/__admin/observability/slowest?by=p99&limit=2');
    assert.equal(
      slow.body.endpoints.map((e: { service: string }) => e.service),
      ['gw', 'c'],
    );
    const bad = await call(k, '/__admin/observability/slowest?by=p42');
    assert.is(bad.status, 400);
  } finally {
    await k.stop();
  }
});

it('burn rate = error ratio / (1 − objective) over each window, with the SLO from config; every window above the threshold pages', async () => {
  const k = await start({ services: chain, observability: { slo: { services: { d: { objective: 0.9, p99Ms: 50 } } } } });
  try {
    for (let i = 0; i < 3; i++) await request(k, '/d/d/1', 5);
    await request(k, '/d/boom', 5);
    const slo = await call(k, '/__admin/observability/slo?service=d');
    assert.is(slo.status, 200);
    const d = slo.body.services[0];
    assert.is(d.source, 'config');
    assert.is(d.objective, 0.9);
    assert.is(d.p99Ms, 50);
    assert.equal(
      d.windows.map((w: { windowMs: number }) => w.windowMs),
      [300_000, 3_600_000],
    );
    const w5 = d.windows[0];
    assert.is(w5.requests, 4);
    assert.is(w5.errors, 1);
    assert.ok(Math.abs(w5.burnRate - 0.25 / 0.1) < 1e-9, `burn ${w5.burnRate}`);
    assert.is(d.alert, 'none'); // 2.5 < 14.4
    const gw = (await call(k, '/__admin/observability/slo')).body.services.find((s: { service: string }) => s.service === 'gw');
    assert.is(gw, undefined); // no requests to gw: no series
    // 6 minutes on: the 5 m window is empty, the hour still burns
    await k.advance(360_000);
    const later = (await call(k, '/__admin/observability/slo?service=d')).body.services[0];
    assert.is(later.windows[0].requests, 0);
    assert.is(later.windows[0].burnRate, 0);
    assert.is(later.windows[1].requests, 4);
  } finally {
    await k.stop();
  }
});

it('pages when every window burns faster than pageBurnRate', async () => {
  const k = await start({ services: chain, observability: { slo: { objective: 0.99 } } });
  try {
    await request(k, '/d/boom', 5);
    const d = (await call(k, '/__admin/observability/slo?service=d')).body.services[0];
    assert.is(d.source, 'default');
    assert.ok(Math.abs(d.windows[0].burnRate - 100) < 1e-6);
    assert.is(d.alert, 'page');
  } finally {
    await k.stop();
  }
});

it('a window of a service, by version and endpoint, through the route and window()', async () => {
  const k = await start({ services: chain });
  try {
    for (let i = 0; i < 4; i++) await request(k, '/gw/go', 5);
    const w = await call(k, '/__admin/observability/services/c/window?windowMs=60000');
    assert.is(w.status, 200);
    assert.is(w.body.requests, 4);
    assert.is(w.body.errors, 0);
    assert.ok(w.body.p50Ms > 25 && w.body.p50Ms <= 100, `p50 ${w.body.p50Ms}`);
    assert.is(w.body.histogram.at(-1)[0], null); // +Inf
    assert.is(w.body.histogram.reduce((n: number, [, c]: [number, number]) => n + c, 0), 4);
    const obs = k.resolve('observability');
    assert.is(obs.window('c', 60_000, { version: '2.0.0' }).requests, 4);
    assert.is(obs.window('c', 60_000, { version: '1.0.0' }).requests, 0);
    assert.is(obs.window('d', 60_000, { endpoint: 'GET /d/:id' }).requests, 4);
    assert.is(obs.window('d', 60_000, { endpoint: 'd' }).requests, 4);
    assert.is(obs.window('d', 60_000, { endpoint: 'boom' }).requests, 0);
    assert.is(obs.window('nobody', 60_000).requests, 0);
    const unknown = await call(k, '/__admin/observability/services/nobody/window');
    assert.is(unknown.status, 404);
    assert.is(unknown.body.code, 'US_OBSERVABILITY_UNKNOWN_SERVICE');
    assert.is(await obs.metric('understudy_requests_total', { service: 'c' }), 4);
    assert.is(await obs.metric('understudy_request_duration_seconds', { service: 'c' }), 4);
    assert.is(await obs.metric('understudy_request_duration_seconds_bucket', { service: 'c', le: '+Inf' }), 4);
    assert.is(await obs.metric('understudy_nothing_total'), undefined);
  } finally {
    await k.stop();
  }
});

/** A minimal well-formedness check: every tag closes in order, one root <svg>. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const tags = svg.replace(/<\?xml[^>]*>/, '').match(/<\/?[a-zA-Z][^>]*>/g) ?? [];
  for (const t of tags) {
    if (t.startsWith('</')) {
      if (stack.pop() !== t.slice(2, -1).trim()) return false;
    } else if (!t.endsWith('/>')) stack.push(/^<([a-zA-Z]+)/.exec(t)![1]!);
  }
  return stack.length === 0 && svg.trim().startsWith('<svg') && svg.trim().endsWith('</svg>');
}

it('draws latency over time as a small SVG with bounded points', async () => {
  const k = await start({ services: chain, observability: { analysis: { chartPoints: 5 }, windows: { resolutionMs: 1000 } } });
  try {
    for (let i = 0; i < 12; i++) {
      await request(k, '/gw/go', 5);
      await k.advance(1000);
    }
    const res = await fetch(`${k.baseUrl}/__admin/observability/services/d/latency.svg?windowMs=60000`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const svg = await res.text();
    assert.ok(wellFormed(svg), svg);
    assert.match(svg, /xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
    assert.is(lines.length, 3);
    for (const n of lines) assert.ok(n >= 2 && n <= 5, `${n} points`);
    assert.not.match(svg, /<script/);
    const empty = await (await fetch(`${k.baseUrl}/__admin/observability/services/d/latency.svg?windowMs=1`)).text();
    assert.ok(wellFormed(empty));
  } finally {
    await k.stop();
  }
});

it.run();
