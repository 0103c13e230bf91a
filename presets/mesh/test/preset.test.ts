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

test.run();
