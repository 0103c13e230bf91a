import { asValue, type AwilixContainer } from 'awilix';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../clock/types.js';
import { KernelErrors } from '../errors.js';
import type { EventBus, PluginEvents } from '../events.js';
import type { Dispatcher } from '../exchange/dispatch.js';
import type { KernelHooks, PluginHookGroups } from '../hooks.js';
import type { PluginContext } from '../plugin.js';
import type { RandomSource } from '../random.js';
import type { Services } from '../services.js';
import type { LoadedPlugin } from './collect.js';

export interface ContextDeps {
  plugin: LoadedPlugin;
  container: AwilixContainer<Services>;
  serviceOwners: Map<string, string>;
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
  isRegistering(): boolean;
}

/** Hook groups plugins expose, kept on the container so each kernel has its own. */
const hookGroupsKey = Symbol('understudy.hookGroups');

/** Build the `ctx` one plugin's register() receives. */
export function createPluginContext(deps: ContextDeps): PluginContext<any> {
  const { plugin, container, serviceOwners, hooks, app, events } = deps;
  const name = plugin.definition.name;
  const groups: Map<string, unknown> =
    ((container as unknown as Record<symbol, Map<string, unknown>>)[hookGroupsKey] ??= new Map());
  const assertRegistering = (what: string) => {
    if (!deps.isRegistering()) throw new KernelErrors.LATE_REGISTRATION(name, what);
  };
  const pluginEvents: PluginEvents = {
    emit: (type, data) => events.emit(name, type, data),
    subscribe: (listener) => events.subscribe(listener),
    recent: (type) => events.recent(type),
  };
  return {
    name,
    config: plugin.config,
    logger: deps.logger.child({ plugin: name }),
    hooks,
    http: app,
    clock: deps.clock,
    random: deps.random.stream(name),
    events: pluginEvents,
    baseDir: deps.baseDir,
    dispatch: deps.dispatch,
    provide(service, value) {
      assertRegistering(`provide the "${String(service)}" service`);
      const owner = serviceOwners.get(String(service));
      if (owner) throw new KernelErrors.SERVICE_DUPLICATE(String(service), owner);
      serviceOwners.set(String(service), name);
      container.register(String(service), asValue(value));
    },
    resolve(service: string) {
      if (!container.hasRegistration(service)) {
        throw new KernelErrors.SERVICE_UNKNOWN(service, [...serviceOwners.keys()].join(', '));
      }
      return container.resolve(service);
    },
    has: (service) => container.hasRegistration(String(service)),
    admin(routes) {
      assertRegistering('add admin routes');
      app.register(routes, { prefix: `/__admin/${name}` });
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
      if (!groups.has(String(group))) throw new KernelErrors.HOOK_GROUP_UNKNOWN(String(group), [...groups.keys()].join(', ') || '(none)');
      return groups.get(String(group)) as PluginHookGroups[typeof group];
    },
    onStart: (fn) => hooks.started.tapPromise(name, async () => fn()),
    onStop: (fn) => hooks.stopping.tapPromise(name, async () => fn()),
  };
}
