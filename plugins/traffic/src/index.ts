// The traffic plugin: seeded load patterns at mesh entry points on the kernel clock,
// propagated through the call graph (`traffic.rates()`, read by the cluster every tick),
// with a small sample of real exchanges through the pipeline so that traces and logs see
// the simulated load. See README.md.
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { TrafficConfigSchema } from './config.js';
import { TrafficService } from './traffic.js';

export { TrafficConfigSchema, type TrafficConfig } from './config.js';
export { TrafficErrors } from './errors.js';
export { TrafficService } from './traffic.js';
export { Propagation } from './propagation.js';
export { parseRateCsv } from './shapes/csv.js';
export type * from './contract.js';

export default definePlugin({
  name: 'traffic',
  version: '0.1.0',
  description: 'Seeded load patterns at mesh entry points on the kernel clock, propagated through the call graph.',
  dependencies: ['mesh'],
  provides: ['traffic'],
  config: TrafficConfigSchema,
  register(ctx) {
    const { config } = ctx;
    const traffic = new TrafficService({
      mesh: ctx.resolve('mesh'),
      clock: ctx.clock,
      random: ctx.random,
      events: ctx.events,
      dispatch: ctx.dispatch,
      baseDir: ctx.baseDir,
      maxHops: ctx.resolve('config').maxHops,
      maxPatterns: config.maxPatterns,
      samplePerSecond: config.sample.perSecond,
    });

    // the configured patterns, every problem of every one with its full path
    const problems: string[] = [];
    const ids = Object.keys(config.patterns);
    if (ids.length > config.maxPatterns) problems.push(`plugins.traffic.patterns: ${ids.length} patterns, more than maxPatterns (${config.maxPatterns})`);
    const autoStart: string[] = [];
    const valid: Array<[string, unknown]> = [];
    for (const [id, raw] of Object.entries(config.patterns)) {
      const path = `plugins.traffic.patterns.${id}`;
      let spec = raw;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'autoStart' in raw) {
        const { autoStart: auto, ...rest } = raw as Record<string, unknown>;
        if (typeof auto !== 'boolean') problems.push(`${path}.autoStart: must be a boolean`);
        if (auto === false) spec = rest;
        else {
          spec = rest;
          autoStart.push(id);
        }
      } else autoStart.push(id);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) problems.push(`${path}: the id must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
      const found = traffic.problemsOf(spec, path);
      problems.push(...found);
      if (found.length === 0) valid.push([id, spec]);
    }
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    for (const [id, spec] of valid) traffic.add(spec, { id, start: false, source: 'config' });
    ctx.provide('traffic', traffic);

    ctx.events.subscribe('mesh.topologyChanged', () => traffic.topologyChanged());
    let timer: ReturnType<typeof ctx.clock.setInterval> | undefined;
    ctx.onStart(() => {
      for (const id of autoStart) traffic.start(id, 'config');
      if (config.sample.perSecond > 0) timer = ctx.clock.setInterval(() => traffic.sampleTick(), 1000);
    });
    ctx.onStop(() => {
      if (timer) ctx.clock.clearInterval(timer);
    });
    ctx.admin(adminRoutes(traffic));
  },
});
