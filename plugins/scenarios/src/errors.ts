// Every error the scenarios plugin raises (REST answers and WebSocket error messages carry
// the same codes). Codes are stable (`US_SCENARIO_…`); each message says how to fix it.
import { defineError } from '@understudy/plugin-sdk';

export const ScenarioErrors = {
  INVALID: defineError('US_SCENARIO_INVALID', 400, (name: string, lines: string[]) => `Invalid scenario ${name ? `"${name}" ` : ''}(nothing was changed):\n${lines.join('\n')}`),
  NOT_FOUND: defineError('US_SCENARIO_NOT_FOUND', 404, (name: string, hint: string) => `No scenario named "${name}"${hint}. List them with GET /__admin/scenarios, or load one with PUT /__admin/scenarios/${name}.`),
  WAYPOINT_NOT_FOUND: defineError(
    'US_SCENARIO_WAYPOINT_NOT_FOUND',
    404,
    (scenario: string, waypoint: string, hint: string, known: string[]) =>
      `Scenario "${scenario}" has no waypoint "${waypoint}"${hint}. Its waypoints: ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none (give a step a waypoint: name)'}.`,
  ),
  WAYPOINT_NOT_REACHED: defineError(
    'US_SCENARIO_WAYPOINT_NOT_REACHED',
    409,
    (waypoint: string, event: string) => `Waypoint "${waypoint}" comes after an event ("${event}") that has not happened in this run, so its time is not known yet. Emit the event, or jump to a waypoint on the timeline.`,
  ),
  NOT_STARTED: defineError('US_SCENARIO_NOT_STARTED', 409, (name: string, session: string, what: string) => `Scenario "${name}" has not been started in session "${session}", so it cannot ${what}. Start it first (POST /__admin/scenarios/${name}/start).`),
  WRONG_STATE: defineError('US_SCENARIO_WRONG_STATE', 409, (name: string, session: string, state: string, what: string, fix: string) => `Scenario "${name}" in session "${session}" is ${state}, so it cannot ${what}. ${fix}`),
  SESSION_BUSY: defineError(
    'US_SCENARIO_SESSION_BUSY',
    409,
    (session: string, other: string) => `Session "${session}" is already running scenario "${other}" (one scenario per session). Stop it first, or start this one in another session ({ "session": "…" }).`,
  ),
  ACTIVE: defineError('US_SCENARIO_ACTIVE', 409, (name: string, sessions: string[], what: string) => `Scenario "${name}" is running or paused in session(s) ${sessions.map((s) => `"${s}"`).join(', ')}; stop it before you ${what} it.`),
  REWIND_FORWARD: defineError('US_SCENARIO_REWIND_FORWARD', 409, (to: number, at: number) => `Cannot rewind to ${to} ms: the scenario is at ${at} ms. Rewind goes back; jump to a waypoint to go forward.`),
  SPEED_OUT_OF_RANGE: defineError('US_SCENARIO_SPEED_OUT_OF_RANGE', 400, (speed: unknown, min: number, max: number) => `Speed ${JSON.stringify(speed)} is out of range: give a number from ${min} to ${max} (1 is real time).`),
  COMMAND_UNKNOWN: defineError('US_SCENARIO_COMMAND_UNKNOWN', 400, (command: unknown, hint: string, known: readonly string[]) => `Unknown command ${JSON.stringify(command)}${hint}. Commands: ${known.join(', ')}.`),
  COMMAND_INVALID: defineError('US_SCENARIO_COMMAND_INVALID', 400, (problem: string) => `Invalid command: ${problem}.`),
  LIMIT_REACHED: defineError('US_SCENARIO_LIMIT_REACHED', 409, (what: string, limit: number, setting: string) => `Too many ${what} (${limit}, plugins.scenarios.${setting}). Delete some first, or raise ${setting}.`),
  NAME_RESERVED: defineError('US_SCENARIO_NAME_RESERVED', 400, (name: string) => `"${name}" is a route of the scenarios API and cannot name a scenario; pick another name.`),
  NAME_MISMATCH: defineError('US_SCENARIO_NAME_MISMATCH', 400, (url: string, body: string) => `The URL names scenario "${url}" but the script's name is "${body}"; make them the same (or leave name out of the body).`),
  SCRIPT_FILE: defineError('US_SCENARIO_SCRIPT_FILE', 400, (file: string, reason: string) => `Cannot read scenario script ${file}: ${reason}. Paths in plugins.scenarios.scripts are relative to the config file's folder.`),
} as const;
