// Child process of the kill -9 test (persistence.test.ts): a kernel with the learner on the
// storage given in argv, learning batch after batch through the service as the proxy would
// feed it. Before each step it writes a line synchronously to stdout — `loaded N` (what the
// store held at start), `observed B` (batch B is queued), `committed B` (the flush that
// wrote batch B has resolved) — so the parent knows, whenever it kills, which batches were
// surely written and which may have been in flight. Loops until it is killed.
import { writeSync } from 'node:fs';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import learnerPlugin from '../src/index.js';
import type { LearnerService } from '../src/service.js';

const { config, cwd, perBatch } = JSON.parse(process.argv[2]) as { config: Record<string, unknown>; cwd: string; perBatch: number };
const say = (line: string) => writeSync(1, `${line}\n`);

const kernel = await createTestKernel({ plugins: [learnerPlugin], config: { learner: config }, cwd, listen: false });
const learner = kernel.resolve('learner') as LearnerService;
const interval = Number(config.flushIntervalMs ?? 250);
const learned = () => learner.endpoints().reduce((n, e) => n + e.count, 0);
say(`loaded ${learned()}`);

for (let batch = 1; ; batch++) {
  const at = kernel.clock.now();
  for (let i = 0; i < perBatch; i++) {
    const id = batch * 10_000 + i;
    const body = JSON.stringify({ id, name: `Item ${id}`, tags: ['a', 'b'], price: (id % 997) / 10, createdAt: '2026-01-02T03:04:05Z' });
    learner.observe({
      at: at + i,
      method: 'GET',
      path: `/items/${id}`,
      query: {},
      requestHeaders: { accept: 'application/json', authorization: 'Bearer secret-token' },
      status: 200,
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: body,
      responseBytes: body.length,
      latencyMs: 5 + (i % 40),
      upstream: 'default',
      source: 'proxy',
    });
  }
  say(`observed ${batch}`);
  // one interval of kernel time: the flush timer fires and starts the batch's transaction…
  await kernel.clock.advance(interval);
  // …and this resolves once it is committed
  await learner.flush();
  say(`committed ${batch}`);
}
