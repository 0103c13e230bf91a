// Every error the traffic plugin raises. Codes are stable (`US_TRAFFIC_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const TrafficErrors = {
  INVALID_PATTERN: defineError(
    'US_TRAFFIC_INVALID_PATTERN',
    400,
    (what: string, problems: string[]) => `Invalid ${what} (nothing was changed):\n${problems.join('\n')}\nFix each line above; the README lists every shape and its fields.`,
  ),
  PATTERN_NOT_FOUND: defineError(
    'US_TRAFFIC_PATTERN_NOT_FOUND',
    404,
    (id: string) => `No traffic pattern with id "${id}". List the patterns with GET /__admin/traffic.`,
  ),
  DUPLICATE_ID: defineError(
    'US_TRAFFIC_DUPLICATE_ID',
    409,
    (id: string) => `A traffic pattern with id "${id}" already exists. Change it with PATCH /__admin/traffic/patterns/${id}, delete it first, or pick another id.`,
  ),
  TOO_MANY_PATTERNS: defineError(
    'US_TRAFFIC_TOO_MANY_PATTERNS',
    409,
    (max: number) => `There are already ${max} traffic patterns (plugins.traffic.maxPatterns). Delete one first, or raise maxPatterns.`,
  ),
  SERVICE_NOT_FOUND: defineError(
    'US_TRAFFIC_SERVICE_NOT_FOUND',
    404,
    (service: string, hint: string) => `No mesh service "${service}".${hint} List the services with GET /__admin/mesh/services.`,
  ),
  INVALID_QUERY: defineError('US_TRAFFIC_INVALID_QUERY', 400, (problem: string) => `Invalid query: ${problem}`),
} as const;
