// One run of a script in one demo session, on the kernel clock. The run keeps a queue of
// actions (a step starting, a progression's tick, a recorded trigger when replaying)
// ordered by (scenario time, rank, tick): rank is the tie order the validator computed
// (dependencies first, then file order), so two runs of one script with one seed produce
// the same events in the same order. One kernel timer waits for the head of the queue;
// scenario time runs `speed` times faster than the kernel clock.
//
// Jump and rewind: going back restores the session snapshot taken at the start and replays
// every action up to the target (triggers of `on` steps are replayed at the scenario time
// and place in the order they first happened, not from live events); going forward
// applies the actions in between at once. Both mark the events they emit `replayed`.
import { isDeepStrictEqual } from 'node:util';
import type { Clock, PluginEvents, TimerHandle, UnderstudyEvent } from '@understudy/plugin-sdk';
import type { Sessions, SessionState } from '@understudy/plugin-personas';
import type { ScenarioRef } from './contract.js';
import { interpolate } from './easing.js';
import { ScenarioErrors } from './errors.js';
import { mergePatches, patchFor, readPath } from './field-path.js';
import type { CompiledScript, CompiledStep } from './script.js';

export type RunState = 'idle' | 'running' | 'paused' | 'ended';

export interface RunStatus {
  scenario: string;
  session: string;
  state: RunState;
  /** Scenario ms reached. */
  at: number;
  speed: number;
  lengthMs: number;
  stepsRun: number;
  steps: number;
  /** The last waypoint reached. */
  waypoint?: string;
  next?: { step: string; at: number };
  /** `on` steps listening for their event. */
  waitingFor: Array<{ step: string; event: string }>;
  errors: number;
  recentErrors: Array<{ step: string; at: number; code: string; message: string }>;
  startedAt?: number;
}

interface Action {
  t: number;
  rank: number;
  /** 0 for the step itself, k for its k-th tick. */
  sub: number;
  kind: 'step' | 'tick' | 'trigger';
  step: CompiledStep;
  trigger?: string;
}

export interface RunDeps {
  clock: Clock;
  events: PluginEvents;
  /** The `sessions` service when personas is loaded. */
  sessions: Sessions | undefined;
  /** Keep this many recent errors in the status (the count has them all). */
  maxErrors: number;
}

const isBefore = (a: Action, b: { t: number; rank: number; sub: number }) => a.t < b.t || (a.t === b.t && (a.rank < b.rank || (a.rank === b.rank && a.sub < b.sub)));

const codeOf = (err: unknown) => ((err as { code?: unknown }).code && typeof (err as { code: unknown }).code === 'string' ? (err as { code: string }).code : 'US_SCENARIO_STEP_FAILED');

export class Run {
  state: RunState = 'idle';
  speed: number;
  private queue: Action[] = [];
  /** Scenario ms at `anchorWall` (running), or where the run stands (otherwise). */
  private origin = 0;
  private anchorWall = 0;
  private timer: TimerHandle | undefined;
  private snapshot: SessionState | undefined;
  private readonly done = new Set<string>();
  private readonly completed = new Set<string>();
  /** `on` step → scenario ms and tie position at which its event came. */
  private triggered = new Map<string, { at: number; afterRank: number; event: string }>();
  private readonly fromValues = new Map<string, number>();
  /** Start values of a progression's linked fields. */
  private readonly linkedFrom = new Map<string, number[]>();
  /** Field values the run wrote, for progressions' start values when no sessions service is loaded. */
  private readonly shadow = new Map<string, number>();
  private last = { t: -1, rank: -1, sub: -1 };
  private current: Action | undefined;
  private processing = false;
  private replaying = false;
  private fastForward = false;
  private replayedSteps = 0;
  private unsubscribe: (() => void) | undefined;
  private lastWaypoint: string | undefined;
  private errorCount = 0;
  private recentErrors: RunStatus['recentErrors'] = [];
  private startedAt: number | undefined;
  private readonly onSteps: CompiledStep[];

  constructor(
    readonly script: CompiledScript,
    readonly session: string,
    private readonly deps: RunDeps,
    speed: number,
  ) {
    this.speed = speed;
    this.onSteps = script.steps.filter((s) => s.timing.kind === 'on');
  }

  private get ref(): ScenarioRef {
    return { scenario: this.script.name, session: this.session };
  }

  /** Scenario ms now. */
  scenarioNow(): number {
    return this.state === 'running' ? this.origin + (this.deps.clock.now() - this.anchorWall) * this.speed : this.origin;
  }

  private times(at: number) {
    return { at: Math.floor(at), wallAt: this.deps.clock.now() };
  }

  // ---- controls -------------------------------------------------------------------------

  start(speed = this.speed): void {
    if (this.state === 'running' || this.state === 'paused') throw this.wrongState('start', 'Stop it first, or rewind it.');
    this.speed = speed;
    this.snapshot = this.deps.sessions?.snapshot(this.session);
    this.triggered.clear();
    this.errorCount = 0;
    this.recentErrors = [];
    this.reset();
    this.startedAt = this.deps.clock.now();
    this.unsubscribe?.();
    this.unsubscribe = this.deps.events.subscribe((e) => this.onEvent(e));
    this.origin = 0;
    this.anchorWall = this.deps.clock.now();
    this.state = 'running';
    this.deps.events.emit('scenario.started', { ...this.ref, ...this.times(0), speed: this.speed, steps: this.script.steps.length, lengthMs: this.script.lengthMs });
    this.drain(0, Infinity);
    this.settle();
  }

  pause(): void {
    if (this.state !== 'running') throw this.wrongState('pause', this.state === 'paused' ? 'It is paused already; resume it.' : 'Start it first.');
    this.origin = this.scenarioNow();
    this.state = 'paused';
    this.clearTimer();
    this.deps.events.emit('scenario.paused', { ...this.ref, ...this.times(this.origin) });
  }

  resume(): void {
    if (this.state !== 'paused') throw this.wrongState('resume', this.state === 'running' ? 'It is running already.' : 'Start it first.');
    this.anchorWall = this.deps.clock.now();
    this.state = 'running';
    this.deps.events.emit('scenario.resumed', { ...this.ref, ...this.times(this.origin) });
    this.settle();
  }

  stop(): void {
    if (this.state !== 'running' && this.state !== 'paused') throw this.wrongState('stop', 'It is not running.');
    this.end('stopped');
  }

  setSpeed(speed: number): void {
    const previous = this.speed;
    if (this.state === 'running') {
      this.origin = this.scenarioNow();
      this.anchorWall = this.deps.clock.now();
    }
    this.speed = speed;
    if (this.state === 'idle' || this.state === 'ended') return;
    this.deps.events.emit('scenario.speed', { ...this.ref, ...this.times(this.scenarioNow()), speed, previous });
    this.settle();
  }

  /** Go to a waypoint: every earlier step applied, the waypoint's own step included. */
  jump(waypoint: string): void {
    const step = this.script.waypoints.get(waypoint)!;
    if (this.state === 'idle') {
      this.start();
      if ((this.state as RunState) === 'running') this.pause();
    }
    let t = step.offset;
    if (step.anchor !== 'start') {
      const trigger = this.triggered.get(step.anchor);
      if (!trigger) throw new ScenarioErrors.WAYPOINT_NOT_REACHED(waypoint, (this.script.byId.get(step.anchor)!.timing as { event: string }).event);
      t = trigger.at + step.offset;
    }
    const target = { t, rank: step.rank, sub: 0 };
    const from = this.scenarioNow();
    if (isBefore({ ...this.last, kind: 'step', step } as Action, target) && t >= from) {
      this.moveForward(target, from, 'jump', waypoint);
    } else {
      this.replayTo(target, from, 'jump', waypoint);
    }
  }

  /** Back to `to` scenario ms (0: the start): the start snapshot restored, steps up to `to` replayed. */
  rewind(to: number): void {
    if (this.state === 'idle') throw new ScenarioErrors.NOT_STARTED(this.script.name, this.session, 'rewind');
    const from = this.scenarioNow();
    if (to > from) throw new ScenarioErrors.REWIND_FORWARD(to, Math.floor(from));
    this.replayTo({ t: to, rank: Infinity, sub: Infinity }, from, 'rewind');
  }

  /** Stop without an event order change: on kernel stop. */
  dispose(): void {
    if (this.state === 'running' || this.state === 'paused') this.end('stopped');
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  status(): RunStatus {
    const head = this.queue.find((a) => a.kind === 'step');
    const waitingFor = this.state === 'running' || this.state === 'paused'
      ? this.onSteps.filter((s) => !this.triggered.has(s.id)).map((s) => ({ step: s.id, event: (s.timing as { event: string }).event }))
      : [];
    return {
      ...this.ref,
      state: this.state,
      at: Math.floor(this.scenarioNow()),
      speed: this.speed,
      lengthMs: this.script.lengthMs,
      stepsRun: this.done.size,
      steps: this.script.steps.length,
      ...(this.lastWaypoint !== undefined && { waypoint: this.lastWaypoint }),
      ...(head && { next: { step: head.step.id, at: head.t } }),
      waitingFor,
      errors: this.errorCount,
      recentErrors: [...this.recentErrors],
      ...(this.startedAt !== undefined && { startedAt: this.startedAt }),
    };
  }

  // ---- internals ------------------------------------------------------------------------

  private wrongState(what: string, fix: string) {
    return new ScenarioErrors.WRONG_STATE(this.script.name, this.session, this.state, what, fix);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fresh queue of the timed steps; nothing done. */
  private reset(): void {
    this.clearTimer();
    this.queue = [];
    this.done.clear();
    this.completed.clear();
    this.fromValues.clear();
    this.linkedFrom.clear();
    this.shadow.clear();
    this.last = { t: -1, rank: -1, sub: -1 };
    this.lastWaypoint = undefined;
    for (const step of this.script.steps) if (step.anchor === 'start') this.enqueueStep(step, step.offset);
  }

  private insert(action: Action): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (isBefore(this.queue[mid]!, action)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, action);
  }

  private enqueueStep(step: CompiledStep, t: number, trigger?: string): void {
    this.insert({ t, rank: step.rank, sub: 0, kind: 'step', step, ...(trigger && { trigger }) });
    step.progress?.ticks.forEach((tick, k) => this.insert({ t: t + tick, rank: step.rank, sub: k + 1, kind: 'tick', step }));
  }

  /** An `on` step's event came at scenario ms `at`: it and the steps after it join the queue. */
  private fire(onStep: CompiledStep, at: number, afterRank: number, event: string): void {
    this.triggered.set(onStep.id, { at, afterRank, event });
    for (const step of this.script.steps) if (step.anchor === onStep.id) this.enqueueStep(step, at + step.offset, step === onStep ? event : undefined);
  }

  private onEvent(e: UnderstudyEvent): void {
    if (this.state !== 'running' || this.replaying) return;
    const data = e.data as Record<string, unknown> | undefined;
    // events of another demo session do not move this one
    if (data && typeof data.session === 'string' && data.session !== this.session) return;
    let fired = false;
    for (const step of this.onSteps) {
      const timing = step.timing as { event: string; where?: Record<string, unknown> };
      if (timing.event !== e.type || this.triggered.has(step.id)) continue;
      if (!step.requires.every((r) => this.completed.has(r))) continue;
      if (timing.where && !Object.entries(timing.where).every(([k, v]) => isDeepStrictEqual(data?.[k], v))) continue;
      const at = this.current ? this.current.t : Math.floor(this.scenarioNow());
      this.fire(step, at, this.current ? this.current.rank : Infinity, e.type);
      fired = true;
    }
    // run what is due after the emitter's call returns (not inside it)
    if (fired && !this.processing) queueMicrotask(() => {
      if (this.state !== 'running') return;
      this.drain(this.scenarioNow(), Infinity);
      this.settle();
    });
  }

  /** Run every queued action up to (t, rank) inclusive. */
  private drain(t: number, rank: number, sub = Infinity): void {
    this.processing = true;
    try {
      while (this.queue.length && !isBefore({ t, rank, sub } as Action, this.queue[0]!)) {
        const action = this.queue.shift()!;
        this.current = action;
        this.last = { t: action.t, rank: action.rank, sub: action.sub };
        this.run(action);
      }
    } finally {
      this.current = undefined;
      this.processing = false;
    }
  }

  /** After actions ran while running: end when every step completed, else wait for the next. */
  private settle(): void {
    if (this.state !== 'running') return;
    this.clearTimer();
    if (this.queue.length === 0) {
      if (this.completed.size === this.script.steps.length) this.end('completed');
      return; // steps left wait for their events
    }
    const head = this.queue[0]!;
    const wait = Math.max(0, Math.ceil((head.t - this.scenarioNow()) / this.speed));
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      // never short of the head because of float rounding of speed
      this.drain(Math.max(this.scenarioNow(), head.t), Infinity);
      this.settle();
    }, wait);
  }

  private end(reason: 'completed' | 'stopped'): void {
    this.clearTimer();
    // completed: at the last action's scheduled time, not where a rounded-up timer left the clock
    this.origin = reason === 'completed' ? Math.max(0, this.last.t) : this.scenarioNow();
    this.state = 'ended';
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.deps.events.emit('scenario.ended', { ...this.ref, ...this.times(this.origin), reason, stepsRun: this.done.size, errors: this.errorCount });
  }

  private recordError(step: CompiledStep, at: number, err: unknown): { code: string; message: string } {
    const error = { code: codeOf(err), message: (err as Error).message ?? String(err) };
    this.errorCount++;
    this.recentErrors.push({ step: step.id, at, ...error });
    if (this.recentErrors.length > this.deps.maxErrors) this.recentErrors.shift();
    return error;
  }

  private write(step: CompiledStep, entity: { industry: string; plural: string; id: string; key: string }, changes: Record<string, unknown>): void {
    const sessions = this.deps.sessions;
    if (sessions) sessions.patch(this.session, entity.industry, entity.plural, entity.id, changes, `scenario:${this.script.name}/${step.id}`);
  }

  private run(action: Action): void {
    const { step } = action;
    const replayed = this.fastForward ? { replayed: true as const } : {};
    if (action.kind === 'trigger') {
      if (!this.triggered.has(step.id)) this.fire(step, action.t, action.rank - 0.5, action.trigger!);
      return;
    }
    if (action.kind === 'tick') {
      const p = step.progress!;
      const tick = p.ticks[action.sub - 1]!;
      const from = this.fromValues.get(step.id)!;
      const value = interpolate(from, p.to, tick / p.over, p.easing, p.decimals);
      const factor = 10 ** p.decimals;
      const linked = p.linked.map((l, i) => ({ field: l.field, value: Math.round((this.linkedFrom.get(step.id)![i]! + l.scale * (value - from)) * factor) / factor }));
      let error: { code: string; message: string } | undefined;
      try {
        this.write(step, p.entity, linked.reduce((patch, l) => mergePatches(patch, patchFor(l.field, l.value)), patchFor(p.field, value)));
        this.shadow.set(`${p.entity.key}#${p.field}`, value);
        for (const l of linked) this.shadow.set(`${p.entity.key}#${l.field}`, l.value);
      } catch (err) {
        error = this.recordError(step, action.t, err);
      }
      this.deps.events.emit('scenario.progress', {
        ...this.ref, ...this.times(action.t), step: step.id, entity: p.entity.key, field: p.field, value, tick: action.sub, ticks: p.ticks.length,
        ...(linked.length && { with: Object.fromEntries(linked.map((l) => [l.field, l.value])) }), ...replayed, ...(error && { error }),
      });
      if (action.sub === p.ticks.length) this.completed.add(step.id);
      return;
    }
    this.done.add(step.id);
    if (this.fastForward) this.replayedSteps++;
    let error: { code: string; message: string } | undefined;
    if (step.set) {
      try {
        this.write(step, step.set.entity, step.set.changes);
        for (const [field, value] of Object.entries(step.set.changes)) if (typeof value === 'number') this.shadow.set(`${step.set.entity.key}#${field}`, value);
      } catch (err) {
        error = this.recordError(step, action.t, err);
      }
    }
    let progress: { entity: string; field: string; from: number; to: number; over: number } | undefined;
    if (step.progress) {
      const p = step.progress;
      const start = (field: string) => this.readNumber(p.entity, field) ?? this.shadow.get(`${p.entity.key}#${field}`) ?? 0;
      const from = p.from ?? start(p.field);
      this.fromValues.set(step.id, from);
      this.linkedFrom.set(step.id, p.linked.map((l) => start(l.field)));
      progress = { entity: p.entity.key, field: p.field, from, to: p.to, over: p.over };
    }
    if (step.emit) (this.deps.events.emit as (type: string, data: unknown) => void)(step.emit.type, step.emit.data);
    if (step.waypoint !== undefined) this.lastWaypoint = step.waypoint;
    this.deps.events.emit('scenario.step', {
      ...this.ref,
      ...this.times(action.t),
      step: step.id,
      index: step.index,
      ...(step.waypoint !== undefined && { waypoint: step.waypoint }),
      ...(step.narrative !== undefined && { narrative: step.narrative }),
      ...(step.set && { set: { entity: step.set.entity.key, changes: step.set.changes } }),
      ...(progress && { progress }),
      ...(step.emit && { emitted: step.emit.type }),
      ...(action.trigger && { trigger: action.trigger }),
      ...replayed,
      ...(error && { error }),
    });
    if (step.waypoint !== undefined) {
      this.deps.events.emit('scenario.waypoint', {
        ...this.ref, ...this.times(action.t), waypoint: step.waypoint, step: step.id, ...(step.narrative !== undefined && { narrative: step.narrative }), ...replayed,
      });
    }
    if (!step.progress) this.completed.add(step.id);
  }

  /** The field's number in the session, when a sessions service is loaded and has it. */
  private readNumber(entity: { industry: string; plural: string; id: string }, field: string): number | undefined {
    try {
      const value = readPath(this.deps.sessions?.get(this.session, entity.industry, entity.plural, entity.id), field);
      return typeof value === 'number' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private moveForward(target: { t: number; rank: number; sub: number }, from: number, kind: 'jump' | 'rewind', waypoint?: string): void {
    this.replayedSteps = 0;
    this.fastForward = true;
    try {
      this.drain(target.t, target.rank, target.sub);
    } finally {
      this.fastForward = false;
    }
    this.land(target.t, from, kind, waypoint);
  }

  private replayTo(target: { t: number; rank: number; sub: number }, from: number, kind: 'jump' | 'rewind', waypoint?: string): void {
    this.clearTimer();
    if (this.snapshot && this.deps.sessions) this.deps.sessions.restore(this.session, this.snapshot);
    const kept = [...this.triggered].filter(([, tr]) => tr.at < target.t || (tr.at === target.t && tr.afterRank < target.rank));
    this.triggered = new Map();
    this.reset();
    for (const [id, tr] of kept) this.insert({ t: tr.at, rank: tr.afterRank + 0.5, sub: 0, kind: 'trigger', step: this.script.byId.get(id)!, trigger: tr.event });
    this.replayedSteps = 0;
    this.replaying = true;
    this.fastForward = true;
    try {
      this.drain(target.t, target.rank, target.sub);
    } finally {
      this.replaying = false;
      this.fastForward = false;
    }
    this.land(target.t, from, kind, waypoint);
  }

  private land(t: number, from: number, kind: 'jump' | 'rewind', waypoint?: string): void {
    const wasRunning = this.state === 'running';
    if (this.state === 'ended') {
      this.unsubscribe = this.deps.events.subscribe((e) => this.onEvent(e));
    }
    this.origin = t;
    this.anchorWall = this.deps.clock.now();
    this.state = wasRunning ? 'running' : 'paused';
    this.deps.events.emit('scenario.jumped', { ...this.ref, ...this.times(t), from: Math.floor(from), kind, ...(waypoint !== undefined && { waypoint }), replayed: this.replayedSteps });
    this.settle();
  }
}
