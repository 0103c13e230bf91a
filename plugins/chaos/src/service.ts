// The `chaos` service: faults, scenarios and experiments behind one programmatic API
// (the admin routes and other plugins use the same).
import { ChaosErrors } from './errors.js';
import { Experiments, type Experiment } from './experiments.js';
import type { ActiveFault, FaultStore } from './faults.js';
import { LIBRARY, librarySpec, resolveParams } from './library.js';
import { needs } from './ops.js';
import { Scenarios, type Scenario } from './scenario-timelines.js';
import { validateExperiment, validateFault, validateScenario } from './validate.js';

const invalid = (what: string, problems: string[]) => new ChaosErrors.INVALID(what, problems);

export class Chaos {
  constructor(
    readonly faults: FaultStore,
    readonly scenarios: Scenarios,
    readonly experiments: Experiments,
  ) {}

  /** Validate and activate a fault; without an id it gets `fault-<n>`. */
  addFault(body: unknown, source = 'api'): ActiveFault {
    const spec = validateFault(body, invalid);
    const id = spec.id ?? this.faults.newId();
    if (this.faults.has(id)) throw new ChaosErrors.DUPLICATE_ID('fault', id);
    const holder = this.faults.holderOf(id);
    if (holder) throw new ChaosErrors.FAULT_ID_IN_USE(id, holder);
    // a private copy: the caller's object never changes the live fault
    return this.faults.add({ ...structuredClone(spec), id }, source);
  }

  fault(id: string): ActiveFault {
    const f = this.faults.get(id);
    if (!f) throw new ChaosErrors.FAULT_NOT_FOUND(id);
    return f;
  }

  removeFault(id: string): void {
    if (!this.faults.remove(id)) throw new ChaosErrors.FAULT_NOT_FOUND(id);
  }

  clearFaults(): number {
    return this.faults.removeWhere(() => true);
  }

  createScenario(body: unknown): Scenario {
    return this.scenarios.create(validateScenario(body, invalid));
  }

  startScenario(id: string): Scenario {
    return this.scenarios.start(id);
  }

  stopScenario(id: string): Scenario {
    return this.scenarios.stop(id);
  }

  scenarioView(id: string) {
    return this.scenarios.view(this.scenarios.get(id));
  }

  createExperiment(body: unknown): Experiment {
    return this.experiments.create(validateExperiment(body, invalid));
  }

  /** The experiment library: each template with its parameters, the plugins it needs and whether they are loaded. */
  library() {
    return LIBRARY.map((t) => {
      // the experiment it makes with placeholder values for the required parameters
      const placeholders = Object.fromEntries(t.params.filter((p) => p.required).map((p) => [p.name, 'x']));
      const spec = t.build(resolveParams(t, placeholders).params);
      const plugins = (list: Array<{ plugin: string }>) => [...new Set(list.map((n) => n.plugin))].sort();
      const absent = plugins(this.experiments.missingFor(spec));
      return { name: t.name, title: t.title, description: t.description, params: t.params, needs: plugins(needs(spec)), missing: absent, available: absent.length === 0 };
    });
  }

  /** Create an experiment from a library template: `{ id?, params }` (400 listing every problem, nothing created). */
  createFromLibrary(name: string, body: unknown): Experiment {
    if (!LIBRARY.some((x) => x.name === name)) throw new ChaosErrors.TEMPLATE_NOT_FOUND(name, LIBRARY.map((x) => x.name));
    const { spec, problems } = librarySpec(name, body, ['id', 'params']);
    if (problems.length) throw invalid(`parameters of ${name}`, problems);
    return this.experiments.create(validateExperiment(spec, invalid));
  }

  /** Run an experiment to its end (on the kernel clock); resolves with the finished experiment. */
  runExperiment(id: string): Promise<Experiment> {
    return this.experiments.run(id).done!;
  }

  async stopExperiment(id: string): Promise<Experiment> {
    const e = this.experiments.stop(id);
    if (e.done) await e.done;
    return e;
  }
}
