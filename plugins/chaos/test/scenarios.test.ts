import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, call, SHOP, start } from './helpers.js';

test('timeline: a step activates at `at`, deactivates after `duration`, with events', async () => {
  const k = await start(SHOP);
  try {
    const created = await admin(k, '/scenarios', {
      method: 'POST',
      json: { id: 'night', name: 'payments wobble', steps: [{ at: 1000, duration: 2000, fault: { kind: 'error', status: 500, scope: { service: 'payments' } } }] },
    });
    assert.is(created.status, 201);
    assert.is(created.body.status, 'idle');
    const started = await admin(k, '/scenarios/night/start', { method: 'POST' });
    assert.is(started.body.status, 'running');
    assert.is(k.eventsOf('chaos.scenarioStarted').length, 1);
    assert.is((await call(`${k.baseUrl}/payments`)).status, 200);
    await k.advance(1000);
    assert.is((await admin(k, '/scenarios/night')).body.steps[0].state, 'active');
    assert.is((await call(`${k.baseUrl}/payments`)).status, 500);
    assert.is((await call(`${k.baseUrl}/payments`)).status, 500);
    assert.is(k.eventsOf('chaos.injected').length, 1);
    await k.advance(2000);
    assert.is((await call(`${k.baseUrl}/payments`)).status, 200);
    const view = await admin(k, '/scenarios/night');
    assert.is(view.body.status, 'completed');
    assert.is(view.body.steps[0].state, 'done');
    assert.equal(view.body.observed.failing, { payments: 2 });
    const ended = k.eventsOf('chaos.scenarioEnded');
    assert.is(ended.length, 1);
    assert.is((ended[0].data as any).durationMs, 3000);
    assert.equal(k.eventsOf('chaos.stepActivated').map((e) => e.at - k.eventsOf('chaos.scenarioStarted')[0].at), [1000]);
    // a second run emits chaos.injected again (one per activation)
    await admin(k, '/scenarios/night/start', { method: 'POST' });
    await k.advance(1000);
    await call(`${k.baseUrl}/payments`);
    assert.is(k.eventsOf('chaos.injected').length, 2);
    const stopped = await admin(k, '/scenarios/night/stop', { method: 'POST' });
    assert.is(stopped.body.status, 'stopped');
    assert.is((await call(`${k.baseUrl}/payments`)).status, 200);
    assert.equal((await admin(k, '/faults')).body.faults, []);
    // stopping again is harmless; list shows it
    assert.is((await admin(k, '/scenarios/night/stop', { method: 'POST' })).body.status, 'stopped');
    assert.is((await admin(k, '/scenarios')).body.scenarios.length, 1);
  } finally {
    await k.stop();
  }
});

test('cascade: leaf payments down, orders and gateway fail, the report lists the propagation path', async () => {
  const k = await start(SHOP, { scenarios: [{ id: 'cascade', steps: [{ template: 'cascade', leaf: 'payments', at: 0, duration: 10_000 }] }] });
  try {
    await admin(k, '/scenarios/cascade/start', { method: 'POST' });
    await k.advance(0);
    const res = await call(`${k.baseUrl}/gateway`);
    assert.is(res.status, 502);
    assert.is((await call(`${k.baseUrl}/users`)).status, 200);
    const view = (await admin(k, '/scenarios/cascade')).body;
    assert.equal(view.cascades, [{ leaf: 'payments', affected: ['gateway', 'orders'], paths: [['gateway', 'orders', 'payments']] }]);
    assert.equal(view.observed.failing, { gateway: 1, orders: 1, payments: 1 });
    assert.equal(view.observed.edges.map((e: any) => `${e.caller}→${e.service}`), ['gateway→orders', 'orders→payments']);
    await k.advance(10_000);
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200);
    assert.is((await admin(k, '/scenarios/cascade')).body.status, 'completed');
  } finally {
    await k.stop();
  }
});

test('simultaneous: many services fail at once; a step without duration lasts until stop', async () => {
  const k = await start(SHOP);
  try {
    await admin(k, '/scenarios', {
      method: 'POST',
      json: { id: 'storm', steps: [{ at: 500, simultaneous: { services: ['users', 'payments'], fault: { kind: 'error', status: 500 } } }] },
    });
    await admin(k, '/scenarios/storm/start', { method: 'POST' });
    await k.advance(500);
    assert.is((await call(`${k.baseUrl}/users`)).status, 500);
    assert.is((await call(`${k.baseUrl}/payments`)).status, 500);
    assert.is((await call(`${k.baseUrl}/orders`)).status, 502);
    assert.equal((await admin(k, '/faults')).body.faults.map((f: any) => f.id), ['storm.step0.users', 'storm.step0.payments']);
    await k.advance(60_000);
    assert.is((await admin(k, '/scenarios/storm')).body.status, 'running');
    const dup = await admin(k, '/scenarios/storm/start', { method: 'POST' });
    assert.is(dup.status, 409);
    assert.is(dup.body.code, 'US_CHAOS_ALREADY_RUNNING');
    await admin(k, '/scenarios/storm/stop', { method: 'POST' });
    assert.is((await call(`${k.baseUrl}/users`)).status, 200);
  } finally {
    await k.stop();
  }
});

async function reproducible(seed: number) {
  const k = await start(SHOP, { scenarios: [{ id: 's', steps: [{ at: 100, duration: 1000, fault: { kind: 'abort', scope: { service: 'payments', percentage: 40 } } }, { at: 300, fault: { kind: 'error', scope: { service: 'users', percentage: 30 } } }] }] }, { seed });
  try {
    k.resolve('chaos').startScenario('s');
    const out: string[] = [];
    for (let i = 0; i < 12; i++) {
      await k.advance(100);
      const res = await call(`${k.baseUrl}/gateway`);
      out.push(`${res.status}:${res.body.failed?.service ?? '-'}`);
    }
    return { out, faults: (await admin(k, '/scenarios/s')).body.observed };
  } finally {
    await k.stop();
  }
}

test('same seed + same scenario + same requests = same injected faults and outcomes', async () => {
  const a = await reproducible(42);
  const b = await reproducible(42);
  assert.equal(a, b);
  assert.ok(a.out.some((o) => o.startsWith('502')));
  assert.ok(a.out.some((o) => o.startsWith('200')));
});

test.run();
