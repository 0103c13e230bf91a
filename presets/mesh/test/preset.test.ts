import { createTestKernel, fetchJson } from '@understudy/plugin-sdk/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('the mesh preset loads its six plugins by name and serves the shop world', async () => {
  const k = await createTestKernel({ presets: ['mesh'], config: { mesh: { latencyScale: 0, errorScale: 0 } } });
  try {
    const plugins = (await fetchJson(`${k.baseUrl}/__admin/plugins`)).body as Array<{ name: string; state: string }>;
    assert.equal(plugins.map((p) => p.name).sort(), ['breaker', 'chaos', 'discovery', 'mesh', 'stubs', 'tracing']);
    assert.ok(plugins.every((p) => p.state === 'started'));
    assert.is((await fetchJson(`${k.baseUrl}/gateway/checkout`)).status, 200);
    const services = (await fetchJson(`${k.baseUrl}/v1/catalog/services`)).body as Record<string, string[]>;
    assert.is(Object.keys(services).length, 10);
  } finally {
    await k.stop();
  }
});

test('the tour is green with the preset\'s defaults: simulated errors on, every checkout a 200, failures absorbed by fallbacks', async () => {
  // the preset's own error rates (errorScale 1); latency scaled to 0 only so the test needs no clock
  const k = await createTestKernel({ presets: ['mesh'], config: { mesh: { latencyScale: 0 } } });
  try {
    const outcomes = new Map<string, number>();
    const count = (calls: Array<{ service: string; outcome: string; calls?: unknown[] }> = []) => {
      for (const c of calls) {
        outcomes.set(`${c.service}:${c.outcome}`, (outcomes.get(`${c.service}:${c.outcome}`) ?? 0) + 1);
        count(c.calls as never);
      }
    };
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      for (const path of ['/gateway/checkout', '/gateway/home', '/gateway/products/p-1']) {
        const res = await fetchJson(`${k.baseUrl}${path}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        count(res.body.calls);
      }
    }
    assert.equal([...statuses], [[200, 900]]);
    // failure is still simulated where the shop absorbs it: a recommendation or a shipping quote falls back
    assert.ok((outcomes.get('recommendations:fallback') ?? 0) > 0, JSON.stringify([...outcomes]));
    assert.ok((outcomes.get('shipping:fallback') ?? 0) > 0, JSON.stringify([...outcomes]));
    assert.is(outcomes.get('payments:failed'), undefined);
  } finally {
    await k.stop();
  }
});

test.run();
