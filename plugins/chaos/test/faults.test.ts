import { test } from 'uvu';
import * as assert from 'uvu/assert';
import discovery from '@understudy/plugin-discovery';
import { admin, call, SHOP, start, svc } from './helpers.js';

test('error fault: short-circuits with the status, tags the exchange, one event plus a counter', async () => {
  const k = await start(SHOP, { faults: [{ id: 'pay-err', kind: 'error', status: 500, scope: { service: 'payments' } }] });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await call(`${k.baseUrl}/gateway`);
      assert.is(res.status, 502);
      assert.is(res.body.failed.service, 'orders');
    }
    const pay = k.seen.filter((s) => s.service === 'payments');
    assert.is(pay.length, 3);
    assert.ok(pay.every((s) => s.status === 500));
    assert.equal(pay[0].chaos, [{ faultId: 'pay-err', kind: 'error' }]);
    assert.is(k.eventsOf('chaos.injected').length, 1);
    assert.equal((k.eventsOf('chaos.injected')[0].data as any).faultId, 'pay-err');
    const list = await admin(k, '/faults');
    assert.is(list.body.faults[0].injected, 3);
    // default status 503 and a custom body
    await admin(k, '/faults', { method: 'DELETE' });
    await admin(k, '/faults', { method: 'POST', json: { kind: 'error', body: { sorry: true }, scope: { service: 'users' } } });
    const users = await call(`${k.baseUrl}/users`);
    assert.is(users.status, 503);
    assert.equal(users.body, { sorry: true });
    await admin(k, '/faults', { method: 'POST', json: { id: 'txt', kind: 'error', status: 418, body: 'teapot', scope: { service: 'payments' } } });
    const pay2 = await call(`${k.baseUrl}/payments`);
    assert.is(pay2.status, 418);
    assert.is(pay2.text, 'teapot');
    await admin(k, '/faults', { method: 'POST', json: { kind: 'error', scope: { service: 'orders' } } });
    const orders = await call(`${k.baseUrl}/orders`);
    assert.is(orders.body.code, 'US_CHAOS_INJECTED_ERROR');
  } finally {
    await k.stop();
  }
});

test('scope: endpoint, caller, instance and version must all match', async () => {
  const k = await start({ gateway: svc(['orders']), admin: svc(['orders']), orders: svc([], { instances: [{ version: '1.0.0' }, { version: '2.0.0' }] }) });
  try {
    await admin(k, '/faults', { method: 'POST', json: { id: 'c', kind: 'outage', scope: { service: 'orders', caller: 'admin' } } });
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200);
    assert.is((await call(`${k.baseUrl}/admin`)).status, 502);
    await admin(k, '/faults/c', { method: 'DELETE' });
    await admin(k, '/faults', { method: 'POST', json: { id: 'v', kind: 'error', scope: { service: 'orders', endpoint: 'go', version: '2.0.0' } } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(`${k.baseUrl}/orders`)).status);
    assert.equal(statuses, [200, 503, 200, 503]);
    await admin(k, '/faults/v', { method: 'DELETE' });
    await admin(k, '/faults', { method: 'POST', json: { id: 'i', kind: 'outage', scope: { instance: 'orders-1' } } });
    const out = await call(`${k.baseUrl}/orders`);
    assert.is(out.status, 503);
    assert.is(out.body.code, 'US_CHAOS_OUTAGE');
    assert.is((await call(`${k.baseUrl}/orders`)).status, 200);
    await admin(k, '/faults/i', { method: 'DELETE' });
    await admin(k, '/faults', { method: 'POST', json: { id: 'e', kind: 'error', scope: { endpoint: 'nope' } } });
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200);
  } finally {
    await k.stop();
  }
});

async function percentageRun(seed: number): Promise<number[]> {
  const k = await start({ a: svc() }, { faults: [{ id: 'half', kind: 'error', scope: { service: 'a', percentage: 50 } }] }, { seed });
  try {
    const out: number[] = [];
    for (let i = 0; i < 20; i++) out.push((await call(`${k.baseUrl}/a`)).status);
    return out;
  } finally {
    await k.stop();
  }
}

test('percentage is decided by the seeded stream: same seed, same faults', async () => {
  const a = await percentageRun(7);
  const b = await percentageRun(7);
  assert.equal(a, b);
  const failed = a.filter((s) => s === 503).length;
  assert.ok(failed > 3 && failed < 17, `${failed} of 20 failed`);
  const c = await percentageRun(8);
  assert.not.equal(a, c);
  const k = await start({ a: svc() }, { faults: [{ kind: 'error', scope: { percentage: 0 } }] });
  try {
    assert.is((await call(`${k.baseUrl}/a`)).status, 200);
  } finally {
    await k.stop();
  }
});

test('latency parks on the virtual clock, then the call continues', async () => {
  const k = await start({ a: svc() }, { faults: [{ id: 'slow', kind: 'latency', ms: 300, scope: { service: 'a' } }] });
  try {
    const t0 = k.clock.now();
    const pending = call(`${k.baseUrl}/a`);
    await k.untilTimers();
    await k.advance(300);
    const res = await pending;
    assert.is(res.status, 200);
    assert.is(k.clock.now() - t0, 300);
    assert.equal(k.seen[0].chaos, [{ faultId: 'slow', kind: 'latency' }]);
    // jitter and distributions
    await admin(k, '/faults', { method: 'DELETE' });
    for (const f of [
      { kind: 'latency', jitterMs: 100 },
      { kind: 'latency', distribution: { type: 'uniform', min: 10, max: 20 } },
      { kind: 'latency', distribution: { type: 'normal', mean: 50, stdDev: 5 } },
      { kind: 'latency', distribution: { type: 'lognormal', median: 50, sigma: 0.3 } },
    ]) {
      const added = await admin(k, '/faults', { method: 'POST', json: f });
      assert.is(added.status, 201);
      const p = call(`${k.baseUrl}/a`);
      await k.untilTimers();
      await k.advance(1000);
      assert.is((await p).status, 200);
      await admin(k, `/faults/${added.body.id}`, { method: 'DELETE' });
    }
  } finally {
    await k.stop();
  }
});

test('timeout: sleeps then answers 504 US_CHAOS_TIMEOUT', async () => {
  const k = await start({ a: svc() }, { faults: [{ kind: 'timeout', ms: 5000, scope: { service: 'a' } }] });
  try {
    const pending = call(`${k.baseUrl}/a`);
    await k.untilTimers();
    await k.advance(5000);
    const res = await pending;
    assert.is(res.status, 504);
    assert.is(res.body.code, 'US_CHAOS_TIMEOUT');
  } finally {
    await k.stop();
  }
});

test('abort: a real HTTP caller sees the connection reset; an in-process caller sees a failed dependency', async () => {
  const k = await start(SHOP, { faults: [{ id: 'cut', kind: 'abort', scope: { service: 'payments' } }] });
  try {
    let failed = false;
    try {
      await fetch(`${k.baseUrl}/payments`);
    } catch {
      failed = true;
    }
    assert.ok(failed, 'fetch fails');
    const res = await call(`${k.baseUrl}/orders`);
    assert.is(res.status, 502);
    assert.is(res.body.code, 'US_MESH_DEPENDENCY_FAILED');
    assert.is(res.body.failed.status, 502);
    assert.is(res.body.failed.code, 'US_CHAOS_ABORTED');
  } finally {
    await k.stop();
  }
});

test('partition: cross-group calls fail, same-group calls work, discovery health goes critical and returns', async () => {
  const k = await start(
    { gateway: svc(['orders', 'payments']), orders: svc(['users']), users: svc(), payments: svc() },
    {},
    { extra: [discovery] },
  );
  try {
    const health = async (id: string) => (await call(`${k.baseUrl}/__admin/discovery/instances/${id}`)).body.health;
    assert.is(await health('payments-1'), 'passing');
    const added = await admin(k, '/faults', { method: 'POST', json: { id: 'split', kind: 'partition', groups: [['gateway', 'orders', 'users'], ['payments']] } });
    assert.is(added.status, 201);
    assert.is(await health('payments-1'), 'critical');
    assert.is(await health('orders-1'), 'passing');
    const res = await call(`${k.baseUrl}/gateway`);
    assert.is(res.status, 502);
    assert.is(res.body.failed.service, 'payments');
    assert.is(res.body.failed.code, 'US_CHAOS_PARTITION');
    assert.is((await call(`${k.baseUrl}/orders`)).status, 200); // orders → users: same group
    assert.is((await call(`${k.baseUrl}/payments`)).status, 200); // from outside: no caller
    await admin(k, '/faults/split', { method: 'DELETE' });
    assert.is(await health('payments-1'), 'passing');
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200);
  } finally {
    await k.stop();
  }
});

test('partition: an instance registered while it lasts goes critical on the cut-off side only, and gets its registered health back', async () => {
  const k = await start({ gateway: svc(['payments']), payments: svc() }, {}, { extra: [discovery] });
  try {
    const url = `${k.baseUrl}/__admin/discovery/instances`;
    const register = (id: string, service: string, extra: Record<string, unknown> = {}) =>
      call(url, { method: 'POST', json: { id, service, address: '10.0.0.9', port: 8080, ...extra } });
    const check = async (id: string) => {
      const { health, output } = (await call(`${url}/${id}`)).body;
      return { health, output };
    };
    assert.is((await admin(k, '/faults', { method: 'POST', json: { id: 'split', kind: 'partition', groups: [['gateway'], ['payments']] } })).status, 201);
    const added = await register('payments-2', 'payments');
    assert.is(added.status, 201);
    assert.equal({ health: added.body.health, output: added.body.output }, { health: 'critical', output: 'partitioned by chaos' });
    assert.is((await register('payments-3', 'payments', { health: 'warning' })).body.health, 'critical');
    assert.is((await register('gateway-2', 'gateway')).body.health, 'passing');
    // a re-registration resets health: still cut off
    assert.is((await register('payments-2', 'payments')).body.health, 'critical');
    assert.is((await call(`${url}/payments-3`, { method: 'DELETE' })).status, 200);
    await admin(k, '/faults/split', { method: 'DELETE' });
    assert.equal(await check('payments-1'), { health: 'passing', output: '' });
    assert.equal(await check('payments-2'), { health: 'passing', output: '' });
    assert.is((await call(`${url}/payments-3`)).status, 404, 'an instance gone meanwhile is not brought back');
    // after the fault, a registration is left as it is
    assert.is((await register('payments-3', 'payments', { health: 'warning' })).body.health, 'warning');
  } finally {
    await k.stop();
  }
});

test('partition from config applies to discovery once mesh has registered', async () => {
  const k = await start({ a: svc(['b']), b: svc() }, { faults: [{ kind: 'partition', groups: [['a'], ['b']] }] }, { extra: [discovery] });
  try {
    assert.is((await call(`${k.baseUrl}/__admin/discovery/instances/b-1`)).body.health, 'critical');
    assert.is((await call(`${k.baseUrl}/a`)).status, 502);
  } finally {
    await k.stop();
  }
});

test('header loss and corruption happen before Stage.Inbound sees the request', async () => {
  const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const k = await start({ a: svc() }, { faults: [{ id: 'lose', kind: 'headerLoss', scope: { service: 'a' } }] });
  try {
    await call(`${k.baseUrl}/a`, { headers: { traceparent: tp, 'x-b3-traceid': 'abc', b3: '1-2', 'x-keep': 'yes' } });
    const seen = k.inbound[0];
    assert.is(seen.traceparent, undefined);
    assert.is(seen['x-b3-traceid'], undefined);
    assert.is(seen.b3, undefined);
    assert.is(seen['x-keep'], 'yes');
    assert.equal(k.seen[0].chaos, [{ faultId: 'lose', kind: 'headerLoss' }]);
    // no trace header: nothing to do, nothing counted
    await call(`${k.baseUrl}/a`);
    assert.is((await admin(k, '/faults/lose')).body.injected, 1);
    await admin(k, '/faults/lose', { method: 'DELETE' });
    await admin(k, '/faults', { method: 'POST', json: { id: 'mangle', kind: 'headerCorruption', headers: ['traceparent'] } });
    await call(`${k.baseUrl}/a`, { headers: { traceparent: tp, tracestate: 'x=1' } });
    const corrupted = k.inbound[2];
    assert.type(corrupted.traceparent, 'string');
    assert.is.not(corrupted.traceparent, tp);
    assert.is(corrupted.tracestate, 'x=1');
  } finally {
    await k.stop();
  }
});

test('header faults apply to child exchanges by service and caller', async () => {
  const k = await start({ a: svc(['b']), b: svc() }, { faults: [{ kind: 'headerLoss', headers: ['x-understudy-caller'], scope: { service: 'b', caller: 'a' } }] });
  try {
    await call(`${k.baseUrl}/a`);
    const child = k.inbound.find((h) => 'x-understudy-caller' in h);
    assert.is(child, undefined);
    assert.is(k.eventsOf('chaos.injected').length, 1);
  } finally {
    await k.stop();
  }
});

test.run();
