// One catalogue of every error the kernel raises. Codes are stable (`US_…`) and
// documented in the kernel README; messages say what was wrong and how to fix it.
import createError from '@fastify/error';

export const KernelErrors = {
  CONFIG_INVALID: createError('US_CONFIG_INVALID', 'Invalid configuration:\n%s', 500),
  CONFIG_FILE_UNREADABLE: createError('US_CONFIG_FILE_UNREADABLE', 'Cannot read config file %s: %s', 500),
  CONFIG_FILE_NOT_FOUND: createError('US_CONFIG_FILE_NOT_FOUND', 'Config file %s does not exist. Create one with `understudy init` or pass --config <file>.', 500),
  MODULE_NOT_FOUND: createError('US_MODULE_NOT_FOUND', 'Cannot find %s. %s', 500),
  MODULE_INVALID: createError('US_MODULE_INVALID', '%s does not export a %s definition (expected a default export made with %s).', 500),
  PLUGIN_DUPLICATE: createError('US_PLUGIN_DUPLICATE', 'Plugin "%s" is registered twice (from %s and %s). Remove one of them.', 500),
  PLUGIN_MISSING_DEPENDENCIES: createError('US_PLUGIN_MISSING_DEPENDENCIES', 'Missing plugin dependencies: %s. Add the missing plugins to `plugins:` or use a preset that includes them.', 500),
  PLUGIN_CYCLE: createError('US_PLUGIN_CYCLE', 'Plugin dependencies form a cycle: %s. Break the cycle by making one dependency optional.', 500),
  PLUGIN_KERNEL_RANGE: createError('US_PLUGIN_KERNEL_RANGE', 'Plugin "%s" requires kernel %s but this is kernel %s.', 500),
  PLUGIN_FAILED: createError('US_PLUGIN_FAILED', 'Plugin "%s" failed in %s: %s', 500),
  PLUGIN_TIMEOUT: createError('US_PLUGIN_TIMEOUT', 'Plugin "%s" did not finish %s within %d ms. Raise `lifecycleTimeout` or fix the plugin.', 500),
  LIFECYCLE_FAILED: createError('US_LIFECYCLE_FAILED', '%d plugin(s) failed during %s:\n%s', 500),
  LATE_REGISTRATION: createError('US_LATE_REGISTRATION', 'Plugin "%s" tried to %s after the kernel started. Taps, services and routes must be added inside register().', 500),
  SERVICE_DUPLICATE: createError('US_SERVICE_DUPLICATE', 'Service "%s" is already provided by plugin "%s". Pick another service name.', 500),
  SERVICE_UNKNOWN: createError('US_SERVICE_UNKNOWN', 'No service named "%s" is registered. Known services: %s. Declare the plugin that provides it in `dependencies`.', 500),
  HOOK_GROUP_DUPLICATE: createError('US_HOOK_GROUP_DUPLICATE', 'Hook group "%s" is already defined.', 500),
  HOOK_GROUP_UNKNOWN: createError('US_HOOK_GROUP_UNKNOWN', 'No hook group "%s". Known groups: %s. Declare the plugin that defines it in `dependencies`.', 500),
  NOT_STARTED: createError('US_NOT_STARTED', 'The kernel is not set up yet: call `await kernel.start()` (or `setup()`) before %s.', 500),
  ALREADY_STARTED: createError('US_ALREADY_STARTED', 'The kernel was already started; create a new kernel to start again.', 500),
  CLOCK_NOT_VIRTUAL: createError('US_CLOCK_NOT_VIRTUAL', 'advance() needs the virtual clock. Start with `clock: virtual` (or createTestKernel).', 500),
  NO_MATCH: createError('US_NO_MATCH', 'No plugin produced a response for %s %s.', 404),
  ADMIN_ROUTE_NOT_FOUND: createError('US_ADMIN_ROUTE_NOT_FOUND', 'No admin route %s %s. See GET /__admin/openapi.json for every admin route.', 404),
  BAD_REQUEST: createError('US_BAD_REQUEST', '%s', 400),
  LOOP_DETECTED: createError('US_LOOP_DETECTED', 'Exchange exceeded the hop limit of %d (service %s). The call graph loops.', 508),
} as const;

export type KernelErrorCode = (typeof KernelErrors)[keyof typeof KernelErrors]['prototype']['code'];

/** Wrap any thrown value so it carries the plugin and hook it came from. */
export function wrapPluginError(plugin: string, where: string, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const err = new KernelErrors.PLUGIN_FAILED(plugin, where, message);
  (err as Error & { cause?: unknown; plugin?: string; hook?: string }).cause = cause;
  Object.assign(err, { plugin, hook: where });
  return err;
}
