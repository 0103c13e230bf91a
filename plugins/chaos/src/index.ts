// The chaos plugin: scoped faults (latency, errors, aborts, timeouts, outages, partitions,
// trace-header loss), timed scenarios with cascade templates, and Chaos Toolkit-style
// experiments with JSON and Markdown reports.
import { definePlugin, KernelErrors, Stage, Type } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { Chaos } from './chaos.js';
import { Experiments } from './experiments.js';
import { FaultStore, type RegistryLike } from './faults.js';
import { Observer } from './observe.js';
import { Scenarios } from './scenarios.js';
import { validateExperiment, validateFault, validateScenario, type MakeError } from './validate.js';

export { Chaos } from './chaos.js';
export { ChaosErrors, ResponseCodes } from './errors.js';
export { TRACE_HEADERS } from './faults.js';
export { toMarkdown, type ExperimentReport } from './experiments.js';
export type * from './types.js';

declare module '@understudy/kernel' {
  interface Services {
    chaos: Chaos;
  }
}

export const ChaosConfigSchema = Type.Object(
  {
    faults: Type.Array(Type.Unknown(), { default: [], description: 'faults active from the start (see the README)' }),
    scenarios: Type.Array(Type.Unknown(), { default: [], description: 'scenarios to create (started through the API)' }),
    experiments: Type.Array(Type.Unknown(), { default: [], description: 'experiments to create (run through the API)' }),
  },
  { additionalProperties: false },
);

export default definePlugin({
  name: 'chaos',
  version: '0.1.0',
  description: 'Chaos engineering: scoped faults, timed scenarios, cascades and Chaos Toolkit-style experiments with reports.',
  optionalDependencies: ['mesh', 'breaker', 'discovery', 'tracing'],
  config: ChaosConfigSchema,
  register(ctx) {
    const registry = () => (ctx.has('registry') ? ctx.resolve<RegistryLike>('registry') : undefined);
    const faults = new FaultStore({ clock: ctx.clock, random: ctx.random, events: ctx.events, registry });
    const observer = new Observer();
    const scenarios = new Scenarios({ clock: ctx.clock, events: ctx.events, faults, observer });
    const experiments = new Experiments({
      clock: ctx.clock,
      events: ctx.events,
      faults,
      observer,
      dispatch: ctx.dispatch,
      breakers: () => (ctx.has('breakers') ? ctx.resolve<any>('breakers') : undefined),
    });
    const chaos = new Chaos(faults, scenarios, experiments);
    ctx.provide('chaos', chaos);

    // config: every problem with its path, before anything starts
    const problems: string[] = [];
    const collect: MakeError = (_what, list) => {
      problems.push(...list.map((p) => `plugins.chaos.${p}`));
      return new Error('collected');
    };
    const tryIt = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch {
        return undefined;
      }
    };
    const faultSpecs = ctx.config.faults.map((f, i) => tryIt(() => validateFault(f, collect, `faults[${i}]`)));
    const scenarioSpecs = ctx.config.scenarios.map((s, i) => tryIt(() => validateScenario(s, collect, `scenarios[${i}]`)));
    const experimentSpecs = ctx.config.experiments.map((e, i) => tryIt(() => validateExperiment(e, collect, `experiments[${i}]`)));
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    for (const spec of faultSpecs) faults.add({ ...spec!, id: spec!.id ?? faults.newId() }, 'config');
    for (const spec of scenarioSpecs) scenarios.create(spec!);
    for (const spec of experimentSpecs) experiments.create(spec!);

    ctx.hooks.exchange.tap({ name: 'chaos-headers', stage: Stage.Inbound - 10 }, (ex) => {
      faults.applyHeaders(ex);
      return ex;
    });
    ctx.hooks.exchange.tapPromise({ name: 'chaos', stage: Stage.Fault }, (ex) => faults.apply(ex));
    ctx.hooks.settled.tap('chaos', (ex) => observer.settled(ex));

    // discovery's instances exist once mesh has started: partitions from config apply then
    ctx.onStart(() => faults.refreshPartitions());
    ctx.onStop(() => {
      experiments.stopAll();
      scenarios.stopAll();
      faults.removeWhere(() => true);
    });
    ctx.admin(adminRoutes(chaos));
  },
});
