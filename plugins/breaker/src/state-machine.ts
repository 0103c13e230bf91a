// One circuit breaker with resilience4j's semantics, pure: time comes from an injected
// `now()`, nothing is scheduled here. Written for this project (resilience4j's
// CircuitBreakerStateMachine is the model; no code is shared).
//
// CLOSED    every call permitted; outcomes go to the sliding window (last N calls, or the
//           calls of the last N epoch seconds). Once the window holds minimumNumberOfCalls,
//           a failure rate or slow-call rate >= its threshold opens the breaker — on the
//           call that crosses it.
// OPEN      calls rejected until waitDurationInOpenState has passed; then the first call
//           moves it to HALF_OPEN (or the clock does, with
//           automaticTransitionFromOpenToHalfOpenEnabled — the owner calls refresh()).
// HALF_OPEN permittedNumberOfCallsInHalfOpenState permits; once they are all recorded the
//           rates over them decide OPEN or CLOSED. maxWaitDurationInHalfOpenState > 0 goes
//           back to OPEN when the probes take longer than that.
// FORCED_OPEN / DISABLED  reject all / permit all, nothing recorded, until closed or reset.

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'FORCED_OPEN' | 'DISABLED';

export interface BreakerConfig {
  slidingWindowType: 'COUNT_BASED' | 'TIME_BASED';
  /** Calls (count-based) or seconds (time-based). */
  slidingWindowSize: number;
  minimumNumberOfCalls: number;
  /** Percent. */
  failureRateThreshold: number;
  /** Percent. */
  slowCallRateThreshold: number;
  /** ms; a call longer than this is slow. */
  slowCallDurationThreshold: number;
  /** ms. */
  waitDurationInOpenState: number;
  permittedNumberOfCallsInHalfOpenState: number;
  /** ms; 0 = wait for every permitted call. */
  maxWaitDurationInHalfOpenState: number;
  automaticTransitionFromOpenToHalfOpenEnabled: boolean;
}

/** resilience4j's defaults. */
export const DEFAULT_BREAKER_CONFIG: Readonly<BreakerConfig> = Object.freeze({
  slidingWindowType: 'COUNT_BASED',
  slidingWindowSize: 100,
  minimumNumberOfCalls: 100,
  failureRateThreshold: 50,
  slowCallRateThreshold: 100,
  slowCallDurationThreshold: 60_000,
  waitDurationInOpenState: 60_000,
  permittedNumberOfCallsInHalfOpenState: 10,
  maxWaitDurationInHalfOpenState: 0,
  automaticTransitionFromOpenToHalfOpenEnabled: false,
});

export interface Outcome {
  /** When it was recorded (clock ms). */
  at: number;
  durationMs: number;
  failure: boolean;
  slow: boolean;
}

export interface Transition {
  from: BreakerState;
  to: BreakerState;
  at: number;
  reason: string;
}

export interface BreakerMetrics {
  /** Percent; -1 until the window holds the minimum number of calls (as resilience4j). */
  failureRate: number;
  /** Percent; -1 until the window holds the minimum number of calls. */
  slowCallRate: number;
  bufferedCalls: number;
  failedCalls: number;
  slowCalls: number;
  notPermittedCalls: number;
}

/** Outcomes of the last `size` calls, or of the last `size` epoch seconds. */
export class SlidingWindow {
  private items: Outcome[] = [];
  private head = 0;
  failed = 0;
  slow = 0;

  constructor(
    readonly timeBased: boolean,
    readonly size: number,
    readonly minimumCalls: number,
  ) {}

  get calls(): number {
    return this.items.length - this.head;
  }

  add(outcome: Outcome): void {
    this.items.push(outcome);
    if (outcome.failure) this.failed++;
    if (outcome.slow) this.slow++;
    this.evict(outcome.at);
  }

  /** Drop what fell out of the window. */
  evict(now: number): void {
    const oldestKept = Math.floor(now / 1000) - this.size + 1;
    while (this.calls > 0) {
      const first = this.items[this.head];
      const stale = this.timeBased ? Math.floor(first.at / 1000) < oldestKept : this.calls > this.size;
      if (!stale) break;
      this.head++;
      if (first.failure) this.failed--;
      if (first.slow) this.slow--;
    }
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  rate(count: number): number {
    return this.calls < this.minimumCalls ? -1 : (count * 100) / this.calls;
  }

  contents(): Outcome[] {
    return this.items.slice(this.head);
  }
}

export interface CircuitBreakerOptions {
  now: () => number;
  /** Told about every transition, after it happened. */
  onTransition?: (transition: Transition) => void;
  /** Transitions kept for `history` (default 20). */
  historyLimit?: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'CLOSED';
  private closedWindow!: SlidingWindow;
  private halfOpenWindow!: SlidingWindow;
  /** OPEN keeps the metrics of the state it came from (as resilience4j). */
  private openWindow!: SlidingWindow;
  private permits = 0;
  private openUntil = 0;
  private halfOpenSince = 0;
  private notPermitted = 0;
  readonly history: Transition[] = [];
  private readonly now: () => number;
  private readonly onTransition?: (transition: Transition) => void;
  private readonly historyLimit: number;
  private cfg!: BreakerConfig;

  constructor(config: BreakerConfig, options: CircuitBreakerOptions) {
    this.now = options.now;
    this.onTransition = options.onTransition;
    this.historyLimit = options.historyLimit ?? 20;
    this.configure(config);
  }

  get config(): BreakerConfig {
    return this.cfg;
  }

  /** Replace the config; the windows start empty, the state is kept. */
  configure(config: BreakerConfig): void {
    this.cfg = { ...config };
    this.newClosedWindow();
    this.openWindow = this.closedWindow;
    this.newHalfOpenWindow();
  }

  private newClosedWindow(): void {
    const { slidingWindowType, slidingWindowSize: size, minimumNumberOfCalls: min } = this.cfg;
    const timeBased = slidingWindowType === 'TIME_BASED';
    // as resilience4j: a count-based window never needs more calls than it holds
    this.closedWindow = new SlidingWindow(timeBased, size, timeBased ? min : Math.min(min, size));
  }

  /** The state now (applies the time-driven transitions that are due). */
  get state(): BreakerState {
    this.refresh();
    return this.current;
  }

  /** When an OPEN breaker lets the next call through (undefined in other states). */
  get halfOpenAt(): number | undefined {
    return this.state === 'OPEN' ? this.openUntil : undefined;
  }

  /**
   * Apply the time-driven transitions that are due: OPEN → HALF_OPEN (automatic transition
   * only) and HALF_OPEN → OPEN (maxWaitDurationInHalfOpenState). The owner calls this from
   * a timer so they happen on time.
   */
  refresh(): void {
    if (this.current === 'OPEN' && this.cfg.automaticTransitionFromOpenToHalfOpenEnabled && this.now() >= this.openUntil) {
      this.transition('HALF_OPEN', 'waitDurationInOpenState elapsed (automatic transition)', this.openUntil);
    }
    const maxWait = this.cfg.maxWaitDurationInHalfOpenState;
    if (this.current === 'HALF_OPEN' && maxWait > 0 && this.now() >= this.halfOpenSince + maxWait) {
      this.transition('OPEN', 'maxWaitDurationInHalfOpenState elapsed before the permitted calls completed', this.halfOpenSince + maxWait);
    }
  }

  /** The next moment refresh() has work to do, if any. */
  nextDeadline(): number | undefined {
    const state = this.state;
    if (state === 'OPEN' && this.cfg.automaticTransitionFromOpenToHalfOpenEnabled) return this.openUntil;
    if (state === 'HALF_OPEN' && this.cfg.maxWaitDurationInHalfOpenState > 0) return this.halfOpenSince + this.cfg.maxWaitDurationInHalfOpenState;
    return undefined;
  }

  /** May a call go ahead? A permitted call must be recorded with onResult(). */
  tryAcquirePermission(): boolean {
    switch (this.state) {
      case 'CLOSED':
      case 'DISABLED':
        return true;
      case 'OPEN':
        if (this.now() >= this.openUntil) {
          this.transition('HALF_OPEN', 'waitDurationInOpenState elapsed', this.now());
          return this.tryAcquirePermission();
        }
        break;
      case 'HALF_OPEN':
        if (this.permits > 0) {
          this.permits--;
          return true;
        }
        break;
    }
    this.notPermitted++;
    return false;
  }

  /** Record a permitted call's outcome; may transition (synchronously). */
  onResult(durationMs: number, failure: boolean): void {
    const state = this.state;
    if (state !== 'CLOSED' && state !== 'HALF_OPEN') return;
    const at = this.now();
    const outcome: Outcome = { at, durationMs, failure, slow: durationMs > this.cfg.slowCallDurationThreshold };
    const window = state === 'CLOSED' ? this.closedWindow : this.halfOpenWindow;
    window.add(outcome);
    const verdict = this.verdict(window);
    if (verdict) this.transition('OPEN', verdict, at);
    else if (state === 'HALF_OPEN' && window.calls >= window.minimumCalls) {
      this.transition('CLOSED', 'the permitted calls in HALF_OPEN were below the thresholds', at);
    }
  }

  /** Why the window's rates open the breaker, or undefined. */
  private verdict(window: SlidingWindow): string | undefined {
    const failureRate = window.rate(window.failed);
    const slowRate = window.rate(window.slow);
    if (failureRate >= 0 && failureRate >= this.cfg.failureRateThreshold) {
      return `failure rate ${round(failureRate)}% >= threshold ${this.cfg.failureRateThreshold}%`;
    }
    if (slowRate >= 0 && slowRate >= this.cfg.slowCallRateThreshold) {
      return `slow call rate ${round(slowRate)}% >= threshold ${this.cfg.slowCallRateThreshold}%`;
    }
    return undefined;
  }

  metrics(): BreakerMetrics {
    const window = this.activeWindow();
    return {
      failureRate: window.rate(window.failed),
      slowCallRate: window.rate(window.slow),
      bufferedCalls: window.calls,
      failedCalls: window.failed,
      slowCalls: window.slow,
      notPermittedCalls: this.notPermitted,
    };
  }

  /** The outcomes in the window the current state uses. */
  outcomes(): Outcome[] {
    return this.activeWindow().contents();
  }

  private activeWindow(): SlidingWindow {
    const state = this.state;
    const window = state === 'HALF_OPEN' ? this.halfOpenWindow : state === 'OPEN' ? this.openWindow : this.closedWindow;
    window.evict(this.now());
    return window;
  }

  forceOpen(reason = 'forced open'): void {
    this.transition('FORCED_OPEN', reason, this.now());
  }

  close(reason = 'forced closed'): void {
    this.transition('CLOSED', reason, this.now());
  }

  disable(reason = 'disabled'): void {
    this.transition('DISABLED', reason, this.now());
  }

  /** Back to CLOSED with empty windows and counters. */
  reset(): void {
    this.notPermitted = 0;
    if (this.current !== 'CLOSED') this.transition('CLOSED', 'reset', this.now());
    this.configure(this.cfg);
  }

  private newHalfOpenWindow(): void {
    const permitted = this.cfg.permittedNumberOfCallsInHalfOpenState;
    this.halfOpenWindow = new SlidingWindow(false, permitted, permitted);
    this.permits = permitted;
  }

  private transition(to: BreakerState, reason: string, at: number): void {
    const from = this.current;
    this.current = to;
    if (to === 'OPEN') {
      this.openUntil = at + this.cfg.waitDurationInOpenState;
      this.openWindow = from === 'HALF_OPEN' ? this.halfOpenWindow : this.closedWindow;
    }
    if (to === 'HALF_OPEN') {
      this.halfOpenSince = at;
      this.newHalfOpenWindow();
    }
    if (to === 'CLOSED') this.newClosedWindow();
    const transition = { from, to, at, reason };
    this.history.push(transition);
    if (this.history.length > this.historyLimit) this.history.shift();
    this.onTransition?.(transition);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
