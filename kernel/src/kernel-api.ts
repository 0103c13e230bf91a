// The kernel's public shape, in a file of its own so that the control plane's routes
// can depend on it without importing kernel.ts (which imports them).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from './clock/types.js';
import type { KernelConfig, KernelConfigInput } from './config/schema.js';
import type { EventBus } from './events.js';
import type { Dispatcher } from './exchange/dispatch.js';
import type { KernelHooks } from './hooks.js';
import type { PluginDefinition, PresetDefinition } from './plugin.js';
import type { RandomSource } from './random.js';
import type { Services } from './services.js';

export type PluginState = 'loaded' | 'registered' | 'started' | 'stopped' | 'failed';

/** Where the kernel's own server listens. */
export interface ListeningAddress {
  /** The bound address as the socket reports it: `127.0.0.1`, `0.0.0.0`, `::`, `192.168.1.5`. */
  host: string;
  port: number;
  /** A URL to reach it from this machine (`http://127.0.0.1:8080` for `0.0.0.0`). */
  url: string;
  /** Bound to loopback only: unreachable from other machines. */
  loopback: boolean;
  /** Bound to every interface (`0.0.0.0` or `::`). */
  everyInterface: boolean;
}

/** How the control plane is protected (see DESIGN-NOTES, "The control plane's security model"). */
export interface ControlPlaneAccess {
  /** A token is configured: every control-plane request must carry it. */
  token: boolean;
  /** Beyond loopback without a token (`server.admin.requireToken: false`): open to the network. */
  open: boolean;
}

export interface KernelOptions {
  /** Settings as an object, or the path of a YAML/JSON config file. */
  config?: KernelConfigInput | string;
  /** Applied over the config (the CLI's flags). */
  overrides?: KernelConfigInput;
  presets?: Array<string | PresetDefinition>;
  plugins?: Array<string | PluginDefinition<any>>;
  /** Folder for relative paths when config is an object (default: cwd). */
  cwd?: string;
  /**
   * Environment to read UNDERSTUDY_ADMIN_TOKEN from (default process.env; test kernels
   * pass `{}` so a developer's shell cannot change a test's outcome).
   */
  env?: Record<string, string | undefined>;
  /** Use this pino logger instead of creating one. */
  logger?: Logger;
  /** Use this clock instead of the one `clock:` names. */
  clock?: Clock;
  /** Mount into this fastify instance instead of creating one (see fastify-plugin.ts). */
  app?: FastifyInstance;
  /** Stop cleanly on SIGINT/SIGTERM (the CLI sets it). */
  handleSignals?: boolean;
  /**
   * Services registered before any plugin, in place of the plugin that would provide
   * them (test doubles: createTestKernel's `services`). A plugin's own `provide()` of
   * an overridden name is then ignored, so the double wins.
   */
  services?: Partial<Services>;
}

export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  state: PluginState;
  dependencies: string[];
  provides: string[];
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
  /** Base URL once listening, to reach it from this machine, e.g. `http://127.0.0.1:8080` (also for `0.0.0.0`). */
  readonly url: string | undefined;
  /** The bound address once listening (undefined before, and when mounted in a host app). */
  readonly address: ListeningAddress | undefined;
  readonly controlPlane: ControlPlaneAccess;
  readonly dispatch: Dispatcher;
  /** Load config, presets and plugins, register them and run `ready` (no listening). */
  setup(): Promise<void>;
  /** setup(), listen, then run `started`. Resolves to the base URL. */
  start(): Promise<string>;
  /** Run `stopping` in reverse order and close the server. Idempotent. */
  stop(): Promise<void>;
  inject(opts: InjectOptions | string): Promise<LightMyRequestResponse>;
  resolve<K extends keyof Services>(name: K): Services[K];
  /** The service, or undefined when no loaded plugin provides it. */
  resolveOptional<K extends keyof Services>(name: K): Services[K] | undefined;
  /**
   * Every loaded plugin. `secrets: 'redact'` shows config options whose schema says
   * `writeOnly: true` as `"(redacted)"` (what GET /__admin/plugins does); the default
   * shows the effective config as it is.
   */
  plugins(options?: { secrets?: 'reveal' | 'redact' }): PluginInfo[];
  /** Virtual clock only: move time forward, firing due timers in order. */
  advance(ms: number): Promise<void>;
  /** Run `started` (start() does it for you; the fastify plugin calls it on listen). */
  started(): Promise<void>;
}
