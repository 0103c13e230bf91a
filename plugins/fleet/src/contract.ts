// The fleet plugin's contract: the types of the `fleet` service and of its events, what it
// adds to the kernel's Services and EventMap, and the catalogue of device MQTT topics
// (`devices/{id}/…`), which every IoT plugin builds, subscribes to and parses through
// `deviceTopics` — the fleet owns device identities, so it owns their topics. Other
// plugins import the types only, and `deviceTopics` (plain functions, no state).

export type DeviceState = 'provisioned' | 'active' | 'offline' | 'decommissioned';

/**
 * How a simulated device talks to the broker: its own MQTT connection over TCP (`mqtt`),
 * or in-process through the broker service (`inprocess`, for very large fleets).
 * `external` devices are real ones: provisioned here, connected by the user's code.
 */
export type ConnectionMode = 'mqtt' | 'inprocess' | 'external';

export type MetadataValue = string | number | boolean;

export interface Device {
  id: string;
  type: string;
  serial: string;
  /**
   * MQTT username is the device id; the password is this secret. The service gives it to
   * plugins; admin reads leave the password out (see the fleet README, "Secrets").
   */
  credentials: { username: string; password: string };
  metadata: Record<string, MetadataValue>;
  firmware: string;
  state: DeviceState;
  connection: ConnectionMode;
  provisionedAt: number;
  /** Last connect, disconnect or message, on the kernel clock. */
  lastSeenAt?: number;
  /**
   * True when the admin API disconnected this simulated device and keeps it offline: it is
   * not connected at start (the flag is stored) until it is connected again.
   */
  keptOffline?: boolean;
}

export interface DeviceFilter {
  type?: string;
  state?: DeviceState;
  ids?: string[];
  /** Every key must equal (metadata values compared as strings). */
  metadata?: Record<string, MetadataValue>;
}

/** Bulk provisioning: `{ type: 'thermostat', count: 20, idPattern: 'thermo-{n:3}' }`. */
export interface ProvisionTemplate {
  type: string;
  count: number;
  /** `{n}` is the 1-based index; `{n:3}` pads it to 3 digits; `{type}` the type. */
  idPattern?: string;
  metadata?: Record<string, MetadataValue>;
  firmware?: string;
  connection?: ConnectionMode;
}

/**
 * A simulated device's own voice: publishes and subscriptions go through its own
 * connection, so the broker sees them as coming from that device.
 */
export interface DeviceAgent {
  readonly id: string;
  readonly online: boolean;
  /** Resolves when the broker accepted it (QoS > 0) or it was written (QoS 0). Rejects when offline. */
  publish(topic: string, payload: string | Buffer | object, options?: { qos?: 0 | 1 | 2; retain?: boolean }): Promise<void>;
  /** Subscribe through the device's session; kept across reconnects. Returns unsubscribe. */
  subscribe(pattern: string, handler: (topic: string, payload: Buffer) => void, options?: { qos?: 0 | 1 | 2 }): () => void;
}

/** PATCH /devices/:id and bulk `update`: metadata keys set to null are removed. */
export interface DeviceUpdate {
  metadata?: Record<string, MetadataValue | null>;
  firmware?: string;
}

/**
 * The retained JSON on `devices/{id}/status`: published by the device on every connect
 * and clean disconnect (`expected: true`, with the kernel-clock time), or by the broker
 * as its will when it vanished (`{ state: 'offline', expected: false }`).
 */
export interface DeviceStatus {
  state: 'online' | 'offline';
  expected: boolean;
  at?: number;
}

export type DeviceChange =
  | { kind: 'provisioned'; device: Device }
  | { kind: 'connected'; device: Device }
  | { kind: 'disconnected'; device: Device; expected: boolean }
  | { kind: 'updated'; device: Device }
  | { kind: 'decommissioned'; device: Device };

/** The `fleet` service. */
export interface Fleet {
  list(filter?: DeviceFilter): Device[];
  get(id: string): Device | undefined;
  provision(templates: ProvisionTemplate[]): Promise<Device[]>;
  /** The agent of a simulated (`mqtt` or `inprocess`) device; undefined for external or unknown ids. */
  agent(id: string): DeviceAgent | undefined;
  /** Every lifecycle change; returns unsubscribe. */
  watch(listener: (change: DeviceChange) => void): () => void;
}

declare module '@understudy/kernel' {
  interface Services {
    fleet: Fleet;
  }
  /** Every event the fleet plugin emits. */
  interface EventMap {
    'device.provisioned': { id: string; type: string };
    /** A simulated device holds its subscriptions at the broker, or an external one connected. */
    'device.connected': { id: string };
    /** `expected`: the device chose to leave (clean disconnect), else its will was published. */
    'device.disconnected': { id: string; expected: boolean };
    /** The change asked for (metadata keys set to null were removed). */
    'device.updated': { id: string } & DeviceUpdate;
    'device.decommissioned': { id: string; type: string };
  }
}

// ---- the device topic catalogue ----

/** The wildcard level: every device (or sensor, command name, shadow document). */
const ANY = '+';

/** The levels of `devices/…` when the topic has exactly `count` of them and none is empty. */
function levelsOf(topic: string, count: number): string[] | undefined {
  const levels = topic.split('/');
  return levels.length === count && levels[0] === 'devices' && !levels.includes('') ? levels : undefined;
}

/** The three documents of a device shadow. */
export type ShadowDocument = 'desired' | 'reported' | 'delta';
const SHADOW_DOCUMENTS: ReadonlySet<string> = new Set<ShadowDocument>(['desired', 'reported', 'delta']);

/**
 * Every MQTT topic of a device, in one place. Each kind has `topic(…)` (to publish on),
 * `filter(…)` (to subscribe with: every device by default, or one device's id) and
 * `parse(topic)` (its parts, or undefined when the topic is not of that kind — also for an
 * empty level, which names no device). Device ids never contain `/`, `+` or `#`.
 *
 * | kind | topic | who publishes |
 * |---|---|---|
 * | status | `devices/{id}/status` | the device (retained), the broker (its will) |
 * | telemetry | `devices/{id}/telemetry/{sensor}` | the device |
 * | commands | `devices/{id}/commands/{name}` | the commands plugin |
 * | replies | `devices/{id}/replies` | the device (acknowledgements, results) |
 * | shadow | `devices/{id}/shadow/{desired,reported,delta}` | commands (desired, delta), the device (reported) |
 */
export const deviceTopics = Object.freeze({
  /** Every topic of one device (or of every device): what the broker's device ACL allows, `devices/{id}/#`. */
  all: (deviceId: string = ANY): string => `devices/${deviceId}/#`,

  status: Object.freeze({
    topic: (deviceId: string): string => `devices/${deviceId}/status`,
    filter: (deviceId: string = ANY): string => `devices/${deviceId}/status`,
    parse(topic: string): { deviceId: string } | undefined {
      const l = levelsOf(topic, 3);
      return l && l[2] === 'status' ? { deviceId: l[1] } : undefined;
    },
  }),

  telemetry: Object.freeze({
    topic: (deviceId: string, sensor: string): string => `devices/${deviceId}/telemetry/${sensor}`,
    filter: (deviceId: string = ANY, sensor: string = ANY): string => `devices/${deviceId}/telemetry/${sensor}`,
    parse(topic: string): { deviceId: string; sensor: string } | undefined {
      const l = levelsOf(topic, 4);
      return l && l[2] === 'telemetry' ? { deviceId: l[1], sensor: l[3] } : undefined;
    },
  }),

  commands: Object.freeze({
    topic: (deviceId: string, name: string): string => `devices/${deviceId}/commands/${name}`,
    filter: (deviceId: string = ANY, name: string = ANY): string => `devices/${deviceId}/commands/${name}`,
    parse(topic: string): { deviceId: string; name: string } | undefined {
      const l = levelsOf(topic, 4);
      return l && l[2] === 'commands' ? { deviceId: l[1], name: l[3] } : undefined;
    },
  }),

  replies: Object.freeze({
    topic: (deviceId: string): string => `devices/${deviceId}/replies`,
    filter: (deviceId: string = ANY): string => `devices/${deviceId}/replies`,
    parse(topic: string): { deviceId: string } | undefined {
      const l = levelsOf(topic, 3);
      return l && l[2] === 'replies' ? { deviceId: l[1] } : undefined;
    },
  }),

  shadow: Object.freeze({
    topic: (deviceId: string, document: ShadowDocument): string => `devices/${deviceId}/shadow/${document}`,
    filter: (deviceId: string = ANY, document: ShadowDocument | typeof ANY = ANY): string => `devices/${deviceId}/shadow/${document}`,
    parse(topic: string): { deviceId: string; document: ShadowDocument } | undefined {
      const l = levelsOf(topic, 4);
      return l && l[2] === 'shadow' && SHADOW_DOCUMENTS.has(l[3]) ? { deviceId: l[1], document: l[3] as ShadowDocument } : undefined;
    },
  }),
});
