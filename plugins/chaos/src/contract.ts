// The chaos plugin's contract: the `chaos` service and the shapes it takes and shows, the
// events chaos emits, and their declaration in the kernel's Services and EventMap. Other
// plugins import these types only.
import type { Chaos } from './service.js';
import type { ScenarioStatus } from './scenario-timelines.js';
import type { ExperimentStatus } from './experiments.js';
import type { FaultKind } from './specs.js';

export type { Chaos } from './service.js';
export type { ActiveFault, InjectionRecord } from './faults.js';
export type { Scenario, ScenarioStatus, StepState } from './scenario-timelines.js';
export type { Experiment, ExperimentReport, ExperimentStatus, HypothesisResult, ProbeResult, ActivityResult } from './experiments.js';
export type * from './specs.js';
export type { Journal, JournalEntry, JournalSteadyState } from './journal.js';
export type { DeployService, OpsServices } from './ops.js';
export type { ExperimentTemplate, TemplateParam } from './library.js';

export interface ChaosInjectedEvent {
  faultId: string;
  kind: FaultKind;
  /** Who added the fault: `api`, `config`, `scenario:<id>`, `experiment:<id>`. */
  source: string;
  service?: string;
  endpoint?: string;
  caller?: string;
}

export interface ChaosScenarioStartedEvent {
  scenarioId: string;
  name?: string;
  steps: number;
}

export interface ChaosStepEvent {
  scenarioId: string;
  step: number;
  /** Ids of the step's faults. */
  faults: string[];
}

export interface ChaosScenarioEndedEvent {
  scenarioId: string;
  status: ScenarioStatus;
  durationMs: number;
  /** Failures by service while it ran. */
  failing: Record<string, number>;
}

export interface ChaosExperimentStartedEvent {
  experimentId: string;
  title: string;
}

export interface ChaosExperimentEndedEvent {
  experimentId: string;
  status: ExperimentStatus;
  deviated: boolean;
}

declare module '@understudy/kernel' {
  interface Services {
    chaos: Chaos;
  }
  interface EventMap {
    'chaos.injected': ChaosInjectedEvent;
    'chaos.scenarioStarted': ChaosScenarioStartedEvent;
    'chaos.stepActivated': ChaosStepEvent;
    'chaos.stepDeactivated': ChaosStepEvent;
    'chaos.scenarioEnded': ChaosScenarioEndedEvent;
    'chaos.experimentStarted': ChaosExperimentStartedEvent;
    'chaos.experimentEnded': ChaosExperimentEndedEvent;
  }
}
