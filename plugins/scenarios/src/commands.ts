// The commands a run takes, one parser for REST and WebSocket alike (a REST control is the
// same command with the scenario from the URL), so both accept and refuse the same things
// with the same codes.
import { parseDuration } from './duration.js';
import { ScenarioErrors } from './errors.js';
import { SPEED_MAX, SPEED_MIN } from './config.js';
import { didYouMean } from './suggest.js';

export const COMMAND_NAMES = ['start', 'pause', 'resume', 'stop', 'jump', 'rewind', 'speed', 'status', 'list'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type Command =
  | { command: 'list' }
  | { command: 'start'; scenario: string; session?: string; speed?: number }
  | { command: 'pause' | 'resume' | 'stop' | 'status'; scenario: string; session?: string }
  | { command: 'jump'; scenario: string; session?: string; waypoint: string }
  | { command: 'rewind'; scenario: string; session?: string; to: number }
  | { command: 'speed'; scenario: string; session?: string; speed: number };

const FIELDS: Record<CommandName, string[]> = {
  list: [],
  start: ['scenario', 'session', 'speed'],
  pause: ['scenario', 'session'],
  resume: ['scenario', 'session'],
  stop: ['scenario', 'session'],
  status: ['scenario', 'session'],
  jump: ['scenario', 'session', 'waypoint'],
  rewind: ['scenario', 'session', 'to'],
  speed: ['scenario', 'session', 'speed'],
};

/** Keys a message may carry besides the command's fields (`id` correlates a WebSocket reply). */
const ENVELOPE = ['command', 'id'];

export function checkSpeed(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < SPEED_MIN || value > SPEED_MAX) throw new ScenarioErrors.SPEED_OUT_OF_RANGE(value, SPEED_MIN, SPEED_MAX);
  return value;
}

/** A command from a message (`{ "command": "jump", "scenario": "bank", "waypoint": "Overdraft" }`), or a coded 400. */
export function parseCommand(message: unknown): Command {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new ScenarioErrors.COMMAND_INVALID('a command is a JSON object such as { "command": "start", "scenario": "bank" }');
  const m = message as Record<string, unknown>;
  const name = m.command;
  if (typeof name !== 'string' || !(COMMAND_NAMES as readonly string[]).includes(name)) {
    throw new ScenarioErrors.COMMAND_UNKNOWN(name, typeof name === 'string' ? didYouMean(name, COMMAND_NAMES) : '', COMMAND_NAMES);
  }
  const command = name as CommandName;
  const extra = Object.keys(m).filter((k) => !ENVELOPE.includes(k) && !FIELDS[command].includes(k));
  if (extra.length) throw new ScenarioErrors.COMMAND_INVALID(`"${command}" takes ${FIELDS[command].join(', ') || 'no fields'}; unknown: ${extra.join(', ')}`);
  if (command === 'list') return { command };
  const text = (key: string, required: boolean) => {
    const v = m[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') throw new ScenarioErrors.COMMAND_INVALID(`"${command}" needs ${key} (a non-empty string)`);
    return v;
  };
  const scenario = text('scenario', true)!;
  const session = text('session', false);
  const base = { scenario, ...(session !== undefined && { session }) };
  switch (command) {
    case 'start':
      return { command, ...base, ...(m.speed !== undefined && { speed: checkSpeed(m.speed) }) };
    case 'jump':
      return { command, ...base, waypoint: text('waypoint', true)! };
    case 'rewind': {
      const to = m.to === undefined ? 0 : parseDuration(m.to);
      if (to === undefined) throw new ScenarioErrors.COMMAND_INVALID(`"rewind" takes to: a scenario time such as "30s" or a number of ms (${JSON.stringify(m.to)} is neither)`);
      return { command, ...base, to };
    }
    case 'speed':
      if (m.speed === undefined) throw new ScenarioErrors.COMMAND_INVALID('"speed" needs speed (a number, 1 = real time)');
      return { command, ...base, speed: checkSpeed(m.speed) };
    default:
      return { command, ...base };
  }
}
