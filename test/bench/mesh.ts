// Mesh benchmark (part of `npm run bench`): requests/s and p50/p99 through the shop
// gateway (GET /gateway/checkout, 3+ hops, latencies and errors scaled to 0 so the
// platform is measured, not simulated sleep) against a single stub route in the same
// run; then how fast a registration reaches a waiting Consul blocking query.
import { fileURLToPath } from 'node:url';
import { benchWatchLatency } from './discovery-watch.js';
import { startShopGateway } from './mesh-gateway.js';
import { bench, say } from './run.js';
import { markdownTable } from './table.js';
import { startUnderstudyStubs, type Target } from './targets.js';

/** The users' floor and the target the issue sets for the gateway path, in req/s. */
const GATEWAY_TARGET_RPS = 1_000;

async function main() {
  const stub = await startUnderstudyStubs();
  let gateway: Target | undefined;
  try {
    gateway = await startShopGateway();
    const { rows } = await bench([{ ...stub, name: 'single stub route' }, gateway], { checkBody: false });
    say('');
    say(markdownTable(rows, 'single stub route'));
    const gw = rows[1]!;
    say(`gateway path: ${Math.round(gw.reqPerSec)} req/s (users' floor ${GATEWAY_TARGET_RPS} req/s — ${gw.reqPerSec >= GATEWAY_TARGET_RPS ? 'met' : 'NOT met'})`);
  } finally {
    await gateway?.close();
    await stub.close();
  }
  const watch = await benchWatchLatency();
  say('');
  say('| registration → blocking query | samples | p50 ms | p99 ms |');
  say('| --- | ---: | ---: | ---: |');
  say(`| Consul /v1/health/service?index=… | ${watch.samples} | ${watch.p50Ms.toFixed(2)} | ${watch.p99Ms.toFixed(2)} |`);
  say(`target: p99 < 100 ms (aim < 5 ms) — ${watch.p99Ms < 100 ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`mesh bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
