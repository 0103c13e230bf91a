// Ops benchmarks (issue 11), all in one run so every ratio is against a baseline measured
// alongside it:
// - wall time of one simulated hour on the virtual clock (cluster ticks every second, probes,
//   diurnal traffic propagated through the call graph with a sample of real exchanges, and
//   recovery: 1% of the instances killed every 5 minutes) for 1,000 and 10,000 instances;
// - recovery: the db tier of a 1,000-instance world killed at once; simulated time until every
//   service is healthy again, recovery planner vs plain Kubernetes backoff; also with the
//   tiers above it killed a second apart (a cascade, where the order of recovery matters);
//   each with tcpSocket liveness probes (which never see a dependency) and with deep
//   liveness checks (httpGet failing while a critical dependency has no Ready instance:
//   the kubelet kills the dependents of a dead db, the planner lets them wait);
// - req/s of the mesh preset through the gateway (real sockets, autocannon in a child, each
//   server in a process of its own) with the observability plugin on vs off.
// Worlds: lib/ops-world.ts. Not in `npm run bench` yet: run with
//   node --conditions=source --import tsx test/bench/ops.ts
import { fileURLToPath } from 'node:url';
import type { Kernel } from '@understudy/kernel';
import type {} from '@understudy/plugin-cluster';
import type {} from '@understudy/plugin-health';
import type {} from '@understudy/plugin-traffic';
import { forkTarget } from './lib/child-target.js';
import { startOpsWorld, tierNames, type OpsWorld } from './lib/ops-world.js';
import { bench, say } from './lib/rounds.js';
import { markdownTable, type Row } from './lib/table.js';
import type { Target } from './lib/targets.js';

const OPS_CHILD = fileURLToPath(new URL('./lib/ops-child.ts', import.meta.url));
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');

// ------------------------------------------------------------------ one simulated hour

interface HourResult {
  label: string;
  instances: number;
  services: number;
  startMs: number;
  hourMs: number;
  ready: number;
  killed: number;
  restarts: number;
  sampled: number;
  incidents: number;
}

/** Live (not Terminated) instance ids of a service. */
const liveOf = (k: Kernel, service: string) => k.resolve('cluster').instances({ service }).filter((i) => i.state !== 'Terminated').map((i) => i.id);

async function simulatedHour(services: number, instancesPer: number, withObservability = false, seconds = 3600): Promise<HourResult> {
  const t0 = performance.now();
  const k = await startOpsWorld({ services, instancesPer, policy: 'planner', observability: withObservability });
  const startMs = performance.now() - t0;
  try {
    const cluster = k.resolve('cluster');
    const all = () => cluster.instances().filter((i) => i.state !== 'Terminated');
    let killed = 0;
    const t1 = performance.now();
    for (let s = 1; s <= seconds; s++) {
      await k.advance(1000);
      // recovery: every 5 minutes 1% of the instances die (a spread over the services)
      if (s % 300 === 0) {
        const live = all();
        const n = Math.max(1, Math.round(live.length / 100));
        for (let i = 0; i < n; i++) {
          const victim = live[Math.floor(((i + s / 300) * 7919) % live.length)]!;
          try {
            cluster.kill(victim.id, 'bench');
            killed++;
          } catch {
            // already gone
          }
        }
      }
    }
    const hourMs = performance.now() - t1;
    const health = k.resolve('health');
    return {
      label: `${int(services * instancesPer)} instances${withObservability ? ' + observability' : ''}`,
      instances: services * instancesPer,
      services,
      startMs,
      hourMs,
      ready: all().filter((i) => i.state === 'Ready').length,
      killed,
      restarts: health.counters().restarts,
      sampled: k.resolve('traffic').patterns().reduce((s, p) => s + p.sampled, 0),
      incidents: health.counters().incidentsOpened,
    };
  } finally {
    await k.stop();
  }
}

async function hours(): Promise<void> {
  const rows: HourResult[] = [];
  // warm-up (not reported): the first world would otherwise pay for the JIT of every plugin
  say('warm-up: 10 simulated minutes of 1,000 instances …');
  await simulatedHour(50, 20, true, 600);
  for (const [services, per, obs] of [
    [50, 20, false],
    [50, 20, true],
    [500, 20, false],
  ] as const) {
    say(`simulating one hour: ${services} services × ${per} instances${obs ? ' with observability' : ''} …`);
    rows.push(await simulatedHour(services, per, obs));
  }
  const base = rows[0]!;
  say('');
  say('| one simulated hour (3,600 ticks, probes, traffic, recovery) | services | wall s | start s | ticks/s | instances Ready at end | killed | restarts | incidents | sample exchanges | ratio |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    say(`| ${r.label} | ${r.services} | ${fmt(r.hourMs / 1000, 2)} | ${fmt(r.startMs / 1000, 2)} | ${int(3600 / (r.hourMs / 1000))} | ${int(r.ready)} | ${r.killed} | ${r.restarts} | ${r.incidents} | ${int(r.sampled)} | ${fmt(r.hourMs / base.hourMs, 2)}× |`);
  }
  say(`goal: one hour of 1,000 instances in < 10 s — ${base.hourMs < 10_000 ? 'met' : 'NOT met'} (${fmt(base.hourMs / 1000, 2)} s); 10k/1k = ${fmt(rows[2]!.hourMs / base.hourMs, 2)}× for 10× the instances`);
}

// ------------------------------------------------------------------ recovery

interface RecoveryResult {
  policy: 'planner' | 'backoff';
  scenario: string;
  liveness: string;
  /** Simulated seconds from the kill until every service is healthy; undefined past the cap. */
  healedAfterS?: number;
  restarts: number;
  crashLoops: number;
  wallMs: number;
}

const CAP_S = 1800;

const SCENARIOS = ['db tier killed', 'db tier, then its dependents (svc tier) killed', 'db tier, then every tier above it (svc, api, edge) killed'];

/** Liveness probes compared: the world's tcpSocket one, and deep httpGet checks at Kubernetes' default period and threshold and at a tighter one. */
const LIVENESS: Array<{ label: string; deep?: OpsWorld['deepLiveness'] }> = [
  { label: 'tcpSocket 10 s × 3' },
  { label: 'deep httpGet 10 s × 3', deep: { periodSeconds: 10, failureThreshold: 3 } },
  { label: 'deep httpGet 5 s × 2', deep: { periodSeconds: 5, failureThreshold: 2 } },
];

async function recovery(policy: 'planner' | 'backoff', above: number, liveness: (typeof LIVENESS)[number]): Promise<RecoveryResult> {
  const wall0 = performance.now();
  const k = await startOpsWorld({ services: 50, instancesPer: 20, policy, ...(liveness.deep && { deepLiveness: liveness.deep }) });
  try {
    const cluster = k.resolve('cluster');
    const health = k.resolve('health');
    const tiers = tierNames(50);
    // settle: every service healthy before the failure
    for (let s = 0; s < 60 && !health.services().every((h) => h.status === 'healthy'); s++) await k.advance(1000);
    const restarts0 = health.counters().restarts;
    const t0 = k.clock.now();
    for (const db of tiers[3]!) for (const id of liveOf(k, db)) cluster.kill(id, 'bench: db tier down');
    // the tiers above die a second later, nearest first (their dependency is gone)
    for (let t = 2; t > 2 - above; t--) {
      await k.advance(1000);
      for (const svc of tiers[t]!) for (const id of liveOf(k, svc)) cluster.kill(id, 'bench: dependents down');
    }
    let crashLoops = 0;
    const off = k.events.subscribe('cluster.instanceChanged', (e) => {
      if (e.data.to === 'CrashLoopBackOff') crashLoops++;
    });
    let healedAfterS: number | undefined;
    // at least one tick after the kill: health sees the failure first
    await k.advance(1000);
    for (let s = 0; s < CAP_S; s++) {
      if (health.services().every((h) => h.status === 'healthy')) {
        healedAfterS = (k.clock.now() - t0) / 1000;
        break;
      }
      await k.advance(1000);
    }
    off();
    return { policy, scenario: SCENARIOS[above === 0 ? 0 : above === 1 ? 1 : 2]!, liveness: liveness.label, healedAfterS, restarts: health.counters().restarts - restarts0, crashLoops, wallMs: performance.now() - wall0 };
  } finally {
    await k.stop();
  }
}

async function recoveries(): Promise<void> {
  const rows: RecoveryResult[] = [];
  for (const liveness of LIVENESS) {
    for (const above of [0, 1, 3]) {
      for (const policy of ['planner', 'backoff'] as const) {
        say(`recovery: ${policy}, ${SCENARIOS[above === 3 ? 2 : above]}, liveness ${liveness.label} …`);
        rows.push(await recovery(policy, above, liveness));
      }
    }
  }
  say('');
  say('| recovery, 1,000 instances (50 services, db tier 10 services × 20) | liveness probe | policy | simulated s until all healthy | restarts | CrashLoopBackOff entries | ratio backoff/planner | wall s |');
  say('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (let i = 0; i < rows.length; i += 2) {
    const planner = rows[i]!;
    const backoff = rows[i + 1]!;
    const ratio = planner.healedAfterS && backoff.healedAfterS ? `${fmt(backoff.healedAfterS / planner.healedAfterS, 2)}×` : 'n/a';
    for (const r of [planner, backoff]) {
      const healed = r.healedAfterS === undefined ? `not within ${CAP_S} s` : fmt(r.healedAfterS, 0);
      say(`| ${r.scenario} | ${r.liveness} | ${r.policy} | ${healed} | ${r.restarts} | ${r.crashLoops} | ${r === backoff ? ratio : ''} | ${fmt(r.wallMs / 1000, 2)} |`);
    }
  }
  const first = rows[0]!;
  say(`users ask for recovery in < 30 s: planner ${first.healedAfterS === undefined ? 'did not recover' : `${fmt(first.healedAfterS, 0)} s — ${first.healedAfterS < 30 ? 'met' : 'NOT met'}`} (db startupSeconds 15, other services 5)`);
}

// ------------------------------------------------------------------ observability overhead

async function overhead(): Promise<void> {
  const targets: Target[] = [];
  try {
    for (const name of ['checkout, mesh preset, observability off', 'checkout, mesh preset, observability on']) targets.push(await forkTarget(OPS_CHILD, [name], name));
    const { rows } = await bench(targets, { checkBody: false });
    const [off, on] = rows as [Row, Row];
    say('');
    say(markdownTable([off, on], 'observability off'));
    const hops = 12; // exchanges per checkout (gateway + 11 child calls)
    say(`observability on: ${int(on.reqPerSec)} checkouts/s = ${int(on.reqPerSec * hops)} exchanges/s traced and logged (${hops} per checkout); overhead ${fmt((1 - on.reqPerSec / off.reqPerSec) * 100, 1)} % of req/s; target 10,000+ transactions/s — ${on.reqPerSec >= 10_000 ? 'met as checkouts' : on.reqPerSec * hops >= 10_000 ? 'met as exchanges, not as checkouts' : 'NOT met'}`);
  } finally {
    for (const t of targets) await t.close();
  }
}

async function section(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    say('');
    say(`| ${name} | not measured: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]} |`);
    say('| --- | --- |');
    process.stderr.write(`ops bench, ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_OPS_ONLY;
  if (!only || only === 'hour') await section('one simulated hour', hours);
  if (!only || only === 'recovery') await section('recovery', recoveries);
  if (!only || only === 'http') await section('observability overhead', overhead);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`ops bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
