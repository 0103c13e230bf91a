// A simulated device without a socket, for fleets too large for one connection each: it
// publishes and subscribes through the broker service, and plays its own status messages
// (including the will's `expected: false` when it "drops"). The broker sees its messages
// as in-process ones (clientId null), and it gets no persistent session: messages sent
// while it is offline are not queued for it.
import type { Broker } from '@understudy/plugin-mqtt';
import { deviceTopics } from '../contract.js';
import { SimulatedDevice, statusPayload, WILL_PAYLOAD, type DeviceEnv, type QoS } from './simulated-device.js';

export class InprocessDevice extends SimulatedDevice {
  private connected = false;
  private readonly unsubscribers = new Map<string, () => void>();

  constructor(
    id: string,
    env: DeviceEnv,
    private readonly broker: Broker,
  ) {
    super(id, env);
  }

  get online(): boolean {
    return this.connected;
  }

  protected async open(): Promise<void> {
    if (this.connected) return;
    this.connected = true;
    for (const [pattern] of this.subscriptions) this.listen(pattern);
    this.env.events.connected(this.id);
    await this.broker.publish(deviceTopics.status.topic(this.id), statusPayload('online', this.env.now()), { qos: 1, retain: true });
  }

  protected async close(expected: boolean): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    for (const unsubscribe of this.unsubscribers.values()) unsubscribe();
    this.unsubscribers.clear();
    this.env.events.disconnected(this.id, expected);
    await this.broker.publish(deviceTopics.status.topic(this.id), expected ? statusPayload('offline', this.env.now()) : WILL_PAYLOAD, { qos: 1, retain: true });
  }

  destroy(): void {
    this.connected = false;
    for (const unsubscribe of this.unsubscribers.values()) unsubscribe();
    this.unsubscribers.clear();
  }

  protected send(topic: string, payload: string | Buffer, options: { qos: QoS; retain: boolean }): Promise<void> {
    return this.broker.publish(topic, payload, options);
  }

  private listen(pattern: string): void {
    this.unsubscribers.set(
      pattern,
      this.broker.subscribe(pattern, (message) => this.dispatchTo(pattern, message.topic, message.payload)),
    );
  }

  protected addSubscription(pattern: string): void {
    if (this.connected) this.listen(pattern);
  }

  protected removeSubscription(pattern: string): void {
    this.unsubscribers.get(pattern)?.();
    this.unsubscribers.delete(pattern);
  }
}
