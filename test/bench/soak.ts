// Soak benchmark (not a test, not part of `npm run bench`): mixed traffic at a fixed rate
// against the whole mesh preset for minutes, with the server's memory sampled as it goes.
// Flat is the goal: every store that holds traffic (the stubs journal, traces, the event
// buffer) is bounded by count and bytes, so after warming up the RSS should stop growing.
//
//   node --conditions=source --import tsx test/bench/soak.ts
//
// Knobs (env): SOAK_MINUTES (default 10), SOAK_RPS (overall requests/s, 2000),
// SOAK_CONNECTIONS (32), SOAK_LARGE_BYTES (body of the large uploads, 1 MiB),
// SOAK_SAMPLE_SEC (10).
//
// The server (lib/soak-child.ts: the mesh preset, simulated latency and errors scaled to
// 0) and the load generator (lib/soak-load-child.ts: autocannon at a fixed overall rate)
// each run in a process of their own, on loopback; the mix is lib/soak-mix.ts (gateway
// calls, matched and unmatched stub calls, small JSON and 1 MiB bodies, reads of the
// journal and of the traces). Every SOAK_SAMPLE_SEC the server reports its memory as it
// is and right after a full GC (live heap: what it keeps; RSS alone swings with garbage
// not yet collected), and the journal its accounted bytes. The report prints the RSS
// curve and compares the first minute with the last (the ratio is against the run's own
// first minute, as other benches compare against a baseline from the same run); with a
// run shorter than two minutes the windows are its first and last halves. Results go to
// test/bench/results/soak.json.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MIX, SOAK_MAPPINGS } from './lib/soak-mix.js';
import type { SoakLoadOptions, SoakLoadResult } from './lib/soak-load-child.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const settings = {
  minutes: num('SOAK_MINUTES', 10),
  rate: num('SOAK_RPS', 2000),
  connections: num('SOAK_CONNECTIONS', 32),
  largeBytes: num('SOAK_LARGE_BYTES', 1024 * 1024),
  sampleSec: num('SOAK_SAMPLE_SEC', 10),
};

const SERVER = fileURLToPath(new URL('./lib/soak-child.ts', import.meta.url));
const LOAD = fileURLToPath(new URL('./lib/soak-load-child.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/soak.json', import.meta.url));
const MB = 1024 * 1024;
const say = (line = '') => process.stdout.write(`${line}\n`);

interface Sample {
  tSec: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  /** Right after a full collection: what the server keeps alive. */
  liveHeapMB: number;
  rssAfterGcMB: number;
  /** Requests the load generator had answered by then. */
  requests: number;
  journal: { entries: number; bytes: number; dropped: number; truncated: number };
  storedTraces: number;
}

function fork2(script: string, execArgv: string[] = []): ChildProcess {
  return fork(script, [], { execArgv: [...process.execArgv, ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next message of `type` from a child (sending `{ type }` first unless it is `ready`). */
function ask<T>(child: ChildProcess, type: string, send = true): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`${type}: the child exited (code ${code}) before answering`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (send) child.send({ type });
  });
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');

async function main() {
  const durationSec = Math.round(settings.minutes * 60);
  say(`soak: ${settings.minutes} min at ${settings.rate} req/s over ${settings.connections} connections against the mesh preset; RSS every ${settings.sampleSec} s`);

  const server = fork2(SERVER, ['--expose-gc']);
  const { url: base } = await ask<{ url: string }>(server, 'ready', false);
  try {
    for (const mapping of SOAK_MAPPINGS) {
      const res = await fetch(`${base}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mapping) });
      if (res.status !== 201) throw new Error(`adding the soak mapping "${mapping.name}" answered ${res.status}: ${await res.text()}`);
    }

    let answered = 0;
    const sample = async (tSec: number): Promise<Sample> => {
      const { memory, afterGc } = await ask<{ memory: NodeJS.MemoryUsage; afterGc: NodeJS.MemoryUsage }>(server, 'memory');
      const { meta } = await getJson(`${base}/__admin/requests?limit=0`);
      const { storedTraces } = await getJson(`${base}/__admin/tracing/stats`);
      return {
        tSec,
        rssMB: memory.rss / MB,
        heapUsedMB: memory.heapUsed / MB,
        heapTotalMB: memory.heapTotal / MB,
        externalMB: memory.external / MB,
        arrayBuffersMB: memory.arrayBuffers / MB,
        liveHeapMB: afterGc.heapUsed / MB,
        rssAfterGcMB: afterGc.rss / MB,
        requests: answered,
        journal: { entries: meta.total, bytes: meta.bytes, dropped: meta.dropped, truncated: meta.truncated },
        storedTraces,
      };
    };
    const idle = await sample(0);
    say(`idle: RSS ${f1(idle.rssMB)} MB, heap ${f1(idle.heapUsedMB)} MB (live after GC ${f1(idle.liveHeapMB)} MB)`);
    const cpu0 = (await ask<{ usage: NodeJS.CpuUsage }>(server, 'cpu')).usage;

    const load = fork2(LOAD);
    load.on('message', (m: { type: string; requests?: number }) => {
      if (m.type === 'progress') answered = m.requests!;
    });
    const done = ask<{ result: SoakLoadResult }>(load, 'done', false);
    const options: SoakLoadOptions = { base, rate: settings.rate, durationSec, connections: settings.connections, largeBytes: settings.largeBytes, reportEverySec: 1 };
    load.send(options);
    const t0 = performance.now();
    const samples: Sample[] = [];
    say('');
    say('|  t (s) | RSS MB | heap used MB | live heap MB | RSS after GC MB | external MB | requests | journal entries | journal MB | traces |');
    say('| -----: | -----: | -----------: | -----------: | --------------: | ----------: | -------: | --------------: | ---------: | -----: |');
    const row = (s: Sample) =>
      say(
        `| ${String(Math.round(s.tSec)).padStart(6)} | ${f1(s.rssMB).padStart(6)} | ${f1(s.heapUsedMB).padStart(12)} | ${f1(s.liveHeapMB).padStart(12)} | ${f1(s.rssAfterGcMB).padStart(15)} | ${f1(s.externalMB).padStart(11)} | ${String(s.requests).padStart(8)} | ${String(s.journal.entries).padStart(15)} | ${f1(s.journal.bytes / MB).padStart(10)} | ${String(s.storedTraces).padStart(6)} |`,
      );
    let sampling = Promise.resolve();
    const timer = setInterval(() => {
      sampling = sampling.then(async () => {
        const s = await sample((performance.now() - t0) / 1000);
        samples.push(s);
        row(s);
      });
    }, settings.sampleSec * 1000);
    const { result } = await done;
    const wallMs = performance.now() - t0;
    const cpu1 = (await ask<{ usage: NodeJS.CpuUsage }>(server, 'cpu')).usage;
    const serverCpuPct = Math.round(((cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000 / wallMs) * 100);
    clearInterval(timer);
    await sampling;
    const last = await sample((performance.now() - t0) / 1000);
    if (last.tSec - (samples.at(-1)?.tSec ?? 0) > settings.sampleSec / 2) {
      samples.push(last);
      row(last);
    }

    // first minute vs last minute (halves of a shorter run)
    const window = Math.min(60, durationSec / 2);
    const end = samples.at(-1)?.tSec ?? durationSec;
    const first = samples.filter((s) => s.tSec <= window + 1);
    const lastWindow = samples.filter((s) => s.tSec >= end - window - 1);
    const firstMean = mean(first.map((s) => s.rssMB));
    const lastMean = mean(lastWindow.map((s) => s.rssMB));
    const firstLive = mean(first.map((s) => s.liveHeapMB));
    const lastLive = mean(lastWindow.map((s) => s.liveHeapMB));
    const after = samples.filter((s) => s.tSec > window);
    const perMinute = after.length >= 3 ? slope(after.map((s) => s.tSec / 60), after.map((s) => s.rssMB)) : NaN;
    const peak = Math.max(...samples.map((s) => s.rssMB));
    const label = window === 60 ? 'minute' : `${Math.round(window)} s`;

    say('');
    say('RSS over time (MB):');
    const lo = Math.min(idle.rssMB, ...samples.map((s) => s.rssMB));
    for (const s of samples) {
      const bar = '#'.repeat(Math.max(1, Math.round(((s.rssMB - lo) / Math.max(1, peak - lo)) * 50)));
      say(`${String(Math.round(s.tSec)).padStart(5)} s ${f1(s.rssMB).padStart(7)} ${bar}`);
    }
    say('');
    say(`| window | samples | mean RSS MB | max RSS MB | RSS ratio | mean live heap MB | live heap ratio |`);
    say(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
    say(`| idle, before load | 1 | ${f1(idle.rssMB)} | ${f1(idle.rssMB)} | | ${f1(idle.liveHeapMB)} | |`);
    say(`| first ${label} | ${first.length} | ${f1(firstMean)} | ${f1(Math.max(...first.map((s) => s.rssMB)))} | 1.00 | ${f1(firstLive)} | 1.00 |`);
    say(`| last ${label} | ${lastWindow.length} | ${f1(lastMean)} | ${f1(Math.max(...lastWindow.map((s) => s.rssMB)))} | ${(lastMean / firstMean).toFixed(2)} | ${f1(lastLive)} | ${(lastLive / firstLive).toFixed(2)} |`);
    say('');
    say(`growth, last ${label} vs first: RSS ${f1(lastMean - firstMean)} MB, live heap ${f1(lastLive - firstLive)} MB; RSS slope after the first ${label}: ${Number.isFinite(perMinute) ? `${perMinute.toFixed(2)} MB/min` : '— (run longer)'}; peak RSS ${f1(peak)} MB`);
    const held = result.reqPerSec >= settings.rate * 0.95;
    say(`load: ${result.requests} requests in ${f1(result.durationSec)} s = ${Math.round(result.reqPerSec)} req/s (target ${settings.rate}: ${held ? 'held' : 'NOT held'}), server CPU ${serverCpuPct} % of a core, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.errors} errors, ${result.timeouts} timeouts, ${result.unexpected} unexpected statuses`);
    for (const item of MIX) {
      const counts = result.byKind[item.kind] ?? {};
      const text = Object.entries(counts).map(([status, n]) => `${status} × ${n}`).join(', ') || 'none';
      say(`  ${item.kind.padEnd(20)} ${item.method.padEnd(4)} ${item.path.padEnd(36)} expect ${item.expect}: ${text}`);
    }

    mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
          cpu: cpus()[0]?.model,
          cores: cpus().length,
          settings,
          mix: MIX.map(({ kind, method, path, weight, expect }) => ({ kind, method, path, weight, expect })),
          idle,
          samples,
          summary: {
            windowSec: window,
            firstWindow: { samples: first.length, meanRssMB: firstMean, meanLiveHeapMB: firstLive },
            lastWindow: { samples: lastWindow.length, meanRssMB: lastMean, meanLiveHeapMB: lastLive },
            ratio: lastMean / firstMean,
            liveHeapRatio: lastLive / firstLive,
            growthMB: lastMean - firstMean,
            liveHeapGrowthMB: lastLive - firstLive,
            serverCpuPct,
            slopeMBPerMinute: Number.isFinite(perMinute) ? perMinute : null,
            peakRssMB: peak,
            rateHeld: held,
          },
          load: result,
        },
        null,
        2,
      )}\n`,
    );
    say(`results: ${RESULTS}`);
  } finally {
    server.send({ type: 'close' });
    await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', () => resolve())));
  }
}

await main();
