// The autoscale controller: the `autoscale` service. Each autoscaler runs on the kernel clock
// every `intervalMs` of its policy (the HPA: syncPeriodSeconds; KEDA: the shorter of
// pollingInterval and syncPeriodSeconds, the policy knows which part is due). An evaluation
// builds the PolicyInput from the cluster's last tick (each instance ready / not yet ready /
// ignored, its CPU, memory, requests/s and utilisation from the load model, a metric missing
// when it turned Ready after that tick), the External metrics and KEDA triggers (observability
// metrics, simulated queues, the service's demand), asks the ScalingPolicy and applies its
// answer with cluster.scale(workload, n, { source: 'autoscale', reason }).
//
// Other writers: when the replicas differ from what the controller last saw or set (a person,
// a rollout, a test), the policy is told (`scaled`, then `held`: the HPA's scale-down window
// keeps that count for its 300 s instead of undoing it at the next sync). Health's
// `requestReplicas` is answered the same way when the autoscaler follows health: raised to
// what health asks (within maxReplicas), never lowered.
//
// Also kept here, bounded: each autoscaler's history of evaluations (count and bytes), the
// simulated queues of `queue` triggers (stepped every cluster tick), and usage samples of every
// Ready instance for right-sizing (usage.ts).
import { KernelErrors, RingBuffer, type Clock, type PluginEvents, type TimerHandle } from '@understudy/plugin-sdk';
import type { Cluster, ClusterTick, WorkloadView } from '@understudy/plugin-cluster';
import { normalizeSpec, specProblems, type AutoscaleConfig, type SpecDefaults } from './config.js';
import type {
  Autoscale,
  AutoscalerSpec,
  AutoscalerStatus,
  HistoryPoint,
  InstanceSample,
  PolicyDecision,
  PolicyFactory,
  PolicyInput,
  QueueView,
  ScalingPolicy,
} from './contract.js';
import { AutoscaleErrors } from './errors.js';
import { stepQueue } from './keda.js';
import { createHpaPolicy, createKedaPolicy } from './policies.js';
import { createPredictivePolicy } from './predictive.js';
import { UsageSamples } from './usage.js';

/** What the controller reads External metrics from (the observability service's `metric`). */
export interface MetricSource {
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
}

/** Health's `health.action` event data, as far as the controller reads it. */
export interface HealthAction {
  action: string;
  target: string;
  message: string;
  /** requestReplicas: the replicas wanted in all (absent in older health versions: read from the message). */
  replicas?: number;
}

export interface ControllerDeps {
  clock: Clock;
  events: PluginEvents;
  cluster: Cluster;
  logger: { warn(obj: object, msg: string): void };
  metrics: () => MetricSource | undefined;
}

interface Entry {
  spec: AutoscalerSpec;
  policy: ScalingPolicy;
  history: RingBuffer<HistoryPoint>;
  timer?: TimerHandle;
  desired?: number;
  lastScaleTime?: number;
  lastEvaluation?: number;
  lastReason?: string;
  detail?: Record<string, unknown>;
  metrics?: Record<string, number | null>;
  active?: boolean;
  lastActiveTime?: number;
  /** The replicas as the controller last saw or set them. */
  known?: number;
  running: boolean;
}

const historySize = (p: HistoryPoint) => 96 + p.reason.length * 2;

export class Controller implements Autoscale {
  private readonly entries = new Map<string, Entry>();
  private readonly factories = new Map<string, PolicyFactory>([
    ['hpa', createHpaPolicy],
    ['keda', createKedaPolicy],
    ['predictive', createPredictivePolicy],
  ]);
  private readonly queueMap = new Map<string, QueueView>();
  readonly usage: UsageSamples;
  private started = false;
  private lastSampleAt = -Infinity;

  constructor(
    private readonly config: AutoscaleConfig,
    private readonly deps: ControllerDeps,
  ) {
    this.usage = new UsageSamples(config.usage.samples);
    for (const [name, q] of Object.entries(config.queues)) {
      this.queueMap.set(name, { name, length: q.length, arrivalRps: q.arrivalRps, ratePerInstance: q.ratePerInstance, ...(q.consumer !== undefined && { consumer: q.consumer }) });
    }
  }

  specDefaults(): SpecDefaults {
    return {
      syncPeriodSeconds: this.config.syncPeriodSeconds,
      tolerance: this.config.tolerance,
      followHealth: this.config.followHealth,
      queues: new Set(this.queueMap.keys()),
      policies: new Set(this.factories.keys()),
    };
  }

  /** The config's autoscalers and queues: every problem with its full path, thrown together. */
  configure(): void {
    const problems: string[] = [];
    const workloads = this.deps.cluster.workloads().map((w) => w.name);
    const defaults = this.specDefaults();
    for (const [name, q] of this.queueMap) {
      if (q.consumer !== undefined && !workloads.includes(q.consumer)) problems.push(`plugins.autoscale.queues.${name}.consumer: no cluster workload "${q.consumer}" (workloads: ${workloads.join(', ') || 'none'})`);
    }
    const valid: Array<[string, Record<string, unknown>]> = [];
    for (const [name, raw] of Object.entries(this.config.autoscalers)) {
      const path = `plugins.autoscale.autoscalers.${name}`;
      const found = specProblems(raw, defaults, path);
      if (!workloads.includes(name)) found.push(`${path}: no cluster workload "${name}" (workloads: ${workloads.join(', ') || 'none'})`);
      problems.push(...found);
      if (!found.length) valid.push([name, raw as Record<string, unknown>]);
    }
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);
    for (const [name, raw] of valid) this.commit(name, raw, 'config');
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    this.started = true;
    for (const e of this.entries.values()) this.arm(e);
  }

  stop(): void {
    this.started = false;
    for (const e of this.entries.values()) this.disarm(e);
  }

  private arm(e: Entry): void {
    this.disarm(e);
    const ms = Math.max(1, e.policy.intervalMs(e.spec));
    e.timer = this.deps.clock.setTimeout(() => {
      e.timer = undefined;
      if (!this.started || this.entries.get(e.spec.workload) !== e) return;
      this.arm(e);
      void this.run(e);
    }, ms);
  }

  private disarm(e: Entry): void {
    if (e.timer !== undefined) this.deps.clock.clearTimeout(e.timer);
    e.timer = undefined;
  }

  // ------------------------------------------------------------------ the service

  list(): AutoscalerStatus[] {
    return [...this.entries.keys()].sort().map((w) => this.view(this.entries.get(w)!));
  }

  get(workload: string): AutoscalerStatus {
    return this.view(this.entry(workload));
  }

  set(workload: string, raw: unknown, options: { dryRun?: boolean; source?: string } = {}): AutoscalerStatus {
    const names = this.deps.cluster.workloads().map((w) => w.name);
    if (!names.includes(workload)) throw new AutoscaleErrors.UNKNOWN_WORKLOAD(workload, names);
    const problems = specProblems(raw, this.specDefaults());
    if (problems.length) throw new AutoscaleErrors.INVALID_SPEC(workload, problems);
    if (options.dryRun) {
      const spec = normalizeSpec(workload, raw as Record<string, unknown>, this.specDefaults());
      const previous = this.entries.get(workload);
      return this.view({ spec, policy: this.policyFor(spec), history: previous?.history ?? this.newHistory(), running: false });
    }
    return this.view(this.commit(workload, raw as Record<string, unknown>, options.source ?? 'api'));
  }

  private commit(workload: string, raw: Record<string, unknown>, source: string): Entry {
    const spec = normalizeSpec(workload, raw, this.specDefaults());
    const policy = this.policyFor(spec);
    const previous = this.entries.get(workload);
    if (previous) this.disarm(previous);
    // the workload's history outlives a change of its spec
    const e: Entry = { spec, policy, history: previous?.history ?? this.newHistory(), running: false };
    this.entries.set(workload, e);
    if (this.started) this.arm(e);
    this.deps.events.emit('autoscale.configured', { workload, policy: spec.policy, source });
    return e;
  }

  private policyFor(spec: AutoscalerSpec): ScalingPolicy {
    try {
      return this.factories.get(spec.policy)!(spec);
    } catch (err) {
      throw new AutoscaleErrors.INVALID_SPEC(spec.workload, String((err as Error).message).split('\n').slice(1));
    }
  }

  private newHistory(): RingBuffer<HistoryPoint> {
    return new RingBuffer<HistoryPoint>(this.config.history.count, { maxBytes: this.config.history.bytes, sizeOf: historySize });
  }

  remove(workload: string): void {
    const e = this.entry(workload);
    this.disarm(e);
    this.entries.delete(workload);
    this.deps.events.emit('autoscale.removed', { workload });
  }

  history(workload: string): HistoryPoint[] {
    return this.entry(workload).history.toArray();
  }

  registerPolicy(kind: string, factory: PolicyFactory): void {
    this.factories.set(kind, factory);
  }

  async evaluate(workload: string): Promise<AutoscalerStatus> {
    const e = this.entry(workload);
    await this.run(e);
    return this.view(e);
  }

  queues(): QueueView[] {
    return [...this.queueMap.values()].map((q) => ({ ...q }));
  }

  setQueue(name: string, patch: { length?: number; arrivalRps?: number }): QueueView {
    const q = this.queueMap.get(name);
    if (!q) throw new AutoscaleErrors.QUEUE_NOT_FOUND(name, [...this.queueMap.keys()]);
    const problems: string[] = [];
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) problems.push('body: must be an object { length?, arrivalRps? }');
    else
      for (const [k, v] of Object.entries(patch)) {
        if (k !== 'length' && k !== 'arrivalRps') problems.push(`${k}: unknown property (one of length, arrivalRps)`);
        else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`${k}: must be a number >= 0`);
      }
    if (problems.length) throw new AutoscaleErrors.INVALID_QUEUE(name, problems);
    if (patch.length !== undefined) q.length = patch.length;
    if (patch.arrivalRps !== undefined) q.arrivalRps = patch.arrivalRps;
    return { ...q };
  }

  private entry(workload: string): Entry {
    const e = this.entries.get(workload);
    if (!e) throw new AutoscaleErrors.NOT_FOUND(workload, [...this.entries.keys()]);
    return e;
  }

  private view(e: Entry): AutoscalerStatus {
    const wl = this.workload(e.spec.workload);
    return {
      workload: e.spec.workload,
      spec: e.spec,
      currentReplicas: wl?.spec.replicas ?? 0,
      readyReplicas: wl?.ready ?? 0,
      desiredReplicas: e.desired,
      ...(e.lastScaleTime !== undefined && { lastScaleTime: e.lastScaleTime }),
      ...(e.lastEvaluation !== undefined && { lastEvaluation: e.lastEvaluation }),
      ...(e.lastReason !== undefined && { lastReason: e.lastReason }),
      ...(e.active !== undefined && { active: e.active }),
      ...(e.lastActiveTime !== undefined && { lastActiveTime: e.lastActiveTime }),
      ...(e.detail !== undefined && { detail: e.detail }),
      ...(e.metrics !== undefined && { metrics: e.metrics }),
      historyDropped: e.history.dropped,
    };
  }

  private workload(name: string): WorkloadView | undefined {
    try {
      return this.deps.cluster.workload(name);
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------ evaluation

  private async run(e: Entry): Promise<void> {
    if (e.running) return;
    e.running = true;
    try {
      await this.evaluateEntry(e);
    } catch (err) {
      e.lastReason = `evaluation failed: ${(err as Error).message}`;
      this.deps.logger.warn({ err, workload: e.spec.workload }, 'autoscale: evaluation failed');
    } finally {
      e.running = false;
    }
  }

  private async evaluateEntry(e: Entry): Promise<void> {
    const { spec } = e;
    const now = this.deps.clock.now();
    e.lastEvaluation = now;
    if (!spec.enabled) {
      e.lastReason = 'disabled (enabled: false)';
      return;
    }
    const before = this.workload(spec.workload);
    if (!before) {
      e.lastReason = `the cluster has no workload "${spec.workload}" any more`;
      return;
    }
    const demand = this.deps.cluster.lastTick()?.services.get(before.spec.service)?.demand ?? 0;
    const metrics = await this.values(spec, demand);
    // read again after the metrics: the cluster may have moved on meanwhile
    const wl = this.workload(spec.workload);
    if (!wl) return;
    const current = wl.spec.replicas;
    this.noticeOtherWriter(e, current, now);
    const input = this.input(e, wl, demand, metrics, now);
    const d = e.policy.decide(input);
    e.metrics = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v ?? null]));
    this.keda(e, d);
    const to = this.target(spec, current, d);
    e.desired = to ?? current;
    e.detail = d.detail;
    e.lastReason = d.reason;
    e.history.push({ at: now, replicas: current, ready: wl.ready, desired: to ?? (d.desired === undefined ? undefined : current), demand, reason: d.reason });
    if (to !== undefined && to !== current) this.scale(e, current, to, d.reason, spec.policy, now);
    else e.known = current;
  }

  /** What to set: the policy's answer within [min (or KEDA's idle count), max]; undefined: leave it. */
  private target(spec: AutoscalerSpec, current: number, d: PolicyDecision): number | undefined {
    if (d.desired === undefined || d.desired === current) return undefined;
    const lowest = spec.keda ? Math.min(spec.minReplicas, spec.keda.idleReplicaCount ?? 0) : spec.minReplicas;
    return Math.min(spec.maxReplicas, Math.max(lowest, d.desired));
  }

  private scale(e: Entry, from: number, to: number, reason: string, policy: string, now: number): void {
    this.deps.cluster.scale(e.spec.workload, to, { source: 'autoscale', reason });
    e.known = to;
    e.lastScaleTime = now;
    e.policy.scaled?.(from, to, now);
    this.deps.events.emit('autoscale.scaled', { workload: e.spec.workload, from, to, reason, policy });
  }

  /** Replicas someone else set since the last evaluation: the policy records the change and holds it. */
  private noticeOtherWriter(e: Entry, current: number, now: number): void {
    if (e.known === undefined || e.known === current) return;
    e.policy.scaled?.(e.known, current, now);
    e.policy.held?.(current, now);
    e.known = current;
  }

  private keda(e: Entry, d: PolicyDecision): void {
    const detail = d.detail as { active?: unknown; lastActiveTime?: number; trigger?: number; value?: number } | undefined;
    if (typeof detail?.active !== 'boolean') return;
    const was = e.active;
    e.active = detail.active;
    if (detail.lastActiveTime !== undefined) e.lastActiveTime = detail.lastActiveTime;
    if (detail.active && was !== true) this.deps.events.emit('autoscale.activated', { workload: e.spec.workload, trigger: `trigger:${detail.trigger ?? 0}`, value: detail.value ?? 0 });
    else if (!detail.active && was === true) this.deps.events.emit('autoscale.deactivated', { workload: e.spec.workload, idleSince: e.lastActiveTime ?? this.deps.clock.now() });
  }

  /** External metrics (`external:<i>`) and KEDA triggers (`trigger:<i>`); undefined: missing. */
  private async values(spec: AutoscalerSpec, demand: number): Promise<Record<string, number | undefined>> {
    const out: Record<string, number | undefined> = {};
    const source = this.deps.metrics();
    const read = async (name: string, labels?: Record<string, string>) => (source ? source.metric(name, labels).catch(() => undefined) : undefined);
    for (let i = 0; i < spec.metrics.length; i++) {
      const m = spec.metrics[i]!;
      if (m.type === 'External') out[`external:${i}`] = await read(m.external.metric.name, m.external.metric.labels);
    }
    const triggers = spec.keda?.triggers ?? [];
    for (let i = 0; i < triggers.length; i++) {
      const t = triggers[i]!;
      out[`trigger:${i}`] = t.type === 'queue' ? this.queueMap.get(t.queue)?.length : t.type === 'rate' ? demand : await read(t.metric.name, t.metric.labels);
    }
    return out;
  }

  private input(e: Entry, wl: WorkloadView, demand: number, metrics: Record<string, number | undefined>, now: number): PolicyInput {
    const tickAt = this.deps.cluster.lastTick()?.at;
    const requests = wl.spec.resources.requests;
    const instances: InstanceSample[] = [];
    for (const inst of this.deps.cluster.instances({ workload: wl.name })) {
      if (inst.state === 'Terminated') continue;
      const status = inst.state === 'Ready' ? 'ready' : inst.state === 'Starting' || inst.state === 'NotReady' ? 'unready' : 'ignored';
      instances.push({
        id: inst.id,
        status,
        cpu: inst.load.cpu,
        memoryMiB: inst.load.memoryMiB,
        requests,
        rps: inst.load.arrivalRate,
        utilisation: inst.load.utilisation,
        // Ready after the last tick of the load model: no sample of it yet
        missing: status === 'ready' && (tickAt === undefined || (inst.readyAt ?? -Infinity) > tickAt),
      });
    }
    return {
      now,
      current: wl.spec.replicas,
      readyReplicas: wl.ready,
      demand,
      instances,
      metrics,
      workload: { name: wl.name, service: wl.spec.service, startupSeconds: wl.spec.startupSeconds, capacity: wl.spec.capacity, requests },
      spec: e.spec,
    };
  }

  // ------------------------------------------------------------------ other inputs

  /** Health's planner asks for replicas: raise them (within maxReplicas) when the autoscaler follows health. */
  onHealthAction(a: HealthAction): void {
    if (a.action !== 'requestReplicas') return;
    const name = this.deps.cluster.workloadOf(a.target) ?? a.target;
    const e = this.entries.get(name);
    if (!e || !e.spec.enabled || !e.spec.followHealth) return;
    const wanted = a.replicas ?? Number(/needs (\d+) replicas/.exec(a.message)?.[1] ?? NaN);
    if (!Number.isInteger(wanted)) return;
    const wl = this.workload(name);
    if (!wl) return;
    const current = wl.spec.replicas;
    const to = Math.min(e.spec.maxReplicas, wanted);
    if (to <= current) return;
    const now = this.deps.clock.now();
    const reason = `health requested ${wanted} replicas${to < wanted ? ` (maxReplicas ${e.spec.maxReplicas})` : ''}: ${a.message}`;
    e.history.push({ at: now, replicas: current, ready: wl.ready, desired: to, demand: this.deps.cluster.lastTick()?.services.get(wl.spec.service)?.demand ?? 0, reason });
    this.scale(e, current, to, reason, 'health', now);
    e.policy.held?.(to, now);
    e.desired = to;
    e.lastReason = reason;
  }

  /** Every cluster tick: the queues move, and usage is sampled every usage.sampleSeconds. */
  onTick(tick: ClusterTick): void {
    for (const q of this.queueMap.values()) {
      const ready = q.consumer !== undefined ? (this.workload(q.consumer)?.ready ?? 0) : 0;
      stepQueue(q, tick.durationMs, ready);
    }
    if (tick.at - this.lastSampleAt < this.config.usage.sampleSeconds * 1000) return;
    this.lastSampleAt = tick.at;
    for (const inst of this.deps.cluster.instances({ state: 'Ready' })) this.usage.add(inst.workload, inst.load.cpu, inst.load.memoryMiB);
  }

  /** A workload left the cluster: forget its usage samples (its autoscaler stays, reporting it). */
  onWorkloadRemoved(workload: string): void {
    this.usage.forget(workload);
  }
}
