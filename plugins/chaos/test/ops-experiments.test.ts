// Experiments in the operations world, on real sockets with the virtual clock: a zone
// outage from the library whose journal shows the hypothesis met within T after the zone
// came back, the same outage deviating when T is too short, and the Markdown report.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, runToEnd, seconds, startOps } from './ops-helpers.js';

const zone = suite('chaos: zone outage in the operations world');

zone('zone-outage from the library: every node of the zone fails, comes back, and every service is healthy within T', async () => {
  const k = await startOps({ startupSeconds: 20 });
  try {
    await seconds(k, 5);
    const created = await admin(k, '/library/zone-outage', { method: 'POST', json: { id: 'zone-a-down', params: { zone: 'zone-a', outageMs: 10_000, withinMs: 120_000 } } });
    assert.is(created.status, 201);
    assert.is(created.body.id, 'zone-a-down');
    const startedAt = k.clock.now();
    const j = await runToEnd(k, 'zone-a-down');
    assert.is(j.status, 'completed');
    assert.is(j.deviated, false);
    assert.is(j.experiment.template.name, 'zone-outage');
    assert.is(j.start, new Date(startedAt).toISOString());
    // before: healthy; after: not at once (the replacements take 20 s to start, and the zone was down for 10), but within T
    assert.is(j.steady_states.before.steady_state_met, true);
    assert.equal(j.steady_states.before.probes.map((p: any) => [p.activity.name, p.output, p.tolerance_met, p.status]), [['all-services-healthy', 'healthy', true, 'succeeded']]);
    const after = j.steady_states.after;
    assert.is(after.steady_state_met, true);
    assert.is(after.within.withinMs, 120_000);
    assert.ok(after.within.attempts > 1, `polled ${after.within.attempts} times`);
    assert.ok(after.within.metAfterMs >= 5000 && after.within.metAfterMs <= 120_000, `met after ${after.within.metAfterMs} ms`);
    // the method: fail the zone's two nodes, wait, bring them back
    assert.equal(j.run.map((r: any) => [r.activity.name, r.status]), [['fail-zone', 'succeeded'], ['zone-down', 'succeeded'], ['recover-zone', 'succeeded']]);
    assert.equal(j.run[0].output, { zone: 'zone-a', nodes: ['a1', 'a2'] });
    assert.is(j.run[1].duration, 10);
    assert.equal(k.eventsOf('cluster.nodeFailed').map((e) => e.data.node), ['a1', 'a2']);
    assert.equal(k.eventsOf('cluster.nodeRecovered').map((e) => e.data.node), ['a1', 'a2']);
    assert.equal(j.rollbacks.map((r: any) => [r.activity.name, r.status]), [['recover-cluster', 'succeeded']]);
    assert.equal(j.rollbacks[0].output, { recovered: [], uncordoned: [], released: [] }, 'the method had brought the zone back itself');
    // every service is healthy now, and the instances lost with the zone were replaced
    const cluster = k.resolve('cluster');
    for (const w of ['gateway', 'api', 'db']) assert.is(cluster.workload(w).ready, 3, w);
    assert.ok(k.resolve('health').services().every((s) => s.status === 'healthy'));
    assert.ok(j.duration * 1000 >= 10_000 + after.within.metAfterMs);
    // the Markdown report says the same
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/zone-a-down/report.md`).then((r) => r.text());
    assert.match(md, '- **Status:** completed');
    assert.match(md, `Met ${after.within.metAfterMs} ms after the method (within 120000 ms`);
    assert.match(md, '| all-services-healthy | `health status` | healthy | healthy | yes |');
    assert.match(md, '| method | fail-zone | action | 0 |');
    assert.match(md, '| rollback | recover-cluster | action |');
  } finally {
    await k.stop();
  }
});

zone('the same outage deviates when T is shorter than the recovery: journal status failed, deviated, report says not met', async () => {
  const k = await startOps({ startupSeconds: 20 });
  try {
    await seconds(k, 5);
    await admin(k, '/library/zone-outage', { method: 'POST', json: { id: 'too-soon', params: { zone: 'zone-b', outageMs: 10_000, withinMs: 5000, pollMs: 1000 } } });
    const j = await runToEnd(k, 'too-soon');
    assert.is(j.status, 'failed', 'Chaos Toolkit: a deviated run is failed');
    assert.is(j.deviated, true);
    const after = j.steady_states.after;
    assert.is(after.steady_state_met, false);
    assert.is(after.within.metAfterMs, undefined);
    assert.is(after.within.attempts, 6, 'polled at 0, 1, … 5 s');
    assert.is.not(after.probes[0].output, 'healthy');
    assert.is(after.probes[0].tolerance_met, false);
    const report = (await admin(k, '/experiments/too-soon/report')).body;
    assert.is(report.status, 'completed');
    assert.is(report.deviated, true);
    assert.equal(report.broke.failedProbes.map((p: any) => p.name), ['all-services-healthy']);
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/too-soon/report.md`).then((r) => r.text());
    assert.match(md, 'Not met within 5000 ms (6 poll(s)).');
    assert.match(md, '(deviated)');
    assert.equal(k.eventsOf('chaos.experimentEnded').map((e) => [e.data.status, e.data.deviated]), [['completed', true]]);
  } finally {
    await k.stop();
  }
});

zone('the same seed and the same experiment give the same journal (which instances die, when it recovers)', async () => {
  const journal = async () => {
    const k = await startOps({ startupSeconds: 10 });
    try {
      await seconds(k, 3);
      await admin(k, '/experiments', {
        method: 'POST',
        json: {
          id: 'again',
          title: 'kill half of every tier',
          'steady-state-hypothesis': { title: 'healthy', probes: [{ type: 'probe', name: 'healthy', provider: { type: 'health', func: 'status' }, tolerance: 'healthy' }], withinMs: 120_000 },
          method: ['gateway', 'api', 'db'].map((w) => ({ type: 'action', name: `kill-${w}`, provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: w, percentage: 50 } } })),
        },
      });
      return await runToEnd(k, 'again');
    } finally {
      await k.stop();
    }
  };
  const a = await journal();
  const b = await journal();
  assert.equal(a, b);
  assert.equal(a.run.map((r: any) => r.output.instances.length), [2, 2, 2]);
  assert.is(a.steady_states.after.steady_state_met, true);
});

zone.run();
