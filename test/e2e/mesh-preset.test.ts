// The mesh preset end to end: the five user scenarios of the service-mesh issue, over
// real HTTP against `presets: ['mesh']` (shop world, discovery, breaker, tracing, chaos),
// with simulated latency and random errors off so every outcome is deterministic; and
// edits that are refused whole, across mesh, discovery and the own ports.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

type Ctx = { k: TestKernel };
const mesh = suite<Ctx>('mesh preset');

mesh.before.each(async (ctx) => {
  ctx.k = await createTestKernel({ presets: ['mesh'], config: { mesh: { latencyScale: 0, errorScale: 0 } } });
});
mesh.after.each(async ({ k }) => {
  await k.stop();
});

const get = (k: TestKernel, path: string, init?: Parameters<typeof fetchJson>[1]) => fetchJson(k.baseUrl + path, init);
const checkout = (k: TestKernel, headers: Record<string, string> = {}) => get(k, '/gateway/checkout', { headers });

mesh('communication in a complex topology: checkout crosses every hop, each visible in the trace and the service map', async ({ k }) => {
  const res = await checkout(k);
  assert.is(res.status, 200);
  const orders = res.body.calls.find((c: { service: string }) => c.service === 'orders');
  assert.ok(orders.calls.some((c: { service: string; outcome: string }) => c.service === 'payments' && c.outcome === 'ok'));
  const traceId = res.headers.get('x-understudy-trace-id')!;
  const trace = await get(k, `/__admin/tracing/traces/${traceId}`);
  assert.is(trace.status, 200);
  const map = await get(k, '/__admin/tracing/service-map');
  const edges = JSON.stringify(map.body);
  for (const edge of ['gateway', 'orders', 'payments', 'inventory', 'catalog']) assert.match(edges, edge);
});

mesh('trace continuity: a real client traceparent continues through every hop', async ({ k }) => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const res = await checkout(k, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
  assert.is(res.status, 200);
  assert.match(res.headers.get('traceparent')!, traceId);
  const waterfall = await get(k, `/__admin/tracing/traces/${traceId}/waterfall`);
  assert.is(waterfall.status, 200);
  for (const service of ['gateway', 'orders', 'payments', 'catalog']) assert.match(waterfall.text, service);
  const found = await get(k, '/__admin/tracing/traces?service=payments');
  assert.ok(found.text.includes(traceId));
});

mesh('breaker protection: payments down opens orders→payments, later calls never reach it, half-open recovery after restore', async ({ k }) => {
  const fault = await get(k, '/__admin/chaos/faults', { method: 'POST', json: { id: 'payments-down', kind: 'outage', scope: { service: 'payments' } } });
  assert.is(fault.status, 201);
  for (let i = 0; i < 5; i++) assert.is((await checkout(k)).status, 502);
  const opened = k.eventsOf('breaker.opened').map((e) => (e.data as { key: string }).key);
  assert.ok(opened.some((key) => key.startsWith('orders→payments')), JSON.stringify(opened));
  const injectedBefore = (await get(k, '/__admin/chaos/faults/payments-down')).body.injected;
  const shortCircuited = await checkout(k);
  assert.is(shortCircuited.status, 502);
  assert.is((await get(k, '/__admin/chaos/faults/payments-down')).body.injected, injectedBefore, 'payments was not called while open');

  await get(k, '/__admin/chaos/faults/payments-down', { method: 'DELETE' });
  await k.advance(10_000);
  for (let i = 0; i < 5; i++) assert.is((await checkout(k)).status, 200);
  const closed = k.eventsOf('breaker.closed').map((e) => (e.data as { key: string }).key);
  assert.ok(closed.some((key) => key.startsWith('orders→payments')), JSON.stringify(closed));
  assert.ok(k.eventsOf('breaker.halfOpened').length > 0);
});

mesh('discovery during scale-up and scale-down: the registry follows the topology', async ({ k }) => {
  const healthOf = async () => ((await get(k, '/v1/health/service/payments?passing')).body as unknown[]).length;
  const before = await healthOf();
  const { definition } = (await get(k, '/__admin/mesh/services/payments')).body;
  const up = await get(k, '/__admin/mesh/services/payments', { method: 'PUT', json: { ...definition, instances: before + 2 } });
  assert.is(up.status, 200);
  assert.is(await healthOf(), before + 2);
  const down = await get(k, '/__admin/mesh/services/payments', { method: 'PUT', json: { ...definition, instances: 1 } });
  assert.is(down.status, 200);
  assert.is(await healthOf(), 1);
  assert.is((await checkout(k)).status, 200);
});

mesh('resilience to a cascade: taking a leaf down reports how failures propagate through sync callers', async ({ k }) => {
  const created = await get(k, '/__admin/chaos/scenarios', {
    method: 'POST',
    json: { id: 'cascade', steps: [{ template: 'cascade', leaf: 'payments', at: 0, duration: 60_000 }] },
  });
  assert.is(created.status, 201, created.text);
  assert.is((await get(k, '/__admin/chaos/scenarios/cascade/start', { method: 'POST' })).status < 300, true);
  await k.advance(0);
  for (let i = 0; i < 3; i++) assert.is((await checkout(k)).status, 502);
  const report = await get(k, '/__admin/chaos/scenarios/cascade');
  assert.match(JSON.stringify(report.body), /gateway.*orders.*payments/);
  assert.ok(k.eventsOf('chaos.scenarioStarted').length === 1);
});

mesh.run();

const edits = suite('mesh preset: edits are whole or not at all');

edits('a topology edit whose port is taken is a 409 that changes nothing, across mesh, discovery and the own ports; the next edit goes through', async () => {
  const k = await createTestKernel({ presets: ['mesh'], kernel: { server: { bodyLimit: 4096 } }, config: { mesh: { latencyScale: 0, errorScale: 0 } } });
  const other = createServer((_req, res) => res.end('not understudy'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
  const taken = (other.address() as AddressInfo).port;
  try {
    const consul = async () => ((await get(k, '/v1/catalog/service/payments')).body as Array<{ ServiceID: string; ServicePort: number }>).map((i) => `${i.ServiceID}:${i.ServicePort}`);
    const { definition } = (await get(k, '/__admin/mesh/services/payments')).body;
    const registered = await consul();
    assert.is(registered.length, 2, JSON.stringify(registered));
    const refused = await get(k, '/__admin/mesh/services/payments', { method: 'PUT', json: { ...definition, instances: 4, port: taken } });
    assert.is(refused.status, 409);
    assert.is(refused.body.code, 'US_MESH_PORT_IN_USE');
    assert.match(refused.body.message, String(taken));
    assert.equal(await consul(), registered);
    assert.equal((await get(k, '/__admin/mesh/services/payments')).body.definition, definition);
    assert.is((await checkout(k)).status, 200);

    const moved = await get(k, '/__admin/mesh/services/payments', { method: 'PUT', json: { ...definition, port: 0 } });
    assert.is(moved.status, 200);
    const own = moved.body.listeningPort as number;
    assert.equal(await consul(), [`payments-1:${own}`, `payments-2:${own}`], 'registered with its own port');
    assert.is((await fetchJson(`http://127.0.0.1:${own}/charge`, { method: 'POST' })).status, 200);
    assert.is((await checkout(k)).status, 200);
    // the own port shares the main port's body limit
    const big = await fetchJson(`http://127.0.0.1:${own}/charge`, { method: 'POST', body: 'x'.repeat(4097), headers: { 'content-type': 'text/plain' } });
    assert.is(big.status, 413);
    assert.is(big.body.code, 'US_BODY_TOO_LARGE');
  } finally {
    await new Promise((resolve) => other.close(resolve));
    await k.stop();
  }
});

edits.run();
