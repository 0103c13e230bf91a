// Experiments in the Chaos Toolkit shape: steady-state hypothesis (before, during, after
// the method as the strategy says; "tolerance met within T" after it), method (fault and
// operations actions, probes, pauses), rollbacks; then a report and a journal (journal.ts).
//
// Starting a run is atomic: it reserves the ids of every fault its actions will add
// before anything changes (409 US_CHAOS_FAULT_ID_IN_USE when one is held by another
// fault or run; the experiment keeps its status and last report). A run that fails
// half-way (an action whose fault cannot be added) ends `failed` with the reason, runs
// its rollbacks, and removes every fault it added, so it leaves the faults as they were.
import type { Breakers, BreakerTransitionEventType } from '@understudy/plugin-breaker';
import type { Clock, Dispatcher, PluginEvents, UnderstudyEvent } from '@understudy/plugin-sdk';
import { ChaosErrors } from './errors.js';
import type { ActiveFault, FaultStore } from './faults.js';
import type { Observer, Recording } from './recordings.js';
import { toJournal, type Journal } from './journal.js';
import { missing, OpsRun, runOpsAction, runOpsProbe, type OpsServices } from './ops.js';
import type { Random } from '@understudy/plugin-sdk';
import type { ActionSpec, Activity, ExperimentSpec, FaultSpec, HypothesisStrategy, OpsProbeProvider, ProbeSpec, Tolerance } from './specs.js';

export type ExperimentStatus = 'pending' | 'running' | 'completed' | 'failed' | 'aborted' | 'interrupted';

export interface ProbeResult {
  name: string;
  /** An http probe's path. */
  url?: string;
  /** An operations probe: what it read, in words (`observability error-rate orders`). */
  source?: string;
  value: number | string | null | 'timeout';
  tolerance: Tolerance;
  ok: boolean;
  /** Why the probe could not be read (an unknown service, …): it is then not within tolerance. */
  error?: string;
}

export interface HypothesisResult {
  met: boolean;
  probes: ProbeResult[];
  /** Kernel clock time of the (last) check. */
  at?: number;
  /** "Tolerance met within T": the window, the polls made, and when it held (ms after the method). */
  withinMs?: number;
  attempts?: number;
  metAfterMs?: number;
}

/** When an activity ran (kernel clock ms), and the activity itself: the journal's `run[]` entries. */
export interface ActivityTiming {
  activity: Activity;
  start: number;
  end: number;
}

/** The most checks during the method an experiment keeps (older ones are dropped, counted). */
export const MAX_DURING_CHECKS = 500;

export interface ActivityResult {
  type: Activity['type'];
  name?: string;
  faultId?: string;
  probe?: ProbeResult;
  durationMs?: number;
  cleared?: number;
  /** Why the activity failed (a rollback that could not run, an operations action that was refused). */
  error?: string;
  /** What an operations action did (instances killed, nodes failed, the rollout started). */
  output?: unknown;
}

export interface Experiment {
  spec: ExperimentSpec;
  status: ExperimentStatus;
  startedAt?: number;
  endedAt?: number;
  before?: HypothesisResult;
  after?: HypothesisResult;
  /** Checks during the method (strategies `during-method-only` and `continuously`). */
  during: HypothesisResult[];
  duringDropped: number;
  /** The hypothesis strategy of the last run. */
  strategy?: HypothesisStrategy;
  method: ActivityResult[];
  /** The method's activity that broke the run (not in `method`, which holds what completed). */
  broken?: ActivityResult;
  rollbacks: ActivityResult[];
  faultIds: string[];
  /** `breaker.*` events seen during the run. */
  breakerEvents: Array<Pick<UnderstudyEvent<BreakerEventType>, 'type' | 'at' | 'data'>>;
  breakers?: Array<{ key: string; state: string }>;
  recording?: Recording;
  reason?: string;
  abort?: (how?: Aborted) => void;
  done?: Promise<Experiment>;
}

/** Every event the breaker plugin emits (its contract declares them). */
type BreakerEventType = BreakerTransitionEventType | 'breaker.flapping' | 'breaker.instanceEjected' | 'breaker.instanceReturned';

const isBreakerEvent = (e: UnderstudyEvent): e is UnderstudyEvent<BreakerEventType> => e.type.startsWith('breaker.');

export interface ExperimentDeps {
  clock: Clock;
  events: PluginEvents;
  faults: FaultStore;
  observer: Observer;
  dispatch: Dispatcher;
  /** The breaker plugin's service, when it is loaded. */
  breakers(): Breakers | undefined;
  /** Cluster, observability, health, traffic and deploy, when loaded. */
  ops: OpsServices;
  /** Seeded stream for operations actions (which instances to kill). */
  random: Random;
}

/** A stop from outside: through the API (`aborted`) or because the server stops (`interrupted`). */
class Aborted extends Error {
  constructor(
    readonly status: 'aborted' | 'interrupted' = 'aborted',
    reason = 'stopped through the API',
  ) {
    super(reason);
  }
}
/** `fail_fast`: a check during the method did not hold; the method stops (Chaos Toolkit: the run fails). */
class FailFast extends Error {}

/** The source of the faults an experiment adds, and the owner of the ids it reserves. */
const ownerOf = (e: Experiment) => `experiment:${e.spec.id}`;

export function tolerated(value: number | string | null | 'timeout', tolerance: Tolerance): boolean {
  if (value === 'timeout' || value === null) return false;
  if (typeof tolerance === 'number' || typeof tolerance === 'string') return value === tolerance;
  if (Array.isArray(tolerance)) return tolerance.includes(value);
  if (typeof value !== 'number') return false;
  if (tolerance.type === 'range') return value >= tolerance.range[0] && value <= tolerance.range[1];
  const t = tolerance.value;
  switch (tolerance.operator) {
    case '<':
      return value < t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    case '>=':
      return value >= t;
    case '==':
      return value === t;
    case '!=':
      return value !== t;
  }
}

/** Which checks a hypothesis strategy makes (Chaos Toolkit's names). */
export function checksOf(strategy: HypothesisStrategy): { before: boolean; during: boolean; after: boolean } {
  return {
    before: strategy === 'default' || strategy === 'before-method-only' || strategy === 'continuously',
    during: strategy === 'during-method-only' || strategy === 'continuously',
    after: strategy === 'default' || strategy === 'after-method-only' || strategy === 'continuously',
  };
}

export class Experiments {
  private readonly experiments = new Map<string, Experiment>();
  private nextId = 1;
  /** When each activity and probe of the last runs ran (for the journal). */
  private readonly timings = new WeakMap<object, ActivityTiming>();

  constructor(private readonly deps: ExperimentDeps) {}

  create(spec: Omit<ExperimentSpec, 'id'> & { id?: string }): Experiment {
    let id = spec.id;
    if (id === undefined) {
      while (this.experiments.has(`experiment-${this.nextId}`)) this.nextId++;
      id = `experiment-${this.nextId++}`;
    }
    if (this.experiments.has(id)) throw new ChaosErrors.DUPLICATE_ID('experiment', id);
    const e: Experiment = { spec: { ...spec, id }, status: 'pending', during: [], duringDropped: 0, method: [], rollbacks: [], faultIds: [], breakerEvents: [] };
    this.experiments.set(id, e);
    return e;
  }

  list(): Experiment[] {
    return [...this.experiments.values()];
  }

  get(id: string): Experiment {
    const e = this.experiments.get(id);
    if (!e) throw new ChaosErrors.EXPERIMENT_NOT_FOUND(id);
    return e;
  }

  /** The operations activities of a spec whose plugin is not loaded. */
  missingFor(spec: Parameters<typeof missing>[0]) {
    return missing(spec, this.deps.ops);
  }

  /** The ids of the faults an experiment's actions add. */
  private faultIdsOf(spec: ExperimentSpec): string[] {
    const ids: string[] = [];
    for (const a of [...spec.method, ...(spec.rollbacks ?? [])]) if (a.type === 'action' && a.provider.type === 'fault') ids.push(a.provider.fault.id ?? `${spec.id}.${a.name}`);
    return ids;
  }

  /** Start a run; the returned experiment's `done` settles when it ends. */
  run(id: string): Experiment {
    const e = this.get(id);
    if (e.status === 'running') throw new ChaosErrors.ALREADY_RUNNING('Experiment', id);
    const absent = missing(e.spec, this.deps.ops);
    if (absent.length) throw new ChaosErrors.NEEDS_PLUGIN(id, absent.map((m) => `activity "${m.activity}" needs the ${m.plugin} plugin (service ${m.service})`));
    this.deps.faults.reserve(this.faultIdsOf(e.spec), ownerOf(e), `Experiment "${id}"`);
    Object.assign(e, {
      before: undefined,
      after: undefined,
      during: [],
      duringDropped: 0,
      strategy: e.spec.runtime?.hypothesis?.strategy ?? 'default',
      method: [],
      broken: undefined,
      rollbacks: [],
      faultIds: [],
      breakerEvents: [],
      breakers: undefined,
      reason: undefined,
      endedAt: undefined,
    });
    e.status = 'running';
    e.startedAt = this.deps.clock.now();
    let abort!: (how?: Aborted) => void;
    const aborted = new Promise<never>((_, reject) => (abort = (how = new Aborted()) => reject(how)));
    aborted.catch(() => undefined);
    e.abort = abort;
    e.done = this.execute(e, aborted);
    this.deps.events.emit('chaos.experimentStarted', { experimentId: id, title: e.spec.title });
    return e;
  }

  stop(id: string): Experiment {
    const e = this.get(id);
    if (e.status === 'running') e.abort!();
    return e;
  }

  /** Interrupt every running experiment; resolves when their runs (rollbacks included) have ended. */
  async stopAll(): Promise<void> {
    const running = [...this.experiments.values()].filter((e) => e.status === 'running');
    for (const e of running) e.abort!(new Aborted('interrupted', 'the server stopped while it ran'));
    await Promise.all(running.map((e) => e.done));
  }

  private async execute(e: Experiment, aborted: Promise<never>): Promise<Experiment> {
    const { clock, events, observer } = this.deps;
    e.recording = observer.start();
    const unsubscribe = events.subscribe((ev) => {
      if (isBreakerEvent(ev)) e.breakerEvents.push({ type: ev.type, at: ev.at, data: ev.data });
    });
    const race = <T>(p: Promise<T>) => Promise.race([p, aborted]);
    const checks = checksOf(e.strategy!);
    const opsRun = new OpsRun(e.spec.id, this.deps.random, clock);
    /** The faults the method had added when the run broke (an error, not a deviation or a stop). */
    let broke: string[] | undefined;
    try {
      if (checks.before) e.before = await race(this.hypothesis(e));
      if (e.before && !e.before.met) {
        e.status = 'failed';
        e.reason = 'the steady-state hypothesis did not hold before the method; the method was not run';
      } else {
        let failFast: FailFast | undefined;
        try {
          await this.method(e, aborted, checks.during, opsRun);
        } catch (err) {
          if (!(err instanceof FailFast)) throw err;
          failFast = err;
        }
        // as Chaos Toolkit's: after a fail-fast stop the hypothesis is still checked after the method
        if (checks.after) e.after = await race(this.hypothesisWithin(e));
        e.status = failFast ? 'failed' : 'completed';
        if (failFast) e.reason = failFast.message;
      }
    } catch (err) {
      if (err instanceof Aborted) {
        e.status = err.status;
        e.reason = err.message;
      } else {
        e.status = 'failed';
        e.reason = (err as Error).message;
        broke = [...e.faultIds];
      }
    }
    const rollbackStrategy = e.spec.runtime?.rollbacks?.strategy ?? 'default';
    const rollback = rollbackStrategy === 'never' ? false : rollbackStrategy === 'deviated' ? this.deviated(e) : true;
    for (const rb of rollback ? (e.spec.rollbacks ?? []) : []) {
      const start = clock.now();
      try {
        e.rollbacks.push(await this.activity(e, rb, new Promise<never>(() => undefined), opsRun));
      } catch (err) {
        e.rollbacks.push({ type: 'action', name: rb.name, error: (err as Error).message });
      }
      this.timings.set(e.rollbacks.at(-1)!, { activity: rb, start, end: clock.now() });
    }
    // a run that broke half-way leaves none of the faults its method added behind
    if (broke) for (const id of broke) if (this.deps.faults.get(id)?.source === ownerOf(e)) this.deps.faults.remove(id);
    this.deps.faults.release(ownerOf(e));
    unsubscribe();
    observer.stop(e.recording);
    const breakers = this.deps.breakers();
    if (breakers) {
      const since = e.startedAt!;
      e.breakers = breakers
        .list()
        .filter((b) => b.state !== 'CLOSED' || b.transitions.some((t) => t.at >= since))
        .map((b) => ({ key: b.key, state: b.state }));
    }
    e.endedAt = clock.now();
    events.emit('chaos.experimentEnded', { experimentId: e.spec.id, status: e.status, deviated: this.deviated(e) });
    return e;
  }

  private deviated(e: Experiment): boolean {
    return e.before?.met === false || e.after?.met === false || e.during.some((h) => !h.met);
  }

  /** The method's activities in order; with `during`, the hypothesis is checked every `frequency` s while they run. */
  private async method(e: Experiment, aborted: Promise<never>, during: boolean, opsRun: OpsRun): Promise<void> {
    const { clock } = this.deps;
    let interrupt!: (err: Error) => void;
    const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
    interrupted.catch(() => undefined);
    const guard = Promise.race([aborted, interrupted]);
    guard.catch(() => undefined);
    let running = true;
    if (during) {
      const hs = e.spec.runtime?.hypothesis;
      const everyMs = (hs?.frequency ?? 1) * 1000;
      const loop = async () => {
        while (running) {
          const h = await this.hypothesis(e);
          if (!running) break;
          e.during.push(h);
          if (e.during.length > MAX_DURING_CHECKS) {
            e.during.shift();
            e.duringDropped++;
          }
          if (!h.met && hs?.fail_fast) {
            const failed = h.probes.filter((p) => !p.ok).map((p) => `"${p.name}" = ${p.value}`);
            interrupt(new FailFast(`the steady-state hypothesis did not hold during the method (${failed.join(', ')}); fail_fast stopped the method`));
            return;
          }
          await clock.sleep(everyMs);
        }
      };
      void loop();
    }
    try {
      for (const activity of e.spec.method) {
        const pauses = activity.type === 'pause' ? undefined : activity.pauses;
        if (pauses?.before) await Promise.race([clock.sleep(pauses.before * 1000), guard]);
        const start = clock.now();
        let result: ActivityResult;
        try {
          result = await Promise.race([this.activity(e, activity, guard, opsRun), guard]);
        } catch (err) {
          // the activity that broke the run is in the journal too (a stop or an interruption is not the activity's)
          if (!(err instanceof Aborted || err instanceof FailFast)) {
            e.broken = { type: activity.type, name: activity.name, error: (err as Error).message };
            this.timings.set(e.broken, { activity, start, end: clock.now() });
          }
          throw err;
        }
        this.timings.set(result, { activity, start, end: clock.now() });
        e.method.push(result);
        if (pauses?.after) await Promise.race([clock.sleep(pauses.after * 1000), guard]);
      }
    } finally {
      running = false;
    }
  }

  private async hypothesis(e: Experiment): Promise<HypothesisResult> {
    const probes: ProbeResult[] = [];
    const at = this.deps.clock.now();
    for (const p of e.spec['steady-state-hypothesis']?.probes ?? []) probes.push(await this.timedProbe(p));
    return { met: probes.every((p) => p.ok), probes, at };
  }

  /** The after-check: once, or "tolerance met within T" — polled on the kernel clock until it holds or T has passed. */
  private async hypothesisWithin(e: Experiment): Promise<HypothesisResult> {
    const spec = e.spec['steady-state-hypothesis'];
    const withinMs = spec?.withinMs;
    if (withinMs === undefined) return this.hypothesis(e);
    const { clock } = this.deps;
    const pollMs = spec!.pollMs ?? 1000;
    const from = clock.now();
    const deadline = from + withinMs;
    let attempts = 0;
    for (;;) {
      const h = await this.hypothesis(e);
      attempts++;
      const now = clock.now();
      if (h.met || now >= deadline) return { ...h, withinMs, attempts, ...(h.met && { metAfterMs: now - from }) };
      await clock.sleep(Math.min(pollMs, deadline - now));
      // stopped meanwhile: no more polls (the run has ended)
      if (e.status !== 'running') return { ...h, withinMs, attempts };
    }
  }

  private async timedProbe(p: ProbeSpec): Promise<ProbeResult> {
    const start = this.deps.clock.now();
    const r = await this.probe(p);
    this.timings.set(r, { activity: p, start, end: this.deps.clock.now() });
    return r;
  }

  private async probe(p: ProbeSpec): Promise<ProbeResult> {
    const tolerance = p.tolerance ?? { type: 'range', range: [200, 399] };
    if (p.provider.type !== 'http') return this.opsProbe(p as ProbeSpec & { provider: OpsProbeProvider }, tolerance);
    const { method = 'GET', url, timeoutMs, headers } = p.provider;
    const call = this.deps.dispatch({ request: { method, url, headers } }).then((ex) => ex.response!.status);
    let value: number | 'timeout';
    if (timeoutMs === undefined) value = await call;
    else {
      let timer: unknown;
      const timeout = new Promise<'timeout'>((resolve) => (timer = this.deps.clock.setTimeout(() => resolve('timeout'), timeoutMs)));
      value = await Promise.race([call, timeout]);
      this.deps.clock.clearTimeout(timer as never);
    }
    return { name: p.name, url, value, tolerance, ok: tolerated(value, tolerance) };
  }

  private async opsProbe(p: ProbeSpec & { provider: OpsProbeProvider }, tolerance: Tolerance): Promise<ProbeResult> {
    const pr = p.provider;
    const args = Object.values(pr.arguments ?? {}).filter((v) => typeof v === 'string');
    const source = [pr.type, pr.func, ...args].join(' ');
    try {
      const value = await runOpsProbe(p, this.deps.ops);
      return { name: p.name, source, value, tolerance, ok: tolerated(value, tolerance) };
    } catch (err) {
      return { name: p.name, source, value: null, tolerance, ok: false, error: (err as Error).message };
    }
  }

  private async activity(e: Experiment, a: Activity, aborted: Promise<never>, opsRun: OpsRun): Promise<ActivityResult> {
    if (a.type === 'probe') return { type: 'probe', name: a.name, probe: await this.probe(a) };
    if (a.type === 'pause') {
      await Promise.race([this.deps.clock.sleep(a.durationMs), aborted]);
      return { type: 'pause', name: a.name, durationMs: a.durationMs };
    }
    return this.action(e, a, opsRun);
  }

  private action(e: Experiment, a: ActionSpec, opsRun: OpsRun): ActivityResult {
    const { faults, clock } = this.deps;
    const provider = a.provider;
    if (provider.type === 'clear-faults') {
      const cleared = faults.removeWhere((f) => f.source === ownerOf(e));
      return { type: 'action', name: a.name, cleared };
    }
    if (provider.type !== 'fault') {
      try {
        return { type: 'action', name: a.name, output: runOpsAction({ ...a, provider }, this.deps.ops, opsRun) };
      } catch (err) {
        throw new Error(`action "${a.name}" failed: ${(err as Error).message}`, { cause: err });
      }
    }
    const id = provider.fault.id ?? `${e.spec.id}.${a.name}`;
    let added: ActiveFault;
    try {
      added = faults.add({ ...provider.fault, id } as FaultSpec, ownerOf(e));
    } catch (err) {
      throw new Error(`action "${a.name}" could not add fault "${id}": ${(err as Error).message}`, { cause: err });
    }
    e.faultIds.push(id);
    // removes this fault only: not one added later under the same id
    if (provider.durationMs !== undefined) clock.setTimeout(() => faults.get(id) === added && faults.remove(id), provider.durationMs);
    return { type: 'action', name: a.name, faultId: id, durationMs: provider.durationMs };
  }

  /** The run in Chaos Toolkit's journal shape (journal.ts). */
  journal(e: Experiment): Journal {
    return toJournal(e, (o) => this.timings.get(o));
  }

  report(e: Experiment) {
    const rec = e.recording;
    const probes = [...(e.before?.probes ?? []), ...e.method.flatMap((m) => (m.probe ? [m.probe] : [])), ...(e.after?.probes ?? [])];
    return {
      id: e.spec.id,
      title: e.spec.title,
      description: e.spec.description,
      status: e.status,
      deviated: this.deviated(e),
      reason: e.reason,
      startedAt: e.startedAt,
      endedAt: e.endedAt,
      durationMs: e.startedAt !== undefined && e.endedAt !== undefined ? e.endedAt - e.startedAt : undefined,
      hypothesis: {
        title: e.spec['steady-state-hypothesis']?.title,
        strategy: e.strategy ?? e.spec.runtime?.hypothesis?.strategy ?? 'default',
        withinMs: e.spec['steady-state-hypothesis']?.withinMs,
        before: e.before,
        after: e.after,
        during: { checks: e.during.length + e.duringDropped, failed: e.during.filter((h) => !h.met).length, dropped: e.duringDropped, results: e.during },
      },
      /** Every activity of the method and the rollbacks with when it ran, ms after the start. */
      timeline: [...e.method.map((r) => ['method', r] as const), ...e.rollbacks.map((r) => ['rollback', r] as const)].map(([phase, r]) => {
        const t = this.timings.get(r);
        return { phase, type: r.type, name: r.name, ok: r.error === undefined && (r.probe?.ok ?? true), startMs: t ? t.start - e.startedAt! : undefined, endMs: t ? t.end - e.startedAt! : undefined };
      }),
      method: e.method,
      rollbacks: e.rollbacks,
      injected: e.faultIds.map((id) => ({ faultId: id, kind: this.deps.faults.totals.get(id)?.kind ?? kindOf(e, id), count: this.deps.faults.totals.get(id)?.count ?? 0 })),
      broke: {
        failedProbes: probes.filter((p) => !p.ok),
        failingServices: rec ? rec.failingServices() : {},
        failedCalls: rec ? rec.edgeList() : [],
      },
      breakers: { events: e.breakerEvents, changed: e.breakers },
    };
  }
}

function kindOf(e: Experiment, id: string): string | undefined {
  for (const a of e.spec.method) if (a.type === 'action' && a.provider.type === 'fault' && (a.provider.fault.id ?? `${e.spec.id}.${a.name}`) === id) return a.provider.fault.kind;
  return undefined;
}

export type ExperimentReport = ReturnType<Experiments['report']>;

export const fmtTolerance = (t: Tolerance) =>
  typeof t === 'number' || typeof t === 'string'
    ? String(t)
    : Array.isArray(t)
      ? t.join(' or ')
      : t.type === 'range'
        ? `${t.range[0]}–${t.range[1]}`
        : `${t.operator} ${t.value}`;

const probeTarget = (p: ProbeResult) => `\`${p.url ?? p.source}\``;
const within = (h: HypothesisResult) =>
  h.withinMs === undefined ? [] : [h.met ? `Met ${h.metAfterMs} ms after the method (within ${h.withinMs} ms, ${h.attempts} poll(s)).` : `Not met within ${h.withinMs} ms (${h.attempts} poll(s)).`, ''];

function probeTable(title: string, h: HypothesisResult | undefined): string[] {
  if (!h) return [`### ${title}: not checked`, ''];
  return [
    `### ${title}: ${h.met ? 'held ✅' : 'did not hold ❌'}`,
    '',
    ...within(h),
    '| probe | url | value | tolerance | ok |',
    '|---|---|---|---|---|',
    ...h.probes.map((p) => `| ${p.name} | ${probeTarget(p)} | ${p.value} | ${fmtTolerance(p.tolerance)} | ${p.ok ? 'yes' : 'no'} |`),
    '',
  ];
}

/** The report as Markdown, for a pull request or a runbook. */
export function toMarkdown(r: ExperimentReport): string {
  const lines = [
    `# Experiment: ${r.title}`,
    '',
    ...(r.description ? [r.description, ''] : []),
    `- **Status:** ${r.status}${r.deviated ? ' (deviated)' : ''}`,
    ...(r.reason ? [`- **Reason:** ${r.reason}`] : []),
    `- **Duration:** ${r.durationMs ?? '—'} ms`,
    '',
    `## Steady-state hypothesis${r.hypothesis.title ? `: ${r.hypothesis.title}` : ''}`,
    '',
    `Strategy: \`${r.hypothesis.strategy}\`.`,
    '',
    ...probeTable('Before', r.hypothesis.before),
    ...(r.hypothesis.during.checks
      ? [`### During: ${r.hypothesis.during.failed ? `did not hold in ${r.hypothesis.during.failed} of ${r.hypothesis.during.checks} check(s) ❌` : `held in all ${r.hypothesis.during.checks} check(s) ✅`}`, '']
      : []),
    ...probeTable('After', r.hypothesis.after),
    '## Run',
    '',
    ...(r.timeline.length
      ? ['| phase | activity | type | start (ms) | end (ms) | ok |', '|---|---|---|---|---|---|', ...r.timeline.map((t) => `| ${t.phase} | ${t.name ?? '—'} | ${t.type} | ${t.startMs ?? '—'} | ${t.endMs ?? '—'} | ${t.ok ? 'yes' : 'no'} |`)]
      : ['Nothing ran.']),
    '',
    '## Injected',
    '',
    ...(r.injected.length ? ['| fault | kind | injections |', '|---|---|---|', ...r.injected.map((i) => `| ${i.faultId} | ${i.kind} | ${i.count} |`)] : ['Nothing was injected.']),
    '',
    '## What broke',
    '',
    ...(r.broke.failedProbes.length ? r.broke.failedProbes.map((p) => `- probe **${p.name}** ${probeTarget(p)} answered ${p.value} (expected ${fmtTolerance(p.tolerance)})`) : ['- no probe failed']),
    ...Object.entries(r.broke.failingServices).map(([s, n]) => `- service **${s}** failed ${n} time(s)`),
    ...r.broke.failedCalls.map((e) => `- call ${e.caller} → ${e.service} failed ${e.failures} time(s)`),
    '',
    '## Breakers',
    '',
    ...(r.breakers.events.length || r.breakers.changed?.length
      ? [...r.breakers.events.map((e) => `- ${e.type} ${JSON.stringify(e.data)}`), ...(r.breakers.changed ?? []).map((b) => `- ${b.key}: ${b.state}`)]
      : ['No breaker changed state.']),
    '',
  ];
  return lines.join('\n');
}
