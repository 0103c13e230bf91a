// The baseline-vs-canary judge: compares two versions' latency and error distributions
// statistically instead of against a fixed threshold (what Kayenta does for Spinnaker and
// Flagger never did). Latency: the Mann-Whitney U test (rank-sum; exact distribution for
// small untied samples, otherwise the normal approximation with tie and continuity
// corrections), on raw samples or on histograms ranked by bucket, with Cliff's delta as the
// effect size. Errors: a two-proportion z-test, or Fisher's exact test when a cell's
// expected count is small, with the difference of rates and Cohen's h. The verdict is Pass,
// Fail (the canary is significantly AND materially worse) or Inconclusive (too few samples).
// Pure and deterministic: no clock, no randomness; the same inputs give the same answer.

/** A histogram as observability's `WindowStats.histogram`: [upper bound ms (Infinity: open), count], ascending. */
export type Histogram = ReadonlyArray<readonly [upperMs: number, count: number]>;

/** One version's observations: latency as raw samples or a histogram, and request/error counts. */
export interface VersionSample {
  /** Requests seen (the error test's denominator); default: the latency sample's size. */
  requests?: number;
  /** Server-side failures among them (5xx, faults). Default 0. */
  errors?: number;
  /** Raw latency samples (ms). */
  samples?: readonly number[];
  /** Bucketed latency (ms), as observability's window() answers. Used when `samples` is absent. */
  histogram?: Histogram;
}

export interface JudgeOptions {
  /** Significance level of the whole judgement (default 0.05), split over the two tests (Bonferroni) unless `bonferroni: false`. */
  alpha?: number;
  bonferroni?: boolean;
  /** Fewest latency observations (and requests) each version needs, else Inconclusive (default 20). */
  minSamples?: number;
  /** Smallest Cliff's delta (P(canary slower) − P(canary faster)) that fails the canary (default 0.147, Romano's "small"). */
  minLatencyEffect?: number;
  /** Smallest increase of the error rate (canary − baseline, absolute) that fails the canary (default 0.01). */
  minErrorRateIncrease?: number;
  /** Untied samples up to this size per version use the exact U distribution (default 25; 0 disables). */
  exactMaxSize?: number;
  /** Compare latency (default true). */
  latency?: boolean;
  /** Compare error rates (default true). */
  errors?: boolean;
}

export const JUDGE_DEFAULTS: Required<JudgeOptions> = {
  alpha: 0.05,
  bonferroni: true,
  minSamples: 20,
  minLatencyEffect: 0.147,
  minErrorRateIncrease: 0.01,
  exactMaxSize: 25,
  latency: true,
  errors: true,
};

export type Verdict = 'Pass' | 'Fail' | 'Inconclusive';

export interface MannWhitneyResult {
  /** U of the first group (baseline): the number of (baseline, canary) pairs where baseline is larger, ties counting ½. */
  u1: number;
  /** U of the second group (canary): n1·n2 − u1. */
  u2: number;
  n1: number;
  n2: number;
  /** Standardised U2 (normal approximation, tie- and continuity-corrected; 0 when every value ties). */
  z: number;
  /** One-sided p of "the canary is larger" (its values stochastically greater). */
  pGreater: number;
  /** One-sided p of "the canary is smaller". */
  pLess: number;
  /** Two-sided p. */
  pTwoSided: number;
  method: 'exact' | 'normal';
  /** Σ(t³ − t) over the tie groups. */
  tieTerm: number;
  /** Cliff's delta = 2·u2/(n1·n2) − 1 = P(canary > baseline) − P(canary < baseline), in [−1, 1]. */
  cliffsDelta: number;
  /** Common-language effect size u2/(n1·n2) = P(canary > baseline) + ½·P(tie). */
  probabilityOfSuperiority: number;
}

export interface ProportionResult {
  n1: number;
  x1: number;
  n2: number;
  x2: number;
  rate1: number;
  rate2: number;
  /** rate2 − rate1. */
  difference: number;
  /** Cohen's h = 2·asin(√rate2) − 2·asin(√rate1). */
  cohensH: number;
  method: 'z' | 'fisher';
  /** z of the pooled two-proportion test (0 for Fisher or no variance). */
  z: number;
  /** One-sided p of "the canary's rate is higher". */
  pGreater: number;
  pTwoSided: number;
}

export interface JudgeReport {
  verdict: Verdict;
  /** Why, one sentence each: every failed check, or why it could not be judged. */
  reasons: string[];
  /** The level each test was held to (alpha, halved under Bonferroni when both tests ran). */
  alphaPerTest: number;
  baseline: VersionSummary;
  canary: VersionSummary;
  latency?: MannWhitneyResult & { verdict: Verdict };
  errors?: ProportionResult & { verdict: Verdict };
}

export interface VersionSummary {
  /** Latency observations. */
  n: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

// ---------------------------------------------------------------------------------------
// Distributions

/**
 * Standard normal CDF: Hart's algorithm 5666 as given by West (2005), "Better approximations to
 * cumulative normal functions" — double precision across the range, tails included (the tiny
 * p-values of large samples stay meaningful).
 */
export function normalCdf(z: number): number {
  const x = Math.abs(z);
  let tail: number;
  if (x > 37) tail = 0;
  else {
    const e = Math.exp((-x * x) / 2);
    if (x < 7.07106781186547) {
      let num = 3.52624965998911e-2 * x + 0.700383064443688;
      num = num * x + 6.37396220353165;
      num = num * x + 33.912866078383;
      num = num * x + 112.079291497871;
      num = num * x + 221.213596169931;
      num = num * x + 220.206867912376;
      let den = 8.83883476483184e-2 * x + 1.75566716318264;
      den = den * x + 16.064177579207;
      den = den * x + 86.7807322029461;
      den = den * x + 296.564248779674;
      den = den * x + 637.333633378831;
      den = den * x + 793.826512519948;
      den = den * x + 440.413735824752;
      tail = (e * num) / den;
    } else {
      const cf = x + 1 / (x + 2 / (x + 3 / (x + 4 / (x + 0.65))));
      tail = e / cf / 2.506628274631;
    }
  }
  return z > 0 ? 1 - tail : tail;
}

const clampP = (p: number) => Math.min(1, Math.max(0, p));

/**
 * Exact null distribution of U for sizes m and n (no ties): counts[u] = the number of the
 * C(m+n, m) arrangements whose U equals u, by the recurrence
 * f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u) (Mann & Whitney 1947).
 */
export function exactUCounts(m: number, n: number): Float64Array {
  // rows[j] holds f(i, j, ·) for the current i; f(0, j, ·) = [1]
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      const a = prev[j]!; // f(i − 1, j, ·), shifted by j
      for (let u = 0; u < a.length; u++) f[u + j]! += a[u]!;
      const b = cur[j - 1]!; // f(i, j − 1, ·)
      for (let u = 0; u < b.length; u++) f[u]! += b[u]!;
      cur.push(f);
    }
    prev = cur;
  }
  return prev[n]!;
}

// ---------------------------------------------------------------------------------------
// Mann-Whitney U

/** Ranked input: per distinct value (ascending), how many of each group hold it. */
interface TieGroups {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
}

function mannWhitneyFromGroups(groups: TieGroups, exactMaxSize: number): MannWhitneyResult {
  const { a, b } = groups;
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < a.length; i++) {
    n1 += a[i]!;
    n2 += b[i]!;
  }
  const N = n1 + n2;
  let seen = 0;
  let r1 = 0;
  let tieTerm = 0;
  let tied = false;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]! + b[i]!;
    if (t <= 0) continue;
    const midrank = seen + (t + 1) / 2;
    r1 += a[i]! * midrank;
    if (t > 1) {
      tieTerm += t * t * t - t;
      tied = true;
    }
    seen += t;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const pairs = n1 * n2;
  const probabilityOfSuperiority = pairs > 0 ? u2 / pairs : 0.5;
  const cliffsDelta = 2 * probabilityOfSuperiority - 1;
  const mean = pairs / 2;
  const variance = N > 1 ? (pairs / 12) * (N + 1 - tieTerm / (N * (N - 1))) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  const z = sd > 0 ? (u2 - mean) / sd : 0;
  const integral = Number.isInteger(n1) && Number.isInteger(n2);
  if (!tied && integral && n1 > 0 && n2 > 0 && n1 <= exactMaxSize && n2 <= exactMaxSize) {
    const counts = exactUCounts(n1, n2);
    let total = 0;
    for (let u = 0; u < counts.length; u++) total += counts[u]!;
    // u2 is an integer without ties; P(U2 >= u2) and P(U2 <= u2) under the null
    let atMost = 0;
    for (let u = 0; u <= u2; u++) atMost += counts[u]!;
    const atLeast = total - atMost + counts[u2]!;
    const pGreater = clampP(atLeast / total);
    const pLess = clampP(atMost / total);
    return { u1, u2, n1, n2, z, pGreater, pLess, pTwoSided: clampP(2 * Math.min(pGreater, pLess)), method: 'exact', tieTerm, cliffsDelta, probabilityOfSuperiority };
  }
  if (sd === 0) {
    return { u1, u2, n1, n2, z: 0, pGreater: 1, pLess: 1, pTwoSided: 1, method: 'normal', tieTerm, cliffsDelta, probabilityOfSuperiority };
  }
  // continuity correction: half a unit of U towards the mean
  const zGreater = (u2 - mean - 0.5) / sd;
  const zLess = (u2 - mean + 0.5) / sd;
  const pGreater = clampP(1 - normalCdf(zGreater));
  const pLess = clampP(normalCdf(zLess));
  const zTwo = Math.max(0, Math.abs(u2 - mean) - 0.5) / sd;
  return { u1, u2, n1, n2, z, pGreater, pLess, pTwoSided: clampP(2 * (1 - normalCdf(zTwo))), method: 'normal', tieTerm, cliffsDelta, probabilityOfSuperiority };
}

/**
 * Mann-Whitney U test of two samples (baseline `x`, canary `y`): midranks for ties, the
 * exact distribution when neither sample is larger than `exactMaxSize` and nothing ties,
 * else the normal approximation
 *   z = (U₂ − n₁n₂/2 ∓ ½) / σ,  σ² = n₁n₂/12 · (N + 1 − Σ(t³ − t) / (N(N − 1))).
 * NaN values are left out.
 */
export function mannWhitney(x: readonly number[], y: readonly number[], exactMaxSize = JUDGE_DEFAULTS.exactMaxSize): MannWhitneyResult {
  const all: Array<[number, 0 | 1]> = [];
  for (const v of x) if (!Number.isNaN(v)) all.push([v, 0]);
  for (const v of y) if (!Number.isNaN(v)) all.push([v, 1]);
  all.sort((p, q) => p[0] - q[0]);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < all.length; ) {
    const v = all[i]![0];
    let ca = 0;
    let cb = 0;
    while (i < all.length && all[i]![0] === v) {
      if (all[i]![1] === 0) ca++;
      else cb++;
      i++;
    }
    a.push(ca);
    b.push(cb);
  }
  return mannWhitneyFromGroups({ a, b }, exactMaxSize);
}

/**
 * Mann-Whitney U test of two histograms with the same buckets: every observation in a bucket
 * ties with the others of that bucket (rank by bucket), so the tie correction carries the
 * coarseness. Counts may be fractional (the load model's simulated requests); the normal
 * approximation is then used. Buckets are matched by upper bound.
 */
export function mannWhitneyHistograms(baseline: Histogram, canary: Histogram): MannWhitneyResult {
  const bounds = [...new Set([...baseline.map((b) => b[0]), ...canary.map((b) => b[0])])].sort((p, q) => p - q);
  const index = new Map(bounds.map((u, i) => [u, i]));
  const a = new Float64Array(bounds.length);
  const b = new Float64Array(bounds.length);
  for (const [u, c] of baseline) a[index.get(u)!]! += Math.max(0, c);
  for (const [u, c] of canary) b[index.get(u)!]! += Math.max(0, c);
  return mannWhitneyFromGroups({ a, b }, 0);
}

// ---------------------------------------------------------------------------------------
// Two proportions

/** ln(k!) by summation, cached up to the largest k asked (Fisher's test runs only on small tables). */
const logFactorials: number[] = [0];
function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[k]!;
}

/**
 * Fisher's exact test on the 2×2 table [[x1, n1 − x1], [x2, n2 − x2]]: the canary's errors X
 * given the margins are hypergeometric; pGreater = P(X ≥ x2), pTwoSided sums every table no
 * more likely than the observed one (R's fisher.test). Counts are rounded to integers.
 */
export function fisherExact(n1: number, x1: number, n2: number, x2: number): { pGreater: number; pTwoSided: number } {
  [n1, x1, n2, x2] = [n1, x1, n2, x2].map(Math.round) as [number, number, number, number];
  const k = x1 + x2; // errors in all
  const N = n1 + n2;
  const lo = Math.max(0, k - n1);
  const hi = Math.min(k, n2);
  const base = logFactorial(n1) + logFactorial(n2) + logFactorial(k) + logFactorial(N - k) - logFactorial(N);
  const pmf = (x: number) => Math.exp(base - logFactorial(x) - logFactorial(n2 - x) - logFactorial(k - x) - logFactorial(n1 - k + x));
  const observed = pmf(x2);
  let pGreater = 0;
  let pTwoSided = 0;
  for (let x = lo; x <= hi; x++) {
    const p = pmf(x);
    if (x >= x2) pGreater += p;
    if (p <= observed * (1 + 1e-7)) pTwoSided += p;
  }
  return { pGreater: clampP(pGreater), pTwoSided: clampP(pTwoSided) };
}

/**
 * Compares error rates x1/n1 (baseline) and x2/n2 (canary): Fisher's exact test when any
 * expected cell count is below 5 (Cochran's rule), else the pooled two-proportion z-test
 *   z = (p₂ − p₁) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)),  p̂ = (x₁ + x₂)/(n₁ + n₂).
 */
export function twoProportions(n1: number, x1: number, n2: number, x2: number): ProportionResult {
  const rate1 = n1 > 0 ? x1 / n1 : 0;
  const rate2 = n2 > 0 ? x2 / n2 : 0;
  const common = { n1, x1, n2, x2, rate1, rate2, difference: rate2 - rate1, cohensH: 2 * Math.asin(Math.sqrt(rate2)) - 2 * Math.asin(Math.sqrt(rate1)) };
  const N = n1 + n2;
  const k = x1 + x2;
  const minExpected = N > 0 ? Math.min(n1, n2) * Math.min(k, N - k) / N : 0;
  if (minExpected < 5) {
    const f = fisherExact(n1, x1, n2, x2);
    return { ...common, method: 'fisher', z: 0, ...f };
  }
  const pooled = k / N;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = (rate2 - rate1) / se;
  return { ...common, method: 'z', z, pGreater: clampP(1 - normalCdf(z)), pTwoSided: clampP(2 * (1 - normalCdf(Math.abs(z)))) };
}

// ---------------------------------------------------------------------------------------
// Summaries and the verdict

/** The q-quantile of raw samples (linear between closest ranks, as numpy's default). */
export function sampleQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The q-quantile of a histogram, as Prometheus' histogram_quantile: linear inside the bucket; the last finite bound in the open bucket. */
export function histogramQuantile(histogram: Histogram, q: number): number {
  let total = 0;
  for (const [, c] of histogram) total += Math.max(0, c);
  if (total <= 0) return 0;
  const rank = q * total;
  let seen = 0;
  let lower = 0;
  let lastFinite = 0;
  for (const [upper, raw] of histogram) {
    const c = Math.max(0, raw);
    if (Number.isFinite(upper)) lastFinite = upper;
    if (c > 0 && seen + c >= rank) {
      if (!Number.isFinite(upper)) return lastFinite;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
    if (Number.isFinite(upper)) lower = upper;
  }
  return lastFinite;
}

function summarise(v: VersionSample): VersionSummary {
  let n: number;
  let q: (p: number) => number;
  if (v.samples) {
    const sorted = v.samples.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
    n = sorted.length;
    q = (p) => sampleQuantile(sorted, p);
  } else {
    const h = v.histogram ?? [];
    n = h.reduce((s, [, c]) => s + Math.max(0, c), 0);
    q = (p) => histogramQuantile(h, p);
  }
  const requests = v.requests ?? n;
  const errors = v.errors ?? 0;
  return { n, requests, errors, errorRate: requests > 0 ? errors / requests : 0, p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99) };
}

const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(2) : p.toPrecision(3));
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

/** Every problem of judge options, with its path under `at` (empty when valid). */
export function judgeOptionsProblems(value: unknown, at: string): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: must be an object`];
  const problems: string[] = [];
  const o = value as Record<string, unknown>;
  const num = (key: string, ok: (n: number) => boolean, rule: string) => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) problems.push(`${at}.${key}: must be ${rule}`);
  };
  num('alpha', (n) => n > 0 && n < 1, 'a number between 0 and 1 (exclusive)');
  num('minSamples', (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');
  num('minLatencyEffect', (n) => n >= 0 && n <= 1, 'a number from 0 to 1 (Cliff\'s delta)');
  num('minErrorRateIncrease', (n) => n >= 0 && n <= 1, 'a number from 0 to 1 (a share of requests)');
  num('exactMaxSize', (n) => Number.isInteger(n) && n >= 0 && n <= 50, 'an integer from 0 to 50');
  for (const key of ['bonferroni', 'latency', 'errors']) if (o[key] !== undefined && typeof o[key] !== 'boolean') problems.push(`${at}.${key}: must be boolean`);
  for (const key of Object.keys(o)) if (!(key in JUDGE_DEFAULTS)) problems.push(`${at}.${key}: unknown option (one of ${Object.keys(JUDGE_DEFAULTS).join(', ')})`);
  return problems;
}

/**
 * Judges a canary against its baseline. Fail when the canary is significantly slower
 * (one-sided Mann-Whitney p < alpha per test) with Cliff's delta ≥ minLatencyEffect, or has
 * a significantly higher error rate (one-sided) by at least minErrorRateIncrease;
 * Inconclusive when either version has fewer than minSamples observations; Pass otherwise
 * (a faster or more reliable canary passes).
 */
export function judge(baseline: VersionSample, canary: VersionSample, options: JudgeOptions = {}): JudgeReport {
  const o = { ...JUDGE_DEFAULTS, ...options };
  const b = summarise(baseline);
  const c = summarise(canary);
  const tests = (o.latency ? 1 : 0) + (o.errors ? 1 : 0);
  const alphaPerTest = o.bonferroni && tests > 1 ? o.alpha / tests : o.alpha;
  const reasons: string[] = [];
  const report: JudgeReport = { verdict: 'Pass', reasons, alphaPerTest, baseline: b, canary: c };

  const few: string[] = [];
  for (const [name, s] of [['baseline', b], ['canary', c]] as const) {
    if (o.latency && s.n < o.minSamples) few.push(`${name} has ${round(s.n)} latency observations, fewer than minSamples (${o.minSamples})`);
    else if (!o.latency && o.errors && s.requests < o.minSamples) few.push(`${name} has ${round(s.requests)} requests, fewer than minSamples (${o.minSamples})`);
  }
  if (few.length > 0) {
    report.verdict = 'Inconclusive';
    reasons.push(...few.map((f) => `${f}: wait for more traffic or lower minSamples`));
    return report;
  }

  if (o.latency) {
    const bothRaw = baseline.samples !== undefined && canary.samples !== undefined;
    const bounds = bothRaw ? [] : boundsOf(baseline, canary);
    const mw = bothRaw ? mannWhitney(baseline.samples!, canary.samples!, o.exactMaxSize) : mannWhitneyHistograms(toHistogram(baseline, bounds), toHistogram(canary, bounds));
    let verdict: Verdict = 'Pass';
    if (mw.pGreater < alphaPerTest && mw.cliffsDelta >= o.minLatencyEffect) {
      verdict = 'Fail';
      reasons.push(
        `canary latency is higher than baseline's (Mann-Whitney ${mw.method}, one-sided p = ${fmtP(mw.pGreater)} < ${fmtP(alphaPerTest)}; Cliff's delta ${mw.cliffsDelta.toFixed(3)} >= ${o.minLatencyEffect}; p50 ${c.p50Ms.toFixed(1)} ms vs ${b.p50Ms.toFixed(1)} ms, p99 ${c.p99Ms.toFixed(1)} ms vs ${b.p99Ms.toFixed(1)} ms)`,
      );
    }
    report.latency = { ...mw, verdict };
  }

  if (o.errors) {
    const t = twoProportions(b.requests, b.errors, c.requests, c.errors);
    let verdict: Verdict = 'Pass';
    if (t.pGreater < alphaPerTest && t.difference >= o.minErrorRateIncrease) {
      verdict = 'Fail';
      reasons.push(
        `canary error rate ${pct(t.rate2)} is higher than baseline's ${pct(t.rate1)} (${t.method === 'z' ? 'two-proportion z-test' : "Fisher's exact test"}, one-sided p = ${fmtP(t.pGreater)} < ${fmtP(alphaPerTest)}; increase ${pct(t.difference)} >= ${pct(o.minErrorRateIncrease)})`,
      );
    }
    report.errors = { ...t, verdict };
  }

  if (reasons.length > 0) report.verdict = 'Fail';
  return report;
}

/** A version's latency as a histogram: its own, or its samples binned into `bounds` (each value in the first bucket whose bound is >= it). */
function toHistogram(v: VersionSample, bounds: readonly number[]): Histogram {
  if (v.samples === undefined) return v.histogram ?? [];
  const counts = bounds.map((u) => [u, 0] as [number, number]);
  for (const s of v.samples) {
    if (Number.isNaN(s)) continue;
    let i = 0;
    while (i < bounds.length - 1 && s > bounds[i]!) i++;
    counts[i]![1]++;
  }
  return counts;
}

/** Upper bounds of the histogram side(s), with an open bucket last. */
function boundsOf(a: VersionSample, b: VersionSample): number[] {
  const set = new Set<number>([Number.POSITIVE_INFINITY]);
  for (const v of [a, b]) if (v.samples === undefined) for (const [u] of v.histogram ?? []) set.add(u);
  return [...set].sort((p, q) => p - q);
}

const round = (n: number) => (Number.isInteger(n) ? n : Number(n.toFixed(1)));
