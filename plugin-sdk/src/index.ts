/// <reference types="@fastify/swagger" preserve="true" />
// (Above: route schemas in plugins may carry OpenAPI's summary/tags/description. A
// reference, kept in the emitted .d.ts by `preserve`, rather than `import type {}`, which
// tsc drops from declarations: plugins built against dist/ saw no `summary` in schemas.)
// What a plugin author imports. A thin layer over the kernel's contract, so built-in
// plugins and users' plugins use exactly the same API. The test harness lives in
// `@understudy/plugin-sdk/testing`.
import type { TSchema } from '@sinclair/typebox';
import type { PluginDefinition, PresetDefinition } from '@understudy/kernel';

export { Type, type Static, type TSchema } from '@sinclair/typebox';
export {
  AsyncParallelHook,
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
  SyncBailHook,
  SyncHook,
  SyncWaterfallHook,
  Stage,
  KernelErrors,
  RingBuffer,
  type RingBufferOptions,
  CONNECTION_FAULTS,
  createRandom,
  editDistance,
  defineError,
  inheritedLocal,
  writeExchange,
  readBody,
  writeError,
  BODY_LIMIT,
  ErrorResponseSchema,
  errorResponses,
  REDACTED,
  RevealSecretsQuery,
  redact,
  redactBySchema,
  revealSecrets,
  errorResponse,
  type AdminApp,
  type AdminReply,
  type AdminRequest,
  type AdminRoutes,
  type ChildInit,
  type Clock,
  type CodedError,
  type ConnectionFault,
  type Dispatcher,
  type EventMap,
  type EventType,
  type Exchange,
  type ExchangeContext,
  type ExchangeInit,
  type ExchangeRequest,
  type ExchangeResponse,
  type ExchangeTapOptions,
  type Headers,
  type KernelHooks,
  type PluginContext,
  type PluginDefinition,
  type PluginEvents,
  type PluginHookGroups,
  type PresetDefinition,
  type Random,
  type Services,
  type StageName,
  type TimerHandle,
  type UnderstudyEvent,
} from '@understudy/kernel';
export { didYouMean, listNames } from './did-you-mean.js';
export { InvalidJsonError } from './errors.js';
export { documentedOnly, readJsonWhateverTheType } from './json-body.js';
export { respondedWithError, respondedWithServerError } from './predicates.js';
export { describeSchemaErrors, schemaErrorFormatter, type SchemaError } from './schema-errors.js';

/** Declare a plugin. Identity at run time; gives the config its static type. */
export function definePlugin<S extends TSchema>(definition: PluginDefinition<S>): PluginDefinition<S> {
  return definition;
}

/** Declare a preset: a named bundle of plugins with default config and a sample world. */
export function definePreset(definition: PresetDefinition): PresetDefinition {
  return definition;
}
