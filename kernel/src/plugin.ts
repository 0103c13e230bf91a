// The plugin contract: what a plugin declares and what it is given at register time.
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
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
  /** Plugins that must be loaded and registered first. */
  dependencies?: string[];
  /** Registered first when present, skipped cleanly when not. */
  optionalDependencies?: string[];
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

export interface PluginContext<C = unknown> {
  readonly name: string;
  readonly config: C;
  readonly logger: Logger;
  readonly hooks: KernelHooks;
  /** The root fastify instance, for wire-compatible routes (e.g. Consul's `/v1/…`). */
  readonly http: FastifyInstance;
  readonly clock: Clock;
  /** This plugin's own seeded stream, independent of every other plugin's. */
  readonly random: Random;
  readonly events: PluginEvents;
  /** Directory relative paths in config are resolved against (the config file's folder). */
  readonly baseDir: string;
  /** Run an exchange through the pipeline in-process (child calls, tests). */
  readonly dispatch: Dispatcher;
  /** Register a service in the container under a name declared in `Services`. */
  provide<K extends keyof Services>(name: K, value: Services[K]): void;
  resolve<K extends keyof Services>(name: K): Services[K];
  /** A service of an optional dependency whose package this plugin does not import. */
  resolve<T>(name: string): T;
  /** True when a service of that name exists (for optional dependencies). */
  has(name: keyof Services | (string & {})): boolean;
  /** Mount admin routes under `/__admin/<plugin name>`. */
  admin(routes: FastifyPluginAsync): void;
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
