// The controller's two built-in ScalingPolicy implementations over hpa.ts and keda.ts: the
// HorizontalPodAutoscaler (each metric of the spec → a proposal, the largest wins, then
// behavior), and KEDA (activation every pollingInterval, scale to and from zero, and the HPA
// KEDA creates for 1 … N evaluated every syncPeriod). The predictive policy lives in
// predictive.ts and plugs in the same way.
import type { AutoscalerSpec, MetricSpec, PolicyDecision, PolicyInput, ScalingPolicy } from './contract.js';
import { averageValueReplicas, combine, decide, isError, newHpaState, perPodReplicas, recordScale, valueReplicas, type HpaState, type ProposalResult, type Tolerances } from './hpa.js';
import { activity, hpaBounds, kedaStep, triggerMetric } from './keda.js';

const tolerancesOf = (spec: AutoscalerSpec): Tolerances => ({ up: spec.behavior.scaleUp.tolerance, down: spec.behavior.scaleDown.tolerance });

/** A human name of a metric for reasons: `cpu`, `requests_per_second`, the observability metric's name. */
export function metricName(m: MetricSpec): string {
  if (m.type === 'Resource') return m.resource.name;
  if (m.type === 'Pods') return m.pods.metric.name;
  return m.external.metric.name;
}

/** The replicas one metric proposes from the instances and the fetched metric values (`key` names its value in input.metrics). */
export function proposalFor(m: MetricSpec, key: string, input: PolicyInput, tolerances: Tolerances): ProposalResult {
  if (m.type === 'Resource') {
    const cpu = m.resource.name === 'cpu';
    const pods = input.instances.map((s) => ({
      status: s.status,
      value: s.missing ? undefined : cpu ? s.cpu : s.memoryMiB,
      request: cpu ? s.requests.cpu : s.requests.memory,
    }));
    return perPodReplicas(input.current, pods, m.resource.target as Parameters<typeof perPodReplicas>[2], tolerances, cpu);
  }
  if (m.type === 'Pods') {
    const rps = m.pods.metric.name === 'requests_per_second';
    const pods = input.instances.map((s) => ({ status: s.status, value: s.missing ? undefined : rps ? s.rps : s.utilisation, request: 0 }));
    return perPodReplicas(input.current, pods, m.pods.target as Parameters<typeof perPodReplicas>[2], tolerances, false);
  }
  const value = input.metrics[key];
  const t = m.external.target;
  if (t.type === 'Value') return valueReplicas(input.current, input.readyReplicas, value, t.value, tolerances);
  // AverageValue (Utilization is refused by validation for External metrics)
  const statusReplicas = input.instances.length;
  return averageValueReplicas(statusReplicas, value, (t as { averageValue: number }).averageValue, tolerances);
}

/** Evaluate a list of metrics with the HPA's rules and behavior: one decision. */
export function evaluateHpa(
  state: HpaState,
  input: PolicyInput,
  metrics: MetricSpec[],
  keyOf: (index: number) => string,
  bounds: { minReplicas: number; maxReplicas: number },
): PolicyDecision {
  const tolerances = tolerancesOf(input.spec);
  const proposals = metrics.map((m, i) => proposalFor(m, keyOf(i), input, tolerances));
  const combined = combine(input.current, proposals);
  const proposal = 'error' in combined ? undefined : combined.replicas;
  const d = decide(state, { now: input.now, current: input.current, proposal, ...bounds, behavior: input.spec.behavior });
  const perMetric = proposals.map((p, i) => (isError(p) ? { metric: metricName(metrics[i]!), error: p.error } : { metric: metricName(metrics[i]!), replicas: p.replicas, usage: p.usage, ratio: p.ratio, reason: p.reason }));
  const why =
    'error' in combined
      ? combined.error
      : (() => {
          const best = proposals[combined.index] as Exclude<ProposalResult, { error: string }>;
          return `${metricName(metrics[combined.index]!)} ${round(best.usage)} (${best.reason}) → ${combined.replicas}`;
        })();
  if (!d) return { desired: undefined, reason: why, detail: { metrics: perMetric } };
  return { desired: d.desired, reason: `${why}; ${d.reason}`, detail: { metrics: perMetric, proposal } };
}

/** The HorizontalPodAutoscaler: every syncPeriod, the spec's metrics. */
export function createHpaPolicy(spec: AutoscalerSpec): ScalingPolicy & { held(replicas: number, at: number): void } {
  const state = newHpaState();
  return {
    kind: 'hpa',
    intervalMs: (s) => s.syncPeriodSeconds * 1000,
    decide: (input) => evaluateHpa(state, input, input.spec.metrics, (i) => `external:${i}`, { minReplicas: input.spec.minReplicas, maxReplicas: input.spec.maxReplicas }),
    scaled: (from, to, at) => recordScale(state, spec.behavior, at, from, to),
    // another writer raised the replicas (health): the scale-down window holds them
    held: (replicas, at) => void state.recommendations.push({ at, replicas }),
  };
}

/**
 * KEDA: the scale executor every pollingInterval (activation, to and from zero), and the HPA
 * it creates (minReplicas max(1, minReplicaCount), one External metric per trigger) every
 * syncPeriod while there are replicas.
 */
export function createKedaPolicy(spec: AutoscalerSpec): ScalingPolicy & { held(replicas: number, at: number): void } {
  const keda = spec.keda!;
  const state = newHpaState();
  const metrics = keda.triggers.map(triggerMetric);
  let nextPoll = -Infinity;
  let nextSync = -Infinity;
  let lastActiveAt: number | undefined;
  let active = false;
  let lastTrigger: { trigger: number; value: number | undefined } = { trigger: -1, value: undefined };
  let pollReason = 'not polled yet';
  return {
    kind: 'keda',
    intervalMs: (s) => Math.min(s.keda!.pollingInterval, s.syncPeriodSeconds) * 1000,
    decide(input) {
      const { now, current } = input;
      const status = () => ({ active, lastActiveTime: lastActiveAt, ...lastTrigger });
      if (now >= nextPoll) {
        nextPoll = now + keda.pollingInterval * 1000;
        const a = activity(keda.triggers, keda.triggers.map((_, i) => input.metrics[`trigger:${i}`]));
        const step = kedaStep(keda, { now, current, activity: a, lastActiveAt });
        lastActiveAt = step.lastActiveAt;
        if (!a.error) {
          active = a.active;
          lastTrigger = { trigger: a.trigger, value: a.value };
        }
        pollReason = step.reason;
        if (step.replicas !== undefined && step.replicas !== current) return { desired: step.replicas, reason: step.reason, detail: status() };
      }
      if (current > 0 && now >= nextSync) {
        nextSync = now + input.spec.syncPeriodSeconds * 1000;
        const d = evaluateHpa(state, input, metrics, (i) => `trigger:${i}`, hpaBounds(keda));
        return { ...d, reason: `${pollReason}; ${d.reason}`, detail: { ...d.detail, ...status() } };
      }
      return { desired: undefined, reason: pollReason, detail: status() };
    },
    scaled: (from, to, at) => {
      if (from > 0 && to > 0) recordScale(state, spec.behavior, at, from, to);
    },
    held: (replicas, at) => void state.recommendations.push({ at, replicas }),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
