import { test } from 'uvu';
import * as assert from 'uvu/assert';
import breaker from '@understudy/plugin-breaker';
import { definePlugin } from '@understudy/plugin-sdk';
import { admin, call, SHOP, start } from './helpers.js';

const hypothesis = {
  title: 'checkout works',
  probes: [
    { type: 'probe', name: 'checkout', provider: { type: 'http', url: '/gateway' }, tolerance: 200 },
    { type: 'probe', name: 'users', provider: { type: 'http', url: '/users', method: 'GET' }, tolerance: [200, 204] },
  ],
};

const experiment = {
  id: 'pay-down',
  title: 'Payments outage',
  description: 'What happens to checkout when payments is down?',
  'steady-state-hypothesis': hypothesis,
  method: [
    { type: 'action', name: 'kill-payments', provider: { type: 'fault', fault: { kind: 'outage', scope: { service: 'payments' } } } },
    { type: 'probe', name: 'orders-during', provider: { type: 'http', url: '/orders' }, tolerance: { type: 'range', range: [0, 599] } },
    { type: 'pause', name: 'let it burn', durationMs: 1000 },
  ],
  rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'clear-faults' } }],
};

/** A stand-in for the breaker plugin: a `breakers` service (list() in its views' shape) and breaker.* events. */
const fakeBreaker = definePlugin({
  name: 'fake-breaker',
  provides: ['breakers'],
  register(ctx) {
    let state = 'CLOSED';
    ctx.provide('breakers', { list: () => [{ key: 'orders→payments', state, transitions: [] }, { key: 'gateway→users', state: 'CLOSED', transitions: [] }] } as never);
    ctx.hooks.settled.tap('fake-breaker', (ex) => {
      if (ex.service === 'payments' && (ex.response?.status ?? 0) >= 500 && state === 'CLOSED') {
        state = 'OPEN';
        ctx.events.emit('breaker.opened', { key: 'orders→payments' });
      }
    });
  },
});

test('experiment: hypothesis holds before, fails after; JSON and Markdown reports', async () => {
  const k = await start(SHOP, {}, { extra: [fakeBreaker] });
  try {
    const created = await admin(k, '/experiments', { method: 'POST', json: experiment });
    assert.is(created.status, 201);
    assert.is(created.body.status, 'pending');
    const run = await admin(k, '/experiments/pay-down/run', { method: 'POST' });
    assert.is(run.status, 202);
    await k.untilTimers();
    await k.advance(1000);
    let report = (await admin(k, '/experiments/pay-down/report')).body;
    for (let i = 0; i < 50 && report.status === 'running'; i++) report = (await admin(k, '/experiments/pay-down/report')).body;
    assert.is(report.status, 'completed');
    assert.is(report.deviated, true);
    assert.is(report.hypothesis.before.met, true);
    assert.equal(report.hypothesis.before.probes.map((p: any) => [p.name, p.value, p.ok]), [['checkout', 200, true], ['users', 200, true]]);
    assert.is(report.hypothesis.after.met, false);
    assert.equal(report.hypothesis.after.probes[0], { name: 'checkout', url: '/gateway', value: 502, tolerance: 200, ok: false });
    assert.equal(report.method[1].probe.value, 502);
    assert.is(report.method[1].probe.ok, true);
    assert.equal(report.injected, [{ faultId: 'pay-down.kill-payments', kind: 'outage', count: 2 }]);
    assert.equal(report.broke.failingServices, { gateway: 1, orders: 2, payments: 2 });
    assert.equal(report.broke.failedProbes.map((p: any) => p.name), ['checkout']);
    assert.equal(report.breakers.events.map((e: any) => e.type), ['breaker.opened']);
    assert.equal(report.breakers.changed, [{ key: 'orders→payments', state: 'OPEN' }]);
    assert.is(report.durationMs, 1000);
    assert.equal(report.rollbacks, [{ type: 'action', name: 'heal', cleared: 1 }]);
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200);
    const md = await admin(k, '/experiments/pay-down/report.md');
    assert.match(md.headers.get('content-type')!, 'text/markdown');
    assert.match(md.text, '# Experiment: Payments outage');
    assert.match(md.text, '### Before: held');
    assert.match(md.text, '### After: did not hold');
    assert.match(md.text, '| checkout | `/gateway` | 502 | 200 | no |');
    assert.match(md.text, '| pay-down.kill-payments | outage | 2 |');
    assert.match(md.text, 'breaker.opened');
    assert.match(md.text, 'Strategy: `default`.');
    for (const row of ['| method | kill-payments | action | 0 | 0 | yes |', '| method | orders-during | probe | 0 | 0 | yes |', '| method | let it burn | pause | 0 | 1000 | yes |', '| rollback | heal | action | 1000 | 1000 | yes |']) assert.match(md.text, row);
    const list = await admin(k, '/experiments');
    assert.equal(list.body.experiments.map((e: any) => [e.id, e.status]), [['pay-down', 'completed']]);
    assert.is((await admin(k, '/experiments/pay-down')).body.spec.title, 'Payments outage');
    assert.equal(k.eventsOf('chaos.experimentEnded').map((e: any) => e.data.status), ['completed']);
  } finally {
    await k.stop();
  }
});

test('experiment: a hypothesis that fails before skips the method; programmatic run; wait=true', async () => {
  const k = await start(SHOP, { faults: [{ id: 'pre', kind: 'error', scope: { service: 'users' } }], experiments: [{ ...experiment, id: 'x' }] });
  try {
    const done = await k.resolve('chaos').runExperiment('x');
    assert.is(done.status, 'failed');
    const report = (await admin(k, '/experiments/x/report')).body;
    assert.is(report.hypothesis.before.met, false);
    assert.is(report.hypothesis.after, undefined);
    assert.equal(report.injected, []);
    assert.equal(report.breakers, { events: [] });
    const md = (await admin(k, '/experiments/x/report.md')).text;
    assert.match(md, 'did not hold before');
    assert.match(md, '### After: not checked');
    assert.match(md, 'Nothing was injected.');
    assert.match(md, 'No breaker changed state.');
    await admin(k, '/faults/pre', { method: 'DELETE' });
    // a timed fault action, a timeout probe and the default tolerance
    const created = await admin(k, '/experiments', {
      method: 'POST',
      json: {
        title: 'slow payments',
        method: [
          { type: 'action', name: 'slow', provider: { type: 'fault', fault: { kind: 'latency', ms: 5000, scope: { service: 'payments' } }, durationMs: 10 } },
          { type: 'probe', name: 'pay', provider: { type: 'http', url: '/payments', timeoutMs: 100 } },
          { type: 'probe', name: 'fast', provider: { type: 'http', url: '/users', timeoutMs: 100 } },
        ],
      },
    });
    assert.is(created.body.id, 'experiment-1');
    const pending = admin(k, '/experiments/experiment-1/run?wait=true', { method: 'POST' });
    await k.untilTimers(3);
    await k.advance(5000);
    const r = (await pending).body;
    assert.is(r.status, 'completed');
    assert.is(r.deviated, false);
    assert.equal(r.method[1].probe, { name: 'pay', url: '/payments', value: 'timeout', tolerance: { type: 'range', range: [200, 399] }, ok: false });
    assert.is(r.method[2].probe.ok, true);
    assert.equal((await admin(k, '/faults')).body.faults, []);
  } finally {
    await k.stop();
  }
});

test('experiment with the real breaker plugin: the report lists the breakers that changed, not every breaker', async () => {
  const k = await start(SHOP, {}, { extra: [breaker], config: { breaker: { slidingWindowSize: 1, minimumNumberOfCalls: 1 } } });
  try {
    assert.is((await call(`${k.baseUrl}/gateway`)).status, 200); // three CLOSED breakers: gateway→users, gateway→orders, orders→payments
    await admin(k, '/experiments', {
      method: 'POST',
      json: {
        id: 'trip',
        title: 'trip orders→payments',
        method: [
          { type: 'action', name: 'kill-payments', provider: { type: 'fault', fault: { kind: 'outage', scope: { service: 'payments' } } } },
          { type: 'probe', name: 'orders', provider: { type: 'http', url: '/orders' }, tolerance: 502 },
        ],
      },
    });
    const report = (await admin(k, '/experiments/trip/run?wait=true', { method: 'POST' })).body;
    assert.is(report.status, 'completed');
    assert.equal(report.breakers.changed, [{ key: 'orders→payments:go', state: 'OPEN' }]);
    assert.equal(report.breakers.events.map((e: any) => [e.type, e.data.key, e.data.to]), [['breaker.opened', 'orders→payments:go', 'OPEN']]);
  } finally {
    await k.stop();
  }
});

test('experiment: stop aborts a running experiment; rollbacks still run', async () => {
  const k = await start(SHOP);
  try {
    await admin(k, '/experiments', {
      method: 'POST',
      json: { id: 'long', title: 'long', method: [{ type: 'action', name: 'f', provider: { type: 'fault', fault: { kind: 'outage', scope: { service: 'users' } } } }, { type: 'pause', durationMs: 60_000 }], rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'clear-faults' } }] },
    });
    await admin(k, '/experiments/long/run', { method: 'POST' });
    await k.untilTimers();
    const again = await admin(k, '/experiments/long/run', { method: 'POST' });
    assert.is(again.status, 409);
    const stopped = await admin(k, '/experiments/long/stop', { method: 'POST' });
    assert.is(stopped.body.status, 'aborted');
    assert.is((await call(`${k.baseUrl}/users`)).status, 200);
    const report = (await admin(k, '/experiments/long/report')).body;
    assert.is(report.reason, 'stopped through the API');
    // stopping a finished experiment is a no-op
    assert.is((await admin(k, '/experiments/long/stop', { method: 'POST' })).body.status, 'aborted');
  } finally {
    await k.stop();
  }
});

test('experiment: a run the server stops is interrupted; its rollbacks run', async () => {
  const k = await start(SHOP);
  const chaos = k.resolve('chaos');
  await admin(k, '/experiments', {
    method: 'POST',
    json: { id: 'cut', title: 'cut', method: [{ type: 'action', name: 'f', provider: { type: 'fault', fault: { kind: 'outage', scope: { service: 'users' } } } }, { type: 'pause', durationMs: 60_000 }], rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'clear-faults' } }] },
  });
  await admin(k, '/experiments/cut/run', { method: 'POST' });
  await k.clock.advance(1000);
  await k.stop();
  const e = chaos.experiments.get('cut');
  assert.equal([e.status, e.reason], ['interrupted', 'the server stopped while it ran']);
  assert.equal(e.rollbacks, [{ type: 'action', name: 'heal', cleared: 1 }]);
  const j = chaos.experiments.journal(e);
  assert.equal([j.status, j.deviated], ['interrupted', false]);
  assert.equal(k.eventsOf('chaos.experimentEnded').map((x) => x.data.status), ['interrupted']);
});

test('experiment: a stop while the hypothesis is polled "within T" ends the polling; the journal says aborted', async () => {
  const k = await start(SHOP);
  try {
    const probe = { type: 'probe', name: 'pay', provider: { type: 'http', url: '/payments' }, tolerance: 200 };
    await admin(k, '/experiments', {
      method: 'POST',
      json: { id: 'poll', title: 'poll', 'steady-state-hypothesis': { title: 'pay', probes: [probe], withinMs: 60_000, pollMs: 1000 }, method: [{ type: 'action', name: 'down', provider: { type: 'fault', fault: { kind: 'outage', scope: { service: 'payments' } } } }] },
    });
    await admin(k, '/experiments/poll/run', { method: 'POST' });
    for (let i = 0; i < 5; i++) await k.clock.advance(1000);
    const probes = () => k.seen.filter((x) => x.service === 'payments' && x.caller === undefined).length;
    // one before, then polls at 0, 1, … 5 s
    assert.is(probes(), 7);
    assert.is((await admin(k, '/experiments/poll/stop', { method: 'POST' })).body.status, 'aborted');
    for (let i = 0; i < 10; i++) await k.clock.advance(1000);
    assert.is(probes(), 7, 'no poll after the stop');
    const j = (await admin(k, '/experiments/poll/journal')).body;
    assert.equal([j.status, j.reason, j.steady_states.after], ['aborted', 'stopped through the API', null]);
    assert.equal(j.run.map((r: any) => [r.activity.name, r.output]), [['down', { faultId: 'poll.down' }]]);
  } finally {
    await k.stop();
  }
});

test('experiment: Chaos Toolkit pauses before and after an activity sleep on the kernel clock', async () => {
  const k = await start(SHOP);
  try {
    await admin(k, '/experiments', {
      method: 'POST',
      json: { id: 'paused', title: 'paused', method: [{ type: 'probe', name: 'users', provider: { type: 'http', url: '/users' }, tolerance: 200, pauses: { before: 2, after: 3 } }, { type: 'action', name: 'heal', provider: { type: 'clear-faults' } }] },
    });
    const t0 = k.clock.now();
    await admin(k, '/experiments/paused/run', { method: 'POST' });
    for (let i = 0; i < 10; i++) await k.clock.advance(1000);
    const j = (await admin(k, '/experiments/paused/journal')).body;
    assert.is(j.status, 'completed');
    const at = (iso: string) => Date.parse(iso) - t0;
    assert.equal(j.run.map((r: any) => [r.activity.name, at(r.start), at(r.end)]), [['users', 2000, 2000], ['heal', 5000, 5000]]);
    assert.is(j.duration, 5);
  } finally {
    await k.stop();
  }
});

test.run();
