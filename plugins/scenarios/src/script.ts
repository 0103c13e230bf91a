// What a scenario script is: as written (YAML or JSON, `ScriptInput`), and as compiled by
// the validator (`CompiledScript`): every step with its anchor, offset, rank and writes, so
// the runner never re-derives timing and every problem was found before anything ran.
import type { Easing } from './easing.js';
import type { DraftStep } from './structure.js';

export interface EntityRefInput {
  /** `industry/plural/id`, e.g. `finance/accounts/7`. */
  entity: string;
}

export interface StepInput {
  id?: string;
  /** Scenario time of the step (`90s`), from the start. */
  at?: string | number;
  /** Runs when that step has completed (a progression completes at its end), plus `delay`. */
  after?: string;
  /** Runs when an event of this type is emitted while the scenario runs, plus `delay`. */
  on?: string;
  /** With `on`: only events whose data has these values (shallow, exact). */
  where?: Record<string, unknown>;
  delay?: string | number;
  /** Steps that must have completed before this one runs (checked by the validator). */
  requires?: string | string[];
  waypoint?: string;
  narrative?: string;
  set?: EntityRefInput & { changes: Record<string, unknown> };
  progress?: EntityRefInput & {
    field: string;
    to: number;
    from?: number;
    over: string | number;
    every?: string | number;
    easing?: Easing;
    decimals?: number;
    /** Fields that move with the value: each by `scale` × the value's change (debits rise as a balance falls). */
    with?: Array<{ field: string; scale?: number }>;
  };
  emit?: { type: string; data?: unknown };
}

export interface ScriptInput {
  name: string;
  description?: string;
  session?: string;
  steps: StepInput[];
}

export interface EntityRef {
  industry: string;
  plural: string;
  id: string;
  /** `industry/plural/id` as written. */
  key: string;
}

export type Timing =
  | { kind: 'at'; ms: number }
  | { kind: 'after'; step: string; delay: number }
  | { kind: 'on'; event: string; where?: Record<string, unknown>; delay: number };

export interface Progression {
  entity: EntityRef;
  /** Dotted path inside the entity (`balance.amount`). */
  field: string;
  to: number;
  from?: number;
  over: number;
  every: number;
  easing: Easing;
  decimals: number;
  /** Tick times relative to the step's start: every, 2·every, …, over. */
  ticks: number[];
  /** Fields that move with it, each by `scale` × the change of the value (an invariant kept: balance = opening + credits − debits). */
  linked: Array<{ field: string; scale: number }>;
}

/** A checked step (see structure.ts's DraftStep, `path` = `steps[3]`), its time resolved. */
export interface CompiledStep extends Omit<DraftStep, 'timing'> {
  timing: Timing;
  /** `start`, or the id of the `on` step whose event this step's time is counted from. */
  anchor: string;
  /** ms after the anchor (after the start, or after the anchor's event). */
  offset: number;
  /** ms the step lasts (a progression's `over`; 0 otherwise). */
  duration: number;
  /** Position in the tie order: at one moment, lower ranks run first (see README "Ties"). */
  rank: number;
}

export interface CompiledScript {
  name: string;
  description?: string;
  session: string;
  steps: CompiledStep[];
  byId: Map<string, CompiledStep>;
  /** Waypoint name → its step. */
  waypoints: Map<string, CompiledStep>;
  /** End of the last step counted from the start (steps after events excluded). */
  lengthMs: number;
  /** The input, as given (for GET and for reloading). */
  input: ScriptInput;
  /** Where it came from: a file path, `config`, `api`. */
  source: string;
}

export interface Problem {
  /** `steps[3].after` */
  path: string;
  /** Stable kind, for tools and tests. */
  kind: 'schema' | 'duration' | 'duplicate-id' | 'duplicate-waypoint' | 'unknown-step' | 'cycle' | 'before-prerequisite' | 'unordered-prerequisite' | 'timing-conflict' | 'unknown-entity' | 'limit';
  message: string;
  /** Other paths the problem involves (the other side of a conflict, the steps of a cycle). */
  related?: string[];
  /** `line:column` in the YAML source, when known. */
  at?: string;
}
