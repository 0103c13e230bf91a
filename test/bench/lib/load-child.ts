// Child process entry: runs autocannon against one URL and sends the numbers back over IPC.
// It runs in its own process so the load generator never shares an event loop (or a core,
// on a 2-core machine) with the servers being measured.
//
// Latency percentiles are computed here from every response time autocannon reports
// (float ms): autocannon's own latency histogram has 1 ms resolution, which reads
// "p50 0 ms" for every loopback target and hides the difference we want to see.
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load.js';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

process.once('message', async (msg: { url: string; options: LoadOptions }) => {
  const { url, options } = msg;
  let times = new Float64Array(1 << 20);
  let n = 0;
  const instance = autocannon({ url, connections: options.connections, pipelining: 1, duration: options.durationSec });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status < 200 || status >= 300) return;
    if (n === times.length) {
      const bigger = new Float64Array(times.length * 2);
      bigger.set(times);
      times = bigger;
    }
    times[n++] = ms;
  });
  const result = await instance;
  const sorted = times.subarray(0, n).sort();
  const out: LoadResult = {
    reqPerSec: result.requests.total / result.duration,
    requests: result.requests.total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
  process.send!(out, () => process.exit(0));
});
