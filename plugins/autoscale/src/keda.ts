// KEDA's event-driven scaling as pure functions: whether the triggers are active
// (value > activationThreshold), what the scale executor does with that (scale from zero or
// the idle count to max(1, minReplicaCount), scale to zero or the idle count once no trigger
// has been active for cooldownPeriod, bring replicas up to minReplicaCount), the HPA that
// KEDA creates for 1 … N (minReplicas = max(1, minReplicaCount), one External metric per
// trigger), and the simulated queue a `queue` trigger reads. Written from KEDA's
// scale_executor (RequestScale, scaleToZeroOrIdle, scaleFromZeroOrIdle) and its
// ScaledObject documentation; README.md lists each rule.
import type { KedaSpec, MetricSpec, TriggerSpec } from './contract.js';

export interface Activity {
  active: boolean;
  /** The first active trigger (index), or -1. */
  trigger: number;
  value: number | undefined;
  /** Every trigger failed to give a value (KEDA: a scaler error; no scaling). */
  error: boolean;
}

/** A trigger is active when its value is above its activationThreshold (KEDA: `value > activationThreshold`); any active trigger activates the object. */
export function activity(triggers: readonly TriggerSpec[], values: ReadonlyArray<number | undefined>): Activity {
  let failed = 0;
  for (let i = 0; i < triggers.length; i++) {
    const v = values[i];
    if (v === undefined) {
      failed++;
      continue;
    }
    if (v > triggers[i]!.activationThreshold) return { active: true, trigger: i, value: v, error: false };
  }
  return { active: false, trigger: -1, value: undefined, error: triggers.length > 0 && failed === triggers.length };
}

export interface KedaStep {
  /** Replicas to set now; undefined: leave it (the HPA works between 1 and N). */
  replicas: number | undefined;
  lastActiveAt: number | undefined;
  reason: string;
}

/**
 * The scale executor (RequestScale), once per pollingInterval:
 * - active, at zero (or below minReplicaCount in idle mode): scale to minReplicaCount, or 1
 *   when it is 0; last activity = now;
 * - active otherwise: last activity = now (the HPA scales);
 * - inactive, above the idle count (idle mode) or above zero with minReplicaCount 0: scale to
 *   the idle count or 0 once the last activity is older than cooldownPeriod (never active: at
 *   once), else cooling down;
 * - inactive below minReplicaCount (no idle mode): scale to minReplicaCount;
 * - a scaler error on every trigger changes nothing.
 */
export function kedaStep(
  spec: Pick<KedaSpec, 'minReplicaCount' | 'cooldownPeriod' | 'idleReplicaCount'>,
  input: { now: number; current: number; activity: Activity; lastActiveAt: number | undefined },
): KedaStep {
  const { now, current, activity: a, lastActiveAt } = input;
  const min = spec.minReplicaCount;
  const idle = spec.idleReplicaCount;
  if (a.error) return { replicas: undefined, lastActiveAt, reason: 'no trigger could be read: not scaling' };
  if (a.active) {
    const why = `trigger ${a.trigger} active (${round(a.value!)})`;
    if ((idle !== undefined && current < min) || current === 0) {
      const to = min > 0 ? min : 1;
      return { replicas: to, lastActiveAt: now, reason: `${why}: scale from ${current} to ${to}` };
    }
    return { replicas: undefined, lastActiveAt: now, reason: why };
  }
  if ((idle !== undefined && current > idle) || (current > 0 && min === 0)) {
    const to = idle ?? 0;
    if (lastActiveAt === undefined || lastActiveAt + spec.cooldownPeriod * 1000 < now) {
      return { replicas: to, lastActiveAt, reason: `no trigger active for cooldownPeriod ${spec.cooldownPeriod} s: scale to ${to}` };
    }
    const left = Math.ceil((lastActiveAt + spec.cooldownPeriod * 1000 - now) / 1000);
    return { replicas: undefined, lastActiveAt, reason: `inactive, cooling down (${left} s left)` };
  }
  if (current < min && idle === undefined) return { replicas: min, lastActiveAt, reason: `inactive below minReplicaCount: scale to ${min}` };
  return { replicas: undefined, lastActiveAt, reason: 'inactive' };
}

/** The HPA KEDA creates: minReplicas max(1, minReplicaCount), maxReplicas maxReplicaCount. */
export function hpaBounds(spec: Pick<KedaSpec, 'minReplicaCount' | 'maxReplicaCount'>): { minReplicas: number; maxReplicas: number } {
  return { minReplicas: Math.max(1, spec.minReplicaCount), maxReplicas: spec.maxReplicaCount };
}

/**
 * The HPA's metric for a trigger: an External metric with an AverageValue target of the
 * threshold (per replica), or a Value target for a `metric` trigger of metricType Value.
 */
export function triggerMetric(trigger: TriggerSpec, index: number): MetricSpec {
  const target = trigger.type === 'metric' && trigger.metricType === 'Value' ? { type: 'Value' as const, value: trigger.threshold } : { type: 'AverageValue' as const, averageValue: trigger.threshold };
  return { type: 'External', external: { metric: { name: `trigger:${index}` }, target } };
}

export interface QueueState {
  length: number;
  arrivalRps: number;
  ratePerInstance: number;
}

/** A simulated queue over `dtMs`: length + (arrivals − ready × ratePerInstance) × dt, never below 0. */
export function stepQueue(q: QueueState, dtMs: number, ready: number): number {
  q.length = Math.max(0, q.length + ((q.arrivalRps - ready * q.ratePerInstance) * dtMs) / 1000);
  return q.length;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
