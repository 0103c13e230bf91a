// The scenarios plugin's config: scripts (files relative to the config file's folder, or
// inline objects), which to start with the kernel, the default session and speed, and the
// bounds on what clients can create (scripts, steps, ticks, runs, WebSocket clients).
import { Type, type Static } from '@understudy/plugin-sdk';

export const SPEED_MIN = 0.5;
export const SPEED_MAX = 100;

export const ScenariosConfigSchema = Type.Object(
  {
    scripts: Type.Array(Type.Union([Type.String({ description: 'A YAML file, relative to the config file\'s folder' }), Type.Object({}, { additionalProperties: true, description: 'An inline script' })]), {
      default: [],
      description: 'Scenario scripts loaded at startup (every problem stops startup, with its path).',
    }),
    autostart: Type.Array(Type.String(), { default: [], description: 'Scenario names started when the kernel starts, each in its own session.' }),
    defaultSession: Type.String({ default: 'default', minLength: 1, description: 'Session of a script that names none.' }),
    speed: Type.Number({ minimum: SPEED_MIN, maximum: SPEED_MAX, default: 1, description: 'Speed of a run started without one (1 = real time).' }),
    maxScripts: Type.Integer({ minimum: 1, default: 100, description: 'Scripts loaded at once.' }),
    maxSteps: Type.Integer({ minimum: 1, default: 1000, description: 'Steps in one script.' }),
    maxTicks: Type.Integer({ minimum: 1, default: 10_000, description: 'Ticks of one progression (over / every).' }),
    maxRuns: Type.Integer({ minimum: 1, default: 100, description: 'Runs kept (one per scenario and session); ended ones are dropped first.' }),
    maxClients: Type.Integer({ minimum: 1, default: 50, description: 'WebSocket clients at once on /__admin/scenarios/ws.' }),
    maxErrors: Type.Integer({ minimum: 1, default: 20, description: 'Recent step errors kept in a run\'s status (all are counted).' }),
  },
  { additionalProperties: false },
);

export type ScenariosConfig = Static<typeof ScenariosConfigSchema>;
