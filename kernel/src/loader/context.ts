// The `ctx` a plugin's register() receives: its config, logger, seeded stream and event
// view, and the checked ways to add services, routes, WebSocket routes and hook groups.
import { asValue, type AwilixContainer } from 'awilix';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { documentRoutes } from '../admin/error-schema.js';
import type { GuardRoute } from '../admin/guard.js';
import type { Clock } from '../clock/types.js';
import { KernelErrors } from '../errors/index.js';
import type { EventBus } from '../events.js';
import type { Dispatcher } from '../exchange/dispatch.js';
import type { KernelHooks, PluginHookGroups } from '../hooks.js';
import type { AdminRoutes, PluginContext } from '../plugin.js';
import type { RandomSource } from '../random.js';
import type { Services } from '../services.js';
import type { LoadedPlugin } from './collect.js';

/** The container and what the kernel knows about each service's plugin. */
export interface ServiceBook {
  container: AwilixContainer<Services>;
  /** Registered service → plugin that registered it (`kernel`, `test double`). */
  owners: Map<string, string>;
  /** Service → plugin that declares it in `provides` (registered or not yet). */
  declared: Map<string, string>;
  /** Services replaced by test doubles: a plugin's provide() of them is ignored. */
  doubles: Set<string>;
}

export interface ContextDeps {
  plugin: LoadedPlugin;
  services: ServiceBook;
  hooks: KernelHooks;
  app: FastifyInstance;
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  logger: Logger;
  baseDir: string;
  dispatch: Dispatcher;
  /** The fastify scope that holds @fastify/websocket (see registerAdmin). */
  websocketScope: FastifyInstance;
  /** Attaches the control plane's guard to a route (admin/guard.ts). */
  guardRoute: GuardRoute;
  isRegistering(): boolean;
}

/**
 * A service from the container; undefined when `optional` and nobody provides it, else an
 * error naming the plugin that declares it (and who asked too early, when known).
 */
export function resolveService<K extends keyof Services>(services: ServiceBook, name: K, optional: boolean, asker?: string): Services[K] | undefined {
  if (services.container.hasRegistration(name)) return services.container.resolve(name);
  if (optional) return undefined;
  throw new KernelErrors.SERVICE_UNKNOWN(String(name), [...services.owners.keys()], services.declared.get(String(name)), asker);
}

/** Hook groups plugins expose, kept on the container so each kernel has its own. */
const hookGroupsKey = Symbol('understudy.hookGroups');

/** Build the `ctx` one plugin's register() receives. */
export function createPluginContext(deps: ContextDeps): PluginContext<any> {
  const { plugin, services, hooks, app, events } = deps;
  const { container } = services;
  const name = plugin.definition.name;
  const groups: Map<string, unknown> = ((container as unknown as Record<symbol, Map<string, unknown>>)[hookGroupsKey] ??= new Map());
  const assertRegistering = (what: string) => {
    if (!deps.isRegistering()) throw new KernelErrors.LATE_REGISTRATION(name, what);
  };
  const mount = (routes: AdminRoutes, prefix: string, errors: boolean) => {
    app.register(
      async (scope) => {
        scope.addHook('onRoute', documentRoutes(name, { errors }));
        // every route a plugin mounts is the control plane (ctx.routes' wire routes too)
        scope.addHook('onRoute', (route) => deps.guardRoute(route, true));
        await routes(scope);
      },
      { prefix },
    );
  };
  const resolve = <K extends keyof Services>(service: K, optional: boolean) => resolveService(services, service, optional, name);
  return {
    name,
    config: plugin.config,
    logger: deps.logger.child({ plugin: name }),
    hooks,
    http: app,
    clock: deps.clock,
    random: deps.random.stream(name),
    events: events.forPlugin(name),
    baseDir: deps.baseDir,
    dispatch: deps.dispatch,
    provide(service, value) {
      const key = String(service);
      assertRegistering(`provide the "${key}" service`);
      if (!(plugin.definition.provides ?? []).includes(key as never)) throw new KernelErrors.SERVICE_UNDECLARED(name, key);
      if (services.doubles.has(key)) return; // a test double stands in for it
      const owner = services.owners.get(key);
      if (owner) throw new KernelErrors.SERVICE_DUPLICATE(key, owner);
      services.owners.set(key, name);
      container.register(key, asValue(value));
    },
    resolve: (service) => resolve(service, false)!,
    resolveOptional: (service) => resolve(service, true),
    has: (service) => container.hasRegistration(String(service)),
    admin(routes) {
      assertRegistering('add admin routes');
      mount(routes, `/__admin/${name}`, true);
    },
    routes(prefix, routes) {
      assertRegistering(`add routes under ${prefix}`);
      if (!prefix.startsWith('/')) throw new KernelErrors.ROUTES_PREFIX_INVALID(name, prefix);
      mount(routes, prefix === '/' ? '' : prefix, false);
    },
    websocket(path, handler) {
      assertRegistering(`add the WebSocket route ${path}`);
      // on the scope itself: its onRoute hook turns the route into a WebSocket endpoint
      deps.websocketScope.get(path, { websocket: true }, (socket, request) => handler(socket, request.raw));
    },
    defineHooks(group, value) {
      assertRegistering(`define the "${String(group)}" hook group`);
      if (groups.has(String(group))) throw new KernelErrors.HOOK_GROUP_DUPLICATE(String(group));
      groups.set(String(group), value);
      return value;
    },
    pluginHooks(group) {
      if (!groups.has(String(group))) throw new KernelErrors.HOOK_GROUP_UNKNOWN(String(group), [...groups.keys()]);
      return groups.get(String(group)) as PluginHookGroups[typeof group];
    },
    onStart: (fn) => hooks.started.tapPromise(name, async () => fn()),
    onStop: (fn) => hooks.stopping.tapPromise(name, async () => fn()),
  };
}
