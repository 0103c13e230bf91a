import { Type, type Static } from '@understudy/plugin-sdk';

export const MeshConfigSchema = Type.Object(
  {
    world: Type.Optional(Type.String({ description: 'a bundled sample world ("shop") or a path to a JSON file of services' })),
    services: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'services by name (see the README for every field); merged over the world, checked with field paths',
      }),
    ),
    latencyScale: Type.Number({ minimum: 0, default: 1, description: 'multiplies every sampled latency (0 = no simulated latency)' }),
    errorScale: Type.Number({ minimum: 0, default: 1, description: 'multiplies every error rate (0 = no simulated errors)' }),
    instanceSelection: Type.Union([Type.Literal('round-robin'), Type.Literal('random')], {
      default: 'round-robin',
      description: 'how a request picks one of a service\'s instances',
    }),
  },
  { additionalProperties: false },
);

export type MeshConfig = Static<typeof MeshConfigSchema>;
