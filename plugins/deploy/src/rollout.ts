// The rollout state machine, as pure transitions: `begin(spec, now)` and
// `transition(spec, state, input, now)` return the next state, the effects the controller
// carries out (start or stop an analysis, set or clear the one timer) and the events to
// emit. Nothing here reads the cluster or a clock: the controller (controller.ts) turns
// what it observes into inputs (`ready`: the stage's instances are available; `timer`;
// `analysis` results; `failure`: readiness or the progress deadline) and user actions
// (promote, abort, retry) into the others. Argo Rollouts' semantics:
//   - canary: steps in order (setWeight waits for its instances, pause {duration} or
//     until promoted, analysis, setHeaderRoute), then the promotion (the canary scaled to
//     full, all traffic to it), then an optional bake (post-promotion analysis and/or
//     bakeSeconds) during which a failure still rolls back;
//   - blueGreen: the preview scaled and Ready, pre-promotion analysis, then a pause
//     (autoPromotionEnabled false, or autoPromotionSeconds), the promotion (the active
//     switch), then the bake (post-promotion analysis);
//   - rollingUpdate: one stage until the update is complete (the replica arithmetic is
//     rolling.ts's);
//   - promote moves past the current stage (a pause, an inconclusive or running analysis),
//     promote --full skips the remaining steps and analyses; pause (Argo's `kubectl argo
//     rollouts pause`, spec.paused) holds the rollout where it is: timers and analysis
//     results that would move it on wait until resume replays them (promote lifts the pause
//     and moves past the stage, as Argo's does), while a failure still fails it; abort (or a failure with
//     onFailure rollback) gives the stable all the traffic again: Aborted before the
//     promotion, RolledBack after it; with onFailure freeze a failure holds everything
//     where it is: Degraded, until promote, abort or retry. A rollback rollout (to an
//     earlier revision) skips steps and analysis (Argo's rollbackWindow) and ends RolledBack.
import type { AnalysisKind, AnalysisPhase, RolloutPhase, RouteMatch, StrategyName } from './contract.js';

/** A canary step as the machine sees it (config.ts parses the user's steps into these). */
export type Step =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'pause'; durationMs?: number }
  | { kind: 'analysis' }
  | { kind: 'setHeaderRoute'; name: string; match?: RouteMatch[] };

export interface MachineSpec {
  strategy: StrategyName;
  /** Canary steps (empty for the other strategies). */
  steps: Step[];
  /** Canary: the step a background analysis starts at (undefined: none). */
  backgroundFrom?: number;
  prePromotionAnalysis: boolean;
  postPromotionAnalysis: boolean;
  /** Blue/green. */
  autoPromotionEnabled: boolean;
  autoPromotionMs?: number;
  bakeMs: number;
  onFailure: 'rollback' | 'freeze';
  /** A rollback to an earlier revision: no steps, no analysis, no bake. */
  rollback: boolean;
}

/**
 * - `steps`: canary steps (stepIndex), the blue/green preview being scaled, the rolling update;
 * - `prePromotion`: blue/green pre-promotion analysis; `awaitPromotion`: its pause;
 * - `promoting`: the new version scaled to full, then all traffic to it;
 * - `bake`: promoted; the previous version still runs and can take the traffic back;
 * - `done`: finished (Healthy or RolledBack), or ended (Aborted).
 */
export type Stage = 'steps' | 'prePromotion' | 'awaitPromotion' | 'promoting' | 'bake' | 'done';

export type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysis' | 'Frozen' | 'ManualPause';

/** A manual pause over the state it holds: what the rollout was, and the inputs that came meanwhile. */
export interface ManualPause {
  since: number;
  phase: RolloutPhase;
  pause?: RolloutState['pause'];
  message: string;
  /** Timers and analysis results (Successful, Inconclusive) that arrived while paused; resume replays them in order. */
  deferred: Input[];
}

export type FailureCause = 'analysis' | 'readiness' | 'deadline';

export interface RolloutState {
  phase: RolloutPhase;
  stage: Stage;
  stepIndex: number;
  /** Share of traffic (0..100) the new version gets now. */
  weight: number;
  /** The new version took the traffic over (bake or done). */
  promoted: boolean;
  /** Active header routes by name (setHeaderRoute). */
  headerRoutes: Record<string, RouteMatch[]>;
  pause?: { reason: PauseReason; since: number; until?: number };
  /** Bake: what is still awaited. */
  bake?: { timer: boolean; analysis: boolean };
  backgroundStarted: boolean;
  failure?: { cause: FailureCause; message: string };
  /** Paused by hand (the `pause` input) until resume or promote. */
  manual?: ManualPause;
  message: string;
}

export type Input =
  | { type: 'ready' }
  | { type: 'timer' }
  | { type: 'analysis'; kind: AnalysisKind; phase: AnalysisPhase; message?: string }
  | { type: 'failure'; cause: 'readiness' | 'deadline'; message: string }
  | { type: 'promote'; full: boolean }
  | { type: 'abort'; message: string }
  | { type: 'retry' }
  | { type: 'pause'; message: string }
  | { type: 'resume' };

export type Effect =
  | { kind: 'startAnalysis'; analysis: AnalysisKind; stepIndex?: number }
  /** Terminate the running step / pre- / post-promotion analysis (`all`: the background one too). */
  | { kind: 'stopAnalysis'; all: boolean }
  | { kind: 'setTimer'; at: number }
  | { kind: 'clearTimer' };

export type Note =
  | 'started'
  | 'stepChanged'
  | 'weightChanged'
  | 'paused'
  | 'resumed'
  | 'promoted'
  | 'completed'
  | 'aborted'
  | 'rolledBack'
  | 'degraded'
  | 'retried';

export interface Result {
  state: RolloutState;
  effects: Effect[];
  notes: Note[];
  /** Set when the input does not apply in this state (the caller answers 409); state unchanged. */
  refused?: string;
}

interface Draft {
  s: RolloutState;
  effects: Effect[];
  notes: Note[];
}

const clone = (s: RolloutState): RolloutState => ({
  ...s,
  headerRoutes: { ...s.headerRoutes },
  pause: s.pause && { ...s.pause },
  bake: s.bake && { ...s.bake },
  manual: s.manual && { ...s.manual, deferred: [...s.manual.deferred] },
});

/** The first state of a rollout, and what to do at once. */
export function begin(spec: MachineSpec, now: number): Result {
  const d: Draft = {
    s: { phase: 'Progressing', stage: 'steps', stepIndex: 0, weight: 0, promoted: false, headerRoutes: {}, backgroundStarted: false, message: '' },
    effects: [],
    notes: ['started'],
  };
  if (spec.rollback && spec.strategy !== 'rollingUpdate') enterPromoting(d);
  else enterSteps(spec, d, now);
  return done(d);
}

function done(d: Draft): Result {
  return { state: d.s, effects: d.effects, notes: d.notes };
}

function refuse(state: RolloutState, why: string): Result {
  return { state, effects: [], notes: [], refused: why };
}

function progressing(d: Draft, message: string): void {
  if (d.s.phase === 'Paused') d.notes.push('resumed');
  d.s.phase = 'Progressing';
  d.s.pause = undefined;
  d.s.message = message;
}

function pauseFor(d: Draft, reason: PauseReason, now: number, message: string, until?: number): void {
  d.s.phase = 'Paused';
  d.s.pause = { reason, since: now, until };
  d.s.message = message;
  d.notes.push('paused');
  if (until !== undefined) d.effects.push({ kind: 'setTimer', at: until });
}

/** Enter the current step (canary), or the steps stage of the other strategies; instant steps run on. */
function enterSteps(spec: MachineSpec, d: Draft, now: number): void {
  const s = d.s;
  s.stage = 'steps';
  if (spec.strategy === 'rollingUpdate') return progressing(d, 'rolling update: waiting for the new instances');
  if (spec.strategy === 'blueGreen') return progressing(d, 'waiting for the preview to be available');
  for (;;) {
    if (!s.backgroundStarted && spec.backgroundFrom !== undefined && s.stepIndex >= spec.backgroundFrom && !spec.rollback) {
      s.backgroundStarted = true;
      d.effects.push({ kind: 'startAnalysis', analysis: 'background' });
    }
    const step = spec.steps[s.stepIndex];
    if (!step) return enterPromoting(d);
    switch (step.kind) {
      case 'setWeight':
        return progressing(d, `step ${s.stepIndex}: setWeight ${step.weight}: waiting for the canary instances`);
      case 'pause':
        if (step.durationMs === undefined) return pauseFor(d, 'CanaryPauseStep', now, `step ${s.stepIndex}: paused until promoted`);
        return pauseFor(d, 'CanaryPauseStep', now, `step ${s.stepIndex}: paused for ${step.durationMs / 1000} s`, now + step.durationMs);
      case 'analysis':
        d.effects.push({ kind: 'startAnalysis', analysis: 'step', stepIndex: s.stepIndex });
        return progressing(d, `step ${s.stepIndex}: analysis running`);
      case 'setHeaderRoute':
        if (step.match?.length) s.headerRoutes[step.name] = step.match;
        else delete s.headerRoutes[step.name];
        s.stepIndex++;
        d.notes.push('stepChanged');
    }
  }
}

function nextStep(spec: MachineSpec, d: Draft, now: number): void {
  d.s.stepIndex++;
  d.notes.push('stepChanged');
  enterSteps(spec, d, now);
}

function enterPromoting(d: Draft): void {
  d.s.stage = 'promoting';
  progressing(d, 'promoting: scaling the new version to full');
}

function enterPrePromotion(spec: MachineSpec, d: Draft, now: number): void {
  if (spec.prePromotionAnalysis && !spec.rollback) {
    d.s.stage = 'prePromotion';
    d.effects.push({ kind: 'startAnalysis', analysis: 'prePromotion' });
    return progressing(d, 'pre-promotion analysis running');
  }
  enterAwait(spec, d, now);
}

function enterAwait(spec: MachineSpec, d: Draft, now: number): void {
  d.s.stage = 'awaitPromotion';
  if (!spec.autoPromotionEnabled) return pauseFor(d, 'BlueGreenPause', now, 'preview ready: paused until promoted');
  if (spec.autoPromotionMs !== undefined) return pauseFor(d, 'BlueGreenPause', now, `preview ready: promoting in ${spec.autoPromotionMs / 1000} s`, now + spec.autoPromotionMs);
  enterPromoting(d);
}

/** The new version has all the traffic: bake, or finish. */
function promoted(spec: MachineSpec, d: Draft, now: number): void {
  const s = d.s;
  s.promoted = true;
  if (s.weight !== 100) d.notes.push('weightChanged');
  s.weight = 100;
  d.notes.push('promoted');
  const analysis = spec.postPromotionAnalysis && !spec.rollback;
  const timer = spec.bakeMs > 0 && !spec.rollback;
  if (!analysis && !timer) return finish(spec, d);
  s.stage = 'bake';
  s.bake = { timer, analysis };
  if (analysis) d.effects.push({ kind: 'startAnalysis', analysis: 'postPromotion' });
  if (timer) d.effects.push({ kind: 'setTimer', at: now + spec.bakeMs });
  progressing(d, 'promoted: baking (the previous version can still take the traffic back)');
}

function finish(spec: MachineSpec, d: Draft): void {
  const s = d.s;
  s.stage = 'done';
  s.bake = undefined;
  s.pause = undefined;
  s.failure = undefined;
  s.headerRoutes = {};
  s.phase = spec.rollback ? 'RolledBack' : 'Healthy';
  s.message = spec.rollback ? 'rolled back: the earlier revision is stable' : 'the new version is stable';
  d.effects.push({ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' });
  d.notes.push('completed');
}

/** Give the stable the traffic back: Aborted before the promotion, RolledBack after it. */
function stop(d: Draft, message: string): void {
  const s = d.s;
  const after = s.promoted;
  s.stage = 'done';
  s.phase = after ? 'RolledBack' : 'Aborted';
  s.pause = undefined;
  s.manual = undefined;
  s.bake = undefined;
  s.promoted = false;
  s.headerRoutes = {};
  if (s.weight !== 0) d.notes.push('weightChanged');
  s.weight = 0;
  s.message = message;
  d.effects.push({ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' });
  d.notes.push(after ? 'rolledBack' : 'aborted');
}

function fail(spec: MachineSpec, d: Draft, cause: FailureCause, message: string, now: number): void {
  d.s.failure = { cause, message };
  d.s.manual = undefined;
  if (spec.onFailure === 'rollback') return stop(d, `${cause} failed: ${message}`);
  d.s.phase = 'Degraded';
  d.s.pause = { reason: 'Frozen', since: now };
  d.s.message = `frozen after ${cause} failed: ${message} (promote, abort or retry)`;
  d.effects.push({ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' });
  d.notes.push('degraded');
}

/** Move past the current stage (promote, or an inconclusive analysis promoted). */
function advance(spec: MachineSpec, d: Draft, now: number): void {
  const s = d.s;
  switch (s.stage) {
    case 'steps':
      if (spec.strategy === 'canary') return nextStep(spec, d, now);
      return enterPrePromotion(spec, d, now);
    case 'prePromotion':
      return enterAwait(spec, d, now);
    case 'awaitPromotion':
      return enterPromoting(d);
    case 'promoting':
      return promoted(spec, d, now);
    default:
      return finish(spec, d);
  }
}

const ACTIVE = new Set<RolloutPhase>(['Progressing', 'Paused', 'Degraded']);

export function transition(spec: MachineSpec, state: RolloutState, input: Input, now: number): Result {
  const d: Draft = { s: clone(state), effects: [], notes: [] };
  const s = d.s;
  switch (input.type) {
    case 'ready': {
      if (s.phase !== 'Progressing') return done(d);
      if (s.stage === 'promoting') {
        promoted(spec, d, now);
        return done(d);
      }
      if (s.stage !== 'steps') return done(d);
      if (spec.strategy === 'canary') {
        const step = spec.steps[s.stepIndex]!;
        if (step.kind !== 'setWeight') return done(d);
        if (s.weight !== step.weight) d.notes.push('weightChanged');
        s.weight = step.weight;
        nextStep(spec, d, now);
        return done(d);
      }
      if (spec.strategy === 'rollingUpdate') {
        s.promoted = true;
        s.weight = 100;
        d.notes.push('promoted');
        finish(spec, d);
        return done(d);
      }
      enterPrePromotion(spec, d, now);
      return done(d);
    }
    case 'timer':
      if (s.manual) s.manual.deferred.push(input);
      else if (s.phase === 'Paused' && s.pause?.until !== undefined && s.pause.until <= now) {
        s.pause = undefined;
        advance(spec, d, now);
      } else if (s.phase === 'Progressing' && s.stage === 'bake' && s.bake!.timer) {
        s.bake!.timer = false;
        if (!s.bake!.analysis) finish(spec, d);
      }
      return done(d);
    case 'analysis':
      return analysis(spec, d, input, now);
    case 'failure':
      if (s.phase !== 'Progressing' && s.phase !== 'Paused') return done(d);
      fail(spec, d, input.cause, input.message, now);
      return done(d);
    case 'promote': {
      if (!ACTIVE.has(s.phase)) return refuse(state, `the rollout is ${s.phase}: there is nothing to promote`);
      if (spec.strategy === 'rollingUpdate' && !input.full) return refuse(state, 'a rolling update has no steps to promote past (promote --full to finish it at once)');
      if (s.phase === 'Degraded') s.failure = undefined;
      s.manual = undefined;
      d.notes.push('resumed');
      s.phase = 'Progressing';
      s.pause = undefined;
      d.effects.push({ kind: 'stopAnalysis', all: input.full }, { kind: 'clearTimer' });
      if (input.full) {
        if (spec.strategy === 'rollingUpdate') {
          s.stage = 'promoting';
          s.message = 'promoted --full: replacing every instance at once';
        } else if (s.stage === 'bake') finish(spec, d);
        else if (s.stage !== 'promoting') enterPromoting(d);
      } else advance(spec, d, now);
      return done(d);
    }
    case 'abort':
      if (!ACTIVE.has(s.phase)) return refuse(state, `the rollout is ${s.phase}: there is nothing to abort`);
      stop(d, `aborted: ${input.message}`);
      return done(d);
    case 'retry':
      if (s.phase !== 'Aborted' && s.phase !== 'Degraded') return refuse(state, `the rollout is ${s.phase}: only an Aborted or Degraded rollout can be retried`);
      d.notes.push('retried');
      s.failure = undefined;
      s.pause = undefined;
      if (s.promoted) {
        // frozen during the bake: bake again
        s.stage = 'promoting';
        s.phase = 'Progressing';
        promoted(spec, d, now);
        return done(d);
      }
      s.stepIndex = 0;
      s.weight = 0;
      s.headerRoutes = {};
      s.backgroundStarted = false;
      d.effects.push({ kind: 'stopAnalysis', all: true }, { kind: 'clearTimer' });
      s.phase = 'Progressing';
      if (spec.rollback && spec.strategy !== 'rollingUpdate') enterPromoting(d);
      else enterSteps(spec, d, now);
      return done(d);
    case 'pause':
      if (s.manual) return refuse(state, 'the rollout is paused by hand already (resume, or promote to move past the current step)');
      if (s.phase !== 'Progressing' && s.phase !== 'Paused') {
        return refuse(state, s.phase === 'Degraded' ? 'the rollout is Degraded (frozen after a failure) and holds already: promote, abort or retry it' : `the rollout is ${s.phase}: there is nothing to pause`);
      }
      s.manual = { since: now, phase: s.phase, pause: s.pause, message: s.message, deferred: [] };
      s.phase = 'Paused';
      s.pause = { reason: 'ManualPause', since: now };
      s.message = `${input.message} (resume to go on, promote to move past the current step, abort to roll back)`;
      d.notes.push('paused');
      return done(d);
    case 'resume':
      return resume(spec, d, state, now);
  }
}

/** Lift a manual pause: back to the state it held, then the inputs that came meanwhile, in order. */
function resume(spec: MachineSpec, d: Draft, state: RolloutState, now: number): Result {
  const held = d.s.manual;
  if (!held) return refuse(state, state.phase === 'Paused' ? `the rollout is paused by its ${state.pause!.reason}, not by hand: promote moves past it` : `the rollout is ${state.phase}, not paused by hand: there is nothing to resume`);
  d.s.manual = undefined;
  d.s.phase = held.phase;
  d.s.pause = held.pause;
  d.s.message = held.message;
  for (const input of held.deferred) {
    const r = transition(spec, d.s, input, now);
    d.s = r.state;
    d.effects.push(...r.effects);
    d.notes.push(...r.notes);
  }
  if (!d.notes.includes('resumed')) d.notes.unshift('resumed');
  return done(d);
}

/** Which analysis the current stage waits for. */
function awaited(spec: MachineSpec, s: RolloutState): AnalysisKind | undefined {
  if (s.stage === 'steps' && spec.steps[s.stepIndex]?.kind === 'analysis') return 'step';
  if (s.stage === 'prePromotion') return 'prePromotion';
  if (s.stage === 'bake' && s.bake!.analysis) return 'postPromotion';
  return undefined;
}

function analysis(spec: MachineSpec, d: Draft, input: Extract<Input, { type: 'analysis' }>, now: number): Result {
  const s = d.s;
  if (s.phase !== 'Progressing' && s.phase !== 'Paused') return done(d);
  const current = input.kind === 'background' || awaited(spec, s) === input.kind;
  if (!current) return done(d);
  const why = input.message ?? `${input.kind} analysis ${input.phase}`;
  if (s.manual && (input.phase === 'Successful' || input.phase === 'Inconclusive')) {
    s.manual.deferred.push(input);
    return done(d);
  }
  switch (input.phase) {
    case 'Failed':
    case 'Error':
      fail(spec, d, 'analysis', why, now);
      return done(d);
    case 'Inconclusive':
      d.effects.push({ kind: 'clearTimer' });
      pauseFor(d, 'InconclusiveAnalysis', now, `${input.kind} analysis inconclusive: ${why} (promote to go on, abort to roll back)`);
      return done(d);
    case 'Successful':
      if (input.kind === 'background') return done(d);
      if (s.stage === 'bake') {
        s.bake!.analysis = false;
        if (!s.bake!.timer) finish(spec, d);
        return done(d);
      }
      advance(spec, d, now);
      return done(d);
    default:
      return done(d);
  }
}
