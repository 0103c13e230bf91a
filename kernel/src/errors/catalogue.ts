// One catalogue of every error the kernel raises. Codes are stable (`US_…`) and
// documented in the kernel README; messages say what was wrong and how to fix it.
// Structured fields (`problems`, `wanted`, `tried`, `available`, `path`, `plugin`,
// `hook`) let the CLI and tools build hints from data instead of parsing messages.
import { defineError } from './define.js';

const list = (names: readonly string[]) => names.join(', ') || '(none)';
const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(' and ');
type Missing = ReadonlyArray<{ plugin: string; wanted: string }>;

export const KernelErrors = {
  CONFIG_INVALID: defineError('US_CONFIG_INVALID', 500, (problems: string | readonly string[]) => {
    const lines = typeof problems === 'string' ? problems.split('\n') : [...problems];
    return { message: `Invalid configuration:\n${lines.join('\n')}`, problems: lines };
  }),
  CONFIG_FILE_UNREADABLE: defineError('US_CONFIG_FILE_UNREADABLE', 500, (path: string, problem: string, line?: number, column?: number) => ({
    message: `Cannot read config file ${path}${line ? `:${line}:${column}` : ''}: ${problem}`, path, line, column,
  })),
  CONFIG_FILE_NOT_FOUND: defineError('US_CONFIG_FILE_NOT_FOUND', 500, (path: string) => ({
    message: `Config file ${path} does not exist. Create one with \`understudy init\` or pass --config <file>.`, path,
  })),
  MODULE_NOT_FOUND: defineError('US_MODULE_NOT_FOUND', 500, (kind: 'plugin' | 'preset', wanted: string, tried: readonly string[]) => ({
    message: `Cannot find ${kind} "${wanted}" (tried ${tried.join(', ')}). Install it or check its name.`, kind, wanted, tried: [...tried],
  })),
  MODULE_INVALID: defineError('US_MODULE_INVALID', 500, (path: string, kind: 'plugin' | 'preset') => ({
    message: `${path} does not export a ${kind} definition (expected a default export made with ${kind === 'plugin' ? 'definePlugin()' : 'definePreset()'}).`, path, kind,
  })),
  PLUGIN_DUPLICATE: defineError('US_PLUGIN_DUPLICATE', 500, (plugin: string, first: string, second: string) => ({
    message: `Plugin "${plugin}" is registered twice (from ${first} and ${second}). Remove one of them.`, plugin,
  })),
  PLUGIN_MISSING_DEPENDENCIES: defineError('US_PLUGIN_MISSING_DEPENDENCIES', 500, (missing: Missing) => ({
    message: `Missing plugin dependencies: ${missing.map((m) => `"${m.plugin}" needs "${m.wanted}"`).join(', ')}. Add the missing plugins to \`plugins:\` or use a preset that includes them.`,
    missing: [...missing], wanted: [...new Set(missing.map((m) => m.wanted))],
  })),
  PLUGIN_CYCLE: defineError('US_PLUGIN_CYCLE', 500, (cycle: readonly string[]) => ({
    message: `Plugin dependencies form a cycle: ${cycle.join(' → ')}. Break the cycle by making one dependency optional.`, cycle: [...cycle],
  })),
  PLUGIN_KERNEL_RANGE: defineError('US_PLUGIN_KERNEL_RANGE', 500, (plugin: string, range: string, version: string) => ({
    message: `Plugin "${plugin}" requires kernel ${range} but this is kernel ${version}. Install a version of the plugin made for this kernel.`, plugin, wanted: range, available: version,
  })),
  PLUGIN_FAILED: defineError('US_PLUGIN_FAILED', 500, (plugin: string, hook: string, problem: string) => ({ message: `Plugin "${plugin}" failed in ${hook}: ${problem}`, plugin, hook })),
  PLUGIN_TIMEOUT: defineError('US_PLUGIN_TIMEOUT', 500, (plugin: string, hook: string, ms: number) => ({
    message: `Plugin "${plugin}" did not finish ${hook} within ${ms} ms. Raise \`lifecycleTimeout\` or fix the plugin.`, plugin, hook,
  })),
  LIFECYCLE_FAILED: defineError('US_LIFECYCLE_FAILED', 500, (phase: string, failures: readonly Error[]) => ({
    message: `${failures.length} plugin(s) failed during ${phase}:\n${failures.map((e) => `  - ${e.message}`).join('\n')}`, failures: [...failures],
  })),
  LATE_REGISTRATION: defineError('US_LATE_REGISTRATION', 500, (plugin: string, what: string) => ({
    message: `Plugin "${plugin}" tried to ${what} after the kernel started. Taps, services and routes must be added inside register().`, plugin,
  })),
  SERVICE_DUPLICATE: defineError('US_SERVICE_DUPLICATE', 500, (service: string, owner: string) => ({
    message: `Service "${service}" is already provided by plugin "${owner}". Pick another service name.`, wanted: service, plugin: owner,
  })),
  SERVICE_UNDECLARED: defineError('US_SERVICE_UNDECLARED', 500, (plugin: string, service: string) => ({
    message: `Plugin "${plugin}" provides the service "${service}" without declaring it: add "${service}" to its \`provides\`.`, plugin, wanted: service,
  })),
  SERVICE_UNKNOWN: defineError('US_SERVICE_UNKNOWN', 500, (service: string, known: readonly string[], provider?: string, asker?: string) => ({
    message: provider
      ? `Service "${service}" is provided by plugin "${provider}", which registers after ${asker ? `"${asker}"` : 'this call'}: add "${provider}" (or "${service}") to ${asker ? `"${asker}"'s` : 'the'} \`dependencies\` or \`optionalDependencies\`.`
      : `No loaded plugin provides a service named "${service}". Known services: ${list(known)}. Add the plugin that provides it.`,
    wanted: service, available: [...known], plugin: provider,
  })),
  HOOK_GROUP_DUPLICATE: defineError('US_HOOK_GROUP_DUPLICATE', 500, (group: string) => ({ message: `Hook group "${group}" is already defined.`, wanted: group })),
  HOOK_GROUP_UNKNOWN: defineError('US_HOOK_GROUP_UNKNOWN', 500, (group: string, known: readonly string[]) => ({
    message: `No hook group "${group}". Known groups: ${list(known)}. Declare the plugin that defines it in \`dependencies\`.`, wanted: group, available: [...known],
  })),
  STAGE_CONFLICT: defineError('US_STAGE_CONFLICT', 500, (hook: string, stage: number, taps: readonly string[]) => ({
    message: `Taps ${quoted(taps)} of the "${hook}" hook share stage ${stage}, so their order is undefined. Move one to another stage, or order them with \`before\`/\`after\`.`, hook, stage, taps: [...taps],
  })),
  INTERCEPTOR_REFUSED: defineError('US_INTERCEPTOR_REFUSED', 500, (hook: string) => ({
    message: `The "${hook}" hook is run by the kernel's dispatcher, which does not call tapable's call interceptors. Tap the hook instead, or use \`register\` interceptors only.`, hook,
  })),
  TAP_FAILED: defineError('US_TAP_FAILED', 500, (tap: string, hook: string, problem: string) => ({ message: `Tap "${tap}" failed in the "${hook}" hook: ${problem}`, tap, hook })),
  ROUTES_PREFIX_INVALID: defineError('US_ROUTES_PREFIX_INVALID', 500, (plugin: string, prefix: string) => ({
    message: `Plugin "${plugin}" mounts routes at "${prefix}": a prefix starts with "/" (e.g. "/v1").`, plugin, path: prefix,
  })),
  NOT_STARTED: defineError('US_NOT_STARTED', 500, (what: string) => `The kernel is not set up yet: call \`await kernel.start()\` (or \`setup()\`) before ${what}.`),
  ALREADY_STARTED: defineError('US_ALREADY_STARTED', 500, () => 'The kernel was already started; create a new kernel to start again.'),
  CLOCK_NOT_VIRTUAL: defineError('US_CLOCK_NOT_VIRTUAL', 409, () => 'The clock is real: time moves by itself and cannot be advanced. Start with `--clock virtual` (or `clock: virtual` in the config, or createTestKernel) to advance it.'),
  NO_MATCH: defineError('US_NO_MATCH', 404, (method: string, url: string) => `No plugin produced a response for ${method} ${url}.`),
  LOOP_DETECTED: defineError('US_LOOP_DETECTED', 508, (maxHops: number, service: string) => `Exchange exceeded the hop limit of ${maxHops} (service ${service}). The call graph loops.`),
  ADMIN_ROUTE_NOT_FOUND: defineError('US_ADMIN_ROUTE_NOT_FOUND', 404, (method: string, url: string) => `No admin route ${method} ${url}. See GET /__admin/openapi.json for every admin route.`),
  BAD_REQUEST: defineError('US_BAD_REQUEST', 400, (problem: string) => problem),
  INVALID_JSON: defineError('US_INVALID_JSON', 400, (problem: string) => `The request body is not valid JSON (${problem}). Send a JSON document.`),
  UNSUPPORTED_MEDIA_TYPE: defineError('US_UNSUPPORTED_MEDIA_TYPE', 415, (problem: string) => problem),
  BODY_TOO_LARGE: defineError('US_BODY_TOO_LARGE', 413, (problem: string) => problem),
  INTERNAL: defineError('US_INTERNAL', 500, (problem: string) => problem),
  ADMIN_TOKEN_NOT_SET: defineError('US_ADMIN_TOKEN_NOT_SET', 500, (host: string, why: 'host' | 'required') => ({
    message: `${why === 'host' ? `server.host is ${host}, beyond loopback, so the admin API needs a token` : 'server.admin.requireToken is true, so the admin API needs a token'}: set UNDERSTUDY_ADMIN_TOKEN (or server.admin.token) to a secret of at least 16 characters${why === 'host' ? ', or set server.admin.requireToken: false to leave the admin API open to the network' : ''}.`,
    host,
  })),
  ADMIN_TOKEN_REQUIRED: defineError('US_ADMIN_TOKEN_REQUIRED', 401, () => 'The control plane needs the admin token: send `Authorization: Bearer <token>` (the value of UNDERSTUDY_ADMIN_TOKEN or server.admin.token).'),
  ADMIN_TOKEN_INVALID: defineError('US_ADMIN_TOKEN_INVALID', 401, () => 'The admin token sent is not the configured one: send `Authorization: Bearer <token>` with the value of UNDERSTUDY_ADMIN_TOKEN or server.admin.token.'),
  ORIGIN_REFUSED: defineError('US_ORIGIN_REFUSED', 403, (origin: string) => ({
    message: `A page from ${origin} may not call the control plane (a cross-origin request). Add "${origin}" to server.admin.allowedOrigins if that page is yours.`, origin,
  })),
  HOST_REFUSED: defineError('US_HOST_REFUSED', 403, (host: string) => ({
    message: `Host "${host}" is not a name of this server (a loopback connection must name localhost, 127.0.0.1 or [::1]; this guards against DNS rebinding). Add the name to server.admin.allowedHosts if it is yours.`, host,
  })),
  REVEAL_NEEDS_TOKEN: defineError('US_REVEAL_NEEDS_TOKEN', 403, () =>
    '?reveal=secrets shows secrets only to a request that presents the admin token, and none is configured: set UNDERSTUDY_ADMIN_TOKEN (or server.admin.token) and send `Authorization: Bearer <token>`.'),
} as const;

export type KernelErrorCode = (typeof KernelErrors)[keyof typeof KernelErrors]['code'];

/** Wrap any thrown value so it carries the plugin and hook it came from. */
export function wrapPluginError(plugin: string, where: string, cause: unknown): Error {
  const err = new KernelErrors.PLUGIN_FAILED(plugin, where, cause instanceof Error ? cause.message : String(cause));
  return Object.assign(err, { cause });
}
