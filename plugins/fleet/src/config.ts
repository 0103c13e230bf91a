// The fleet plugin's config: device types (connection mode, firmware, metadata,
// connectivity model), devices provisioned at start, storage and connect limits.
// The template schema also validates POST /__admin/fleet/devices.
import { Type, type Static, type TSchema } from '@understudy/plugin-sdk';

export const MetadataValueSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export const MetadataSchema = Type.Record(Type.String({ minLength: 1 }), MetadataValueSchema);
/**
 * Metadata on admin routes: values are checked by the plugin, not by fastify's ajv, whose
 * type coercion would turn 9 and true into "9" and "true" through the union's string branch.
 */
export const LooseMetadataSchema = Type.Record(
  Type.String({ minLength: 1 }),
  Type.Unsafe<string | number | boolean>({ description: 'string, number or boolean' }),
);
export const ConnectionModeSchema = Type.Union([Type.Literal('mqtt'), Type.Literal('inprocess'), Type.Literal('external')]);

export const ConnectivitySchema = Type.Object(
  {
    model: Type.Optional(
      Type.Union([Type.Literal('always'), Type.Literal('intermittent')], {
        description: 'Default `always` (stays connected); `intermittent` alternates online and offline periods drawn from exponential distributions.',
      }),
    ),
    meanOnlineMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Mean online period, kernel clock ms (default 600000).' })),
    meanOfflineMs: Type.Optional(Type.Integer({ minimum: 1, description: 'Mean offline period, kernel clock ms (default 60000).' })),
    unexpectedDropRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Share of offline periods that start with a dropped socket (the broker publishes the will) instead of a clean disconnect (default 0.5).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeviceTypeSchema = Type.Object(
  {
    connection: Type.Optional(ConnectionModeSchema),
    firmware: Type.Optional(Type.String({ minLength: 1 })),
    metadata: Type.Optional(MetadataSchema),
    connectivity: Type.Optional(ConnectivitySchema),
  },
  { additionalProperties: false },
);

export const templateSchema = <M extends TSchema>(metadata: M) =>
  Type.Object(
    {
      type: Type.String({ minLength: 1, pattern: '^[^/+#\\s]+$', description: 'Device type (no `/`, `+`, `#` or spaces).' }),
      count: Type.Integer({ minimum: 1, maximum: 100_000 }),
      idPattern: Type.Optional(Type.String({ minLength: 1, description: '`{n}`, `{n:3}` (zero-padded), `{type}`. Default `{type}-{n:4}`.' })),
      metadata: Type.Optional(metadata),
      firmware: Type.Optional(Type.String({ minLength: 1 })),
      connection: Type.Optional(ConnectionModeSchema),
    },
    { additionalProperties: false },
  );
export const ProvisionTemplateSchema = templateSchema(MetadataSchema);

export const FleetConfigSchema = Type.Object(
  {
    deviceTypes: Type.Record(Type.String({ minLength: 1 }), DeviceTypeSchema, {
      default: {},
      description: 'Settings per device type; a type not listed uses the defaults (unless strictTypes).',
    }),
    strictTypes: Type.Boolean({ default: false, description: 'Refuse templates whose type is not in deviceTypes.' }),
    devices: Type.Array(ProvisionTemplateSchema, {
      default: [],
      description: 'Provisioned at start; ids that already exist (from storage) are kept as they are.',
    }),
    storage: Type.Union([Type.String({ minLength: 1 }), Type.Literal(false)], {
      default: '.understudy/fleet.db',
      description: 'SQLite file relative to the config folder; false keeps the fleet in memory only.',
    }),
    brokerUrl: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Broker the `mqtt` devices connect to, e.g. mqtt://host:1883; default the mqtt plugin's own broker. In-process devices always use the plugin's broker.",
      }),
    ),
    maxDevices: Type.Integer({ minimum: 1, default: 100_000, description: 'Devices kept (decommissioned ones included); more is refused.' }),
    connectConcurrency: Type.Integer({ minimum: 1, default: 200, description: 'MQTT connects in flight at once.' }),
    keepaliveSeconds: Type.Integer({ minimum: 0, default: 60 }),
    reconnectPeriodMs: Type.Integer({ minimum: 0, default: 1000, description: 'Real ms before a simulated device reconnects after a drop it did not choose.' }),
    connectTimeoutMs: Type.Integer({ minimum: 1, default: 10_000, description: 'Real ms a device waits for CONNACK.' }),
    autoConnect: Type.Boolean({ default: true, description: 'Simulated devices connect at start and when provisioned.' }),
    startWaitMs: Type.Integer({
      minimum: 0,
      default: 5000,
      description: 'Real ms start waits for the initial connects; the rest continue in the background.',
    }),
    jobThreshold: Type.Integer({ minimum: 1, default: 500, description: 'POST /devices with more devices than this answers 202 with a job.' }),
    maxJobs: Type.Integer({ minimum: 1, default: 100, description: 'Finished jobs kept for GET /jobs/:id.' }),
  },
  { additionalProperties: false },
);

export type FleetConfig = Static<typeof FleetConfigSchema>;
export type DeviceTypeConfig = Static<typeof DeviceTypeSchema>;

export interface Connectivity {
  model: 'always' | 'intermittent';
  meanOnlineMs: number;
  meanOfflineMs: number;
  unexpectedDropRate: number;
}

/** A device type with every default filled in (the kernel's ajv does not fill defaults inside records). */
export interface ResolvedDeviceType {
  connection: 'mqtt' | 'inprocess' | 'external';
  firmware: string;
  metadata: Record<string, string | number | boolean>;
  connectivity: Connectivity;
}

export const DEFAULT_CONNECTIVITY: Connectivity = { model: 'always', meanOnlineMs: 600_000, meanOfflineMs: 60_000, unexpectedDropRate: 0.5 };

export function resolveDeviceType(config: DeviceTypeConfig | undefined): ResolvedDeviceType {
  return {
    connection: config?.connection ?? 'mqtt',
    firmware: config?.firmware ?? '1.0.0',
    metadata: config?.metadata ?? {},
    connectivity: { ...DEFAULT_CONNECTIVITY, ...config?.connectivity },
  };
}
