// A simulated device with its own MQTT connection (mqtt.js over TCP): client id and
// username are the device id, the password its secret, a persistent session, and a
// retained will on devices/{id}/status that the broker publishes if the device vanishes.
import mqtt, { type MqttClient } from 'mqtt';
import { FleetErrors } from '../errors.js';
import { deviceTopics } from '../contract.js';
import { SimulatedDevice, statusPayload, WILL_PAYLOAD, type DeviceEnv, type QoS } from './simulated-device.js';

export interface MqttDeviceOptions {
  /** Read when connecting: the broker's URL is known only once it listens. */
  url(): string;
  password: string;
  keepaliveSeconds: number;
  /** Real ms between reconnects after a drop the device did not choose. */
  reconnectPeriodMs: number;
  connectTimeoutMs: number;
}

const CONNECT_ATTEMPTS = 3;

/** One mqtt.js client and what this device knows about it. */
interface Connection {
  client: MqttClient;
  online: boolean;
  /** Set before we end it: how the disconnect should be reported. */
  endingExpected?: boolean;
  /** Subscriptions are sent on the first CONNACK; mqtt.js re-sends them on its own reconnects. */
  subscribed: boolean;
}

export class MqttDevice extends SimulatedDevice {
  private connection: Connection | undefined;
  /** Dropped while offline: the persistent session at the broker still has them. */
  private readonly staleAtBroker = new Set<string>();

  constructor(
    id: string,
    env: DeviceEnv,
    private readonly options: MqttDeviceOptions,
  ) {
    super(id, env);
  }

  get online(): boolean {
    return this.connection?.online ?? false;
  }

  /**
   * Connect, trying again (up to CONNECT_ATTEMPTS) when the socket fails — thousands of
   * connects on one host see the odd ECONNRESET, and a real device retries too. A broker
   * that refuses the login, or never answers, is not asked again.
   */
  protected async open(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt();
      } catch (err) {
        const socketError = typeof (err as { code?: unknown }).code === 'string';
        if (!socketError || attempt >= CONNECT_ATTEMPTS) throw new FleetErrors.CONNECT_FAILED(this.id, (err as Error).message);
        // real time: this waits for a real socket, whatever the kernel clock does
        await new Promise((resolve) => setTimeout(resolve, this.options.reconnectPeriodMs));
      }
    }
  }

  private async attempt(): Promise<void> {
    // a client still retrying after a broker-side drop is replaced by a fresh one
    if (this.connection) void this.end(this.connection, false);
    const { id, options } = this;
    const client = mqtt.connect(options.url(), {
      clientId: id,
      username: id,
      password: options.password,
      clean: false,
      keepalive: options.keepaliveSeconds,
      reconnectPeriod: options.reconnectPeriodMs,
      connectTimeout: options.connectTimeoutMs,
      will: { topic: deviceTopics.status.topic(id), payload: Buffer.from(WILL_PAYLOAD), qos: 1, retain: true },
    });
    const conn: Connection = { client, online: false, subscribed: false };
    this.connection = conn;
    this.wire(conn);
    await new Promise<void>((resolve, reject) => {
      // a real-time bound on a real socket: the kernel clock may be virtual
      const timer = setTimeout(() => fail(new Error(`no CONNACK within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        client.off('connect', ok);
        client.off('error', fail);
      };
      function ok() {
        done();
        resolve();
      }
      function fail(err: Error) {
        done();
        reject(err);
      }
      client.once('connect', ok);
      client.once('error', fail);
    }).catch((err) => {
      void this.end(conn, false);
      throw err;
    });
  }

  private wire(conn: Connection): void {
    const { client } = conn;
    client.on('connect', () => {
      if (this.connection !== conn) return;
      // no Nagle: a reply right after a PUBACK would wait ~40 ms for the broker's delayed ACK
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      // online (for publishes, commands, the fleet) once the broker holds its subscriptions
      const announce = () => {
        conn.online = true;
        client.publish(deviceTopics.status.topic(this.id), statusPayload('online', this.env.now()), { qos: 1, retain: true }, (err) => {
          if (err) this.env.logger.debug({ device: this.id, err: err.message }, 'online status not published');
        });
        this.env.events.connected(this.id);
      };
      if (conn.subscribed) return announce();
      conn.subscribed = true;
      if (this.staleAtBroker.size) client.unsubscribe([...this.staleAtBroker]);
      this.staleAtBroker.clear();
      if (this.subscriptions.size === 0) return announce();
      // a command sent on `device.connected` to a fresh session would otherwise reach no subscriber
      const all = Object.fromEntries([...this.subscriptions].map(([pattern, sub]) => [pattern, { qos: sub.qos }]));
      client.subscribe(all, () => announce());
    });
    client.on('close', () => {
      if (!conn.online) return;
      conn.online = false;
      this.env.events.disconnected(this.id, conn.endingExpected ?? false);
    });
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    // without a listener an 'error' event would throw; connect failures are handled in open()
    client.on('error', (err) => this.env.logger.debug({ device: this.id, err: err.message }, 'device connection error'));
  }

  protected async close(expected: boolean): Promise<void> {
    const conn = this.connection;
    if (!conn) return;
    if (!expected || !conn.online) {
      // dropping the socket without DISCONNECT: the broker publishes the will
      await this.end(conn, false);
      return;
    }
    try {
      await conn.client.publishAsync(deviceTopics.status.topic(this.id), statusPayload('offline', this.env.now()), { qos: 1, retain: true });
    } catch (err) {
      this.env.logger.debug({ device: this.id, err: (err as Error).message }, 'offline status not published');
    }
    await this.end(conn, true);
  }

  /** End a connection: `expected` sends DISCONNECT (the will is discarded), otherwise the socket is destroyed. */
  private end(conn: Connection, expected: boolean): Promise<void> {
    conn.endingExpected = expected;
    if (this.connection === conn) this.connection = undefined;
    return new Promise<void>((resolve) => conn.client.end(!expected, {}, () => resolve()));
  }

  destroy(): void {
    if (this.connection) void this.end(this.connection, false);
  }

  protected async send(topic: string, payload: string | Buffer, options: { qos: QoS; retain: boolean }): Promise<void> {
    await this.connection!.client.publishAsync(topic, payload, options);
  }

  protected addSubscription(pattern: string, qos: QoS): void {
    const conn = this.connection;
    this.staleAtBroker.delete(pattern);
    // before the first CONNACK the 'connect' handler subscribes to everything
    if (conn?.subscribed) conn.client.subscribe(pattern, { qos }, (err) => err && this.env.logger.debug({ device: this.id, pattern, err: err.message }, 'subscribe failed'));
  }

  protected removeSubscription(pattern: string): void {
    const conn = this.connection;
    if (conn?.subscribed) conn.client.unsubscribe(pattern);
    else this.staleAtBroker.add(pattern);
  }
}
