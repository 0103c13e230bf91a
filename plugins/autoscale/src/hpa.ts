// The HorizontalPodAutoscaler's arithmetic, as pure functions over plain numbers: the
// replica count each metric proposes (readiness, missing metrics, tolerance), the largest
// proposal, the stabilization window and the rate policies of `behavior`. Written from the
// Kubernetes controller (pkg/controller/podautoscaler: replica_calculator.go, horizontal.go)
// and its documentation; each function names the rule it follows, README.md lists them
// beside the Kubernetes text. The controller (controller.ts) owns time and the cluster; a
// recommendation or scale event is a value with the kernel-clock time it was made at.
import type { Behavior, HpaScalingPolicy, MetricTarget, ScalingRules } from './contract.js';

/** Kubernetes' defaults for `behavior` (autoscaling/v2 SetDefaults_HorizontalPodAutoscalerBehavior). */
export function defaultRules(direction: 'scaleUp' | 'scaleDown', tolerance = 0.1): ScalingRules {
  return direction === 'scaleUp'
    ? {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
        tolerance,
      }
    : { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance };
}

export interface Tolerances {
  up: number;
  down: number;
}

/** No scaling while `1 − down ≤ ratio ≤ 1 + up` (tolerances.isWithin; 0.1 each by default). */
export function withinTolerance(ratio: number, t: Tolerances): boolean {
  return 1 - t.down <= ratio && ratio <= 1 + t.up;
}

/** One instance's value of a per-instance metric. */
export interface PodValue {
  /** `ignored`: pending, failed or being deleted (left out); `unready`: not yet ready. */
  status: 'ready' | 'unready' | 'ignored';
  /** undefined: the metric is missing for it. */
  value: number | undefined;
  /** Its resource request (Utilization targets). */
  request: number;
}

export interface Proposal {
  replicas: number;
  /** currentMetric / target, before readiness and missing metrics were factored in. */
  ratio: number;
  /** The metric as reported: average utilisation in percent, average value, or value. */
  usage: number;
  reason: string;
}

export interface MetricError {
  error: string;
}

export type ProposalResult = Proposal | MetricError;

export const isError = (r: ProposalResult): r is MetricError => 'error' in r;

type PerPodTarget = Extract<MetricTarget, { type: 'Utilization' } | { type: 'AverageValue' }>;

/** Usage ratio of (value, request) pairs: utilisation percent truncated to an integer as Kubernetes' GetResourceUtilizationRatio, or the average value. */
function usageOf(entries: Array<[value: number, request: number]>, target: PerPodTarget): { ratio: number; usage: number } {
  let total = 0;
  let requests = 0;
  for (const [v, r] of entries) {
    total += v;
    requests += r;
  }
  if (target.type === 'Utilization') {
    const utilisation = Math.trunc((total * 100) / requests);
    return { ratio: utilisation / target.averageUtilization, usage: utilisation };
  }
  const average = total / entries.length;
  return { ratio: average / target.averageValue, usage: average };
}

/**
 * Replicas proposed by a per-instance metric (Resource, Pods): GetResourceReplicas /
 * calcPlainMetricReplicas. Ignored instances are left out; instances with a missing metric
 * are set aside; with `readinessAware` (CPU, as Kubernetes) not-yet-ready instances too.
 * desired = ceil(ratio × instances counted), unless within tolerance. With instances set
 * aside, the ratio is computed again with missing ones at 100 % of the target on a scale
 * down (utilisation: max(100 %, target) of their request) and 0 on a scale up, unready ones
 * at 0 on a scale up; if that flips the direction or falls within tolerance, no change.
 */
export function perPodReplicas(current: number, pods: PodValue[], target: PerPodTarget, tolerances: Tolerances, readinessAware: boolean): ProposalResult {
  if (pods.length === 0) return { error: 'no instances to compute the metric over' };
  const ready: PodValue[] = [];
  const unready: PodValue[] = [];
  const missing: PodValue[] = [];
  for (const p of pods) {
    if (p.status === 'ignored') continue;
    if (p.value === undefined) missing.push(p);
    else if (readinessAware && p.status === 'unready') unready.push(p);
    else ready.push(p);
  }
  if (ready.length === 0) return { error: 'no metrics for ready instances (instances might be unready)' };
  if (target.type === 'Utilization' && ready.every((p) => p.request <= 0)) return { error: 'missing resource request: utilisation needs a request on the instances' };
  const entries: Array<[number, number]> = ready.map((p) => [p.value!, p.request]);
  const { ratio, usage } = usageOf(entries, target);

  const scaleUpWithUnready = unready.length > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.length === 0) {
    if (withinTolerance(ratio, tolerances)) return { replicas: current, ratio, usage, reason: `ratio ${round(ratio)} within tolerance` };
    return { replicas: Math.ceil(ratio * ready.length), ratio, usage, reason: `ratio ${round(ratio)} over ${ready.length} ready` };
  }
  if (ratio < 1) {
    // scale down: missing metrics count as 100 % of the target
    for (const p of missing) entries.push([target.type === 'Utilization' ? (p.request * Math.max(100, target.averageUtilization)) / 100 : target.averageValue, p.request]);
  } else if (ratio > 1) {
    // scale up: missing metrics count as 0
    for (const p of missing) entries.push([0, p.request]);
  }
  if (scaleUpWithUnready) for (const p of unready) entries.push([0, p.request]);
  const next = usageOf(entries, target).ratio;
  const counted = `${ready.length} ready, ${missing.length} missing, ${unready.length} not yet ready`;
  if (withinTolerance(next, tolerances) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) {
    return { replicas: current, ratio, usage, reason: `ratio ${round(next)} with ${counted}: within tolerance or direction reversed` };
  }
  const replicas = Math.ceil(next * entries.length);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) {
    return { replicas: current, ratio, usage, reason: `ratio ${round(next)} with ${counted}: the count would reverse the direction` };
  }
  return { replicas, ratio, usage, reason: `ratio ${round(next)} with ${counted}` };
}

/**
 * An Object/External metric with a `Value` target (getUsageRatioReplicaCount): ratio =
 * value / target; with replicas, ceil(ratio × ready instances) unless within tolerance;
 * at zero replicas, ceil(ratio).
 */
export function valueReplicas(current: number, ready: number, value: number | undefined, target: number, tolerances: Tolerances): ProposalResult {
  if (value === undefined) return { error: 'metric missing' };
  const ratio = value / target;
  if (current === 0) return { replicas: Math.ceil(ratio), ratio, usage: value, reason: `value ${round(value)} / target ${target} from zero` };
  if (withinTolerance(ratio, tolerances)) return { replicas: current, ratio, usage: value, reason: `ratio ${round(ratio)} within tolerance` };
  return { replicas: Math.ceil(ratio * ready), ratio, usage: value, reason: `ratio ${round(ratio)} over ${ready} ready` };
}

/**
 * An External metric with an `AverageValue` target (GetExternalPerPodMetricReplicas, what
 * KEDA feeds the HPA): ratio = value / (target × replicas); outside tolerance,
 * desired = ceil(value / target).
 */
export function averageValueReplicas(statusReplicas: number, value: number | undefined, target: number, tolerances: Tolerances): ProposalResult {
  if (value === undefined) return { error: 'metric missing' };
  const ratio = value / (target * statusReplicas);
  const usage = statusReplicas > 0 ? value / statusReplicas : value;
  if (withinTolerance(ratio, tolerances)) return { replicas: statusReplicas, ratio, usage, reason: `ratio ${round(ratio)} within tolerance` };
  return { replicas: Math.ceil(value / target), ratio, usage, reason: `${round(value)} / ${target} per instance` };
}

/**
 * Several metrics (computeReplicasForMetrics): the largest proposal wins. When some could not
 * be computed, a scale down is not made (undefined); with none computed, nothing is.
 */
export function combine(specReplicas: number, proposals: ProposalResult[]): { replicas: number; index: number } | { error: string } {
  let best = -1;
  let index = -1;
  let firstError: string | undefined;
  proposals.forEach((p, i) => {
    if (isError(p)) {
      firstError ??= p.error;
      return;
    }
    if (p.replicas > best) {
      best = p.replicas;
      index = i;
    }
  });
  if (index < 0) return { error: `no metric could be computed: ${firstError ?? 'no metrics'}` };
  if (firstError !== undefined && best < specReplicas) return { error: `a metric is missing (${firstError}) and the others would scale down: not scaling` };
  return { replicas: best, index };
}

export interface Recommendation {
  at: number;
  replicas: number;
}

export interface ScaleEvent {
  at: number;
  change: number;
}

/** What one autoscaler remembers between evaluations (the controller's recommendations and scale events). */
export interface HpaState {
  recommendations: Recommendation[];
  upEvents: ScaleEvent[];
  downEvents: ScaleEvent[];
}

export const newHpaState = (): HpaState => ({ recommendations: [], upEvents: [], downEvents: [] });

/**
 * stabilizeRecommendationWithBehaviors: over the recommendations of the last
 * `scaleUp.stabilizationWindowSeconds` the lowest (with the new one) bounds a scale up; over
 * the last `scaleDown.stabilizationWindowSeconds` the highest bounds a scale down. The new,
 * unstabilized recommendation is recorded. A first evaluation records the current replicas
 * first (maybeInitScaleDownStabilizationWindow), so a new autoscaler does not scale down
 * before a window has passed.
 */
export function stabilize(state: HpaState, now: number, current: number, desired: number, behavior: Behavior): { replicas: number; reason: string } {
  if (state.recommendations.length === 0) state.recommendations.push({ at: now, replicas: current });
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let up = desired;
  let down = desired;
  for (const r of state.recommendations) {
    if (r.at > upCutoff) up = Math.min(r.replicas, up);
    if (r.at > downCutoff) down = Math.max(r.replicas, down);
  }
  // a recommendation neither window counts any more is forgotten
  const oldest = Math.min(upCutoff, downCutoff);
  state.recommendations = state.recommendations.filter((r) => r.at > oldest);
  state.recommendations.push({ at: now, replicas: desired });
  const replicas = Math.min(Math.max(current, up), down);
  const reason =
    replicas === desired
      ? 'recommendation stable'
      : desired >= current
        ? 'ScaleUpStabilized: recent recommendations were lower, applying the lowest'
        : 'ScaleDownStabilized: recent recommendations were higher, applying the highest';
  return { replicas, reason };
}

/** getReplicasChangePerPeriod: the change of the events within the last `periodSeconds`. */
function changeIn(events: ScaleEvent[], now: number, periodSeconds: number): number {
  const cutoff = now - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.at > cutoff) sum += e.change;
  return sum;
}

/** The replicas at the start of a policy's period: current less what was added, plus what was removed, within it. */
function periodStart(state: HpaState, now: number, current: number, policy: HpaScalingPolicy): number {
  return current - changeIn(state.upEvents, now, policy.periodSeconds) + changeIn(state.downEvents, now, policy.periodSeconds);
}

/**
 * calculateScaleUpLimitWithScalingRules: per policy, Pods → start + value, Percent →
 * ceil(start × (1 + value/100)); selectPolicy Max takes the largest, Min the smallest,
 * Disabled allows no scale up.
 */
export function scaleUpLimit(state: HpaState, now: number, current: number, rules: ScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(state, now, current, p);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/**
 * calculateScaleDownLimitWithBehaviors: per policy, Pods → start − value, Percent →
 * trunc(start × (1 − value/100)); selectPolicy Max allows the largest change (the lowest
 * limit), Min the smallest, Disabled allows no scale down.
 */
export function scaleDownLimit(state: HpaState, now: number, current: number, rules: ScalingRules): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(state, now, current, p);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * convertDesiredReplicasWithBehaviorRate: a scale up is limited by the scale-up policies
 * (never below current) and maxReplicas; a scale down by the scale-down policies (never
 * above current) and minReplicas.
 */
export function limitRate(state: HpaState, now: number, current: number, desired: number, min: number, max: number, behavior: Behavior): { replicas: number; reason: string } {
  if (desired > current) {
    const limit = Math.max(scaleUpLimit(state, now, current, behavior.scaleUp), current);
    if (max > limit) {
      if (desired > limit) return { replicas: limit, reason: 'ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate' };
    } else if (desired > max) return { replicas: max, reason: 'TooManyReplicas: the desired replica count is more than the maximum replica count' };
  } else if (desired < current) {
    const limit = Math.min(scaleDownLimit(state, now, current, behavior.scaleDown), current);
    if (min < limit) {
      if (desired < limit) return { replicas: limit, reason: 'ScaleDownLimit: the desired replica count is decreasing faster than the maximum scale rate' };
    } else if (desired < min) return { replicas: min, reason: 'TooFewReplicas: the desired replica count is less than the minimum replica count' };
  }
  return { replicas: desired, reason: 'DesiredWithinRange: the desired count is within the acceptable range' };
}

/** storeScaleEvent: remember a change for the rate policies; events older than the longest period are forgotten. */
export function recordScale(state: HpaState, behavior: Behavior, at: number, from: number, to: number): void {
  if (to === from) return;
  const up = to > from;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const kept = (up ? state.upEvents : state.downEvents).filter((e) => e.at > at - longest);
  kept.push({ at, change: Math.abs(to - from) });
  if (up) state.upEvents = kept;
  else state.downEvents = kept;
}

export interface HpaDecision {
  desired: number;
  reason: string;
}

/**
 * reconcileAutoscaler for a computed metric proposal: replicas above maxReplicas go to
 * maxReplicas, below minReplicas to minReplicas (no stabilization); otherwise the proposal
 * is stabilized and rate-limited. A workload scaled to 0 by hand while minReplicas > 0 is
 * left alone (autoscaling disabled).
 */
export function decide(
  state: HpaState,
  input: { now: number; current: number; proposal: number | undefined; minReplicas: number; maxReplicas: number; behavior: Behavior },
): HpaDecision | undefined {
  const { now, current, minReplicas, maxReplicas, behavior } = input;
  if (current === 0 && minReplicas !== 0) return { desired: 0, reason: 'ScalingDisabled: scaled to zero' };
  if (current > maxReplicas) return { desired: maxReplicas, reason: 'Current number of replicas above maxReplicas' };
  if (current < minReplicas) return { desired: minReplicas, reason: 'Current number of replicas below minReplicas' };
  if (input.proposal === undefined) return undefined;
  const stable = stabilize(state, now, current, Math.max(0, input.proposal), behavior);
  const limited = limitRate(state, now, current, stable.replicas, minReplicas, maxReplicas, behavior);
  return { desired: limited.replicas, reason: limited.replicas === stable.replicas ? stable.reason : limited.reason };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
