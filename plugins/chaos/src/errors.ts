// Every error the chaos plugin raises. Codes are stable (`US_CHAOS_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const ChaosErrors = {
  INVALID: defineError('US_CHAOS_INVALID', 400, (what: string, problems: string[]) => `Invalid ${what} (nothing was changed):\n${problems.join('\n')}`),
  FAULT_NOT_FOUND: defineError('US_CHAOS_FAULT_NOT_FOUND', 404, (id: string) => `No fault with id "${id}". List faults with GET /__admin/chaos/faults.`),
  SCENARIO_NOT_FOUND: defineError('US_CHAOS_SCENARIO_NOT_FOUND', 404, (id: string) => `No scenario with id "${id}". List scenarios with GET /__admin/chaos/scenarios.`),
  EXPERIMENT_NOT_FOUND: defineError(
    'US_CHAOS_EXPERIMENT_NOT_FOUND',
    404,
    (id: string) => `No experiment with id "${id}". List experiments with GET /__admin/chaos/experiments.`,
  ),
  DUPLICATE_ID: defineError('US_CHAOS_DUPLICATE_ID', 409, (what: string, id: string) => `A ${what} with id "${id}" already exists. Delete it first or pick another id.`),
  FAULT_ID_IN_USE: defineError('US_CHAOS_FAULT_ID_IN_USE', 409, (id: string, holder: string, by?: string) => ({
    message:
      `${by ? `${by} cannot start: its fault id` : 'Fault id'} "${id}" is in use by ${holder}; nothing was changed. ` +
      `Remove that fault or stop what holds it first (GET /__admin/chaos/faults, /scenarios, /experiments), or use another id.`,
    id,
  })),
  NEEDS_PLUGIN: defineError('US_CHAOS_NEEDS_PLUGIN', 409, (id: string, problems: string[]) => ({
    message: `Experiment "${id}" cannot start (nothing was changed): ${problems.join('; ')}. Load those plugins, or remove the activities that need them.`,
    problems,
  })),
  TEMPLATE_NOT_FOUND: defineError(
    'US_CHAOS_TEMPLATE_NOT_FOUND',
    404,
    (name: string, names: string[]) => `No experiment template "${name}". The library has ${names.join(', ')} (GET /__admin/chaos/library).`,
  ),
  ALREADY_RUNNING: defineError('US_CHAOS_ALREADY_RUNNING', 409, (what: string, id: string) => `${what} "${id}" is already running. Stop it first.`),
} as const;

/** Codes that appear in injected responses (not thrown). */
export const ResponseCodes = {
  INJECTED_ERROR: 'US_CHAOS_INJECTED_ERROR',
  ABORTED: 'US_CHAOS_ABORTED',
  TIMEOUT: 'US_CHAOS_TIMEOUT',
  OUTAGE: 'US_CHAOS_OUTAGE',
  PARTITION: 'US_CHAOS_PARTITION',
} as const;
