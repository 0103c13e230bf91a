// The mqtt plugin's contract: the types of the `broker` service and of the `mqtt` hook
// group, and what it adds to the kernel's Services, EventMap and PluginHookGroups. Other
// plugins import these types only (`import type { Broker } from '@understudy/plugin-mqtt'`).
import type { SyncHook } from '@understudy/plugin-sdk';

export type QoS = 0 | 1 | 2;

/** A message the broker accepted, from a client or published in-process. */
export interface MqttMessage {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  /**
   * The publishing client's id, in the `published` hook; null there for in-process
   * publishes (bridge, plugins). Always null for in-process subscribers: aedes does not
   * carry the publisher to subscribers (tap `published` when you need it).
   */
  clientId: string | null;
}

export interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
}

/** A connected client, as listed by `/__admin/mqtt/clients`. */
export interface ClientInfo {
  id: string;
  /** `tcp` or `ws`. */
  transport: 'tcp' | 'ws';
  connectedAt: number;
  /** True when the client asked for a persistent session (clean: false). */
  persistent: boolean;
  subscriptions: number;
}

export interface BrokerCounters {
  clients: number;
  messagesIn: number;
  messagesOut: number;
  /** Messages per second over the last full second of the kernel clock. */
  messagesInPerSecond: number;
  messagesOutPerSecond: number;
  /** Messages not delivered: refused by the ACL (publishes, and deliveries a subscribe rule denies), or dropped by a client's full queue. */
  dropped: number;
  /** Connections refused: bad credentials, an empty client id without a clean session (CONNACK 2), an unsupported protocol level (CONNACK 1). */
  refusedConnections: number;
  /** Connections closed by an error: malformed packets, a full queue, a broken socket. */
  clientErrors: number;
  /** Connections closed because they declared a packet larger than maxPacketSize (counted in clientErrors too). */
  oversizedPackets: number;
}

/** Who may connect: `set` a device's secret (fleet does this on provisioning). */
export interface Identities {
  set(clientId: string, secret: string): void;
  delete(clientId: string): void;
  has(clientId: string): boolean;
}

/**
 * The `broker` service. In-process publishers and subscribers skip authentication and
 * ACLs: they are Understudy itself, not devices.
 */
export interface Broker {
  /** `mqtt://host:port` once started. */
  readonly url: string;
  /** The TCP port actually bound (useful with `port: 0`). */
  readonly port: number;
  /** `ws://host:port/mqtt` on the kernel's HTTP server, once started. */
  readonly wsUrl: string;
  readonly identities: Identities;
  /** Publish as the broker. `payload` objects are sent as JSON. */
  publish(topic: string, payload: string | Buffer | object, options?: PublishOptions): Promise<void>;
  /** Receive every message on topics matching `pattern` (MQTT wildcards); returns unsubscribe. */
  subscribe(pattern: string, handler: (message: MqttMessage) => void): () => void;
  /** Retained messages on topics matching `pattern` (default every topic). */
  retained(pattern?: string): Promise<MqttMessage[]>;
  clients(): ClientInfo[];
  isConnected(clientId: string): boolean;
  /** Drop a client's connection, as a network failure would (its will is published); false if not connected. */
  disconnect(clientId: string): boolean;
  counters(): BrokerCounters;
  /**
   * Close every connection and listener, then listen again on the same ports.
   * Sessions, subscriptions, retained and queued QoS 1/2 messages survive.
   */
  restart(): Promise<void>;
}

/** The `mqtt` hook group: `published` runs for every message the broker accepts. */
export interface MqttHooks {
  published: SyncHook<[MqttMessage]>;
}

declare module '@understudy/kernel' {
  interface Services {
    broker: Broker;
  }
  /** Every event the mqtt plugin emits. Messages are traffic, not events: tap `published`. */
  interface EventMap {
    /** A client's CONNECT was accepted and it is ready. */
    'mqtt.clientConnected': { clientId: string; transport: 'tcp' | 'ws' };
    'mqtt.clientDisconnected': { clientId: string };
    /** A connection closed by an error (malformed packet, full queue, broken socket). */
    'mqtt.clientError': { clientId: string; message: string };
    /** A CONNECT refused — CONNACK 5 (not authorized), 2 (empty client id without a clean session) or 1 (protocol level) — with the reason; `clientId` is '' when it sent none. */
    'mqtt.connectionRefused': { clientId: string; reason: string };
    /** A publish outside the client's ACL was dropped (and the client disconnected), or refused at the HTTP bridge (`$bridge`, or the identity it published as). */
    'mqtt.publishDenied': { clientId: string; topic: string };
    /** A client declared a packet larger than maxPacketSize; its connection is closed before the packet is buffered. `clientId` is null before CONNECT. */
    'mqtt.packetTooLarge': { clientId: string | null; bytes: number; limit: number };
    /** A subscription outside the client's ACL was refused in the SUBACK. */
    'mqtt.subscribeDenied': { clientId: string; topic: string };
    'mqtt.restarted': { url: string };
  }
  interface PluginHookGroups {
    mqtt: MqttHooks;
  }
}
