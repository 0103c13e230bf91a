// The command store and dispatcher: runs each command through the state machine and does
// what it asks — publish, keep one timer per command, emit an event per transition — and
// keeps finished commands in a bounded history.
import { deviceTopics } from '@understudy/plugin-fleet';
import type { Broker } from '@understudy/plugin-mqtt';
import type { Clock, PluginEvents, Random } from '@understudy/plugin-sdk';
import type { Logger } from 'pino';
import type { CommandsConfig } from './config.js';
import type { Devices } from './devices.js';
import { CommandErrors } from './errors.js';
import { createCommand, isTerminal, transition, type CommandAction, type CommandInput, type CommandPolicy, type MachineCommand, type TimerKind } from './state-machine.js';
import type { Command, CommandEventType, Commands, CommandStatus, SendCommand } from './contract.js';
import { parseReply } from './validate.js';

type TimerHandle = ReturnType<Clock['setTimeout']>;

interface Entry {
  command: MachineCommand;
  timer?: TimerHandle;
  timerKind?: TimerKind;
}

export const EVENT_OF_STATUS: Readonly<Record<CommandStatus, CommandEventType>> = {
  QUEUED: 'command.queued',
  SENT: 'command.sent',
  ACKED: 'command.acked',
  COMPLETED: 'command.completed',
  FAILED: 'command.failed',
  TIMED_OUT: 'command.timedOut',
};

export interface CommandCounters {
  /** Commands created since start. */
  created: number;
  /** Deliveries published (retries included). */
  deliveries: number;
  /** Deliveries the broker refused to take (the ack timeout retries them). */
  publishFailures: number;
  replies: number;
  /** Replies that are not JSON or not shaped `{ correlationId, status }`. */
  malformedReplies: number;
  /** Replies whose correlation id is no command of that device (or one dropped from the history). */
  unknownReplies: number;
  /** Replies to a command that had already finished. */
  lateReplies: number;
  /** A second ACKED for the same command. */
  duplicateReplies: number;
  /** Finished commands dropped from the history because it was full. */
  droppedFromHistory: number;
}

export interface CommandStats extends CommandCounters {
  active: number;
  finished: number;
}

export class CommandCenter implements Commands {
  private readonly entries = new Map<string, Entry>();
  /** Unfinished commands per device, in creation order. */
  private readonly activeByDevice = new Map<string, Set<string>>();
  private activeCount = 0;
  private sequence = 0;
  /** Finished command ids, oldest first. */
  private readonly finished = new Set<string>();
  private readonly counters: CommandCounters = {
    created: 0,
    deliveries: 0,
    publishFailures: 0,
    replies: 0,
    malformedReplies: 0,
    unknownReplies: 0,
    lateReplies: 0,
    duplicateReplies: 0,
    droppedFromHistory: 0,
  };

  constructor(
    private readonly config: CommandsConfig,
    private readonly devices: Devices,
    private readonly broker: Broker,
    private readonly clock: Clock,
    private readonly ids: Random,
    private readonly jitter: Random,
    private readonly events: PluginEvents,
    private readonly logger: Logger,
  ) {}

  send(request: SendCommand): Command[] {
    const deviceIds = this.devices.resolve(request.target);
    if (this.activeCount + deviceIds.length > this.config.maxActive) throw new CommandErrors.TOO_MANY_ACTIVE(this.config.maxActive);
    const policy: CommandPolicy = {
      timeoutMs: request.timeoutMs ?? this.config.timeoutMs,
      maxAttempts: request.maxAttempts ?? this.config.maxAttempts,
      ttlMs: request.ttlMs ?? this.config.ttlMs,
      backoff: this.config.backoff,
      completionTimeoutMs: this.config.completionTimeoutMs,
    };
    const now = this.clock.now();
    // create them all first, so that every command exists before the first reply can arrive
    const entries = deviceIds.map((deviceId) => {
      const spec = { id: this.newId(), deviceId, name: request.name, params: request.params ?? {}, origin: request.origin ?? 'service', policy };
      const { command, actions } = createCommand(spec, now);
      const entry: Entry = { command };
      this.entries.set(command.id, entry);
      let active = this.activeByDevice.get(deviceId);
      if (!active) this.activeByDevice.set(deviceId, (active = new Set()));
      active.add(command.id);
      this.activeCount++;
      this.counters.created++;
      this.emit(command, 0);
      this.act(entry, actions);
      return entry;
    });
    for (const entry of entries) this.apply(entry, { type: 'dispatch', online: this.devices.isOnline(entry.command.deviceId) });
    return entries.map((e) => e.command);
  }

  get(id: string): Command | undefined {
    return this.entries.get(id)?.command;
  }

  /** The command, or a 404 error. */
  require(id: string): Command {
    const command = this.get(id);
    if (!command) throw new CommandErrors.NOT_FOUND(id);
    return command;
  }

  list(filter: { deviceId?: string; status?: CommandStatus } = {}): Command[] {
    const out: Command[] = [];
    for (const { command } of this.entries.values()) {
      if (filter.deviceId !== undefined && command.deviceId !== filter.deviceId) continue;
      if (filter.status !== undefined && command.status !== filter.status) continue;
      out.push(command);
    }
    return out;
  }

  /** Cancel an unfinished command: FAILED with reason `cancelled`. */
  cancel(id: string): Command {
    const entry = this.entries.get(id);
    if (!entry) throw new CommandErrors.NOT_FOUND(id);
    if (isTerminal(entry.command.status)) throw new CommandErrors.ALREADY_FINISHED(id, entry.command.status);
    this.apply(entry, { type: 'cancel' });
    return entry.command;
  }

  /** A device came online: deliver its queued commands (not those backing off) in creation order. */
  deviceConnected(deviceId: string): void {
    const active = this.activeByDevice.get(deviceId);
    if (!active) return;
    for (const id of [...active]) {
      const entry = this.entries.get(id)!;
      if (entry.command.status === 'QUEUED' && entry.timerKind === 'expiry') this.apply(entry, { type: 'dispatch', online: true });
    }
  }

  /** A message on `devices/{deviceId}/replies`. */
  reply(deviceId: string, payload: Buffer | string): void {
    this.counters.replies++;
    const reply = parseReply(payload);
    if (!reply) {
      this.counters.malformedReplies++;
      return;
    }
    const entry = this.entries.get(reply.correlationId);
    if (!entry || entry.command.deviceId !== deviceId) {
      this.counters.unknownReplies++;
      return;
    }
    const outcome = this.apply(entry, { type: 'reply', status: reply.status, result: reply.result, error: reply.error });
    if (outcome === 'late') this.counters.lateReplies++;
    else if (outcome === 'duplicate') this.counters.duplicateReplies++;
    else if (outcome === 'invalid') this.counters.unknownReplies++;
  }

  stats(): CommandStats {
    return { ...this.counters, active: this.activeCount, finished: this.finished.size };
  }

  stop(): void {
    for (const entry of this.entries.values()) this.clearTimer(entry);
  }

  /** Feed one input; returns the rejection when the machine refused it. */
  private apply(entry: Entry, input: CommandInput): 'late' | 'duplicate' | 'invalid' | undefined {
    const result = transition(entry.command, input, this.clock.now());
    if (!result.ok) {
      this.logger.debug({ command: entry.command.id, input: input.type }, result.message);
      return result.rejection;
    }
    const seen = entry.command.history.length;
    entry.command = result.command;
    this.emit(entry.command, seen);
    this.act(entry, result.actions);
    if (isTerminal(entry.command.status)) this.finish(entry.command);
    return undefined;
  }

  private act(entry: Entry, actions: CommandAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          this.deliver(entry.command);
          break;
        case 'schedule':
          this.clearTimer(entry);
          entry.timerKind = action.timer;
          entry.timer = this.clock.setTimeout(() => this.fire(entry), Math.max(0, action.at - this.clock.now()));
          break;
        case 'cancelTimer':
          this.clearTimer(entry);
          break;
        case 'giveUp':
          this.logger.debug({ command: entry.command.id, device: entry.command.deviceId }, `command given up: ${action.reason}`);
          break;
      }
    }
  }

  private fire(entry: Entry): void {
    const kind = entry.timerKind;
    entry.timer = undefined;
    entry.timerKind = undefined;
    if (kind === 'ack') this.apply(entry, { type: 'ackTimeout', random: this.jitter.next() });
    else if (kind === 'retry') this.apply(entry, { type: 'dispatch', online: this.devices.isOnline(entry.command.deviceId) });
    else if (kind === 'completion') this.apply(entry, { type: 'completionTimeout' });
    else this.apply(entry, { type: 'expire' });
  }

  private clearTimer(entry: Entry): void {
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.timerKind = undefined;
  }

  private deliver(command: MachineCommand): void {
    this.counters.deliveries++;
    const topic = deviceTopics.commands.topic(command.deviceId, command.name);
    const payload = { correlationId: command.id, name: command.name, params: command.params, sentAt: this.clock.now() };
    this.broker.publish(topic, payload, { qos: 1 }).catch((err: unknown) => {
      this.counters.publishFailures++;
      this.logger.warn({ err, command: command.id }, 'publishing a command failed; the ack timeout will retry it');
    });
  }

  /** One event per history entry from index `from` on. */
  private emit(command: MachineCommand, from: number): void {
    for (const entry of command.history.slice(from)) {
      this.events.emit(EVENT_OF_STATUS[entry.status], {
        id: command.id,
        deviceId: command.deviceId,
        name: command.name,
        attempts: command.attempts,
        ...(entry.reason !== undefined && { reason: entry.reason }),
      });
    }
  }

  private finish(command: MachineCommand): void {
    const active = this.activeByDevice.get(command.deviceId)!;
    active.delete(command.id);
    if (active.size === 0) this.activeByDevice.delete(command.deviceId);
    this.activeCount--;
    this.finished.add(command.id);
    if (this.finished.size > this.config.history.capacity) {
      const oldest = this.finished.values().next().value as string;
      this.finished.delete(oldest);
      this.entries.delete(oldest);
      this.counters.droppedFromHistory++;
    }
  }

  /** Random (seeded) so ids differ between runs with different seeds; the sequence keeps them unique. */
  private newId(): string {
    const hex = this.ids.int(0, 0xffffffff).toString(16).padStart(8, '0');
    return `cmd-${hex}-${(++this.sequence).toString(36)}`;
  }
}
