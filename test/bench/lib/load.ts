// Load generation: one autocannon run per call, in a child process (see load-child.ts).
import { fileURLToPath } from 'node:url';
import { inChild } from './in-child.js';

export interface LoadOptions {
  connections: number;
  durationSec: number;
}

export interface LoadResult {
  /** Mean requests per second over the run. */
  reqPerSec: number;
  requests: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU the server process used during the run, % of one core (filled in by run.ts). */
  serverCpuPct?: number;
}

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

export function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  return inChild<LoadResult>(CHILD, { send: { url, options } });
}
