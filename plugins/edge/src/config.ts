// Config of the edge plugin (`plugins.edge` in understudy.yaml). The node schema also
// validates POST /__admin/edge/nodes. Shapes that depend on each other (a deadband needs
// `delta`, a sliding window `slideMs`, a rule either a comparison or `anomaly`) are flat
// objects here and checked in spec.ts, which names the field and says how to fix it.
import { Type, type Static } from '@understudy/plugin-sdk';
import { DEFAULT_BUDGET } from './budget.js';

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});

const Metadata = (description: string) => Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), { description });
const Aggregate = literals(['min', 'max', 'mean', 'count'] as const);
const Name = Type.String({ minLength: 1, pattern: '^[^/+#]+$', description: 'No "/", "+" or "#" (it becomes an MQTT topic level).' });

export const DeviceGroupSchema = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'These devices.' })),
    idPrefix: Type.Optional(Type.String({ minLength: 1, description: 'Devices whose id starts with this.' })),
    type: Type.Optional(Type.String({ minLength: 1, description: 'Devices of this fleet type (needs the fleet plugin).' })),
    metadata: Type.Optional(Metadata('Fleet metadata that must match, compared as strings (needs the fleet plugin).')),
  },
  { additionalProperties: false, description: 'Every given criterion must hold; give at least one.' },
);

export const FilterSchema = Type.Object(
  {
    kind: literals(['threshold', 'deadband'] as const),
    min: Type.Optional(Type.Number({ description: 'threshold: readings below are held back' })),
    max: Type.Optional(Type.Number({ description: 'threshold: readings above are held back' })),
    delta: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'deadband: smallest change (per device+sensor) that passes' })),
  },
  { additionalProperties: false },
);

export const WindowSchema = Type.Object(
  {
    kind: literals(['tumbling', 'sliding'] as const),
    sizeMs: Type.Integer({ minimum: 1 }),
    slideMs: Type.Optional(Type.Integer({ minimum: 1, description: 'sliding only: one window every slideMs; sizeMs must be a multiple' })),
    aggregates: Type.Array(Aggregate, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const AnomalySchema = Type.Object(
  {
    zScore: Type.Number({ exclusiveMinimum: 0, description: '|z| at or above this is an anomaly (e.g. 3)' }),
    window: Type.Integer({ minimum: 2, maximum: 100_000, description: 'readings per device+sensor (e.g. 60)' }),
    minSamples: Type.Optional(Type.Integer({ minimum: 2, description: 'readings before judging (default: window)' })),
    minStd: Type.Optional(Type.Number({ minimum: 0, description: 'floor of the standard deviation (default 0)' })),
  },
  { additionalProperties: false },
);

export const RuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    when: Type.Object(
      {
        sensor: Type.Optional(Type.String({ minLength: 1 })),
        op: Type.Optional(literals(['>', '<', '>=', '<=', '=='] as const)),
        value: Type.Optional(Type.Number()),
        aggregate: Type.Optional(Aggregate),
        anomaly: Type.Optional(Type.Literal(true)),
      },
      { additionalProperties: false, description: '{ sensor, op, value, aggregate? } or { anomaly: true, sensor? }' },
    ),
    command: Type.Object(
      {
        name: Type.String({ minLength: 1 }),
        params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        target: Type.Optional(Type.Unknown({ description: '"source" (default), { deviceId } or { selector: { type?, ids?, metadata? } }' })),
      },
      { additionalProperties: false },
    ),
    cooldownMs: Type.Optional(Type.Integer({ minimum: 0, description: 'default 5000' })),
  },
  { additionalProperties: false },
);

export const BudgetSchema = Type.Object(
  {
    queueLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: `default ${DEFAULT_BUDGET.queueLength}` })),
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: `readings processed per second; default ${DEFAULT_BUDGET.ratePerSecond}` })),
    overflow: Type.Optional(literals(['drop-newest', 'drop-oldest', 'sample'] as const, `default ${DEFAULT_BUDGET.overflow}`)),
    sampleEvery: Type.Optional(Type.Integer({ minimum: 1, description: `sample: keep 1 in N; default ${DEFAULT_BUDGET.sampleEvery}` })),
  },
  { additionalProperties: false },
);

export const NodeSchema = Type.Object(
  {
    id: Name,
    devices: DeviceGroupSchema,
    sensors: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'default: every sensor' })),
    pipeline: Type.Optional(
      Type.Object(
        {
          filters: Type.Optional(Type.Array(FilterSchema)),
          windows: Type.Optional(Type.Array(WindowSchema)),
          anomaly: Type.Optional(AnomalySchema),
          rules: Type.Optional(Type.Array(RuleSchema)),
        },
        { additionalProperties: false },
      ),
    ),
    budget: Type.Optional(BudgetSchema),
    maxSensors: Type.Optional(Type.Integer({ minimum: 1, description: 'default 100' })),
    maxSeries: Type.Optional(Type.Integer({ minimum: 1, description: 'default 10000' })),
  },
  { additionalProperties: false },
);

export const EdgeConfigSchema = Type.Object(
  {
    nodes: Type.Array(NodeSchema, { default: [], description: 'Edge nodes from the start (more through POST /__admin/edge/nodes).' }),
    upstream: Type.Object(
      {
        topicPrefix: Type.String({ default: 'edge', minLength: 1, pattern: '^[^+#]+$', description: 'Aggregates go to {prefix}/{node}/aggregates/{sensor}, alerts to {prefix}/{node}/alerts.' }),
        qos: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { default: 0 }),
      },
      { additionalProperties: false, default: {} },
    ),
    tickMs: Type.Integer({ minimum: 1, default: 100, description: 'How often (kernel clock) nodes drain their queues and close windows.' }),
    latencyTargetMs: Type.Number({ minimum: 0, default: 100, description: 'Readings slower than this are counted in latency.overTarget.' }),
    history: Type.Object(
      {
        aggregates: Type.Integer({ minimum: 1, default: 500, description: 'Recent aggregates kept per node (admin API).' }),
        alerts: Type.Integer({ minimum: 1, default: 200, description: 'Recent alerts kept per node (admin API).' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type NodeInput = Static<typeof NodeSchema>;
