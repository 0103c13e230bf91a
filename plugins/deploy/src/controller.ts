// The `deployments` service: one rollout controller per workload. It keeps the stable
// revision and the latest rollout, turns what the cluster shows (instances Ready for
// minReadySeconds, per version; exits of the new version; no progress for
// progressDeadlineSeconds) into inputs of the pure state machine (rollout.ts), carries out
// its effects (analysis runs, the one timer), and drives the cluster's ReplicaSets and the
// routing weights from the state (for mesh's selectInstance, and the same weights for the
// cluster's load model, so simulated demand follows them too):
//   canary      stable at `replicas`, canary at ceil(replicas × weight / 100) (at least one
//               while an A/B route is set), the weight applied once those are available;
//   blueGreen   active at `replicas`, preview at previewReplicaCount, all traffic switched
//               when promoted;
//   rollingUpdate Kubernetes' surge/unavailable arithmetic (rolling.ts).
// After a promotion the previous version keeps running for scaleDownDelaySeconds (and all
// through the bake window); after an abort the canary keeps running, out of traffic, for
// abortScaleDownDelaySeconds — so a rollback has instances to go back to, and no request is
// sent to an instance that is about to go.
import type { Clock, PluginEvents, TimerHandle } from '@understudy/plugin-sdk';
import { RingBuffer } from '@understudy/plugin-sdk';
import type { Cluster, ClusterInstance, InstanceChange } from '@understudy/plugin-cluster';
import type {
  AnalysisKind,
  AnalysisRun,
  AnalysisRunner,
  AnalysisRunView,
  DeployEvent,
  Deployments,
  RevisionEntry,
  RolloutRequest,
  RolloutSpec,
  RolloutView,
  RouteMatch,
  StartResult,
} from './contract.js';
import { analysisRefOf, machineSpec, resolveSpec, specProblems, strategyName } from './config.js';
import { DeployErrors } from './errors.js';
import { fenceposts, rollingComplete, rollingStep } from './rolling.js';
import { begin, transition, type Effect, type Input, type MachineSpec, type Note, type Result, type RolloutState } from './rollout.js';
import type { Router } from './routing.js';

export interface ControllerOptions {
  defaults: Partial<RolloutSpec>;
  rollouts: Record<string, Partial<RolloutSpec>>;
  templates: Record<string, unknown>;
  history: { count: number; bytes: number };
  analysisRuns: number;
}

export interface ControllerDeps {
  clock: Clock;
  events: PluginEvents;
  cluster: Cluster;
  router: Router;
  runner: AnalysisRunner;
}

interface Version {
  version: string;
  revision: number;
}

interface Active {
  revision: number;
  version: string;
  /** The stable when it started (the baseline; what an abort returns to). */
  previous: Version;
  spec: RolloutSpec;
  machine: MachineSpec;
  state: RolloutState;
  entry: RevisionEntry;
  runs: Map<AnalysisKind, AnalysisRun>;
  views: AnalysisRun[];
  runCount: number;
  timer?: TimerHandle;
  exits: number;
  lastExit?: string;
  progressMark: string;
  lastProgressAt: number;
  startedAt: number;
  by: string;
}

interface Workload {
  name: string;
  service: string;
  stable: Version;
  stableTemplate?: Record<string, unknown>;
  active?: Active;
  history: RingBuffer<RevisionEntry>;
  nextRevision: number;
  /** Versions kept running after the rollout that replaced them, until `at` (or, rolling: until the stable is available). */
  keep: Map<string, number>;
  /** The ReplicaSets last asked of the cluster. */
  asked: Record<string, number>;
}

const ACTIVE_PHASES = new Set(['Progressing', 'Paused', 'Degraded']);
const EXITED = new Set(['Failed', 'OOMKilled', 'CrashLoopBackOff']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameSets = (a: Record<string, number>, b: Record<string, number>) => {
  const ka = Object.keys(a).filter((k) => a[k]! > 0);
  const kb = Object.keys(b).filter((k) => b[k]! > 0);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
};

export class Controller implements Deployments {
  private readonly workloads = new Map<string, Workload>();
  private driving = false;
  private queued: TimerHandle | undefined;

  constructor(
    private readonly options: ControllerOptions,
    private readonly deps: ControllerDeps,
  ) {}

  // ---------------------------------------------------------------- reads

  private record(name: string): Workload {
    let rec = this.workloads.get(name);
    if (rec) return rec;
    let view;
    try {
      view = this.deps.cluster.workload(name);
    } catch {
      throw new DeployErrors.WORKLOAD_NOT_FOUND(name, this.deps.cluster.workloads().map((w) => w.name));
    }
    const history = new RingBuffer<RevisionEntry>(this.options.history.count, { maxBytes: this.options.history.bytes, sizeOf: (e) => JSON.stringify(e).length });
    const now = this.deps.clock.now();
    history.push({ revision: 1, version: view.spec.version, strategy: strategyName(this.specOf(name, {}).strategy), by: 'cluster', reason: 'the version the workload ran when deployments began', startedAt: now, finishedAt: now, outcome: 'Healthy' });
    rec = { name, service: view.spec.service, stable: { version: view.spec.version, revision: 1 }, history, nextRevision: 2, keep: new Map(), asked: { ...view.replicaSets } };
    this.workloads.set(name, rec);
    return rec;
  }

  private specOf(workload: string, own: Partial<RolloutSpec>): RolloutSpec {
    return resolveSpec(this.options.defaults, this.options.rollouts[workload], own);
  }

  list(): RolloutView[] {
    return this.deps.cluster.workloads().map((w) => this.view(this.record(w.name)));
  }

  get(workload: string): RolloutView {
    return this.view(this.record(workload));
  }

  history(workload: string): RevisionEntry[] {
    return this.record(workload)
      .history.toArray()
      .slice()
      .reverse()
      .map((e) => ({ ...e }));
  }

  private view(rec: Workload): RolloutView {
    const a = rec.active;
    const ready: Record<string, number> = {};
    for (const i of this.deps.cluster.instances({ workload: rec.name, state: 'Ready' })) ready[i.version] = (ready[i.version] ?? 0) + 1;
    const running = a && ACTIVE_PHASES.has(a.state.phase);
    const route = this.deps.router.get(rec.service);
    const out: RolloutView = {
      workload: rec.name,
      service: rec.service,
      phase: a?.state.phase ?? 'Healthy',
      message: a?.state.message ?? 'no rollout yet',
      strategy: strategyName((a?.spec ?? this.specOf(rec.name, {})).strategy),
      stable: { ...rec.stable },
      weight: running ? a.state.weight : route && route.canaryVersion !== rec.stable.version ? route.weight : 0,
      headerRoutes: running ? { ...a.state.headerRoutes } : {},
      replicaSets: { ...rec.asked },
      ready,
      analysisRuns: a ? a.views.map((r) => r.view()) : [],
      updatedAt: this.deps.clock.now(),
    };
    if (a) {
      if (running) out.canary = { version: a.version, revision: a.revision };
      out.startedAt = a.startedAt;
      if (a.state.pause) out.pause = { ...a.state.pause };
      if (a.machine.strategy === 'canary') {
        out.currentStepIndex = a.state.stepIndex;
        out.steps = a.machine.steps.length;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  /** Problems of a rollout request, each with its path. */
  private requestProblems(req: unknown): string[] {
    const templates = new Set(Object.keys(this.options.templates));
    if (!isObj(req)) return ['(root): must be an object { workload, version, strategy?, template?, … }'];
    const problems = specProblems(req, '', templates, ['workload', 'version', 'template', 'by', 'reason']);
    if (typeof req.workload !== 'string' || !req.workload) problems.push('workload: must be the name of a cluster workload');
    if (typeof req.version !== 'string' || !req.version) problems.push('version: must be a non-empty string (the version to roll out)');
    for (const k of ['by', 'reason']) if (req[k] !== undefined && typeof req[k] !== 'string') problems.push(`${k}: must be a string`);
    if (req.template !== undefined) {
      if (!isObj(req.template)) problems.push('template: must be a partial workload spec (an object)');
      else for (const k of ['version', 'replicas', 'service']) if (k in req.template) problems.push(`template.${k}: not part of a rollout's template (the version is the rollout's own field; replicas and service stay the workload's)`);
    }
    return problems;
  }

  start(request: RolloutRequest, options: { dryRun?: boolean } = {}): StartResult {
    const problems = this.requestProblems(request);
    const name = typeof (request as { workload?: unknown })?.workload === 'string' ? request.workload : '(unnamed)';
    if (problems.length) throw new DeployErrors.INVALID_ROLLOUT(name, problems);
    const rec = this.record(request.workload);
    const a = rec.active;
    if (a && ACTIVE_PHASES.has(a.state.phase)) throw new DeployErrors.IN_PROGRESS(rec.name, a.state.phase, a.version);
    if (request.version === rec.stable.version) throw new DeployErrors.UNCHANGED(rec.name, request.version);
    if (request.template) this.checkTemplate(rec, request.template);
    const own: Partial<RolloutSpec> = {};
    for (const k of ['strategy', 'minReadySeconds', 'progressDeadlineSeconds', 'bakeSeconds', 'onFailure', 'failureExits'] as const) {
      if (request[k] !== undefined) (own as Record<string, unknown>)[k] = request[k];
    }
    const spec = this.specOf(rec.name, own);
    return this.launch(rec, { version: request.version, template: request.template, spec, by: request.by ?? 'api', reason: request.reason ?? `roll out ${request.version}`, rollback: undefined }, !!options.dryRun);
  }

  private checkTemplate(rec: Workload, template: Record<string, unknown>): void {
    try {
      this.deps.cluster.apply(rec.name, template, { dryRun: true, source: 'deploy' });
    } catch (err) {
      const found = (err as { problems?: string[] }).problems ?? [(err as Error).message];
      throw new DeployErrors.INVALID_ROLLOUT(rec.name, found.map((p) => `template.${p}`));
    }
  }

  private launch(
    rec: Workload,
    r: { version: string; template?: Record<string, unknown>; spec: RolloutSpec; by: string; reason: string; rollback: number | undefined },
    dryRun: boolean,
  ): StartResult {
    const machine = machineSpec(r.spec, r.rollback !== undefined);
    const strategy = strategyName(r.spec.strategy);
    const replicas = this.deps.cluster.workload(rec.name).spec.replicas;
    const plan = this.plan(rec, r.version, machine, replicas, r.spec);
    const revision = rec.nextRevision;
    const result: StartResult = { workload: rec.name, dryRun, revision, version: r.version, strategy, plan };
    if (dryRun) return result;
    if (r.template && Object.keys(r.template).length) this.deps.cluster.apply(rec.name, r.template, { source: 'deploy' });
    rec.nextRevision++;
    const now = this.deps.clock.now();
    const entry: RevisionEntry = { revision, version: r.version, strategy, by: r.by, reason: r.reason, startedAt: now };
    if (r.template) entry.template = structuredClone(r.template);
    if (r.rollback !== undefined) entry.rollbackOf = r.rollback;
    rec.history.push(entry);
    if (rec.active?.timer) this.deps.clock.clearTimeout(rec.active.timer);
    // versions kept from the last rollout are out of traffic; the new one reuses its own if kept
    rec.keep.clear();
    const started = begin(machine, now);
    const a: Active = {
      revision,
      version: r.version,
      previous: { ...rec.stable },
      spec: r.spec,
      machine,
      state: started.state,
      entry,
      runs: new Map(),
      views: [],
      runCount: 0,
      exits: 0,
      progressMark: '',
      lastProgressAt: now,
      startedAt: now,
      by: r.by,
    };
    rec.active = a;
    this.apply(rec, a, started, r.by);
    this.drive(rec);
    return result;
  }

  private plan(rec: Workload, version: string, m: MachineSpec, replicas: number, spec: RolloutSpec): string[] {
    const from = `${rec.stable.version} → ${version}`;
    const out: string[] = [];
    if (m.rollback) out.push(`roll back ${rec.name} ${from}: no steps, no analysis`);
    if (m.strategy === 'rollingUpdate') {
      const s = spec.strategy as { rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } };
      const f = fenceposts(s.rollingUpdate.maxSurge ?? '25%', s.rollingUpdate.maxUnavailable ?? '25%', replicas);
      out.push(`rolling update ${from}: at most ${replicas + f.surge} instances, at least ${replicas - f.unavailable} available`);
    } else if (m.strategy === 'blueGreen') {
      out.push(`blue/green ${from}: preview of ${version} beside the active set, then the switch`);
    } else if (!m.rollback) {
      out.push(`canary ${from}: ${m.steps.length} step(s), then the promotion`);
      for (const st of m.steps) out.push(st.kind === 'setWeight' ? `setWeight ${st.weight}` : st.kind === 'pause' ? (st.durationMs === undefined ? 'pause until promoted' : `pause ${st.durationMs / 1000} s`) : st.kind);
    }
    if (m.bakeMs > 0 || m.postPromotionAnalysis) out.push(`bake after the promotion${m.bakeMs > 0 ? ` for ${m.bakeMs / 1000} s` : ''}${m.postPromotionAnalysis ? ' with post-promotion analysis' : ''}`);
    out.push(`on failure: ${m.onFailure === 'rollback' ? 'roll back (the stable keeps or takes back the traffic)' : 'freeze (Degraded, alert, wait for promote/abort/retry)'}`);
    return out;
  }

  private actOn(workload: string, action: string): { rec: Workload; a: Active } {
    const rec = this.record(workload);
    if (!rec.active) throw new DeployErrors.INVALID_ACTION(workload, action, 'no rollout was started (POST /__admin/deploy/rollouts first)');
    return { rec, a: rec.active };
  }

  private input(rec: Workload, a: Active, input: Input, action: string, by?: string): RolloutView {
    const result = transition(a.machine, a.state, input, this.deps.clock.now());
    if (result.refused) throw new DeployErrors.INVALID_ACTION(rec.name, action, result.refused);
    this.apply(rec, a, result, by);
    this.drive(rec);
    return this.view(rec);
  }

  promote(workload: string, options: { full?: boolean; by?: string } = {}): RolloutView {
    const { rec, a } = this.actOn(workload, 'promote');
    // promoting a frozen rollout accepts what froze it: its exits count from zero again
    if (a.state.phase === 'Degraded') a.exits = 0;
    return this.input(rec, a, { type: 'promote', full: options.full === true }, 'promote', options.by ?? 'api');
  }

  abort(workload: string, options: { reason?: string; by?: string } = {}): RolloutView {
    const { rec, a } = this.actOn(workload, 'abort');
    return this.input(rec, a, { type: 'abort', message: options.reason ?? `by ${options.by ?? 'api'}` }, 'abort', options.by ?? 'api');
  }

  pause(workload: string, options: { reason?: string; by?: string } = {}): RolloutView {
    const { rec, a } = this.actOn(workload, 'pause');
    const by = options.by ?? 'api';
    return this.input(rec, a, { type: 'pause', message: `paused by ${by}${options.reason ? `: ${options.reason}` : ''}` }, 'pause', by);
  }

  resume(workload: string, options: { by?: string } = {}): RolloutView {
    const { rec, a } = this.actOn(workload, 'resume');
    return this.input(rec, a, { type: 'resume' }, 'resume', options.by ?? 'api');
  }

  retry(workload: string, options: { by?: string } = {}): RolloutView {
    const { rec, a } = this.actOn(workload, 'retry');
    const result = transition(a.machine, a.state, { type: 'retry' }, this.deps.clock.now());
    if (result.refused) throw new DeployErrors.INVALID_ACTION(rec.name, 'retry', result.refused);
    a.exits = 0;
    a.lastExit = undefined;
    a.lastProgressAt = this.deps.clock.now();
    a.entry.outcome = undefined;
    a.entry.finishedAt = undefined;
    rec.keep.delete(a.version);
    this.apply(rec, a, result, options.by ?? 'api');
    this.drive(rec);
    return this.view(rec);
  }

  rollback(workload: string, options: { revision?: number; by?: string; reason?: string } = {}): StartResult {
    const rec = this.record(workload);
    const entries = rec.history.toArray();
    const becameStable = (e: RevisionEntry) => e.outcome === 'Healthy' || (e.outcome === 'RolledBack' && e.rollbackOf !== undefined);
    const target =
      options.revision !== undefined
        ? entries.find((e) => e.revision === options.revision)
        : [...entries].reverse().find((e) => becameStable(e) && e.revision < rec.stable.revision && e.version !== rec.stable.version);
    if (!target) throw new DeployErrors.REVISION_NOT_FOUND(rec.name, options.revision ?? rec.stable.revision - 1, entries.map((e) => e.revision));
    const by = options.by ?? 'api';
    const reason = options.reason ?? `roll back to revision ${target.revision}`;
    const a = rec.active;
    const running = a && ACTIVE_PHASES.has(a.state.phase);
    if (running) this.input(rec, a, { type: 'abort', message: reason }, 'abort', by);
    if (target.version === rec.stable.version) {
      return { workload: rec.name, dryRun: false, revision: rec.stable.revision, version: target.version, strategy: strategyName(this.specOf(rec.name, {}).strategy), plan: [running ? `aborted the rollout: ${target.version} (revision ${rec.stable.revision}) keeps serving` : `${target.version} is stable already`] };
    }
    return this.launch(rec, { version: target.version, template: target.template, spec: this.specOf(rec.name, {}), by, reason, rollback: rec.stable.revision }, false);
  }

  // ---------------------------------------------------------------- effects and events

  private apply(rec: Workload, a: Active, result: Result, by?: string): void {
    const from = a.state.phase;
    a.state = result.state;
    a.lastProgressAt = this.deps.clock.now();
    for (const e of result.effects) this.effect(rec, a, e);
    for (const n of result.notes) this.note(rec, a, n, from, by);
    if (a.state.stage === 'done' && a.entry.outcome === undefined) this.ended(rec, a);
  }

  private effect(rec: Workload, a: Active, e: Effect): void {
    const clock = this.deps.clock;
    switch (e.kind) {
      case 'setTimer':
        if (a.timer) clock.clearTimeout(a.timer);
        a.timer = clock.setTimeout(
          () => {
            a.timer = undefined;
            if (rec.active === a) this.feed(rec, a, { type: 'timer' });
          },
          Math.max(0, e.at - clock.now()),
        );
        return;
      case 'clearTimer':
        if (a.timer) clock.clearTimeout(a.timer);
        a.timer = undefined;
        return;
      case 'stopAnalysis':
        for (const [kind, run] of a.runs) {
          if (kind === 'background' && !e.all) continue;
          run.terminate();
          a.runs.delete(kind);
        }
        return;
      case 'startAnalysis':
        return this.startRun(rec, a, e.analysis, e.stepIndex);
    }
  }

  private startRun(rec: Workload, a: Active, kind: AnalysisKind, stepIndex?: number): void {
    const ref = analysisRefOf(a.spec, kind, stepIndex)!;
    a.runCount++;
    const name = `${rec.name}-${a.revision}-${kind}${stepIndex === undefined ? '' : `-${stepIndex}`}${a.runCount > 1 ? `-${a.runCount}` : ''}`;
    const args: Record<string, string> = { workload: rec.name, service: rec.service, 'stable-version': a.previous.version, 'canary-version': a.version };
    for (const arg of ref.args ?? []) args[arg.name] = arg.value;
    const templates = ref.templates.map((t) => ({ name: t.templateName, template: this.options.templates[t.templateName] }));
    const context = { name, workload: rec.name, service: rec.service, kind, stepIndex, stable: { ...a.previous }, canary: { version: a.version, revision: a.revision }, args, startedAt: this.deps.clock.now() };
    const run = this.deps.runner.start(templates, context, (view) => {
      if (rec.active !== a || a.runs.get(kind) !== run) return;
      a.runs.delete(kind);
      this.deps.events.emit('deploy.analysisCompleted', { workload: rec.name, revision: a.revision, run: view.name, kind, phase: view.phase, message: view.message });
      this.feed(rec, a, { type: 'analysis', kind, phase: view.phase, message: view.message });
    });
    a.runs.get(kind)?.terminate();
    a.runs.set(kind, run);
    a.views.push(run);
    if (a.views.length > this.options.analysisRuns) a.views.shift();
    this.deps.events.emit('deploy.analysisStarted', { workload: rec.name, revision: a.revision, run: name, kind, phase: 'Running' });
  }

  private note(rec: Workload, a: Active, note: Note, from: string, by?: string): void {
    const s = a.state;
    const data: DeployEvent = { workload: rec.name, revision: a.revision, version: a.version, phase: s.phase, message: s.message, weight: s.weight };
    if (from !== s.phase) data.from = from as DeployEvent['phase'];
    if (a.machine.strategy === 'canary') data.stepIndex = s.stepIndex;
    if (by) data.by = by;
    this.deps.events.emit(`deploy.${note}`, data);
  }

  /** The rollout ended: the stable moves on (Healthy, a rollback done) or stays; the other version is kept a while. */
  private ended(rec: Workload, a: Active): void {
    const now = this.deps.clock.now();
    a.entry.outcome = a.state.phase;
    a.entry.finishedAt = now;
    a.entry.message = a.state.message;
    const adopted = a.state.phase === 'Healthy' || (a.state.phase === 'RolledBack' && a.machine.rollback);
    const rolling = a.machine.strategy === 'rollingUpdate';
    const delay = (key: 'scaleDownDelaySeconds' | 'abortScaleDownDelaySeconds') => {
      const s = a.spec.strategy as { canary?: Record<string, number>; blueGreen?: Record<string, number> };
      return ((s.canary ?? s.blueGreen)?.[key] ?? 30) * 1000;
    };
    if (adopted) {
      const old = rec.stable.version;
      rec.stable = { version: a.version, revision: a.revision };
      rec.stableTemplate = a.entry.template;
      this.deps.cluster.setVersion(rec.name, a.version, 'deploy');
      if (!rolling) rec.keep.set(old, now + delay('scaleDownDelaySeconds'));
    } else rec.keep.set(a.version, rolling ? -1 : now + delay('abortScaleDownDelaySeconds'));
  }

  private feed(rec: Workload, a: Active, input: Input): void {
    const result = transition(a.machine, a.state, input, this.deps.clock.now());
    this.apply(rec, a, result);
    this.drive(rec);
  }

  // ---------------------------------------------------------------- the cluster

  /** An instance changed: count the new version's exits (its readiness). */
  instanceChanged(change: InstanceChange): void {
    if (!EXITED.has(change.to) || EXITED.has(change.from)) return;
    const rec = this.workloads.get(change.instance.workload);
    const a = rec?.active;
    if (!rec || !a || a.state.stage === 'done' || change.instance.version !== a.version) return;
    a.exits++;
    a.lastExit = `${change.instance.id}: ${change.reason ?? change.to}`;
    if (a.exits >= a.spec.failureExits) this.soon();
  }

  /** Drive every workload once, outside the cluster call that is running now. */
  private soon(): void {
    if (this.queued) return;
    this.queued = this.deps.clock.setTimeout(() => {
      this.queued = undefined;
      this.tick();
    }, 0);
  }

  /** Every cluster tick: drive every workload with a rollout or kept versions. */
  tick(): void {
    for (const rec of this.workloads.values()) if ((rec.active && rec.active.state.stage !== 'done') || rec.keep.size) this.drive(rec);
  }

  stop(): void {
    if (this.queued) this.deps.clock.clearTimeout(this.queued);
    for (const rec of this.workloads.values()) {
      const a = rec.active;
      if (!a) continue;
      if (a.timer) this.deps.clock.clearTimeout(a.timer);
      for (const run of a.runs.values()) run.terminate();
      a.runs.clear();
    }
  }

  private availability(rec: Workload, minReadyMs: number): { ready: Map<string, number>; available: Map<string, number> } {
    const now = this.deps.clock.now();
    const ready = new Map<string, number>();
    const available = new Map<string, number>();
    for (const i of this.deps.cluster.instances({ workload: rec.name, state: 'Ready' }) as ClusterInstance[]) {
      ready.set(i.version, (ready.get(i.version) ?? 0) + 1);
      if (now - (i.readyAt ?? now) >= minReadyMs) available.set(i.version, (available.get(i.version) ?? 0) + 1);
    }
    return { ready, available };
  }

  /**
   * The route's weights for the cluster's load model, so simulated demand goes where real
   * exchanges go: the canary side its weight, the versions beside it the rest; no route (a
   * rolling update, no rollout): cleared, even over the Ready instances. Header and cookie
   * routes steer real exchanges only. Set only when they differ from the cluster's.
   */
  private weigh(rec: Workload, route: { canaryVersion: string; weight: number } | undefined, sets: Record<string, number>, current: Record<string, number> | undefined): void {
    let weights: Record<string, number> | undefined;
    if (route) {
      const others = Object.keys(sets).filter((v) => v !== route.canaryVersion);
      weights = { [route.canaryVersion]: route.weight };
      for (const v of others) weights[v] = (100 - route.weight) / others.length;
    }
    if (JSON.stringify(weights) === JSON.stringify(current)) return;
    this.deps.cluster.setTrafficWeights(rec.name, weights);
  }

  /** Observe, feed the machine until it settles, then set the ReplicaSets, the route and its weights. */
  private drive(rec: Workload): void {
    if (this.driving) return this.soon();
    this.driving = true;
    try {
      for (let pass = 0; pass < 20; pass++) if (!this.step(rec)) break;
    } finally {
      this.driving = false;
    }
  }

  /** One pass; true when the state changed (pass again). */
  private step(rec: Workload): boolean {
    let view;
    try {
      view = this.deps.cluster.workload(rec.name);
    } catch {
      return false; // the workload was deleted
    }
    const N = view.spec.replicas;
    const a = rec.active;
    const now = this.deps.clock.now();
    const minReadyMs = (a?.spec.minReadySeconds ?? 0) * 1000;
    const { available } = this.availability(rec, minReadyMs);
    const avail = (v: string) => available.get(v) ?? 0;
    const running = a !== undefined && a.state.stage !== 'done';
    const S = running ? a.previous.version : rec.stable.version;

    // ReplicaSets and route from the state
    let sets: Record<string, number> = { [S]: N };
    let route: { canaryVersion: string; weight: number; matches: RouteMatch[] } | undefined;
    let target = 0;
    if (running) {
      const C = a.version;
      const st = a.state;
      const strat = a.spec.strategy;
      if ('canary' in strat) {
        const step = a.machine.steps[st.stepIndex];
        const matches = [...(strat.canary.match ?? []), ...Object.values(st.headerRoutes).flat()];
        let count: number;
        if (st.stage === 'steps') {
          const w = step?.kind === 'setWeight' ? step.weight : st.weight;
          count = Math.ceil((N * w) / 100);
          if (matches.length > 0) count = Math.max(count, 1);
        } else count = N;
        sets[C] = count;
        target = count;
        route = { canaryVersion: C, weight: st.weight, matches };
      } else if ('blueGreen' in strat) {
        const preview = st.stage === 'promoting' || st.stage === 'bake' ? N : Math.min(N, strat.blueGreen.previewReplicaCount ?? N);
        sets[C] = preview;
        target = preview;
        route = { canaryVersion: C, weight: st.weight, matches: st.promoted ? [] : [...(strat.blueGreen.previewMatch ?? [])] };
      } else {
        const rs = this.deps.cluster.workload(rec.name).replicaSets;
        const cur = { newRS: rs[C] ?? 0, oldRS: rs[S] ?? 0 };
        if (st.phase === 'Progressing') {
          if (st.stage === 'promoting') sets = { [S]: avail(C) >= N ? 0 : cur.oldRS, [C]: N };
          else {
            const r = a.spec.strategy as { rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } };
            const f = fenceposts(r.rollingUpdate.maxSurge ?? '25%', r.rollingUpdate.maxUnavailable ?? '25%', N);
            const next = rollingStep({ replicas: N, newRS: cur.newRS, oldRS: cur.oldRS, newAvailable: avail(C), oldAvailable: avail(S) }, f.surge, f.unavailable);
            sets = { [S]: next.oldRS, [C]: next.newRS };
          }
        } else sets = { [S]: cur.oldRS, [C]: cur.newRS };
        target = N;
      }
      // paused by hand: nothing is scaled (Argo's spec.paused); the ReplicaSets stay as they are
      if (st.manual) sets = { [S]: view.replicaSets[S] ?? 0, [C]: view.replicaSets[C] ?? 0 };
    } else if (a) {
      // ended: the version it replaced, or the aborted one, kept a while (out of traffic when aborted)
      const other = rec.keep.keys().next().value as string | undefined;
      if (other !== undefined) {
        const until = rec.keep.get(other)!;
        const done = until < 0 ? avail(S) >= N : now >= until;
        if (done) rec.keep.delete(other);
        else {
          sets[other] = Math.max(0, until < 0 ? (rec.asked[other] ?? 0) : (rec.asked[other] ?? N));
          route = { canaryVersion: S, weight: 100, matches: [] };
          if (until < 0) route = undefined;
        }
      }
    }

    // the cluster: only when it differs (a scale by an autoscaler or an edit is set again)
    const current = view.replicaSets;
    if (!sameSets(current, sets)) {
      const clean: Record<string, number> = {};
      for (const [v, n] of Object.entries(sets)) if (n > 0 || v === S) clean[v] = n;
      this.deps.cluster.setReplicaSets(rec.name, clean, 'deploy');
    }
    rec.asked = { ...sets };
    this.deps.router.set(rec.service, route);
    this.weigh(rec, route, sets, view.trafficWeights);
    if (!running) return false;

    // inputs: readiness failure, stage target available, progress deadline
    const st = a.state;
    if (a.exits >= a.spec.failureExits && (st.phase === 'Progressing' || st.phase === 'Paused')) {
      this.apply(rec, a, transition(a.machine, st, { type: 'failure', cause: 'readiness', message: `${a.exits} exit(s) of version ${a.version} (last: ${a.lastExit})` }, now));
      return true;
    }
    if (st.phase !== 'Progressing') return false;
    const waitsForReady = st.stage === 'promoting' || (st.stage === 'steps' && (a.machine.strategy !== 'canary' || a.machine.steps[st.stepIndex]?.kind === 'setWeight'));
    if (!waitsForReady) return false;
    const C = a.version;
    const rs = this.deps.cluster.workload(rec.name).replicaSets;
    const met =
      a.machine.strategy === 'rollingUpdate'
        ? st.stage === 'promoting'
          ? avail(C) >= N
          : rollingComplete({ replicas: N, newRS: rs[C] ?? 0, oldRS: rs[S] ?? 0, newAvailable: avail(C), oldAvailable: avail(S) })
        : avail(C) >= target;
    if (met) {
      this.apply(rec, a, transition(a.machine, st, { type: 'ready' }, now));
      return true;
    }
    const mark = `${avail(C)}/${Object.entries(rs).join(',')}`;
    if (mark !== a.progressMark) {
      a.progressMark = mark;
      a.lastProgressAt = now;
    } else if (now - a.lastProgressAt >= a.spec.progressDeadlineSeconds * 1000) {
      const message = `no progress for ${a.spec.progressDeadlineSeconds} s (ProgressDeadlineExceeded): ${avail(C)} of ${target} instance(s) of ${C} available`;
      this.apply(rec, a, transition(a.machine, st, { type: 'failure', cause: 'deadline', message }, now));
      return true;
    }
    return false;
  }
}

export type { AnalysisRunView };
