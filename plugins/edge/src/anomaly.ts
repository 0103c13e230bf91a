// Z-score anomaly detection per series (device + sensor): a reading is judged against
// the mean and standard deviation of the series' last `window` readings before it,
// then joins the window (so a lasting shift becomes the new normal).
import type { AnomalySpec } from './contract.js';

/** The last `capacity` values with their running sum and sum of squares. */
export class RollingStats {
  private readonly values: number[];
  private next = 0;
  private size = 0;
  private sum = 0;
  private sumSq = 0;
  private sinceResync = 0;

  constructor(readonly capacity: number) {
    this.values = new Array(capacity).fill(0);
  }

  get count(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.capacity) {
      const old = this.values[this.next];
      this.sum -= old;
      this.sumSq -= old * old;
    } else this.size++;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.sum += value;
    this.sumSq += value * value;
    // running sums drift by rounding; recompute them once per window
    if (++this.sinceResync >= this.capacity) this.resync();
  }

  mean(): number {
    return this.size ? this.sum / this.size : 0;
  }

  /** Population standard deviation. */
  std(): number {
    if (this.size === 0) return 0;
    const m = this.mean();
    return Math.sqrt(Math.max(0, this.sumSq / this.size - m * m));
  }

  private resync(): void {
    this.sinceResync = 0;
    this.sum = 0;
    this.sumSq = 0;
    for (let i = 0; i < this.size; i++) {
      const v = this.values[i];
      this.sum += v;
      this.sumSq += v * v;
    }
  }
}

export interface Anomaly {
  value: number;
  z: number;
  mean: number;
  std: number;
}

export class ZScoreDetector {
  private readonly series = new Map<string, RollingStats>();
  private readonly minSamples: number;
  private readonly minStd: number;

  constructor(private readonly spec: AnomalySpec) {
    this.minSamples = Math.min(spec.minSamples ?? spec.window, spec.window);
    this.minStd = spec.minStd ?? 0;
  }

  /** The anomaly, when `value` is one; the value joins the series' window either way. */
  check(series: string, value: number): Anomaly | undefined {
    let stats = this.series.get(series);
    if (!stats) this.series.set(series, (stats = new RollingStats(this.spec.window)));
    let found: Anomaly | undefined;
    if (stats.count >= this.minSamples) {
      const mean = stats.mean();
      const std = Math.max(stats.std(), this.minStd);
      // a perfectly flat series has no spread to measure a distance in (see minStd)
      if (std > 0) {
        const z = (value - mean) / std;
        if (Math.abs(z) >= this.spec.zScore) found = { value, z, mean, std };
      }
    }
    stats.push(value);
    return found;
  }
}
