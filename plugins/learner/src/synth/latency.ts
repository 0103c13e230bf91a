// A latency for one mock response, drawn from the endpoint's learned distribution: the
// model's LatencyHistogram (model/latency.ts) samples by inverse CDF over its buckets, so
// replayed latencies follow the recorded ones, long tail included (a fixed or mean delay
// would not). Decoding inflates the base64 text and builds the CDF, so decoded histograms
// are kept in a small bounded cache keyed by the encoded text (a model's histogram text
// changes whenever it learns, which retires the entry). Without a usable histogram, a
// log-normal fitted to the summary's p50 and p99 stands in.
import type { Random } from '@understudy/plugin-sdk';
import { LatencyHistogram } from '../model/latency.js';
import type { EndpointModel, LatencySummary } from '../model/types.js';

/** Decoded histograms kept; the cache is emptied when full (models are few, this is a safety bound). */
const CACHE_LIMIT = 512;
const decoded = new Map<string, LatencyHistogram | null>();

function histogramOf(encoded: string | undefined): LatencyHistogram | null {
  if (!encoded) return null;
  if (decoded.has(encoded)) return decoded.get(encoded)!;
  let h: LatencyHistogram | null = null;
  try {
    h = LatencyHistogram.decode(encoded);
  } catch {
    h = null;
  }
  if (decoded.size >= CACHE_LIMIT) decoded.clear();
  decoded.set(encoded, h);
  return h;
}

/** z of the 99th percentile of a standard normal. */
const Z99 = 2.3263478740408408;

/** Log-normal parameters from a median and a 99th percentile (sigma 0 when they agree). */
export function lognormalFit(p50: number, p99: number): { median: number; sigma: number } {
  if (!(p50 > 0)) return { median: 0, sigma: 0 };
  const sigma = p99 > p50 ? Math.log(p99 / p50) / Z99 : 0;
  return { median: p50, sigma: Number(sigma.toFixed(4)) };
}

function fromSummary(s: LatencySummary | undefined, random: Random): number {
  if (!s || !s.count) return 0;
  const { median, sigma } = lognormalFit(s.p50Ms, s.p99Ms);
  if (!median) return Math.max(0, s.meanMs || 0);
  const v = median * Math.exp(sigma * random.normal());
  return Math.min(Math.max(v, s.minMs), s.maxMs || v);
}

/** Milliseconds to wait before answering, from the learned distribution (0 when nothing was learned). */
export function sampleLatency(model: Pick<EndpointModel, 'latencyHistogram' | 'latency'>, random: Random): number {
  const h = histogramOf(model.latencyHistogram);
  const ms = h && h.count > 0 ? h.sample(random) : fromSummary(model.latency, random);
  return Math.max(0, Math.round(ms * 1000) / 1000);
}
