// The chaos plugin: scoped faults (latency, errors, aborts, timeouts, outages, partitions,
// trace-header loss), timed scenarios with cascade templates, and Chaos Toolkit-style
// experiments with JSON and Markdown reports.
import { definePlugin, KernelErrors, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { ChaosConfigSchema } from './config.js';
import { Experiments } from './experiments.js';
import { FaultStore } from './faults.js';
import { opsServices } from './ops-services.js';
import { librarySpec } from './library.js';
import { Observer } from './recordings.js';
import { Scenarios } from './scenario-timelines.js';
import { Chaos } from './service.js';
import { validateExperiment, validateFault, validateScenario, type MakeError } from './validate.js';

export { Chaos } from './service.js';
export { ChaosConfigSchema, type ChaosConfig } from './config.js';
export { ChaosErrors, ResponseCodes } from './errors.js';
export { TRACE_HEADERS } from './faults.js';
export { toMarkdown } from './experiments.js';
export { toJournal } from './journal.js';
export { LIBRARY } from './library.js';
export type * from './contract.js';

export default definePlugin({
  name: 'chaos',
  version: '0.1.0',
  description: 'Chaos engineering: scoped faults, timed scenarios, cascades and Chaos Toolkit-style experiments with reports.',
  // registry: partitions mark instances critical; breakers: experiment reports
  optionalDependencies: ['mesh', 'breakers', 'registry', 'tracing'],
  provides: ['chaos'],
  config: ChaosConfigSchema,
  register(ctx) {
    const registry = () => ctx.resolveOptional('registry');
    const faults = new FaultStore({ clock: ctx.clock, random: ctx.random, events: ctx.events, registry });
    const observer = new Observer();
    const scenarios = new Scenarios({ clock: ctx.clock, events: ctx.events, faults, observer });
    const experiments = new Experiments({
      clock: ctx.clock,
      events: ctx.events,
      faults,
      observer,
      dispatch: ctx.dispatch,
      breakers: () => ctx.resolveOptional('breakers'),
      ops: opsServices(ctx),
      random: ctx.random.fork('experiments'),
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
    // an entry `{ library: <template>, id?, params }` is made from the experiment library
    const experimentSpecs = ctx.config.experiments.map((e, i) => {
      const path = `experiments[${i}]`;
      if (typeof e !== 'object' || e === null || !('library' in e)) return tryIt(() => validateExperiment(e, collect, path));
      const { spec, problems: found } = librarySpec(String((e as { library: unknown }).library), e, ['library', 'id', 'params'], path);
      if (found.length) return void problems.push(...found.map((p) => `plugins.chaos.${p}`));
      return tryIt(() => validateExperiment(spec, collect, path));
    });
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    // ids must be unique in config too (a second fault "x" would silently replace the first)
    const faultIds = new Map<string, number>();
    faultSpecs.forEach((spec, i) => {
      if (spec!.id === undefined) return;
      const first = faultIds.get(spec!.id);
      if (first === undefined) faultIds.set(spec!.id, i);
      else problems.push(`plugins.chaos.faults[${i}].id: "${spec!.id}" is also the id of faults[${first}]`);
    });
    const createAll = <T>(specs: T[], key: string, create: (spec: T) => unknown) =>
      specs.forEach((spec, i) => {
        try {
          create(spec);
        } catch (err) {
          problems.push(`plugins.chaos.${key}[${i}]: ${(err as Error).message}`);
        }
      });
    createAll(scenarioSpecs, 'scenarios', (spec) => scenarios.create(spec!));
    createAll(experimentSpecs, 'experiments', (spec) => experiments.create(spec!));
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    for (const spec of faultSpecs) faults.add({ ...spec!, id: spec!.id ?? faults.newId() }, 'config');

    ctx.hooks.exchange.tap({ name: 'chaos-headers', stage: Stage.BeforeInbound }, (ex) => {
      faults.applyHeaders(ex);
      return ex;
    });
    ctx.hooks.exchange.tapPromise({ name: 'chaos', stage: Stage.Fault }, (ex) => faults.apply(ex));
    ctx.hooks.settled.tap('chaos', (ex) => observer.settled(ex));

    // discovery's instances exist once mesh has started: partitions from config apply then;
    // an instance registered while a partition lasts goes critical as it registers
    ctx.onStart(() => faults.refreshPartitions());
    ctx.events.subscribe('service.registered', (e) => faults.registered(e.data.id, e.data.service));
    ctx.events.subscribe('service.deregistered', (e) => faults.deregistered(e.data.id));
    ctx.onStop(async () => {
      // interrupted runs play their rollbacks before the faults go
      await experiments.stopAll();
      scenarios.stopAll();
      faults.removeWhere(() => true);
    });
    ctx.admin(adminRoutes(chaos));
  },
});
