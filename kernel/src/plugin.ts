// The plugin contract: what a plugin declares and what it is given at register time.
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from './clock/types.js';
import type { PluginEvents } from './events.js';
import type { Dispatcher } from './exchange/dispatch.js';
import type { KernelHooks, PluginHookGroups } from './hooks.js';
import type { Random } from './random.js';
import type { Services } from './services.js';

export interface PluginDefinition<S extends TSchema = TSchema> {
  /** Unique name; also the key of its config under `plugins:` and its admin prefix. */
  name: string;
  version?: string;
  description?: string;
  /** semver range of kernels this plugin works with, e.g. `^0.1.0`. */
  kernel?: string;
  /** Plugins, or services some plugin `provides`, that must be registered first; missing = startup error. */
  dependencies?: string[];
  /** Registered first when present, skipped cleanly when not (plugins or services). */
  optionalDependencies?: string[];
  /** Services this plugin registers with `ctx.provide` (its contract file exports their types). */
  provides?: Array<keyof Services & string>;
  /** TypeBox schema of the plugin's config; defaults are filled in by the kernel. */
  config?: S;
  register(ctx: PluginContext<Static<S>>): void | Promise<void>;
}

export interface PresetDefinition {
  name: string;
  description?: string;
  /** Plugins (definitions, names, package names or paths relative to the preset). */
  plugins: Array<PluginDefinition<any> | string>;
  /** Default config per plugin name; the user's config is merged over it. */
  config?: Record<string, unknown>;
  /** Optional description of the sample world the preset ships (for `understudy presets`). */
  world?: string;
}

/** The fastify scope a plugin's admin or wire-compatible routes are registered on. */
export type AdminApp = FastifyInstance;
export type AdminRequest = FastifyRequest;
export type AdminReply = FastifyReply;
/** A plugin's routes: registered in a scope of its own, under its prefix. */
export type AdminRoutes = (app: AdminApp) => Promise<void> | void;

export interface PluginContext<C = unknown> {
  readonly name: string;
  readonly config: C;
  readonly logger: Logger;
  readonly hooks: KernelHooks;
  /** The root fastify instance, to read server state (its address); add routes with `admin` or `routes`. */
  readonly http: FastifyInstance;
  readonly clock: Clock;
  /** This plugin's own seeded stream, independent of every other plugin's. */
  readonly random: Random;
  readonly events: PluginEvents;
  /** Directory relative paths in config are resolved against (the config file's folder). */
  readonly baseDir: string;
  /** Run an exchange through the pipeline in-process (child calls, tests). */
  readonly dispatch: Dispatcher;
  /** Register a service (declared in `Services` and in this plugin's `provides`). */
  provide<K extends keyof Services>(name: K, value: Services[K]): void;
  /** A service of a dependency; the error names the plugin that provides it. */
  resolve<K extends keyof Services>(name: K): Services[K];
  /** A service of an optional dependency, or undefined when no loaded plugin provides it. */
  resolveOptional<K extends keyof Services>(name: K): Services[K] | undefined;
  /** True when a service of that name exists (for optional dependencies). */
  has(name: keyof Services): boolean;
  /**
   * Mount admin routes under `/__admin/<plugin name>`. The kernel tags every route with
   * the plugin's name (OpenAPI) and adds the shared error responses.
   */
  admin(routes: AdminRoutes): void;
  /**
   * Mount wire-compatible routes under `prefix` where real clients expect them (Consul's
   * `/v1`, Eureka's `/eureka`, WireMock's `/__admin/mappings`): checked like `admin`
   * (refused after start), tagged with the plugin's name, bodies in the product's shape.
   */
  routes(prefix: string, routes: AdminRoutes): void;
  /**
   * Accept WebSocket connections on `path` of the HTTP server (e.g. MQTT over WebSocket
   * at `/mqtt`). The handler gets the open socket and the upgrade request.
   */
  websocket(path: string, handler: (socket: WebSocket, request: IncomingMessage) => void): void;
  /** Create and expose this plugin's own hook group, so that other plugins can tap it. */
  defineHooks<K extends keyof PluginHookGroups>(group: K, hooks: PluginHookGroups[K]): PluginHookGroups[K];
  /** Get a hook group another plugin exposed. */
  pluginHooks<K extends keyof PluginHookGroups>(group: K): PluginHookGroups[K];
  /** Shorthand for `hooks.started.tapPromise(name, fn)`. */
  onStart(fn: () => Promise<void> | void): void;
  /** Shorthand for `hooks.stopping.tapPromise(name, fn)`; runs in reverse plugin order. */
  onStop(fn: () => Promise<void> | void): void;
}
