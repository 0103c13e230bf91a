import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CircuitBreaker, DEFAULT_BREAKER_CONFIG, SlidingWindow, type BreakerConfig, type Transition } from '../src/state-machine.js';

function make(overrides: Partial<BreakerConfig> = {}, historyLimit?: number) {
  const clock = { t: 0 };
  const seen: Transition[] = [];
  const cb = new CircuitBreaker(
    { ...DEFAULT_BREAKER_CONFIG, slidingWindowSize: 4, minimumNumberOfCalls: 4, waitDurationInOpenState: 1000, permittedNumberOfCallsInHalfOpenState: 2, ...overrides },
    { now: () => clock.t, onTransition: (t) => seen.push(t), historyLimit },
  );
  const call = (failure: boolean, ms = 0) => {
    const ok = cb.tryAcquirePermission();
    if (ok) cb.onResult(ms, failure);
    return ok;
  };
  return { cb, clock, seen, call };
}

const sm = suite('breaker: state machine');

sm('CLOSED → OPEN on the call that crosses the failure rate (count-based, minimum calls)', () => {
  const { cb, call, seen } = make();
  call(true);
  call(true);
  call(true);
  assert.is(cb.state, 'CLOSED'); // 3 < minimumNumberOfCalls
  assert.is(cb.metrics().failureRate, -1);
  call(false); // 3/4 = 75% >= 50%
  assert.is(cb.state, 'OPEN');
  assert.is(seen.length, 1);
  assert.match(seen[0].reason, 'failure rate 75% >= threshold 50%');
  // OPEN keeps the closed window's metrics
  assert.is(cb.metrics().failureRate, 75);
  assert.is(cb.halfOpenAt, 1000);
  assert.not.ok(cb.tryAcquirePermission());
  assert.is(cb.metrics().notPermittedCalls, 1);
  // results of in-flight calls in OPEN are ignored
  cb.onResult(0, true);
  assert.is(cb.metrics().bufferedCalls, 4);
});

sm('below the threshold stays CLOSED; the count window slides', () => {
  const { cb, call } = make();
  for (let i = 0; i < 200; i++) call(i % 4 === 0); // 25% failures
  assert.is(cb.state, 'CLOSED');
  assert.is(cb.metrics().bufferedCalls, 4);
  assert.is(cb.metrics().failureRate, 25);
  assert.is(cb.outcomes().length, 4);
});

sm('minimumNumberOfCalls is capped at a count-based window size', () => {
  const { cb, call } = make({ slidingWindowSize: 2, minimumNumberOfCalls: 10 });
  call(true);
  call(true);
  assert.is(cb.state, 'OPEN');
});

sm('slow calls open the breaker by slow-call rate', () => {
  const { cb, call, seen } = make({ slowCallDurationThreshold: 100, slowCallRateThreshold: 50 });
  call(false, 150);
  call(false, 100); // not slow: must be longer than the threshold
  call(false, 10);
  assert.is(cb.state, 'CLOSED');
  call(false, 500);
  assert.is(cb.state, 'OPEN');
  assert.match(seen[0].reason, 'slow call rate 50%');
});

sm('OPEN → HALF_OPEN on the first call after the wait; permits; → CLOSED', () => {
  const { cb, call, clock, seen } = make();
  for (let i = 0; i < 4; i++) call(true);
  clock.t = 999;
  assert.not.ok(call(false));
  assert.is(cb.state, 'OPEN'); // no automatic transition
  assert.is(cb.nextDeadline(), undefined);
  clock.t = 1000;
  assert.is(cb.state, 'OPEN');
  assert.ok(cb.tryAcquirePermission()); // first permit
  assert.is(cb.state, 'HALF_OPEN');
  assert.is(cb.halfOpenAt, undefined);
  assert.ok(cb.tryAcquirePermission()); // second permit
  assert.not.ok(cb.tryAcquirePermission()); // none left
  cb.onResult(0, false);
  assert.is(cb.state, 'HALF_OPEN');
  assert.is(cb.metrics().failureRate, -1);
  assert.is(cb.outcomes().length, 1);
  cb.onResult(0, true); // 50% >= 50 → OPEN again
  assert.is(cb.state, 'OPEN');
  assert.is(cb.metrics().failureRate, 50); // the half-open calls' metrics
  clock.t = 2000;
  assert.ok(call(false));
  assert.ok(call(false));
  assert.is(cb.state, 'CLOSED');
  assert.is(cb.metrics().bufferedCalls, 0);
  assert.equal(
    seen.map((t) => `${t.from}>${t.to}`),
    ['CLOSED>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>OPEN', 'OPEN>HALF_OPEN', 'HALF_OPEN>CLOSED'],
  );
});

sm('automatic transition OPEN → HALF_OPEN when time passes; maxWait in HALF_OPEN → OPEN', () => {
  const { cb, call, clock, seen } = make({ automaticTransitionFromOpenToHalfOpenEnabled: true, maxWaitDurationInHalfOpenState: 500 });
  for (let i = 0; i < 4; i++) call(true);
  assert.is(cb.nextDeadline(), 1000);
  clock.t = 1200;
  cb.refresh();
  assert.is(seen[1].to, 'HALF_OPEN');
  assert.is(seen[1].at, 1000);
  assert.is(cb.nextDeadline(), 1500);
  assert.ok(cb.tryAcquirePermission());
  clock.t = 1500;
  assert.is(cb.state, 'OPEN');
  assert.match(seen[2].reason, 'maxWaitDurationInHalfOpenState');
  assert.is(cb.halfOpenAt, 2500);
  // with both deadlines passed, one refresh runs OPEN → HALF_OPEN → OPEN
  clock.t = 10_000;
  cb.refresh();
  assert.equal(seen.slice(3).map((t) => [t.to, t.at]), [['HALF_OPEN', 2500], ['OPEN', 3000]]);
});

sm('HALF_OPEN without maxWait waits for every permitted call', () => {
  const { cb, call, clock } = make({ automaticTransitionFromOpenToHalfOpenEnabled: true });
  for (let i = 0; i < 4; i++) call(true);
  clock.t = 1_000_000;
  assert.is(cb.state, 'HALF_OPEN');
  assert.is(cb.nextDeadline(), undefined);
});

sm('FORCED_OPEN rejects, DISABLED permits and records nothing, close and reset', () => {
  const { cb, call, clock } = make();
  cb.forceOpen();
  assert.is(cb.state, 'FORCED_OPEN');
  clock.t = 1_000_000;
  assert.not.ok(call(false));
  assert.is(cb.halfOpenAt, undefined);
  cb.disable();
  assert.is(cb.state, 'DISABLED');
  for (let i = 0; i < 10; i++) assert.ok(call(true));
  assert.is(cb.metrics().bufferedCalls, 0);
  cb.close();
  assert.is(cb.state, 'CLOSED');
  call(true);
  cb.reset(); // already CLOSED: only the window is cleared
  assert.is(cb.metrics().bufferedCalls, 0);
  assert.is(cb.history.length, 3);
  cb.forceOpen('because');
  cb.reset();
  assert.is(cb.state, 'CLOSED');
  assert.is(cb.history.at(-1)!.reason, 'reset');
  assert.is(cb.metrics().notPermittedCalls, 0);
});

sm('time-based window: calls of the last N epoch seconds', () => {
  const { cb, call, clock } = make({ slidingWindowType: 'TIME_BASED', slidingWindowSize: 2, minimumNumberOfCalls: 3 });
  call(true);
  call(true);
  clock.t = 1500;
  call(false); // 2/3 failures ≥ 50%
  assert.is(cb.state, 'OPEN');
  cb.reset();
  call(true);
  call(true);
  clock.t = 2999; // seconds 1..2 are in the window
  assert.is(cb.metrics().bufferedCalls, 2);
  clock.t = 3000; // seconds 2..3: second 1 left the window
  assert.is(cb.metrics().bufferedCalls, 0);
  call(true);
  call(false);
  call(false);
  assert.is(cb.state, 'CLOSED'); // 1/3
  assert.is(Math.round(cb.metrics().failureRate), 33);
  assert.is(cb.config.slidingWindowType, 'TIME_BASED');
});

sm('configure keeps the state, empties the windows; history is bounded; no listener is fine', () => {
  const { cb, call } = make({}, 2);
  call(true);
  cb.configure({ ...cb.config, failureRateThreshold: 100 });
  assert.is(cb.metrics().bufferedCalls, 0);
  for (let i = 0; i < 4; i++) call(i < 3);
  assert.is(cb.state, 'CLOSED'); // 75% < 100%
  cb.forceOpen();
  cb.disable();
  cb.close();
  assert.equal(cb.history.map((t) => t.to), ['DISABLED', 'CLOSED']);
  const bare = new CircuitBreaker(DEFAULT_BREAKER_CONFIG, { now: () => 0 });
  bare.forceOpen();
  assert.is(bare.state, 'FORCED_OPEN');
});

sm('sliding window compacts its storage', () => {
  const w = new SlidingWindow(false, 3, 3);
  for (let i = 0; i < 500; i++) w.add({ at: i, durationMs: 1, failure: i % 2 === 0, slow: i % 5 === 0 });
  assert.is(w.calls, 3);
  assert.equal(w.contents().map((o) => o.at), [497, 498, 499]);
  assert.is(w.failed, 1);
  assert.is(w.slow, 0);
  assert.is(w.rate(w.failed), 100 / 3);
});

sm.run();
