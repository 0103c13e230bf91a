// Latency as a distribution: an HDR histogram (hdr-histogram-js) of whole milliseconds with
// 3 significant digits (exact to 1 ms up to 2 s, 0.1 % above), auto-resizing, so long
// tails keep their shape; an EMA beside it for users who asked for one. `sample()` replays
// the distribution by inverse-CDF: a uniform draw picks a recorded bucket by its cumulative
// count, then a point inside the bucket (so replayed values are continuous, not stuck on
// bucket edges). The histogram is stored encoded (compressed base64: a few hundred bytes
// for a typical endpoint) in EndpointModel.latencyHistogram; values are milliseconds, so
// any reader can decode it with hdr-histogram-js directly.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Random } from '@understudy/plugin-sdk';
import type { LatencySummary } from './types.js';

/** Weight of the newest sample in the EMA. */
export const EMA_ALPHA = 0.1;

/** The next EMA after `value` (the first value starts it). */
export const nextEma = (previous: number | undefined, value: number, alpha = EMA_ALPHA): number =>
  previous === undefined || !Number.isFinite(previous) ? value : previous + alpha * (value - previous);

/** Latencies past this (1 hour) are recorded as this: a bound on the histogram's size. */
export const MAX_LATENCY_MS = 3_600_000;

const create = () => build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 20, numberOfSignificantValueDigits: 3, autoResize: true });

const round3 = (n: number) => Math.round(n * 1000) / 1000;

interface Cdf {
  lo: Float64Array;
  /** Highest value equivalent to the bucket's (what hdr-histogram-js answers for a percentile). */
  top: Float64Array;
  cum: Float64Array;
  total: number;
}

export class LatencyHistogram {
  private cdf?: Cdf;
  /** Sum of the recorded values, kept as they are recorded (hdr-histogram-js's mean walks every bucket, ~400 µs). */
  private sum?: number;

  private constructor(private readonly h: Histogram) {}

  static empty(): LatencyHistogram {
    return new LatencyHistogram(create());
  }

  /** Decode `encode()`'s text; an empty text is an empty histogram; anything else undecodable throws. */
  static decode(encoded: string | undefined): LatencyHistogram {
    if (!encoded) return LatencyHistogram.empty();
    let h: Histogram;
    try {
      h = decodeFromCompressedBase64(encoded);
    } catch (error) {
      throw new Error(`latency histogram: not an encoded HDR histogram (${(error as Error).message})`);
    }
    h.autoResize = true;
    return new LatencyHistogram(h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Record one latency (ms); negative and non-finite values are ignored. */
  record(ms: number, times = 1): void {
    if (!Number.isFinite(ms) || ms < 0 || times < 1) return;
    const value = Math.min(MAX_LATENCY_MS, Math.round(ms));
    this.sum = this.total() + value * Math.floor(times);
    this.h.recordValueWithCount(value, Math.floor(times));
    this.cdf = undefined;
  }

  /** Add another histogram's counts to this one. */
  merge(other: LatencyHistogram): this {
    this.sum = this.total() + other.total();
    this.h.add(other.h);
    this.cdf = undefined;
    return this;
  }

  private total(): number {
    return (this.sum ??= this.h.totalCount ? this.h.mean * this.h.totalCount : 0);
  }

  encode(): string {
    return encodeIntoCompressedBase64(this.h);
  }

  /** Value (ms) at a percentile (0–100). */
  percentile(p: number): number {
    return this.h.totalCount ? this.h.getValueAtPercentile(Math.min(100, Math.max(0, p))) : 0;
  }

  /** Percentiles and moments, in ms; `emaMs` is the one given (the histogram does not hold it). */
  summary(emaMs?: number): LatencySummary {
    const h = this.h;
    if (!h.totalCount) return { count: 0, minMs: 0, maxMs: 0, meanMs: 0, emaMs: 0, p5Ms: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0 };
    // getValueAtPercentile scans the counts (~6 µs each); building the CDF table walks them
    // through an iterator and costs ~10× more, so it is only built for sampling
    const at = (p: number) => h.getValueAtPercentile(p);
    return {
      count: h.totalCount,
      minMs: at(0),
      maxMs: h.maxValue,
      meanMs: round3(this.total() / h.totalCount),
      emaMs: round3(emaMs ?? this.total() / h.totalCount),
      p5Ms: at(5),
      p50Ms: at(50),
      p90Ms: at(90),
      p95Ms: at(95),
      p99Ms: at(99),
      p999Ms: at(99.9),
    };
  }

  /**
   * A latency (ms) drawn from the recorded distribution: inverse CDF over the buckets, uniform
   * inside the chosen bucket (a recorded 12 stands for [11.5, 12.5)). 0 when nothing was recorded.
   */
  sample(random: Random): number {
    const cdf = (this.cdf ??= this.buildCdf());
    if (!cdf.total) return 0;
    const u = random.next() * cdf.total;
    let lo = 0;
    let hi = cdf.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf.cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const below = lo ? cdf.cum[lo - 1] : 0;
    const frac = (u - below) / (cdf.cum[lo] - below);
    const from = Math.max(0, cdf.lo[lo] - 0.5);
    const to = Math.min(cdf.top[lo], this.h.maxValue) + 0.5;
    return round3(from + (to - from) * frac);
  }

  private buildCdf(): Cdf {
    const lo: number[] = [];
    const top: number[] = [];
    const cum: number[] = [];
    const h = this.h as Histogram & {
      recordedValuesIterator?: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
      lowestEquivalentValue?(v: number): number;
      highestEquivalentValue?(v: number): number;
    };
    let total = 0;
    const it = h.recordedValuesIterator!;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      if (!v.countAtValueIteratedTo) continue;
      total += v.countAtValueIteratedTo;
      lo.push(h.lowestEquivalentValue!(v.valueIteratedTo));
      top.push(h.highestEquivalentValue!(v.valueIteratedTo));
      cum.push(total);
    }
    return { lo: Float64Array.from(lo), top: Float64Array.from(top), cum: Float64Array.from(cum), total };
  }
}
