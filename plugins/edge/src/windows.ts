// Windowed aggregation over one sensor of a node. Readings land in buckets of `slideMs`
// (epoch-aligned); a window [end - sizeMs, end) is emitted for every end that is a
// multiple of slideMs, once the clock (the caller's watermark) has passed it — so an
// idle window still closes. A tumbling window is a sliding one with slideMs = sizeMs.

interface Bucket {
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  minDevice: string;
  maxDevice: string;
  devices: Set<string>;
}

export interface WindowResult {
  start: number;
  end: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  /** Device that produced the minimum (first one on a tie). */
  minDevice: string;
  maxDevice: string;
  devices: Set<string>;
}

export class WindowAggregator {
  private readonly buckets: Bucket[] = [];
  /** End of the last window emitted (windows never reopen). */
  private lastEnd = -Infinity;
  /** Readings that arrived for a window already emitted (cannot happen with a FIFO queue). */
  late = 0;

  constructor(
    readonly sizeMs: number,
    readonly slideMs: number = sizeMs,
  ) {}

  /** Buckets held (bounded by sizeMs / slideMs plus those not yet closed). */
  get open(): number {
    return this.buckets.length;
  }

  add(at: number, value: number, deviceId: string): boolean {
    const start = Math.floor(at / this.slideMs) * this.slideMs;
    if (start + this.slideMs <= this.lastEnd) {
      this.late++;
      return false;
    }
    let bucket = this.buckets.at(-1);
    if (!bucket || bucket.start !== start) {
      // arrival times only grow, so a new bucket is almost always the newest
      let i = this.buckets.length;
      while (i > 0 && this.buckets[i - 1].start > start) i--;
      if (i > 0 && this.buckets[i - 1].start === start) bucket = this.buckets[i - 1];
      else {
        bucket = { start, count: 0, sum: 0, min: Infinity, max: -Infinity, minDevice: deviceId, maxDevice: deviceId, devices: new Set() };
        this.buckets.splice(i, 0, bucket);
      }
    }
    bucket.count++;
    bucket.sum += value;
    if (value < bucket.min) [bucket.min, bucket.minDevice] = [value, deviceId];
    if (value > bucket.max) [bucket.max, bucket.maxDevice] = [value, deviceId];
    bucket.devices.add(deviceId);
    return true;
  }

  /** Every window ending at or before `watermark` not emitted yet, oldest first; empty windows are skipped. */
  close(watermark: number): WindowResult[] {
    const out: WindowResult[] = [];
    if (this.buckets.length === 0) return out;
    const lastPossible = this.buckets[this.buckets.length - 1].start + this.sizeMs;
    let end = Math.max(this.lastEnd + this.slideMs, this.buckets[0].start + this.slideMs);
    for (; end <= watermark && end <= lastPossible; end += this.slideMs) {
      const result = this.merge(end - this.sizeMs, end);
      if (result) out.push(result);
      this.lastEnd = end;
    }
    // a bucket is needed until the last window that covers it (ending at start + size) is out
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop].start + this.sizeMs <= this.lastEnd) drop++;
    if (drop) this.buckets.splice(0, drop);
    return out;
  }

  private merge(start: number, end: number): WindowResult | undefined {
    let result: WindowResult | undefined;
    for (const b of this.buckets) {
      if (b.start < start) continue;
      if (b.start >= end) break;
      if (!result) {
        result = { start, end, count: 0, sum: 0, min: b.min, max: b.max, mean: 0, minDevice: b.minDevice, maxDevice: b.maxDevice, devices: new Set() };
      }
      result.count += b.count;
      result.sum += b.sum;
      if (b.min < result.min) [result.min, result.minDevice] = [b.min, b.minDevice];
      if (b.max > result.max) [result.max, result.maxDevice] = [b.max, b.maxDevice];
      for (const d of b.devices) result.devices.add(d);
    }
    if (result) result.mean = result.sum / result.count;
    return result;
  }
}
