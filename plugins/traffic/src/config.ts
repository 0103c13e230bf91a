// The traffic plugin's config: patterns to create (each checked by validate.ts at register
// time against the mesh topology, every problem with its full path), the sample of real
// exchanges sent through the pipeline, and the bound on the number of patterns.
import { Type, type Static } from '@understudy/plugin-sdk';

/** Most sample exchanges a pattern may send per second (each is a real exchange). */
export const MAX_SAMPLE_PER_SECOND = 100;

export const TrafficConfigSchema = Type.Object(
  {
    patterns: Type.Record(Type.String(), Type.Unknown(), {
      default: {},
      description: 'Patterns by id: a PatternSpec (service, shape, mix, scale, jitter) plus `autoStart` (default true: starts with the kernel).',
    }),
    sample: Type.Object(
      {
        perSecond: Type.Integer({
          minimum: 0,
          maximum: MAX_SAMPLE_PER_SECOND,
          default: 1,
          description: 'Real exchanges per running pattern per second of kernel-clock time (0 = none).',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxPatterns: Type.Integer({ minimum: 1, maximum: 10_000, default: 100, description: 'Most patterns at once (config and API).' }),
  },
  { additionalProperties: false },
);

export type TrafficConfig = Static<typeof TrafficConfigSchema>;
