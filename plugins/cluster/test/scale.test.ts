// understudy-test-timeout: 300
// A 10,000-instance world: 500 services × 20 replicas on 100 nodes, with rates for every
// service, ticking through one simulated hour. Asserts behaviour (every instance Ready,
// load spread evenly, a node failure healed), not time: speed is the benchmark's job.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import type { Cluster } from '../src/index.js';
import { start, svc } from './helpers.js';

const it = suite('cluster: 10,000 instances');

it('runs an hour of a 10,000-instance cluster with load on every service', async () => {
  const services: Record<string, unknown> = {};
  const rates = new Map<string, number>();
  for (let i = 0; i < 500; i++) {
    const name = `s${i}`;
    services[name] = svc(i > 0 ? { calls: [{ service: `s${Math.floor(i / 2)}`, endpoint: 'go' }] } : {}, { instances: 20 });
    rates.set(name, 100);
  }
  const traffic = definePlugin({
    name: 'traffic-double',
    provides: ['traffic'],
    register: (ctx) => ctx.provide('traffic', { rates: (at?: number) => ({ at: at ?? 0, services: rates, endpoints: new Map() }) } as never),
  });
  const ticks: number[] = [];
  const watcher = definePlugin({ name: 'watcher', dependencies: ['cluster'], register: (ctx) => ctx.pluginHooks('cluster').tick.tap('watcher', (t) => void ticks.push(t.services.size)) });
  const k = await start(
    services,
    { instanceEvents: false, nodePools: [{ namePrefix: 'pool', count: 100, zones: ['a', 'b', 'c'], cpu: 32_000, memory: 65_536 }], defaults: { capacity: { concurrency: 4, serviceTimeMs: 20 } } },
    { before: [traffic], extra: [watcher] },
  );
  try {
    const c = k.resolve('cluster') as Cluster;
    assert.is(c.instances({ state: 'Ready' }).length, 10_000);
    await k.clock.advance(1_800_000);
    c.failNode('pool-7');
    await k.clock.advance(1_800_000);
    assert.is(ticks.length, 3600);
    assert.ok(ticks.every((n) => n === 500));
    const tick = c.lastTick()!;
    const s0 = tick.services.get('s0')!;
    // 100/s of its own plus nothing else: spread over 20 instances, ρ = 5/s × 20 ms / 4
    assert.is(s0.ready, 20);
    assert.ok(Math.abs(s0.utilisation - 0.025) < 1e-9);
    assert.is(s0.errorRate, 0);
    assert.is(c.instances({ state: 'Ready' }).length, 10_000, 'the failed node’s instances were replaced');
    assert.is(c.instances({ node: 'pool-7' }).filter((i) => i.state !== 'Terminated').length, 0);
    const perNode = c.nodes().filter((n) => n.condition === 'Ready').map((n) => n.instances);
    assert.ok(Math.max(...perNode) - Math.min(...perNode) <= 3, `balanced: ${Math.min(...perNode)}..${Math.max(...perNode)}`);
  } finally {
    await k.stop();
  }
});

it.run();
