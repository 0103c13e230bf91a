// Kubernetes' RollingUpdate arithmetic (pkg/controller/deployment/rolling.go and
// util/deployment_util.go), as pure functions:
// - maxSurge and maxUnavailable are ints or percentages of replicas; a surge percentage
//   rounds up, an unavailable one rounds down (`ResolveFenceposts`); both 0 means
//   maxUnavailable 1 (a rollout must be able to move);
// - scale up the new ReplicaSet: at most replicas + maxSurge instances in all
//   (`NewRSNewReplicas`);
// - scale down the old one: first its unavailable instances, within
//   `allPods − minAvailable − newRSUnavailable` (`cleanupUnhealthyReplicas`), then
//   available ones while the available total stays ≥ replicas − maxUnavailable
//   (`scaleDownOldReplicaSetsForRollingUpdate`).
// Kubernetes scales up and down in separate syncs; here both happen in one step (the
// scale-down sees the scale-up's count), which is as safe: it is bounded by availability.
import type { IntOrPercent } from './contract.js';

export function resolveIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const pct = Number(value.slice(0, -1));
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge and maxUnavailable as instance counts (Kubernetes' ResolveFenceposts). */
export function fenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, replicas: number): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true);
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

export interface RollingObservation {
  replicas: number;
  /** ReplicaSet sizes now. */
  newRS: number;
  oldRS: number;
  /** Available instances (Ready for minReadySeconds) of each. */
  newAvailable: number;
  oldAvailable: number;
}

/** The next ReplicaSet sizes. */
export function rollingStep(o: RollingObservation, surge: number, unavailable: number): { newRS: number; oldRS: number } {
  const { replicas } = o;
  let newRS = o.newRS;
  if (newRS < replicas) newRS = Math.min(replicas, newRS + Math.max(0, replicas + surge - (newRS + o.oldRS)));
  else newRS = replicas;
  let oldRS = o.oldRS;
  const minAvailable = replicas - unavailable;
  const newUnavailable = Math.max(0, newRS - o.newAvailable);
  const maxScaledDown = newRS + oldRS - minAvailable - newUnavailable;
  if (oldRS > 0 && maxScaledDown > 0) {
    const unhealthy = Math.max(0, oldRS - o.oldAvailable);
    const cleaned = Math.min(maxScaledDown, unhealthy);
    oldRS -= cleaned;
    const scaleDown = Math.min(oldRS, Math.max(0, o.newAvailable + o.oldAvailable - minAvailable));
    oldRS -= scaleDown;
  }
  return { newRS, oldRS };
}

/** The update is complete: every instance is new and available, no old one is left. */
export function rollingComplete(o: RollingObservation): boolean {
  return o.newRS === o.replicas && o.newAvailable >= o.replicas && o.oldRS === 0;
}
