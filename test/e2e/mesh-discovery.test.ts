// The microservices developer's world at scale: 1,000 mock services in one process,
// every instance registered in discovery, reachable over real HTTP, and a chain of
// calls visible hop by hop.
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const COUNT = 1000;
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/** svc-0000 … svc-0999, two instances each; every tenth calls the next two services. */
function services() {
  const all: Record<string, unknown> = {};
  for (let i = 0; i < COUNT; i++) {
    const calls = i % 10 === 0 && i + 2 < COUNT ? [{ service: name(i + 1), endpoint: '/ping' }, { service: name(i + 2), endpoint: '/ping' }] : [];
    all[name(i)] = { instances: 2, endpoints: [{ path: '/ping', latency: { type: 'fixed', ms: 0 }, calls }] };
  }
  return all;
}

const scale = suite<{ k: TestKernel }>('1,000 services with discovery');

scale.before(async (ctx) => {
  ctx.k = await createTestKernel({ plugins: ['mesh', 'discovery'], config: { mesh: { services: services() }, discovery: {} } });
});

scale.after(async ({ k }) => {
  await k.stop();
});

scale('every service is reachable and its calls go through the pipeline', async ({ k }) => {
  const res = await fetch(`${k.baseUrl}/${name(990)}/ping`);
  assert.is(res.status, 200);
  const last = await fetch(`${k.baseUrl}/${name(COUNT - 1)}/ping`);
  assert.is(last.status, 200);
});

scale('every instance is registered in discovery and visible to Consul clients', async ({ k }) => {
  const catalog = (await (await fetch(`${k.baseUrl}/v1/catalog/services`)).json()) as Record<string, string[]>;
  assert.is(Object.keys(catalog).filter((s) => s.startsWith('svc-')).length, COUNT);
  const health = (await (await fetch(`${k.baseUrl}/v1/health/service/${name(500)}?passing=true`)).json()) as unknown[];
  assert.is(health.length, 2);
});

scale('removing a service through the admin API deregisters its instances', async ({ k }) => {
  const removed = await fetch(`${k.baseUrl}/__admin/mesh/services/${name(998)}`, { method: 'DELETE' });
  assert.ok(removed.status < 300, `DELETE answered ${removed.status}`);
  const health = (await (await fetch(`${k.baseUrl}/v1/health/service/${name(998)}`)).json()) as unknown[];
  assert.is(health.length, 0);
  assert.is((await fetch(`${k.baseUrl}/${name(998)}/ping`)).status, 404);
});

scale.run();
