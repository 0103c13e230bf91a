// The restart state machine: Kubernetes' restartPolicy and the kubelet's exact crash-loop
// backoff, pure (time is passed in; nothing is scheduled here). A critical module: 100%
// lines and branches.
//
// What the kubelet does, read from its sources (kubernetes/kubernetes):
// - pkg/kubelet/kubelet.go: `backOffPeriod = 10s`, `MaxContainerBackOff = 300s`,
//   `flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)`, one entry per pod+container.
// - pkg/kubelet/kuberuntime/kuberuntime_manager.go `doBackOff`: takes the exited
//   container's FinishedAt as `ts`; if `backOff.IsInBackOffSince(key, ts)` the restart waits
//   ("back-off 20s restarting failed container", waiting reason CrashLoopBackOff); else the
//   container is started and `backOff.Next(key, ts)` is called.
// - staging/src/k8s.io/client-go/util/flowcontrol/backoff.go: `Next` starts an entry at the
//   initial 10 s — or resets it there when `hasExpired` — and otherwise doubles it, capped at
//   the maximum; `lastUpdate` = now (the restart). `IsInBackOffSince` is false without an
//   entry or when expired, else `now - ts < backoff`. `hasExpired(ts, lastUpdate, max)` is
//   `ts - lastUpdate > 2 × max` = 600 s: "consider stable if it's ok for twice the maxDuration".
// - The pod-lifecycle docs say the same in words: restarts with an exponential back-off
//   delay (10s, 20s, 40s, …) capped at five minutes, reset once a container has run for
//   10 minutes without a problem; restartPolicy Always restarts on any exit, OnFailure only
//   on a non-zero exit code, Never never.
// So the delays of successive exits are 0, 10, 20, 40, 80, 160, 300, 300 … s, and an exit
// more than 600 s after the last restart restarts at once and starts the sequence again.
// (KEP-4603 proposes a faster curve behind a feature gate; the default is the one above.)
import type { RestartDecision } from '@understudy/plugin-cluster';

export type RestartPolicyName = 'Always' | 'OnFailure' | 'Never';

export interface BackoffSettings {
  /** First delay after the immediate restart: the kubelet's backOffPeriod (10 s). */
  initialMs: number;
  /** Cap: MaxContainerBackOff (300 s). */
  maxMs: number;
  /** An exit this long after the last restart resets the backoff: 2 × max (600 s). */
  resetAfterMs: number;
}

export const KUBERNETES_BACKOFF: Readonly<BackoffSettings> = Object.freeze({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });

export interface ProcessExit {
  /** When the process exited (the container's FinishedAt). */
  at: number;
  exitCode: number;
  /** `Error`, `OOMKilled`, `Killed`, `Completed`, … */
  reason: string;
}

interface Entry {
  /** The current backoff (flowcontrol's backoffEntry.backoff). */
  backoffMs: number;
  /** When it last restarted (backoffEntry.lastUpdate). */
  lastRestart: number;
}

export interface BackoffView {
  backoffMs: number;
  lastRestart: number;
}

/** Does this restartPolicy restart a process that exited with this code? */
export function shouldRestart(policy: RestartPolicyName, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

/** The kubelet's per-container backoff (flowcontrol.Backoff), keyed by instance id. */
export class CrashLoopBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly settings: Readonly<BackoffSettings> = KUBERNETES_BACKOFF) {}

  private expired(entry: Entry, exitAt: number): boolean {
    return exitAt - entry.lastRestart > this.settings.resetAfterMs;
  }

  /** How long a restart after `exit` must still wait at `now` (IsInBackOffSince; 0 = not in backoff). */
  waitMs(key: string, exitAt: number, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, exitAt)) return 0;
    return Math.max(0, entry.backoffMs - (now - exitAt));
  }

  /** The restart happened at `restartAt` for the exit at `exitAt` (Next). */
  restarted(key: string, exitAt: number, restartAt: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, exitAt)) {
      this.entries.set(key, { backoffMs: this.settings.initialMs, lastRestart: restartAt });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.settings.maxMs);
    entry.lastRestart = restartAt;
  }

  /** Forget an instance (it was terminated, or its failure was not its own). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  get(key: string): BackoffView | undefined {
    const entry = this.entries.get(key);
    return entry && { ...entry };
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A delay in seconds for messages, to a tenth (a decision made 1 ms after the exit waits 9,999 ms: "10"). */
export function delaySeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** The state an instance shows until its restart: CrashLoopBackOff while it waits. */
function waitingState(reason: string, delayMs: number): 'Failed' | 'OOMKilled' | 'CrashLoopBackOff' {
  if (delayMs > 0) return 'CrashLoopBackOff';
  return reason === 'OOMKilled' ? 'OOMKilled' : 'Failed';
}

/**
 * Kubernetes' answer to a process exit: stay down (restartPolicy), or restart after the
 * crash-loop backoff. The restart is assumed to happen when decided (`exit.at + delay`,
 * as the cluster does with the decision), so the backoff advances now.
 */
export function decideRestart(backoff: CrashLoopBackoff, key: string, policy: RestartPolicyName, exit: ProcessExit, now: number): RestartDecision {
  if (!shouldRestart(policy, exit.exitCode)) {
    return {
      action: 'stay',
      reason: policy === 'Never' ? `restartPolicy Never: not restarted (${exit.reason}, exit code ${exit.exitCode})` : `restartPolicy OnFailure: exited with code 0 (${exit.reason}), not restarted`,
    };
  }
  const delayMs = backoff.waitMs(key, exit.at, now);
  backoff.restarted(key, exit.at, now + delayMs);
  const state = waitingState(exit.reason, delayMs);
  return delayMs > 0
    ? { action: 'restart', delayMs, state, reason: `back-off ${delaySeconds(delayMs)}s restarting failed container (${exit.reason})` }
    : { action: 'restart', delayMs: 0, state, reason: `restarting (${exit.reason}, exit code ${exit.exitCode})` };
}
