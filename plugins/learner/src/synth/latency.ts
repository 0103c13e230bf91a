// A latency for one mock response, drawn from the endpoint's learned distribution by
// inverse-CDF sampling: a uniform u from the request's random stream, then the histogram's
// value at percentile 100·u — so replayed latencies follow the recorded ones, long tail
// included (a fixed or mean delay would not). The encoded HDR histogram is decoded once
// and kept in a small bounded cache (decoding inflates the base64 text, ~50 µs). Without a
// usable histogram, a log-normal fitted to the summary's p50 and p99 stands in.
import { decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Random } from '@understudy/plugin-sdk';
import type { EndpointModel, LatencySummary } from '../model/types.js';

/** Decoded histograms kept; the cache is emptied when full (models are few, this is a safety bound). */
const CACHE_LIMIT = 512;
const decoded = new Map<string, Histogram | null>();

function histogramOf(encoded: string | undefined): Histogram | null {
  if (!encoded) return null;
  if (decoded.has(encoded)) return decoded.get(encoded)!;
  let h: Histogram | null = null;
  try {
    h = decodeFromCompressedBase64(encoded) as Histogram;
    if (h.totalCount === 0) h = null;
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
  const u = random.next();
  const ms = h ? h.getValueAtPercentile(Math.min(100, Math.max(0, u * 100))) : fromSummary(model.latency, random);
  return Math.max(0, Math.round(ms * 1000) / 1000);
}
