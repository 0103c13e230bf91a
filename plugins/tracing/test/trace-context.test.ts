// Trace context as W3C Trace Context Level 2 says, end to end over real sockets: every call
// a mock service makes is sent as a real HTTP request to the kernel's own port by the
// http-hop test plugin, carrying exactly the headers tracing injected, and the receiving
// side continues the trace from them. Siblings get their own parent-id (a CLIENT span
// each); a request's flags and tracestate are its own, whatever an earlier request of the
// same trace carried; tracestate keeps what the spec lets it keep.
import { request as httpRequest } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import mesh from '@understudy/plugin-mesh';
import tracing, { type Span } from '../src/index.js';
import { chain, spy, svc } from './helpers.js';
import { httpHop } from './http-hop-plugin.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PID = '00f067aa0ba902b7';

async function startHop(tracingConfig: Record<string, unknown> = {}, services: Record<string, unknown> = chain) {
  const hop = httpHop();
  const k = await createTestKernel({ plugins: [mesh, tracing, hop.plugin], config: { mesh: { services }, tracing: tracingConfig } });
  return Object.assign(k, { sent: hop.sent });
}

const parentIdOf = (traceparent: string | undefined) => traceparent?.split('-')[2];
const flagsOf = (traceparent: string | undefined) => traceparent?.split('-')[3];

/** A GET with raw header lines (repeated names stay repeated on the wire). */
function rawGet(url: string, headers: string[]): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, headers: ['host', u.host, ...headers] }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const hops = suite('trace context over real HTTP hops');

hops('siblings get distinct parent-ids: a CLIENT span per call, and the receiving side continues from it', async () => {
  const k = await startHop({}, { a: svc(['b', 'c']), b: svc(['d']), c: svc(), d: svc() });
  try {
    const res = await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${TID}-${PID}-01` } });
    assert.is(res.status, 200);
    assert.equal(k.sent.map((s) => new URL(s.url).pathname), ['/b/', '/d/', '/c/']);
    const parentIds = k.sent.map((s) => parentIdOf(s.headers.traceparent));
    assert.is(new Set(parentIds).size, 3, `each outgoing request has its own parent-id: ${parentIds.join(', ')}`);
    for (const s of k.sent) assert.match(s.headers.traceparent!, new RegExp(`^00-${TID}-[0-9a-f]{16}-01$`));

    const spans = k.resolve('tracer').getTrace(TID)!.spans;
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const a = spans.find((s) => s.kind === 'server' && s.service === 'a')!;
    assert.is(a.parentSpanId, PID);
    assert.is(res.headers.get('traceparent'), `00-${TID}-${a.spanId}-01`);
    for (const [i, sent] of k.sent.entries()) {
      const call = byId.get(parentIds[i]!)!;
      assert.is(call.kind, 'client', `${sent.url}: its parent-id is a CLIENT span`);
      assert.is(call.caller, sent.caller);
      assert.is(call.attributes['url.full'], sent.url);
      // the CLIENT span hangs under the caller's SERVER span
      const caller = byId.get(call.parentSpanId!)!;
      assert.is(caller.kind, 'server');
      assert.is(caller.service, sent.caller);
      // the receiving side's SERVER span hangs under the CLIENT span, and knows its caller
      const served = spans.filter((s) => s.kind === 'server' && s.parentSpanId === call.spanId);
      assert.is(served.length, 1, `one SERVER span for ${sent.url}`);
      assert.is(served[0]!.service, call.service);
      assert.is(served[0]!.hops, 0, 'it arrived as a request of its own');
      assert.is(served[0]!.caller, sent.caller);
    }
    // 3 calls: 3 CLIENT spans, 4 SERVER spans (a, and b, c, d on the receiving side); none recorded twice
    assert.is(spans.filter((s) => s.kind === 'client').length, 3);
    assert.is(spans.filter((s) => s.kind === 'server').length, 4);

    const wf = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${TID}/waterfall`)).text();
    assert.match(wf, `trace ${TID}  7 span(s)`);
    assert.match(wf, /\n  a → GET b go 200 +\+/);
    assert.match(wf, /\n    GET b go 200 +\+/);
    assert.match(wf, /\n      b → GET d go 200 +\+/);
    assert.match(wf, /\n        GET d go 200 +\+/);
    assert.match(wf, /\n  a → GET c go 200 +\+/);
    const seq = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${TID}/sequence.mmd`)).text();
    assert.equal(
      seq.split('\n').filter((l) => /^  \w+->>/.test(l)),
      ['  client->>a: GET go', '  a->>b: GET go', '  b->>d: GET go', '  a->>c: GET go'],
      'the sequence diagram draws each call once',
    );

    const edges = (await fetchJson(`${k.baseUrl}/__admin/tracing/service-map`)).body.edges as Array<Record<string, any>>;
    const ab = edges.find((e) => e.caller === 'a' && e.service === 'b')!;
    assert.is(ab.client.calls, 1, "a's CLIENT span");
    assert.is(ab.server.calls, 1, "b's SERVER span, recorded where the request arrived");
    assert.is(ab.calls, 1);
  } finally {
    await k.stop();
  }
});

hops('siblings in one process too: each child request carries the id of its own CLIENT span', async () => {
  const s = spy();
  const k = await createTestKernel({ plugins: [mesh, tracing, s.plugin], config: { mesh: { services: { a: svc(['b', 'c', 'b']), b: svc(), c: svc() } } } });
  try {
    const res = await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${TID}-${PID}-01` } });
    assert.is(res.status, 200);
    const children = s.seen.filter((x) => x.hops === 1);
    assert.is(children.length, 3);
    const parentIds = children.map((x) => parentIdOf(x.traceparent));
    assert.is(new Set(parentIds).size, 3, parentIds.join(', '));
    const spans = k.resolve('tracer').getTrace(TID)!.spans;
    const a = spans.find((x) => x.service === 'a')!;
    for (const id of parentIds) {
      const call = spans.find((x) => x.spanId === id)!;
      assert.is(call.kind, 'client');
      assert.is(call.parentSpanId, a.spanId);
      assert.is(spans.filter((x) => x.kind === 'server' && x.parentSpanId === id).length, 1);
    }
  } finally {
    await k.stop();
  }
});

hops('a later request with the same trace id propagates its own tracestate and flags, in calls and in the response', async () => {
  const k = await startHop();
  try {
    const send = async (traceparent: string, tracestate?: string) => {
      const from = k.sent.length;
      const res = await fetch(`${k.baseUrl}/a`, { headers: { traceparent, ...(tracestate === undefined ? {} : { tracestate }) } });
      assert.is(res.status, 200);
      return { res, sent: k.sent.slice(from) };
    };
    const first = await send(`00-${TID}-${PID}-01`, 'rojo=00f067aa0ba902b7');
    const second = await send(`00-${TID}-${'1'.repeat(16)}-00`, 'congo=t61rcWkgMzE,rojo=2');
    const third = await send(`00-${TID}-${'2'.repeat(16)}-02`);
    const fourth = await send(`00-${TID}-${'3'.repeat(16)}-03`, 'x=1');

    for (const [r, flags, state] of [
      [first, '01', 'rojo=00f067aa0ba902b7'],
      [second, '00', 'congo=t61rcWkgMzE,rojo=2'],
      [third, '02', undefined],
      [fourth, '03', 'x=1'],
    ] as const) {
      assert.is(r.sent.length, 2, 'a→b and b→c');
      for (const s of r.sent) {
        assert.is(flagsOf(s.headers.traceparent), flags, `${s.url} of the request with flags ${flags}`);
        assert.is(s.headers.tracestate, state, `${s.url} of the request with flags ${flags}`);
      }
      assert.is(flagsOf(r.res.headers.get('traceparent')!), flags, 'the response traceparent');
    }
    // every span carries its own request's state
    const spans = k.resolve('tracer').getTrace(TID)!.spans;
    const ofRequest = (parent: string) => spans.find((s) => s.parentSpanId === parent)!;
    assert.is(ofRequest('1'.repeat(16)).flags, 0);
    assert.is(ofRequest('1'.repeat(16)).traceState, 'congo=t61rcWkgMzE,rojo=2');
    assert.is(ofRequest('2'.repeat(16)).flags, 2);
    assert.is(ofRequest('2'.repeat(16)).traceState, undefined);
    const callsOfSecond = spans.filter((s) => s.kind === 'client' && s.flags === 0);
    assert.is(callsOfSecond.length, 2);
    assert.ok(callsOfSecond.every((s) => s.traceState === 'congo=t61rcWkgMzE,rojo=2'));
    // the trace record keeps the first request's values, as documented
    assert.is(k.resolve('tracer').getTrace(TID)!.traceState, 'rojo=00f067aa0ba902b7');
  } finally {
    await k.stop();
  }
});

hops('a trace this plugin starts sets sampled and random-trace-id; every call carries both', async () => {
  const k = await startHop();
  try {
    const res = await fetch(`${k.baseUrl}/a`);
    assert.is(flagsOf(res.headers.get('traceparent')!), '03');
    assert.equal(k.sent.map((s) => flagsOf(s.headers.traceparent)), ['03', '03']);
  } finally {
    await k.stop();
  }
});

const state = suite('tracestate over the wire (Level 2)');

/** What the first call of a request carrying `tracestate` propagated. */
async function propagated(k: Awaited<ReturnType<typeof startHop>>, ...tracestate: string[]): Promise<string | undefined> {
  const from = k.sent.length;
  const lines = tracestate.flatMap((v) => ['tracestate', v]);
  const res = await rawGet(`${k.baseUrl}/a`, ['traceparent', `00-${TID}-${PID}-01`, ...lines]);
  assert.is(res.status, 200);
  const first = k.sent[from]!;
  assert.match(first.headers.traceparent!, TID);
  return first.headers.tracestate;
}

const members = (n: number, value = 'v') => Array.from({ length: n }, (_, i) => `k${String(i).padStart(2, '0')}=${value}`);

state('a bad list-member among good ones is dropped alone; duplicates keep the first; `@` anywhere after the first character; 256-character keys', async () => {
  const k = await startHop({}, { a: svc(['b']), b: svc() });
  try {
    assert.is(await propagated(k, 'foo=1,BAD=2,bar=3'), 'foo=1,bar=3');
    assert.is(await propagated(k, '@foo=1,bar=2'), 'bar=2');
    assert.is(await propagated(k, 'foo=bar=baz,ok=1'), 'ok=1');
    assert.is(await propagated(k, 'foo=,bar=3'), 'bar=3');
    assert.is(await propagated(k, 'foo=1,foo=2,bar=3'), 'foo=1,bar=3');
    assert.is(await propagated(k, 'foo=1', 'foo=2'), 'foo=1', 'two header lines with one key');
    assert.is(await propagated(k, 'foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'), 'foo=1,bar=2,rojo=1,congo=2,baz=3', 'header lines combined in order');
    assert.is(await propagated(k, 'foo@=1,foo@@bar=2,foo@bar@baz=3,1abc=4'), 'foo@=1,foo@@bar=2,foo@bar@baz=3,1abc=4');
    const t242 = `${'t'.repeat(242)}@v`;
    assert.is(await propagated(k, `foo=1,${t242}=1`), `foo=1,${t242}=1`, 'the Level 1 tenant/system limits are gone');
    const z256 = 'z'.repeat(256);
    assert.is(await propagated(k, 'foo=1', `${z256}=1`), `foo=1,${z256}=1`);
    assert.is(await propagated(k, 'foo=1', `${'z'.repeat(257)}=1`), 'foo=1', 'a 257-character key is dropped, not the header');
    assert.is(await propagated(k, 'foo= 1'), 'foo= 1', 'leading spaces of a value are kept');
    assert.is(await propagated(k, ' \t, '), undefined, 'an empty tracestate is not sent');
    const counters = k.resolve('tracer').counters();
    assert.is(counters.tracestateDropped, 7);
  } finally {
    await k.stop();
  }
});

state('more than 32 list-members: the first 32 go on; a long header is cut to 512 characters, whole entries, long ones first', async () => {
  const k = await startHop({}, { a: svc(['b']), b: svc() });
  try {
    assert.is(await propagated(k, members(33).join(',')), members(32).join(','));
    assert.is(await propagated(k, members(40).slice(0, 20).join(','), members(40).slice(20).join(',')), members(32).join(','));
    const long = `big=${'x'.repeat(200)}`;
    const small = members(30, 'y'.repeat(10));
    assert.is(await propagated(k, [small[0], long, ...small.slice(1)].join(',')), small.join(','));
    // a huge header (30 × 250 characters) never travels whole
    // a huge header (30 × 254 characters) never travels whole: long entries go from the right until it fits
    const huge = members(30, 'h'.repeat(250));
    assert.is(await propagated(k, huge.join(',')), huge.slice(0, 2).join(','));
    assert.is(k.resolve('tracer').counters().tracestateDropped, 1 + 8 + 1 + 28);
  } finally {
    await k.stop();
  }
});

state('strictTracestate: an invalid member or more than 32 drop the whole header; duplicates are still only deduplicated', async () => {
  const k = await startHop({ propagation: { strictTracestate: true } }, { a: svc(['b']), b: svc() });
  try {
    assert.is(await propagated(k, 'foo=1,BAD=2,bar=3'), undefined);
    assert.is(await propagated(k, '@foo=1,bar=2'), undefined);
    assert.is(await propagated(k, members(33).join(',')), undefined);
    assert.is(await propagated(k, 'foo=1', 'foo=2'), 'foo=1');
    assert.is(await propagated(k, 'foo@=1,bar=2'), 'foo@=1,bar=2');
  } finally {
    await k.stop();
  }
});

const sides = suite('client and server spans');

sides('a 4xx is an error of the CLIENT span, not of the SERVER span; the service map keeps both sides', async () => {
  const services = {
    a: { endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: [{ service: 'b', endpoint: 'go', onFailure: 'ignore' }] }] },
    b: svc([], { status: 404 }),
  };
  const k = await createTestKernel({ plugins: [mesh, tracing], config: { mesh: { services } } });
  try {
    const res = await fetch(`${k.baseUrl}/a`);
    assert.is(res.status, 200);
    const trace = k.resolve('tracer').getTrace(res.headers.get('x-understudy-trace-id')!)!;
    const call = trace.spans.find((s: Span) => s.kind === 'client')!;
    const b = trace.spans.find((s: Span) => s.kind === 'server' && s.service === 'b')!;
    assert.is(call.status, 404);
    assert.is(call.error, true, 'the caller did not get what it asked for (respondedWithError)');
    assert.is(b.error, false, 'the service did not fail (respondedWithServerError)');
    const edge = k.resolve('tracer').serviceMap().find((e) => e.caller === 'a' && e.service === 'b')!;
    assert.equal(edge.client, { calls: 1, errors: 1, p50: 0, p99: 0 });
    assert.equal(edge.server, { calls: 1, errors: 0, p50: 0, p99: 0 });
    assert.is(edge.errors, 1, "the edge's numbers are the caller's view");
    const root = k.resolve('tracer').serviceMap().find((e) => e.caller === 'client' && e.service === 'a')!;
    assert.is(root.client, undefined, 'an outside caller has no CLIENT span here');
    const wf = await (await fetch(`${k.baseUrl}/__admin/tracing/traces/${trace.traceId}/waterfall`)).text();
    assert.match(wf, /\n  a → GET b go 404 ! /);
    assert.match(wf, /\n    GET b go 404 +\+/);
  } finally {
    await k.stop();
  }
});

sides('over HTTP hops the OTLP export puts each side in its own instance resource: CLIENT (3) with the caller, SERVER (2) with the callee', async () => {
  const bodies: any[] = [];
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces`;
  const k = await startHop({ export: { otlp: { url } } }, { a: svc(['b']), b: svc() });
  try {
    await fetch(`${k.baseUrl}/a`, { headers: { traceparent: `00-${TID}-${PID}-01` } });
    await k.stop();
    const resources = bodies.flatMap((b) => b.resourceSpans) as any[];
    const find = (service: string) => resources.filter((r) => r.resource.attributes.some((a: any) => a.key === 'service.name' && a.value.stringValue === service));
    const a = find('a').flatMap((r) => r.scopeSpans[0].spans);
    const b = find('b').flatMap((r) => r.scopeSpans[0].spans);
    assert.equal(a.map((s: any) => s.kind).sort(), [2, 3]);
    assert.equal(b.map((s: any) => s.kind), [2]);
    for (const r of [...find('a'), ...find('b')]) {
      const instance = r.resource.attributes.find((x: any) => x.key === 'service.instance.id');
      assert.ok(instance, 'service.instance.id on the resource');
    }
    const call = a.find((s: any) => s.kind === 3);
    assert.is(b[0].parentSpanId, call.spanId);
    assert.is(b[0].flags & 0x300, 0x300, 'its parent is remote: it came in over HTTP');
    assert.is(call.flags & 0x300, 0x100, "a CLIENT span's parent is in-process");
    assert.ok(call.attributes.some((x: any) => x.key === 'url.full'));
  } finally {
    await k.stop();
    await new Promise((r) => server.close(r));
  }
});

hops.run();
state.run();
sides.run();
