// The `broker` service: an aedes broker on a TCP server of its own and on the kernel's
// HTTP server (MQTT over WebSocket). aedes does the protocol; this class wires its
// hooks to access control, counters, events and the `published` hook group, guards each
// connection's parser (largest packet, CONNACK for a bad protocol level: guard.ts), and
// can restart without losing sessions (the persistence outlives each aedes instance).
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import memoryPersistenceModule, { type AedesMemoryPersistence } from 'aedes-persistence';
import type { Logger } from 'pino';
import { createWebSocketStream, type WebSocket } from 'ws';
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import { AccessControl, IdentityStore } from './access.js';
import { guardConnection } from './guard.js';
import type { MqttConfig } from './config.js';
import { Counters } from './counters.js';
import { createMessageBus } from './emitter.js';
import { MqttErrors } from './errors.js';
import { isValidFilter, topicProblem } from './topics.js';
import type { Broker, BrokerCounters, ClientInfo, MqttHooks, MqttMessage, PublishOptions } from './contract.js';

export interface BrokerDeps {
  config: MqttConfig;
  clock: Clock;
  events: PluginEvents;
  logger: Logger;
  hooks: MqttHooks;
}

interface InProcessSubscription {
  pattern: string;
  deliver: (packet: AedesPublishPacket, done: () => void) => void;
}

const IDENTIFIER_REJECTED = 2;
const NOT_AUTHORIZED = 5;

/** Bytes of a PUBLISH packet: fixed header, topic (length-prefixed), packet id when QoS > 0, payload. */
export function publishPacketSize(topic: string, payloadBytes: number, qos: number): number {
  const remaining = 2 + Buffer.byteLength(topic) + (qos > 0 ? 2 : 0) + payloadBytes;
  return 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4) + remaining;
}

// aedes-persistence is CommonJS (`module.exports = factory`) but its typings declare an
// ES default export, so under NodeNext the types see a namespace where there is a function
const memoryPersistence = memoryPersistenceModule as unknown as () => AedesMemoryPersistence;

/** aedes keeps its connected clients by id; its typings leave the map out. */
const clientsOf = (aedes: Aedes) => (aedes as unknown as { clients: Record<string, Client> }).clients;

const toMessage = (packet: AedesPublishPacket, clientId: string | null): MqttMessage => ({
  topic: packet.topic,
  payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
  qos: packet.qos,
  retain: packet.retain,
  clientId,
});

/** Payload objects travel as JSON; strings as UTF-8. */
export const encodePayload = (payload: string | Buffer | object): Buffer =>
  Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));

export class AedesBroker implements Broker {
  readonly identities = new IdentityStore();
  readonly #access: AccessControl;
  readonly #counters: Counters;
  // sessions, subscriptions, retained and queued messages: kept across restart()
  readonly #persistence = memoryPersistence();
  readonly #inProcess = new Set<InProcessSubscription>();
  readonly #connectedAt = new WeakMap<Client, number>();
  readonly #sockets = new Set<Socket>();
  /** CONNECTs with an empty client id that MQTT requires us to refuse (MQTT-3.1.3-8). */
  readonly #emptyIds = new WeakSet<Client>();
  #warnedUnguarded = false;
  #aedes!: Aedes;
  #server?: Server;
  #port = 0;
  #wsUrl = '';

  constructor(private readonly deps: BrokerDeps) {
    this.#access = new AccessControl(deps.config.auth, this.identities, deps.config.acl);
    this.#counters = new Counters(deps.clock);
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return this.#server ? `mqtt://${this.#displayHost()}:${this.#port}` : '';
  }

  get wsUrl(): string {
    return this.#wsUrl;
  }

  /** Create the aedes instance (in-process publish/subscribe work from here on). */
  async create(): Promise<void> {
    this.#aedes = await Aedes.createBroker({
      id: this.deps.config.brokerId,
      persistence: this.#persistence,
      mq: createMessageBus(this.deps.config.concurrency),
      concurrency: this.deps.config.concurrency,
      queueLimit: this.deps.config.queueLimit,
      preConnect: (client, packet, done) => {
        // [MQTT-3.1.3-8] an empty client id needs cleanSession = 1 (MQTT 3.1 needs an id, full stop);
        // aedes would make one up. Refused in authenticate, which can answer with a return code.
        if (packet.clientId === '' && (!packet.clean || packet.protocolVersion === 3)) this.#emptyIds.add(client);
        done(null, true);
      },
      authenticate: (client, username, password, done) => {
        if (this.#emptyIds.has(client)) {
          const reason = 'an empty client id needs cleanSession = 1 (MQTT-3.1.3-8); send a client id, or a clean session';
          return this.#refuse('', reason, IDENTIFIER_REJECTED, done);
        }
        const decision = this.#access.authenticate(client, username, password);
        if (decision.ok) return done(null, true);
        this.#refuse(client.id, decision.reason, NOT_AUTHORIZED, done);
      },
      authorizePublish: (client, packet, done) => {
        if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS topics are reserved for the broker'));
        const decision = client ? this.#access.mayPublish(client, packet.topic) : { ok: true as const };
        if (decision.ok) return done(null);
        this.#counters.dropped++;
        this.deps.events.emit('mqtt.publishDenied', { clientId: client!.id, topic: packet.topic });
        done(new Error(decision.reason));
      },
      authorizeSubscribe: (client, subscription, done) => {
        const decision = this.#access.maySubscribe(client, subscription.topic);
        if (decision.ok) return done(null, subscription);
        this.deps.events.emit('mqtt.subscribeDenied', { clientId: client.id, topic: subscription.topic });
        done(null, null); // SUBACK 0x80 for this filter; the connection stays up
      },
      authorizeForward: (client, packet) => {
        if (!this.#access.mayReceive(client, packet.topic)) {
          this.#counters.dropped++;
          return null;
        }
        this.#counters.messagesOut++;
        return packet;
      },
      published: (packet, client, done) => {
        if (!packet.topic.startsWith('$SYS/')) {
          this.#counters.messagesIn++;
          if (this.deps.hooks.published.isUsed()) this.deps.hooks.published.call(toMessage(packet, client?.id ?? null));
        }
        done(null);
      },
    });
    this.#wire(this.#aedes);
    for (const sub of this.#inProcess) this.#aedes.subscribe(sub.pattern, sub.deliver, noop);
  }

  #refuse(clientId: string, reason: string, returnCode: number, done: (err: Error & { returnCode: never }, ok: false) => void): void {
    this.#counters.refusedConnections++;
    this.deps.events.emit('mqtt.connectionRefused', { clientId, reason });
    // the typings' AuthErrorCode is a const enum, which isolated modules cannot name
    done(Object.assign(new Error(reason), { returnCode: returnCode as never }), false);
  }

  /** Hand a connection to aedes, with its parser guarded (guard.ts). */
  #handle(stream: Socket | Duplex, request?: IncomingMessage): void {
    const client = this.#aedes.handle(stream, request);
    guardConnection(client, {
      maxPacketSize: this.deps.config.maxPacketSize,
      tooLarge: (c, bytes) => {
        this.#counters.oversizedPackets++;
        this.deps.events.emit('mqtt.packetTooLarge', { clientId: c.id ?? null, bytes, limit: this.deps.config.maxPacketSize });
      },
      badLevel: (_c, level) => {
        this.#counters.refusedConnections++;
        this.deps.events.emit('mqtt.connectionRefused', { clientId: '', reason: `unsupported protocol level ${level} (CONNACK 0x01, MQTT-3.1.2-2); this broker speaks MQTT 3.1 and 3.1.1` });
      },
      unguarded: (why) => {
        if (this.#warnedUnguarded) return;
        this.#warnedUnguarded = true;
        this.deps.logger.error({ why }, 'maxPacketSize is NOT enforced: the MQTT parser is not of the shape this plugin guards');
      },
    });
  }

  #wire(aedes: Aedes): void {
    const { events, logger } = this.deps;
    aedes.on('clientReady', (client) => {
      this.#connectedAt.set(client, this.deps.clock.now());
      events.emit('mqtt.clientConnected', { clientId: client.id, transport: client.req ? 'ws' : 'tcp' });
    });
    aedes.on('clientDisconnect', (client) => events.emit('mqtt.clientDisconnected', { clientId: client.id }));
    const onError = (client: Client, err: Error) => {
      this.#counters.clientErrors++;
      logger.debug({ clientId: client.id, err: err.message }, 'mqtt client closed by an error');
      if (client.id) events.emit('mqtt.clientError', { clientId: client.id, message: err.message });
    };
    aedes.on('clientError', onError);
    aedes.on('connectionError', onError);
  }

  /** Listen on TCP (the port from config, then the same port on restart). */
  async listen(): Promise<void> {
    const { host } = this.deps.config;
    const port = this.#port || this.deps.config.port; // on restart: the port bound first
    // no Nagle: a small packet (a PUBACK, a command) would otherwise wait up to ~40 ms
    // for the peer's delayed ACK
    const server = createServer({ noDelay: true }, (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      this.#handle(socket);
    });
    server.listen(port, host);
    try {
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err))]);
    } catch (err) {
      throw new MqttErrors.LISTEN_FAILED(`${host}:${port}`, (err as Error).message);
    }
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    this.deps.logger.info({ url: this.url }, 'MQTT broker listening');
  }

  /** The kernel's HTTP server listens; MQTT over WebSocket is at `path` on it. */
  setHttpAddress(address: { address: string; port: number } | null, path: string): void {
    if (address) this.#wsUrl = `ws://${this.#displayHost(address.address)}:${address.port}${path}`;
  }

  /** A WebSocket opened on the `/mqtt` route: an MQTT connection like any other. */
  handleWebSocket(socket: WebSocket, request: IncomingMessage): void {
    const stream = createWebSocketStream(socket);
    stream.on('error', noop); // aedes reports the client's error; a broken socket must not crash us
    this.#handle(stream, request);
  }

  #displayHost(address = this.deps.config.host): string {
    if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
    return address.includes(':') ? `[${address}]` : address;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#aedes.close(() => resolve()));
    const server = this.#server;
    if (server) {
      for (const socket of this.#sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  async stop(): Promise<void> {
    await this.close();
    this.#server = undefined;
    this.#counters.stop();
  }

  async restart(): Promise<void> {
    await this.close();
    await this.create();
    await this.listen();
    this.deps.events.emit('mqtt.restarted', { url: this.url });
  }

  async publish(topic: string, payload: string | Buffer | object, options: PublishOptions = {}): Promise<void> {
    const problem = topicProblem(topic);
    if (problem) throw new MqttErrors.BAD_TOPIC(topic, problem);
    await new Promise<void>((resolve, reject) =>
      this.#aedes.publish(
        { cmd: 'publish', topic, payload: encodePayload(payload), qos: options.qos ?? 0, retain: options.retain ?? false, dup: false },
        (err?: Error | null) => (err ? reject(err) : resolve()),
      ),
    );
  }

  /**
   * The HTTP bridge's publish: as `as` (a user or a device id) or anonymously, refused
   * (403) where the ACL would refuse that identity, and (413) beyond maxPacketSize.
   */
  async bridgePublish(as: string | undefined, topic: string, payload: Buffer, options: { qos: 0 | 1 | 2; retain: boolean }): Promise<void> {
    const problem = topicProblem(topic);
    if (problem) throw new MqttErrors.BAD_TOPIC(topic, problem);
    const { maxPacketSize } = this.deps.config;
    if (publishPacketSize(topic, payload.length, options.qos) > maxPacketSize) throw new MqttErrors.PACKET_TOO_LARGE(payload.length, maxPacketSize);
    const who = this.#access.bridgePrincipal(as);
    const decision = topic.startsWith('$SYS/')
      ? { ok: false as const, reason: '$SYS topics are reserved for the broker' }
      : this.#access.principalMayPublish(who, topic);
    if (!decision.ok) {
      this.deps.events.emit('mqtt.publishDenied', { clientId: who.clientId, topic });
      throw new MqttErrors.PUBLISH_DENIED(decision.reason);
    }
    await this.publish(topic, payload, options);
  }

  subscribe(pattern: string, handler: (message: MqttMessage) => void): () => void {
    if (!isValidFilter(pattern)) throw new MqttErrors.BAD_FILTER(pattern);
    // [MQTT-4.7.2-1] a filter starting with a wildcard does not see $SYS
    const skipsSys = pattern.startsWith('#') || pattern.startsWith('+');
    const sub: InProcessSubscription = {
      pattern,
      deliver: (packet, done) => {
        if (!(skipsSys && packet.topic.startsWith('$'))) {
          try {
            handler(toMessage(packet, null));
          } catch (err) {
            this.deps.logger.error({ err, pattern }, 'an in-process MQTT subscriber threw');
          }
        }
        done();
      },
    };
    this.#inProcess.add(sub);
    this.#aedes.subscribe(pattern, sub.deliver, noop);
    return () => {
      if (this.#inProcess.delete(sub)) this.#aedes.unsubscribe(pattern, sub.deliver, noop);
    };
  }

  async retained(pattern = '#'): Promise<MqttMessage[]> {
    if (!isValidFilter(pattern)) throw new MqttErrors.BAD_FILTER(pattern);
    const found: MqttMessage[] = [];
    for await (const packet of this.#persistence.createRetainedStreamCombi([pattern])) {
      found.push(toMessage(packet as AedesPublishPacket, null));
    }
    return found.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  clients(): ClientInfo[] {
    return Object.values(clientsOf(this.#aedes)).map((client) => ({
      id: client.id,
      transport: client.req ? 'ws' : 'tcp',
      connectedAt: this.#connectedAt.get(client) ?? 0,
      persistent: !client.clean,
      subscriptions: Object.keys((client as Client & { subscriptions: object }).subscriptions).length,
    }));
  }

  isConnected(clientId: string): boolean {
    return clientsOf(this.#aedes)[clientId] !== undefined;
  }

  /** Close one client's connection (its will is published, as on any unexpected loss). */
  disconnect(clientId: string): boolean {
    const client = clientsOf(this.#aedes)[clientId];
    if (!client) return false;
    client.conn.destroy();
    return true;
  }

  counters(): BrokerCounters {
    return this.#counters.snapshot(this.#aedes.connectedClients);
  }
}

function noop(): void {}
