// The safety validator over 100,000 records of every type of every built-in industry (22
// types, 2.2 million records), in worker threads (one per available core, up to 4), each type
// in a data set scaled so it has 100,000 entities and the others keep their ratios. Every
// record must pass. It prints a table of the time per type. About 130 s on two idle cores,
// so it asks the runner for more than the default 120 s per file; INDUSTRY_DATA_RECORDS runs
// fewer (or more) per type. Its own file, because it is the slow one.
// understudy-test-timeout: 900
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILTIN_INDUSTRIES } from '../src/builtins.js';

const RECORDS = Number(process.env.INDUSTRY_DATA_RECORDS ?? 100_000);

interface Result {
  industry: string;
  plural: string;
  records: number;
  bad: number;
  examples: unknown[];
  ms: number;
}

test(`the validator passes ${RECORDS.toLocaleString('en')} records of every type`, async () => {
  const jobs = Object.values(BUILTIN_INDUSTRIES).flatMap((spec) => spec.types.map((t) => ({ industry: spec.name, plural: t.plural })));
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  const shares: Array<typeof jobs> = Array.from({ length: workers }, () => []);
  jobs.forEach((job, i) => shares[i % workers].push(job));
  const started = performance.now();
  const results: Result[] = [];
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./safety-100k-worker.mjs', import.meta.url), { workerData: { jobs: share, records: RECORDS }, execArgv: ['--conditions=source'] });
          worker.on('message', (r: Result) => results.push(r));
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
        }),
    ),
  );
  const wall = performance.now() - started;
  const rows = results.sort((a, b) => `${a.industry}/${a.plural}`.localeCompare(`${b.industry}/${b.plural}`));
  const lines = rows.map((r) => `  ${`${r.industry}/${r.plural}`.padEnd(32)} ${String(r.records).padStart(8)} ${(r.ms / 1000).toFixed(1).padStart(7)} s ${((r.ms * 1000) / r.records).toFixed(1).padStart(8)} µs/record  ${r.bad} unsafe`);
  const total = rows.reduce((s, r) => s + r.records, 0);
  process.stdout.write(`\nsafety validator, ${RECORDS} records per type, ${workers} worker(s):\n${lines.join('\n')}\n  ${'total'.padEnd(32)} ${String(total).padStart(8)} ${(wall / 1000).toFixed(1).padStart(7)} s wall\n`);
  assert.is(rows.length, jobs.length);
  for (const r of rows) assert.is(r.bad, 0, `${r.industry}/${r.plural}: ${JSON.stringify(r.examples)}`);
});

test.run();
