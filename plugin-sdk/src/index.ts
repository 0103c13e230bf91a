// What a plugin author imports. Everything here is a thin layer over the kernel's
// contract, so built-in plugins and users' plugins use exactly the same API.
import type { TSchema } from '@sinclair/typebox';
import type { PluginDefinition, PresetDefinition } from '@understudy/kernel';
// route schemas in plugins may carry OpenAPI's summary/tags/description
import type {} from '@fastify/swagger';

export { Type, type Static, type TSchema } from '@sinclair/typebox';
export {
  Stage,
  KernelErrors,
  RingBuffer,
  CONNECTION_FAULTS,
  createRandom,
  type ConnectionFault,
  errorResponse,
  exchangeFromRequest,
  sendExchange,
  type StageName,
  type PluginDefinition,
  type PresetDefinition,
  type PluginContext,
  type Services,
  type PluginHookGroups,
  type KernelHooks,
  type UnderstudyEvent,
  type PluginEvents,
  type Exchange,
  type ExchangeInit,
  type ExchangeRequest,
  type ExchangeResponse,
  type ExchangeContext,
  type Clock,
  type Random,
  type Kernel,
} from '@understudy/kernel';
export { defineError, InvalidJsonError, type CodedError } from './errors.js';
export { documentedOnly, readJsonWhateverTheType } from './json-body.js';
export { ErrorResponseSchema, errorResponses } from './admin-schemas.js';
export { describeSchemaErrors, schemaErrorFormatter, type SchemaError } from './schema-errors.js';
export { fetchJson, type JsonReply } from './fetch-json.js';
export { createTestKernel, type TestKernel, type TestKernelOptions } from './test-kernel.js';
export { waitFor } from './wait-for.js';

/** Declare a plugin. Identity at run time; gives the config its static type. */
export function definePlugin<S extends TSchema>(definition: PluginDefinition<S>): PluginDefinition<S> {
  return definition;
}

/** Declare a preset: a named bundle of plugins with default config and a sample world. */
export function definePreset(definition: PresetDefinition): PresetDefinition {
  return definition;
}
