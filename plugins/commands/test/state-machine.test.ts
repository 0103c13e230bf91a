import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay, createCommand, isTerminal, transition, type CommandInput, type CommandPolicy, type MachineCommand, type TransitionResult } from '../src/state-machine.js';

const POLICY: CommandPolicy = { timeoutMs: 100, maxAttempts: 3, backoff: { baseMs: 10, maxMs: 1000, jitter: 0 }, completionTimeoutMs: 500, ttlMs: 10_000 };

function fresh(policy: Partial<CommandPolicy> = {}, now = 0): MachineCommand {
  return createCommand({ id: 'c1', deviceId: 'd1', name: 'reboot', params: { a: 1 }, origin: 'test', policy: { ...POLICY, ...policy } }, now).command;
}

/** Apply an input that must be accepted. */
function ok(command: MachineCommand, input: CommandInput, now: number) {
  const result = transition(command, input, now);
  if (!result.ok) throw new Error(`rejected: ${result.message}`);
  return result;
}

function rejected(result: TransitionResult): { rejection: string; message: string } {
  if (result.ok) throw new Error(`accepted, now ${result.command.status}`);
  return result;
}

const sent = (policy: Partial<CommandPolicy> = {}) => ok(fresh(policy), { type: 'dispatch', online: true }, 1).command;
const acked = (policy: Partial<CommandPolicy> = {}) => ok(sent(policy), { type: 'reply', status: 'ACKED' }, 2).command;

const sm = suite('commands: state machine');

sm('createCommand: QUEUED with a created entry, waiting on the expiry timer', () => {
  const { command, actions } = createCommand({ id: 'c1', deviceId: 'd1', name: 'reboot', params: {}, origin: 'rest', policy: POLICY }, 1000);
  assert.is(command.status, 'QUEUED');
  assert.is(command.attempts, 0);
  assert.is(command.createdAt, 1000);
  assert.is(command.expiresAt, 11_000);
  assert.equal(command.history, [{ status: 'QUEUED', at: 1000, reason: 'created' }]);
  assert.equal(actions, [{ type: 'schedule', timer: 'expiry', at: 11_000 }]);
});

sm('dispatch online: SENT, attempt 1, send + ack timer; the input command is not mutated', () => {
  const queued = fresh();
  const { command, actions } = ok(queued, { type: 'dispatch', online: true }, 5);
  assert.is(command.status, 'SENT');
  assert.is(command.attempts, 1);
  assert.equal(command.history[1], { status: 'SENT', at: 5, reason: 'attempt 1 of 3' });
  assert.equal(actions, [{ type: 'send', attempt: 1 }, { type: 'schedule', timer: 'ack', at: 105 }]);
  assert.is(queued.status, 'QUEUED');
  assert.is(queued.history.length, 1);
});

sm('dispatch offline: stays QUEUED (no history entry), waits on the expiry timer', () => {
  const { command, actions } = ok(fresh(), { type: 'dispatch', online: false }, 5);
  assert.is(command.status, 'QUEUED');
  assert.is(command.history.length, 1);
  assert.equal(actions, [{ type: 'schedule', timer: 'expiry', at: 10_000 }]);
});

sm('dispatch after expiresAt: TIMED_OUT (expired), give up', () => {
  const { command, actions } = ok(fresh(), { type: 'dispatch', online: true }, 10_000);
  assert.is(command.status, 'TIMED_OUT');
  assert.match(command.history[1].reason!, 'expired');
  assert.equal(actions, [{ type: 'giveUp', reason: command.history[1].reason }, { type: 'cancelTimer' }]);
  assert.is(command.error, undefined);
});

sm('dispatch of a command that is not QUEUED is rejected', () => {
  const r = rejected(transition(sent(), { type: 'dispatch', online: true }, 3));
  assert.is(r.rejection, 'invalid');
  assert.match(r.message, 'only a QUEUED command');
});

sm('expire: QUEUED → TIMED_OUT; any other state rejects it', () => {
  const { command, actions } = ok(fresh(), { type: 'expire' }, 10_000);
  assert.is(command.status, 'TIMED_OUT');
  assert.is(command.history[1].reason, 'expired: not delivered within ttlMs (10000 ms)');
  assert.is(actions[0].type, 'giveUp');
  assert.is(rejected(transition(sent(), { type: 'expire' }, 3)).rejection, 'invalid');
});

sm('ACKED from SENT schedules the completion timeout', () => {
  const { command, actions } = ok(sent(), { type: 'reply', status: 'ACKED' }, 50);
  assert.is(command.status, 'ACKED');
  assert.is(command.history[2].reason, 'device acknowledged');
  assert.equal(actions, [{ type: 'schedule', timer: 'completion', at: 550 }]);
});

sm('ACKED with completionTimeoutMs 0 waits forever (timer cancelled)', () => {
  const { command, actions } = ok(sent({ completionTimeoutMs: 0 }), { type: 'reply', status: 'ACKED' }, 50);
  assert.is(command.status, 'ACKED');
  assert.equal(actions, [{ type: 'cancelTimer' }]);
});

sm('a second ACKED is a duplicate', () => {
  const r = rejected(transition(acked(), { type: 'reply', status: 'ACKED' }, 60));
  assert.is(r.rejection, 'duplicate');
});

sm('COMPLETED directly from SENT, and from ACKED, keeps the result', () => {
  const direct = ok(sent(), { type: 'reply', status: 'COMPLETED', result: { temp: 21 } }, 70);
  assert.is(direct.command.status, 'COMPLETED');
  assert.equal(direct.command.result, { temp: 21 });
  assert.equal(direct.actions, [{ type: 'cancelTimer' }]);
  const after = ok(acked(), { type: 'reply', status: 'COMPLETED' }, 80).command;
  assert.equal(after.history.map((h) => h.status), ['QUEUED', 'SENT', 'ACKED', 'COMPLETED']);
  assert.is(after.history[3].at, 80);
});

sm('FAILED keeps the error (or says none was given)', () => {
  const withError = ok(acked(), { type: 'reply', status: 'FAILED', error: 'disk full', result: { code: 7 } }, 90).command;
  assert.is(withError.status, 'FAILED');
  assert.is(withError.error, 'disk full');
  assert.is(withError.history[3].reason, 'device failed: disk full');
  assert.equal(withError.result, { code: 7 });
  const bare = ok(sent(), { type: 'reply', status: 'FAILED' }, 90).command;
  assert.is(bare.error, 'no error given');
});

sm('REJECTED ends FAILED with the reason', () => {
  const r = ok(sent(), { type: 'reply', status: 'REJECTED', error: 'busy' }, 90).command;
  assert.is(r.status, 'FAILED');
  assert.is(r.error, 'rejected: busy');
  assert.is(r.history[2].reason, 'device rejected: busy');
  const bare = ok(sent(), { type: 'reply', status: 'REJECTED' }, 90).command;
  assert.is(bare.error, 'rejected: no reason given');
});

sm('a reply to a command never sent is rejected', () => {
  const r = rejected(transition(fresh(), { type: 'reply', status: 'ACKED' }, 1));
  assert.is(r.rejection, 'invalid');
  assert.match(r.message, 'never sent');
});

sm('replies after a terminal state are late; other inputs are invalid', () => {
  const done = ok(sent(), { type: 'reply', status: 'COMPLETED' }, 5).command;
  for (const status of ['ACKED', 'COMPLETED', 'FAILED', 'REJECTED'] as const) {
    const r = rejected(transition(done, { type: 'reply', status }, 6));
    assert.is(r.rejection, 'late');
    assert.match(r.message, 'already COMPLETED');
  }
  for (const input of [{ type: 'dispatch', online: true }, { type: 'ackTimeout', random: 0 }, { type: 'completionTimeout' }, { type: 'expire' }, { type: 'cancel' }] as CommandInput[]) {
    assert.is(rejected(transition(done, input, 6)).rejection, 'invalid');
  }
});

sm('ack timeout with attempts left: back to QUEUED, retry after backoff', () => {
  const { command, actions } = ok(sent(), { type: 'ackTimeout', random: 0.5 }, 101);
  assert.is(command.status, 'QUEUED');
  assert.is(command.attempts, 1);
  assert.is(command.history[2].reason, 'no acknowledgement within 100 ms; retry 2 of 3 in 10 ms');
  assert.equal(actions, [{ type: 'schedule', timer: 'retry', at: 111 }]);
});

sm('ack timeout outside SENT is rejected', () => {
  assert.is(rejected(transition(fresh(), { type: 'ackTimeout', random: 0 }, 1)).rejection, 'invalid');
  assert.is(rejected(transition(acked(), { type: 'ackTimeout', random: 0 }, 1)).rejection, 'invalid');
});

sm('a device that never answers: SENT, retried, TIMED_OUT with attempts = maxAttempts', () => {
  let command = fresh();
  let now = 0;
  const statuses: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    command = ok(command, { type: 'dispatch', online: true }, now).command;
    statuses.push(command.status);
    now += 100;
    const r = ok(command, { type: 'ackTimeout', random: 0.5 }, now);
    command = r.command;
    statuses.push(command.status);
    const retry = r.actions.find((a) => a.type === 'schedule');
    if (retry?.type === 'schedule') {
      assert.is(retry.timer, 'retry');
      assert.is(retry.at - now, 10 * 2 ** (attempt - 1));
      now = retry.at;
    }
  }
  assert.equal(statuses, ['SENT', 'QUEUED', 'SENT', 'QUEUED', 'SENT', 'TIMED_OUT']);
  assert.is(command.attempts, 3);
  assert.is(command.history.at(-1)!.reason, 'no acknowledgement after 3 attempt(s) of 100 ms');
});

sm('a late ack while backing off still counts (the device got an earlier attempt)', () => {
  const backingOff = ok(sent(), { type: 'ackTimeout', random: 0.5 }, 101).command;
  const { command, actions } = ok(backingOff, { type: 'reply', status: 'ACKED' }, 105);
  assert.is(command.status, 'ACKED');
  assert.equal(actions, [{ type: 'schedule', timer: 'completion', at: 605 }]);
});

sm('completion timeout: ACKED → TIMED_OUT; other states reject it', () => {
  const { command, actions } = ok(acked(), { type: 'completionTimeout' }, 502);
  assert.is(command.status, 'TIMED_OUT');
  assert.is(command.history[3].reason, 'acknowledged but not completed within 500 ms');
  assert.is(actions[0].type, 'giveUp');
  assert.is(rejected(transition(sent(), { type: 'completionTimeout' }, 1)).rejection, 'invalid');
});

sm('cancel: QUEUED, SENT and ACKED end FAILED (cancelled)', () => {
  for (const command of [fresh(), sent(), acked()]) {
    const r = ok(command, { type: 'cancel' }, 9);
    assert.is(r.command.status, 'FAILED');
    assert.is(r.command.error, 'cancelled');
    assert.is(r.command.history.at(-1)!.reason, 'cancelled');
    assert.equal(r.actions, [{ type: 'giveUp', reason: 'cancelled' }, { type: 'cancelTimer' }]);
  }
});

sm('isTerminal', () => {
  assert.equal(
    (['QUEUED', 'SENT', 'ACKED', 'COMPLETED', 'FAILED', 'TIMED_OUT'] as const).map(isTerminal),
    [false, false, false, true, true, true],
  );
});

sm('backoffDelay: base·2^(n-1), jitter in [1-j, 1+j], capped after jitter', () => {
  const b = { baseMs: 1000, maxMs: 30_000, jitter: 0 };
  assert.equal([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, 0.9)), [1000, 2000, 4000, 8000, 16_000, 30_000]);
  const j = { ...b, jitter: 0.2 };
  assert.is(backoffDelay(1, j, 0), 800);
  assert.is(backoffDelay(1, j, 0.5), 1000);
  assert.is(backoffDelay(1, j, 0.999999), 1200);
  assert.is(backoffDelay(5, j, 0.999999), 19_200);
  assert.is(backoffDelay(6, j, 0), 25_600);
  assert.is(backoffDelay(6, j, 0.9), 30_000);
});

sm.run();
