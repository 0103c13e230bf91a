// Circuit-breaker decisions per second: Understudy's state machine vs opossum (v9), same
// run, same call pattern (part of test/bench/mesh.ts).
//
// What one "decision" is on each side (so the ratio is read honestly):
// - understudy: `tryAcquirePermission()` then `onResult(durationMs, failure)` on one
//   CircuitBreaker (count-based window of 100, minimum 100 calls, failure threshold 50 %),
//   synchronous — that is all the plugin's Guard and settled taps do per exchange.
// - opossum: `await breaker.fire()` of a trivial async function that resolves, or rejects
//   when the pattern says failure (errorThresholdPercentage 50, volumeThreshold 100,
//   timeout disabled, default 10 s rolling window, rollingPercentilesEnabled: false — with
//   latency percentiles on, opossum keeps every latency of the window and slows down as the
//   run grows, to under 5k fire()/s after 100k calls). fire() is opossum's only public way to
//   ask for permission and record the result together; it costs a promise per call,
//   which is inherent to its API.
// - "understudy + await" runs the same synchronous decision plus one awaited promise per
//   op, to show how much of the gap is the promise alone.
// Pattern: every 10th call fails (10 %), so both breakers stay CLOSED for the whole run.
import { CircuitBreaker, DEFAULT_BREAKER_CONFIG } from '@understudy/plugin-breaker';

const OPS = 1_000_000;
const failAt = (i: number) => i % 10 === 9;

interface OpossumBreaker {
  fire(...args: unknown[]): Promise<unknown>;
  shutdown(): void;
  opened: boolean;
}
type OpossumCtor = new (fn: (...args: unknown[]) => Promise<unknown>, options: Record<string, unknown>) => OpossumBreaker;

function understudyBreaker(): CircuitBreaker {
  return new CircuitBreaker({ ...DEFAULT_BREAKER_CONFIG, slidingWindowSize: 100, minimumNumberOfCalls: 100, failureRateThreshold: 50 }, { now: () => 0 });
}

function timeSync(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

function runUnderstudy(ops: number): void {
  const cb = understudyBreaker();
  let rejected = 0;
  for (let i = 0; i < ops; i++) {
    if (cb.tryAcquirePermission()) cb.onResult(1, failAt(i));
    else rejected++;
  }
  if (rejected !== 0 || cb.state !== 'CLOSED') throw new Error('understudy breaker left CLOSED');
}

async function runUnderstudyAwait(ops: number): Promise<void> {
  const cb = understudyBreaker();
  for (let i = 0; i < ops; i++) {
    await Promise.resolve();
    if (cb.tryAcquirePermission()) cb.onResult(1, failAt(i));
  }
}

async function runOpossum(Opossum: OpossumCtor, ops: number): Promise<void> {
  let i = 0;
  const fn = async () => {
    if (failAt(i)) throw new Error('fail');
    return 1;
  };
  const breaker = new Opossum(fn, { timeout: false, errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeout: 60_000, rollingPercentilesEnabled: false });
  try {
    for (i = 0; i < ops; i++) {
      try {
        await breaker.fire();
      } catch {
        // the failures of the pattern
      }
    }
    if (breaker.opened) throw new Error('opossum breaker opened');
  } finally {
    breaker.shutdown();
  }
}

async function loadOpossum(): Promise<OpossumCtor> {
  const name = 'opossum'; // untyped package: imported by name, typed above
  return ((await import(name)) as { default: OpossumCtor }).default;
}

/** Decisions (permission + recorded result) per second for each side, measured in this run. */
export async function benchBreakerDecisions(ops = OPS): Promise<{ understudy: number; understudyAwait: number; opossum: number }> {
  const Opossum = await loadOpossum();
  // warm-up
  runUnderstudy(ops / 10);
  await runOpossum(Opossum, ops / 10);
  const u = timeSync(() => runUnderstudy(ops));
  const ua = await timeAsync(() => runUnderstudyAwait(ops));
  const o = await timeAsync(() => runOpossum(Opossum, ops));
  return { understudy: (ops / u) * 1000, understudyAwait: (ops / ua) * 1000, opossum: (ops / o) * 1000 };
}
