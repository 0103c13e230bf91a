// Every error the breaker plugin raises. Codes are stable (`US_BREAKER_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const BreakerErrors = {
  NOT_FOUND: defineError(
    'US_BREAKER_NOT_FOUND',
    404,
    (key: string) => `No circuit breaker "${key}". Breakers are created by the first call; list them with GET /__admin/breaker.`,
  ),
  INVALID_CONFIG: defineError(
    'US_BREAKER_INVALID_CONFIG',
    400,
    (what: string, problems: string[]) => `Invalid breaker settings for ${what} (nothing was changed):\n${problems.join('\n')}`,
  ),
} as const;

/** Code of the 503 a breaker answers in place of the call (a response, not thrown). */
export const BREAKER_OPEN = 'US_BREAKER_OPEN';
