// Pausing a rollout by hand (Argo's `kubectl argo rollouts pause`): in the state machine
// (held where it is; timers and analysis results that came meanwhile replayed on resume;
// promote lifts it and moves past the stage; a failure still fails it; refusals) and end to
// end over the admin routes (nothing scaled or shifted while paused, the events, 409s).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { begin, transition, type Input, type MachineSpec, type RolloutState } from '../src/rollout.js';
import { FakeRunner, machineSpec, post, seconds, start, status } from './helpers.js';

const it = suite('deploy: manual pause');

const spec = machineSpec;
const brief = (st: RolloutState) => `${st.phase}/${st.stage}/${st.stepIndex}/${st.weight}`;
const feed = (s: MachineSpec, st: RolloutState, input: Input, now = 0) => transition(s, st, input, now);
const pause: Input = { type: 'pause', message: 'paused by alice' };

const canary = spec({ steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause', durationMs: 60_000 }, { kind: 'analysis' }, { kind: 'setWeight', weight: 50 }] });

it('machine: a pause holds a waiting setWeight; ready is ignored; resume goes back to waiting', () => {
  const r0 = begin(canary, 0);
  const p = feed(canary, r0.state, pause, 5);
  assert.is(brief(p.state), 'Paused/steps/0/0');
  assert.equal(p.state.pause, { reason: 'ManualPause', since: 5 });
  assert.match(p.state.message, 'paused by alice (resume to go on');
  assert.equal(p.notes, ['paused']);
  assert.equal(p.effects, []);
  assert.is(feed(canary, p.state, { type: 'ready' }, 6).state.weight, 0, 'no step is taken while paused');
  assert.match(feed(canary, p.state, pause, 7).refused!, 'paused by hand already');
  const r = feed(canary, p.state, { type: 'resume' }, 8);
  assert.is(brief(r.state), 'Progressing/steps/0/0');
  assert.is(r.state.manual, undefined);
  assert.is(r.state.message, r0.state.message);
  assert.equal(r.notes, ['resumed']);
  assert.match(feed(canary, r.state, { type: 'resume' }, 9).refused!, 'Progressing, not paused by hand');
});

it('machine: a timed pause step that ends while paused by hand moves on only at resume', () => {
  let st = feed(canary, begin(canary, 0).state, { type: 'ready' }, 0).state;
  assert.is(brief(st), 'Paused/steps/1/20');
  assert.match(feed(canary, st, { type: 'resume' }, 1).refused!, 'paused by its CanaryPauseStep, not by hand');
  st = feed(canary, st, pause, 10).state;
  const early = feed(canary, st, { type: 'timer' }, 60_000);
  assert.is(brief(early.state), 'Paused/steps/1/20');
  assert.is(early.state.manual!.deferred.length, 1);
  const r = feed(canary, early.state, { type: 'resume' }, 90_000);
  assert.is(brief(r.state), 'Progressing/steps/2/20', 'the step pause had ended: on to the analysis');
  assert.equal(r.notes, ['stepChanged', 'resumed']);
  assert.equal(r.effects, [{ kind: 'startAnalysis', analysis: 'step', stepIndex: 2 }]);
  // resumed before the step pause ends: back on the step pause, its timer still set
  const again = feed(canary, feed(canary, begin(canary, 0).state, { type: 'ready' }, 0).state, pause, 10);
  const back = feed(canary, again.state, { type: 'resume' }, 20);
  assert.is(brief(back.state), 'Paused/steps/1/20');
  assert.equal(back.state.pause, { reason: 'CanaryPauseStep', since: 0, until: 60_000 });
  assert.equal(back.notes, ['resumed']);
});

it('machine: analysis results wait for resume; a failure still fails; promote lifts the pause and moves past the step', () => {
  let st = begin(canary, 0).state;
  st = feed(canary, st, { type: 'ready' }, 0).state;
  st = feed(canary, st, { type: 'timer' }, 60_000).state;
  assert.is(brief(st), 'Progressing/steps/2/20');
  const held = feed(canary, st, pause, 60_001).state;
  // a stale kind is ignored, not kept
  assert.is(feed(canary, held, { type: 'analysis', kind: 'prePromotion', phase: 'Successful' }, 1).state.manual!.deferred.length, 0);
  const passed = feed(canary, held, { type: 'analysis', kind: 'step', phase: 'Successful' }, 61_000);
  assert.is(brief(passed.state), 'Paused/steps/2/20', 'a passed analysis does not move a paused rollout on');
  assert.is(brief(feed(canary, passed.state, { type: 'resume' }, 62_000).state), 'Progressing/steps/3/20');
  const inconclusive = feed(canary, held, { type: 'analysis', kind: 'step', phase: 'Inconclusive' }, 61_000);
  assert.is(inconclusive.state.pause!.reason, 'ManualPause');
  assert.is(feed(canary, inconclusive.state, { type: 'resume' }, 62_000).state.pause!.reason, 'InconclusiveAnalysis');
  const failed = feed(canary, held, { type: 'analysis', kind: 'step', phase: 'Failed', message: 'errors' }, 61_000);
  assert.is(failed.state.phase, 'Aborted');
  assert.is(failed.state.manual, undefined);
  const readiness = feed(canary, held, { type: 'failure', cause: 'readiness', message: '3 exits' }, 61_000);
  assert.is(readiness.state.phase, 'Aborted');
  assert.is(readiness.state.manual, undefined);
  const frozen = feed(spec({ ...canary, onFailure: 'freeze' }), held, { type: 'failure', cause: 'readiness', message: '3 exits' }, 61_000);
  assert.is(frozen.state.phase, 'Degraded');
  assert.is(frozen.state.manual, undefined);
  assert.match(feed(canary, frozen.state, pause, 1).refused!, 'Degraded (frozen after a failure)');
  const aborted = feed(canary, held, { type: 'abort', message: 'by hand' }, 61_000);
  assert.is(aborted.state.phase, 'Aborted');
  assert.is(aborted.state.manual, undefined);
  assert.match(feed(canary, aborted.state, pause, 1).refused!, 'Aborted: there is nothing to pause');
  assert.match(feed(canary, aborted.state, { type: 'resume' }, 1).refused!, 'Aborted, not paused by hand');
  // Argo's promote: unpause, and past the current step (the running analysis)
  const promoted = feed(canary, passed.state, { type: 'promote', full: false }, 61_500);
  assert.is(brief(promoted.state), 'Progressing/steps/3/20');
  assert.is(promoted.state.manual, undefined);
  assert.equal(promoted.notes, ['resumed', 'stepChanged']);
  assert.match(feed(canary, held, { type: 'retry' }, 1).refused!, 'only an Aborted or Degraded');
});

it('machine: a bake timer and a blue/green auto-promotion that come while paused are replayed', () => {
  const baked = spec({ bakeMs: 30_000 });
  let st = begin(baked, 0).state;
  st = feed(baked, st, { type: 'ready' }, 0).state;
  assert.is(st.stage, 'bake');
  st = feed(baked, st, pause, 1).state;
  st = feed(baked, st, { type: 'timer' }, 30_000).state;
  assert.is(st.phase, 'Paused');
  assert.is(feed(baked, st, { type: 'resume' }, 40_000).state.phase, 'Healthy');
  const bg = spec({ strategy: 'blueGreen', autoPromotionMs: 10_000 });
  let b = feed(bg, begin(bg, 0).state, { type: 'ready' }, 0).state;
  assert.is(b.pause!.reason, 'BlueGreenPause');
  b = feed(bg, b, pause, 1).state;
  b = feed(bg, b, { type: 'timer' }, 10_000).state;
  assert.is(b.stage, 'awaitPromotion');
  const r = feed(bg, b, { type: 'resume' }, 11_000);
  assert.is(brief(r.state), 'Progressing/promoting/0/0');
  assert.equal(r.notes, ['resumed']);
});

it('admin: pause holds a canary where it is (no scaling, no weight), resume goes on; events and 409s', async () => {
  const runner = new FakeRunner();
  const k = await start({ replicas: 4, runner });
  try {
    assert.is((await post(k, '/rollouts/web/pause')).status, 409, 'no rollout yet');
    const started = await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '20s' } }] } } });
    assert.is(started.status, 201, JSON.stringify(started.body));
    const paused = await post(k, '/rollouts/web/pause', { by: 'alice', reason: 'looking at the logs' });
    assert.is(paused.status, 200, JSON.stringify(paused.body));
    assert.is(paused.body.phase, 'Paused');
    assert.is(paused.body.pause.reason, 'ManualPause');
    assert.match(paused.body.message, 'paused by alice: looking at the logs');
    const held = paused.body.replicaSets;
    await seconds(k, 30);
    let s = await status(k);
    assert.is(s.phase, 'Paused');
    assert.is(s.weight, 0, 'no weight applied while paused');
    assert.equal(s.replicaSets, held, 'nothing scaled while paused');
    const twice = await post(k, '/rollouts/web/pause');
    assert.is(twice.status, 409);
    assert.is(twice.body.code, 'US_DEPLOY_INVALID_ACTION');
    assert.match(twice.body.message, 'paused by hand already');
    const bad = await post(k, '/rollouts/web/resume', { reason: 'x' });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_DEPLOY_INVALID_REQUEST');
    const resumed = await post(k, '/rollouts/web/resume', { by: 'alice' });
    assert.is(resumed.status, 200, JSON.stringify(resumed.body));
    // the canary instances were available already: the weight is applied at once, on to the step pause
    s = resumed.body;
    assert.is(s.phase, 'Paused', JSON.stringify(s));
    assert.is(s.pause.reason, 'CanaryPauseStep');
    assert.is(s.weight, 50);
    assert.equal(s.replicaSets, { '1.0.0': 4, '2.0.0': 2 });
    // paused on the step pause, then by hand: the step's time runs out, resume moves on
    assert.is((await post(k, '/rollouts/web/pause')).status, 200);
    await seconds(k, 25);
    assert.is((await status(k)).currentStepIndex, 1);
    assert.is((await post(k, '/rollouts/web/resume')).status, 200);
    await seconds(k, 8);
    s = await status(k);
    assert.is(s.phase, 'Healthy', JSON.stringify(s));
    assert.is((await post(k, '/rollouts/web/resume')).status, 409);
    const events = k.captured.filter((e) => e.type === 'deploy.paused' || e.type === 'deploy.resumed').map((e) => `${e.type}:${(e.data as { by?: string }).by ?? ''}`);
    assert.equal(events.slice(0, 2), ['deploy.paused:alice', 'deploy.resumed:alice']);
    assert.ok(events.length >= 5, events.join(' '));
  } finally {
    await k.stop();
  }
});

it('admin: promote lifts a manual pause and moves past the step; a rolling update pauses too', async () => {
  const k = await start({ replicas: 4 });
  try {
    await post(k, '/rollouts', { workload: 'web', version: '2.0.0', strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } });
    await seconds(k, 8);
    assert.is((await status(k)).pause.reason, 'CanaryPauseStep');
    assert.is((await post(k, '/rollouts/web/pause')).status, 200);
    const promoted = await post(k, '/rollouts/web/promote');
    assert.is(promoted.status, 200, JSON.stringify(promoted.body));
    await seconds(k, 8);
    assert.is((await status(k)).phase, 'Healthy');
    const rolling = await post(k, '/rollouts', { workload: 'web', version: '3.0.0', strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    assert.is(rolling.status, 201);
    assert.is((await post(k, '/rollouts/web/pause')).status, 200);
    const sets = (await status(k)).replicaSets;
    await seconds(k, 30);
    let s = await status(k);
    assert.equal(s.replicaSets, sets, 'a paused rolling update is not scaled');
    assert.is(s.phase, 'Paused');
    assert.is((await post(k, '/rollouts/web/resume')).status, 200);
    await seconds(k, 40);
    s = await status(k);
    assert.is(s.phase, 'Healthy', JSON.stringify(s));
    assert.equal(s.stable.version, '3.0.0');
  } finally {
    await k.stop();
  }
});

it.run();
