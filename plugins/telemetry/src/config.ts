// The telemetry plugin's config: which sensors each fleet device type carries, and the
// bounds of every buffer (the store by count and by bytes). Sensor params are checked against their model in specs.ts.
import { Type, type Static } from '@understudy/plugin-sdk';
import { ANOMALY_KINDS } from './anomalies.js';
import { SENSOR_NAMES } from './sensors/index.js';

const probability = Type.Number({ minimum: 0, maximum: 1 });

/** Default of buffer.maxBytes (32 MiB): above what 100,000 simulated readings take, so for them the count binds. */
export const DEFAULT_STORE_MAX_BYTES = 32 * 1024 * 1024;

export const AnomaliesSchema = Type.Object(
  {
    spike: Type.Optional(probability),
    drift: Type.Optional(probability),
    stuck: Type.Optional(probability),
    dropout: Type.Optional(probability),
    duplicate: Type.Optional(probability),
    outOfOrder: Type.Optional(probability),
  } satisfies Record<(typeof ANOMALY_KINDS)[number], unknown>,
  { additionalProperties: false, description: 'Probability (0–1) per reading of each anomaly.' },
);

export const SensorNameSchema = Type.Union(SENSOR_NAMES.map((s) => Type.Literal(s)));

export const SensorSpecSchema = Type.Object(
  {
    sensor: SensorNameSchema,
    intervalMs: Type.Integer({ minimum: 1, default: 60_000, description: 'ms between readings (kernel clock).' }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The model's parameters; see GET /__admin/telemetry/sensors." })),
    anomalies: Type.Optional(AnomaliesSchema),
  },
  { additionalProperties: false },
);
export type SensorSpecConfig = Static<typeof SensorSpecSchema>;

export const TelemetryConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Generate and publish readings for fleet devices (capture works either way).' }),
    sensors: Type.Record(Type.String(), Type.Array(SensorSpecSchema), {
      default: {},
      description: 'Sensors per fleet device type: { thermostat: [{ sensor: temperature }, { sensor: humidity, intervalMs: 300000 }] }.',
    }),
    qos: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { default: 0, description: 'QoS of telemetry publishes.' }),
    buffer: Type.Object(
      {
        capacity: Type.Integer({ minimum: 1, default: 100_000, description: 'Readings kept; the oldest are dropped (and counted) beyond it.' }),
        maxBytes: Type.Integer({
          minimum: 1024,
          default: DEFAULT_STORE_MAX_BYTES,
          description: "Estimated bytes the stored readings may take together; the oldest are dropped (and counted) beyond it. Bounds captured readings, whose values are whatever devices send.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    offlineBuffer: Type.Integer({ minimum: 0, default: 100, description: 'Messages kept per offline device and published on reconnect; the oldest are dropped (and counted) beyond it.' }),
    capture: Type.Boolean({ default: true, description: 'Also store telemetry that devices publish themselves on devices/+/telemetry/+.' }),
    overflowEventIntervalMs: Type.Integer({ minimum: 0, default: 60_000, description: 'At most one telemetry.overflow event per buffer kind per this many ms (kernel clock).' }),
  },
  { additionalProperties: false },
);
export type TelemetryConfig = Static<typeof TelemetryConfigSchema>;
