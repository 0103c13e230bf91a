// Every error the tracing plugin raises. Codes are stable (`US_TRACING_…`).
import { defineError } from '@understudy/plugin-sdk';

export const TracingErrors = {
  TRACE_NOT_FOUND: defineError(
    'US_TRACING_TRACE_NOT_FOUND',
    404,
    (id: string) => `No stored trace "${id}" (it may have been evicted). List traces with GET /__admin/tracing/traces.`,
  ),
} as const;
