// Time-bucketed request statistics of one series (a service's endpoint at one version, or
// a service's simulated load at one version): a ring of `retention / resolution` slots,
// each holding requests, errors, summed latency and a latency histogram, allocated as one
// Float64Array on first use. Counts are numbers, not integers: simulated load adds
// rate × tick length. Adding is O(1) with no allocation; reading sums the slots in range.

/** Field offsets inside one slot. */
const REQ = 0;
const ERR = 1;
const SUM = 2;
const HIST = 3;

export class WindowSeries {
  // Float32: half the memory of a Float64 (a series of 1 h in 10 s slots × 18 fields is 26 KiB), and
  // its 24-bit mantissa keeps counts exact to 16 million per slot, sums to 7 digits
  private readonly data: Float32Array;
  /** The slot number (time / resolution) each position holds, -1 when empty. */
  private readonly index: Float64Array;
  private readonly width: number;

  constructor(
    private readonly resolutionMs: number,
    private readonly slots: number,
    /** Histogram bounds (ms), ascending; one more bucket holds everything above the last. */
    readonly boundsMs: readonly number[],
  ) {
    this.width = HIST + boundsMs.length + 1;
    this.data = new Float32Array(slots * this.width);
    this.index = new Float64Array(slots).fill(-1);
  }

  /** Base offset of the slot holding `now`, cleared when it held an older slot. */
  private slot(now: number): number {
    const n = Math.floor(now / this.resolutionMs);
    const pos = n % this.slots;
    const base = pos * this.width;
    if (this.index[pos] !== n) {
      this.index[pos] = n;
      this.data.fill(0, base, base + this.width);
    }
    return base;
  }

  /** One real request of `durationMs` into histogram bucket `bucket`. */
  add(now: number, durationMs: number, bucket: number, error: boolean): void {
    const b = this.slot(now);
    const d = this.data;
    d[b + REQ]! += 1;
    if (error) d[b + ERR]! += 1;
    d[b + SUM]! += durationMs;
    d[b + HIST + bucket]! += 1;
  }

  /** `requests` simulated requests spread over the buckets by `shares` (summing to 1). */
  addMany(now: number, requests: number, errors: number, meanMs: number, shares: Float64Array): void {
    if (requests <= 0) return;
    const b = this.slot(now);
    const d = this.data;
    d[b + REQ]! += requests;
    d[b + ERR]! += errors;
    d[b + SUM]! += meanMs * requests;
    for (let i = 0; i < shares.length; i++) d[b + HIST + i]! += requests * shares[i]!;
  }

  /** Adds the slots within (now − windowMs, now] into `into` (requests, errors, sum, histogram…). */
  sumInto(now: number, windowMs: number, into: Float64Array): void {
    const last = Math.floor(now / this.resolutionMs);
    const first = Math.max(last - this.slots + 1, Math.floor((now - windowMs) / this.resolutionMs) + 1);
    for (let n = first; n <= last; n++) {
      const pos = n % this.slots;
      if (this.index[pos] !== n) continue;
      const base = pos * this.width;
      for (let i = 0; i < this.width; i++) into[i]! += this.data[base + i]!;
    }
  }

  /** Per slot within the window: [slot start, requests, errors, sum, histogram…], oldest first. */
  slotsWithin(now: number, windowMs: number): Array<{ at: number; values: Float64Array }> {
    const last = Math.floor(now / this.resolutionMs);
    const first = Math.max(last - this.slots + 1, Math.floor((now - windowMs) / this.resolutionMs) + 1);
    const out: Array<{ at: number; values: Float64Array }> = [];
    for (let n = first; n <= last; n++) {
      const pos = n % this.slots;
      if (this.index[pos] !== n) continue;
      const base = pos * this.width;
      out.push({ at: n * this.resolutionMs, values: Float64Array.from(this.data.subarray(base, base + this.width)) });
    }
    return out;
  }

  get fieldCount(): number {
    return this.width;
  }
}

export const FIELD = { REQ, ERR, SUM, HIST } as const;

/**
 * The q-quantile (0..1) of a histogram (`counts` per bucket, `boundsMs` upper bounds, one
 * more bucket above the last), interpolated linearly inside its bucket as Prometheus'
 * histogram_quantile does; the last finite bound when it falls in the open bucket.
 */
export function quantile(q: number, boundsMs: readonly number[], counts: ArrayLike<number>, offset = 0): number {
  let total = 0;
  for (let i = 0; i <= boundsMs.length; i++) total += counts[offset + i]!;
  if (total <= 0) return 0;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i <= boundsMs.length; i++) {
    const c = counts[offset + i]!;
    if (c > 0 && seen + c >= rank) {
      if (i === boundsMs.length) return boundsMs[boundsMs.length - 1]!;
      const lo = i === 0 ? 0 : boundsMs[i - 1]!;
      const hi = boundsMs[i]!;
      return lo + (hi - lo) * ((rank - seen) / c);
    }
    seen += c;
  }
  return boundsMs[boundsMs.length - 1]!;
}

/** Index of the bucket holding `ms` (the first bound >= ms; the open bucket past the last). */
export function bucketOf(boundsMs: readonly number[], ms: number): number {
  let i = 0;
  const n = boundsMs.length;
  while (i < n && ms > boundsMs[i]!) i++;
  return i;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** z of the 99th percentile of the standard normal. */
const Z99 = 2.3263478740408408;

/**
 * How a simulated service's requests spread over the histogram buckets: a lognormal with
 * the tick's mean and p99 (ln p99 = μ + z₉₉σ and ln mean = μ + σ²/2, so σ is the smaller
 * root of σ²/2 − z₉₉σ + ln(p99/mean) = 0; when p99/mean is too large for a lognormal, σ =
 * z₉₉, the widest it can be). Fills `into` with the share of each bucket.
 */
export function lognormalShares(meanMs: number, p99Ms: number, boundsMs: readonly number[], into: Float64Array): void {
  if (!(meanMs > 0)) {
    into.fill(0);
    into[0] = 1;
    return;
  }
  const ratio = Math.log(Math.max(p99Ms, meanMs) / meanMs);
  const disc = Z99 * Z99 - 2 * ratio;
  const sigma = disc > 0 ? Z99 - Math.sqrt(disc) : Z99;
  const mu = Math.log(meanMs) - (sigma * sigma) / 2;
  let prev = 0;
  for (let i = 0; i < boundsMs.length; i++) {
    const cdf = sigma < 1e-9 ? (Math.exp(mu) <= boundsMs[i]! ? 1 : 0) : normalCdf((Math.log(boundsMs[i]!) - mu) / sigma);
    into[i] = cdf - prev;
    prev = cdf;
  }
  into[boundsMs.length] = 1 - prev;
}
