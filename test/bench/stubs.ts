// `npm run bench`, first part: Understudy's stub route vs a bare fastify route, measured
// in the same run (DESIGN.md, Benchmarks), plus the kernel pipeline alone. The servers live
// in this process, the load generator in a child (lib/rounds.ts). Prints a markdown table
// and whether stub req/s ≥ 0.85 × bare, and writes test/bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bench, say, settings } from './lib/rounds.js';
import { markdownTable } from './lib/table.js';
import { startBareFastify, startKernelPipeline, startUnderstudyStubs, type Target } from './lib/targets.js';

const TARGET_RATIO = 0.85;

async function main() {
  say(`Understudy bench: ${settings.connections} connections, ${settings.rounds} × ${settings.durationSec} s per target after ${settings.warmupSec} s warm-up, loopback`);
  const bare = await startBareFastify();
  let stubs: Target | undefined;
  let pipeline: Target | undefined;
  try {
    stubs = await startUnderstudyStubs();
    pipeline = await startKernelPipeline();
    const { rows, runs } = await bench([bare, stubs, pipeline]);
    const stub = rows[1]!;
    const met = stub.ratio >= TARGET_RATIO;
    say('');
    say(markdownTable(rows, bare.name));
    say('');
    say(`target: ${stub.name} req/s ≥ ${TARGET_RATIO} × ${bare.name} — ${met ? 'met' : 'NOT met'} (${stub.ratio.toFixed(2)}×)`);

    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      settings,
      baseline: bare.name,
      results: rows.map((r) => ({ ...r, rounds: runs[r.name] })),
      target: { description: `${stub.name} req/s >= ${TARGET_RATIO} x ${bare.name} req/s`, ratio: stub.ratio, met },
    };
    writeFileSync(`${dir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
    say(`wrote test/bench/results/latest.json`);
  } finally {
    await pipeline?.close();
    await stubs?.close();
    await bare.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
