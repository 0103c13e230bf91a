// Experiments in the Chaos Toolkit shape: steady-state hypothesis before, method
// (fault actions, probes, pauses), hypothesis after, rollbacks; then a report.
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
import type { ActionSpec, Activity, ExperimentSpec, FaultSpec, ProbeSpec, Tolerance } from './specs.js';

export type ExperimentStatus = 'pending' | 'running' | 'completed' | 'failed' | 'aborted';

export interface ProbeResult {
  name: string;
  url: string;
  value: number | 'timeout';
  tolerance: Tolerance;
  ok: boolean;
}

export interface HypothesisResult {
  met: boolean;
  probes: ProbeResult[];
}

export interface ActivityResult {
  type: Activity['type'];
  name?: string;
  faultId?: string;
  probe?: ProbeResult;
  durationMs?: number;
  cleared?: number;
  /** Why the activity failed (a rollback that could not run). */
  error?: string;
}

export interface Experiment {
  spec: ExperimentSpec;
  status: ExperimentStatus;
  startedAt?: number;
  endedAt?: number;
  before?: HypothesisResult;
  after?: HypothesisResult;
  method: ActivityResult[];
  rollbacks: ActivityResult[];
  faultIds: string[];
  /** `breaker.*` events seen during the run. */
  breakerEvents: Array<Pick<UnderstudyEvent<BreakerEventType>, 'type' | 'at' | 'data'>>;
  breakers?: Array<{ key: string; state: string }>;
  recording?: Recording;
  reason?: string;
  abort?: () => void;
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
}

class Aborted extends Error {}

/** The source of the faults an experiment adds, and the owner of the ids it reserves. */
const ownerOf = (e: Experiment) => `experiment:${e.spec.id}`;

export function tolerated(value: number | 'timeout', tolerance: Tolerance): boolean {
  if (value === 'timeout') return false;
  if (typeof tolerance === 'number') return value === tolerance;
  if (Array.isArray(tolerance)) return tolerance.includes(value);
  return value >= tolerance.range[0] && value <= tolerance.range[1];
}

export class Experiments {
  private readonly experiments = new Map<string, Experiment>();
  private nextId = 1;

  constructor(private readonly deps: ExperimentDeps) {}

  create(spec: Omit<ExperimentSpec, 'id'> & { id?: string }): Experiment {
    let id = spec.id;
    if (id === undefined) {
      while (this.experiments.has(`experiment-${this.nextId}`)) this.nextId++;
      id = `experiment-${this.nextId++}`;
    }
    if (this.experiments.has(id)) throw new ChaosErrors.DUPLICATE_ID('experiment', id);
    const e: Experiment = { spec: { ...spec, id }, status: 'pending', method: [], rollbacks: [], faultIds: [], breakerEvents: [] };
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
    this.deps.faults.reserve(this.faultIdsOf(e.spec), ownerOf(e), `Experiment "${id}"`);
    Object.assign(e, { before: undefined, after: undefined, method: [], rollbacks: [], faultIds: [], breakerEvents: [], breakers: undefined, reason: undefined, endedAt: undefined });
    e.status = 'running';
    e.startedAt = this.deps.clock.now();
    let abort!: () => void;
    const aborted = new Promise<never>((_, reject) => (abort = () => reject(new Aborted('stopped'))));
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

  stopAll(): void {
    for (const e of this.experiments.values()) if (e.status === 'running') e.abort!();
  }

  private async execute(e: Experiment, aborted: Promise<never>): Promise<Experiment> {
    const { clock, events, observer } = this.deps;
    e.recording = observer.start();
    const unsubscribe = events.subscribe((ev) => {
      if (isBreakerEvent(ev)) e.breakerEvents.push({ type: ev.type, at: ev.at, data: ev.data });
    });
    const race = <T>(p: Promise<T>) => Promise.race([p, aborted]);
    /** The faults the method had added when the run broke (an error, not a deviation or a stop). */
    let broke: string[] | undefined;
    try {
      e.before = await race(this.hypothesis(e));
      if (!e.before.met) {
        e.status = 'failed';
        e.reason = 'the steady-state hypothesis did not hold before the method; the method was not run';
      } else {
        for (const activity of e.spec.method) e.method.push(await race(this.activity(e, activity, aborted)));
        e.after = await race(this.hypothesis(e));
        e.status = 'completed';
      }
    } catch (err) {
      if (err instanceof Aborted) {
        e.status = 'aborted';
        e.reason = 'stopped through the API';
      } else {
        e.status = 'failed';
        e.reason = (err as Error).message;
        broke = [...e.faultIds];
      }
    }
    for (const rb of e.spec.rollbacks ?? []) {
      try {
        e.rollbacks.push(await this.activity(e, rb, new Promise<never>(() => undefined)));
      } catch (err) {
        e.rollbacks.push({ type: 'action', name: rb.name, error: (err as Error).message });
      }
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
    return e.before?.met === false || e.after?.met === false;
  }

  private async hypothesis(e: Experiment): Promise<HypothesisResult> {
    const probes: ProbeResult[] = [];
    for (const p of e.spec['steady-state-hypothesis']?.probes ?? []) probes.push(await this.probe(p));
    return { met: probes.every((p) => p.ok), probes };
  }

  private async probe(p: ProbeSpec): Promise<ProbeResult> {
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
    const tolerance = p.tolerance ?? { type: 'range', range: [200, 399] };
    return { name: p.name, url, value, tolerance, ok: tolerated(value, tolerance) };
  }

  private async activity(e: Experiment, a: Activity, aborted: Promise<never>): Promise<ActivityResult> {
    if (a.type === 'probe') return { type: 'probe', name: a.name, probe: await this.probe(a) };
    if (a.type === 'pause') {
      await Promise.race([this.deps.clock.sleep(a.durationMs), aborted]);
      return { type: 'pause', name: a.name, durationMs: a.durationMs };
    }
    return this.action(e, a);
  }

  private action(e: Experiment, a: ActionSpec): ActivityResult {
    const { faults, clock } = this.deps;
    const provider = a.provider;
    if (provider.type === 'clear-faults') {
      const cleared = faults.removeWhere((f) => f.source === ownerOf(e));
      return { type: 'action', name: a.name, cleared };
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
      hypothesis: { title: e.spec['steady-state-hypothesis']?.title, before: e.before, after: e.after },
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

const fmtTolerance = (t: Tolerance) => (typeof t === 'number' ? String(t) : Array.isArray(t) ? t.join(' or ') : `${t.range[0]}–${t.range[1]}`);

function probeTable(title: string, h: HypothesisResult | undefined): string[] {
  if (!h) return [`### ${title}: not checked`, ''];
  return [
    `### ${title}: ${h.met ? 'held ✅' : 'did not hold ❌'}`,
    '',
    '| probe | url | value | tolerance | ok |',
    '|---|---|---|---|---|',
    ...h.probes.map((p) => `| ${p.name} | \`${p.url}\` | ${p.value} | ${fmtTolerance(p.tolerance)} | ${p.ok ? 'yes' : 'no'} |`),
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
    ...probeTable('Before', r.hypothesis.before),
    ...probeTable('After', r.hypothesis.after),
    '## Injected',
    '',
    ...(r.injected.length ? ['| fault | kind | injections |', '|---|---|---|', ...r.injected.map((i) => `| ${i.faultId} | ${i.kind} | ${i.count} |`)] : ['Nothing was injected.']),
    '',
    '## What broke',
    '',
    ...(r.broke.failedProbes.length ? r.broke.failedProbes.map((p) => `- probe **${p.name}** \`${p.url}\` answered ${p.value} (expected ${fmtTolerance(p.tolerance)})`) : ['- no probe failed']),
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
