// The fleet as other plugins see it: the `fleet` service.

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
  /** MQTT username is the device id; the password is this secret. */
  credentials: { username: string; password: string };
  metadata: Record<string, MetadataValue>;
  firmware: string;
  state: DeviceState;
  connection: ConnectionMode;
  provisionedAt: number;
  /** Last connect, disconnect or message, on the kernel clock. */
  lastSeenAt?: number;
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
