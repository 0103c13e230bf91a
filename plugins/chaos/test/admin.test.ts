import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import chaos from '../src/index.js';
import { admin, SHOP, start } from './helpers.js';

test('bad fault bodies are 400 US_CHAOS_INVALID naming the path; nothing is added', async () => {
  const k = await start(SHOP);
  try {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'error', scope: { percentage: 150 } }, 'scope.percentage: must be <= 100'],
      [{ kind: 'boom' }, 'kind: must be one of'],
      [{ kind: 'latency' }, 'latency needs ms, jitterMs or distribution'],
      [{ kind: 'latency', distribution: { type: 'uniform', min: 5, max: 1 } }, 'distribution.min: must be <= max (1)'],
      [{ kind: 'latency', distribution: { type: 'weird' } }, 'distribution.type: must be one of'],
      [{ kind: 'latency', distribution: 3 }, 'distribution: must be object'],
      [{ kind: 'latency', distribution: { type: 'normal', mean: 1 } }, 'distribution.stdDev: is required'],
      [{ kind: 'timeout' }, 'ms: is required'],
      [{ kind: 'timeout', ms: 'x' }, 'ms: must be number'],
      [{ kind: 'outage' }, 'scope: an outage needs scope.service or scope.instance'],
      [{ kind: 'partition', groups: [['a']] }, 'groups: must list at least two groups'],
      [{ kind: 'partition', groups: [['a'], []] }, 'groups[1]: must be a non-empty array of strings'],
      [{ kind: 'headerLoss', headers: 'traceparent' }, 'headers: must be a non-empty array'],
      [{ kind: 'error', status: 1000 }, 'status: must be <= 599'],
      [{ kind: 'error', status: 500.5 }, 'status: must be integer'],
      [{ kind: 'error', typo: 1 }, 'typo: unknown property'],
      [{ kind: 'error', scope: 'all' }, 'scope: must be object'],
      [{ kind: 'error', scope: { service: 3, zone: 'x' } }, 'scope.service: must be a non-empty string'],
      [[1], '(root): must be object'],
    ];
    for (const [json, message] of cases) {
      const res = await admin(k, '/faults', { method: 'POST', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.is(res.body.code, 'US_CHAOS_INVALID');
      assert.match(res.body.message, message);
    }
    assert.equal((await admin(k, '/faults')).body.faults, []);
    await admin(k, '/faults', { method: 'POST', json: { id: 'x', kind: 'outage', scope: { service: 'users' } } });
    const dup = await admin(k, '/faults', { method: 'POST', json: { id: 'x', kind: 'outage', scope: { service: 'users' } } });
    assert.is(dup.status, 409);
    assert.is(dup.body.code, 'US_CHAOS_DUPLICATE_ID');
    assert.is((await admin(k, '/faults', { method: 'DELETE' })).body.removed, 1);
  } finally {
    await k.stop();
  }
});

test('unknown ids are 404 with coded errors', async () => {
  const k = await start(SHOP);
  try {
    for (const [method, path, code] of [
      ['GET', '/faults/nope', 'US_CHAOS_FAULT_NOT_FOUND'],
      ['DELETE', '/faults/nope', 'US_CHAOS_FAULT_NOT_FOUND'],
      ['GET', '/scenarios/nope', 'US_CHAOS_SCENARIO_NOT_FOUND'],
      ['POST', '/scenarios/nope/start', 'US_CHAOS_SCENARIO_NOT_FOUND'],
      ['POST', '/scenarios/nope/stop', 'US_CHAOS_SCENARIO_NOT_FOUND'],
      ['GET', '/experiments/nope', 'US_CHAOS_EXPERIMENT_NOT_FOUND'],
      ['POST', '/experiments/nope/run', 'US_CHAOS_EXPERIMENT_NOT_FOUND'],
      ['POST', '/experiments/nope/stop', 'US_CHAOS_EXPERIMENT_NOT_FOUND'],
      ['GET', '/experiments/nope/report', 'US_CHAOS_EXPERIMENT_NOT_FOUND'],
      ['GET', '/experiments/nope/report.md', 'US_CHAOS_EXPERIMENT_NOT_FOUND'],
    ] as const) {
      const res = await admin(k, path, { method });
      assert.is(res.status, 404, `${method} ${path}`);
      assert.is(res.body.code, code);
      assert.match(res.body.message, '"nope"');
    }
  } finally {
    await k.stop();
  }
});

test('bad scenarios and experiments are 400 with paths; duplicates 409', async () => {
  const k = await start(SHOP);
  try {
    const scenarios: Array<[unknown, string]> = [
      [{ steps: [] }, 'steps: must be a non-empty array'],
      [{ steps: [{ at: -1, fault: { kind: 'outage', scope: { service: 'a' } } }] }, 'steps[0].at: must be >= 0'],
      [{ steps: [{ at: 0 }] }, 'steps[0]: needs exactly one of fault, template, simultaneous'],
      [{ steps: [{ at: 0, template: 'domino' }] }, 'steps[0].template: must be cascade'],
      [{ steps: [{ at: 0, template: 'cascade' }] }, 'steps[0].leaf: is required'],
      [{ steps: [{ at: 0, simultaneous: 'x' }] }, 'steps[0].simultaneous: must be object'],
      [{ steps: [{ at: 0, simultaneous: { services: [], fault: { kind: 'error' } } }] }, 'steps[0].simultaneous.services'],
      [{ steps: [{ at: 0, fault: { kind: 'error', scope: { percentage: -1 } } }] }, 'steps[0].fault.scope.percentage: must be >= 0'],
      [{ steps: ['x'] }, 'steps[0]: must be object'],
      ['x', '(root): must be object'],
    ];
    for (const [json, message] of scenarios) {
      const res = await admin(k, '/scenarios', { method: 'POST', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.match(res.body.message, message);
    }
    const experiments: Array<[unknown, string]> = [
      [{ method: [] }, 'title: is required'],
      [{ title: 't', method: 'x' }, 'method: must be an array'],
      [{ title: 't', method: [{ type: 'dance' }] }, 'method[0].type: must be one of action, probe, pause'],
      [{ title: 't', method: [{ type: 'pause' }] }, 'method[0].durationMs: is required'],
      [{ title: 't', method: [{ type: 'probe', name: 'p', provider: { type: 'http', url: 'http://x' } }] }, 'method[0].provider.url: must be a path'],
      [{ title: 't', method: [{ type: 'probe', name: 'p', provider: { type: 'ssh' } }] }, 'method[0].provider.type: must be one of http, observability, health or cluster'],
      [{ title: 't', method: [{ type: 'probe', name: 'p', provider: { type: 'http', url: '/' }, tolerance: { type: 'between' } }] }, 'method[0].tolerance: must be a value'],
      [{ title: 't', method: [{ type: 'probe', name: 'p', provider: { type: 'http', url: '/' }, tolerance: [{}] }] }, 'method[0].tolerance: must list values'],
      [{ title: 't', method: [{ type: 'action', name: 'a', provider: { type: 'kill' } }] }, 'method[0].provider.type: must be one of fault, clear-faults, cluster, deploy or traffic'],
      [{ title: 't', method: [{ type: 'action', name: 'a' }] }, 'method[0].provider: must be object'],
      [{ title: 't', method: [{ type: 'action', name: 'a', provider: { type: 'fault', fault: { kind: 'error' }, durationMs: -5 } }] }, 'method[0].provider.durationMs: must be >= 0'],
      [{ title: 't', method: ['x'] }, 'method[0]: must be object'],
      [{ title: 't', method: [], 'steady-state-hypothesis': { probes: 'x' } }, 'steady-state-hypothesis: must be'],
      [{ title: 't', method: [], rollbacks: 'x' }, 'rollbacks: must be an array'],
      [{ title: 't', method: [], rollbacks: [{ type: 'probe' }] }, 'rollbacks[0].type: must be one of action'],
      [null, '(root): must be object'],
    ];
    for (const [json, message] of experiments) {
      const res = await admin(k, '/experiments', { method: 'POST', json });
      assert.is(res.status, 400, JSON.stringify(json));
      assert.match(res.body.message, message);
    }
    assert.is((await admin(k, '/scenarios', { method: 'POST', json: { steps: [{ at: 0, template: 'cascade', leaf: 'payments' }] } })).body.id, 'scenario-1');
    assert.is((await admin(k, '/scenarios', { method: 'POST', json: { id: 'scenario-1', steps: [{ at: 0, template: 'cascade', leaf: 'payments' }] } })).status, 409);
    assert.is((await admin(k, '/experiments', { method: 'POST', json: { id: 'e', title: 't', method: [] } })).status, 201);
    assert.is((await admin(k, '/experiments', { method: 'POST', json: { id: 'e', title: 't', method: [] } })).status, 409);
    // a scenario view before it ever ran
    const view = (await admin(k, '/scenarios/scenario-1')).body;
    assert.equal(view.cascades, [{ leaf: 'payments', affected: [], paths: [['payments']] }]);
  } finally {
    await k.stop();
  }
});

test('invalid config names every problem with its path and fails startup', async () => {
  try {
    await createTestKernel({
      plugins: [chaos],
      config: { chaos: { faults: [{ kind: 'error', scope: { percentage: 101 } }], scenarios: [{ steps: [] }], experiments: [{}] } },
    });
    assert.unreachable('should fail');
  } catch (err) {
    const message = (err as Error).message;
    assert.match(message, 'plugins.chaos.faults[0].scope.percentage: must be <= 100');
    assert.match(message, 'plugins.chaos.scenarios[0].steps: must be a non-empty array');
    assert.match(message, 'plugins.chaos.experiments[0].title: is required');
  }
});

test('works without mesh: faults apply to any exchange by path', async () => {
  const k = await createTestKernel({ plugins: [chaos], config: { chaos: { faults: [{ kind: 'error', status: 500 }] } } });
  try {
    const res = await fetch(`${k.baseUrl}/anything`);
    assert.is(res.status, 500);
  } finally {
    await k.stop();
  }
});

test.run();
