// The latency model: percentiles of a known distribution, encode/decode/merge round trips,
// and replay by inverse-CDF sampling — the Kolmogorov–Smirnov distance between recorded
// and replayed latencies stays small, long tail included.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/plugin-sdk';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { LatencyHistogram, MAX_LATENCY_MS, nextEma } from '../src/model/latency.js';

const latency = suite('model: latency histogram');

/** Two-sample Kolmogorov–Smirnov statistic. */
function ks(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    if (x[i] <= y[j]) i++;
    else j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

const lognormal = (seed: number, n: number, mu = 3, sigma = 0.6) => {
  const r = createRandom(seed, 'latency');
  return Array.from({ length: n }, () => Math.exp(mu + sigma * r.normal()));
};

latency('summary: count, min/max, mean, percentiles in ms; EMA given from outside', () => {
  const h = LatencyHistogram.empty();
  for (let v = 1; v <= 1000; v++) h.record(v);
  const s = h.summary(12.5);
  assert.equal([s.count, s.minMs, s.maxMs], [1000, 1, 1000]);
  assert.ok(Math.abs(s.meanMs - 500.5) < 1, String(s.meanMs));
  assert.equal([s.p5Ms, s.p50Ms, s.p90Ms, s.p95Ms, s.p99Ms, s.p999Ms], [50, 500, 900, 950, 990, 999]);
  assert.is(s.emaMs, 12.5);
  assert.equal(LatencyHistogram.empty().summary(), { count: 0, minMs: 0, maxMs: 0, meanMs: 0, emaMs: 0, p5Ms: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0 });
  assert.is(LatencyHistogram.empty().percentile(50), 0);
  assert.is(h.percentile(150), 1000);
});

latency('record ignores nonsense, caps at an hour, rounds to whole ms', () => {
  const h = LatencyHistogram.empty();
  h.record(-1);
  h.record(Number.NaN);
  h.record(Infinity);
  h.record(5, 0);
  assert.is(h.count, 0);
  h.record(0.4);
  h.record(10 * MAX_LATENCY_MS);
  assert.is(h.count, 2);
  assert.is(h.summary().minMs, 0);
  assert.ok(h.summary().maxMs <= MAX_LATENCY_MS * 1.001);
});

latency('encode / decode / merge round trip; readable by hdr-histogram-js as milliseconds', () => {
  const a = LatencyHistogram.empty();
  const b = LatencyHistogram.empty();
  for (const v of lognormal(1, 2000)) a.record(v);
  for (const v of lognormal(2, 1000, 5, 0.3)) b.record(v);
  const text = a.encode();
  assert.ok(text.length < 2000, `${text.length} characters`);
  const back = LatencyHistogram.decode(text);
  assert.equal(back.summary(), a.summary());
  const raw = decodeFromCompressedBase64(text);
  for (const p of [0, 5, 33.3, 50, 90, 95, 99, 99.9, 100]) assert.is(a.percentile(p), raw.getValueAtPercentile(p), `percentile ${p} as hdr-histogram-js has it`);
  back.merge(b);
  assert.is(back.count, 3000);
  assert.ok(back.summary().p99Ms >= b.summary().p50Ms);
  assert.is(LatencyHistogram.decode('').count, 0);
  assert.throws(() => LatencyHistogram.decode('not a histogram'), /latency histogram/);
  back.record(1);
  assert.is(back.count, 3001, 'a decoded histogram keeps recording (auto-resize)');
});

latency('sample: inverse-CDF replay is deterministic and close to the recorded distribution (KS)', () => {
  for (const [seed, mu, sigma] of [
    [1, 3, 0.6],
    [2, 1, 1.2], // long tail, sub-10 ms median
    [3, 6, 0.2],
  ] as const) {
    const real = lognormal(seed, 5000, mu, sigma);
    const h = LatencyHistogram.empty();
    for (const v of real) h.record(v);
    const decoded = LatencyHistogram.decode(h.encode());
    const r1 = createRandom(seed, 'replay');
    const replay = Array.from({ length: 5000 }, () => decoded.sample(r1));
    const d = ks(real, replay);
    console.log(`  lognormal(mu ${mu}, sigma ${sigma}): KS distance ${d.toFixed(4)} over 5,000 + 5,000 values`);
    assert.ok(d < 0.05, `KS ${d}`);
    const r2 = createRandom(seed, 'replay');
    assert.equal(Array.from({ length: 20 }, () => decoded.sample(r2)), replay.slice(0, 20));
    assert.ok(replay.every((v) => v >= 0 && v <= h.summary().maxMs + 0.5));
  }
  assert.is(LatencyHistogram.empty().sample(createRandom(1)), 0);
});

latency('EMA', () => {
  assert.is(nextEma(undefined, 10), 10);
  assert.is(nextEma(10, 20), 11);
  assert.is(nextEma(Number.NaN, 20, 0.5), 20);
});

latency.run();
