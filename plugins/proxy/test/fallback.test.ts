// When the upstream fails: a known endpoint answers from the learner with
// X-Understudy-Fallback (upstream-timeout after timeouts.responseMs of kernel clock,
// upstream-error when refused or reset) and a `proxy.fallback` event; an unknown one gets a
// coded 502/504; fallback: false never mocks; failures are learned only with learnFailures;
// a body that breaks midway cuts the client's connection and is not learned.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { fakeLearner, startProxy, startUpstream } from './helpers.js';

const KNOWN = { 'GET /hang': {}, 'GET /reset': {}, 'GET /users/{userId}': {} };

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a timeout on the kernel clock falls back to the learned mock, said in X-Understudy-Fallback, with an event', async () => {
  const up = await startUpstream();
  const { learner } = fakeLearner(KNOWN);
  const k = await startProxy({ target: up.url, timeouts: { responseMs: 2000 } }, learner);
  try {
    const pending = fetchJson(`${k.baseUrl}/hang`);
    await k.untilTimers(1);
    await k.clock.advance(1999);
    assert.is(k.clock.pendingTimers(), 1, 'still waiting for the upstream');
    await k.clock.advance(1);
    const res = await pending;
    assert.is(res.status, 200);
    assert.is(res.headers.get('x-understudy-fallback'), 'upstream-timeout');
    assert.is(res.headers.get('x-understudy-mock'), 'synthesized');
    assert.equal(k.eventsOf('proxy.fallback').map((e) => e.data), [{ key: 'GET /hang', target: 'default', reason: 'upstream-timeout', failure: 'timeout' }]);
    const stats = (await fetchJson(`${k.baseUrl}/__admin/proxy/stats`)).body;
    assert.equal([stats.upstreamTimeouts, stats.fallbacks['upstream-timeout']], [1, 1]);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('refused and reset connections fall back with upstream-error; unknown endpoints get coded 502/504', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner(KNOWN);
  const k = await startProxy({ targets: [{ name: 'live', prefix: '/', url: up.url }, { name: 'dead', prefix: '/users', url: `http://127.0.0.1:${await deadPort()}` }], timeouts: { responseMs: 500 } }, learner);
  try {
    const reset = await fetchJson(`${k.baseUrl}/reset`);
    assert.equal([reset.status, reset.headers.get('x-understudy-fallback')], [200, 'upstream-error']);
    const refused = await fetchJson(`${k.baseUrl}/users/5`);
    assert.equal([refused.status, refused.headers.get('x-understudy-fallback')], [200, 'upstream-error']);
    assert.equal(refused.body.params, { userId: '5' });
    const unknown = await fetchJson(`${k.baseUrl}/users/5/orders`);
    assert.equal([unknown.status, unknown.body.code, unknown.body.target], [502, 'US_PROXY_UPSTREAM_ERROR', 'dead']);
    assert.match(unknown.body.message, 'connect');
    const pending = fetchJson(`${k.baseUrl}/hang?unknown=1`);
    await k.untilTimers(1);
    await k.clock.advance(500);
    assert.is((await pending).headers.get('x-understudy-fallback'), 'upstream-timeout');
    const failures = k.eventsOf('proxy.fallback').map((e) => e.data.failure);
    assert.equal(failures, ['reset', 'connect', 'timeout']);
    assert.is(observed.length, 0, 'failures are not learned by default');
    const targets = (await fetchJson(`${k.baseUrl}/__admin/proxy/targets`)).body.targets;
    assert.equal(targets.map((t: { name: string; errors: number }) => [t.name, t.errors]), [['dead', 2], ['live', 2]]);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('an unknown endpoint that times out gets 504 US_PROXY_UPSTREAM_TIMEOUT; fallback: false never mocks; learnFailures learns them', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner({});
  const k = await startProxy({ target: up.url, timeouts: { responseMs: 100 }, fallback: false, learnFailures: true }, learner);
  try {
    const pending = fetchJson(`${k.baseUrl}/hang`);
    await k.untilTimers(1);
    await k.clock.advance(100);
    const res = await pending;
    assert.equal([res.status, res.body.code], [504, 'US_PROXY_UPSTREAM_TIMEOUT']);
    assert.match(res.body.message, 'no response headers within 100 ms');
    assert.equal([observed[0]!.status, observed[0]!.failure, observed[0]!.latencyMs], [504, 'timeout', 100]);
    const reset = await fetchJson(`${k.baseUrl}/reset`);
    assert.is(reset.status, 502);
    assert.is(observed[1]!.failure, 'reset');
  } finally {
    await k.stop();
    await up.close();
  }
  const known = fakeLearner(KNOWN);
  const up2 = await startUpstream();
  const k2 = await startProxy({ target: up2.url, fallback: false }, known.learner);
  try {
    const res = await fetchJson(`${k2.baseUrl}/reset`);
    assert.equal([res.status, res.body.code], [502, 'US_PROXY_UPSTREAM_ERROR'], 'known, but fallback is off');
  } finally {
    await k2.stop();
    await up2.close();
  }
});

test('a body that breaks midway cuts the client off and is not learned; latency is measured on the kernel clock', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  // bufferBytes 0: every body is streamed, so the break reaches the client
  const k = await startProxy({ target: up.url, bufferBytes: 0 }, learner);
  try {
    const err = await fetch(`${k.baseUrl}/midway`).then((r) => r.text()).then(() => undefined, (e: Error) => e);
    assert.ok(err, 'the client sees the break');
    const stats = (await fetchJson(`${k.baseUrl}/__admin/proxy/stats`)).body;
    assert.is(stats.bodyAborted, 1);
    assert.is(observed.length, 0);
    await fetchJson(`${k.baseUrl}/ok`);
    assert.is(observed[0]!.latencyMs, 0, 'no kernel time passed');
    assert.is(observed[0]!.at, k.clock.now());
  } finally {
    await k.stop();
    await up.close();
  }
});

test('a small sized body is read whole before the answer: one that breaks is an upstream error (502), not learned', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  const k = await startProxy({ target: up.url }, learner);
  try {
    const res = await fetchJson(`${k.baseUrl}/midway`);
    assert.equal([res.status, res.body.code], [502, 'US_PROXY_UPSTREAM_ERROR']);
    const stats = (await fetchJson(`${k.baseUrl}/__admin/proxy/stats`)).body;
    assert.equal([stats.bodyAborted, stats.proxied, stats.upstreamErrors], [1, 0, 1]);
    assert.is(observed.length, 0);
    // a whole one is answered with its length, and learned
    const ok = await fetch(`${k.baseUrl}/sized`);
    const text = await ok.text();
    assert.equal(JSON.parse(text), { sized: true, url: '/sized' });
    assert.is(ok.headers.get('content-length'), String(Buffer.byteLength(text)));
    assert.is(ok.headers.get('transfer-encoding'), null);
    assert.is(observed[0]!.responseBody, text);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('a full learner queue is counted, never waited for', async () => {
  const up = await startUpstream();
  const double = fakeLearner();
  double.refuse();
  const k = await startProxy({ target: up.url }, double.learner);
  try {
    assert.is((await fetchJson(`${k.baseUrl}/a`)).status, 200);
    const stats = (await fetchJson(`${k.baseUrl}/__admin/proxy/stats`)).body;
    assert.equal([stats.observed, stats.observeDropped], [0, 1]);
    assert.is(stats.learner.learned, 0);
  } finally {
    await k.stop();
    await up.close();
  }
});

test.run();
