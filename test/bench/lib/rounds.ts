// The measuring loop every HTTP bench shares: each target gets a warm-up, then measured
// rounds in alternating order (A B, B A, …) so neither always goes first; autocannon runs
// in a child process (load.ts) so it never competes with a server for an event loop.
//
// Knobs (env): BENCH_DURATION (s per measured round, default 5), BENCH_WARMUP (s, 1),
// BENCH_CONNECTIONS (50), BENCH_ROUNDS (measured rounds per target, 3).
import { runLoad, type LoadResult } from './load.js';
import type { Row } from './table.js';
import { checkTarget, type Target } from './targets.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
export const settings = {
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
