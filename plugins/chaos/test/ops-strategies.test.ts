// Hypothesis strategies (Chaos Toolkit's names) and rollback strategies in the operations
// world, on real sockets with the virtual clock: continuously with fail_fast interrupts
// the method, during-method-only checks only while it runs, before-/after-method-only
// check once; rollbacks `never` and `deviated`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, runToEnd, seconds, startOps } from './ops-helpers.js';

const it = suite('chaos: hypothesis and rollback strategies');

const healthy = { type: 'probe', name: 'healthy', provider: { type: 'health', func: 'status' }, tolerance: 'healthy' };
/** Kill two of db's three instances (the third is then overloaded), then wait. */
const killDb = (pauseMs: number) => [
  { type: 'action', name: 'kill-db', provider: { type: 'cluster', func: 'kill-instances', arguments: { workload: 'db', count: 2 } } },
  { type: 'pause', name: 'wait', durationMs: pauseMs },
];
const rollbacks = [{ type: 'action', name: 'recover', provider: { type: 'cluster', func: 'recover' } }];

it('continuously with fail_fast: checks before, every second during; the first failing one stops the method and fails the run (the after-check still runs)', async () => {
  const k = await startOps({ startupSeconds: 20 });
  try {
    await seconds(k, 3);
    const spec = { id: 'cont', title: 'db loses two instances', 'steady-state-hypothesis': { title: 'healthy', probes: [healthy] }, method: killDb(60_000), rollbacks, runtime: { hypothesis: { strategy: 'continuously', frequency: 1, fail_fast: true } } };
    assert.is((await admin(k, '/experiments', { method: 'POST', json: spec })).status, 201);
    const j = await runToEnd(k, 'cont');
    assert.is(j.status, 'failed');
    assert.is(j.deviated, true);
    assert.match(j.reason, 'did not hold during the method ("healthy" = ');
    assert.match(j.reason, 'fail_fast stopped the method');
    assert.is(j.steady_states.before.steady_state_met, true);
    assert.is(j.steady_states.after.steady_state_met, false, 'as Chaos Toolkit: checked after a fail-fast stop too');
    const during = j.steady_states.during;
    assert.ok(during.length >= 2, `${during.length} checks`);
    assert.equal(during.slice(0, -1).map((d: any) => d.steady_state_met), during.slice(0, -1).map(() => true));
    assert.is(during.at(-1).steady_state_met, false);
    // the kill ran; the pause was cut short (it is not in run[]), well before its 60 s
    assert.equal(j.run.map((r: any) => r.activity.name), ['kill-db']);
    assert.equal(j.run[0].output.instances.length, 2);
    assert.ok(j.duration < 20, `ran ${j.duration} s`);
    assert.equal(j.rollbacks.map((r: any) => r.status), ['succeeded']);
    const report = (await admin(k, '/experiments/cont/report')).body;
    assert.is(report.status, 'failed');
    assert.is(report.hypothesis.strategy, 'continuously');
    assert.is(report.hypothesis.during.failed, 1);
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/cont/report.md`).then((r) => r.text());
    assert.match(md, `### During: did not hold in 1 of ${during.length} check(s) ❌`);
    assert.match(md, 'Strategy: `continuously`.');
  } finally {
    await k.stop();
  }
});

it('during-method-only: no check before or after, one per frequency while the method runs; deviated without fail_fast', async () => {
  const k = await startOps({ startupSeconds: 20 });
  try {
    await seconds(k, 3);
    const spec = { id: 'during', title: 'during', 'steady-state-hypothesis': { title: 'healthy', probes: [healthy] }, method: killDb(10_000), runtime: { hypothesis: { strategy: 'during-method-only', frequency: 2 } } };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    const j = await runToEnd(k, 'during');
    assert.equal([j.steady_states.before, j.steady_states.after], [null, null]);
    // checks at 0, 2, 4, 6, 8 s of the 10 s method (the one at 10 s is after it)
    assert.is(j.steady_states.during.length, 5);
    assert.is(j.steady_states.during[0].steady_state_met, true);
    assert.is(j.steady_states.during.at(-1).steady_state_met, false);
    assert.equal([j.status, j.deviated], ['failed', true]);
    assert.equal(j.run.map((r: any) => [r.activity.name, r.status]), [['kill-db', 'succeeded'], ['wait', 'succeeded']]);
  } finally {
    await k.stop();
  }
});

it('before-method-only and after-method-only check once; rollbacks never and deviated', async () => {
  const k = await startOps({ startupSeconds: 3 });
  try {
    await seconds(k, 3);
    const base = { title: 't', 'steady-state-hypothesis': { title: 'healthy', probes: [healthy] }, method: [{ type: 'pause', durationMs: 1000 }], rollbacks };
    await admin(k, '/experiments', { method: 'POST', json: { ...base, id: 'b', runtime: { hypothesis: { strategy: 'before-method-only' }, rollbacks: { strategy: 'never' } } } });
    await admin(k, '/experiments', { method: 'POST', json: { ...base, id: 'a', runtime: { hypothesis: { strategy: 'after-method-only' }, rollbacks: { strategy: 'deviated' } } } });
    const b = await runToEnd(k, 'b');
    assert.is(b.steady_states.before.steady_state_met, true);
    assert.is(b.steady_states.after, null);
    assert.equal(b.rollbacks, [], 'rollbacks never');
    const a = await runToEnd(k, 'a');
    assert.is(a.steady_states.before, null);
    assert.is(a.steady_states.after.steady_state_met, true);
    assert.equal([a.status, a.deviated], ['completed', false]);
    assert.equal(a.rollbacks, [], 'rollbacks only when deviated');
    // deviated: the rollbacks run
    await admin(k, '/experiments', { method: 'POST', json: { ...base, id: 'd', method: killDb(5000), runtime: { hypothesis: { strategy: 'after-method-only' }, rollbacks: { strategy: 'deviated' } } } });
    const d = await runToEnd(k, 'd');
    assert.is(d.deviated, true);
    assert.equal(d.rollbacks.map((r: any) => r.activity.name), ['recover']);
  } finally {
    await k.stop();
  }
});

it('checks during a long method are bounded: the oldest are dropped and counted', async () => {
  const k = await startOps({ startupSeconds: 3 });
  try {
    await seconds(k, 2);
    const spec = { id: 'many', title: 'many', 'steady-state-hypothesis': { title: 'healthy', probes: [healthy] }, method: [{ type: 'pause', durationMs: 6000 }], runtime: { hypothesis: { strategy: 'during-method-only', frequency: 0.01 } } };
    await admin(k, '/experiments', { method: 'POST', json: spec });
    const j = await runToEnd(k, 'many');
    assert.is(j.steady_states.during.length, 500);
    const report = (await admin(k, '/experiments/many/report')).body;
    assert.is(report.hypothesis.during.checks, 600);
    assert.is(report.hypothesis.during.dropped, 100);
    assert.is(report.hypothesis.during.failed, 0);
    const md = await fetch(`${k.baseUrl}/__admin/chaos/experiments/many/report.md`).then((r) => r.text());
    assert.match(md, '### During: held in all 600 check(s) ✅');
  } finally {
    await k.stop();
  }
});

it.run();
