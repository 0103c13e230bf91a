// The instance lifecycle as a pure state machine: which event moves which state where,
// what a process exit turns into when no `instanceExited` tap decides, the order in which
// a ReplicaSet deletes surplus instances, and how an instance's state reads in discovery.
// No clock, no I/O: the cluster (cluster.ts) feeds it events and applies the results.
//
//   Pending ──admitted──▶ Starting ──ready──▶ Ready ◀──ready/unready──▶ NotReady
//      │                     │                  │                          │
//      │                     └──────exited──────┴──────────exited──────────┘
//      │                                        ▼
//      │                     Failed | OOMKilled | CrashLoopBackOff ──restart──▶ Starting
//      │                                        │
//      └─delete/lost─▶ Terminated ◀──gone── Terminating ◀──delete── (any running state)
//
// Starting lasts until the process is up (startupSeconds) and every readiness gate is
// true; it is Kubernetes' "Running, not yet Ready" of a fresh container. NotReady is a
// running instance that was Ready and left rotation (a gate turned false).
import type { InstanceState, RestartDecision, WorkloadSpec } from './contract.js';

export type LifecycleEvent =
  /** Bound to a node and admitted: the process starts. */
  | 'admitted'
  /** Process up and every readiness gate true. */
  | 'ready'
  /** A readiness gate turned false (the process is still up). */
  | 'unready'
  /** The process exited with an error (also a kill). */
  | 'exited'
  /** The process exceeded its memory limit. */
  | 'oom'
  /** Exited again: restart after a backoff. */
  | 'backoff'
  /** Start the process again (restart policy, liveness failure, backoff over). */
  | 'restart'
  /** Deleted (scale down, eviction, drain): leaves rotation, drains. */
  | 'delete'
  /** The drain is over (terminationGracePeriodSeconds) or nothing was running. */
  | 'gone'
  /** Its node is gone: nothing of it is left. */
  | 'lost';

const RUNNING: ReadonlySet<InstanceState> = new Set(['Starting', 'Ready', 'NotReady']);
const STOPPED: ReadonlySet<InstanceState> = new Set(['Failed', 'OOMKilled', 'CrashLoopBackOff']);

/** The state `event` moves `from` to, or undefined when the event does not apply there. */
export function next(from: InstanceState, event: LifecycleEvent): InstanceState | undefined {
  if (from === 'Terminated') return undefined;
  if (event === 'lost') return 'Terminated';
  if (from === 'Terminating') return event === 'gone' || event === 'exited' || event === 'oom' ? 'Terminated' : undefined;
  switch (event) {
    case 'admitted':
      return from === 'Pending' ? 'Starting' : undefined;
    case 'ready':
      return from === 'Starting' || from === 'NotReady' ? 'Ready' : undefined;
    case 'unready':
      return from === 'Ready' ? 'NotReady' : undefined;
    case 'exited':
      return RUNNING.has(from) ? 'Failed' : undefined;
    case 'oom':
      return RUNNING.has(from) ? 'OOMKilled' : undefined;
    case 'backoff':
      return STOPPED.has(from) ? 'CrashLoopBackOff' : undefined;
    case 'restart':
      return RUNNING.has(from) || STOPPED.has(from) ? 'Starting' : undefined;
    case 'delete':
      // nothing runs in Pending or a stopped state: gone at once
      return RUNNING.has(from) ? 'Terminating' : 'Terminated';
    case 'gone':
      return undefined;
  }
}

/** Is a process running (it uses memory and CPU, probes can reach it)? */
export const isRunning = (s: InstanceState): boolean => RUNNING.has(s) || s === 'Terminating';
/** Stopped after an exit, waiting for a restart (or for nobody: restartPolicy Never). */
export const isStopped = (s: InstanceState): boolean => STOPPED.has(s);
/** Counts towards a ReplicaSet's replicas (not leaving, not gone). */
export const isActive = (s: InstanceState): boolean => s !== 'Terminating' && s !== 'Terminated';

/** Exit codes as a container runtime reports them. */
export const EXIT_CODES: Readonly<Record<string, number>> = { Error: 1, OOMKilled: 137, Killed: 137, Evicted: 137, NodeLost: 137, Completed: 0 };

/**
 * What an exit turns into when no `instanceExited` tap answers: the restart policy says
 * restart at once (Always; OnFailure for a non-zero exit code) or stay stopped.
 */
export function defaultDecision(policy: WorkloadSpec['restartPolicy'], reason: string, exitCode: number): RestartDecision {
  const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  if (!restart) return { action: 'stay', reason: `restartPolicy ${policy}: not restarted after ${reason}` };
  return { action: 'restart', delayMs: 0, state: reason === 'OOMKilled' ? 'OOMKilled' : 'Failed' };
}

/**
 * Rank in a ReplicaSet's deletion order (lower goes first), as Kubernetes' ActivePods:
 * unscheduled before scheduled, not running before running, not Ready before Ready.
 */
export function deletionRank(state: InstanceState, scheduled: boolean): number {
  switch (state) {
    case 'Pending':
      return scheduled ? 1 : 0;
    case 'Failed':
    case 'OOMKilled':
    case 'CrashLoopBackOff':
      return 2;
    case 'Starting':
      return 3;
    case 'NotReady':
      return 4;
    default:
      return 5;
  }
}

export interface Deletable {
  state: InstanceState;
  node?: string;
  restarts: number;
  /** Creation order: higher is newer. */
  seq: number;
}

/** Sort comparator: the instance to delete first comes first (then more restarts, then newest). */
export function deletionOrder(a: Deletable, b: Deletable): number {
  return deletionRank(a.state, a.node !== undefined) - deletionRank(b.state, b.node !== undefined) || b.restarts - a.restarts || b.seq - a.seq;
}

export type RegistryHealth = 'passing' | 'warning' | 'critical';

/** How an instance reads in discovery: passing when Ready, warning when up but out of rotation, else critical. */
export function registryHealth(state: InstanceState): RegistryHealth {
  if (state === 'Ready') return 'passing';
  if (state === 'NotReady') return 'warning';
  return 'critical';
}
