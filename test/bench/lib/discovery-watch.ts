// Discovery benchmark: how fast a registration reaches a waiting Consul blocking query.
// Real clock, loopback only, bounded: each sample parks `GET /v1/health/service/x?index=N`
// on the server, then registers an instance and times registration-sent → query-answered
// (part of test/bench/mesh.ts).
import { performance } from 'node:perf_hooks';
import { createKernel, type Kernel } from '@understudy/kernel';
import discovery from '@understudy/plugin-discovery';

export interface WatchLatency {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Resolve once a blocking query holds a timer on the kernel clock (i.e. it is parked). */
async function parked(kernel: Kernel, count: number): Promise<void> {
  const deadline = performance.now() + 5000;
  while (kernel.clock.pendingTimers() < count) {
    if (performance.now() > deadline) throw new Error('the blocking query never parked');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function benchWatchLatency(opts: { samples?: number } = {}): Promise<WatchLatency> {
  const samples = Math.max(1, Math.min(opts.samples ?? 200, 10_000));
  const kernel = createKernel({ plugins: [discovery], config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' } });
  const base = await kernel.start();
  const took: number[] = [];
  try {
    let index = Number((await fetch(`${base}/v1/health/service/x`).then(async (r) => (await r.arrayBuffer(), r))).headers.get('x-consul-index'));
    for (let i = 0; i < samples; i++) {
      const idle = kernel.clock.pendingTimers();
      const blocked = fetch(`${base}/v1/health/service/x?index=${index}&wait=10s`);
      await parked(kernel, idle + 1);
      const started = performance.now();
      const registered = fetch(`${base}/v1/agent/service/register`, {
        method: 'PUT',
        body: JSON.stringify({ Name: 'x', ID: `x-${i}`, Address: '127.0.0.1', Port: 8000 + (i % 1000) }),
      });
      const res = await blocked;
      took.push(performance.now() - started);
      const body = (await res.json()) as unknown[];
      if (body.length !== i + 1) throw new Error(`sample ${i}: expected ${i + 1} instances, saw ${body.length}`);
      index = Number(res.headers.get('x-consul-index'));
      await (await registered).arrayBuffer();
    }
  } finally {
    await kernel.stop();
  }
  took.sort((a, b) => a - b);
  return { p50Ms: percentile(took, 50), p99Ms: percentile(took, 99), samples: took.length };
}
