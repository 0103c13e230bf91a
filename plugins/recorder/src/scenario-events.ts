// What the recorder reads of the scenarios plugin's events. The recorder is independent of
// scenarios at run time — it only listens — so it imports the payload types of
// @understudy/plugin-scenarios' contract as types only (a devDependency: nothing of it is
// loaded), and checks each payload at run time, since any plugin may emit these types.
import type {
  ScenarioEndedEvent,
  ScenarioJumpedEvent,
  ScenarioSpeedEvent,
  ScenarioStartedEvent,
  ScenarioStepEvent,
  ScenarioWaypointEvent,
} from '@understudy/plugin-scenarios';

/** The run and times every scenario event carries (`at` scenario ms, `wallAt` kernel ms). */
export type RunRef = Pick<ScenarioStepEvent, 'scenario' | 'session' | 'at' | 'wallAt'>;
export type StepData = ScenarioStepEvent;
export type WaypointData = ScenarioWaypointEvent;
export type JumpData = ScenarioJumpedEvent;
export type SpeedData = ScenarioSpeedEvent | ScenarioStartedEvent;
export type EndedData = ScenarioEndedEvent;

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
