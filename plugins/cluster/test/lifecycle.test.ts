// The pure lifecycle state machine: every event from every state, the default restart
// decision, the ReplicaSet deletion order and the discovery health of each state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { INSTANCE_STATES, type InstanceState } from '../src/contract.js';
import { defaultDecision, deletionOrder, deletionRank, isActive, isRunning, isStopped, next, registryHealth, type LifecycleEvent } from '../src/lifecycle.js';

const it = suite('cluster: lifecycle state machine');

const EVENTS: LifecycleEvent[] = ['admitted', 'ready', 'unready', 'exited', 'oom', 'backoff', 'restart', 'delete', 'gone', 'lost'];

/** The whole table: state → event → next state (missing = not allowed). */
const TABLE: Record<InstanceState, Partial<Record<LifecycleEvent, InstanceState>>> = {
  Pending: { admitted: 'Starting', delete: 'Terminated', lost: 'Terminated' },
  Starting: { ready: 'Ready', exited: 'Failed', oom: 'OOMKilled', restart: 'Starting', delete: 'Terminating', lost: 'Terminated' },
  Ready: { unready: 'NotReady', exited: 'Failed', oom: 'OOMKilled', restart: 'Starting', delete: 'Terminating', lost: 'Terminated' },
  NotReady: { ready: 'Ready', exited: 'Failed', oom: 'OOMKilled', restart: 'Starting', delete: 'Terminating', lost: 'Terminated' },
  Terminating: { gone: 'Terminated', exited: 'Terminated', oom: 'Terminated', lost: 'Terminated' },
  Terminated: {},
  Failed: { backoff: 'CrashLoopBackOff', restart: 'Starting', delete: 'Terminated', lost: 'Terminated' },
  OOMKilled: { backoff: 'CrashLoopBackOff', restart: 'Starting', delete: 'Terminated', lost: 'Terminated' },
  CrashLoopBackOff: { backoff: 'CrashLoopBackOff', restart: 'Starting', delete: 'Terminated', lost: 'Terminated' },
};

it('moves exactly as the table says, from every state on every event', () => {
  for (const state of INSTANCE_STATES) {
    for (const event of EVENTS) assert.is(next(state, event), TABLE[state][event], `${state} + ${event}`);
  }
});

it('classifies states: running, stopped, active', () => {
  assert.equal(INSTANCE_STATES.filter(isRunning), ['Starting', 'Ready', 'NotReady', 'Terminating']);
  assert.equal(INSTANCE_STATES.filter(isStopped), ['Failed', 'OOMKilled', 'CrashLoopBackOff']);
  assert.equal(INSTANCE_STATES.filter((s) => !isActive(s)), ['Terminating', 'Terminated']);
});

it('restarts by the restart policy when no tap decides', () => {
  assert.equal(defaultDecision('Always', 'Killed', 137), { action: 'restart', delayMs: 0, state: 'Failed' });
  assert.equal(defaultDecision('Always', 'OOMKilled', 137), { action: 'restart', delayMs: 0, state: 'OOMKilled' });
  assert.equal(defaultDecision('Always', 'Completed', 0), { action: 'restart', delayMs: 0, state: 'Failed' });
  assert.equal(defaultDecision('OnFailure', 'Error', 1), { action: 'restart', delayMs: 0, state: 'Failed' });
  assert.is(defaultDecision('OnFailure', 'Completed', 0).action, 'stay');
  const never = defaultDecision('Never', 'Error', 1);
  assert.is(never.action, 'stay');
  assert.match((never as { reason: string }).reason, 'restartPolicy Never');
});

it('deletes as a ReplicaSet does: unscheduled, scheduled Pending, stopped, Starting, NotReady, then Ready; more restarts, then newest first', () => {
  assert.equal(
    (['Ready', 'NotReady', 'Starting', 'CrashLoopBackOff', 'Pending'] as InstanceState[]).map((s) => deletionRank(s, true)),
    [5, 4, 3, 2, 1],
  );
  assert.is(deletionRank('Pending', false), 0);
  const list = [
    { id: 'ready-old', state: 'Ready' as InstanceState, node: 'n', restarts: 0, seq: 1 },
    { id: 'ready-new', state: 'Ready' as InstanceState, node: 'n', restarts: 0, seq: 5 },
    { id: 'ready-restarted', state: 'Ready' as InstanceState, node: 'n', restarts: 3, seq: 2 },
    { id: 'notready', state: 'NotReady' as InstanceState, node: 'n', restarts: 0, seq: 3 },
    { id: 'pending', state: 'Pending' as InstanceState, node: undefined, restarts: 0, seq: 4 },
  ];
  assert.equal(list.sort(deletionOrder).map((i) => i.id), ['pending', 'notready', 'ready-restarted', 'ready-new', 'ready-old']);
});

it('reads in discovery as passing when Ready, warning when NotReady, critical otherwise', () => {
  assert.equal(
    Object.fromEntries(INSTANCE_STATES.map((s) => [s, registryHealth(s)])),
    { Pending: 'critical', Starting: 'critical', Ready: 'passing', NotReady: 'warning', Terminating: 'critical', Terminated: 'critical', Failed: 'critical', OOMKilled: 'critical', CrashLoopBackOff: 'critical' },
  );
});

it.run();
