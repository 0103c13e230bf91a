// What every simulated device shares, whatever carries its messages: the subscriptions
// it keeps across reconnects, dispatch of incoming messages to handlers, and one queue of
// connect/disconnect steps so that a model flip, an admin call and a decommission never
// race on the same connection.
import type { Logger } from 'pino';
import { encodePayload, topicMatches } from '@understudy/plugin-mqtt';
import { FleetErrors } from '../errors.js';
import type { DeviceAgent, DeviceStatus } from '../contract.js';

export type Payload = string | Buffer | object;
export type QoS = 0 | 1 | 2;
type Handler = (topic: string, payload: Buffer) => void;

/** What a device tells the fleet about its connection. */
export interface DeviceEvents {
  connected(id: string): void;
  disconnected(id: string, expected: boolean): void;
  /** The device sent a message (lastSeenAt). */
  seen(id: string): void;
}

export interface DeviceEnv {
  events: DeviceEvents;
  logger: Logger;
  /** Kernel clock, for the `at` of status messages. */
  now(): number;
  /** Runs a connect under the fleet's concurrency limit. */
  gate<T>(open: () => Promise<T>): Promise<T>;
}

/** The will on `devices/{id}/status`: what the broker says when the device vanishes without a DISCONNECT. */
export const WILL_PAYLOAD = JSON.stringify({ state: 'offline', expected: false } satisfies DeviceStatus);
export const statusPayload = (state: DeviceStatus['state'], at: number) => JSON.stringify({ state, expected: true, at } satisfies DeviceStatus);

interface Subscription {
  qos: QoS;
  handlers: Set<Handler>;
}

export abstract class SimulatedDevice implements DeviceAgent {
  protected readonly subscriptions = new Map<string, Subscription>();
  private wantOnline = false;
  private dropUnexpectedly = false;
  private queue: Promise<void> = Promise.resolve();
  private steps = 0;

  constructor(
    readonly id: string,
    protected readonly env: DeviceEnv,
  ) {}

  abstract readonly online: boolean;
  /** Connect; resolves once the broker accepted the device. */
  protected abstract open(): Promise<void>;
  /** Disconnect: cleanly (status offline, then DISCONNECT) or by dropping the connection. */
  protected abstract close(expected: boolean): Promise<void>;
  protected abstract send(topic: string, payload: string | Buffer, options: { qos: QoS; retain: boolean }): Promise<void>;
  protected abstract addSubscription(pattern: string, qos: QoS): void;
  protected abstract removeSubscription(pattern: string): void;
  /** Stop now, without waiting for anything (kernel stop after the grace period). */
  abstract destroy(): void;

  /**
   * Ask for a connection state. Steps run one after the other and each looks at the
   * latest wish, so a burst of flips collapses into the last one.
   */
  setTarget(online: boolean, expected = true): Promise<void> {
    this.wantOnline = online;
    if (!online) this.dropUnexpectedly = !expected;
    this.steps++;
    const step = this.queue.then(() => this.step()).finally(() => this.steps--);
    this.queue = step.catch(() => undefined);
    return step;
  }

  /** A connect or disconnect is under way or queued. */
  get changing(): boolean {
    return this.steps > 0;
  }

  private async step(): Promise<void> {
    if (this.wantOnline && !this.online) await this.env.gate(() => this.open());
    else if (!this.wantOnline) await this.close(!this.dropUnexpectedly);
  }

  async publish(topic: string, payload: Payload, options: { qos?: QoS; retain?: boolean } = {}): Promise<void> {
    if (!this.online) throw new FleetErrors.DEVICE_OFFLINE(this.id);
    this.env.events.seen(this.id);
    await this.send(topic, encodePayload(payload), { qos: options.qos ?? 0, retain: options.retain ?? false });
  }

  subscribe(pattern: string, handler: Handler, options: { qos?: QoS } = {}): () => void {
    let sub = this.subscriptions.get(pattern);
    if (!sub) {
      sub = { qos: options.qos ?? 0, handlers: new Set() };
      this.subscriptions.set(pattern, sub);
      this.addSubscription(pattern, sub.qos);
    }
    // the same function twice is two subscriptions: wrap it so each has its own identity
    const own: Handler = (topic, payload) => handler(topic, payload);
    sub.handlers.add(own);
    return () => {
      const current = this.subscriptions.get(pattern);
      if (!current?.handlers.delete(own) || current.handlers.size > 0) return;
      this.subscriptions.delete(pattern);
      this.removeSubscription(pattern);
    };
  }

  /** Hand an incoming message to every handler whose pattern matches its topic. */
  protected dispatch(topic: string, payload: Buffer): void {
    for (const [pattern, sub] of this.subscriptions) if (topicMatches(pattern, topic)) this.run(sub, topic, payload);
  }

  /** Hand a message to the handlers of one pattern (the broker already matched it). */
  protected dispatchTo(pattern: string, topic: string, payload: Buffer): void {
    const sub = this.subscriptions.get(pattern);
    if (sub) this.run(sub, topic, payload);
  }

  private run(sub: Subscription, topic: string, payload: Buffer): void {
    for (const handler of sub.handlers) {
      try {
        handler(topic, payload);
      } catch (err) {
        this.env.logger.error({ err, device: this.id, topic }, 'a device message handler threw');
      }
    }
  }
}
