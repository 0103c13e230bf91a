// Scenario states, WireMock style: each scenario a mapping names starts in `Started`, a
// mapping may require a state to match and move its scenario to a new one when it serves.
import type { StubMapping } from './mapping/types.js';

export const STARTED = 'Started';

export interface ScenarioView {
  id: string;
  name: string;
  state: string;
  possibleStates: string[];
}

/** The current state of every scenario (absent = `Started`). */
export class ScenarioStates {
  private readonly states = new Map<string, string>();

  constructor(private readonly onChange: (name: string, from: string, to: string) => void) {}

  stateOf(name: string): string {
    return this.states.get(name) ?? STARTED;
  }

  /** Does the mapping's requiredScenarioState hold right now? */
  allows(m: StubMapping): boolean {
    return !m.scenarioName || m.requiredScenarioState === undefined || this.stateOf(m.scenarioName) === m.requiredScenarioState;
  }

  /** After a mapping served: move its scenario to newScenarioState. */
  advance(m: StubMapping): void {
    if (!m.scenarioName || m.newScenarioState === undefined) return;
    this.set(m.scenarioName, m.newScenarioState);
  }

  set(name: string, to: string): void {
    const from = this.stateOf(name);
    this.states.set(name, to);
    if (from !== to) this.onChange(name, from, to);
  }

  reset(): void {
    this.states.clear();
  }

  /** Every scenario the mappings mention, with the states they can reach. */
  list(mappings: StubMapping[]): ScenarioView[] {
    const byName = new Map<string, Set<string>>();
    for (const m of mappings) {
      if (!m.scenarioName) continue;
      const states = byName.get(m.scenarioName) ?? new Set([STARTED]);
      for (const s of [m.requiredScenarioState, m.newScenarioState]) if (s !== undefined) states.add(s);
      byName.set(m.scenarioName, states);
    }
    return [...byName].map(([name, states]) => ({ id: name, name, state: this.stateOf(name), possibleStates: [...states] }));
  }
}
