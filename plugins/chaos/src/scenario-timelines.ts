// Scenarios: timelines of fault steps on the kernel clock, with cascade and
// simultaneous-failure templates. Each step activates its faults at `at` and removes
// them after `duration` (or when the scenario stops).
//
// All or nothing: creating one checks that no two steps add the same fault id (400);
// starting one reserves every step's fault ids before anything changes (409
// US_CHAOS_FAULT_ID_IN_USE when another fault or run holds one: the scenario stays as it
// was); a step whose faults cannot all be added (a registry refusing a partition's
// instances) removes the ones it added and the scenario ends `failed`, with its reason
// and none of its faults left.
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import { ChaosErrors } from './errors.js';
import type { FaultStore } from './faults.js';
import type { Observer, Recording } from './recordings.js';
import type { FaultSpec, ScenarioSpec, StepSpec } from './specs.js';

export type StepState = 'pending' | 'active' | 'done';
export type ScenarioStatus = 'idle' | 'running' | 'completed' | 'stopped' | 'failed';

interface StepRun {
  spec: StepSpec;
  state: StepState;
  faultIds: string[];
  timers: unknown[];
}

export interface Scenario {
  spec: ScenarioSpec;
  status: ScenarioStatus;
  runs: number;
  startedAt?: number;
  endedAt?: number;
  steps: StepRun[];
  recording?: Recording;
  /** Why the last run failed (a step's faults could not be added). */
  reason?: string;
}

export interface ScenarioDeps {
  clock: Clock;
  events: PluginEvents;
  faults: FaultStore;
  observer: Observer;
}

/** The faults one step activates (ids derived from the scenario and step index). */
export function stepFaults(scenarioId: string, index: number, step: StepSpec): FaultSpec[] {
  const base = `${scenarioId}.step${index}`;
  if (step.template === 'cascade') return [{ id: base, kind: 'outage', scope: { service: step.leaf } }];
  if (step.simultaneous) {
    const { services, fault } = step.simultaneous;
    return services.map((service) => ({ ...fault, id: `${base}.${service}`, scope: { ...fault.scope, service } }) as FaultSpec);
  }
  return [{ ...step.fault!, id: step.fault!.id ?? base } as FaultSpec];
}

/** The source of a scenario's faults, and the owner of the ids it reserves. */
const ownerOf = (s: Scenario) => `scenario:${s.spec.id}`;

export class Scenarios {
  private readonly scenarios = new Map<string, Scenario>();
  private nextId = 1;

  constructor(private readonly deps: ScenarioDeps) {}

  create(spec: Omit<ScenarioSpec, 'id'> & { id?: string }): Scenario {
    const id = spec.id ?? this.newId();
    if (this.scenarios.has(id)) throw new ChaosErrors.DUPLICATE_ID('scenario', id);
    // two steps adding one fault id would replace, then remove, each other's fault
    const seen = new Map<string, number>();
    const problems: string[] = [];
    spec.steps.forEach((step, i) => {
      for (const fault of stepFaults(id, i, step)) {
        const first = seen.get(fault.id);
        if (first === undefined) seen.set(fault.id, i);
        else problems.push(`steps[${i}]: fault id "${fault.id}" is also a fault of steps[${first}]; give each step's fault its own id`);
      }
    });
    if (problems.length) throw new ChaosErrors.INVALID('scenario', problems);
    const scenario: Scenario = {
      spec: { ...spec, id },
      status: 'idle',
      runs: 0,
      steps: spec.steps.map((s) => ({ spec: s, state: 'pending', faultIds: [], timers: [] })),
    };
    this.scenarios.set(id, scenario);
    return scenario;
  }

  private newId(): string {
    while (this.scenarios.has(`scenario-${this.nextId}`)) this.nextId++;
    return `scenario-${this.nextId++}`;
  }

  list(): Scenario[] {
    return [...this.scenarios.values()];
  }

  get(id: string): Scenario {
    const s = this.scenarios.get(id);
    if (!s) throw new ChaosErrors.SCENARIO_NOT_FOUND(id);
    return s;
  }

  start(id: string): Scenario {
    const s = this.get(id);
    if (s.status === 'running') throw new ChaosErrors.ALREADY_RUNNING('Scenario', id);
    const { clock, events, observer, faults } = this.deps;
    faults.reserve(
      s.steps.flatMap((step, i) => stepFaults(id, i, step.spec).map((f) => f.id)),
      ownerOf(s),
      `Scenario "${id}"`,
    );
    s.status = 'running';
    s.reason = undefined;
    s.runs++;
    s.startedAt = clock.now();
    s.endedAt = undefined;
    s.recording = observer.start();
    events.emit('chaos.scenarioStarted', { scenarioId: id, name: s.spec.name, steps: s.steps.length });
    s.steps.forEach((step, i) => {
      step.state = 'pending';
      step.faultIds = [];
      step.timers = [clock.setTimeout(() => this.activate(s, i), step.spec.at)];
    });
    return s;
  }

  private activate(s: Scenario, index: number): void {
    const step = s.steps[index];
    const id = s.spec.id;
    step.state = 'active';
    try {
      for (const fault of stepFaults(id, index, step.spec)) {
        this.deps.faults.add(fault, ownerOf(s));
        step.faultIds.push(fault.id);
      }
    } catch (err) {
      // runs in a timer: nothing to throw to; the scenario ends failed, with none of its faults
      this.halt(s, 'failed', `step ${index} could not add its faults: ${(err as Error).message}`);
      return;
    }
    this.deps.events.emit('chaos.stepActivated', { scenarioId: id, step: index, faults: step.faultIds });
    if (step.spec.duration !== undefined) step.timers.push(this.deps.clock.setTimeout(() => this.deactivate(s, index), step.spec.duration));
  }

  private deactivate(s: Scenario, index: number): void {
    const step = s.steps[index];
    for (const id of step.faultIds) this.deps.faults.remove(id);
    step.state = 'done';
    this.deps.events.emit('chaos.stepDeactivated', { scenarioId: s.spec.id, step: index, faults: step.faultIds });
    if (s.steps.every((x) => x.state === 'done')) this.end(s, 'completed');
  }

  stop(id: string): Scenario {
    const s = this.get(id);
    if (s.status === 'running') this.halt(s, 'stopped');
    return s;
  }

  /** End a run before its time: timers cleared, its faults removed. */
  private halt(s: Scenario, status: 'stopped' | 'failed', reason?: string): void {
    for (const step of s.steps) {
      for (const t of step.timers) this.deps.clock.clearTimeout(t as never);
      for (const f of step.faultIds) this.deps.faults.remove(f);
      if (step.state === 'active') step.state = 'done';
    }
    s.reason = reason;
    this.end(s, status);
  }

  stopAll(): void {
    for (const s of this.scenarios.values()) this.stop(s.spec.id);
  }

  private end(s: Scenario, status: ScenarioStatus): void {
    this.deps.faults.release(ownerOf(s));
    s.status = status;
    s.endedAt = this.deps.clock.now();
    this.deps.observer.stop(s.recording!);
    this.deps.events.emit('chaos.scenarioEnded', { scenarioId: s.spec.id, status, durationMs: s.endedAt - s.startedAt!, failing: s.recording!.failingServices() });
  }

  /** The scenario as the admin API shows it, with the cascade report of each cascade step. */
  view(s: Scenario) {
    const rec = s.recording;
    return {
      id: s.spec.id,
      name: s.spec.name,
      status: s.status,
      ...(s.reason !== undefined && { reason: s.reason }),
      runs: s.runs,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      steps: s.steps.map((step, i) => ({ index: i, at: step.spec.at, duration: step.spec.duration, state: step.state, faults: stepFaults(s.spec.id, i, step.spec).map((f) => f.id) })),
      observed: rec ? { failing: rec.failingServices(), edges: rec.edgeList() } : undefined,
      cascades: s.steps
        .filter((step) => step.spec.template === 'cascade')
        .map((step) => {
          const leaf = step.spec.leaf!;
          const paths = rec ? rec.propagation(leaf) : [[leaf]];
          const affected = [...new Set(paths.flat())].filter((x) => x !== leaf).sort();
          return { leaf, affected, paths };
        }),
      spec: s.spec,
    };
  }
}
