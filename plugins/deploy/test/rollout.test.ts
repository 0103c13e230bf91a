// The rollout state machine (pure transitions): canary steps (setWeight waits for its
// instances, timed and indefinite pauses, analysis, header routes, background analysis),
// promotion and the bake window, blue/green (preview, pre-promotion analysis, manual and
// timed auto-promotion, post-promotion analysis), rolling updates, failures with
// onFailure rollback (Aborted before the promotion, RolledBack after) and freeze
// (Degraded), promote / promote --full / abort / retry, refused inputs, stale inputs ignored,
// and rollback rollouts that skip steps and analysis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { begin, transition, type Input, type MachineSpec, type Result, type RolloutState } from '../src/rollout.js';
import { machineSpec } from './helpers.js';

const it = suite('deploy: rollout state machine');

const spec = machineSpec;

/** Run inputs in order from begin(); returns every result. */
function run(s: MachineSpec, inputs: Input[], now = 0): Result[] {
  const out = [begin(s, now)];
  for (const input of inputs) out.push(transition(s, out[out.length - 1]!.state, input, now));
  return out;
}
const last = (r: Result[]) => r[r.length - 1]!;
const brief = (st: RolloutState) => `${st.phase}/${st.stage}/${st.stepIndex}/${st.weight}`;

const canary = spec({
  steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause', durationMs: 60_000 }, { kind: 'setWeight', weight: 50 }, { kind: 'analysis' }, { kind: 'pause' }],
});

it('canary: each step in order, then the promotion and Healthy', () => {
  const r0 = begin(canary, 0);
  assert.is(brief(r0.state), 'Progressing/steps/0/0');
  assert.equal(r0.notes, ['started']);
  assert.match(r0.state.message, 'setWeight 20');
  const r1 = transition(canary, r0.state, { type: 'ready' }, 10);
  assert.is(brief(r1.state), 'Paused/steps/1/20');
  assert.equal(r1.notes, ['weightChanged', 'stepChanged', 'paused']);
  assert.equal(r1.effects, [{ kind: 'setTimer', at: 60_010 }]);
  assert.equal(r1.state.pause, { reason: 'CanaryPauseStep', since: 10, until: 60_010 });
  // a timer before its time is ignored
  assert.is(brief(transition(canary, r1.state, { type: 'timer' }, 100).state), 'Paused/steps/1/20');
  const r2 = transition(canary, r1.state, { type: 'timer' }, 60_010);
  assert.is(brief(r2.state), 'Progressing/steps/2/20');
  assert.equal(r2.notes, ['stepChanged', 'resumed']);
  const r3 = transition(canary, r2.state, { type: 'ready' }, 60_020);
  assert.is(brief(r3.state), 'Progressing/steps/3/50');
  assert.equal(r3.effects, [{ kind: 'startAnalysis', analysis: 'step', stepIndex: 3 }]);
  // ready during an analysis step, a stale analysis kind and a Running phase change nothing
  assert.is(brief(transition(canary, r3.state, { type: 'ready' }, 1).state), 'Progressing/steps/3/50');
  assert.is(transition(canary, r3.state, { type: 'analysis', kind: 'prePromotion', phase: 'Failed' }, 1).state.phase, 'Progressing');
  assert.is(transition(canary, r3.state, { type: 'analysis', kind: 'step', phase: 'Running' }, 1).state.phase, 'Progressing');
  const r4 = transition(canary, r3.state, { type: 'analysis', kind: 'step', phase: 'Successful' }, 70_000);
  assert.is(brief(r4.state), 'Paused/steps/4/50');
  assert.match(r4.state.message, 'until promoted');
  assert.is(r4.state.pause!.until, undefined);
  // an indefinite pause ignores timers
  assert.is(transition(canary, r4.state, { type: 'timer' }, 1e9).state.phase, 'Paused');
  const r5 = transition(canary, r4.state, { type: 'promote', full: false }, 80_000);
  assert.is(brief(r5.state), 'Progressing/promoting/5/50');
  const r6 = transition(canary, r5.state, { type: 'ready' }, 90_000);
  assert.is(brief(r6.state), 'Healthy/done/5/100');
  assert.ok(r6.state.promoted);
  assert.equal(r6.notes, ['weightChanged', 'promoted', 'completed']);
  assert.equal(r6.effects, [{ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' }]);
  // nothing to promote, abort or retry once Healthy
  assert.match(transition(canary, r6.state, { type: 'promote', full: true }, 1).refused!, 'Healthy');
  assert.match(transition(canary, r6.state, { type: 'abort', message: 'x' }, 1).refused!, 'nothing to abort');
  assert.match(transition(canary, r6.state, { type: 'retry' }, 1).refused!, 'only an Aborted or Degraded');
  // inputs after the end are ignored
  for (const input of [{ type: 'ready' }, { type: 'timer' }, { type: 'failure', cause: 'deadline', message: 'late' }, { type: 'analysis', kind: 'step', phase: 'Failed' }] as Input[]) {
    assert.is(transition(canary, r6.state, input, 1).state.phase, 'Healthy');
  }
});

it('canary: header routes are set and removed by steps; a background analysis starts at its step and runs to the end', () => {
  const s = spec({
    backgroundFrom: 1,
    steps: [
      { kind: 'setHeaderRoute', name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: '1' } }] },
      { kind: 'setWeight', weight: 10 },
      { kind: 'setHeaderRoute', name: 'beta' },
      { kind: 'setHeaderRoute', name: 'empty', match: [] },
    ],
  });
  const r = begin(s, 0);
  assert.is(brief(r.state), 'Progressing/steps/1/0');
  assert.equal(Object.keys(r.state.headerRoutes), ['beta']);
  assert.equal(r.effects, [{ kind: 'startAnalysis', analysis: 'background' }]);
  assert.ok(r.state.backgroundStarted);
  // a successful background run changes nothing; the original state is never mutated
  const ok = transition(s, r.state, { type: 'analysis', kind: 'background', phase: 'Successful' }, 1);
  assert.is(brief(ok.state), 'Progressing/steps/1/0');
  const r2 = transition(s, r.state, { type: 'ready' }, 5);
  assert.equal(r2.state.headerRoutes, {});
  assert.equal(Object.keys(r.state.headerRoutes), ['beta'], 'not mutated');
  assert.is(r2.state.stage, 'promoting');
  assert.equal(r2.effects, [], 'the background analysis is not started twice');
});

it('canary: a failed step analysis aborts (rollback): weight 0, analyses stopped; retry starts over at step 0', () => {
  const atPause = transition(canary, begin(canary, 0).state, { type: 'ready' }, 0);
  const r = run(canary, [{ type: 'ready' }]);
  assert.is(brief(last(r).state), brief(atPause.state));
  const atAnalysis = transition(canary, transition(canary, atPause.state, { type: 'timer' }, 60_000).state, { type: 'ready' }, 60_000);
  const failed = transition(canary, atAnalysis.state, { type: 'analysis', kind: 'step', phase: 'Failed', message: 'errorRate 0.3 > 0.05' }, 70_000);
  assert.is(brief(failed.state), 'Aborted/done/3/0');
  assert.equal(failed.state.failure, { cause: 'analysis', message: 'errorRate 0.3 > 0.05' });
  assert.match(failed.state.message, 'analysis failed: errorRate 0.3');
  assert.equal(failed.notes, ['weightChanged', 'aborted']);
  assert.equal(failed.effects, [{ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' }]);
  assert.match(transition(canary, failed.state, { type: 'promote', full: false }, 1).refused!, 'Aborted');
  const again = transition(canary, failed.state, { type: 'retry' }, 80_000);
  assert.is(brief(again.state), 'Progressing/steps/0/0');
  assert.equal(again.notes, ['retried']);
  assert.is(again.state.failure, undefined);
});

it('an Error analysis is a failure; a message-less result says what failed', () => {
  const s = spec({ steps: [{ kind: 'analysis' }] });
  const r = transition(s, begin(s, 0).state, { type: 'analysis', kind: 'step', phase: 'Error' }, 1);
  assert.is(r.state.phase, 'Aborted');
  assert.match(r.state.message, 'step analysis Error');
  assert.equal(r.notes, ['aborted'], 'weight was 0 already');
});

it('an inconclusive analysis pauses; promote goes on, abort aborts', () => {
  const s = spec({ steps: [{ kind: 'pause', durationMs: 1000 }, { kind: 'analysis' }, { kind: 'setWeight', weight: 30 }] });
  const atAnalysis = transition(s, begin(s, 0).state, { type: 'timer' }, 1000);
  const inc = transition(s, atAnalysis.state, { type: 'analysis', kind: 'step', phase: 'Inconclusive', message: 'too few samples' }, 2000);
  assert.is(brief(inc.state), 'Paused/steps/1/0');
  assert.is(inc.state.pause!.reason, 'InconclusiveAnalysis');
  assert.match(inc.state.message, 'too few samples');
  assert.equal(inc.effects, [{ kind: 'clearTimer' }]);
  const on = transition(s, inc.state, { type: 'promote', full: false }, 3000);
  assert.is(brief(on.state), 'Progressing/steps/2/0');
  assert.equal(on.notes, ['resumed', 'stepChanged']);
  assert.equal(on.effects[0], { kind: 'stopAnalysis', all: false });
  const ab = transition(s, inc.state, { type: 'abort', message: 'by hand' }, 3000);
  assert.is(ab.state.phase, 'Aborted');
  assert.match(ab.state.message, 'aborted: by hand');
  // a background analysis inconclusive during a pause step pauses for it instead
  const bg = spec({ backgroundFrom: 0, steps: [{ kind: 'pause', durationMs: 5000 }] });
  const p = transition(bg, begin(bg, 0).state, { type: 'analysis', kind: 'background', phase: 'Inconclusive' }, 10);
  assert.is(p.state.pause!.reason, 'InconclusiveAnalysis');
  assert.is(transition(bg, p.state, { type: 'timer' }, 5000).state.phase, 'Paused', 'the pause step timer no longer applies');
});

it('promote --full skips the remaining steps and analyses', () => {
  const r = transition(canary, begin(canary, 0).state, { type: 'promote', full: true }, 5);
  assert.is(brief(r.state), 'Progressing/promoting/0/0');
  assert.equal(r.effects, [{ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' }]);
  // --full again while promoting: still promoting
  assert.is(transition(canary, r.state, { type: 'promote', full: true }, 6).state.stage, 'promoting');
  // a plain promote while promoting: promoted at once
  assert.is(transition(canary, r.state, { type: 'promote', full: false }, 6).state.phase, 'Healthy');
});

it('failures: readiness and deadline abort while progressing or paused; freeze holds (Degraded) until promote, abort or retry', () => {
  const crash = transition(canary, begin(canary, 0).state, { type: 'failure', cause: 'readiness', message: 'version 2 crashed on start' }, 5);
  assert.is(brief(crash.state), 'Aborted/done/0/0');
  assert.match(crash.state.message, 'readiness failed: version 2 crashed');
  const frozen = spec({ ...canary, onFailure: 'freeze' });
  const atPause = transition(frozen, begin(frozen, 0).state, { type: 'ready' }, 0);
  const deg = transition(frozen, atPause.state, { type: 'failure', cause: 'deadline', message: 'no progress for 600 s' }, 7);
  assert.is(brief(deg.state), 'Degraded/steps/1/20', 'traffic held where it was');
  assert.equal(deg.state.pause, { reason: 'Frozen', since: 7 });
  assert.equal(deg.notes, ['degraded']);
  assert.match(deg.state.message, 'frozen after deadline failed');
  // further failures and analysis results while Degraded change nothing
  assert.is(transition(frozen, deg.state, { type: 'failure', cause: 'readiness', message: 'again' }, 8).state.failure!.cause, 'deadline');
  assert.is(transition(frozen, deg.state, { type: 'analysis', kind: 'background', phase: 'Failed' }, 8).state.phase, 'Degraded');
  const promoted = transition(frozen, deg.state, { type: 'promote', full: false }, 9);
  assert.is(brief(promoted.state), 'Progressing/steps/2/20');
  assert.is(promoted.state.failure, undefined);
  const aborted = transition(frozen, deg.state, { type: 'abort', message: 'give up' }, 9);
  assert.is(brief(aborted.state), 'Aborted/done/1/0');
  const retried = transition(frozen, deg.state, { type: 'retry' }, 9);
  assert.is(brief(retried.state), 'Progressing/steps/0/0');
  assert.equal(retried.state.headerRoutes, {});
});

it('the bake window: post-promotion analysis and bakeSeconds both have to pass; a failure in it rolls back', () => {
  const s = spec({ steps: [{ kind: 'setWeight', weight: 50 }], postPromotionAnalysis: true, bakeMs: 30_000 });
  const promoting = transition(s, begin(s, 0).state, { type: 'ready' }, 0);
  const bake = transition(s, promoting.state, { type: 'ready' }, 100);
  assert.is(brief(bake.state), 'Progressing/bake/1/100');
  assert.ok(bake.state.promoted);
  assert.equal(bake.effects, [{ kind: 'startAnalysis', analysis: 'postPromotion' }, { kind: 'setTimer', at: 30_100 }]);
  assert.equal(bake.notes, ['weightChanged', 'promoted']);
  // timer first, then the analysis
  const t = transition(s, bake.state, { type: 'timer' }, 30_100);
  assert.is(t.state.phase, 'Progressing');
  assert.is(transition(s, t.state, { type: 'timer' }, 30_200).state.phase, 'Progressing', 'a second timer is ignored');
  assert.is(transition(s, t.state, { type: 'analysis', kind: 'postPromotion', phase: 'Successful' }, 31_000).state.phase, 'Healthy');
  // the analysis first, then the timer
  const a = transition(s, bake.state, { type: 'analysis', kind: 'postPromotion', phase: 'Successful' }, 200);
  assert.is(a.state.phase, 'Progressing');
  assert.is(transition(s, a.state, { type: 'analysis', kind: 'postPromotion', phase: 'Failed' }, 300).state.phase, 'Progressing', 'no analysis awaited any more');
  assert.is(transition(s, a.state, { type: 'timer' }, 30_100).state.phase, 'Healthy');
  // a failure during the bake: RolledBack, the previous version takes the traffic back
  const rb = transition(s, bake.state, { type: 'failure', cause: 'readiness', message: 'new instances crash' }, 500);
  assert.is(brief(rb.state), 'RolledBack/done/1/0');
  assert.is(rb.state.promoted, false);
  assert.equal(rb.notes, ['weightChanged', 'rolledBack']);
  // bake with only a timer; promote ends a bake at once
  const timerOnly = spec({ bakeMs: 1000 });
  const b2 = transition(timerOnly, begin(timerOnly, 0).state, { type: 'ready' }, 0);
  assert.is(b2.state.stage, 'bake');
  assert.is(transition(timerOnly, b2.state, { type: 'timer' }, 1000).state.phase, 'Healthy');
  assert.is(transition(timerOnly, b2.state, { type: 'promote', full: false }, 10).state.phase, 'Healthy');
  assert.is(transition(timerOnly, b2.state, { type: 'promote', full: true }, 10).state.phase, 'Healthy');
  // an inconclusive post-promotion analysis pauses in the bake; promote finishes it
  const analysisOnly = spec({ postPromotionAnalysis: true });
  const b3 = transition(analysisOnly, begin(analysisOnly, 0).state, { type: 'ready' }, 0);
  const inc = transition(analysisOnly, b3.state, { type: 'analysis', kind: 'postPromotion', phase: 'Inconclusive' }, 5);
  assert.is(brief(inc.state), 'Paused/bake/0/100');
  assert.is(transition(analysisOnly, inc.state, { type: 'timer' }, 1e6).state.phase, 'Paused');
  assert.is(transition(analysisOnly, inc.state, { type: 'promote', full: false }, 6).state.phase, 'Healthy');
  // frozen in the bake: retry bakes again
  const fz = spec({ postPromotionAnalysis: true, onFailure: 'freeze' });
  const b4 = transition(fz, begin(fz, 0).state, { type: 'ready' }, 0);
  const deg = transition(fz, b4.state, { type: 'analysis', kind: 'postPromotion', phase: 'Failed', message: 'p99 up' }, 5);
  assert.is(brief(deg.state), 'Degraded/bake/0/100');
  const again = transition(fz, deg.state, { type: 'retry' }, 6);
  assert.is(brief(again.state), 'Progressing/bake/0/100');
  assert.equal(again.effects, [{ kind: 'startAnalysis', analysis: 'postPromotion' }]);
  assert.equal(again.notes, ['retried', 'promoted']);
});

it('blue/green: preview, pre-promotion analysis, auto-promotion now, after a delay, or paused until promoted; post-promotion analysis', () => {
  const bg = spec({ strategy: 'blueGreen', prePromotionAnalysis: true, postPromotionAnalysis: true });
  const r0 = begin(bg, 0);
  assert.is(brief(r0.state), 'Progressing/steps/0/0');
  assert.match(r0.state.message, 'preview');
  // an analysis result nobody waits for is ignored
  assert.is(transition(bg, r0.state, { type: 'analysis', kind: 'postPromotion', phase: 'Failed' }, 1).state.phase, 'Progressing');
  const pre = transition(bg, r0.state, { type: 'ready' }, 10);
  assert.is(pre.state.stage, 'prePromotion');
  assert.equal(pre.effects, [{ kind: 'startAnalysis', analysis: 'prePromotion' }]);
  assert.is(transition(bg, pre.state, { type: 'ready' }, 11).state.stage, 'prePromotion', 'ready is not awaited here');
  const promoting = transition(bg, pre.state, { type: 'analysis', kind: 'prePromotion', phase: 'Successful' }, 20);
  assert.is(promoting.state.stage, 'promoting');
  const bake = transition(bg, promoting.state, { type: 'ready' }, 30);
  assert.is(brief(bake.state), 'Progressing/bake/0/100');
  assert.is(transition(bg, bake.state, { type: 'analysis', kind: 'postPromotion', phase: 'Successful' }, 40).state.phase, 'Healthy');
  const failed = transition(bg, pre.state, { type: 'analysis', kind: 'prePromotion', phase: 'Failed' }, 20);
  assert.is(failed.state.phase, 'Aborted');
  const rolled = transition(bg, bake.state, { type: 'analysis', kind: 'postPromotion', phase: 'Failed' }, 40);
  assert.is(rolled.state.phase, 'RolledBack');

  const manual = spec({ strategy: 'blueGreen', autoPromotionEnabled: false });
  const waiting = transition(manual, begin(manual, 0).state, { type: 'ready' }, 10);
  assert.is(brief(waiting.state), 'Paused/awaitPromotion/0/0');
  assert.is(waiting.state.pause!.reason, 'BlueGreenPause');
  assert.is(transition(manual, waiting.state, { type: 'promote', full: false }, 20).state.stage, 'promoting');

  const timed = spec({ strategy: 'blueGreen', autoPromotionMs: 60_000 });
  const t = transition(timed, begin(timed, 0).state, { type: 'ready' }, 10);
  assert.equal(t.effects, [{ kind: 'setTimer', at: 60_010 }]);
  assert.match(t.state.message, 'promoting in 60 s');
  const p = transition(timed, t.state, { type: 'timer' }, 60_010);
  assert.is(p.state.stage, 'promoting');
  assert.equal(p.notes, ['resumed']);
  // promote before the preview is ready: the promotion still waits for it (promoting)
  const early = transition(timed, begin(timed, 0).state, { type: 'promote', full: false }, 1);
  assert.is(early.state.stage, 'awaitPromotion');
  const earlyPre = transition(bg, pre.state, { type: 'promote', full: false }, 1);
  assert.is(earlyPre.state.stage, 'promoting', 'promote skips the running pre-promotion analysis');
  // no pre-promotion analysis, auto-promotion on: promoting as soon as the preview is ready
  const plain = spec({ strategy: 'blueGreen' });
  assert.is(transition(plain, begin(plain, 0).state, { type: 'ready' }, 1).state.stage, 'promoting');
});

it('rolling update: one stage until complete; promote needs --full; freeze and retry', () => {
  const roll = spec({ strategy: 'rollingUpdate', onFailure: 'freeze' });
  const r0 = begin(roll, 0);
  assert.is(brief(r0.state), 'Progressing/steps/0/0');
  assert.match(r0.state.message, 'rolling update');
  assert.match(transition(roll, r0.state, { type: 'promote', full: false }, 1).refused!, 'promote --full');
  const full = transition(roll, r0.state, { type: 'promote', full: true }, 1);
  assert.is(full.state.stage, 'promoting');
  assert.match(full.state.message, 'every instance at once');
  assert.is(transition(roll, full.state, { type: 'ready' }, 2).state.phase, 'Healthy');
  const doneR = transition(roll, r0.state, { type: 'ready' }, 5);
  assert.is(brief(doneR.state), 'Healthy/done/0/100');
  assert.equal(doneR.notes, ['promoted', 'completed']);
  const deg = transition(roll, r0.state, { type: 'failure', cause: 'deadline', message: 'stuck' }, 5);
  assert.is(deg.state.phase, 'Degraded');
  assert.is(brief(transition(roll, deg.state, { type: 'retry' }, 6).state), 'Progressing/steps/0/0');
});

it('a rollback rollout skips steps, analysis and bake, and ends RolledBack', () => {
  const rb = spec({ ...canary, rollback: true, backgroundFrom: 0, postPromotionAnalysis: true, bakeMs: 5000 });
  const r0 = begin(rb, 0);
  assert.is(brief(r0.state), 'Progressing/promoting/0/0');
  assert.equal(r0.effects, []);
  const end = transition(rb, r0.state, { type: 'ready' }, 10);
  assert.is(brief(end.state), 'RolledBack/done/0/100');
  assert.match(end.state.message, 'earlier revision');
  // aborted and retried: still a rollback
  const ab = transition(rb, r0.state, { type: 'abort', message: 'stop' }, 1);
  assert.is(transition(rb, ab.state, { type: 'retry' }, 2).state.stage, 'promoting');
  // a blue/green rollback goes straight to the switch; a rolling one rolls
  const bgr = spec({ strategy: 'blueGreen', rollback: true, prePromotionAnalysis: true });
  assert.is(begin(bgr, 0).state.stage, 'promoting');
  assert.is(transition(bgr, begin(bgr, 0).state, { type: 'promote', full: false }, 1).state.phase, 'RolledBack');
  const rr = spec({ strategy: 'rollingUpdate', rollback: true });
  assert.is(begin(rr, 0).state.stage, 'steps');
  assert.is(transition(rr, begin(rr, 0).state, { type: 'ready' }, 1).state.phase, 'RolledBack');
  // blue/green rollback: the preview-ready path skips the pre-promotion analysis
  const bgrSteps = transition(bgr, { ...begin(bgr, 0).state, stage: 'steps' }, { type: 'ready' }, 1);
  assert.is(bgrSteps.state.stage, 'promoting');
});

it.run();
