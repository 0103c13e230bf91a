// Processing latency (kernel-clock ms from enqueue to processed): percentiles over the
// most recent readings in a bounded buffer, count and max since start.
import { RingBuffer } from '@understudy/plugin-sdk';
import type { LatencyStats } from './contract.js';

export class LatencyTracker {
  private readonly recent: RingBuffer<number>;
  private count = 0;
  private max = 0;
  private overTarget = 0;

  constructor(
    readonly targetMs: number,
    samples = 1024,
  ) {
    this.recent = new RingBuffer(samples);
  }

  record(ms: number): void {
    this.recent.push(ms);
    this.count++;
    if (ms > this.max) this.max = ms;
    if (ms > this.targetMs) this.overTarget++;
  }

  stats(): LatencyStats {
    const sorted = this.recent.toArray().sort((a, b) => a - b);
    // nearest-rank percentile
    const at = (p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
    return { count: this.count, p50: at(50), p95: at(95), p99: at(99), max: this.max, targetMs: this.targetMs, overTarget: this.overTarget };
  }
}
