// What the recorder reads of the scenarios plugin's events. The recorder is independent of
// scenarios at run time: it only listens. These are structural subsets of the payloads in
// @understudy/plugin-scenarios' contract (ScenarioStartedEvent, ScenarioStepEvent, …),
// written here so the recorder builds and runs without that package, and checked at run
// time, since any plugin may emit an event of these types.

export interface RunRef {
  scenario: string;
  session: string;
  /** Scenario ms. */
  at: number;
  /** Kernel clock ms. */
  wallAt: number;
}
export interface StepData extends RunRef {
  step: string;
  waypoint?: string;
  narrative?: string;
  replayed?: boolean;
}
export interface WaypointData extends RunRef {
  waypoint: string;
  step: string;
  narrative?: string;
  replayed?: boolean;
}
export interface JumpData extends RunRef {
  from: number;
  kind: 'jump' | 'rewind';
  waypoint?: string;
}
export interface SpeedData extends RunRef {
  speed: number;
}
export interface EndedData extends RunRef {
  reason?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown) => typeof v === 'string';
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** A scenario event's run and times, or undefined when the payload is not one. */
export function runRef(data: unknown): RunRef | undefined {
  if (!isObject(data) || !str(data.scenario) || !num(data.at)) return undefined;
  return data as unknown as RunRef;
}

export const isStep = (d: unknown): d is StepData => !!runRef(d) && str((d as StepData).step);
export const isWaypoint = (d: unknown): d is WaypointData => !!runRef(d) && str((d as WaypointData).waypoint);
export const hasSpeed = (d: unknown): d is SpeedData => !!runRef(d) && num((d as SpeedData).speed) && (d as SpeedData).speed > 0;

/** The run key of an event: one take per scenario and session. */
export const runKey = (r: { scenario: string; session?: string }) => `${r.scenario}\u0000${r.session ?? 'default'}`;
