// The proxy plugin: a learning reverse proxy in front of a real API. Forwards through
// keep-alive undici pools (one per target), streams bodies, feeds the learner off the hot
// path, answers from what was learned per request (X-Mock-Enabled), per endpoint or
// globally (capture / simulate / spy / passthrough), and falls back to the learned mock
// when the upstream fails. Chaos scoped to endpoints goes through the chaos plugin.
import { definePlugin, KernelErrors, Stage } from '@understudy/plugin-sdk';
import { adminRoutes } from './admin.js';
import { ProxyConfigSchema } from './config.js';
import { Modes } from './modes.js';
import { LearningProxy } from './proxy.js';
import { ScopedChaos } from './scoped-chaos.js';
import { ProxyStats } from './stats.js';
import { checkTargets, createTargets, targetsOf } from './targets.js';

export { ProxyConfigSchema, MODES, type Mode, type ProxyConfig } from './config.js';
export { ProxyErrors, ResponseCodes } from './errors.js';
export { upstreamHeaders, downstreamHeaders } from './headers.js';
export type * from './contract.js';

export default definePlugin({
  name: 'proxy',
  version: '0.1.0',
  description:
    'A learning reverse proxy in front of a real API: forwards with keep-alive pools, feeds the learner off the hot path, and answers from what was learned on request, per endpoint, or when the upstream fails.',
  dependencies: ['learner'],
  optionalDependencies: ['chaos'],
  config: ProxyConfigSchema,
  register(ctx) {
    const problems = checkTargets(ctx.config);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
    const targets = createTargets(targetsOf(ctx.config), ctx.config);
    const learner = () => ctx.resolve('learner');
    const settings = () => learner().settings;
    const modes = new Modes(ctx.config.mode, settings);
    const stats = new ProxyStats();
    const chaos = new ScopedChaos(() => ctx.resolveOptional('chaos'), settings);
    const proxy = new LearningProxy({
      config: ctx.config,
      targets,
      modes,
      stats,
      clock: ctx.clock,
      events: ctx.events,
      learner,
      proto: ctx.http.initialConfig.https ? 'https' : 'http',
    });

    ctx.hooks.exchange.tap({ name: 'proxy-route', stage: Stage.AfterRoute }, (ex) => proxy.route(ex));
    // stubs and mesh answer what they know; the proxy answers the rest
    ctx.hooks.exchange.tapPromise({ name: 'proxy', stage: Stage.Respond, after: ['stubs', 'mesh'] }, (ex) => proxy.respond(ex));

    ctx.onStart(async () => {
      await modes.load();
      await chaos.load((msg) => ctx.logger.warn(msg));
    });
    // destroy, not close: a request still waiting on a hung upstream must not hold the stop
    ctx.onStop(async () => {
      await Promise.all(targets.map((t) => t.pool.destroy()));
    });
    ctx.admin(adminRoutes({ modes, targets, stats, chaos, learner }));
  },
});
