// Mesh benchmarks (part of `npm run bench`), all in one run so every ratio is against a
// baseline measured alongside it:
// Every server runs in a process of its own (lib/child-target.ts), the load generator in another.
// - GET /gateway/checkout of the shop world (latency and errors scaled to 0, so the
//   platform is measured, not simulated sleep) with mesh alone, with tracing, and with
//   the whole mesh preset (discovery, breaker, tracing, chaos, stubs), against a single
//   stub route;
// - how long a registration takes to reach a waiting Consul blocking query;
// - breaker decisions per second against opossum.
import { fileURLToPath } from 'node:url';
import { benchBreakerDecisions } from './lib/breaker-decisions.js';
import { startInChild } from './lib/child-target.js';
import { benchWatchLatency } from './lib/discovery-watch.js';
import { bench, say } from './lib/rounds.js';
import { markdownTable, type Row } from './lib/table.js';
import type { Target } from './lib/targets.js';

/** The target for the whole mesh preset through the gateway (users ask for 1,000). */
const PRESET_TARGET_RPS = 10_000;

const rebase = (rows: Row[], base: Row): Row[] => rows.map((r) => ({ ...r, ratio: r.reqPerSec / base.reqPerSec }));

async function gateways() {
  const targets: Target[] = [];
  try {
    // each target in its own process: kernels sharing a heap slow each other down
    for (const name of ['single stub route', 'checkout, mesh only', 'checkout, mesh + tracing', 'checkout, mesh preset (all plugins)']) {
      targets.push(await startInChild(name));
    }
    const { rows } = await bench(targets, { checkBody: false });
    const [stub, meshOnly, traced, preset] = rows as [Row, Row, Row, Row];
    say('');
    say(markdownTable([stub, meshOnly], 'single stub route'));
    say('');
    say(markdownTable(rebase([meshOnly, traced, preset], meshOnly), 'mesh only'));
    const addedUs = (1 / traced.reqPerSec - 1 / meshOnly.reqPerSec) * 1e6;
    const hops = 12; // exchanges per checkout (gateway + 11 child calls; 23 spans: a SERVER span each, a CLIENT span per call)
    say(`tracing adds ${addedUs.toFixed(1)} µs of server time per checkout (${(addedUs / hops).toFixed(1)} µs per hop; target < 50 µs per request-hop, users' limit 5 ms)`);
    say(`mesh preset: ${Math.round(preset.reqPerSec)} req/s through the gateway — target ${PRESET_TARGET_RPS} ${preset.reqPerSec >= PRESET_TARGET_RPS ? 'met' : 'NOT met'}`);
  } finally {
    for (const t of targets) await t.close();
  }
}

async function main() {
  await gateways();
  const watch = await benchWatchLatency();
  say('');
  say('| registration → blocking query | samples | p50 ms | p99 ms |');
  say('| --- | ---: | ---: | ---: |');
  say(`| Consul /v1/health/service?index=… | ${watch.samples} | ${watch.p50Ms.toFixed(2)} | ${watch.p99Ms.toFixed(2)} |`);
  say(`target: p99 < 100 ms (aim < 5 ms) — ${watch.p99Ms < 100 ? 'met' : 'NOT met'}`);
  const decisions = await benchBreakerDecisions();
  say('');
  say('| breaker decisions/s | understudy | opossum | ratio |');
  say('| --- | ---: | ---: | ---: |');
  say(`| permission + result, 10 % failures | ${Math.round(decisions.understudy).toLocaleString('en-US')} | ${Math.round(decisions.opossum).toLocaleString('en-US')} | ${(decisions.understudy / decisions.opossum).toFixed(1)}× |`);
  say(`| the same + one await per decision | ${Math.round(decisions.understudyAwait).toLocaleString('en-US')} | ${Math.round(decisions.opossum).toLocaleString('en-US')} | ${(decisions.understudyAwait / decisions.opossum).toFixed(1)}× |`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`mesh bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
