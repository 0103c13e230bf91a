// Simulated devices' side of commands and shadows. Each fleet device with an agent
// receives its commands through its own session and answers by the configured behaviour:
// maybe drop the delivery, ACKED (or REJECTED) after ackDelayMs, then COMPLETED (or FAILED)
// after completeDelayMs. A shadow delta is applied after ackDelayMs and reported back.
import { deviceTopics, type DeviceAgent, type Fleet } from '@understudy/plugin-fleet';
import type { Clock, Random } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import type { Behaviour, CommandsConfig } from './config.js';
import { isState } from './shadow-state.js';

type TimerHandle = ReturnType<Clock['setTimeout']>;

interface Simulated {
  type: string;
  agent: DeviceAgent;
  /** Drawn in delivery order: same seed and same deliveries, same outcomes. */
  random: Random;
  timers: Set<TimerHandle>;
  unsubscribe: Array<() => void>;
}

export interface SimulatorCounters {
  devices: number;
  /** Command deliveries simulated devices received (retries included). */
  received: number;
  /** Non-empty shadow deltas simulated devices received (each is applied and reported). */
  deltas: number;
  /** Deliveries a simulated device could not read. */
  malformedCommands: number;
  /** Deliveries ignored on purpose (dropRate). */
  dropped: number;
  /** Replies or reports the device could not publish (it was offline). */
  publishFailures: number;
}

export class Simulator {
  private readonly devices = new Map<string, Simulated>();
  private readonly counts = { received: 0, deltas: 0, malformedCommands: 0, dropped: 0, publishFailures: 0 };

  constructor(
    private readonly behaviour: CommandsConfig['behaviour'],
    private readonly fleet: Fleet,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly logger: Logger,
  ) {}

  /** The behaviour for one command to one device: default, then byType, then byCommand. */
  behaviourFor(type: string, command?: string): Behaviour {
    return { ...this.behaviour.default, ...this.behaviour.byType[type], ...(command !== undefined && this.behaviour.byCommand[command]) };
  }

  /** Start answering for a device if it is simulated (has an agent); idempotent. */
  attach(deviceId: string): void {
    if (this.devices.has(deviceId)) return;
    const agent = this.fleet.agent(deviceId);
    const device = this.fleet.get(deviceId);
    if (!agent || !device) return;
    const sim: Simulated = { type: device.type, agent, random: this.random.fork(`device/${deviceId}`), timers: new Set(), unsubscribe: [] };
    this.devices.set(deviceId, sim);
    sim.unsubscribe.push(
      agent.subscribe(deviceTopics.commands.filter(deviceId), (_topic, payload) => this.onCommand(sim, payload), { qos: 1 }),
      agent.subscribe(deviceTopics.shadow.topic(deviceId, 'delta'), (_topic, payload) => this.onDelta(sim, payload), { qos: 1 }),
    );
  }

  detach(deviceId: string): void {
    const sim = this.devices.get(deviceId);
    if (!sim) return;
    this.devices.delete(deviceId);
    for (const off of sim.unsubscribe) off();
    for (const timer of sim.timers) this.clock.clearTimeout(timer);
  }

  counters(): SimulatorCounters {
    return { devices: this.devices.size, ...this.counts };
  }

  stop(): void {
    for (const id of [...this.devices.keys()]) this.detach(id);
  }

  private onCommand(sim: Simulated, payload: Buffer): void {
    this.counts.received++;
    const command = readJson(payload);
    if (!isState(command) || typeof command.correlationId !== 'string' || typeof command.name !== 'string') {
      this.counts.malformedCommands++;
      return;
    }
    const { correlationId, name, params } = command;
    const b = this.behaviourFor(sim.type, name);
    // always three draws per delivery, so one device's outcomes do not depend on its rates
    const drop = sim.random.next() < b.dropRate;
    const reject = sim.random.next() < b.rejectionRate;
    const fail = sim.random.next() < b.failureRate;
    if (drop) {
      this.counts.dropped++;
      return;
    }
    const replies = deviceTopics.replies.topic(sim.agent.id);
    if (reject) {
      this.later(sim, b.ackDelayMs, () => this.publish(sim, replies, { correlationId, status: 'REJECTED', error: 'busy' }));
      return;
    }
    this.later(sim, b.ackDelayMs, () => this.publish(sim, replies, { correlationId, status: 'ACKED' }));
    const done = fail ? { correlationId, status: 'FAILED', error: 'simulated failure' } : { correlationId, status: 'COMPLETED', result: { ok: true, command: name, params } };
    this.later(sim, b.ackDelayMs + b.completeDelayMs, () => this.publish(sim, replies, done));
  }

  private onDelta(sim: Simulated, payload: Buffer): void {
    const doc = readJson(payload);
    const state = isState(doc) ? doc.state : undefined;
    // an empty delta means in sync (it is also what the retained topic holds then)
    if (!isState(state) || Object.keys(state).length === 0) return;
    this.counts.deltas++;
    const b = this.behaviourFor(sim.type);
    this.later(sim, b.ackDelayMs, () => this.publish(sim, deviceTopics.shadow.topic(sim.agent.id, 'reported'), state));
  }

  private later(sim: Simulated, ms: number, fn: () => void): void {
    const timer = this.clock.setTimeout(() => {
      sim.timers.delete(timer);
      fn();
    }, ms);
    sim.timers.add(timer);
  }

  private publish(sim: Simulated, topic: string, payload: object): void {
    sim.agent.publish(topic, payload, { qos: 1 }).catch((err: unknown) => {
      this.counts.publishFailures++;
      this.logger.debug({ err, device: sim.agent.id, topic }, 'simulated device could not publish');
    });
  }
}

function readJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
}
