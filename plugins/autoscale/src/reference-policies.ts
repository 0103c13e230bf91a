// Two small ScalingPolicy implementations over hpa.ts's arithmetic, for the policy comparison
// (compare.ts) to run without the kernel: an HPA on one Pods metric (the load model's
// `utilisation`, AverageValue target) and a KEDA-style rate trigger (desired = ⌈rate /
// threshold⌉, evaluated every pollingInterval, idle after cooldownPeriod below the activation
// threshold). Both apply `behavior` (stabilization, rate policies, min/max) with hpa.ts
// `decide`, as the controller does. The controller's own policies may replace them in a
// comparison: any PolicyFactory fits.
import type { AutoscalerSpec, PolicyDecision, PolicyInput, ScalingPolicy } from './contract.js';
import { averageValueReplicas, decide, isError, newHpaState, perPodReplicas, recordScale } from './hpa.js';

const tolerances = (spec: AutoscalerSpec) => ({ up: spec.behavior.scaleUp.tolerance, down: spec.behavior.scaleDown.tolerance });

/** The HPA on the Pods metric `utilisation` with an AverageValue target (default 0.6). */
export function hpaUtilisationPolicy(target = 0.6) {
  return (spec: AutoscalerSpec): ScalingPolicy => {
    const state = newHpaState();
    return {
      kind: 'hpa',
      intervalMs: (s) => s.syncPeriodSeconds * 1000,
      decide(input: PolicyInput): PolicyDecision {
        const pods = input.instances.map((i) => ({ status: i.status, value: i.missing ? undefined : i.utilisation, request: 0 }));
        const p = perPodReplicas(input.current, pods, { type: 'AverageValue', averageValue: target }, tolerances(input.spec), false);
        if (isError(p)) return { desired: undefined, reason: p.error };
        const d = decide(state, { now: input.now, current: input.current, proposal: p.replicas, minReplicas: input.spec.minReplicas, maxReplicas: input.spec.maxReplicas, behavior: input.spec.behavior })!;
        return { desired: d.desired, reason: `${p.reason}: ${d.reason}` };
      },
      scaled: (from, to, at) => recordScale(state, spec.behavior, at, from, to),
    };
  };
}

/** KEDA-style scaling on a rate (requests/s) trigger. */
export function kedaRatePolicy(options: { threshold: number; activationThreshold?: number; pollingInterval?: number; cooldownPeriod?: number }) {
  const activation = options.activationThreshold ?? 0;
  const pollingMs = (options.pollingInterval ?? 30) * 1000;
  const cooldownMs = (options.cooldownPeriod ?? 300) * 1000;
  return (spec: AutoscalerSpec): ScalingPolicy => {
    const state = newHpaState();
    let lastActive: number | undefined;
    return {
      kind: 'keda',
      intervalMs: () => pollingMs,
      decide(input: PolicyInput): PolicyDecision {
        const rate = input.demand;
        if (rate > activation) lastActive = input.now;
        const idle = lastActive === undefined || input.now - lastActive >= cooldownMs;
        if (idle) return { desired: input.spec.minReplicas, reason: `rate ${rate} at or below the activation threshold for the cooldown period: idle` };
        const from = Math.max(1, input.current);
        const p = averageValueReplicas(from, rate, options.threshold, tolerances(input.spec));
        const proposal = isError(p) ? from : p.replicas; // a rate is never missing here
        const d = decide(state, { now: input.now, current: from, proposal, minReplicas: Math.max(1, input.spec.minReplicas), maxReplicas: input.spec.maxReplicas, behavior: input.spec.behavior })!;
        return { desired: d.desired, reason: `rate ${rate.toFixed(1)} / ${options.threshold} per instance: ${d.reason}` };
      },
      scaled: (from, to, at) => recordScale(state, spec.behavior, at, from, to),
    };
  };
}
