import { asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { pino, type Logger } from 'pino';
import { registerAdmin } from './admin/register.js';
import { createRealClock } from './clock/real.js';
import type { Clock } from './clock/types.js';
import { createVirtualClock } from './clock/virtual.js';
import { loadConfigFile } from './config/load-file.js';
import { KernelConfigSchema, type KernelConfig, type KernelConfigInput } from './config/schema.js';
import { validateAgainst } from './config/validate.js';
import { KernelErrors, wrapPluginError } from './errors.js';
import { EventBus } from './events.js';
import { createDispatcher, type Dispatcher } from './exchange/dispatch.js';
import { registerCatchAll } from './exchange/http.js';
import { createHooks, type KernelHooks } from './hooks.js';
import { collectPlugins, deepMerge, type LoadedPlugin } from './loader/collect.js';
import { createPluginContext } from './loader/context.js';
import { wrapLifecycleTap, type PluginState } from './loader/lifecycle.js';
import type { PluginDefinition, PresetDefinition } from './plugin.js';
import { createRandomSource, type RandomSource } from './random.js';
import type { Services } from './services.js';

export interface KernelOptions {
  /** Settings as an object, or the path of a YAML/JSON config file. */
  config?: KernelConfigInput | string;
  /** Applied over the config (the CLI's flags). */
  overrides?: KernelConfigInput;
  presets?: Array<string | PresetDefinition>;
  plugins?: Array<string | PluginDefinition<any>>;
  /** Folder for relative paths when config is an object (default: cwd). */
  cwd?: string;
  /** Use this pino logger instead of creating one. */
  logger?: Logger;
  /** Use this clock instead of the one `clock:` names. */
  clock?: Clock;
  /** Mount into this fastify instance instead of creating one (see fastify-plugin.ts). */
  app?: FastifyInstance;
  /** Stop cleanly on SIGINT/SIGTERM (the CLI sets it). */
  handleSignals?: boolean;
}

export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  state: PluginState;
  dependencies: string[];
  from: string;
  config: Record<string, unknown>;
}

export interface Kernel {
  readonly config: KernelConfig;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly hooks: KernelHooks;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly http: FastifyInstance;
  /** Base URL once listening, e.g. `http://127.0.0.1:8080`. */
  readonly url: string | undefined;
  readonly dispatch: Dispatcher;
  /** Load config, presets and plugins, register them and run `ready` (no listening). */
  setup(): Promise<void>;
  /** setup(), listen, then run `started`. Resolves to the base URL. */
  start(): Promise<string>;
  /** Run `stopping` in reverse order and close the server. Idempotent. */
  stop(): Promise<void>;
  inject(opts: InjectOptions | string): Promise<LightMyRequestResponse>;
  resolve<K extends keyof Services>(name: K): Services[K];
  plugins(): PluginInfo[];
  /** Virtual clock only: move time forward, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Run `started` (start() does it for you; the fastify plugin calls it on listen). */
  started(): Promise<void>;
}

let signalsWired = false;

function readConfig(options: KernelOptions): { data: Record<string, unknown>; baseDir: string } {
  const cwd = options.cwd ?? process.cwd();
  if (typeof options.config === 'string') {
    const file = loadConfigFile(options.config, cwd);
    return { data: file.data, baseDir: file.dir };
  }
  return { data: structuredClone((options.config ?? {}) as Record<string, unknown>), baseDir: cwd };
}

export function createKernel(options: KernelOptions = {}): Kernel {
  const { data, baseDir } = readConfig(options);
  const merged = deepMerge(data, options.overrides ?? {}) as Record<string, unknown>;
  const problems = validateAgainst(KernelConfigSchema, merged);
  if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
  const config = merged as KernelConfig;

  const logger =
    options.logger ??
    pino({
      level: config.logLevel,
      name: 'understudy',
      ...(config.logFormat === 'pretty' && {
        // colours only where the terminal supports them (pino-pretty detects it)
        transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
      }),
    });
  const clock = options.clock ?? (config.clock === 'virtual' ? createVirtualClock() : createRealClock());
  const random = createRandomSource(config.seed);
  const hooks = createHooks();
  const events = new EventBus(hooks, clock, config.eventBuffer);
  const ownsApp = !options.app;
  // fastify gets no logger: per-request logger work costs more than the rest of a stub
  // response. The kernel logs exchanges itself (with their trace id) and admin failures
  // through the error handler.
  const app =
    options.app ??
    (Fastify({
      logger: false,
      bodyLimit: 50 * 1024 * 1024,
      // unknown properties are reported, not silently dropped (fastify's default strips them)
      ajv: { customOptions: { removeAdditional: false } },
    }) as unknown as FastifyInstance);
  let exchangeCounter = 0;
  const dispatch = createDispatcher({
    hooks,
    clock,
    logger,
    maxHops: config.maxHops,
    nextId: () => `ex-${++exchangeCounter}`,
  });

  const container: AwilixContainer<Services> = createContainer<Services>({ strict: true, injectionMode: InjectionMode.PROXY });
  container.register({
    config: asValue(config),
    logger: asValue(logger),
    clock: asValue(clock),
    random: asValue(random),
    hooks: asValue(hooks),
    http: asValue(app),
    events: asValue(events),
    dispatch: asValue(dispatch),
  });

  let phase: 'new' | 'registering' | 'ready' | 'started' | 'stopping' | 'stopped' = 'new';
  let loaded: LoadedPlugin[] = [];
  const states = new Map<string, PluginState>();
  const serviceOwners = new Map<string, string>(Object.keys(container.registrations).map((k) => [k, 'kernel']));
  let currentPlugin: string | undefined;
  let url: string | undefined;
  const stopFailures: Error[] = [];
  let setupPromise: Promise<void> | undefined;
  let stopPromise: Promise<void> | undefined;

  // Every tap is checked and, for lifecycle hooks, wrapped with timeout and error naming.
  const lifecycleHooks = new Set(['ready', 'started', 'stopping']);
  for (const [hookName, hook] of Object.entries(hooks)) {
    hook.intercept({
      register(tap) {
        if (phase !== 'registering') {
          throw new KernelErrors.LATE_REGISTRATION(tap.name, `tap the "${hookName}" hook`);
        }
        const owner = currentPlugin ?? tap.name;
        const index = loaded.findIndex((l) => l.definition.name === owner);
        if (lifecycleHooks.has(hookName)) {
          // stopping runs in reverse plugin order, whatever order the taps were made in
          if (hookName === 'stopping') (tap as { stage?: number }).stage = -index;
          wrapLifecycleTap(tap as never, {
            owner,
            hook: hookName,
            timeoutMs: config.lifecycleTimeout,
            collect: hookName === 'stopping' ? stopFailures : undefined,
            onFailure: (name) => states.set(name, 'failed'),
          });
        }
        return tap;
      },
    });
  }

  const assertSetUp = (what: string) => {
    if (phase === 'new') throw new KernelErrors.NOT_STARTED(what);
  };

  async function registerPlugins() {
    loaded = await collectPlugins({
      config,
      baseDir,
      presets: options.presets ?? [],
      plugins: options.plugins ?? [],
    });
    phase = 'registering';
    const { websocketScope } = await registerAdmin(app, { kernel, ownsApp, logger });
    for (const plugin of loaded) {
      const { definition } = plugin;
      currentPlugin = definition.name;
      const ctx = createPluginContext({
        plugin,
        container,
        serviceOwners,
        hooks,
        app,
        clock,
        random,
        events,
        logger,
        baseDir,
        dispatch,
        websocketScope,
        isRegistering: () => phase === 'registering',
      });
      try {
        await definition.register(ctx);
      } catch (err) {
        states.set(definition.name, 'failed');
        throw (err as { code?: string }).code === 'US_LATE_REGISTRATION' ? err : wrapPluginError(definition.name, 'register', err);
      }
      states.set(definition.name, 'registered');
    }
    currentPlugin = undefined;
    await registerCatchAll(app, dispatch);
    await hooks.ready.promise();
    phase = 'ready';
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
          url = await app.listen({ port: config.server.port, host: config.server.host });
          url = url.replace('[::1]', 'localhost');
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
      if (!stopPromise) stopPromise = doStop();
      return stopPromise;
    },
    inject(opts) {
      assertSetUp('inject()');
      return app.inject(opts as InjectOptions);
    },
    resolve(name) {
      if (!container.hasRegistration(name)) {
        throw new KernelErrors.SERVICE_UNKNOWN(String(name), [...serviceOwners.keys()].join(', '));
      }
      return container.resolve(name);
    },
    plugins() {
      return loaded.map(({ definition, config: pluginConfig, from }) => ({
        name: definition.name,
        version: definition.version ?? '0.0.0',
        description: definition.description ?? '',
        state: states.get(definition.name) ?? 'loaded',
        dependencies: definition.dependencies ?? [],
        from,
        config: pluginConfig,
      }));
    },
    advance: (ms) => clock.advance(ms),
  } as Kernel;

  /** Run `started` once the server listens (or the host app is ready). */
  kernel.started = async () => {
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
    if (stopFailures.length) {
      throw new KernelErrors.LIFECYCLE_FAILED(stopFailures.length, 'stop', stopFailures.map((e) => `  - ${e.message}`).join('\n'));
    }
  }

  return kernel;
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

