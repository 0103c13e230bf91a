// createKernel: wires the container, hooks, dispatcher and control plane, then runs the
// lifecycle (register in dependency order → ready → listen → started … stopping → close).
import { asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { adminSecurity, createGuard, isLoopback } from './admin/guard.js';
import { registerAdmin } from './admin/register.js';
import { redactBySchema } from './admin/secrets.js';
import { createRealClock } from './clock/real.js';
import type { Clock } from './clock/types.js';
import { createVirtualClock } from './clock/virtual.js';
import { readKernelConfig } from './config/read.js';
import type { KernelConfig } from './config/schema.js';
export { BODY_LIMIT } from './config/schema.js';
import { KernelErrors, wrapPluginError } from './errors/index.js';
import { EventBus } from './events.js';
import { createDispatcher } from './exchange/dispatch.js';
import { registerCatchAll } from './exchange/http.js';
import { orderStagedTaps, refuseCallInterceptors } from './exchange/taps.js';
import { createHooks, type KernelHooks } from './hooks.js';
import type { Kernel, KernelOptions, ListeningAddress, PluginState } from './kernel-api.js';
import { collectPlugins, type LoadedPlugin } from './loader/collect.js';
import { createPluginContext, resolveService, type ServiceBook } from './loader/context.js';
import { wrapLifecycleTap } from './loader/lifecycle.js';
import { createRandomSource } from './random.js';
import type { Services } from './services.js';

export type { ControlPlaneAccess, Kernel, KernelOptions, ListeningAddress, PluginInfo, PluginState } from './kernel-api.js';

let signalsWired = false;

function createLogger(config: KernelConfig): Logger {
  return pino({
    level: config.logLevel,
    name: 'understudy',
    ...(config.logFormat === 'pretty' && {
      // colours only where the terminal supports them (pino-pretty detects it)
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    }),
  });
}

interface GuardDeps {
  isRegistering(): boolean;
  owner(tap: string): string;
  order(owner: string): number;
  config: KernelConfig;
  stopFailures: Error[];
  failed(name: string): void;
}

/**
 * Every tap is checked and, for lifecycle hooks, wrapped with timeout and error naming;
 * the dispatcher's hooks refuse call interceptors it would not run.
 */
function guardHooks(hooks: KernelHooks, deps: GuardDeps) {
  for (const [hookName, hook] of Object.entries(hooks)) {
    hook.intercept({
      register(tap) {
        if (!deps.isRegistering()) throw new KernelErrors.LATE_REGISTRATION(tap.name, `tap the "${hookName}" hook`);
        if (hookName === 'exchange' || hookName === 'settled') return tap;
        const owner = deps.owner(tap.name);
        // stopping runs in reverse plugin order, whatever order the taps were made in
        if (hookName === 'stopping') (tap as { stage?: number }).stage = -deps.order(owner);
        const collect = hookName === 'stopping' ? deps.stopFailures : undefined;
        wrapLifecycleTap(tap as never, { owner, hook: hookName, timeoutMs: deps.config.lifecycleTimeout, collect, onFailure: deps.failed });
        return tap;
      },
    });
  }
  refuseCallInterceptors(hooks.exchange, 'exchange');
  refuseCallInterceptors(hooks.settled, 'settled');
}

export function createKernel(options: KernelOptions = {}): Kernel {
  // problems are reported at setup, together with every plugin's (one run, every path)
  const { config, problems: kernelProblems, baseDir } = readKernelConfig(options);
  const logger = options.logger ?? createLogger(config);
  const clock: Clock = options.clock ?? (config.clock === 'virtual' ? createVirtualClock() : createRealClock());
  const random = createRandomSource(config.seed);
  const hooks = createHooks();
  const events = new EventBus(clock, config.eventBuffer, config.eventBufferBytes);
  const ownsApp = !options.app;
  const security = adminSecurity(config);
  const guardRoute = createGuard(config, security);
  // fastify gets no logger: per-request logger work costs more than the rest of a stub
  // response. The kernel logs exchanges itself (with their trace id) and admin failures
  // through the error handler.
  const app =
    options.app ??
    (Fastify({
      logger: false,
      bodyLimit: config.server.bodyLimit,
      // unknown properties are reported, not silently dropped (fastify's default strips them)
      ajv: { customOptions: { removeAdditional: false } },
    }) as unknown as FastifyInstance);
  let exchangeCounter = 0;
  const dispatch = createDispatcher({ hooks, clock, logger, maxHops: config.maxHops, nextId: () => `ex-${++exchangeCounter}` });

  const container: AwilixContainer<Services> = createContainer<Services>({ strict: true, injectionMode: InjectionMode.PROXY });
  const core = { config, logger, clock, random, hooks, http: app, events, dispatch };
  for (const [name, value] of Object.entries(core)) container.register(name, asValue(value));
  const services: ServiceBook = { container, owners: new Map(Object.keys(core).map((k) => [k, 'kernel'])), declared: new Map(), doubles: new Set() };
  for (const [name, value] of Object.entries(options.services ?? {})) {
    container.register(name, asValue(value));
    services.owners.set(name, 'test double');
    services.doubles.add(name);
  }

  let phase: 'new' | 'registering' | 'ready' | 'started' | 'stopping' | 'stopped' = 'new';
  let loaded: LoadedPlugin[] = [];
  const states = new Map<string, PluginState>();
  let currentPlugin: string | undefined, url: string | undefined, address: ListeningAddress | undefined;
  let setupPromise: Promise<void> | undefined, stopPromise: Promise<void> | undefined;
  const stopFailures: Error[] = [];

  guardHooks(hooks, {
    isRegistering: () => phase === 'registering',
    owner: (tap) => currentPlugin ?? tap,
    order: (owner) => loaded.findIndex((l) => l.definition.name === owner),
    config,
    stopFailures,
    failed: (name) => states.set(name, 'failed'),
  });

  async function registerPlugins() {
    const { presets = [], plugins = [] } = options;
    loaded = await collectPlugins({ config, baseDir, presets, plugins, kernelProblems, kernelServices: Object.keys(core) });
    if (ownsApp) requireTokenWhereNeeded();
    for (const { definition } of loaded) for (const s of definition.provides ?? []) if (!services.declared.has(s)) services.declared.set(s, definition.name);
    phase = 'registering';
    const { websocketScope } = await registerAdmin(app, { kernel, ownsApp, logger, guardRoute });
    for (const plugin of loaded) {
      const { definition } = plugin;
      currentPlugin = definition.name;
      const ctx = createPluginContext({ plugin, services, hooks, app, clock, random, events, logger, baseDir, dispatch, websocketScope, guardRoute, isRegistering: () => phase === 'registering' });
      try {
        await definition.register(ctx);
      } catch (err) {
        states.set(definition.name, 'failed');
        throw (err as { code?: string }).code === 'US_LATE_REGISTRATION' ? err : wrapPluginError(definition.name, 'register', err);
      }
      states.set(definition.name, 'registered');
    }
    currentPlugin = undefined;
    orderStagedTaps(hooks.exchange, 'exchange');
    await registerCatchAll(app, dispatch, config.server.bodyLimit);
    await hooks.ready.promise();
    phase = 'ready';
  }

  /** Beyond loopback (or with requireToken: true) startup needs a token, unless requireToken: false. */
  function requireTokenWhereNeeded() {
    const { host, admin } = config.server;
    if (security.token !== undefined || admin.requireToken === false) return;
    if (admin.requireToken === true) throw new KernelErrors.ADMIN_TOKEN_NOT_SET(host, 'required');
    if (!security.loopback) throw new KernelErrors.ADMIN_TOKEN_NOT_SET(host, 'host');
  }


  const kernel: Kernel = {
    config,
    clock,
    random,
    hooks,
    events,
    logger,
    http: app,
    dispatch,
    get url() {
      return url;
    },
    get address() {
      return address;
    },
    controlPlane: { token: security.token !== undefined, open: ownsApp && security.open },
    setup() {
      if (phase === 'stopping' || phase === 'stopped') return Promise.reject(new KernelErrors.ALREADY_STARTED());
      setupPromise ??= registerPlugins();
      return setupPromise;
    },
    async start() {
      if (phase === 'started') return url!;
      try {
        await kernel.setup();
        if (ownsApp) {
          const listened = await app.listen({ port: config.server.port, host: config.server.host });
          address = listeningAddress(app, listened);
          url = address.url;
          if (security.open) {
            logger.warn(
              { host: address.host, port: address.port },
              `the admin API is open to the network on ${address.host}:${address.port} without a token (server.admin.requireToken: false): anyone who can reach this port can reprogram this server`,
            );
          }
        }
      } catch (err) {
        // plugins registered before the failure hold sockets and timers: stop them
        await kernel.stop().catch(() => undefined);
        throw err;
      }
      await kernel.started();
      if (options.handleSignals) wireSignals(kernel);
      return url ?? '';
    },
    stop() {
      stopPromise ??= doStop();
      return stopPromise;
    },
    inject(opts) {
      if (phase === 'new') throw new KernelErrors.NOT_STARTED('inject()');
      return app.inject(opts as InjectOptions);
    },
    resolve: (name) => resolveService(services, name, false)!,
    resolveOptional: (name) => resolveService(services, name, true),
    plugins({ secrets = 'reveal' } = {}) {
      return loaded.map(({ definition, config: pluginConfig, from }) => ({
        name: definition.name,
        version: definition.version ?? '0.0.0',
        description: definition.description ?? '',
        state: states.get(definition.name) ?? 'loaded',
        dependencies: definition.dependencies ?? [],
        provides: definition.provides ?? [],
        from,
        config: secrets === 'redact' ? redactBySchema(pluginConfig, definition.config) : pluginConfig,
      }));
    },
    advance: (ms) => clock.advance(ms),
    /** Run `started` once the server listens (or the host app is ready). */
    async started() {
      if (phase === 'started') return;
      try {
        await hooks.started.promise();
      } catch (err) {
        // roll back: plugins that did start get their stop hooks
        await kernel.stop().catch(() => undefined);
        throw err;
      }
      phase = 'started';
      for (const { definition } of loaded) if (states.get(definition.name) === 'registered') states.set(definition.name, 'started');
      events.emit('kernel', 'kernel.started', { url, plugins: loaded.map((l) => l.definition.name) });
    },
  };

  async function doStop() {
    if (phase === 'new') {
      phase = 'stopped';
      return;
    }
    await setupPromise?.catch(() => undefined);
    phase = 'stopping';
    events.emit('kernel', 'kernel.stopping', {});
    await hooks.stopping.promise();
    for (const { definition } of loaded) if (states.get(definition.name) !== 'failed') states.set(definition.name, 'stopped');
    clock.dispose();
    if (ownsApp) await app.close();
    phase = 'stopped';
    if (stopFailures.length) throw new KernelErrors.LIFECYCLE_FAILED('stop', stopFailures);
  }

  return kernel;
}

/**
 * The bound address and a URL to reach it from this machine: fastify's (127.0.0.1 for
 * 0.0.0.0), with `localhost` for the IPv6 loopback and for `::` (every interface).
 */
function listeningAddress(app: FastifyInstance, listened: string): ListeningAddress {
  const bound = app.server.address() as AddressInfo;
  const everyInterface = bound.address === '0.0.0.0' || bound.address === '::';
  const url = bound.address === '::' ? `http://localhost:${bound.port}` : listened.replace('[::1]', 'localhost');
  return { host: bound.address, port: bound.port, url, loopback: isLoopback(bound.address), everyInterface };
}

function wireSignals(kernel: Kernel) {
  if (signalsWired) return;
  signalsWired = true;
  const onSignal = (signal: NodeJS.Signals) => {
    kernel.logger.info({ signal }, 'stopping');
    kernel.stop().then(
      () => process.exit(0),
      (err) => {
        kernel.logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
