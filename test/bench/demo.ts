// `npm run bench`, demo-world part (issue 14): four tables, ratios in the same run.
//
// 1. Generated data vs a fixed body: req/s (autocannon in a child process, lib/rounds.ts)
//    and client-side p50/p99 of GET /finance/customers?pageSize=100 (a page of 100 generated
//    records) and of GET /finance/customers/42 (one entity), each against a stubs route
//    serving a fixed body of the same bytes. The users ask under 50 ms; the aim is under 5 ms.
// 2. Scenario step transitions: a WebSocket client sends `jump` to a waypoint and times the
//    reply (sent after the step events the command caused), and `start` → the first
//    `scenario.step` message. The users ask under 100 ms.
// 3. 10 concurrent demo sessions (X-Demo-Session) × 1,000 requests each, mixed reads and
//    writes: throughput and p99, vs one session doing the same 10,000 requests.
// 4. Recorder on vs off: req/s of one entity while the bank scenario runs at ×100 (every
//    step a marker), with and without the recorder plugin loaded.
//
// Knobs: those of lib/rounds.ts (BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_WARMUP).
import { createKernel, type Kernel } from '@understudy/kernel';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { bench, say, settings } from './lib/rounds.js';
import { markdownTable } from './lib/table.js';
import type { Target } from './lib/targets.js';

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

async function startDemo(): Promise<{ kernel: Kernel; base: string }> {
  const kernel = createKernel({
    presets: ['demo'],
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: { personas: { storage: ':memory:' } },
    } as never,
  });
  return { kernel, base: await kernel.start() };
}

async function startDemoWithoutRecorder(): Promise<{ kernel: Kernel; base: string }> {
  const [industry, personas, scenarios, formatter] = await Promise.all([
    import('@understudy/plugin-industry-data'),
    import('@understudy/plugin-personas'),
    import('@understudy/plugin-scenarios'),
    import('@understudy/plugin-formatter'),
  ]);
  const demo = (await import('@understudy/preset-demo')).default;
  const kernel = createKernel({
    plugins: [industry.default, personas.default, scenarios.default, formatter.default],
    config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { ...(demo.config as object), personas: { ...(demo.config as { personas: object }).personas, storage: ':memory:' } } } as never,
  });
  return { kernel, base: await kernel.start() };
}

async function startFixed(path: string, body: string): Promise<{ kernel: Kernel; base: string }> {
  const kernel = createKernel({
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: { stubs: { mappings: [{ request: { method: 'GET', urlPath: path }, response: { status: 200, headers: { 'Content-Type': 'application/json' }, body } }] } },
    },
  });
  return { kernel, base: await kernel.start() };
}

/** Client-side latency of `n` sequential requests, ms, sorted. */
async function latencies(url: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function dataVsFixed(): Promise<void> {
  const demo = await startDemo();
  const servers: Array<{ kernel: Kernel }> = [demo];
  try {
    const cases = [
      { label: 'page of 100 customers', path: '/finance/customers?pageSize=100' },
      { label: 'one customer', path: '/finance/customers/42' },
    ];
    for (const c of cases) {
      const body = await (await fetch(demo.base + c.path)).text();
      const fixed = await startFixed(c.path.split('?')[0]!, body);
      servers.push(fixed);
      const targets: Target[] = [
        { name: `stubs, fixed ${body.length} B body`, url: fixed.base + c.path, close: async () => {} },
        { name: `demo: ${c.label}`, url: demo.base + c.path, close: async () => {} },
      ];
      const { rows } = await bench(targets, { checkBody: false });
      say('');
      say(`### ${c.label} (${body.length} bytes): req/s`);
      say(markdownTable(rows, targets[0]!.name));
      const a = await latencies(targets[0]!.url, 500);
      const b = await latencies(targets[1]!.url, 500);
      say('');
      say(`| sequential client latency (500 requests) | p50 ms | p99 ms |`);
      say(`|---|---:|---:|`);
      say(`| ${targets[0]!.name} | ${fmt(pct(a, 50), 3)} | ${fmt(pct(a, 99), 3)} |`);
      say(`| ${targets[1]!.name} | ${fmt(pct(b, 50), 3)} | ${fmt(pct(b, 99), 3)} |`);
      say(`| ratio demo / stubs | ${fmt(pct(b, 50) / pct(a, 50))}× | ${fmt(pct(b, 99) / pct(a, 99))}× |`);
    }
  } finally {
    for (const s of servers) await s.kernel.stop();
  }
}

async function stepTransitions(): Promise<void> {
  const demo = await startDemo();
  try {
    const ws = new WebSocket(`${demo.base.replace('http', 'ws')}/__admin/scenarios/ws`);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const waiting = new Map<number, (m: unknown) => void>();
    let onStep: ((m: unknown) => void) | undefined;
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { kind?: string; id?: number; event?: { type?: string } };
      // a reply or a coded error (stopping a run that is not running) answers a command
      if ((m.kind === 'reply' || m.kind === 'error') && m.id !== undefined) waiting.get(m.id)?.(m);
      else if (onStep && m.kind === 'event' && m.event?.type === 'scenario.step') onStep(m);
    });
    let id = 0;
    const send = (cmd: Record<string, unknown>) =>
      new Promise<unknown>((resolve) => {
        const n = ++id;
        waiting.set(n, resolve);
        ws.send(JSON.stringify({ ...cmd, id: n }));
      });
    const jumps: number[] = [];
    const starts: number[] = [];
    const waypoints = ['Low balance', 'Overdraft', 'Suspicious payment', 'Morning'];
    for (let i = 0; i < 40; i++) {
      await send({ command: 'stop', scenario: 'bank-overdraft' });
      const firstStep = new Promise((resolve) => (onStep = resolve));
      const t0 = performance.now();
      await send({ command: 'start', scenario: 'bank-overdraft' });
      await firstStep;
      starts.push(performance.now() - t0);
      onStep = undefined;
      const t1 = performance.now();
      await send({ command: 'jump', scenario: 'bank-overdraft', waypoint: waypoints[i % 3]! });
      jumps.push(performance.now() - t1);
    }
    ws.close();
    starts.sort((a, b) => a - b);
    jumps.sort((a, b) => a - b);
    say('');
    say('### Scenario step transitions over WebSocket (40 each)');
    say('| transition | p50 ms | p99 ms | goal |');
    say('|---|---:|---:|---:|');
    say(`| start → first scenario.step message | ${fmt(pct(starts, 50), 3)} | ${fmt(pct(starts, 99), 3)} | < 100 ms |`);
    say(`| jump to a waypoint (every earlier step applied) → reply | ${fmt(pct(jumps, 50), 3)} | ${fmt(pct(jumps, 99), 3)} | < 100 ms |`);
  } finally {
    await demo.kernel.stop();
  }
}

async function sessions(): Promise<void> {
  const demo = await startDemo();
  try {
    const run = async (sessionCount: number, perSession: number) => {
      const times: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: sessionCount }, async (_, s) => {
          const headers = { 'x-demo-session': `bench-${sessionCount}-${s}`, 'content-type': 'application/json' };
          for (let i = 0; i < perSession; i++) {
            const id = 1 + ((s * 37 + i) % 200);
            const write = i % 10 === 9;
            const t = performance.now();
            const res = await fetch(`${demo.base}/finance/customers/${id}`, write ? { method: 'PATCH', headers: { ...headers, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ riskRating: 'medium' }) } : { headers });
            await res.arrayBuffer();
            if (res.status >= 400) throw new Error(`session ${s}: ${res.status}`);
            times.push(performance.now() - t);
          }
        }),
      );
      const wall = performance.now() - t0;
      times.sort((a, b) => a - b);
      return { rps: times.length / (wall / 1000), p50: pct(times, 50), p99: pct(times, 99) };
    };
    const one = await run(1, 10_000);
    const ten = await run(10, 1_000);
    say('');
    say('### Demo sessions: 10,000 requests (9 reads : 1 merge-patch write)');
    say('| sessions × requests | req/s | p50 ms | p99 ms | req/s ratio |');
    say('|---|---:|---:|---:|---:|');
    say(`| 1 × 10,000 (baseline) | ${fmt(one.rps, 0)} | ${fmt(one.p50, 3)} | ${fmt(one.p99, 3)} | 1.00× |`);
    say(`| 10 × 1,000, concurrent | ${fmt(ten.rps, 0)} | ${fmt(ten.p50, 3)} | ${fmt(ten.p99, 3)} | ${fmt(ten.rps / one.rps)}× |`);
  } finally {
    await demo.kernel.stop();
  }
}

async function recorderOnOff(): Promise<void> {
  const on = await startDemo();
  const off = await startDemoWithoutRecorder();
  try {
    for (const k of [on, off]) {
      // the bank story on a loop at ×100: steps (and, with the recorder, markers) all the time
      await fetch(`${k.base}/__admin/scenarios/bank-overdraft/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ speed: 100 }) });
    }
    const targets: Target[] = [
      { name: 'demo without recorder', url: `${off.base}/finance/customers/42`, close: async () => {} },
      { name: 'demo with recorder', url: `${on.base}/finance/customers/42`, close: async () => {} },
    ];
    // at ×100 the story lasts about 2 s: start it again as it ends (a running run answers 409)
    const again = setInterval(() => {
      for (const k of [on, off]) void fetch(`${k.base}/__admin/scenarios/bank-overdraft/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ speed: 100 }) }).then((r) => r.arrayBuffer());
    }, 500);
    const { rows } = await bench(targets, { checkBody: false }).finally(() => clearInterval(again));
    const markers = (await (await fetch(`${on.base}/__admin/recorder/markers`)).json()) as { markers?: unknown[] };
    say('');
    say(`### Recorder on vs off, bank scenario running at ×100 (${markers.markers?.length ?? '?'} markers recorded)`);
    say(markdownTable(rows, targets[0]!.name));
  } finally {
    await on.kernel.stop();
    await off.kernel.stop();
  }
}

async function main() {
  say(`Understudy demo bench: ${settings.connections} connections, ${settings.rounds} × ${settings.durationSec} s per target after ${settings.warmupSec} s warm-up, loopback`);
  await dataVsFixed();
  await stepTransitions();
  await sessions();
  await recorderOnOff();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
