// The experiment library and the operations providers without the operations plugins: the
// library says what each template needs and what is missing, a run that needs an absent
// plugin is refused with nothing changed, bad parameters and bad providers are 400s with
// their paths, and library entries in config (valid and invalid).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import chaos from '../src/index.js';
import { admin, SHOP, start } from './helpers.js';
import { runToEnd, seconds, startOps } from './ops-helpers.js';

const it = suite('chaos: experiment library and operations providers');

it('without cluster, health, observability, traffic or deploy: the library says what is missing and a run is refused', async () => {
  const k = await start(SHOP);
  try {
    const lib = (await admin(k, '/library')).body.templates;
    assert.equal(lib.map((t: any) => t.name), ['zone-outage', 'dependency-failure', 'bad-deploy', 'traffic-spike']);
    assert.equal(Object.fromEntries(lib.map((t: any) => [t.name, [t.needs, t.missing, t.available]])), {
      'zone-outage': [['cluster', 'health'], ['cluster', 'health'], false],
      'dependency-failure': [['cluster', 'health'], ['cluster', 'health'], false],
      'bad-deploy': [['deploy', 'health'], ['deploy', 'health'], false],
      'traffic-spike': [['health', 'traffic'], ['health', 'traffic'], false],
    });
    assert.ok(lib[0].params.some((p: any) => p.name === 'zone' && p.required));
    const created = await admin(k, '/library/bad-deploy', { method: 'POST', json: { id: 'bd', params: { workload: 'orders' } } });
    assert.is(created.status, 201);
    const res = await admin(k, '/experiments/bd/run', { method: 'POST' });
    assert.is(res.status, 409);
    assert.is(res.body.code, 'US_CHAOS_NEEDS_PLUGIN');
    assert.match(res.body.message, 'Experiment "bd" cannot start (nothing was changed): activity "all-services-healthy" needs the health plugin (service health)');
    assert.match(res.body.message, 'activity "deploy-bad-version" needs the deploy plugin (service deployments)');
    assert.is(res.body.message.split('needs the').length - 1, 3, 'the probe, the deploy and the rollback');
    assert.is((await admin(k, '/experiments/bd')).body.status, 'pending');
    const journal = (await admin(k, '/experiments/bd/journal')).body;
    assert.equal([journal.status, journal.deviated, journal.start, journal.steady_states, journal.run, journal.rollbacks], ['pending', false, undefined, { before: null, after: null, during: [] }, [], []]);
    assert.is((await admin(k, '/experiments/nope/journal')).status, 404);
    assert.equal(k.eventsOf('chaos.experimentStarted'), []);
    // the spec it made is an ordinary experiment, with the template it came from
    const spec = (await admin(k, '/experiments/bd')).body.spec;
    assert.equal(spec.template, { name: 'bad-deploy', params: { workload: 'orders', version: '0.0.0-bad', behaviour: { crashOnStart: true }, observeMs: 60_000, withinMs: 120_000, pollMs: 1000, maxErrorRate: 0.01, sloWindowMs: 10_000 } });
    assert.equal(spec.method[0].provider.arguments, { workload: 'orders', version: '0.0.0-bad', template: { versions: { '0.0.0-bad': { crashOnStart: true } } } });
    // faults still work as before
    assert.is((await admin(k, '/faults', { method: 'POST', json: { kind: 'outage', scope: { service: 'payments' } } })).status, 201);
  } finally {
    await k.stop();
  }
});

it('library: unknown template 404; bad parameters 400 with every problem; an SLO adds observability probes', async () => {
  const k = await start(SHOP);
  try {
    let res = await admin(k, '/library/meteor', { method: 'POST', json: {} });
    assert.is(res.status, 404);
    assert.is(res.body.code, 'US_CHAOS_TEMPLATE_NOT_FOUND');
    assert.match(res.body.message, 'The library has zone-outage, dependency-failure, bad-deploy, traffic-spike');
    res = await admin(k, '/library/zone-outage', { method: 'POST', json: { params: { zone: 3, bogus: 1, withinMs: -1 }, extra: true } });
    assert.is(res.status, 400);
    assert.is(res.body.code, 'US_CHAOS_INVALID');
    for (const m of ['extra: unknown property (it takes id, params)', 'params.bogus: unknown parameter of zone-outage', 'params.zone: must be a non-empty string', 'params.withinMs: must be a number >= 0']) assert.match(res.body.message, m);
    res = await admin(k, '/library/dependency-failure', { method: 'POST', json: {} });
    assert.match(res.body.message, 'params.workload: is required');
    res = await admin(k, '/library/dependency-failure', { method: 'POST', json: { id: 'dep', params: { workload: 'payments', sloService: 'gateway', maxP99Ms: 250 } } });
    assert.is(res.status, 201);
    const probes = (await admin(k, '/experiments/dep')).body.spec['steady-state-hypothesis'].probes;
    assert.equal(probes.map((p: any) => [p.name, p.tolerance]), [
      ['all-services-healthy', 'healthy'],
      ['gateway-error-rate', { type: 'condition', operator: '<=', value: 0.01 }],
      ['gateway-p99', { type: 'condition', operator: '<=', value: 250 }],
    ]);
    assert.is((await admin(k, '/library/dependency-failure', { method: 'POST', json: { id: 'dep', params: { workload: 'payments' } } })).status, 409);
  } finally {
    await k.stop();
  }
});

it('operations providers, strategies and tolerances are checked with their paths; nothing is created', async () => {
  const k = await start(SHOP);
  try {
    const cases: Array<[unknown, string]> = [
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'explode' } }, 'method[0].provider.func: must be one of kill-instances, fail-node'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: 'x', count: 1, percentage: 5 } } }, 'method[0].provider.arguments: give count or percentage, not both'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: 'x', count: 0, mode: 'nuke' } } }, 'method[0].provider.arguments.count: must be >= 1'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: 'x', mode: 'nuke' } } }, 'method[0].provider.arguments.mode: must be kill or evict'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'fail-zone', arguments: {} } }, 'method[0].provider.arguments.zone: is required'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'fail-node', arguments: { node: 'n', zone: 'z' } } }, 'method[0].provider.arguments.zone: unknown property'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'fail-node', arguments: 'n1' } }, 'method[0].provider.arguments: must be object'],
      [{ type: 'action', name: 'a', provider: { type: 'deploy', func: 'deploy-version', arguments: { workload: 'w', version: 'v', template: 'x' } } }, 'method[0].provider.arguments.template: must be object'],
      [{ type: 'action', name: 'a', provider: { type: 'traffic', func: 'spike', arguments: { service: 's', rps: 1, factor: 2 } } }, 'method[0].provider.arguments: give rps (extra requests/s) or factor'],
      [{ type: 'action', name: 'a', provider: { type: 'traffic', func: 'spike', arguments: { service: 's', factor: 0.5 } } }, 'method[0].provider.arguments.factor: must be >= 1'],
      [{ type: 'action', name: 'a', provider: { type: 'cluster', func: 'recover', extra: 1 } }, 'method[0].provider.extra: unknown property'],
      [{ type: 'probe', name: 'p', provider: { type: 'observability', func: 'error-rate', arguments: { windowMs: 0 } } }, 'method[0].provider.arguments.service: is required'],
      [{ type: 'probe', name: 'p', provider: { type: 'observability', func: 'error-rate', arguments: { service: 's', windowMs: 0 } } }, 'method[0].provider.arguments.windowMs: must be >= 1'],
      [{ type: 'probe', name: 'p', provider: { type: 'health', func: 'mood' } }, 'method[0].provider.func: must be one of status, open-incidents for type health'],
      [{ type: 'probe', name: 'p', provider: { type: 'health', func: 'status' }, tolerance: { type: 'condition', operator: '~', value: 'x' } }, 'method[0].tolerance.operator: must be one of < <= > >= == !='],
      [{ type: 'probe', name: 'p', provider: { type: 'health', func: 'status' }, tolerance: { type: 'condition', operator: '<', value: 'x' } }, 'method[0].tolerance.value: must be number'],
      [{ type: 'probe', name: 'p', provider: { type: 'health', func: 'status' }, tolerance: [] }, 'method[0].tolerance: must list values'],
      [{ type: 'action', name: 'a', provider: { type: 'clear-faults' }, pauses: { before: -1 } }, 'method[0].pauses.before: must be >= 0'],
      [{ type: 'action', name: 'a', provider: { type: 'clear-faults' }, pauses: { during: 1 } }, 'method[0].pauses.during: unknown property'],
      [{ type: 'probe', name: 'p', provider: { type: 'health', func: 'status' }, pauses: 5 }, 'method[0].pauses: must be { before?, after? } (seconds)'],
    ];
    for (const [activity, message] of cases) {
      const res = await admin(k, '/experiments', { method: 'POST', json: { title: 't', method: [activity] } });
      assert.is(res.status, 400, JSON.stringify(activity));
      assert.match(res.body.message, message);
    }
    const whole: Array<[Record<string, unknown>, string]> = [
      [{ runtime: { hypothesis: { strategy: 'sometimes' } } }, 'runtime.hypothesis.strategy: must be one of default, before-method-only, after-method-only, during-method-only, continuously'],
      [{ runtime: { hypothesis: { frequency: 0, fail_fast: 'yes' } } }, 'runtime.hypothesis.frequency: must be >= 0.001'],
      [{ runtime: { hypothesis: { fail_fast: 'yes' } } }, 'runtime.hypothesis.fail_fast: must be boolean'],
      [{ runtime: { rollbacks: { strategy: 'maybe' } } }, 'runtime.rollbacks.strategy: must be one of default, always, never, deviated'],
      [{ runtime: { rollbacks: 1 } }, 'runtime.rollbacks: must be object'],
      [{ runtime: { hypothesis: 1, other: 1 } }, 'runtime.hypothesis: must be object'],
      [{ runtime: 'fast' }, 'runtime: must be object'],
      [{ 'steady-state-hypothesis': { title: 'h', probes: [], withinMs: -1, pollMs: 0, every: 1 } }, 'steady-state-hypothesis.withinMs: must be >= 0'],
      [{ 'steady-state-hypothesis': { title: 'h', probes: [], pollMs: 0 } }, 'steady-state-hypothesis.pollMs: must be >= 1'],
      [{ 'steady-state-hypothesis': { title: 'h', probes: [], every: 1 } }, 'steady-state-hypothesis.every: unknown property'],
    ];
    for (const [extra, message] of whole) {
      const res = await admin(k, '/experiments', { method: 'POST', json: { title: 't', method: [], ...extra } });
      assert.is(res.status, 400, JSON.stringify(extra));
      assert.match(res.body.message, message);
    }
    assert.equal((await admin(k, '/experiments')).body.experiments, []);
  } finally {
    await k.stop();
  }
});

it('config: library entries are created at startup (and run); invalid ones fail startup with their paths', async () => {
  const k = await startOps({ startupSeconds: 3, chaos: { experiments: [{ library: 'dependency-failure', id: 'db-dies', params: { workload: 'db', withinMs: 60_000 } }] } });
  try {
    await seconds(k, 3);
    assert.equal((await admin(k, '/experiments')).body.experiments.map((e: any) => [e.id, e.status]), [['db-dies', 'pending']]);
    const j = await runToEnd(k, 'db-dies');
    assert.is(j.status, 'completed', j.reason);
    assert.equal(j.run[0].output.instances.length, 3, '100% of db');
    assert.is(j.steady_states.after.steady_state_met, true);
  } finally {
    await k.stop();
  }
  try {
    await createTestKernel({
      plugins: [chaos],
      config: { chaos: { experiments: [{ library: 'zone-outage', params: {} }, { library: 'meteor' }, { library: 'traffic-spike', params: { service: 'a' }, when: 'now' }, 'x'] } },
    });
    assert.unreachable('should fail');
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, 'plugins.chaos.experiments[0].params.zone: is required');
    assert.match(message, 'plugins.chaos.experiments[1].library: no template "meteor"; the library has zone-outage');
    assert.match(message, 'plugins.chaos.experiments[2].when: unknown property (it takes library, id, params)');
    assert.match(message, 'plugins.chaos.experiments[3]: must be object');
  }
});

it.run();
