// The scenarios plugin's contract: the `scenarios` service, the events it emits (every
// step, waypoint and change of state of a run), and their declaration in the kernel's
// Services and EventMap. The recorder and the demo preset import these types only.
import type { ScenarioService } from './service.js';

export type { ScenarioService } from './service.js';
export type { Command, CommandName } from './commands.js';
export type { RunState, RunStatus } from './runner.js';
export type { ScriptSummary, ScriptDetail, TimelineEntry } from './views.js';
export type { Problem, ScriptInput, StepInput } from './script.js';

/** What every scenario event carries: which script, in which demo session. */
export interface ScenarioRef {
  scenario: string;
  session: string;
}

/** Times: `at` is scenario ms (from the start of the run), `wallAt` kernel clock ms. */
export interface ScenarioTimes {
  at: number;
  wallAt: number;
}

export interface ScenarioStartedEvent extends ScenarioRef, ScenarioTimes {
  speed: number;
  steps: number;
  /** End of the last timed step, in scenario ms (steps after events excluded). */
  lengthMs: number;
}

export interface ScenarioStepEvent extends ScenarioRef, ScenarioTimes {
  step: string;
  /** Position of the step in the script (0-based). */
  index: number;
  waypoint?: string;
  narrative?: string;
  /** The `set` applied: entity (`finance/accounts/7`) and its changes. */
  set?: { entity: string; changes: Record<string, unknown> };
  /** A progression starting: its entity, field and values. */
  progress?: { entity: string; field: string; from: number; to: number; over: number };
  /** Type of the event the step emitted. */
  emitted?: string;
  /** The event that triggered an `on` step. */
  trigger?: string;
  /** True when applied by a jump or a rewind rather than in time. */
  replayed?: boolean;
  /** Set when a data change was refused (the run goes on). */
  error?: { code: string; message: string };
}

export interface ScenarioProgressEvent extends ScenarioRef, ScenarioTimes {
  step: string;
  entity: string;
  field: string;
  value: number;
  /** Linked fields (`progress.with`) and their new values. */
  with?: Record<string, number>;
  /** 1-based tick number, of `ticks`. */
  tick: number;
  ticks: number;
  replayed?: boolean;
  error?: { code: string; message: string };
}

export interface ScenarioWaypointEvent extends ScenarioRef, ScenarioTimes {
  waypoint: string;
  step: string;
  narrative?: string;
  replayed?: boolean;
}

export interface ScenarioStateEvent extends ScenarioRef, ScenarioTimes {}

export interface ScenarioEndedEvent extends ScenarioRef, ScenarioTimes {
  /** `completed`: every step ran; `stopped`: by a command (or the kernel stopping). */
  reason: 'completed' | 'stopped';
  stepsRun: number;
  errors: number;
}

export interface ScenarioJumpedEvent extends ScenarioRef, ScenarioTimes {
  /** Scenario ms before the jump (`at` is where it landed). */
  from: number;
  kind: 'jump' | 'rewind';
  waypoint?: string;
  /** Steps applied on the way. */
  replayed: number;
}

export interface ScenarioSpeedEvent extends ScenarioRef, ScenarioTimes {
  speed: number;
  previous: number;
}

export interface ScenarioLoadedEvent {
  scenario: string;
  source: string;
  steps: number;
  waypoints: string[];
}

declare module '@understudy/kernel' {
  interface Services {
    scenarios: ScenarioService;
  }
  interface EventMap {
    'scenario.loaded': ScenarioLoadedEvent;
    'scenario.removed': { scenario: string };
    'scenario.started': ScenarioStartedEvent;
    'scenario.step': ScenarioStepEvent;
    'scenario.progress': ScenarioProgressEvent;
    'scenario.waypoint': ScenarioWaypointEvent;
    'scenario.paused': ScenarioStateEvent;
    'scenario.resumed': ScenarioStateEvent;
    'scenario.jumped': ScenarioJumpedEvent;
    'scenario.speed': ScenarioSpeedEvent;
    'scenario.ended': ScenarioEndedEvent;
  }
}
