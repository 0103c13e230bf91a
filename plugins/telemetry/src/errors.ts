// Every error the telemetry plugin raises. Codes are stable (`US_TELEMETRY_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const TelemetryErrors = {
  BAD_RANGE: defineError(
    'US_TELEMETRY_BAD_RANGE',
    400,
    (from: number, to: number) => `"from" (${from}) is after "to" (${to}). Give from <= to, as ms since the epoch or ISO 8601 times.`,
  ),
  BAD_TIME: defineError(
    'US_TELEMETRY_BAD_TIME',
    400,
    (name: string, value: string) => `"${name}" is "${value}", which is not a time. Give ms since the epoch (1735689600000) or an ISO 8601 time (2025-01-01T00:00:00Z).`,
  ),
  BAD_FORMAT: defineError('US_TELEMETRY_BAD_FORMAT', 400, (format: string) => `Unknown export format "${format}". Use format=ndjson or format=csv.`),
  UNKNOWN_SENSOR: defineError(
    'US_TELEMETRY_UNKNOWN_SENSOR',
    400,
    (sensor: string, known: string[]) => `Unknown sensor "${sensor}". Known sensors: ${known.join(', ')} (GET /__admin/telemetry/sensors).`,
  ),
  BAD_PARAMS: defineError('US_TELEMETRY_BAD_PARAMS', 400, (sensor: string, problems: string[]) => `Invalid params for ${sensor}: ${problems.join('; ')}.`),
  SERIES_TOO_LONG: defineError(
    'US_TELEMETRY_SERIES_TOO_LONG',
    400,
    (points: number, max: number) => `That series would have ${points} readings; at most ${max} are generated at once. Shorten the range or raise intervalMs.`,
  ),
} as const;
