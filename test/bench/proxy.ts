// `npm run bench`, learning-proxy part (issue 13): four tables, ratios in the same run.
//
// 1. Proxy overhead: req/s and p50/p99 of GET /bench through the learning proxy (capture
//    mode: forwarding AND learning on) vs a bare @fastify/reply-from proxy vs the backend
//    direct. Backend and proxies each run in a process of their own (this file, forked with
//    `--child <name>`), the load generator in another (lib/rounds.ts). Goals: added p50
//    under 1 ms over the bare proxy's path… measured as learning proxy p50 − direct p50 and
//    against reply-from's, and ≥ 0.8 × reply-from's req/s. Beside it, each proxy's server CPU
//    per request: on a machine shared with other work one round's req/s can halve, what a
//    request costs its server moves far less.
// 2. Mock mode: req/s of the proxy answering from what it learned (simulate mode) vs a
//    stubs route serving the same body.
// 3. Path templating: 10,000 paths generated from 50 templates (integer, uuid, ulid, hex,
//    date and slug-with-digit parameters) with literal routes mixed in, learned by the
//    learner service: templates recovered (goal ≥ 99 %), literal routes wrongly merged
//    (goal 0), distinct endpoint keys.
// 4. Schema fidelity: bodies the learner synthesizes after watching the preset's sample API,
//    validated against the sample API's true schemas (goal 100 %), and the Kolmogorov–
//    Smirnov distance between the latencies it replays and the ones measured against the
//    real backend.
//
// Knobs: those of lib/rounds.ts (BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_WARMUP).
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import replyFrom from '@fastify/reply-from';
import { createKernel, type Kernel } from '@understudy/kernel';
import learner from '@understudy/plugin-learner';
import proxy from '@understudy/plugin-proxy';
import presetProxy from '@understudy/preset-proxy';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';
import { forkTarget, serveTarget } from './lib/child-target.js';
import { bench, say, settings } from './lib/rounds.js';
import { markdownTable, type Row } from './lib/table.js';
import { PATH, startBareFastify, startUnderstudyStubs, type Target } from './lib/targets.js';

const SELF = fileURLToPath(import.meta.url);
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------
// Targets (each started in a child process of its own)

async function startReplyFrom(backend: string): Promise<Target> {
  const app = Fastify({ logger: false });
  await app.register(replyFrom, { base: backend });
  app.get('/*', (req, reply) => reply.from(req.url));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'bare @fastify/reply-from', url: `${base}${PATH}`, close: () => app.close() };
}

function proxyKernel(backend: string, mode: string): Kernel {
  return createKernel({
    plugins: [learner, proxy],
    config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { learner: { storage: ':memory:' }, proxy: { target: backend, mode } } },
  });
}

async function startLearningProxy(backend: string, mode: 'capture' | 'passthrough'): Promise<Target> {
  const kernel = proxyKernel(backend, mode);
  const base = await kernel.start();
  return { name: mode === 'capture' ? 'understudy proxy, learning (capture)' : 'understudy proxy, passthrough', url: `${base}${PATH}`, close: () => kernel.stop() };
}

/** The proxy in simulate mode, after learning GET /bench from 200 real answers. */
async function startMockingProxy(backend: string): Promise<Target> {
  const kernel = proxyKernel(backend, 'capture');
  const base = await kernel.start();
  for (let i = 0; i < 200; i++) await (await fetch(`${base}${PATH}`)).text();
  await kernel.resolve('learner').flush();
  const res = await fetch(`${base}/__admin/proxy/modes`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'simulate' }) });
  if (res.status !== 200) throw new Error(`could not switch to simulate: ${res.status} ${await res.text()}`);
  const check = await fetch(`${base}${PATH}`);
  if (check.headers.get('x-understudy-mock') === null) throw new Error('the proxy did not answer from its mock');
  return { name: 'understudy proxy, mock (simulate)', url: `${base}${PATH}`, close: () => kernel.stop() };
}

const starters: Record<string, (backend: string) => Promise<Target>> = {
  backend: () => startBareFastify(),
  'reply-from': startReplyFrom,
  capture: (b) => startLearningProxy(b, 'capture'),
  passthrough: (b) => startLearningProxy(b, 'passthrough'),
  mock: startMockingProxy,
  stubs: () => startUnderstudyStubs(),
};

async function runChild(name: string, backend: string): Promise<void> {
  serveTarget(await starters[name]!(backend));
}

function inChild(name: string, backend = ''): Promise<Target> {
  return forkTarget(SELF, ['--child', name, backend], name);
}

// ---------------------------------------------------------------------------------------
// Table 3: path templating quality

type Gen = (i: number) => string;
const hex = (n: number, len: number) => (n * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4).slice(0, len);
const ID_CLASSES: Record<string, Gen> = {
  integer: (i) => String(1000 + ((i * 7919) % 90_000)),
  uuid: (i) => `${hex(i, 8)}-${hex(i + 1, 4)}-4${hex(i + 2, 3)}-a${hex(i + 3, 3)}-${hex(i + 4, 12)}`,
  ulid: (i) => `01J${'0123456789ABCDEFGHJKMNPQRSTVWXYZ'[i % 32]}${hex(i, 22).toUpperCase().replace(/[ILOU]/g, 'A')}`,
  hex: (i) => hex(i, 24),
  date: (i) => `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  slug: (i) => `item-${i % 997}-${['red', 'blue', 'green'][i % 3]}`,
};
const RESOURCES = ['users', 'orders', 'products', 'invoices', 'carts', 'shipments', 'reviews', 'tickets', 'accounts', 'devices', 'projects', 'teams', 'files', 'payments', 'events', 'reports', 'sessions'];
const SUBS = ['items', 'notes', 'history', 'members', 'versions'];

interface TrueTemplate {
  method: string;
  /** With {} for each parameter. */
  shape: string;
  gen: (i: number) => string;
  literal: boolean;
}

function templatesForBench(): TrueTemplate[] {
  const classes = Object.keys(ID_CLASSES);
  const list: TrueTemplate[] = [];
  for (let t = 0; list.length < 50; t++) {
    const res = RESOURCES[t % RESOURCES.length]!;
    const cls = ID_CLASSES[classes[t % classes.length]!]!;
    const kind = Math.floor(t / RESOURCES.length) % 3;
    const method = t % 5 === 4 ? 'PUT' : 'GET';
    const prefix = `/v${1 + (t % 2)}`;
    if (kind === 0) list.push({ method, shape: `${prefix}/${res}/{}`, gen: (i) => `${prefix}/${res}/${cls(i)}`, literal: false });
    else if (kind === 1) {
      const sub = SUBS[t % SUBS.length]!;
      list.push({ method, shape: `${prefix}/${res}/{}/${sub}`, gen: (i) => `${prefix}/${res}/${cls(i)}/${sub}`, literal: false });
    } else {
      const sub = SUBS[t % SUBS.length]!;
      const cls2 = ID_CLASSES[classes[(t + 1) % classes.length]!]!;
      list.push({ method, shape: `${prefix}/${res}/{}/${sub}/{}`, gen: (i) => `${prefix}/${res}/${cls(i)}/${sub}/${cls2(i * 31 + 5)}`, literal: false });
    }
  }
  // literal routes next to parameterised siblings
  for (const [res, lit] of [['users', 'me'], ['orders', 'recent'], ['products', 'featured'], ['invoices', 'overdue'], ['carts', 'current'], ['tickets', 'search'], ['accounts', 'settings'], ['devices', 'stats']] as const) {
    for (const prefix of ['/v1', '/v2']) {
      if (list.some((t) => t.method === 'GET' && t.shape === `${prefix}/${res}/{}`)) list.push({ method: 'GET', shape: `${prefix}/${res}/${lit}`, gen: () => `${prefix}/${res}/${lit}`, literal: true });
    }
  }
  return list;
}

async function templatingQuality() {
  const truth = templatesForBench();
  const kernel = createKernel({ plugins: [learner], config: { server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', plugins: { learner: { storage: ':memory:', queue: { maxItems: 20_000 } } } } });
  await kernel.start();
  try {
    const service = kernel.resolve('learner');
    const paths: Array<{ t: TrueTemplate; path: string }> = [];
    const parameterised = truth.filter((t) => !t.literal);
    const literals = truth.filter((t) => t.literal);
    let nLiteral = 0;
    let nParam = 0;
    for (let i = 0; i < 10_000; i++) {
      // about one request in ten goes to a literal route; each kind has its own counter, so
      // every template and every literal is sent (`i % n` on the same i skipped some)
      const t = i % 10 === 9 ? literals[nLiteral++ % literals.length]! : parameterised[nParam++ % parameterised.length]!;
      paths.push({ t, path: t.gen(Math.floor(i / parameterised.length) + i) });
    }
    let at = kernel.clock.now();
    for (const { t, path } of paths) {
      service.observe({ at: at++, method: t.method, path, query: {}, requestHeaders: {}, status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: '{"ok":true}', responseBytes: 11, latencyMs: 5, upstream: 'default', source: 'proxy' });
    }
    await service.flush();
    const norm = (template: string) => template.replace(/\{[^}]*\}/g, '{}');
    const recovered = parameterised.filter((t) => paths.some((p) => p.t === t) && paths.filter((p) => p.t === t).every((p) => norm(service.lookup(t.method, p.path)?.template ?? '') === t.shape));
    const merged = literals.filter((t) => norm(service.lookup(t.method, t.gen(0))?.template ?? '') !== t.shape);
    const keys = new Set(service.endpoints().map((e) => e.key));
    return { templates: parameterised.length, literals: literals.length, recovered: recovered.length, merged: merged.length, keys: keys.size, expectedKeys: truth.length, missed: parameterised.filter((t) => !recovered.includes(t)).map((t) => `${t.method} ${t.shape}`) };
  } finally {
    await kernel.stop();
  }
}

// ---------------------------------------------------------------------------------------
// Table 4: schema fidelity and latency distance, against the preset's sample API

const USER = {
  type: 'object',
  required: ['id', 'name', 'email', 'role', 'createdAt', 'address'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email' },
    role: { enum: ['customer', 'admin', 'support'] },
    createdAt: { type: 'string', format: 'date-time' },
    address: { type: 'object', required: ['city', 'country', 'postcode'], additionalProperties: false, properties: { city: { type: 'string' }, country: { type: 'string' }, postcode: { type: 'string' } } },
  },
};
const PRODUCT = {
  type: 'object',
  required: ['id', 'sku', 'name', 'category', 'price', 'inStock', 'tags'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    sku: { type: 'string' },
    name: { type: 'string' },
    category: { enum: ['books', 'games', 'garden', 'kitchen', 'music'] },
    price: { type: 'number', minimum: 0 },
    inStock: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
  },
};
const ORDER = {
  type: 'object',
  required: ['id', 'userId', 'status', 'items', 'total', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    userId: { type: 'integer' },
    status: { enum: ['pending', 'paid', 'shipped', 'cancelled'] },
    items: { type: 'array', minItems: 1, items: { type: 'object', required: ['productId', 'quantity', 'price'], properties: { productId: { type: 'string', format: 'uuid' }, quantity: { type: 'integer', minimum: 1 }, price: { type: 'number' } } } },
    total: { type: 'number', minimum: 0 },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

/** Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs. */
export function ksDistance(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function schemaFidelity() {
  // the preset's proxy.target is :4010; both move to a free port here
  const port = await freePort();
  const api = { url: `http://127.0.0.1:${port}` };
  const k2 = createKernel({
    presets: [presetProxy],
    config: {
      server: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
      plugins: { sampleApi: { port, errorRate: 0 }, proxy: { target: api.url }, learner: { storage: ':memory:' } },
    },
  });
  const url = await k2.start();
  try {
    const families: Array<{ name: string; schema: object; paths: string[] }> = [];
    const products = (await (await fetch(`${url}/products?limit=100`)).json()) as { items: Array<{ id: string }> };
    const orders = (await (await fetch(`${url}/orders?limit=100`)).json()) as { items: Array<{ id: number }> };
    families.push({ name: 'GET /users/{userId}', schema: USER, paths: Array.from({ length: 40 }, (_, i) => `/users/${i + 1}`) });
    families.push({ name: 'GET /products/{productId}', schema: PRODUCT, paths: products.items.map((p) => `/products/${p.id}`) });
    families.push({ name: 'GET /orders/{orderId}', schema: ORDER, paths: orders.items.map((o) => `/orders/${o.id}`) });
    // watch the real API through the proxy, a few concurrent requests at a time; time them against the backend direct as well
    const real: number[] = [];
    for (const f of families) {
      for (let i = 0; i < f.paths.length; i += 8) {
        await Promise.all(f.paths.slice(i, i + 8).map(async (p) => (await fetch(`${url}${p}`)).text()));
      }
      if (f.name.startsWith('GET /users')) {
        // 8 at a time, as the proxy saw them: 40 at once measured the client's own queue
        for (let round = 0; round < 5; round++) {
          for (let i = 0; i < f.paths.length; i += 8) {
            await Promise.all(
              f.paths.slice(i, i + 8).map(async (p) => {
                const t0 = performance.now();
                await (await fetch(`${api.url}${p}`)).text();
                real.push(performance.now() - t0);
              }),
            );
          }
        }
      }
    }
    const service = k2.resolve('learner');
    await service.flush();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const rows: Array<{ endpoint: string; bodies: number; valid: number; firstError?: string }> = [];
    const replayed: number[] = [];
    for (const f of families) {
      const validate = ajv.compile(f.schema);
      let valid = 0;
      let bodies = 0;
      let firstError: string | undefined;
      for (let i = 0; i < 500; i++) {
        // integer ids never seen (the id is echoed); product uuids as learned
        const path = f.name.includes('products') ? f.paths[i % f.paths.length]! : f.paths[0]!.replace(/\d+$/, String(5000 + i));
        const mock = await service.mock({ method: 'GET', url: path, path, query: {}, headers: {}, body: '' }, { seed: i, stateful: false });
        if (!mock || mock.status !== 200) continue;
        bodies++;
        if (f.name.startsWith('GET /users')) replayed.push(mock.delayMs);
        if (validate(JSON.parse(mock.body))) valid++;
        else firstError ??= ajv.errorsText(validate.errors);
      }
      rows.push({ endpoint: f.name, bodies, valid, firstError });
    }
    return { rows, ks: ksDistance(real, replayed), realMedian: median(real), replayedMedian: median(replayed), realCount: real.length, replayedCount: replayed.length };
  } finally {
    await k2.stop();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

// ---------------------------------------------------------------------------------------

async function main() {
  say(`Learning-proxy bench: ${settings.connections} connections, ${settings.rounds} × ${settings.durationSec} s per target after ${settings.warmupSec} s warm-up, loopback`);
  const report: Record<string, unknown> = {};

  // 1. overhead
  const backend = await inChild('backend');
  const backendBase = backend.url.slice(0, -PATH.length);
  const started: Target[] = [backend];
  let overhead: Row[];
  // server CPU per request (each target's own process): on a machine shared with other work
  // the req/s of one round can halve, but what a request costs its server moves far less
  let cpuPerRequest: Record<string, number> = {};
  try {
    const bare = await inChild('reply-from', backendBase);
    started.push(bare);
    const capture = await inChild('capture', backendBase);
    started.push(capture);
    const passthrough = await inChild('passthrough', backendBase);
    started.push(passthrough);
    const direct = { ...backend, name: 'backend direct' };
    let runs: Awaited<ReturnType<typeof bench>>['runs'];
    ({ rows: overhead, runs } = await bench([bare, capture, passthrough, direct]));
    cpuPerRequest = Object.fromEntries(Object.entries(runs).map(([name, rs]) => [name, mean(rs.map((r) => ((r.serverCpuPct ?? 0) / 100) * settings.durationSec * 1e6 / Math.max(1, r.requests)))]));
  } finally {
    for (const t of started.reverse()) await t.close();
  }
  const [bareRow, captureRow, , directRow] = overhead;
  const addedP50 = captureRow!.p50 - bareRow!.p50;
  say('');
  say('### 1. Proxy overhead (GET /bench, 158-byte JSON)');
  say(markdownTable(overhead, bareRow!.name));
  say(`learning proxy: ${fmt(captureRow!.ratio)}× the bare proxy's req/s (goal ≥ 0.80: ${captureRow!.ratio >= 0.8 ? 'met' : 'NOT met'}); p50 ${fmt(addedP50)} ms above the bare proxy's and ${fmt(captureRow!.p50 - directRow!.p50)} ms above direct (goal < 1 ms added: ${addedP50 < 1 ? 'met' : 'NOT met'})`);
  const cpuOf = (row: Row | undefined) => cpuPerRequest[row!.name] ?? NaN;
  const passthroughRow = overhead[2];
  say(
    `server CPU per request (CPU % of its process × round time ÷ requests, mean of rounds): bare proxy ${fmt(cpuOf(bareRow), 1)} µs, learning proxy ${fmt(cpuOf(captureRow), 1)} µs (${fmt(cpuOf(captureRow) / cpuOf(bareRow))}× the bare proxy's, ${fmt(cpuOf(captureRow) / cpuOf(passthroughRow))}× passthrough's), passthrough ${fmt(cpuOf(passthroughRow), 1)} µs`,
  );
  report.overhead = { rows: overhead, addedP50VsBare: addedP50, addedP50VsDirect: captureRow!.p50 - directRow!.p50, ratioVsBare: captureRow!.ratio, cpuPerRequestUs: cpuPerRequest };

  // 2. mock mode vs stubs
  const mockBackend = await inChild('backend');
  const mockStarted: Target[] = [mockBackend];
  let mockRows: Row[];
  try {
    const stubs = await inChild('stubs');
    mockStarted.push(stubs);
    const mock = await inChild('mock', mockBackend.url.slice(0, -PATH.length));
    mockStarted.push(mock);
    ({ rows: mockRows } = await bench([stubs, mock], { checkBody: false }));
  } finally {
    for (const t of mockStarted.reverse()) await t.close();
  }
  say('');
  say('### 2. Mock mode vs a stubs route (same body learned; the mock also replays the learned latency)');
  say(markdownTable(mockRows, mockRows[0]!.name));
  report.mock = { rows: mockRows };

  // 3. templating
  const tq = await templatingQuality();
  say('');
  say('### 3. Path templating (10,000 paths, 50 templates + literal routes)');
  say('| templates | recovered | share | literal routes | wrongly merged | endpoint keys (expected) |');
  say('| ---: | ---: | ---: | ---: | ---: | ---: |');
  say(`| ${tq.templates} | ${tq.recovered} | ${fmt((tq.recovered / tq.templates) * 100, 1)} % | ${tq.literals} | ${tq.merged} | ${tq.keys} (${tq.expectedKeys}) |`);
  if (tq.missed.length) say(`not recovered: ${tq.missed.join(', ')}`);
  say(`goals: ≥ 99 % recovered — ${tq.recovered / tq.templates >= 0.99 ? 'met' : 'NOT met'}; 0 literal routes merged — ${tq.merged === 0 ? 'met' : 'NOT met'}`);
  report.templating = tq;

  // 4. schema fidelity
  const sf = await schemaFidelity();
  say('');
  say('### 4. Schema fidelity and latency distance (sample API, true schemas)');
  say('| endpoint | synthesized 200 bodies | valid against the true schema | share |');
  say('| --- | ---: | ---: | ---: |');
  for (const r of sf.rows) say(`| ${r.endpoint} | ${r.bodies} | ${r.valid} | ${fmt((r.valid / Math.max(1, r.bodies)) * 100, 1)} % |`);
  for (const r of sf.rows) if (r.firstError) say(`${r.endpoint}, first error: ${r.firstError}`);
  say(`latency of GET /users/{userId}: real median ${fmt(sf.realMedian)} ms (n=${sf.realCount}), replayed median ${fmt(sf.replayedMedian)} ms (n=${sf.replayedCount}), KS distance ${fmt(sf.ks, 3)}`);
  report.fidelity = sf;

  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}latest.json`;
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(
    file,
    `${JSON.stringify({ ...previous, proxy: { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), settings, ...report } }, null, 2)}\n`,
  );
  say('wrote test/bench/results/latest.json (proxy)');
}

if (process.argv[2] === '--child') {
  await runChild(process.argv[3]!, process.argv[4] ?? '');
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
