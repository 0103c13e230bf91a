// `npm run bench`: Understudy's stub route vs a bare fastify route, measured in the same
// run (DESIGN.md, Benchmarks), plus the kernel pipeline alone. The servers live in this process; autocannon runs in a
// child process (load.ts) so it never competes with them for this event loop. Each target
// gets a warm-up, then measured rounds in alternating order (A B, B A, …) so neither
// always goes first. Prints a markdown table and whether stub req/s ≥ 0.85 × bare, and
// writes test/bench/results/latest.json.
//
// Knobs (env): BENCH_DURATION (s per measured round, default 5), BENCH_WARMUP (s, 1),
// BENCH_CONNECTIONS (50), BENCH_ROUNDS (measured rounds per target, 3).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadResult } from './load.js';
import { markdownTable, type Row } from './table.js';
import { checkTarget, startBareFastify, startKernelPipeline, startUnderstudyStubs, type Target } from './targets.js';

const TARGET_RATIO = 0.85;
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const settings = {
  durationSec: num('BENCH_DURATION', 5),
  warmupSec: num('BENCH_WARMUP', 1),
  connections: num('BENCH_CONNECTIONS', 50),
  rounds: num('BENCH_ROUNDS', 3),
};
export const say = (line = '') => process.stdout.write(`${line}\n`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function bench(
  targets: Target[],
  { checkBody = true }: { checkBody?: boolean } = {},
): Promise<{ rows: Row[]; runs: Record<string, LoadResult[]> }> {
  if (checkBody) for (const t of targets) await checkTarget(t);
  for (const t of targets) {
    say(`warm-up  ${t.name} (${settings.warmupSec} s)`);
    await runLoad(t.url, { connections: settings.connections, durationSec: settings.warmupSec });
  }
  const runs: Record<string, LoadResult[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      // Server-side CPU share tells whether the server (≈100 %) or the load generator was the limit.
      const cpuOf = t.cpuUsage ?? (async () => process.cpuUsage());
      const cpu0 = await cpuOf();
      const wall0 = performance.now();
      const r = await runLoad(t.url, { connections: settings.connections, durationSec: settings.durationSec });
      const cpu1 = await cpuOf();
      const cpu = { user: cpu1.user - cpu0.user, system: cpu1.system - cpu0.system };
      r.serverCpuPct = Math.round(((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100);
      if (r.errors || r.non2xx || r.timeouts) {
        throw new Error(`${t.name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses — results would be meaningless`);
      }
      say(`round ${round + 1}  ${t.name}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, server CPU ${r.serverCpuPct} %`);
      runs[t.name]!.push(r);
    }
  }
  const baseline = mean(runs[targets[0]!.name]!.map((r) => r.reqPerSec));
  const rows = targets.map((t) => {
    const rs = runs[t.name]!;
    const reqPerSec = mean(rs.map((r) => r.reqPerSec));
    return { name: t.name, reqPerSec, p50: mean(rs.map((r) => r.p50)), p99: mean(rs.map((r) => r.p99)), ratio: reqPerSec / baseline };
  });
  return { rows, runs };
}

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
