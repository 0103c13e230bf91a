// Public API of @understudy/kernel: what embedders, the SDK and the CLI layer (src/cli/,
// which imports nothing else of the kernel) may use.
export { createKernel, BODY_LIMIT } from './kernel.js';
export type { ControlPlaneAccess, Kernel, KernelOptions, ListeningAddress, PluginInfo, PluginState } from './kernel-api.js';
export { understudyFastify, type UnderstudyFastifyOptions } from './fastify-plugin.js';
// Plugins build their own hook groups from the kernel's pinned tapable (see exchange/taps.ts).
export { AsyncParallelHook, AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
export { Stage, createHooks, type ExchangeTapOptions, type KernelHooks, type PluginHookGroups, type StageName } from './hooks.js';
export type { AdminApp, AdminReply, AdminRequest, AdminRoutes, PluginDefinition, PresetDefinition, PluginContext } from './plugin.js';
export type { Services } from './services.js';
export { defineError, KernelErrors, wrapPluginError, type CodedError, type ErrorClass, type ErrorText, type KernelErrorCode } from './errors/index.js';
export { ErrorResponseSchema, errorResponses } from './admin/error-schema.js';
export { isLoopback } from './admin/guard.js';
export { REDACTED, RevealSecretsQuery, redact, redactBySchema, revealSecrets } from './admin/secrets.js';
export { RingBuffer, type RingBufferOptions } from './ring-buffer.js';
export { EventBus, type EventMap, type EventType, type EventListener, type EventStream, type PluginEvents, type UnderstudyEvent } from './events.js';
export type { Clock, TimerHandle } from './clock/types.js';
export { createRealClock } from './clock/real.js';
export { createVirtualClock, VIRTUAL_EPOCH } from './clock/virtual.js';
export { createRandom, createRandomSource, type Random, type RandomSource } from './random.js';
export {
  CONNECTION_FAULTS,
  type ChildInit,
  type ConnectionFault,
  type Exchange,
  type ExchangeInit,
  type ExchangeRequest,
  type ExchangeResponse,
  type ExchangeContext,
  type Headers,
} from './exchange/types.js';
export { errorResponse, inheritedLocal, type Dispatcher } from './exchange/dispatch.js';
export { exchangeFromRequest, sendExchange, writeExchange } from './exchange/http.js';
export { readBody, writeError } from './exchange/body.js';
export { KernelConfigSchema, type KernelConfig, type KernelConfigInput } from './config/schema.js';
export { validateAgainst } from './config/validate.js';
export { loadConfigFile, findDefaultConfigFile, DEFAULT_CONFIG_FILES } from './config/load-file.js';
export { importModule, candidates, type ModuleKind } from './loader/resolve-module.js';
export { orderByDependencies } from './loader/order.js';
export { KERNEL_VERSION } from './version.js';
export { editDistance } from './edit-distance.js';
