// The log query API at /__admin/logs (the path, mounted with ctx.routes): newest
// first, filtered and paginated with a stable cursor; /__admin/logs/export streams the
// matching records oldest first as NDJSON written by pino. Each line with a trace id links
// to its trace in the tracing plugin and back to the logs of that trace.
import { Readable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { errorResponses, Type, type AdminApp } from '@understudy/plugin-sdk';
import type { LogLevel, LogQuery, LogRecord } from './contract.js';
import { levelName } from './levels.js';
import type { LogStore } from './log-store.js';
import { LEVELS } from './config.js';

const LevelSchema = Type.Union(LEVELS.map((l) => Type.Literal(l)));

const filterFields = {
  service: Type.Optional(Type.String({ maxLength: 256, description: 'only records of this service' })),
  kind: Type.Optional(Type.Union([Type.Literal('exchange'), Type.Literal('event'), Type.Literal('log')], { description: "exchanges, events, or other plugins' lines" })),
  event: Type.Optional(Type.String({ maxLength: 256, description: 'one event type, or a prefix ending in "." (health.)' })),
  level: Type.Optional(Type.Union([LevelSchema], { description: 'this level and above' })),
  traceId: Type.Optional(Type.String({ maxLength: 64, description: 'only records of this trace' })),
  q: Type.Optional(Type.String({ maxLength: 256, description: 'substring (case-insensitive) of the message or of any field value' })),
  from: Type.Optional(Type.Number({ description: 'kernel clock ms, inclusive' })),
  to: Type.Optional(Type.Number({ description: 'kernel clock ms, inclusive' })),
};

export interface LogLinks {
  /** Path of a trace's view, when the tracing plugin is loaded. */
  trace?: (traceId: string) => string;
}

/** A record as the API shows it: with links to its trace and to the other logs of that trace. */
export function withLinks(record: LogRecord, links: LogLinks): LogRecord {
  if (typeof record.traceId !== 'string') return record;
  const id = encodeURIComponent(record.traceId);
  return { ...record, links: { ...(links.trace ? { trace: links.trace(record.traceId) } : {}), logs: `/__admin/logs?traceId=${id}` } };
}

/**
 * NDJSON in pino's format: each record written by a pino logger (level number, time, the
 * record's fields, msg) into the export stream. pino's own timestamp is replaced by the
 * record's time (kernel clock).
 */
export function ndjsonLines(records: LogRecord[]): string {
  let out = '';
  let time = 0;
  const logger: Logger = pino(
    { base: null, level: 'trace', timestamp: () => `,"time":${time}`, customLevels: {} },
    { write: (line: string) => (out += line) },
  );
  for (const r of records) {
    const { level, time: t, msg, ...fields } = r;
    time = t;
    const name: LogLevel = levelName(level);
    logger[name](fields, msg);
  }
  return out;
}

export function logRoutes(store: LogStore, links: LogLinks, maxPageSize: number) {
  return async (app: AdminApp) => {
    app.get<{ Querystring: LogQuery }>(
      '/',
      {
        schema: {
          summary: 'Log records, newest first, one page at a time (pass "next" as cursor for the next page)',
          querystring: Type.Object(
            {
              ...filterFields,
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: 100 })),
              cursor: Type.Optional(Type.String({ maxLength: 64, description: 'the "next" of the previous page' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
              next: Type.Optional(Type.String()),
              total: Type.Integer({ description: 'records matching the filters in the store' }),
            }),
            ...errorResponses(400),
          },
        },
      },
      async (req) => {
        const page = store.query(req.query);
        return { ...page, items: page.items.map((r) => withLinks(r, links)) };
      },
    );
    app.get<{ Querystring: Omit<LogQuery, 'limit' | 'cursor'> }>(
      '/export',
      {
        schema: {
          summary: 'The matching records as NDJSON (pino lines), oldest first, streamed',
          querystring: Type.Object(filterFields, { additionalProperties: false }),
          response: { 200: Type.String({ description: 'application/x-ndjson' }), ...errorResponses(400) },
        },
      },
      async (req, reply) => {
        const batches = store.scan(req.query);
        const body = Readable.from(
          (function* () {
            for (const batch of batches) yield ndjsonLines(batch);
          })(),
          { objectMode: false },
        );
        return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', 'attachment; filename="understudy-logs.ndjson"').send(body);
      },
    );
  };
}
