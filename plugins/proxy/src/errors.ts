// Every error the proxy plugin raises or answers with. Codes are stable (`US_PROXY_…`);
// the kernel turns `statusCode` + `code` into `{ statusCode, code, error, message }`, and
// each message says how to fix what went wrong.
import { defineError } from '@understudy/plugin-sdk';

export const ProxyErrors = {
  INVALID: defineError(
    'US_PROXY_INVALID',
    400,
    (what: string, problems: string[]) => `Invalid ${what} (nothing was changed):\n${problems.join('\n')}`,
  ),
  BAD_MOCK_HEADER: defineError(
    'US_PROXY_BAD_MOCK_HEADER',
    400,
    (value: string) => `X-Mock-Enabled must be "true" (answer from what was learned) or "false" (forward to the upstream), not "${value}".`,
  ),
  BAD_REQUEST_TARGET: defineError(
    'US_PROXY_BAD_REQUEST_TARGET',
    400,
    (target: string) => `Cannot forward the request target "${target}": send a path ("/users/1"); the upstream is fixed by the proxy's targets.`,
  ),
  FAULT_NOT_FOUND: defineError(
    'US_PROXY_FAULT_NOT_FOUND',
    404,
    (id: string) => `No scoped chaos fault "${id}". List them with GET /__admin/proxy/chaos.`,
  ),
  CHAOS_NOT_LOADED: defineError(
    'US_PROXY_CHAOS_NOT_LOADED',
    409,
    () => 'Scoped chaos needs the chaos plugin: add "chaos" to the plugins (the proxy preset has it).',
  ),
} as const;

/** Codes of answers the proxy gives in place of the upstream's (responses, not thrown). */
export const ResponseCodes = {
  /** No learned endpoint for a request that asked for (or whose mode gives) a mock. */
  NOT_LEARNED: 'US_PROXY_NOT_LEARNED',
  /** The upstream refused, reset or broke the connection, and no learned mock could stand in. */
  UPSTREAM_ERROR: 'US_PROXY_UPSTREAM_ERROR',
  /** No response headers from the upstream within `timeouts.responseMs`, and no learned mock. */
  UPSTREAM_TIMEOUT: 'US_PROXY_UPSTREAM_TIMEOUT',
} as const;
