// Every error the observability plugin raises. Codes are stable (`US_OBSERVABILITY_…`);
// the kernel's error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const ObservabilityErrors = {
  INVALID_CURSOR: defineError(
    'US_OBSERVABILITY_INVALID_CURSOR',
    400,
    (cursor: string) => `Invalid log cursor "${cursor.slice(0, 64)}". Pass the "next" value of a previous page of GET /__admin/logs unchanged, or leave cursor out for the newest page.`,
  ),
  INVALID_QUERY: defineError(
    'US_OBSERVABILITY_INVALID_QUERY',
    400,
    (problem: string) => `Invalid query: ${problem}.`,
  ),
  TRACE_NOT_FOUND: defineError(
    'US_OBSERVABILITY_TRACE_NOT_FOUND',
    404,
    (traceId: string) => `No trace "${traceId}" in the tracing store (never seen, or evicted). List stored traces with GET /__admin/tracing/traces.`,
  ),
  NO_TRACER: defineError(
    'US_OBSERVABILITY_NO_TRACER',
    409,
    () => 'The critical path needs the tracing plugin: add "tracing" to the plugins (the mesh preset has it).',
  ),
  UNKNOWN_SERVICE: defineError(
    'US_OBSERVABILITY_UNKNOWN_SERVICE',
    404,
    (service: string, known: string[]) =>
      `No requests of service "${service}" have been seen. Known: ${known.length ? known.slice(0, 20).join(', ') : '(none yet — send some traffic first)'}.`,
  ),
} as const;
