// The registry's bound (maxInstances) over real sockets: Consul registrations through the
// real `consul` client past the cap are refused in Consul's style (plain text) with a
// code in x-understudy-code, and nothing is half-registered; Eureka and the admin API
// refuse with the JSON error. Every plain-text or empty error answer of the wire routes
// carries x-understudy-code.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Consul from 'consul';
import { call, portOf, registryOf, startDiscovery } from './helpers.js';

const CODE = 'x-understudy-code';

interface ConsulError {
  statusCode: number;
  message: string;
  response: { headers: Record<string, string>; body: unknown };
}

const limits = suite('limits: maxInstances');

limits('Consul registrations past maxInstances are refused in plain text with a code; re-registering and freed room still work', async () => {
  const k = await startDiscovery({ maxInstances: 100 });
  const consul = new Consul({ host: '127.0.0.1', port: portOf(k) });
  try {
    const refusals: ConsulError[] = [];
    for (let i = 0; i < 300; i++) {
      try {
        await consul.agent.service.register({ name: `svc-${i % 7}`, id: `inst-${i}`, port: 1000 + i, check: { ttl: '30s' } } as never);
      } catch (err) {
        refusals.push(err as ConsulError);
      }
    }
    assert.is(refusals.length, 200);
    for (const err of refusals) {
      assert.is(err.statusCode, 409);
      assert.is(err.response.headers[CODE], 'US_DISCOVERY_LIMIT_REACHED');
      assert.match(String(err.response.headers['content-type']), 'text/plain');
    }
    assert.match(String(refusals[0]!.response.body), 'plugins.discovery.maxInstances (100)');
    const listed = (await consul.agent.service.list()) as Record<string, unknown>;
    assert.is(Object.keys(listed).length, 100);
    // nothing of a refused registration was kept: no instance, no check, no event
    assert.is(listed['inst-100'], undefined);
    assert.not.ok(k.eventsOf('service.registered').some((e) => e.data.id === 'inst-100'));
    const check = await call(k, '/v1/agent/check/pass/service:inst-100', { method: 'PUT' });
    assert.is(check.status, 404);
    assert.is(check.headers.get(CODE), 'US_DISCOVERY_CHECK_NOT_FOUND');
    // a registered id may register again at the cap
    await consul.agent.service.register({ name: 'svc-0', id: 'inst-0', port: 2000 } as never);
    assert.is(registryOf(k).get('inst-0')!.port, 2000);
    // deregistering makes room
    await consul.agent.service.deregister('inst-1');
    await consul.agent.service.register({ name: 'late', id: 'late-1', port: 3000 } as never);
    assert.is(registryOf(k).size, 100);
  } finally {
    await k.stop();
  }
});

limits('by default the registry holds 5,000 instances: of 10,000 registrations the rest are refused', async () => {
  const k = await startDiscovery();
  const consul = new Consul({ host: '127.0.0.1', port: portOf(k) });
  try {
    const registry = registryOf(k);
    // the first 9,990 in-process (fast), the last ten through the real client
    let refusedInProcess = 0;
    for (let i = 0; i < 9_990; i++) {
      try {
        registry.register({ id: `i-${i}`, service: 'bulk', address: '127.0.0.1', port: 1 });
      } catch (err) {
        assert.is((err as { code: string }).code, 'US_DISCOVERY_LIMIT_REACHED');
        refusedInProcess++;
      }
    }
    let refusedOverHttp = 0;
    for (let i = 9_990; i < 10_000; i++) {
      await consul.agent.service.register({ name: 'bulk', id: `i-${i}`, port: 1 } as never).catch((err: ConsulError) => {
        assert.is(err.statusCode, 409);
        refusedOverHttp++;
      });
    }
    assert.is(refusedInProcess + refusedOverHttp, 5_000);
    assert.is(refusedOverHttp, 10);
    assert.is(registry.size, 5_000);
  } finally {
    await k.stop();
  }
});

limits('Eureka and the admin API refuse past the cap with the JSON error, its code also in the header', async () => {
  const k = await startDiscovery({ maxInstances: 1, services: [{ service: 'pay', port: 1 }] });
  try {
    const eureka = await call(k, '/eureka/apps/ORDERS', { method: 'POST', json: { instance: { instanceId: 'orders-1', hostName: 'localhost', ipAddr: '127.0.0.1', port: 8080 } } });
    assert.is(eureka.status, 409);
    assert.is(eureka.body.code, 'US_DISCOVERY_LIMIT_REACHED');
    assert.is(eureka.headers.get(CODE), 'US_DISCOVERY_LIMIT_REACHED');
    assert.is((await call(k, '/eureka/apps/ORDERS')).status, 404);
    const admin = await call(k, '/__admin/discovery/instances', { method: 'POST', json: { id: 'x-1', service: 'x', port: 1 } });
    assert.is(admin.status, 409);
    assert.is(admin.body.code, 'US_DISCOVERY_LIMIT_REACHED');
    assert.match(admin.body.message, 'raise plugins.discovery.maxInstances');
    assert.equal(Object.keys((await call(k, '/__admin/discovery/services')).body.services), ['pay']);
  } finally {
    await k.stop();
  }
});

limits('more configured services than maxInstances stop startup, naming the setting', async () => {
  try {
    const k = await startDiscovery({ maxInstances: 1, services: [{ service: 'a', port: 1 }, { service: 'b', port: 2 }] }, false);
    await k.stop();
    assert.unreachable('start should fail');
  } catch (err) {
    assert.match((err as Error).message, 'plugins.discovery.maxInstances (1)');
  }
});

limits.run();

const codes = suite('wire errors carry x-understudy-code');

codes('Consul plain-text 404s and JSON 400s', async () => {
  const k = await startDiscovery();
  try {
    const cases: Array<[string, string, string]> = [
      ['PUT', '/v1/agent/service/deregister/nope', 'US_DISCOVERY_INSTANCE_NOT_FOUND'],
      ['GET', '/v1/agent/service/nope', 'US_DISCOVERY_INSTANCE_NOT_FOUND'],
      ['PUT', '/v1/agent/check/pass/service:nope', 'US_DISCOVERY_CHECK_NOT_FOUND'],
      ['PUT', '/v1/agent/check/fail/other', 'US_DISCOVERY_CHECK_NOT_FOUND'],
    ];
    for (const [method, path, code] of cases) {
      const res = await call(k, path, { method });
      assert.is(res.status, 404, path);
      assert.match(String(res.headers.get('content-type')), 'text/plain');
      assert.is(res.headers.get(CODE), code, path);
    }
    // the plain-text body stays Consul's
    assert.is((await call(k, '/v1/agent/service/deregister/nope', { method: 'PUT' })).text, 'Unknown service ID "nope". Ensure that the service ID is passed, not the service name.');
    const bad = await call(k, '/v1/agent/service/register', { method: 'PUT', json: { Port: 1 } });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_DISCOVERY_INVALID_REGISTRATION');
    assert.is(bad.headers.get(CODE), 'US_DISCOVERY_INVALID_REGISTRATION');
    assert.is((await call(k, '/v1/health/service/x?index=abc')).headers.get(CODE), 'US_DISCOVERY_INVALID_INDEX');
    // successes carry none
    assert.is((await call(k, '/v1/agent/services')).headers.get(CODE), null);
  } finally {
    await k.stop();
  }
});

codes('Eureka empty 404s', async () => {
  const k = await startDiscovery();
  try {
    for (const [method, path] of [
      ['GET', '/eureka/apps/NOPE'],
      ['GET', '/eureka/apps/NOPE/x'],
      ['PUT', '/eureka/apps/NOPE/x'],
      ['DELETE', '/eureka/v2/apps/NOPE/x'],
      ['PUT', '/eureka/apps/NOPE/x/status?value=UP'],
    ] as const) {
      const res = await call(k, path, { method });
      assert.is(res.status, 404, path);
      assert.is(res.text, '');
      assert.is(res.headers.get(CODE), 'US_DISCOVERY_INSTANCE_NOT_FOUND', path);
    }
    const bad = await call(k, '/eureka/apps/X', { method: 'POST', json: {} });
    assert.is(bad.status, 400);
    assert.is(bad.headers.get(CODE), 'US_DISCOVERY_INVALID_REGISTRATION');
  } finally {
    await k.stop();
  }
});

codes.run();
