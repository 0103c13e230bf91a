// The command lifecycle, pure: every transition is a function of (command, input, now) that
// returns the new command and the actions its owner must take, or an explicit rejection.
// Nothing here publishes, schedules or reads a clock; commands.ts does, from the actions.
//
//   QUEUED ──dispatch (device online)──▶ SENT ──reply ACKED──▶ ACKED ──reply COMPLETED──▶ COMPLETED
//     │  ▲                                 │ │                  │ └─reply FAILED──────────▶ FAILED
//     │  └──ack timeout, attempts left─────┘ ├─reply COMPLETED──┼──────────────────────────▶ COMPLETED
//     │     (retry after backoff)            ├─reply FAILED / REJECTED ─────────────────────▶ FAILED
//     │                                      └─ack timeout, no attempts left ──────────────▶ TIMED_OUT
//     └─expiry (not delivered by expiresAt) ──────────────────────────────────────────────▶ TIMED_OUT
//   ACKED ──no COMPLETED within completionTimeoutMs (0 = wait forever) ────────────────────▶ TIMED_OUT
//   QUEUED / SENT / ACKED ──cancel──▶ FAILED (reason cancelled)
//
// A command waits on exactly one timer at a time, so every accepted transition carries
// either a `schedule` action (which replaces the previous timer) or a `cancelTimer` one.
import type { Command, CommandStatus, CommandTransition } from './contract.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0..1: the delay is scaled by a factor drawn from [1 - jitter, 1 + jitter]. */
  jitter: number;
}

export interface CommandPolicy {
  /** Per attempt, until the device acks. */
  timeoutMs: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** After ACKED; 0 = wait for COMPLETED forever. */
  completionTimeoutMs: number;
  /** How long a command may wait to be delivered. */
  ttlMs: number;
}

/** A command as the machine sees it: the public shape plus the policy it runs under. */
export type MachineCommand = Command & { policy: CommandPolicy };

export type ReplyStatus = 'ACKED' | 'COMPLETED' | 'FAILED' | 'REJECTED';
export type TimerKind = 'ack' | 'retry' | 'completion' | 'expiry';

export type CommandInput =
  /** Try to deliver: at creation, when a retry is due, when the device connects. */
  | { type: 'dispatch'; online: boolean }
  | { type: 'reply'; status: ReplyStatus; result?: unknown; error?: string }
  /** No ack within timeoutMs; `random` in [0, 1) draws the jitter. */
  | { type: 'ackTimeout'; random: number }
  | { type: 'completionTimeout' }
  | { type: 'expire' }
  | { type: 'cancel' };

export type CommandAction =
  /** Publish the command to the device (attempt = command.attempts). */
  | { type: 'send'; attempt: number }
  /** Wait on this timer (replaces any previous one) and feed its input when it fires. */
  | { type: 'schedule'; timer: TimerKind; at: number }
  | { type: 'cancelTimer' }
  /** The owner stops trying: the command ended without the device finishing it. */
  | { type: 'giveUp'; reason: string };

export type Rejection = 'late' | 'duplicate' | 'invalid';

export type TransitionResult<C extends MachineCommand = MachineCommand> =
  | { ok: true; command: C; actions: CommandAction[] }
  | { ok: false; rejection: Rejection; message: string };

export const TERMINAL: ReadonlySet<CommandStatus> = new Set(['COMPLETED', 'FAILED', 'TIMED_OUT']);

export const isTerminal = (status: CommandStatus): boolean => TERMINAL.has(status);

/** Delay before retry number `attempt + 1`: base·2^(attempt-1), jittered, capped at maxMs. */
export function backoffDelay(attempt: number, backoff: BackoffPolicy, random: number): number {
  const raw = backoff.baseMs * 2 ** (attempt - 1);
  const factor = 1 + backoff.jitter * (2 * random - 1);
  return Math.round(Math.min(backoff.maxMs, raw * factor));
}

export interface NewCommand {
  id: string;
  deviceId: string;
  name: string;
  params: Record<string, unknown>;
  origin: string;
  policy: CommandPolicy;
}

/** A new command: QUEUED, waiting for a dispatch until it expires. */
export function createCommand(spec: NewCommand, now: number): { command: MachineCommand; actions: CommandAction[] } {
  const expiresAt = now + spec.policy.ttlMs;
  const command: MachineCommand = {
    ...spec,
    status: 'QUEUED',
    attempts: 0,
    createdAt: now,
    expiresAt,
    history: [{ status: 'QUEUED', at: now, reason: 'created' }],
  };
  return { command, actions: [{ type: 'schedule', timer: 'expiry', at: expiresAt }] };
}

function move<C extends MachineCommand>(command: C, status: CommandStatus, now: number, reason: string, extra: Partial<MachineCommand> = {}): C {
  const entry: CommandTransition = { status, at: now, reason };
  return { ...command, ...extra, status, history: [...command.history, entry] };
}

const reject = (rejection: Rejection, message: string): { ok: false; rejection: Rejection; message: string } => ({ ok: false, rejection, message });

const accept = <C extends MachineCommand>(command: C, ...actions: CommandAction[]): TransitionResult<C> => ({ ok: true, command, actions });

/** End the command without the device finishing it. */
function giveUp<C extends MachineCommand>(command: C, status: 'FAILED' | 'TIMED_OUT', now: number, reason: string): TransitionResult<C> {
  return accept(move(command, status, now, reason, status === 'FAILED' ? { error: reason } : {}), { type: 'giveUp', reason }, { type: 'cancelTimer' });
}

/** Apply one input. Inputs that make no sense in the current state are rejected, never applied. */
export function transition<C extends MachineCommand>(command: C, input: CommandInput, now: number): TransitionResult<C> {
  const { status, policy } = command;
  if (isTerminal(status)) {
    const rejection = input.type === 'reply' ? 'late' : 'invalid';
    return reject(rejection, `command ${command.id} is already ${status}; ${input.type} ignored`);
  }
  switch (input.type) {
    case 'dispatch': {
      if (status !== 'QUEUED') return reject('invalid', `command ${command.id} is ${status}, only a QUEUED command can be dispatched`);
      if (now >= command.expiresAt) return giveUp(command, 'TIMED_OUT', now, `expired: not delivered within ttlMs (${policy.ttlMs} ms)`);
      if (!input.online) return accept(command, { type: 'schedule', timer: 'expiry', at: command.expiresAt });
      const attempt = command.attempts + 1;
      const sent = move(command, 'SENT', now, `attempt ${attempt} of ${policy.maxAttempts}`, { attempts: attempt });
      return accept(sent, { type: 'send', attempt }, { type: 'schedule', timer: 'ack', at: now + policy.timeoutMs });
    }
    case 'reply':
      return reply(command, input, now);
    case 'ackTimeout': {
      if (status !== 'SENT') return reject('invalid', `command ${command.id} is ${status}, not waiting for an ack`);
      if (command.attempts >= policy.maxAttempts) {
        return giveUp(command, 'TIMED_OUT', now, `no acknowledgement after ${command.attempts} attempt(s) of ${policy.timeoutMs} ms`);
      }
      const delay = backoffDelay(command.attempts, policy.backoff, input.random);
      const reason = `no acknowledgement within ${policy.timeoutMs} ms; retry ${command.attempts + 1} of ${policy.maxAttempts} in ${delay} ms`;
      return accept(move(command, 'QUEUED', now, reason), { type: 'schedule', timer: 'retry', at: now + delay });
    }
    case 'completionTimeout':
      if (status !== 'ACKED') return reject('invalid', `command ${command.id} is ${status}, not waiting for completion`);
      return giveUp(command, 'TIMED_OUT', now, `acknowledged but not completed within ${policy.completionTimeoutMs} ms`);
    case 'expire':
      if (status !== 'QUEUED') return reject('invalid', `command ${command.id} is ${status}; only a QUEUED command expires`);
      return giveUp(command, 'TIMED_OUT', now, `expired: not delivered within ttlMs (${policy.ttlMs} ms)`);
    case 'cancel':
      return giveUp(command, 'FAILED', now, 'cancelled');
  }
}

function reply<C extends MachineCommand>(command: C, input: Extract<CommandInput, { type: 'reply' }>, now: number): TransitionResult<C> {
  const { status, policy } = command;
  // a QUEUED command that was sent before is backing off: its late ack still counts
  if (status === 'QUEUED' && command.attempts === 0) return reject('invalid', `command ${command.id} was never sent; reply ignored`);
  switch (input.status) {
    case 'ACKED': {
      if (status === 'ACKED') return reject('duplicate', `command ${command.id} is already ACKED`);
      const acked = move(command, 'ACKED', now, 'device acknowledged');
      if (policy.completionTimeoutMs === 0) return accept(acked, { type: 'cancelTimer' });
      return accept(acked, { type: 'schedule', timer: 'completion', at: now + policy.completionTimeoutMs });
    }
    case 'COMPLETED':
      return accept(move(command, 'COMPLETED', now, 'device completed', { result: input.result }), { type: 'cancelTimer' });
    case 'FAILED': {
      const error = input.error ?? 'no error given';
      return accept(move(command, 'FAILED', now, `device failed: ${error}`, { error, result: input.result }), { type: 'cancelTimer' });
    }
    case 'REJECTED': {
      const error = input.error ?? 'no reason given';
      return accept(move(command, 'FAILED', now, `device rejected: ${error}`, { error: `rejected: ${error}`, result: input.result }), { type: 'cancelTimer' });
    }
  }
}
