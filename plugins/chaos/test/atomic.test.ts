// Chaos writes are whole or not at all. Each kind of write gets its failure: an invalid
// item in the middle of a multi-item body, a fault id someone else holds, or a registry
// (a test double in place of discovery's, through the test kernel's `services`) that
// refuses to mark an instance of a partition critical. Each time: a coded answer, and a
// read afterwards shows nothing changed — faults, scenarios, experiments and instance health.
// An instance registered during a partition that the registry refuses to mark leaves the fault as it is.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Health, ServiceRegistry } from '@understudy/plugin-discovery';
import { defineError, definePlugin, type PluginEvents } from '@understudy/plugin-sdk';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import chaos from '../src/index.js';
import { admin } from './helpers.js';

const atomic = suite('chaos: writes are whole or not at all');

const REFUSED = defineError('US_TEST_REGISTRY_REFUSED', 409, (id: string) => `The registry refused to change "${id}".`);

/** A registry double: a few instances, and one id whose health it refuses to set critical. */
function fakeRegistry() {
  const health = new Map<string, Health>([
    ['payments-1', 'passing'],
    ['payments-2', 'passing'],
    ['inventory-1', 'passing'],
  ]);
  const state = { refuse: 'inventory-1' as string | undefined };
  const serviceOf = (id: string) => id.replace(/-\d+$/, '');
  const registry = {
    instances: (service: string) => [...health].filter(([id]) => serviceOf(id) === service).map(([id, h]) => ({ id, service, health: h, output: '' })),
    get: (id: string) => (health.has(id) ? { id, service: serviceOf(id), health: health.get(id), output: '' } : undefined),
    setHealth(id: string, to: Health) {
      if (id === state.refuse && to === 'critical') throw new REFUSED(id);
      health.set(id, to);
      return true;
    },
  } as unknown as ServiceRegistry;
  return { registry, health: () => Object.fromEntries(health), state };
}

const ALL_PASSING = { 'payments-1': 'passing', 'payments-2': 'passing', 'inventory-1': 'passing' };
const PARTITION = { id: 'cut', kind: 'partition', groups: [['gateway', 'orders'], ['payments', 'inventory']] };

async function kernelWith(registry: ServiceRegistry): Promise<TestKernel> {
  return createTestKernel({ plugins: [chaos], services: { registry } });
}

atomic('POST /faults: a partition the registry refuses half-way is its coded 4xx; no fault, every instance as it was', async () => {
  const fake = fakeRegistry();
  const k = await kernelWith(fake.registry);
  try {
    await admin(k, '/faults', { method: 'POST', json: { id: 'slow', kind: 'latency', ms: 5 } });
    const before = (await admin(k, '/faults')).body;
    const res = await admin(k, '/faults', { method: 'POST', json: PARTITION });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_TEST_REGISTRY_REFUSED');
    assert.equal((await admin(k, '/faults')).body, before);
    assert.equal(fake.health(), ALL_PASSING, 'payments-1 and -2 were marked, then given back');
    assert.equal(k.eventsOf('chaos.injected'), []);

    // once the registry accepts, the same body goes through, and removing it heals
    fake.state.refuse = undefined;
    assert.is((await admin(k, '/faults', { method: 'POST', json: PARTITION })).status, 201);
    assert.equal(fake.health(), { 'payments-1': 'critical', 'payments-2': 'critical', 'inventory-1': 'critical' });
    assert.is((await admin(k, '/faults/cut', { method: 'DELETE' })).status, 200);
    assert.equal(fake.health(), ALL_PASSING);
  } finally {
    await k.stop();
  }
});

atomic('POST /scenarios: an invalid later step, or two steps with one fault id, is a 400 and no scenario', async () => {
  const k = await kernelWith(fakeRegistry().registry);
  try {
    const bad = await admin(k, '/scenarios', {
      method: 'POST',
      json: {
        id: 'storm',
        steps: [
          { at: 0, fault: { kind: 'latency', ms: 10 } },
          { at: 10, template: 'cascade', leaf: 'payments' },
          { at: 20, fault: { kind: 'error', status: 999 } },
        ],
      },
    });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_CHAOS_INVALID');
    assert.match(bad.body.message, 'steps[2].fault.status: must be <= 599');
    const twice = await admin(k, '/scenarios', {
      method: 'POST',
      json: { id: 'storm', steps: [{ at: 0, fault: { id: 'x', kind: 'latency', ms: 1 } }, { at: 5, fault: { id: 'x', kind: 'error' } }] },
    });
    assert.is(twice.status, 400);
    assert.match(twice.body.message, 'steps[1]: fault id "x" is also a fault of steps[0]');
    assert.equal((await admin(k, '/scenarios')).body.scenarios, []);
    assert.is((await admin(k, '/scenarios', { method: 'POST', json: { id: 'storm', steps: [{ at: 0, fault: { kind: 'latency', ms: 1 } }] } })).status, 201);
  } finally {
    await k.stop();
  }
});

atomic('starting a scenario whose fault id is taken is a 409 and changes nothing; while it runs, its ids are its own', async () => {
  const k = await kernelWith(fakeRegistry().registry);
  try {
    await admin(k, '/scenarios', {
      method: 'POST',
      json: { id: 'storm', steps: [{ at: 0, fault: { kind: 'latency', ms: 10 } }, { at: 1000, duration: 10, fault: { kind: 'error', status: 500 } }] },
    });
    await admin(k, '/faults', { method: 'POST', json: { id: 'storm.step1', kind: 'outage', scope: { service: 'payments' } } });
    const faultsBefore = (await admin(k, '/faults')).body;
    const viewBefore = (await admin(k, '/scenarios/storm')).body;

    const res = await admin(k, '/scenarios/storm/start', { method: 'POST' });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_CHAOS_FAULT_ID_IN_USE');
    assert.match(res.body.message, 'Scenario "storm" cannot start');
    assert.match(res.body.message, '"storm.step1"');
    assert.match(res.body.message, 'nothing was changed');
    await k.advance(0);
    assert.equal((await admin(k, '/scenarios/storm')).body, viewBefore);
    assert.equal((await admin(k, '/faults')).body, faultsBefore);
    assert.equal(k.eventsOf('chaos.scenarioStarted'), []);

    // freed, it starts; a fault of the API cannot take the id of its later step meanwhile
    await admin(k, '/faults/storm.step1', { method: 'DELETE' });
    assert.is((await admin(k, '/scenarios/storm/start', { method: 'POST' })).status, 200);
    const taken = await admin(k, '/faults', { method: 'POST', json: { id: 'storm.step1', kind: 'latency', ms: 1 } });
    assert.is(taken.status, 409);
    assert.is(taken.body.code, 'US_CHAOS_FAULT_ID_IN_USE');
    assert.match(taken.body.message, 'scenario "storm" while it runs');
    await admin(k, '/scenarios/storm/stop', { method: 'POST' });
    assert.is((await admin(k, '/faults', { method: 'POST', json: { id: 'storm.step1', kind: 'latency', ms: 1 } })).status, 201);
  } finally {
    await k.stop();
  }
});

atomic('a scenario step the registry refuses ends the run failed, with none of its faults and every instance as it was', async () => {
  const fake = fakeRegistry();
  const k = await kernelWith(fake.registry);
  try {
    await admin(k, '/scenarios', {
      method: 'POST',
      json: { id: 'split', steps: [{ at: 0, fault: { kind: 'latency', ms: 10 } }, { at: 100, fault: { kind: 'partition', groups: PARTITION.groups } }] },
    });
    assert.is((await admin(k, '/scenarios/split/start', { method: 'POST' })).status, 200);
    await k.advance(0);
    assert.equal((await admin(k, '/faults')).body.faults.map((f: { id: string }) => f.id), ['split.step0']);
    await k.advance(100);
    const view = (await admin(k, '/scenarios/split')).body;
    assert.is(view.status, 'failed');
    assert.match(view.reason, 'step 1 could not add its faults');
    assert.match(view.reason, 'The registry refused to change "inventory-1"');
    assert.equal((await admin(k, '/faults')).body.faults, []);
    assert.equal(fake.health(), ALL_PASSING);
    assert.equal(k.eventsOf('chaos.scenarioEnded').map((e) => e.data.status), ['failed']);
    // it can run again once the registry accepts
    fake.state.refuse = undefined;
    assert.is((await admin(k, '/scenarios/split/start', { method: 'POST' })).status, 200);
    await k.advance(100);
    assert.is((await admin(k, '/scenarios/split')).body.status, 'running');
    assert.is(fake.health()['inventory-1'], 'critical');
  } finally {
    await k.stop();
  }
});

const EXPERIMENT = {
  id: 'exp',
  title: 'slow, then cut',
  method: [
    { type: 'action', name: 'slow', provider: { type: 'fault', fault: { kind: 'latency', ms: 5, scope: { service: 'payments' } } } },
    { type: 'action', name: 'cut', provider: { type: 'fault', fault: { kind: 'partition', groups: PARTITION.groups } } },
    { type: 'probe', name: 'anything', provider: { type: 'http', url: '/x' }, tolerance: { type: 'range', range: [0, 599] } },
  ],
  rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'clear-faults' } }],
};

atomic('POST /experiments: an invalid activity in the middle is a 400 and no experiment', async () => {
  const k = await kernelWith(fakeRegistry().registry);
  try {
    const method = [...EXPERIMENT.method];
    method.splice(1, 0, { type: 'pause' } as never);
    const res = await admin(k, '/experiments', { method: 'POST', json: { ...EXPERIMENT, method } });
    assert.is(res.status, 400);
    assert.is(res.body.code, 'US_CHAOS_INVALID');
    assert.match(res.body.message, 'method[1].durationMs: is required');
    assert.equal((await admin(k, '/experiments')).body.experiments, []);
  } finally {
    await k.stop();
  }
});

atomic('running an experiment whose fault id is taken is a 409; its status and last report are kept', async () => {
  const fake = fakeRegistry();
  fake.state.refuse = undefined;
  const k = await kernelWith(fake.registry);
  try {
    await admin(k, '/experiments', { method: 'POST', json: EXPERIMENT });
    const first = await admin(k, '/experiments/exp/run?wait=true', { method: 'POST' });
    assert.is(first.body.status, 'completed');
    const report = (await admin(k, '/experiments/exp/report')).body;
    assert.equal(fake.health(), ALL_PASSING, 'its rollback cleared the partition');

    await admin(k, '/faults', { method: 'POST', json: { id: 'exp.cut', kind: 'latency', ms: 1 } });
    const res = await admin(k, '/experiments/exp/run', { method: 'POST' });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_CHAOS_FAULT_ID_IN_USE');
    assert.match(res.body.message, 'Experiment "exp" cannot start');
    assert.equal((await admin(k, '/experiments/exp/report')).body, report);
    assert.equal((await admin(k, '/faults')).body.faults.map((f: { id: string; source: string }) => `${f.id}:${f.source}`), ['exp.cut:api']);
    assert.is(k.eventsOf('chaos.experimentStarted').length, 1);
  } finally {
    await k.stop();
  }
});

atomic('an experiment that fails half-way ends failed with the reason and leaves no fault of its own', async () => {
  const fake = fakeRegistry();
  const k = await kernelWith(fake.registry);
  try {
    await admin(k, '/faults', { method: 'POST', json: { id: 'theirs', kind: 'latency', ms: 1 } });
    await admin(k, '/experiments', { method: 'POST', json: { ...EXPERIMENT, rollbacks: [] } });
    const res = await admin(k, '/experiments/exp/run?wait=true', { method: 'POST' });
    assert.is(res.status, 200);
    assert.is(res.body.status, 'failed');
    assert.match(res.body.reason, 'action "cut" could not add fault "exp.cut"');
    assert.match(res.body.reason, 'The registry refused');
    assert.equal(res.body.method.map((m: { name: string }) => m.name), ['slow'], 'the probe after it did not run');
    assert.equal((await admin(k, '/faults')).body.faults.map((f: { id: string }) => f.id), ['theirs']);
    assert.equal(fake.health(), ALL_PASSING);
    // nothing is held any more: the same ids can be used
    assert.is((await admin(k, '/faults', { method: 'POST', json: { id: 'exp.slow', kind: 'latency', ms: 1 } })).status, 201);
  } finally {
    await k.stop();
  }
});

atomic('config: two faults with one id, or two scenario steps with one fault id, fail the start with their paths', async () => {
  try {
    await createTestKernel({
      plugins: [chaos],
      config: {
        chaos: {
          faults: [{ id: 'a', kind: 'latency', ms: 1 }, { id: 'a', kind: 'error' }],
          scenarios: [{ id: 's', steps: [{ at: 0, fault: { id: 'x', kind: 'error' } }, { at: 1, fault: { id: 'x', kind: 'error' } }] }],
        },
      },
    });
    assert.unreachable('should not start');
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, 'plugins.chaos.faults[1].id: "a" is also the id of faults[0]');
    assert.match(message, 'plugins.chaos.scenarios[0]');
    assert.match(message, 'fault id "x" is also a fault of steps[0]');
  }
});

atomic('an instance registered during a partition that the registry refuses to mark is left as registered; the fault stays, the others are marked', async () => {
  const fake = fakeRegistry();
  let events: PluginEvents | undefined;
  // stands in for discovery's `service.registered`, which the double does not emit itself
  const emitter = definePlugin({ name: 'registrations', register: (ctx) => void (events = ctx.events) });
  const k = await createTestKernel({ plugins: [emitter, chaos], services: { registry: fake.registry } });
  const registered = (id: string) => {
    events!.emit('service.registered', { id, service: id.replace(/-\d+$/, ''), address: '10.0.0.9', port: 80, health: 'passing', source: 'api', updated: false });
  };
  try {
    fake.state.refuse = 'inventory-2';
    assert.is((await admin(k, '/faults', { method: 'POST', json: PARTITION })).status, 201);
    fake.registry.setHealth('payments-3', 'passing');
    registered('payments-3');
    fake.registry.setHealth('inventory-2', 'passing');
    registered('inventory-2');
    registered('payments-9'); // gone again before chaos looks: nothing to mark
    assert.equal(fake.health(), { 'payments-1': 'critical', 'payments-2': 'critical', 'inventory-1': 'critical', 'payments-3': 'critical', 'inventory-2': 'passing' });
    assert.equal((await admin(k, '/faults')).body.faults.map((f: { id: string }) => f.id), ['cut']);
    assert.is((await admin(k, '/faults/cut', { method: 'DELETE' })).status, 200);
    assert.equal(fake.health(), { ...ALL_PASSING, 'payments-3': 'passing', 'inventory-2': 'passing' });
  } finally {
    await k.stop();
  }
});

atomic.run();
