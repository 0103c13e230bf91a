// The policy comparison: the same seeded traffic — a diurnal cycle with a 3× step — offered
// to one workload under each scaling policy side by side, in virtual time (no kernel, no
// clock: a loop over ticks), with the cluster's M/M/c load model (plugins/cluster
// load-model.ts `queue`) turning demand and Ready instances into utilisation and p99. Each
// policy is a PolicyFactory (contract.ts), called at its own intervalMs with the same
// PolicyInput the controller builds. The report: instance-hours, cost, minutes in SLO breach,
// requests failed, and the time each policy took to absorb the step; the series for the chart
// (svg-chart.ts).
//
//   demand(t)    = diurnal(t) × (factor during the step, else 1) × max(0, 1 + jitter·z_k)
//                  diurnal(t) = min + (max − min)·(1 − cos(2π(c − troughHour·3600)/period))/2,
//                  c = startAt/1000 + t seconds (the traffic plugin's diurnal shape);
//                  z_k standard normal from the seed's stream, one per tick k (the same for every policy)
//   per tick     R = Ready instances; λᵢ = demand / R; queue(λᵢ, concurrency, serviceTimeMs) → ρ, p99
//   breach       R = 0 with demand > 0, or ρ ≥ 1 (the excess fails: 1 − 1/ρ), or p99 > sloP99Ms
//   instances    a scale-up starts instances, Ready startupSeconds later; a scale-down removes
//                starting ones first (newest first), then Ready ones; every instance that
//                exists is paid for: instance-hours = Σ instances × tick / 3,600 s
//   cost         instance-hours × pricePerInstanceHour
//   absorbed     seconds from the step's start to the first tick from which the service stays out
//                of breach for settleSeconds (60) — 0 when it never breached; null when it never settled
//   predictive   policies with `predictive` settings get seedHistory: the `historyDays` before the
//                run, same shape without the step, jitter from its own stream, in sampleSeconds means
import { createRandom } from '@understudy/plugin-sdk';
import { newQueueResult, queue, type Resources, type WorkloadSpec } from '@understudy/plugin-cluster';
import type { AutoscalerSpec, InstanceSample, PolicyFactory, PolicyInput } from './contract.js';
import { defaultRules } from './hpa.js';
import { createPredictivePolicy } from './predictive.js';
import { hpaUtilisationPolicy, kedaRatePolicy } from './reference-policies.js';

export interface CompareWorkload {
  name: string;
  startupSeconds: number;
  capacity: WorkloadSpec['capacity'];
  requests: Resources;
  limits: Resources;
  /** What one instance costs per hour (its share of a node). */
  pricePerInstanceHour: number;
  initialReplicas: number;
}

export interface CompareTraffic {
  min: number;
  max: number;
  periodSeconds: number;
  troughHour: number;
  step: { factor: number; atSeconds: number; durationSeconds: number };
  /** Relative standard deviation of the noise per tick (0.05). */
  jitter: number;
}

export interface ComparePolicy {
  name: string;
  spec: AutoscalerSpec;
  create: PolicyFactory;
}

export interface CompareOptions {
  seed: number | string;
  /** Kernel-clock ms at t = 0 (the diurnal phase). Default 0 (midnight UTC). */
  startAt?: number;
  durationSeconds: number;
  tickSeconds: number;
  sloP99Ms: number;
  queueTimeoutMs?: number;
  settleSeconds?: number;
  /** Days of past demand given to predictive policies (2). */
  historyDays?: number;
  /** Seconds per point of the report's series (60). */
  seriesSeconds?: number;
  workload: CompareWorkload;
  traffic: CompareTraffic;
  policies: ComparePolicy[];
}

export interface PolicyResult {
  name: string;
  kind: string;
  instanceHours: number;
  cost: number;
  breachMinutes: number;
  /** Requests that failed (overload, or no Ready instance). */
  failedRequests: number;
  failedShare: number;
  peakP99Ms: number;
  replicas: { min: number; max: number; mean: number };
  scaleEvents: number;
  step: { atSeconds: number; absorbedSeconds: number | null; breachSeconds: number; withinTwoMinutes: boolean };
  lastReason: string;
}

export interface CompareReport {
  seed: number | string;
  startAt: number;
  durationSeconds: number;
  tickSeconds: number;
  sloP99Ms: number;
  workload: CompareWorkload;
  traffic: CompareTraffic;
  /** Requests/s one instance serves at utilisation 1. */
  instanceCapacityRps: number;
  totalRequests: number;
  policies: PolicyResult[];
  series: {
    stepSeconds: number;
    /** Seconds since the start of each point. */
    t: number[];
    /** Mean demand (req/s) per point. */
    demand: number[];
    /** Instances (starting and Ready) per policy per point: the largest within the point. */
    replicas: Record<string, number[]>;
    /** Ready instances per policy, the smallest within the point. */
    ready: Record<string, number[]>;
  };
}

/** Problems with the options; empty when valid. */
export function compareProblems(o: CompareOptions): string[] {
  const out: string[] = [];
  const pos = (v: unknown, path: string, min = 0, strict = true) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (strict ? v <= min : v < min)) out.push(`${path}: must be a number ${strict ? '>' : '>='} ${min} (got ${String(v)})`);
  };
  pos(o.durationSeconds, 'durationSeconds');
  pos(o.tickSeconds, 'tickSeconds');
  if (o.durationSeconds / o.tickSeconds > 1_000_000) out.push('durationSeconds: at most 1,000,000 ticks per run (raise tickSeconds)');
  pos(o.sloP99Ms, 'sloP99Ms');
  pos(o.workload.startupSeconds, 'workload.startupSeconds', 0, false);
  pos(o.workload.capacity.concurrency, 'workload.capacity.concurrency');
  pos(o.workload.capacity.serviceTimeMs, 'workload.capacity.serviceTimeMs');
  pos(o.workload.pricePerInstanceHour, 'workload.pricePerInstanceHour', 0, false);
  if (!Number.isInteger(o.workload.initialReplicas) || o.workload.initialReplicas < 0) out.push(`workload.initialReplicas: must be an integer >= 0 (got ${String(o.workload.initialReplicas)})`);
  pos(o.traffic.min, 'traffic.min', 0, false);
  if (!(o.traffic.max >= o.traffic.min)) out.push(`traffic.max: must be >= traffic.min (got ${String(o.traffic.max)})`);
  pos(o.traffic.periodSeconds, 'traffic.periodSeconds');
  pos(o.traffic.step.factor, 'traffic.step.factor', 0, false);
  pos(o.traffic.jitter, 'traffic.jitter', 0, false);
  if (o.policies.length === 0) out.push('policies: at least one policy to compare');
  const names = new Set<string>();
  o.policies.forEach((p, i) => {
    if (names.has(p.name)) out.push(`policies[${i}].name: "${p.name}" appears twice`);
    names.add(p.name);
  });
  return out;
}

/** The diurnal shape of the traffic plugin at clock second c. */
function diurnalAt(t: CompareTraffic, c: number): number {
  return t.min + ((t.max - t.min) * (1 - Math.cos((2 * Math.PI * (c - t.troughHour * 3600)) / t.periodSeconds))) / 2;
}

/** Demand per tick: the same series for every policy. */
export function demandSeries(o: CompareOptions): Float64Array {
  const ticks = Math.ceil(o.durationSeconds / o.tickSeconds);
  const rnd = createRandom(o.seed, 'compare/jitter');
  const t0 = (o.startAt ?? 0) / 1000;
  const { step } = o.traffic;
  const out = new Float64Array(ticks);
  for (let k = 0; k < ticks; k++) {
    const t = k * o.tickSeconds;
    const inStep = t >= step.atSeconds && t < step.atSeconds + step.durationSeconds;
    const z = rnd.normal();
    out[k] = diurnalAt(o.traffic, t0 + t) * (inStep ? step.factor : 1) * Math.max(0, 1 + o.traffic.jitter * z);
  }
  return out;
}

/** The past `days` of demand before the run, in samples of `sampleSeconds` (means over the tick grid), oldest first. */
export function pastDemand(o: CompareOptions, days: number, sampleSeconds: number): number[] {
  const rnd = createRandom(o.seed, 'compare/history');
  const t0 = (o.startAt ?? 0) / 1000;
  const span = days * o.traffic.periodSeconds;
  const per = Math.max(1, Math.round(sampleSeconds / o.tickSeconds));
  const out: number[] = [];
  for (let s = -span; s < 0; s += sampleSeconds) {
    let sum = 0;
    for (let i = 0; i < per; i++) sum += diurnalAt(o.traffic, t0 + s + i * o.tickSeconds) * Math.max(0, 1 + o.traffic.jitter * rnd.normal());
    out.push(sum / per);
  }
  return out;
}

interface Instance {
  readyAt: number;
}

/** Run one policy over the demand. */
function simulate(o: CompareOptions, demand: Float64Array, p: ComparePolicy) {
  const w = o.workload;
  const tickMs = o.tickSeconds * 1000;
  const startAt = o.startAt ?? 0;
  const timeout = o.queueTimeoutMs ?? 10_000;
  const settleTicks = Math.ceil((o.settleSeconds ?? 60) / o.tickSeconds);
  let spec = p.spec;
  const pred = spec.predictive as Record<string, unknown> | undefined;
  if (pred && pred.seedHistory === undefined) {
    const sampleSeconds = typeof pred.sampleSeconds === 'number' ? pred.sampleSeconds : 300;
    spec = { ...spec, predictive: { ...pred, seedHistory: pastDemand(o, o.historyDays ?? 2, sampleSeconds) } };
  }
  const policy = p.create(spec);
  const interval = Math.max(1, policy.intervalMs(spec));
  const instances: Instance[] = [];
  // the initial instances are warm: Ready, with a sample, before the first tick
  for (let i = 0; i < w.initialReplicas; i++) instances.push({ readyAt: -Infinity });
  const q = newQueueResult();
  const n = demand.length;
  const replicasAt = new Float64Array(n);
  const readyAt = new Float64Array(n);
  const breach = new Uint8Array(n);
  let nextEval = startAt + tickMs; // the first evaluation sees the first tick
  let lastDemand = 0;
  let lastTick = -Infinity;
  let lastUtil = 0;
  let lastRps = 0;
  let instanceTicks = 0;
  let failed = 0;
  let total = 0;
  let peakP99 = 0;
  let scaleEvents = 0;
  let lastReason = '';
  for (let k = 0; k < n; k++) {
    const now = startAt + k * tickMs;
    // the policy sees the last tick's numbers, as the controller sees the cluster's last tick
    while (nextEval <= now) {
      const ready = instances.filter((i) => i.readyAt <= now).length;
      const samples: InstanceSample[] = instances.map((i, idx) => {
        const isReady = i.readyAt <= now;
        // Ready since the last tick: no load sample yet (Kubernetes' missing metric)
        const sampled = i.readyAt <= lastTick;
        return {
          id: `${w.name}-${idx + 1}`,
          status: isReady ? 'ready' : 'unready',
          cpu: sampled ? w.limits.cpu * Math.min(lastUtil, 1) : 0,
          memoryMiB: 0,
          requests: w.requests,
          rps: sampled ? lastRps : 0,
          utilisation: sampled ? lastUtil : 0,
          missing: !sampled,
        };
      });
      const input: PolicyInput = {
        now,
        current: instances.length,
        readyReplicas: ready,
        demand: lastDemand,
        instances: samples,
        metrics: { 'trigger:0': lastDemand, 'external:0': lastDemand },
        workload: { name: w.name, service: w.name, startupSeconds: w.startupSeconds, capacity: w.capacity, requests: w.requests },
        spec,
      };
      const d = policy.decide(input);
      lastReason = d.reason;
      if (d.desired !== undefined) {
        const to = Math.min(spec.maxReplicas, Math.max(spec.minReplicas, d.desired));
        const from = instances.length;
        if (to > from) for (let i = from; i < to; i++) instances.push({ readyAt: now + w.startupSeconds * 1000 });
        else if (to < from) {
          // starting instances leave first (newest first), then Ready ones: a ReplicaSet's order
          instances.sort((a, b) => b.readyAt - a.readyAt);
          instances.splice(0, from - to);
          instances.sort((a, b) => a.readyAt - b.readyAt);
        }
        if (to !== from) {
          scaleEvents++;
          policy.scaled?.(from, to, now);
        }
      }
      nextEval += interval;
    }
    const ready = instances.filter((i) => i.readyAt <= now).length;
    const lambda = demand[k]!;
    let bad: boolean;
    if (ready === 0) {
      bad = lambda > 0;
      failed += lambda * o.tickSeconds;
      lastUtil = 0; // no Ready instance: no sample
      lastRps = 0;
    } else {
      queue(q, lambda / ready, w.capacity.concurrency, w.capacity.serviceTimeMs, timeout);
      bad = q.utilisation >= 1 || q.p99Ms > o.sloP99Ms;
      failed += lambda * q.failShare * o.tickSeconds;
      if (q.p99Ms > peakP99) peakP99 = q.p99Ms;
      lastUtil = q.utilisation;
      lastRps = lambda / ready;
    }
    total += lambda * o.tickSeconds;
    lastDemand = lambda;
    lastTick = now;
    breach[k] = bad ? 1 : 0;
    replicasAt[k] = instances.length;
    readyAt[k] = ready;
    instanceTicks += instances.length;
  }
  // the step: from its first tick, the first tick that starts settleTicks without breach
  const stepK = Math.ceil(o.traffic.step.atSeconds / o.tickSeconds);
  const stepEnd = Math.min(n, Math.ceil((o.traffic.step.atSeconds + o.traffic.step.durationSeconds) / o.tickSeconds));
  let absorbed: number | null = null;
  let breachInStep = 0;
  if (stepK < n) {
    for (let k = stepK; k < stepEnd; k++) breachInStep += breach[k]!;
    let run = 0;
    for (let k = stepK; k < n; k++) {
      run = breach[k] ? 0 : run + 1;
      if (run >= Math.min(settleTicks, n - stepK)) {
        absorbed = (k - run + 1 - stepK) * o.tickSeconds;
        break;
      }
    }
  }
  let breachTicks = 0;
  let min = Infinity;
  let max = 0;
  for (let k = 0; k < n; k++) {
    breachTicks += breach[k]!;
    if (replicasAt[k]! < min) min = replicasAt[k]!;
    if (replicasAt[k]! > max) max = replicasAt[k]!;
  }
  const instanceHours = (instanceTicks * o.tickSeconds) / 3600;
  const result: PolicyResult = {
    name: p.name,
    kind: String(policy.kind),
    instanceHours,
    cost: instanceHours * w.pricePerInstanceHour,
    breachMinutes: (breachTicks * o.tickSeconds) / 60,
    failedRequests: failed,
    failedShare: total > 0 ? failed / total : 0,
    peakP99Ms: peakP99,
    replicas: { min: n ? min : 0, max, mean: n ? instanceTicks / n : 0 },
    scaleEvents,
    step: { atSeconds: o.traffic.step.atSeconds, absorbedSeconds: absorbed, breachSeconds: breachInStep * o.tickSeconds, withinTwoMinutes: absorbed !== null && absorbed <= 120 },
    lastReason,
  };
  return { result, replicasAt, readyAt, total };
}

/** Compare the policies over the same traffic. Throws a RangeError listing every problem with the options. */
export function comparePolicies(o: CompareOptions): CompareReport {
  const problems = compareProblems(o);
  if (problems.length) throw new RangeError(`Invalid comparison:\n${problems.join('\n')}`);
  const demand = demandSeries(o);
  const capacityRps = (o.workload.capacity.concurrency * 1000) / o.workload.capacity.serviceTimeMs;
  const per = Math.max(1, Math.round((o.seriesSeconds ?? 60) / o.tickSeconds));
  const n = demand.length;
  const t: number[] = [];
  const d: number[] = [];
  for (let k = 0; k < n; k += per) {
    let sum = 0;
    const end = Math.min(n, k + per);
    for (let i = k; i < end; i++) sum += demand[i]!;
    t.push(k * o.tickSeconds);
    d.push(sum / (end - k));
  }
  const replicas: Record<string, number[]> = {};
  const ready: Record<string, number[]> = {};
  const results: PolicyResult[] = [];
  let totalRequests = 0;
  for (const p of o.policies) {
    const run = simulate(o, demand, p);
    results.push(run.result);
    totalRequests = run.total;
    const r: number[] = [];
    const rd: number[] = [];
    for (let k = 0; k < n; k += per) {
      let hi = 0;
      let lo = Infinity;
      for (let i = k; i < Math.min(n, k + per); i++) {
        hi = Math.max(hi, run.replicasAt[i]!);
        lo = Math.min(lo, run.readyAt[i]!);
      }
      r.push(hi);
      rd.push(lo);
    }
    replicas[p.name] = r;
    ready[p.name] = rd;
  }
  return {
    seed: o.seed,
    startAt: o.startAt ?? 0,
    durationSeconds: o.durationSeconds,
    tickSeconds: o.tickSeconds,
    sloP99Ms: o.sloP99Ms,
    workload: o.workload,
    traffic: o.traffic,
    instanceCapacityRps: capacityRps,
    totalRequests,
    policies: results,
    series: { stepSeconds: per * o.tickSeconds, t, demand: d, replicas, ready },
  };
}

/** An autoscaler spec with Kubernetes' default behavior. */
export function baseSpec(workload: string, policy: AutoscalerSpec['policy'], over: Partial<AutoscalerSpec> = {}): AutoscalerSpec {
  return {
    workload,
    policy,
    enabled: true,
    minReplicas: 2,
    maxReplicas: 100,
    syncPeriodSeconds: 15,
    tolerance: 0.1,
    metrics: [],
    behavior: { scaleUp: defaultRules('scaleUp'), scaleDown: defaultRules('scaleDown') },
    followHealth: false,
    ...over,
  };
}

/**
 * The standard comparison: one day of a diurnal cycle (400–2,000 req/s, trough at 04:00) with
 * a 3× step at 10:00 for 30 minutes, 5 % jitter, a workload of 200 req/s per instance at
 * saturation (10 × 50 ms) starting in 30 s, p99 SLO 500 ms; the HPA on utilisation at 0.6,
 * KEDA on the rate at 120 req/s per instance (0.6 of capacity), predictive at 0.6 (Holt-Winters
 * over 5-minute samples, two days of history). `over` replaces any top-level option.
 */
export function standardComparison(over: Partial<CompareOptions> = {}): CompareOptions {
  const workload: CompareWorkload = {
    name: 'web',
    startupSeconds: 30,
    capacity: { concurrency: 10, serviceTimeMs: 50 },
    requests: { cpu: 500, memory: 512 },
    limits: { cpu: 1000, memory: 1024 },
    pricePerInstanceHour: 0.05,
    initialReplicas: 8,
  };
  return {
    seed: 1,
    startAt: 0,
    durationSeconds: 86_400,
    tickSeconds: 5,
    sloP99Ms: 500,
    settleSeconds: 60,
    historyDays: 2,
    seriesSeconds: 60,
    workload,
    traffic: { min: 400, max: 2000, periodSeconds: 86_400, troughHour: 4, step: { factor: 3, atSeconds: 36_000, durationSeconds: 1800 }, jitter: 0.05 },
    policies: [
      { name: 'hpa', spec: baseSpec('web', 'hpa'), create: hpaUtilisationPolicy(0.6) },
      { name: 'keda', spec: baseSpec('web', 'keda'), create: kedaRatePolicy({ threshold: 120, pollingInterval: 30, cooldownPeriod: 300 }) },
      {
        name: 'predictive',
        spec: baseSpec('web', 'predictive', { predictive: { targetUtilisation: 0.6, sampleSeconds: 300, marginSeconds: 60 } }),
        create: createPredictivePolicy,
      },
    ],
    ...over,
  };
}
