// A node's resource budget: a bounded FIFO queue drained by a token bucket at
// `ratePerSecond` on the kernel clock. What does not fit is dropped or sampled by the
// overflow policy and counted. "Over budget" starts with the first reading that does not
// fit and ends when the queue has drained below half — one episode, not one per reading.
import type { BudgetSpec } from './contract.js';

export const DEFAULT_BUDGET: BudgetSpec = { queueLength: 1000, ratePerSecond: 1000, overflow: 'drop-newest', sampleEvery: 10 };

export type Offer = 'queued' | 'dropped' | 'sampledOut';

export class Budget<T> {
  private items: (T | undefined)[];
  private head = 0;
  private size = 0;
  private tokens: number;
  private refilledAt: number;
  /** Arrivals seen since this over-budget episode began (for 1-in-N sampling). */
  private arrivalsOverBudget = 0;
  overloaded = false;
  dropped = 0;
  sampledOut = 0;

  constructor(
    private spec: BudgetSpec,
    now: number,
    /** Burst the bucket holds: the budget of one processing tick. */
    private readonly tickMs = 100,
  ) {
    this.items = new Array(spec.queueLength);
    this.tokens = this.capacity();
    this.refilledAt = now;
  }

  get settings(): BudgetSpec {
    return { ...this.spec };
  }

  get depth(): number {
    return this.size;
  }

  /** The oldest queued item, if any. */
  peek(): T | undefined {
    return this.size ? this.items[this.head] : undefined;
  }

  /**
   * Queue an arriving item. `evicted` is an older item pushed out to make room
   * (drop-oldest, sample); `started` is true when this arrival began an over-budget episode.
   */
  offer(item: T): { outcome: Offer; evicted?: T; started: boolean } {
    const wasOverloaded = this.overloaded;
    const full = this.size >= this.spec.queueLength;
    let outcome: Offer = 'queued';
    let evicted: T | undefined;
    if (this.spec.overflow === 'sample' && (full || this.overloaded)) {
      if (!this.overloaded) this.arrivalsOverBudget = 0;
      this.overloaded = true;
      if (++this.arrivalsOverBudget % this.spec.sampleEvery !== 0) {
        this.sampledOut++;
        outcome = 'sampledOut';
      } else if (full) evicted = this.shift();
    } else if (full) {
      this.overloaded = true;
      if (this.spec.overflow === 'drop-newest') outcome = 'dropped';
      else evicted = this.shift();
    }
    if (evicted !== undefined) this.dropped++;
    if (outcome === 'dropped') this.dropped++;
    if (outcome === 'queued') this.push(item);
    return { outcome, evicted, started: this.overloaded && !wasOverloaded };
  }

  /** The next item to process, when one is queued and the rate allows it now. */
  take(now: number): T | undefined {
    if (this.size === 0) return undefined;
    this.refill(now);
    if (this.tokens < 1) return undefined;
    this.tokens--;
    return this.shift();
  }

  /** True once when an over-budget episode ends (the queue drained below half). */
  recovered(): boolean {
    if (!this.overloaded || this.size >= this.spec.queueLength / 2) return false;
    this.overloaded = false;
    return true;
  }

  /** Change the budget live; items beyond a smaller queue are dropped by the policy and returned. */
  configure(spec: BudgetSpec, now: number): T[] {
    this.refill(now);
    const queued: T[] = [];
    while (this.size) queued.push(this.shift()!);
    const excess = Math.max(0, queued.length - spec.queueLength);
    // drop-newest keeps the oldest readings; the other policies keep the newest
    const lost = spec.overflow === 'drop-newest' ? queued.splice(queued.length - excess, excess) : queued.splice(0, excess);
    this.spec = { ...spec };
    this.items = new Array(spec.queueLength);
    this.head = 0;
    for (const item of queued) this.push(item);
    this.tokens = Math.min(this.tokens, this.capacity());
    this.dropped += lost.length;
    if (lost.length) this.overloaded = true;
    return lost;
  }

  /** Empty the queue (the node is removed); returns what was queued. */
  clear(): T[] {
    const out: T[] = [];
    while (this.size) out.push(this.shift()!);
    return out;
  }

  private capacity(): number {
    return Math.max(1, (this.spec.ratePerSecond * this.tickMs) / 1000);
  }

  private refill(now: number): void {
    const elapsed = now - this.refilledAt;
    this.refilledAt = now;
    if (elapsed > 0) this.tokens = Math.min(this.capacity(), this.tokens + (elapsed * this.spec.ratePerSecond) / 1000);
  }

  private push(item: T): void {
    this.items[(this.head + this.size++) % this.items.length] = item;
  }

  private shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    return item;
  }
}
