// The baseline-vs-canary judge: Mann-Whitney U (exact and normal with tie and continuity
// corrections, on samples and on histograms), Fisher's exact and the two-proportion z-test,
// the verdict's gates (significance, effect size, too few samples) and determinism. The
// expected numbers are worked out by hand in the comments.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  exactUCounts,
  fisherExact,
  histogramQuantile,
  judge,
  judgeOptionsProblems,
  mannWhitney,
  mannWhitneyHistograms,
  normalCdf,
  sampleQuantile,
  twoProportions,
  type Histogram,
} from '../src/judge.js';

const close = (actual: number, expected: number, tolerance: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);

/** A deterministic lognormal-ish sample (a small LCG and Box-Muller), so tests need no seed plumbing. */
function lognormal(n: number, medianMs: number, sigma: number, seed: number): number[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    out.push(medianMs * Math.exp(sigma * z));
  }
  return out;
}

const BOUNDS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Number.POSITIVE_INFINITY];
function bin(samples: number[]): Array<[number, number]> {
  const h = BOUNDS.map((u) => [u, 0] as [number, number]);
  for (const s of samples) h[BOUNDS.findIndex((u) => s <= u)]![1]++;
  return h;
}

const dist = suite('judge: distributions');

dist('the standard normal CDF at table values', () => {
  close(normalCdf(0), 0.5, 1e-9, 'Φ(0)');
  close(normalCdf(1.96), 0.9750021, 1e-6, 'Φ(1.96)');
  close(normalCdf(-1.96), 0.0249979, 1e-6, 'Φ(−1.96)');
  close(normalCdf(-3), 0.0013499, 1e-6, 'Φ(−3)');
  close(normalCdf(-8) / 6.220960574e-16, 1, 1e-6, 'Φ(−8) relative'); // the tail keeps its relative precision
  assert.is(normalCdf(Number.POSITIVE_INFINITY), 1);
  assert.is(normalCdf(Number.NEGATIVE_INFINITY), 0);
  assert.is(normalCdf(-40), 0);
});

dist('the exact U distribution counts arrangements (m = n = 2: 1 1 2 1 1; m = n = 3: Gaussian binomial [6 3])', () => {
  // m = n = 2: the C(4,2) = 6 orderings of xxyy give U = 0,1,2,2,3,4
  assert.equal([...exactUCounts(2, 2)], [1, 1, 2, 1, 1]);
  assert.equal([...exactUCounts(3, 3)], [1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
  assert.equal([...exactUCounts(1, 3)], [1, 1, 1, 1]);
  assert.equal([...exactUCounts(0, 2)], [1]);
  const c = exactUCounts(5, 5);
  assert.is(c.reduce((a, b) => a + b, 0), 252); // C(10, 5)
});

const mw = suite('judge: Mann-Whitney U');

mw('exact, complete separation of 5 and 5: p = 1/252 one-sided, 2/252 two-sided (the textbook critical case)', () => {
  // every canary value is above every baseline value: U2 = 25 = n1·n2, and only 1 of the
  // C(10,5) = 252 equally likely orderings is that extreme
  const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.is(r.method, 'exact');
  assert.is(r.u1, 0);
  assert.is(r.u2, 25);
  close(r.pGreater, 1 / 252, 1e-12, 'pGreater');
  close(r.pTwoSided, 2 / 252, 1e-12, 'pTwoSided');
  close(r.pLess, 1, 1e-12, 'pLess');
  assert.is(r.cliffsDelta, 1);
  assert.is(r.probabilityOfSuperiority, 1);
});

mw('exact with overlap: baseline 1 2 4, canary 3 5 6 → U2 = 8, p = 2/20', () => {
  // pairs with the canary larger: 3 > 1, 2 (2); 5 > all (3); 6 > all (3) → U2 = 8 of 9.
  // Under the null U is 0…9 with counts 1 1 2 3 3 3 3 2 1 1 (of 20): P(U ≥ 8) = 2/20.
  const r = mannWhitney([1, 2, 4], [3, 5, 6]);
  assert.is(r.method, 'exact');
  assert.is(r.u2, 8);
  assert.is(r.u1, 1);
  close(r.pGreater, 0.1, 1e-12, 'pGreater');
  close(r.pLess, 19 / 20, 1e-12, 'pLess');
  close(r.pTwoSided, 0.2, 1e-12, 'pTwoSided');
  close(r.cliffsDelta, 2 * (8 / 9) - 1, 1e-12, 'delta');
});

mw('normal approximation with ties and continuity correction, worked by hand', () => {
  // x = 1 2 2 3, y = 2 3 3 4. Sorted: 1x 2x 2x 2y 3x 3y 3y 4y; midranks 1, 3 (×3), 6 (×3), 8.
  // R1 = 1 + 3 + 3 + 6 = 13, U1 = 13 − 4·5/2 = 3, U2 = 16 − 3 = 13, mean 8.
  // Ties: two groups of 3 → Σ(t³ − t) = 48; σ² = 16/12 · (9 − 48/56) = 10.857142857…
  // z (corrected) = (13 − 8 − 0.5)/3.295017 = 1.365699 → one-sided p = 0.08602, two-sided 0.17203
  // (scipy.stats.mannwhitneyu, asymptotic with continuity: 0.0860168545 and 0.1720337089)
  const r = mannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);
  assert.is(r.method, 'normal');
  assert.is(r.u1, 3);
  assert.is(r.u2, 13);
  assert.is(r.tieTerm, 48);
  close(r.z, 5 / Math.sqrt(16 / 12 * (9 - 48 / 56)), 1e-12, 'z');
  close(r.pGreater, 0.0860168545, 1e-9, 'pGreater');
  close(r.pTwoSided, 0.1720337089, 1e-9, 'pTwoSided');
  close(r.pLess, normalCdf((13 - 8 + 0.5) / Math.sqrt(10.857142857142858)), 1e-12, 'pLess');
});

mw('ranking a histogram by bucket gives the same test as the tied samples it bins', () => {
  const fromSamples = mannWhitney([1, 2, 2, 3], [2, 3, 3, 4], 0);
  const h1: Histogram = [[1, 1], [2, 2], [3, 1], [Number.POSITIVE_INFINITY, 0]];
  const h2: Histogram = [[2, 1], [3, 2], [4, 1]]; // other bounds: matched by value
  const fromHistograms = mannWhitneyHistograms(h1, h2);
  assert.equal(fromHistograms, fromSamples);
});

mw('every value tied: no variance, p = 1; NaN samples are left out; large samples use the normal form', () => {
  const r = mannWhitney([5, 5, 5, Number.NaN], [5, 5]);
  assert.is(r.n1, 3);
  assert.is(r.pTwoSided, 1);
  assert.is(r.z, 0);
  assert.is(r.cliffsDelta, 0);
  const big = mannWhitney(lognormal(40, 10, 0.3, 1), lognormal(40, 10, 0.3, 2));
  assert.is(big.method, 'normal'); // 40 > exactMaxSize
  const empty = mannWhitney([], [1]);
  assert.is(empty.probabilityOfSuperiority, 0.5);
  assert.is(empty.pTwoSided, 1);
});

mw('the normal approximation agrees with the exact p at moderate sizes', () => {
  const x = lognormal(20, 10, 0.4, 7);
  const y = lognormal(20, 13, 0.4, 8);
  const exact = mannWhitney(x, y);
  const normal = mannWhitney(x, y, 0);
  assert.is(exact.method, 'exact');
  assert.is(normal.method, 'normal');
  assert.is(exact.u2, normal.u2);
  close(normal.pGreater, exact.pGreater, 0.01, 'normal vs exact');
});

const prop = suite('judge: error rates');

prop("Fisher's exact test: the lady tasting tea (3 of 4 vs 1 of 4): one-sided 17/70, two-sided 34/70", () => {
  // canary errors X ~ hypergeometric(N 8, errors 4, canary 4): P(X = 0…4) = 1 16 36 16 1 (/70)
  const f = fisherExact(4, 1, 4, 3);
  close(f.pGreater, 17 / 70, 1e-12, 'pGreater');
  close(f.pTwoSided, 34 / 70, 1e-12, 'pTwoSided');
  const t = twoProportions(4, 1, 4, 3);
  assert.is(t.method, 'fisher');
  close(t.difference, 0.5, 1e-12);
  close(t.cohensH, 2 * Math.asin(Math.sqrt(0.75)) - 2 * Math.asin(Math.sqrt(0.25)), 1e-12);
});

prop('two-proportion z-test: 10/1000 vs 30/1000 → z = 3.194, one-sided p ≈ 0.00070', () => {
  // pooled p̂ = 40/2000 = 0.02; se = √(0.02 · 0.98 · (1/1000 + 1/1000)) = 0.0062610; z = 0.02 / se = 3.19438
  const t = twoProportions(1000, 10, 1000, 30);
  assert.is(t.method, 'z');
  close(t.z, 3.19438, 1e-4, 'z');
  close(t.pGreater, 1 - 0.9992993, 1e-6, 'pGreater'); // Φ(3.19438) = 0.9992993
  close(t.pTwoSided, 2 * t.pGreater, 1e-12, 'pTwoSided');
});

prop('no errors anywhere, or no requests: Fisher with p = 1', () => {
  const t = twoProportions(100, 0, 100, 0);
  assert.is(t.method, 'fisher');
  assert.is(t.pGreater, 1);
  const none = twoProportions(0, 0, 0, 0);
  assert.is(none.rate1, 0);
  assert.is(none.pGreater, 1);
});

const quant = suite('judge: quantiles');

quant('sample quantiles interpolate between ranks; histogram quantiles as histogram_quantile', () => {
  assert.is(sampleQuantile([], 0.5), 0);
  assert.is(sampleQuantile([1, 2, 3, 4], 0.5), 2.5);
  assert.is(sampleQuantile([1, 2, 3, 4], 1), 4);
  // 10 in (0,10], 10 in (10,20]: the median is the top of the first bucket, p75 halfway up the second
  const h: Histogram = [[10, 10], [20, 10], [Number.POSITIVE_INFINITY, 0]];
  assert.is(histogramQuantile(h, 0.5), 10);
  assert.is(histogramQuantile(h, 0.75), 15);
  assert.is(histogramQuantile([[10, 1], [Number.POSITIVE_INFINITY, 9]], 0.99), 10); // the open bucket: last finite bound
  assert.is(histogramQuantile([], 0.5), 0);
  assert.is(histogramQuantile([[10, 0]], 0.5), 0);
});

const verdicts = suite('judge: verdicts');

verdicts('identical distributions pass, on samples and on histograms', () => {
  const s = lognormal(500, 20, 0.5, 11);
  const same = judge({ samples: s, requests: 500, errors: 5 }, { samples: [...s].reverse(), requests: 500, errors: 5 });
  assert.is(same.verdict, 'Pass');
  assert.equal(same.reasons, []);
  close(same.latency!.cliffsDelta, 0, 1e-12);
  assert.is(same.latency!.verdict, 'Pass');
  assert.is(same.errors!.verdict, 'Pass');
  const h = bin(s);
  const hist = judge({ histogram: h, requests: 500, errors: 5 }, { histogram: h, requests: 500, errors: 5 });
  assert.is(hist.verdict, 'Pass');
  close(hist.latency!.pTwoSided, 1, 1e-9);
});

verdicts('two samples of the same distribution pass (different draws)', () => {
  const r = judge({ samples: lognormal(400, 20, 0.5, 21) }, { samples: lognormal(400, 20, 0.5, 22) });
  assert.is(r.verdict, 'Pass', r.reasons.join('; '));
});

verdicts('a slower canary fails, with the p-value, the effect size and the percentiles in the reason', () => {
  const base = lognormal(400, 20, 0.4, 31);
  const slow = lognormal(400, 30, 0.4, 32); // median 1.5×
  const r = judge({ samples: base }, { samples: slow });
  assert.is(r.verdict, 'Fail');
  assert.is(r.latency!.verdict, 'Fail');
  assert.ok(r.latency!.pGreater < 1e-6);
  assert.ok(r.latency!.cliffsDelta > 0.3);
  assert.ok(r.canary.p50Ms > r.baseline.p50Ms);
  assert.match(r.reasons[0]!, /canary latency is higher than baseline's \(Mann-Whitney normal, one-sided p = .* Cliff's delta/);
  // the same on histograms (what observability's window() answers)
  const h = judge({ histogram: bin(base) }, { histogram: bin(slow) });
  assert.is(h.verdict, 'Fail');
  assert.is(h.latency!.method, 'normal');
  // and mixed: baseline samples, canary histogram (binned into the canary's buckets)
  const mixed = judge({ samples: base }, { histogram: bin(slow) });
  assert.is(mixed.verdict, 'Fail');
  close(mixed.latency!.u2, h.latency!.u2, 1e-9, 'mixed U2');
});

verdicts('a faster canary passes (the test is one-sided)', () => {
  const r = judge({ samples: lognormal(400, 30, 0.4, 41) }, { samples: lognormal(400, 20, 0.4, 42) });
  assert.is(r.verdict, 'Pass');
  assert.ok(r.latency!.pLess < 1e-6);
});

verdicts('a higher error rate fails; a significant but immaterial increase passes', () => {
  const s = lognormal(1000, 20, 0.4, 51);
  const r = judge({ samples: s, requests: 1000, errors: 10 }, { samples: s, requests: 1000, errors: 30 });
  assert.is(r.verdict, 'Fail');
  assert.is(r.errors!.verdict, 'Fail');
  assert.is(r.latency!.verdict, 'Pass');
  assert.match(r.reasons.join(), /canary error rate 3.00% is higher than baseline's 1.00% \(two-proportion z-test, one-sided p = 0.000701 < 0.0250; increase 2.00% >= 1.00%\)/);
  // 0.1% vs 0.3% of 100,000: very significant, but 0.2 points is below minErrorRateIncrease (1 point)
  const small = judge({ histogram: [[10, 100000]], errors: 100 }, { histogram: [[10, 100000]], errors: 300 });
  assert.ok(small.errors!.pGreater < 1e-10);
  assert.is(small.verdict, 'Pass');
  const strict = judge({ histogram: [[10, 100000]], errors: 100 }, { histogram: [[10, 100000]], errors: 300 }, { minErrorRateIncrease: 0.001 });
  assert.is(strict.verdict, 'Fail');
});

verdicts('a tiny latency shift on a huge sample is significant but below the effect size: Pass', () => {
  // 100,000 requests each; 2% of the canary's moved one bucket up: p ≈ 0, Cliff's delta ≈ 0.01
  const base: Histogram = [[10, 50000], [25, 50000]];
  const canary: Histogram = [[10, 48000], [25, 52000]];
  const r = judge({ histogram: base }, { histogram: canary });
  assert.ok(r.latency!.pGreater < 1e-10);
  assert.ok(r.latency!.cliffsDelta < 0.147);
  assert.is(r.verdict, 'Pass');
  assert.is(judge({ histogram: base }, { histogram: canary }, { minLatencyEffect: 0.01 }).verdict, 'Fail');
});

verdicts('too few samples is Inconclusive, saying which version and what to do', () => {
  const r = judge({ samples: [1, 2, 3] }, { samples: lognormal(100, 10, 0.3, 3) });
  assert.is(r.verdict, 'Inconclusive');
  assert.equal(r.reasons, ['baseline has 3 latency observations, fewer than minSamples (20): wait for more traffic or lower minSamples']);
  assert.is(r.latency, undefined);
  // errors only: counted by requests (fractional counts of the load model rounded in the message)
  const e = judge({ histogram: [], requests: 12.34, errors: 1 }, { histogram: [], requests: 500, errors: 1 }, { latency: false });
  assert.is(e.verdict, 'Inconclusive');
  assert.match(e.reasons[0]!, /baseline has 12.3 requests/);
  const ok = judge({ samples: [1, 2, 3] }, { samples: [1, 2, 3] }, { minSamples: 3 });
  assert.is(ok.verdict, 'Pass');
});

verdicts('Bonferroni halves alpha over two tests only', () => {
  const s = lognormal(100, 10, 0.3, 5);
  assert.is(judge({ samples: s }, { samples: s }).alphaPerTest, 0.025);
  assert.is(judge({ samples: s }, { samples: s }, { bonferroni: false }).alphaPerTest, 0.05);
  assert.is(judge({ samples: s }, { samples: s }, { errors: false }).alphaPerTest, 0.05);
  const onlyErrors = judge({ samples: s }, { samples: s }, { latency: false });
  assert.is(onlyErrors.latency, undefined);
  assert.ok(onlyErrors.errors);
  // a p between 0.025 and 0.05 fails only without the correction
  const x = lognormal(60, 10, 0.5, 61);
  const y = x.map((v) => v * 1.17);
  const corrected = judge({ samples: x }, { samples: y }, { minLatencyEffect: 0 });
  const plain = judge({ samples: x }, { samples: y }, { minLatencyEffect: 0, bonferroni: false });
  assert.ok(corrected.latency!.pGreater > 0.025 && corrected.latency!.pGreater < 0.05, `p = ${corrected.latency!.pGreater}`);
  assert.is(corrected.verdict, 'Pass');
  assert.is(plain.verdict, 'Fail');
});

verdicts('deterministic: the same inputs in any order give the same report', () => {
  const x = lognormal(300, 20, 0.5, 71);
  const y = lognormal(300, 24, 0.5, 72);
  const a = judge({ samples: x, requests: 300, errors: 3 }, { samples: y, requests: 300, errors: 9 });
  const b = judge({ samples: [...x].reverse(), requests: 300, errors: 3 }, { samples: [...y].sort((p, q) => p - q), requests: 300, errors: 9 });
  assert.equal(a, b);
  assert.equal(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(judge({ samples: x, requests: 300, errors: 3 }, { samples: y, requests: 300, errors: 9 }))));
});

verdicts('options are checked with their paths', () => {
  assert.equal(judgeOptionsProblems(undefined, 'judge'), []);
  assert.equal(judgeOptionsProblems({ alpha: 0.01, minSamples: 5, bonferroni: false }, 'judge'), []);
  assert.equal(judgeOptionsProblems([], 'm.judge'), ['m.judge: must be an object']);
  assert.equal(judgeOptionsProblems({ alpha: 1, minSamples: 0.5, minLatencyEffect: 2, minErrorRateIncrease: -1, exactMaxSize: 99, latency: 'yes', colour: 1 }, 'j'), [
    'j.alpha: must be a number between 0 and 1 (exclusive)',
    'j.minSamples: must be an integer >= 1',
    "j.minLatencyEffect: must be a number from 0 to 1 (Cliff's delta)",
    'j.minErrorRateIncrease: must be a number from 0 to 1 (a share of requests)',
    'j.exactMaxSize: must be an integer from 0 to 50',
    'j.latency: must be boolean',
    'j.colour: unknown option (one of alpha, bonferroni, minSamples, minLatencyEffect, minErrorRateIncrease, exactMaxSize, latency, errors)',
  ]);
});

dist.run();
mw.run();
prop.run();
quant.run();
verdicts.run();
