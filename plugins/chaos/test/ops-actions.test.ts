// Operations actions and probes one by one, on real sockets with the virtual clock: kill
// and evict instances (a count, a percentage), drain a node, exhaust a node's memory and
// recover it all in a rollback; probes over observability, health and the cluster with
// exact, range and condition tolerances; an action that fails; a traffic spike from the
// library; a bad deploy through a stand-in `deployments` service.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import deploy from '@understudy/plugin-deploy';
import { definePlugin } from '@understudy/plugin-sdk';
import { admin, runToEnd, seconds, startOps, untilEnd } from './ops-helpers.js';

const it = suite('chaos: operations actions and probes');

const action = (name: string, provider: Record<string, unknown>) => ({ type: 'action', name, provider });
const probe = (name: string, provider: Record<string, unknown>, tolerance: unknown) => ({ type: 'probe', name, provider, tolerance });

it('kill, evict, drain, memory pressure and their recovery; every kind of probe and tolerance', async () => {
  const k = await startOps({ startupSeconds: 3 });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 5);
    const spec = {
      id: 'ops',
      title: 'every action',
      method: [
        action('kill-api', { type: 'cluster', func: 'kill-instances', arguments: { workload: 'api', percentage: 34 } }),
        action('evict-gateway', { type: 'cluster', func: 'kill-instances', arguments: { workload: 'gateway', count: 1, mode: 'evict' } }),
        action('drain-b1', { type: 'cluster', func: 'drain-node', arguments: { node: 'b1' } }),
        action('hog-c1', { type: 'cluster', func: 'node-pressure', arguments: { node: 'c1' } }),
        { type: 'pause', durationMs: 2000 },
        probe('db-ready', { type: 'cluster', func: 'ready-instances', arguments: { workload: 'db' } }, { type: 'range', range: [1, 3] }),
        probe('gateway-errors', { type: 'observability', func: 'error-rate', arguments: { service: 'gateway', windowMs: 5000 } }, { type: 'condition', operator: '<=', value: 1 }),
        probe('gateway-p99', { type: 'observability', func: 'p99-latency', arguments: { service: 'gateway' } }, { type: 'condition', operator: '>', value: 0 }),
        probe('nodes-ready', { type: 'observability', func: 'metric', arguments: { name: 'understudy_cluster_nodes', labels: { condition: 'Ready' } } }, 6),
        probe('no-such-metric', { type: 'observability', func: 'metric', arguments: { name: 'understudy_nothing' } }, 0),
        probe('db-status', { type: 'health', func: 'status', arguments: { service: 'db' } }, ['healthy', 'degraded', 'unhealthy']),
        probe('no-such-service', { type: 'health', func: 'status', arguments: { service: 'nope' } }, 'healthy'),
        probe('incidents', { type: 'health', func: 'open-incidents' }, { type: 'condition', operator: '>=', value: 0 }),
      ],
      rollbacks: [action('recover', { type: 'cluster', func: 'recover' })],
    };
    assert.is((await admin(k, '/experiments', { method: 'POST', json: spec })).status, 201);
    const j = await runToEnd(k, 'ops');
    assert.is(j.status, 'completed', j.reason);
    const out = Object.fromEntries(j.run.map((r: any) => [r.activity.name ?? r.activity.type, r]));
    // ceil(34% of 3) = 2 api instances killed, one gateway instance evicted
    assert.is(out['kill-api'].output.instances.length, 2);
    assert.is(out['kill-api'].output.mode, 'kill');
    for (const id of out['kill-api'].output.instances) assert.is(cluster.instance(id).lastTermination?.reason, 'Killed');
    const [evicted] = out['evict-gateway'].output.instances;
    assert.is(cluster.instance(evicted).lastTermination?.reason, 'Evicted');
    assert.equal([out['drain-b1'].output.node, out['drain-b1'].output.unschedulable], ['b1', true]);
    assert.is(out['hog-c1'].output.pressure.memory, 16384, 'the whole memory of the node');
    assert.ok(k.eventsOf('cluster.nodeDrained').some((e) => e.data.node === 'b1'));
    assert.ok(k.eventsOf('cluster.nodePressure').some((e) => e.data.node === 'c1'), 'c1 evicted instances under memory pressure');
    // probes: values and tolerances
    assert.equal([out['db-ready'].output, out['db-ready'].tolerance_met], [out['db-ready'].output, true]);
    assert.type(out['gateway-errors'].output, 'number');
    assert.is(out['gateway-errors'].tolerance_met, true);
    assert.ok(out['gateway-p99'].output > 0);
    assert.equal([out['nodes-ready'].output, out['nodes-ready'].tolerance_met], [6, true]);
    assert.equal([out['no-such-metric'].output, out['no-such-metric'].tolerance_met, out['no-such-metric'].status], [null, false, 'succeeded']);
    assert.is(out['db-status'].tolerance_met, true);
    assert.equal([out['no-such-service'].output, out['no-such-service'].status, out['no-such-service'].tolerance_met], [null, 'failed', false]);
    assert.match(out['no-such-service'].exception[0], 'nope');
    assert.type(out['incidents'].output, 'number');
    // the rollback undid the drain and the pressure
    assert.equal(j.rollbacks[0].output, { recovered: [], uncordoned: ['b1'], released: ['c1'] });
    assert.is(cluster.node('b1').unschedulable, false);
    assert.equal(cluster.node('c1').pressure, { cpu: 0, memory: 0 });
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/ops/report.md`).then((r) => r.text());
    assert.match(md, '- probe **no-such-metric** `observability metric understudy_nothing` answered null (expected 0)');
  } finally {
    await k.stop();
  }
});

it('each action and its undo: fail / recover a node, drain / uncordon, pressure / release, a spike without end / end-spikes', async () => {
  const k = await startOps({ startupSeconds: 3 });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 3);
    const spec = {
      id: 'pairs',
      title: 'pairs',
      'steady-state-hypothesis': {
        title: 'db and the gateway',
        probes: [
          probe('db-ready', { type: 'cluster', func: 'ready-instances', arguments: { workload: 'db' } }, { type: 'range', range: [2, 3] }),
          probe('gateway-errors', { type: 'observability', func: 'error-rate', arguments: { service: 'gateway' } }, { type: 'condition', operator: '<', value: 0.5 }),
        ],
      },
      method: [
        action('fail-a1', { type: 'cluster', func: 'fail-node', arguments: { node: 'a1' } }),
        action('recover-a1', { type: 'cluster', func: 'recover-node', arguments: { node: 'a1' } }),
        action('drain-b2', { type: 'cluster', func: 'drain-node', arguments: { node: 'b2' } }),
        action('uncordon-b2', { type: 'cluster', func: 'uncordon-node', arguments: { node: 'b2' } }),
        action('hog-c2', { type: 'cluster', func: 'node-pressure', arguments: { node: 'c2', memory: 1000, cpu: 500 } }),
        action('cpu-c1', { type: 'cluster', func: 'node-pressure', arguments: { node: 'c1', cpu: 250 } }),
        action('release-c2', { type: 'cluster', func: 'release-pressure', arguments: { node: 'c2' } }),
        action('spike', { type: 'traffic', func: 'spike', arguments: { service: 'gateway', rps: 5 } }),
        probe('db-ready', { type: 'cluster', func: 'ready-instances', arguments: { workload: 'db' } }, { type: 'range', range: [0, 3] }),
      ],
      rollbacks: [action('end', { type: 'traffic', func: 'end-spikes' }), action('recover', { type: 'cluster', func: 'recover' })],
    };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    const j = await runToEnd(k, 'pairs');
    assert.is(j.status, 'completed', j.reason);
    const out = j.run.map((r: any) => r.output);
    assert.equal([out[0].condition, out[1].condition], ['NotReady', 'Ready']);
    assert.equal([out[2].unschedulable, out[3].unschedulable], [true, false]);
    assert.equal([out[4].pressure, out[5].pressure, out[6].pressure], [{ cpu: 500, memory: 1000 }, { cpu: 250, memory: 0 }, { cpu: 0, memory: 0 }]);
    assert.equal(out[7], { pattern: 'pairs.spike', service: 'gateway', before: 25, extra: 5 });
    assert.equal(j.rollbacks.map((r: any) => r.output), [{ ended: ['pairs.spike'] }, { recovered: [], uncordoned: [], released: ['c1'] }]);
    assert.equal(cluster.node('c1').pressure, { cpu: 0, memory: 0 });
    assert.equal(k.resolve('traffic').patterns().map((p) => p.id), ['shop']);
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/pairs/report.md`).then((r) => r.text());
    assert.match(md, '| method | db-ready | probe |');
    assert.match(md, '| db-ready | `cluster ready-instances db` | 3 | 2–3 | yes |');
    assert.match(md, /\| gateway-errors \| `observability error-rate gateway` \| [0-9.e-]+ \| < 0.5 \| yes \|/);
    // an experiment with nothing to do says so
    await admin(k, '/experiments', { method: 'POST', json: { id: 'empty', title: 'empty', method: [] } });
    await runToEnd(k, 'empty');
    assert.match(await fetch(`${k.baseUrl}/__admin/chaos/experiments/empty/report.md`).then((r) => r.text()), 'Nothing ran.');
  } finally {
    await k.stop();
  }
});

it('durationMs: a failed zone, a drained node and a hog are undone by themselves after that long', async () => {
  const k = await startOps({ startupSeconds: 3 });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 3);
    const spec = {
      id: 'timed',
      title: 'timed',
      method: [
        action('zone-c', { type: 'cluster', func: 'fail-zone', arguments: { zone: 'zone-c', durationMs: 3000 } }),
        action('drain-a1', { type: 'cluster', func: 'drain-node', arguments: { node: 'a1', durationMs: 4000 } }),
        action('hog-b1', { type: 'cluster', func: 'node-pressure', arguments: { node: 'b1', memory: 512, durationMs: 5000 } }),
        { type: 'pause', durationMs: 10_000 },
      ],
      rollbacks: [action('recover', { type: 'cluster', func: 'recover' })],
    };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    assert.is((await admin(k, '/experiments/timed/run', { method: 'POST' })).status, 202);
    const state = () => [cluster.node('c1').condition, cluster.node('c2').condition, cluster.node('a1').unschedulable, cluster.node('b1').pressure.memory];
    await seconds(k, 2);
    assert.equal(state(), ['NotReady', 'NotReady', true, 512]);
    await seconds(k, 1);
    assert.equal(state(), ['Ready', 'Ready', true, 512]);
    await seconds(k, 1);
    assert.equal(state(), ['Ready', 'Ready', false, 512]);
    await seconds(k, 1);
    assert.equal(state(), ['Ready', 'Ready', false, 0]);
    const j = await untilEnd(k, 'timed');
    assert.is(j.status, 'completed');
    assert.equal(j.rollbacks[0].output, { recovered: [], uncordoned: [], released: [] }, 'nothing was left to undo');
  } finally {
    await k.stop();
  }
});

it('an action that cannot run ends the run failed with its reason; the journal shows it failed; rollbacks still run', async () => {
  const k = await startOps({ startupSeconds: 3 });
  try {
    await seconds(k, 2);
    const spec = {
      id: 'bad',
      title: 'a zone that does not exist',
      method: [action('drain-a1', { type: 'cluster', func: 'drain-node', arguments: { node: 'a1' } }), action('fail-zone', { type: 'cluster', func: 'fail-zone', arguments: { zone: 'zone-x' } }), { type: 'pause', durationMs: 1000 }],
      rollbacks: [action('recover', { type: 'cluster', func: 'recover' }), action('kill-nothing', { type: 'cluster', func: 'kill-instances', arguments: { workload: 'nope' } })],
    };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    const j = await runToEnd(k, 'bad');
    assert.is(j.status, 'failed');
    assert.match(j.reason, 'action "fail-zone" failed: no node in zone "zone-x"; the zones are zone-a, zone-b, zone-c');
    assert.equal(j.run.map((r: any) => [r.activity.name, r.status]), [['drain-a1', 'succeeded'], ['fail-zone', 'failed']]);
    assert.match(j.run[1].exception[0], 'zone-x');
    assert.equal(j.rollbacks.map((r: any) => [r.activity.name, r.status]), [['recover', 'succeeded'], ['kill-nothing', 'failed']]);
    assert.match(j.rollbacks[1].exception[0], 'No workload "nope"');
    assert.is(k.resolve('cluster').node('a1').unschedulable, false, 'the drained node was uncordoned');
  } finally {
    await k.stop();
  }
});

it('traffic-spike from the library: 2× the traffic for its duration, then what it was; the system recovers within T', async () => {
  const k = await startOps({ startupSeconds: 3 });
  const traffic = k.resolve('traffic');
  try {
    await seconds(k, 5);
    const res = await admin(k, '/library/traffic-spike', { method: 'POST', json: { id: 'spike', params: { service: 'gateway', factor: 2, spikeMs: 5000, withinMs: 60_000 } } });
    assert.is(res.status, 201);
    assert.is((await admin(k, '/experiments/spike/run', { method: 'POST' })).status, 202);
    await seconds(k, 2);
    // 25 requests/s arrive: the spike adds 25 more
    assert.equal(traffic.patterns().map((p) => [p.id, p.running, p.rps]), [['shop', true, 25], ['spike.spike', true, 25]]);
    assert.is(traffic.rates().services.get('gateway'), 50);
    await seconds(k, 4);
    assert.equal(traffic.patterns().map((p) => p.id), ['shop'], 'the spike ended after 5 s');
    const journal = await untilEnd(k, 'spike');
    assert.is(journal.status, 'completed', journal.reason);
    assert.equal(journal.run[0].output, { pattern: 'spike.spike', service: 'gateway', before: 25, extra: 25, durationMs: 5000 });
    assert.is(journal.steady_states.after.steady_state_met, true);
    assert.ok(journal.steady_states.after.within.metAfterMs > 0, 'it took a while to recover');
    assert.equal(journal.rollbacks[0].output, { ended: [] }, 'nothing left to end');
    // the spike was felt: services left healthy, and came back
    assert.ok(k.eventsOf('health.statusChanged').some((e) => e.data.to !== 'healthy'));
    // without traffic a factor has nothing to multiply: a clear error
    await admin(k, '/experiments', { method: 'POST', json: { id: 'zero', title: 'z', method: [action('s', { type: 'traffic', func: 'spike', arguments: { service: 'db-none', factor: 3 } })] } });
    const z = await runToEnd(k, 'zero');
    assert.match(z.reason, 'no traffic reaches "db-none" now, so 3× of it is nothing; give arguments.rps');
  } finally {
    await k.stop();
  }
});

it('bad-deploy with the real deploy plugin: the crashing version is aborted, the stable version keeps serving, the hypothesis holds', async () => {
  const k = await startOps({ startupSeconds: 3, extra: [deploy] });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 5);
    await admin(k, '/library/bad-deploy', { method: 'POST', json: { id: 'bd', params: { workload: 'api', observeMs: 30_000, withinMs: 300_000 } } });
    const j = await runToEnd(k, 'bd', 900);
    assert.equal([j.status, j.deviated], ['completed', false], j.reason);
    assert.equal([j.run[0].output.revision, j.run[0].output.version], [2, '0.0.0-bad']);
    const [bad] = (k.resolve('deployments' as never) as { history(w: string): Array<{ revision: number; by: string; reason: string; outcome?: string; message?: string }> }).history('api');
    assert.equal([bad!.revision, bad!.by, bad!.reason], [2, 'chaos', 'chaos experiment bd, action deploy-bad-version']);
    assert.ok(bad!.outcome === 'Aborted' || bad!.outcome === 'RolledBack', `outcome ${bad!.outcome}`);
    assert.match(bad!.message!, 'crashed on start');
    // no traffic was taken away: three Ready instances of the stable version all along
    assert.equal(cluster.readyInstances('api').map((i) => i.version), ['1.0.0', '1.0.0', '1.0.0']);
    assert.equal(j.rollbacks, [], 'nothing to roll back: the deploy plugin did it');
  } finally {
    await k.stop();
  }
});

it('bad-deploy from the library goes through the deployments service; rollback and abort actions call it too', async () => {
  const calls: unknown[][] = [];
  const fake = {
    start: (request: unknown) => (calls.push(['start', request]), { revision: 2, version: '0.0.0-bad' }),
    rollback: (workload: string, options: unknown) => (calls.push(['rollback', workload, options]), { revision: 3, version: '1.0.0' }),
    abort: (workload: string, options: unknown) => (calls.push(['abort', workload, options]), { phase: 'Aborted' }),
  };
  const deploy = definePlugin({ name: 'fake-deploy', provides: ['deployments' as never], register: (ctx) => ctx.provide('deployments' as never, fake as never) });
  const k = await startOps({ startupSeconds: 3, extra: [deploy] });
  try {
    await seconds(k, 2);
    const lib = (await admin(k, '/library')).body.templates;
    assert.equal(lib.find((t: any) => t.name === 'bad-deploy').missing, []);
    await admin(k, '/library/bad-deploy', { method: 'POST', json: { id: 'bad', params: { workload: 'api', observeMs: 1000, withinMs: 5000 } } });
    const j = await runToEnd(k, 'bad');
    assert.is(j.status, 'completed');
    assert.equal(calls, [['start', { workload: 'api', version: '0.0.0-bad', template: { versions: { '0.0.0-bad': { crashOnStart: true } } }, by: 'chaos', reason: 'chaos experiment bad, action deploy-bad-version' }]]);
    assert.equal(j.run[0].output, { revision: 2, version: '0.0.0-bad' });
    assert.equal(j.rollbacks, [], 'the system held: no rollback (strategy deviated)');
    calls.length = 0;
    const spec = { id: 'undo', title: 'undo', method: [action('abort', { type: 'deploy', func: 'abort', arguments: { workload: 'api' } }), action('rollback', { type: 'deploy', func: 'rollback', arguments: { workload: 'api' } })] };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    const u = await runToEnd(k, 'undo');
    assert.equal(u.run.map((r: any) => r.output), [{ phase: 'Aborted' }, { revision: 3, version: '1.0.0' }]);
    assert.equal(calls.map((c) => c[0]), ['abort', 'rollback']);
    assert.equal(calls[0]![2], { by: 'chaos', reason: 'chaos experiment undo, action abort' });
  } finally {
    await k.stop();
  }
});

it.run();
