// The chaos plugin's config: faults active from the start, scenarios and experiments to
// create. Entries are checked by validate.ts at register time (every problem with its
// path), so the schema only says they are lists.
import { Type, type Static } from '@understudy/plugin-sdk';

export const ChaosConfigSchema = Type.Object(
  {
    faults: Type.Array(Type.Unknown(), { default: [], description: 'faults active from the start (see the README)' }),
    scenarios: Type.Array(Type.Unknown(), { default: [], description: 'scenarios to create (started through the API)' }),
    experiments: Type.Array(Type.Unknown(), { default: [], description: 'experiments to create (run through the API)' }),
  },
  { additionalProperties: false },
);

export type ChaosConfig = Static<typeof ChaosConfigSchema>;
