// The recovery planner on its own, against a small fake world (the real cluster's tests are
// in recovery.test.ts): admission in dependency order, parked restarts, nodes, remediation
// of degraded services, and switching to the backoff policy.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { InstanceState } from '@understudy/plugin-cluster';
import { RecoveryPlanner, type PlannerAction, type PlannerSettings, type PlannerWorld, type ServiceAssessment } from '../src/planner.js';

const SETTINGS: PlannerSettings = {
  targetUtilisation: 0.8,
  shedUtilisation: 0.8,
  overloadUtilisation: 1,
  maxShed: 0.5,
  shed: true,
  breakers: true,
  requestReplicas: true,
  drainOnPressure: true,
};

function world(deps: Record<string, string[]>) {
  const ready = new Map<string, number>();
  const desired = new Map<string, number>();
  const states = new Map<string, InstanceState>();
  const unmanaged = new Set<string>();
  let lookups = 0;
  const w: PlannerWorld = {
    criticalDependencies: (s) => {
      lookups++;
      return deps[s] ?? [];
    },
    manages: (s) => !unmanaged.has(s),
    ready: (s) => ready.get(s) ?? 0,
    desired: (s) => desired.get(s) ?? 1,
    instanceState: (id) => states.get(id),
  };
  return { w, ready, desired, states, unmanaged, lookups: () => lookups };
}

function make(deps: Record<string, string[]>, settings: Partial<PlannerSettings> = {}, policy: 'planner' | 'backoff' = 'planner') {
  const f = world(deps);
  const planner = new RecoveryPlanner(f.w, { ...SETTINGS, ...settings }, policy);
  const log: PlannerAction[] = [];
  const record = (a: PlannerAction) => log.push(a);
  return { ...f, planner, log, record };
}

const exit = (at = 0, exitCode = 1, reason = 'Error') => ({ at, exitCode, reason });

const admit = suite('health: planner admission');

admit('holds a dependent Pending until its critical dependency has a Ready instance, then admits it', () => {
  const { planner, ready, log, record } = make({ api: ['db'] });
  assert.is(planner.admit('api-1', 'api', record), 'waiting for db to be Ready');
  assert.is(planner.admit('api-1', 'api', record), 'waiting for db to be Ready'); // asked again next tick: one hold
  assert.equal(log.map((a) => a.action), ['hold']);
  assert.is(log[0].done, true);
  assert.equal(planner.summary(), { held: 1, parked: 0 });
  ready.set('db', 1);
  assert.is(planner.admit('api-1', 'api', record), undefined);
  assert.equal(log.map((a) => a.action), ['hold', 'admit']);
  assert.is(planner.admit('api-2', 'api', record), undefined); // never held: nothing to record
  assert.is(log.length, 2);
});

admit('unmanaged dependencies, and dependencies nobody wants, do not gate', () => {
  const { planner, desired, unmanaged, record } = make({ api: ['db', 'cache'] });
  unmanaged.add('cache');
  desired.set('db', 0);
  assert.is(planner.admit('api-1', 'api', record), undefined);
  desired.set('db', 2);
  assert.is(planner.admit('api-1', 'api', record), 'waiting for db to be Ready');
});

admit('a cycle does not gate its members; a self-call is no dependency; gates are cached until the topology changes', () => {
  const f = make({ a: ['b', 'a'], b: ['c'], c: ['a'], d: ['a', 'x'], x: ['y'], y: ['x'] });
  assert.equal(f.planner.gatingDependencies('a'), []);
  assert.equal(f.planner.gatingDependencies('d'), ['a', 'x']);
  const before = f.lookups();
  f.planner.gatingDependencies('d');
  assert.is(f.lookups(), before);
  f.planner.topologyChanged();
  f.planner.gatingDependencies('d');
  assert.ok(f.lookups() > before);
  assert.is(f.planner.admit('a-1', 'a', f.record), undefined);
  assert.is(f.planner.admit('d-1', 'd', f.record), 'waiting for a, x to be Ready');
});

admit('the backoff policy holds nothing', () => {
  const { planner, record, log } = make({ api: ['db'] }, {}, 'backoff');
  assert.is(planner.policy, 'backoff');
  assert.is(planner.admit('api-1', 'api', record), undefined);
  assert.is(log.length, 0);
});

const restarts = suite('health: planner restarts');

restarts('an exit while a dependency is down is parked (backoff forgotten) and restarted once it is Ready', () => {
  const { planner, ready, states, log, record } = make({ api: ['db'] });
  ready.set('db', 1);
  // a crash of its own first: Kubernetes' backoff applies
  let d = planner.exited({ id: 'api-1', service: 'api', restartPolicy: 'Always', exit: exit(0) }, 0, record);
  assert.equal(d, { action: 'restart', delayMs: 0, state: 'Failed', reason: 'restarting (Error, exit code 1)' });
  assert.ok(planner.backoff.get('api-1'));
  ready.set('db', 0);
  d = planner.exited({ id: 'api-1', service: 'api', restartPolicy: 'Always', exit: exit(5_000) }, 5_000, record);
  assert.equal(d, { action: 'stay', reason: 'waiting for db to be Ready (recovery planner)' });
  assert.is(planner.backoff.get('api-1'), undefined);
  assert.equal(log.map((a) => a.action), ['restart', 'hold']);
  assert.match(log[0].message, /restarts now/);
  states.set('api-1', 'Failed');
  assert.equal(planner.recheck(), []); // db still down
  ready.set('db', 1);
  const actions = planner.recheck();
  assert.equal(actions, [{ action: 'restart', target: 'api-1', service: 'api', message: 'api-1 restarts: db Ready again' }]);
  assert.equal(planner.recheck(), []);
});

restarts('a parked instance that went away, or was started by someone else, is forgotten', () => {
  const { planner, states, ready, record } = make({ api: ['db'] });
  planner.exited({ id: 'api-1', service: 'api', restartPolicy: 'Always', exit: exit() }, 0, record);
  planner.exited({ id: 'api-2', service: 'api', restartPolicy: 'Always', exit: exit() }, 0, record);
  states.set('api-2', 'Starting');
  assert.equal(planner.summary(), { held: 0, parked: 2 });
  assert.equal(planner.recheck(), []);
  assert.equal(planner.summary(), { held: 0, parked: 0 });
  ready.set('db', 1);
  assert.equal(planner.recheck(), []);
});

restarts('a repeated crash of its own waits in CrashLoopBackOff; restartPolicy Never is kept', () => {
  const { planner, ready, log, record } = make({});
  ready.set('db', 1);
  planner.exited({ id: 'db-1', service: 'db', restartPolicy: 'Always', exit: exit(0) }, 0, record);
  const d = planner.exited({ id: 'db-1', service: 'db', restartPolicy: 'Always', exit: exit(1_000) }, 1_000, record);
  assert.equal(d, { action: 'restart', delayMs: 10_000, state: 'CrashLoopBackOff', reason: 'back-off 10s restarting failed container (Error)' });
  assert.match(log[1].message, /restarts in 10 s \(CrashLoopBackOff\)/);
  // decided 1 ms after the exit: 9,999 ms left, read as 10 s
  planner.exited({ id: 'db-1', service: 'db', restartPolicy: 'Always', exit: exit(20_000) }, 20_001, record);
  assert.match(log[2].message, /restarts in 20 s \(CrashLoopBackOff\)/);
  const never = planner.exited({ id: 'job-1', service: 'job', restartPolicy: 'Never', exit: exit() }, 0, record);
  assert.is(never.action, 'stay');
  assert.is(log.length, 3); // staying down is not an action
});

restarts('a process that exits with code 0 under OnFailure stays down even while its dependency is down', () => {
  const { planner, record } = make({ batch: ['db'] });
  const d = planner.exited({ id: 'batch-1', service: 'batch', restartPolicy: 'OnFailure', exit: exit(0, 0, 'Completed') }, 0, record);
  assert.is(d.action, 'stay');
  assert.equal(planner.summary(), { held: 0, parked: 0 });
});

restarts('with the backoff policy a dependency-caused exit crash-loops like Kubernetes', () => {
  const { planner, record } = make({ api: ['db'] }, {}, 'backoff');
  const delays = [0, 1_000, 12_000].map((t) => (planner.exited({ id: 'api-1', service: 'api', restartPolicy: 'Always', exit: exit(t) }, t, record) as { delayMs: number }).delayMs);
  assert.equal(delays, [0, 10_000, 20_000]);
});

restarts('forget drops every trace of an instance', () => {
  const { planner, record } = make({ api: ['db'] });
  planner.admit('api-1', 'api', record);
  planner.exited({ id: 'api-2', service: 'api', restartPolicy: 'Always', exit: exit() }, 0, record);
  planner.forget('api-1');
  planner.forget('api-2');
  assert.equal(planner.summary(), { held: 0, parked: 0 });
});

const nodes = suite('health: planner nodes');

nodes('a failed node: what is still placed on it is evicted', () => {
  const { planner } = make({});
  const actions = planner.nodeFailed('n1', [
    { id: 'a-1', service: 'a', state: 'Ready' },
    { id: 'a-2', service: 'a', state: 'Terminated' },
    { id: 'a-3', service: 'a', state: 'Terminating' },
  ]);
  assert.equal(actions.map((a) => [a.action, a.target]), [['evict', 'a-1']]);
  assert.match(actions[0].message, /failed node n1/);
});

nodes('memory pressure drains a node once, again after it recovered; off when configured so', () => {
  const { planner } = make({});
  assert.equal(planner.nodePressure('n1').map((a) => a.action), ['drain']);
  assert.equal(planner.nodePressure('n1'), []);
  planner.nodeRecovered('n1');
  assert.equal(planner.nodePressure('n1').length, 1);
  assert.equal(make({}, { drainOnPressure: false }).planner.nodePressure('n1'), []);
});

nodes('the backoff policy leaves nodes to the controllers', () => {
  const { planner } = make({}, {}, 'backoff');
  assert.equal(planner.nodeFailed('n1', [{ id: 'a-1', service: 'a', state: 'Ready' }]), []);
  assert.equal(planner.nodePressure('n1'), []);
});

const remedy = suite('health: planner remediation');

const assess = (over: Partial<ServiceAssessment> = {}): ServiceAssessment => ({
  service: 'api',
  status: 'degraded',
  demand: 200,
  utilisation: 1.25,
  perInstanceRps: 50,
  desired: 2,
  ready: 2,
  failingDependencies: [],
  ...over,
});

remedy('an overloaded service sheds the demand above its target, asks for replicas once, and stops shedding when demand falls', () => {
  const { planner } = make({});
  let actions = planner.remediate(assess());
  // capacity at target: 50 × 2 × 0.8 = 80 of 200 → shed 60%, capped at 50%; 200 / 40 = 5 replicas
  assert.equal(actions.map((a) => [a.action, a.fraction ?? a.replicas]), [['shed', 0.5], ['requestReplicas', 5]]);
  assert.match(actions[0].message, /shed 50% of api's demand \(200\.0 req\/s, utilisation 1\.25\)/);
  assert.match(actions[1].message, /api needs 5 replicas for 200\.0 req\/s \(has 2\)/);
  assert.equal(planner.remediate(assess()), []); // the same again: nothing new
  assert.equal(planner.active(), [{ service: 'api', shed: 0.5, breakers: [] }]);
  // shedding worked: healthy, but demand is still high, so the shed share follows demand
  actions = planner.remediate(assess({ status: 'healthy', demand: 100, utilisation: 0.6 }));
  assert.equal(actions.map((a) => [a.action, a.fraction]), [['shed', 0.2]]);
  actions = planner.remediate(assess({ status: 'healthy', demand: 80.5, utilisation: 0.6 }));
  assert.equal(actions.map((a) => [a.action, a.fraction]), [['shed', 0]]);
  assert.match(actions[0].message, /stop shedding/);
  assert.equal(planner.active(), []);
  // overloaded again later: replicas are asked for again
  actions = planner.remediate(assess());
  assert.equal(actions.map((a) => a.action), ['shed', 'requestReplicas']);
});

remedy('no demand sheds nothing; a service with enough replicas asks for none; unknown capacity asks for none', () => {
  const { planner } = make({});
  assert.equal(planner.remediate(assess({ demand: 0 })), []);
  assert.equal(planner.remediate(assess({ demand: 60, desired: 2 })).map((a) => a.action), []);
  // one of two replicas down: the one left is what sheds are sized on
  const p3 = make({}).planner;
  assert.equal(p3.remediate(assess({ demand: 60, ready: 1 })).map((a) => [a.action, a.fraction]), [['shed', 0.33]]);
  const p2 = make({}).planner;
  assert.equal(p2.remediate(assess({ perInstanceRps: 0 })).map((a) => [a.action, a.fraction]), [['shed', 0.5]]);
});

remedy('a degraded service below overload sheds nothing; shedding and replicas can be turned off', () => {
  const { planner } = make({});
  assert.equal(planner.remediate(assess({ utilisation: 0.7 })), []);
  const off = make({}, { shed: false, requestReplicas: false, breakers: false }).planner;
  assert.equal(off.remediate(assess({ failingDependencies: ['db'] })), []);
});

remedy('breakers into an unhealthy critical dependency are opened once and closed when it recovers', () => {
  const { planner } = make({});
  const down = assess({ status: 'unhealthy', utilisation: 0.1, failingDependencies: ['db', 'cache'] });
  let actions = planner.remediate(down);
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['openBreaker', 'db'], ['openBreaker', 'cache']]);
  assert.equal(planner.remediate(down), []);
  actions = planner.remediate(assess({ status: 'unhealthy', utilisation: 0.1, failingDependencies: ['db'] }));
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['closeBreaker', 'cache']]);
  actions = planner.remediate(assess({ status: 'healthy', utilisation: 0.1, failingDependencies: ['db'] }));
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['closeBreaker', 'db']]);
  assert.match(actions[0].message, /db recovered/);
});

remedy('breakers opened while the dependency had no Ready instance close with its first Ready one, and stay closed while its status catches up', () => {
  const { planner, ready } = make({});
  const down = assess({ status: 'unhealthy', utilisation: 0.1, failingDependencies: ['db'] });
  assert.equal(planner.remediate(down).map((a) => [a.action, a.dependency]), [['openBreaker', 'db']]);
  assert.equal(planner.remediate(down), []);
  // db has a Ready instance, still unhealthy by its SLOs: released at once, not opened again
  ready.set('db', 1);
  const actions = planner.remediate(down);
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['closeBreaker', 'db']]);
  assert.match(actions[0].message, /db and its critical dependencies have Ready instances again/);
  assert.equal(planner.remediate(down), []);
  assert.equal(planner.active(), []);
  // it recovered; failing again later (down again), its breakers open again
  assert.equal(planner.remediate(assess({ status: 'healthy', utilisation: 0.1 })), []);
  ready.set('db', 0);
  assert.equal(planner.remediate(down).map((a) => a.action), ['openBreaker']);
});

remedy('breakers into a dependency down through its own dependency close once the chain has Ready instances', () => {
  const { planner, ready } = make({ api: ['db'] });
  ready.set('api', 3);
  const web = assess({ service: 'web', status: 'unhealthy', utilisation: 0.1, failingDependencies: ['api'] });
  assert.equal(planner.remediate(web).map((a) => [a.action, a.dependency]), [['openBreaker', 'api']]);
  ready.set('db', 1);
  const actions = planner.remediate(web);
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['closeBreaker', 'api']]);
  assert.match(actions[0].message, /api and its critical dependencies have Ready instances again/);
});

remedy('breakers into a dependency failing with Ready instances (or one the cluster does not run) wait for it to recover', () => {
  const { planner, ready, unmanaged } = make({});
  ready.set('db', 2);
  unmanaged.add('ext');
  const failing = assess({ status: 'unhealthy', utilisation: 0.1, failingDependencies: ['db', 'ext'] });
  assert.equal(planner.remediate(failing).map((a) => [a.action, a.dependency]), [['openBreaker', 'db'], ['openBreaker', 'ext']]);
  assert.equal(planner.remediate(failing), []);
  const actions = planner.remediate(assess({ status: 'healthy', utilisation: 0.1 }));
  assert.equal(actions.map((a) => [a.action, a.dependency]), [['closeBreaker', 'db'], ['closeBreaker', 'ext']]);
  assert.match(actions[0].message, /db recovered/);
});

remedy('the backoff policy remediates nothing', () => {
  const { planner } = make({}, {}, 'backoff');
  assert.equal(planner.remediate(assess({ failingDependencies: ['db'] })), []);
});

const policy = suite('health: planner policy switch');

policy('switching to backoff restarts parked instances, stops shedding and closes breakers; planner → planner is nothing', () => {
  const { planner, record } = make({ api: ['db'] });
  assert.equal(planner.setPolicy('planner'), []);
  planner.admit('api-9', 'api', record);
  planner.exited({ id: 'api-1', service: 'api', restartPolicy: 'Always', exit: exit() }, 0, record);
  planner.remediate(assess({ service: 'web', failingDependencies: ['api'] }));
  planner.remediate(assess({ service: 'api', utilisation: 0.1, failingDependencies: ['db'] }));
  planner.nodePressure('n1');
  const actions = planner.setPolicy('backoff');
  assert.equal(actions.map((a) => [a.action, a.target, a.fraction ?? a.dependency]), [
    ['restart', 'api-1', undefined],
    ['shed', 'web', 0],
    ['closeBreaker', 'web', 'api'],
    ['closeBreaker', 'api', 'db'],
  ]);
  assert.equal(planner.summary(), { held: 0, parked: 0 });
  assert.equal(planner.active(), []);
  assert.is(planner.policy, 'backoff');
  assert.equal(planner.setPolicy('backoff'), []);
  assert.equal(planner.setPolicy('planner'), []);
  assert.equal(planner.nodePressure('n1').length, 1); // drained nodes were forgotten
});

admit.run();
restarts.run();
nodes.run();
remedy.run();
policy.run();
