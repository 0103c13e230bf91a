// The soak's load generator, in a process of its own (it never shares an event loop with
// the server it measures): autocannon at a fixed overall rate looping over the mix of
// soak-mix.ts. It reports progress each `reportEverySec` and, at the end, the statuses
// of each kind of request and the latency percentiles (from every response time
// autocannon reports, as load-child.ts does: its own histogram has 1 ms resolution).
import autocannon from 'autocannon';
import { cycle, ORDER_BODY } from './soak-mix.js';

export interface SoakLoadOptions {
  base: string;
  rate: number;
  durationSec: number;
  connections: number;
  largeBytes: number;
  reportEverySec: number;
}

export interface SoakLoadResult {
  requests: number;
  durationSec: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  /** Responses of each kind of request by status. */
  byKind: Record<string, Record<string, number>>;
  /** Responses whose status was not the one a healthy server answers. */
  unexpected: number;
}

/**
 * What the soak passes autocannon beyond lib/autocannon.d.ts (whose interfaces cannot be
 * merged into: that module declaration has an explicit default export): a fixed overall
 * rate, and the sequence every connection loops over.
 */
type SoakOptions = Parameters<typeof autocannon>[0] & {
  overallRate: number;
  requests: Array<{ method: string; path: string; body?: string | Buffer; headers?: Record<string, string>; onResponse(status: number): void }>;
};

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

process.once('message', async (o: SoakLoadOptions) => {
  const large = Buffer.alloc(o.largeBytes, 'L');
  const byKind: Record<string, Record<string, number>> = {};
  let unexpected = 0;
  const requests = cycle().map((item) => {
    const counts = (byKind[item.kind] ??= {});
    return {
      method: item.method,
      path: item.path,
      ...(item.body === 'large' && { body: large, headers: { 'content-type': 'application/octet-stream' } }),
      ...(item.body === 'json' && { body: ORDER_BODY, headers: { 'content-type': 'application/json' } }),
      onResponse: (status: number) => {
        counts[status] = (counts[status] ?? 0) + 1;
        if (status !== item.expect) unexpected++;
      },
    };
  });

  let times = new Float64Array(1 << 20);
  let n = 0;
  const options: SoakOptions = { url: o.base, connections: o.connections, overallRate: o.rate, duration: o.durationSec, pipelining: 1, requests };
  const instance = autocannon(options);
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (n === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[n++] = ms;
  });
  const progress = setInterval(() => process.send!({ type: 'progress', requests: n }), o.reportEverySec * 1000);
  const result = await instance;
  clearInterval(progress);
  const sorted = times.subarray(0, n).sort();
  const out: SoakLoadResult = {
    requests: result.requests.total,
    durationSec: result.duration,
    reqPerSec: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    errors: result.errors,
    timeouts: result.timeouts,
    byKind,
    unexpected,
  };
  process.send!({ type: 'done', result: out }, () => process.exit(0));
});
