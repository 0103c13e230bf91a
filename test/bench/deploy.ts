// Deploy benchmark (issue 12): 100+ deployments over one simulated day on the 1,000-instance
// ops world (50 services in four tiers × 20 instances, probes, diurnal traffic at the edge,
// the recovery planner, observability; lib/deploy-world.ts) on the virtual clock, under
// continuous traffic.
//
// - One deployment every 11 simulated minutes from minute 10 to 10 minutes before the end
//   (130 in a day), round-robin over the services, the strategy rotating rollingUpdate
//   (maxSurge 25 %, maxUnavailable 0), blueGreen (pre-promotion analysis) and canary
//   (setWeight 20, pause 30 s, analysis, setWeight 50, pause 30 s). The analysis is an
//   error-rate template (3 measurements 20 s apart, result < 0.02); a service the call graph
//   leaves idle has no requests to judge and passes (`noData: nan`, `isNaN(result) ||`),
//   where an Inconclusive run would pause it until a person promotes it. Every tenth
//   deployment is a bad version on purpose — one that crashes on start (rollingUpdate, every
//   other blueGreen) or answers 50 % errors (canary, the other blueGreens) — which readiness
//   or analysis must roll back.
// - Failed requests, as the cluster's load model counts them (observability's
//   `understudy_simulated_errors_total` is the same sum, less the real exchanges): each tick, per service, (demand − served) ×
//   the tick's length, where served = admitted × (1 − the service's error rate, its own
//   instances' — overload, its versions' errorRate — combined with its critical
//   dependencies'), and a service without a Ready instance serves nothing. "User requests"
//   sums that over the edge services only (a request failing three hops down fails once, at
//   the edge); "all hops" over every service. The traffic plugin's sampled real exchanges
//   (one a second per edge service, dispatched through mesh, routed by deploy's weights at
//   every hop) are counted too: a 5xx or no answer is a failure.
// - Each second's failures are attributed to the deployments running then (from
//   deploy.started to its end + 60 s, past the 30 s scale-down delay): to a bad version if
//   one is running (on purpose), else to the good deployments running, else to no deployment.
// - Rollout duration: deploy.started to deploy.completed (Healthy) in simulated minutes, and
//   to deploy.aborted for the ones rolled back.
// The load model splits a service's demand by deploy's weights, as real exchanges are routed
// (cluster.setTrafficWeights): a canary takes its weight's share, and a blue/green preview
// takes no traffic before its switch, so a bad preview fails no request until it is promoted
// — but its pre-promotion analysis then has no requests to judge either (`noData: nan`
// passes it), and only an analysis after the switch (postPromotionAnalysis) can catch it.
// Header/cookie routes are not modelled.
//
//   node --conditions=source --import tsx test/bench/deploy.ts   (DEPLOY_BENCH_HOURS=2 for a short run)
import { fileURLToPath } from 'node:url';
import type { Kernel, UnderstudyEvent } from '@understudy/kernel';
import type { RolloutRequest, Strategy } from '@understudy/plugin-deploy';
import { newMeter, startDeployWorld, type Meter } from './lib/deploy-world.js';
import { tierNames } from './lib/ops-world.js';
import { say } from './lib/rounds.js';

const SERVICES = 50;
const INSTANCES_PER = 20;
const HOURS = Number(process.env.DEPLOY_BENCH_HOURS ?? 24);
const FIRST_MIN = 10;
const EVERY_MIN = 11;
/** After a rollout ends, its failures still count for it this long (scaleDownDelaySeconds 30 + margin). */
const AFTER_MS = 60_000;
const GOAL_MIN = 5;

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (b: number) => `${int(b / 1024 / 1024)} MiB`;

type StrategyName = 'rollingUpdate' | 'blueGreen' | 'canary';
type Bad = 'crash' | 'errors' | undefined;

interface Deployment {
  i: number;
  workload: string;
  version: string;
  strategy: StrategyName;
  bad: Bad;
  startedAt?: number;
  endedAt?: number;
  outcome?: string;
  refused?: string;
  failed: number;
}

const ANALYSIS = {
  // a service nobody calls has nothing to judge: NaN passes (else Inconclusive would pause it until a person promotes)
  'error-rate': { metrics: [{ name: 'error-rate', interval: '20s', count: 3, successCondition: 'isNaN(result) || result < 0.02', provider: { kind: 'errorRate', window: '20s', noData: 'nan' } }] },
};
const ref = { templates: [{ templateName: 'error-rate' }] };

function strategyOf(name: StrategyName): Strategy {
  if (name === 'rollingUpdate') return { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
  // a preview takes no traffic before the switch (weight 0), so its pre-promotion analysis has
  // no data; the post-promotion analysis judges it on real traffic and switches back
  if (name === 'blueGreen') return { blueGreen: { prePromotionAnalysis: ref, postPromotionAnalysis: ref, scaleDownDelaySeconds: 30, abortScaleDownDelaySeconds: 30 } };
  return {
    canary: {
      steps: [{ setWeight: 20 }, { pause: { duration: '30s' } }, { analysis: ref }, { setWeight: 50 }, { pause: { duration: '30s' } }],
      scaleDownDelaySeconds: 30,
      abortScaleDownDelaySeconds: 30,
    },
  };
}

/** The day's plan: which service, strategy and version, and the bad ones. */
function plan(): Deployment[] {
  const services = tierNames(SERVICES).flat();
  const out: Deployment[] = [];
  // the last one starts 10 minutes before the end, so that every rollout can finish
  const n = Math.floor((HOURS * 60 - FIRST_MIN - 10) / EVERY_MIN) + 1;
  for (let i = 0; i < n; i++) {
    const strategy = (['rollingUpdate', 'blueGreen', 'canary'] as const)[i % 3]!;
    const bad: Bad = i % 10 !== 4 ? undefined : strategy === 'rollingUpdate' ? 'crash' : strategy === 'canary' ? 'errors' : Math.floor(i / 10) % 2 === 0 ? 'crash' : 'errors';
    out.push({ i, workload: services[i % services.length]!, version: `2.${i}.0`, strategy, bad, failed: 0 });
  }
  return out;
}

function request(d: Deployment): RolloutRequest {
  const r: RolloutRequest = { workload: d.workload, version: d.version, strategy: strategyOf(d.strategy), by: 'bench', reason: d.bad ? `a bad version on purpose (${d.bad})` : 'a good version' };
  if (d.bad) r.template = { versions: { [d.version]: d.bad === 'crash' ? { crashOnStart: true } : { errorRate: 0.5 } } };
  return r;
}

const ENDS = new Set(['deploy.completed', 'deploy.aborted', 'deploy.rolledBack', 'deploy.degraded']);

interface Buckets {
  good: Meter;
  bad: Meter;
  none: Meter;
}

function add(into: Meter, from: Meter, base: Meter): void {
  into.modelFailed += from.modelFailed - base.modelFailed;
  into.modelFailedAllHops += from.modelFailedAllHops - base.modelFailedAllHops;
  into.modelRequests += from.modelRequests - base.modelRequests;
  into.realFailed += from.realFailed - base.realFailed;
  into.realRequests += from.realRequests - base.realRequests;
}

const p95 = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
};

async function day(): Promise<void> {
  const meter = newMeter();
  const t0 = performance.now();
  const k: Kernel = await startDeployWorld({ services: SERVICES, instancesPer: INSTANCES_PER, analysisTemplates: ANALYSIS }, meter);
  const startMs = performance.now() - t0;
  const deployments = plan();
  const running = new Map<string, Deployment>();
  const recent: Deployment[] = [];
  const off = k.events.subscribe((e: UnderstudyEvent) => {
    if (!e.type.startsWith('deploy.')) return;
    const data = e.data as { workload: string; phase: string };
    const d = running.get(data.workload);
    if (!d) return;
    if (ENDS.has(e.type) && d.endedAt === undefined) {
      d.endedAt = e.at;
      d.outcome = data.phase;
      running.delete(data.workload);
    }
  });
  const buckets: Buckets = { good: newMeter(), bad: newMeter(), none: newMeter() };
  let peakRss = process.memoryUsage().rss;
  try {
    const cluster = k.resolve('cluster');
    const deploy = k.resolve('deployments');
    const instances = cluster.instances().filter((i) => i.state !== 'Terminated').length;
    const begin = k.clock.now();
    let next = 0;
    const t1 = performance.now();
    const seconds = HOURS * 3600;
    for (let s = 1; s <= seconds; s++) {
      const base = { ...meter };
      await k.advance(1000);
      const now = k.clock.now();
      // attribute this second's failures
      for (let j = recent.length - 1; j >= 0; j--) if (recent[j]!.endedAt !== undefined && now - recent[j]!.endedAt! > AFTER_MS) recent.splice(j, 1);
      const bad = recent.some((d) => d.bad);
      const into = bad ? buckets.bad : recent.length > 0 ? buckets.good : buckets.none;
      add(into, meter, base);
      if (!bad && recent.length > 0) for (const d of recent) d.failed += meter.modelFailed - base.modelFailed;
      // start the deployments now due
      while (next < deployments.length && now - begin >= (FIRST_MIN + next * EVERY_MIN) * 60_000) {
        const d = deployments[next++]!;
        try {
          deploy.start(request(d));
          d.startedAt = now;
          running.set(d.workload, d);
          recent.push(d);
        } catch (err) {
          d.refused = (err as Error).message;
        }
      }
      if (s % 3600 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const wallMs = performance.now() - t1;
    const mem = process.memoryUsage();
    peakRss = Math.max(peakRss, mem.rss);
    report(deployments, buckets, { instances, startMs, wallMs, rss: mem.rss, heapUsed: mem.heapUsed, peakRss });
  } finally {
    off();
    await k.stop();
  }
}

interface Perf {
  instances: number;
  startMs: number;
  wallMs: number;
  rss: number;
  heapUsed: number;
  peakRss: number;
}

function report(all: Deployment[], b: Buckets, perf: Perf): void {
  const started = all.filter((d) => d.startedAt !== undefined);
  const minutes = (d: Deployment) => (d.endedAt! - d.startedAt!) / 60_000;
  const healthy = started.filter((d) => d.outcome === 'Healthy');
  const rolledBack = started.filter((d) => d.outcome === 'Aborted' || d.outcome === 'RolledBack');
  const other = started.filter((d) => d.outcome !== undefined && !healthy.includes(d) && !rolledBack.includes(d));
  const unfinished = started.filter((d) => d.outcome === undefined);
  say('');
  say(`## Deployments: ${int(started.length)} over ${HOURS} simulated hour(s) on ${int(perf.instances)} instances (${SERVICES} services), one every ${EVERY_MIN} min`);
  say('');
  say('| strategy | started | bad on purpose | finished (Healthy) | rolled back: bad | rolled back: good | other / unfinished | max min (Healthy) | p95 min (Healthy) | max min to roll back |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const row = (label: string, ds: Deployment[]) => {
    const h = ds.filter((d) => d.outcome === 'Healthy');
    const rb = ds.filter((d) => d.outcome === 'Aborted' || d.outcome === 'RolledBack');
    const durations = h.map(minutes);
    const back = rb.map(minutes);
    const rest = ds.filter((d) => !h.includes(d) && !rb.includes(d)).length;
    say(`| ${label} | ${ds.length} | ${ds.filter((d) => d.bad).length} | ${h.length} | ${rb.filter((d) => d.bad).length} | ${rb.filter((d) => !d.bad).length} | ${rest} | ${durations.length ? fmt(Math.max(...durations), 2) : '–'} | ${durations.length ? fmt(p95(durations), 2) : '–'} | ${back.length ? fmt(Math.max(...back), 2) : '–'} |`);
  };
  for (const s of ['rollingUpdate', 'blueGreen', 'canary'] as const) row(s, started.filter((d) => d.strategy === s));
  row('**all**', started);
  const refused = all.filter((d) => d.refused);
  if (refused.length) say(`refused at start: ${refused.length} (${refused[0]!.refused})`);
  if (other.length || unfinished.length) say(`other outcomes: ${other.map((d) => `${d.workload} ${d.version} ${d.strategy} ${d.outcome}`).join(', ') || 'none'}; unfinished at the end: ${unfinished.map((d) => `${d.workload} ${d.version} ${d.strategy}`).join(', ') || 'none'}`);
  say('');
  say('| failed requests while … | user requests (model, at the edge) | of user requests | all hops (model) | sampled real exchanges failed |');
  say('| --- | ---: | ---: | ---: | ---: |');
  const frow = (label: string, m: Meter) =>
    say(`| ${label} | ${fmt(m.modelFailed, 1)} | ${int(m.modelRequests)} | ${fmt(m.modelFailedAllHops, 1)} | ${int(m.realFailed)} of ${int(m.realRequests)} |`);
  frow('good deployments ran', b.good);
  frow('a bad version ran (on purpose)', b.bad);
  frow('no deployment ran', b.none);
  say('');
  const durations = healthy.map(minutes);
  const max = durations.length ? Math.max(...durations) : NaN;
  const goodFailed = b.good.modelFailed + b.good.realFailed;
  const worst = started.filter((d) => !d.bad && d.failed > 0.5).sort((x, y) => y.failed - x.failed).slice(0, 3);
  say(`goal: zero failed requests caused by the good deployments — ${fmt(b.good.modelFailed, 1)} model + ${int(b.good.realFailed)} real: ${goodFailed < 0.5 ? 'met' : 'NOT met'}${worst.length ? ` (most: ${worst.map((d) => `${d.workload} ${d.strategy} ${fmt(d.failed, 1)}`).join(', ')})` : ''}`);
  say(`goal: each finished rollout within ${GOAL_MIN} simulated minutes — max ${fmt(max, 2)} min, p95 ${fmt(p95(durations), 2)} min over ${healthy.length}: ${max <= GOAL_MIN ? 'met' : 'NOT met'}`);
  say(`bad versions rolled back: ${rolledBack.filter((d) => d.bad).length} of ${started.filter((d) => d.bad).length}; good versions rolled back: ${rolledBack.filter((d) => !d.bad).length}`);
  say('');
  say(`| wall time (start) | wall time (${HOURS} simulated h) | per simulated hour | rss at the end | peak rss (hourly) | heap used at the end |`);
  say('| ---: | ---: | ---: | ---: | ---: | ---: |');
  say(`| ${fmt(perf.startMs / 1000, 2)} s | ${fmt(perf.wallMs / 1000, 1)} s | ${fmt(perf.wallMs / 1000 / HOURS, 2)} s | ${mib(perf.rss)} | ${mib(perf.peakRss)} | ${mib(perf.heapUsed)} |`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  day().catch((err) => {
    process.stderr.write(`deploy bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
