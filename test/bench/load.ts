// Load generation: one autocannon run per call, in a child process (see load-child.ts).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  return new Promise((resolve, reject) => {
    // Inherit --conditions=source --import tsx so the child can run TypeScript.
    const child = fork(CHILD, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (m) => (result = m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send({ url, options });
  });
}
