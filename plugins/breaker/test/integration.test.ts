import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { call, start, svc } from './helpers.js';

const it = suite('breaker: through mesh over HTTP');

const small = { slidingWindowSize: 4, minimumNumberOfCalls: 4, waitDurationInOpenState: 10_000, permittedNumberOfCallsInHalfOpenState: 2 };
// the client → a breaker must not open from a's propagated 502s in these tests
const quietA = { services: { a: { slidingWindowSize: 1000, minimumNumberOfCalls: 1000 } } };
const KEY = 'a→b:go';

it('a → b opens after failures, short-circuits without reaching b, recovers through HALF_OPEN', async () => {
  const k = await start({ services: { a: svc({ calls: [{ service: 'b', endpoint: 'go' }] }), b: svc({ errorRate: 1 }) } }, { ...small, ...quietA });
  try {
    for (let i = 0; i < 4; i++) {
      const res = await call(k, '/a/');
      assert.is(res.status, 502);
      assert.is(res.body.failed.status, 500);
    }
    const opened = k.eventsOf('breaker.opened');
    assert.is(opened.length, 1);
    assert.equal(
      { ...(opened[0].data as object) },
      { key: KEY, caller: 'a', service: 'b', endpoint: 'go', from: 'CLOSED', to: 'OPEN', failureRate: 100, slowCallRate: 0, reason: 'failure rate 100% >= threshold 50%' },
    );
    const toB = () => k.seen.filter((s) => s.service === 'b' && s.status !== 503).length;
    assert.is(toB(), 4);
    const res = await call(k, '/a/');
    assert.is(res.status, 502);
    assert.equal(res.body.failed, { service: 'b', endpoint: 'go', status: 503, code: 'US_BREAKER_OPEN' });
    assert.is(toB(), 4); // b never saw it
    const shorted = k.seen.at(-2)!;
    assert.equal(shorted.breaker, { key: KEY, state: 'OPEN', shortCircuited: true });

    // b heals; the breaker stays OPEN until the wait is over
    const healed = await call(k, '/__admin/mesh/services/b', { method: 'PUT', json: svc() });
    assert.is(healed.status, 200);
    assert.is((await call(k, '/a/')).status, 502);
    await k.advance(10_000);
    assert.is((await call(k, '/a/')).status, 200); // first probe: OPEN → HALF_OPEN
    assert.is(k.eventsOf('breaker.halfOpened').length, 1);
    assert.is((await call(k, '/a/')).status, 200); // second probe → CLOSED
    const closed = k.eventsOf('breaker.closed');
    assert.is(closed.length, 1);
    assert.is((closed[0].data as { from: string }).from, 'HALF_OPEN');
    const view = (await call(k, `/__admin/breaker/${encodeURIComponent(KEY)}`)).body;
    assert.is(view.state, 'CLOSED');
    assert.equal(view.transitions.map((t: { to: string }) => t.to), ['OPEN', 'HALF_OPEN', 'CLOSED']);
  } finally {
    await k.stop();
  }
});

it('by default calls from outside the mesh are not guarded: only service-to-service calls get breakers', async () => {
  const k = await start({ services: { b: svc({ errorRate: 1 }) } }, { ...small, clientCalls: false });
  try {
    for (let i = 0; i < 6; i++) assert.is((await call(k, '/b/')).status, 500);
    assert.is(k.eventsOf('breaker.opened').length, 0);
    assert.equal((await call(k, '/__admin/breaker')).body.breakers, []);
  } finally {
    await k.stop();
  }
});

it('a direct call gets the 503 with the breaker headers and body', async () => {
  const k = await start({ services: { b: svc({ errorRate: 1 }) } }, small);
  try {
    for (let i = 0; i < 4; i++) assert.is((await call(k, '/b/')).status, 500);
    const res = await call(k, '/b/');
    assert.is(res.status, 503);
    assert.is(res.headers.get('x-understudy-breaker'), encodeURIComponent('client→b:go'));
    assert.is(res.headers.get('x-understudy-breaker-state'), 'OPEN');
    assert.is(res.body.code, 'US_BREAKER_OPEN');
    assert.match(res.body.message, 'Circuit breaker "client→b:go" is OPEN');
    assert.match(res.body.message, 'half-opens at 2025-01-01T00:00:10.000Z (in 10000 ms), on the first call after that');
  } finally {
    await k.stop();
  }
});

it('fallback policy applies while the breaker is open', async () => {
  const k = await start(
    { services: { a: svc({ calls: [{ service: 'b', endpoint: 'go', onFailure: 'fallback', fallback: { body: { cached: true } } }] }), b: svc({ errorRate: 1 }) } },
    small,
  );
  try {
    for (let i = 0; i < 4; i++) assert.is((await call(k, '/a/')).status, 200);
    const before = k.seen.filter((s) => s.service === 'b').length;
    const res = await call(k, '/a/');
    assert.is(res.status, 200);
    assert.equal(res.body.calls[0], { service: 'b', endpoint: 'go', mode: 'sync', outcome: 'fallback', status: 200, body: { cached: true } });
    const after = k.seen.filter((s) => s.service === 'b');
    assert.is(after.length, before + 1);
    assert.is(after.at(-1)!.status, 503); // short-circuited, not served by b
  } finally {
    await k.stop();
  }
});

it('flapping: opening again and again within the window is reported once', async () => {
  const k = await start({ services: { b: svc({ errorRate: 1 }) } }, { ...small, permittedNumberOfCallsInHalfOpenState: 1, flapping: { transitions: 3, windowMs: 60_000 } });
  try {
    for (let i = 0; i < 4; i++) await call(k, '/b/');
    for (let round = 0; round < 3; round++) {
      await k.advance(10_000);
      assert.is((await call(k, '/b/')).status, 500); // the probe fails → OPEN again
    }
    assert.is(k.eventsOf('breaker.opened').length, 4);
    const flapping = k.eventsOf('breaker.flapping');
    assert.is(flapping.length, 1);
    assert.is((flapping[0].data as { key: string }).key, 'client→b:go');
    const list = (await call(k, '/__admin/breaker')).body.breakers;
    assert.is(list[0].flapping, true);
    await k.advance(120_000);
    assert.is((await call(k, '/__admin/breaker')).body.breakers[0].flapping, false);
  } finally {
    await k.stop();
  }
});

it('automatic transition: HALF_OPEN when the wait is over, without a call', async () => {
  const k = await start({ services: { b: svc({ errorRate: 1 }) } }, { ...small, automaticTransitionFromOpenToHalfOpenEnabled: true, maxWaitDurationInHalfOpenState: 5000 });
  try {
    for (let i = 0; i < 4; i++) await call(k, '/b/');
    const res = await call(k, '/b/');
    assert.match(res.body.message, '(in 10000 ms).');
    await k.advance(10_000);
    assert.is(k.eventsOf('breaker.halfOpened').length, 1);
    await k.advance(5000); // no probe completed within maxWait → OPEN
    assert.is(k.eventsOf('breaker.opened').length, 2);
    const half = await call(k, '/__admin/breaker/client%E2%86%92b%3Ago');
    assert.is(half.body.state, 'OPEN');
    assert.is(half.body.halfOpenAt, Date.parse('2025-01-01T00:00:25.000Z'));
  } finally {
    await k.stop();
  }
});

it('HALF_OPEN with every permit in flight short-circuits; slow calls count', async () => {
  const k = await start(
    { services: { b: svc({ latency: { type: 'fixed', ms: 200 } }) } },
    { ...small, permittedNumberOfCallsInHalfOpenState: 1, slowCallDurationThreshold: 100, slowCallRateThreshold: 50 },
  );
  try {
    for (let i = 0; i < 4; i++) {
      const pending = call(k, '/b/');
      await k.untilTimers();
      await k.advance(200);
      assert.is((await pending).status, 200);
    }
    const opened = k.eventsOf('breaker.opened')[0].data as { slowCallRate: number; reason: string };
    assert.is(opened.slowCallRate, 100);
    assert.match(opened.reason, 'slow call rate');
    await k.advance(10_000);
    const probe = call(k, '/b/');
    await k.untilTimers();
    const rejected = await call(k, '/b/');
    assert.is(rejected.status, 503);
    assert.is(rejected.headers.get('x-understudy-breaker-state'), 'HALF_OPEN');
    assert.match(rejected.body.message, 'all 1 permitted calls are in flight');
    await k.advance(200);
    assert.is((await probe).status, 200);
    assert.is(k.eventsOf('breaker.opened').length, 2); // the slow probe re-opened it
  } finally {
    await k.stop();
  }
});

it('perInstance: one breaker per instance', async () => {
  const k = await start({ services: { b: svc({}, { instances: 2 }) } }, { perInstance: true });
  try {
    await call(k, '/b/');
    await call(k, '/b/');
    const keys = (await call(k, '/__admin/breaker')).body.breakers.map((b: { key: string }) => b.key).sort();
    assert.equal(keys, ['client→b:go@b-1', 'client→b:go@b-2']);
  } finally {
    await k.stop();
  }
});

it.run();
