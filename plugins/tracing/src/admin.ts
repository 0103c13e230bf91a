// Control plane under /__admin/tracing: trace queries, views and the service map.
import { type AdminApp, errorResponses, Type } from '@understudy/plugin-sdk';
import type { TraceStore } from './contract.js';
import { TracingErrors } from './errors.js';
import { sequenceDiagram, serviceMapMermaid, spanTree, waterfall } from './views.js';

const TraceParams = Type.Object({ traceId: Type.String() });

const Summary = Type.Object({
  traceId: Type.String(),
  name: Type.String(),
  services: Type.Array(Type.String()),
  spanCount: Type.Integer(),
  start: Type.Number({ description: 'kernel clock ms' }),
  durationMs: Type.Number(),
  error: Type.Boolean(),
});
const TracesQuery = Type.Object(
  {
    service: Type.Optional(Type.String({ description: 'only traces with a span of this service' })),
    error: Type.Optional(Type.Boolean({ description: 'only traces with (true) or without (false) an error span' })),
    minDuration: Type.Optional(Type.Number({ minimum: 0, description: 'ms' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
  },
  { additionalProperties: false },
);
const sideFields = { calls: Type.Integer(), errors: Type.Integer(), p50: Type.Number(), p99: Type.Number() };
const Edge = Type.Object({
  caller: Type.String(),
  service: Type.String(),
  ...sideFields,
  client: Type.Optional(Type.Object(sideFields, { description: "the caller's CLIENT spans" })),
  server: Type.Optional(Type.Object(sideFields, { description: "the callee's SERVER spans" })),
});
const Counters = Type.Object({
  tracesStarted: Type.Integer(),
  tracesContinued: Type.Integer(),
  corruptHeaders: Type.Integer(),
  missingHeaders: Type.Integer(),
  tracestateDropped: Type.Integer(),
  spans: Type.Integer(),
  droppedSpans: Type.Integer(),
  evictedTraces: Type.Integer(),
  evictedForBytes: Type.Integer(),
  truncatedAttributes: Type.Integer(),
  droppedAttributes: Type.Integer(),
  exportedSpans: Type.Integer(),
  exportDroppedSpans: Type.Integer(),
  exportFailedBatches: Type.Integer(),
  exportRetries: Type.Integer(),
});
/** A text view of one trace. */
const text = (summary: string) => ({ summary, params: TraceParams, response: { 200: Type.String(), ...errorResponses(404) } });

export function adminRoutes(tracer: TraceStore, exportQueue: () => number | undefined) {
  const find = (id: string) => {
    const rec = tracer.getTrace(id);
    if (!rec) throw new TracingErrors.TRACE_NOT_FOUND(id);
    return rec;
  };
  return async (app: AdminApp) => {
    app.get<{ Querystring: { service?: string; error?: boolean; minDuration?: number; limit?: number } }>(
      '/traces',
      { schema: { summary: 'Stored traces, newest first', querystring: TracesQuery, response: { 200: Type.Object({ traces: Type.Array(Summary) }) } } },
      async (req) => ({ traces: tracer.findTraces(req.query) }),
    );
    app.get<{ Params: { traceId: string } }>(
      '/traces/:traceId',
      {
        schema: {
          summary: 'One trace: summary and spans as a tree (children nested)',
          params: TraceParams,
          response: { 200: Type.Object({ summary: Summary, droppedSpans: Type.Integer(), spans: Type.Array(Type.Unknown()) }), ...errorResponses(404) },
        },
      },
      async (req) => {
        const rec = find(req.params.traceId);
        return { summary: tracer.summary(rec), droppedSpans: rec.droppedSpans, spans: spanTree(rec) };
      },
    );
    app.get<{ Params: { traceId: string } }>('/traces/:traceId/waterfall', { schema: text('Text waterfall of one trace') }, async (req, reply) =>
      reply.type('text/plain; charset=utf-8').send(waterfall(find(req.params.traceId))),
    );
    app.get<{ Params: { traceId: string } }>('/traces/:traceId/sequence.mmd', { schema: text('Mermaid sequence diagram of one trace') }, async (req, reply) =>
      reply.type('text/vnd.mermaid; charset=utf-8').send(sequenceDiagram(find(req.params.traceId))),
    );
    app.get('/service-map', { schema: { summary: 'Observed calls caller → service', response: { 200: Type.Object({ edges: Type.Array(Edge) }) } } }, async () => ({
      edges: tracer.serviceMap(),
    }));
    app.get('/service-map.mmd', { schema: { summary: 'Observed service map in Mermaid', response: { 200: Type.String() } } }, async (_req, reply) =>
      reply.type('text/vnd.mermaid; charset=utf-8').send(serviceMapMermaid(tracer.serviceMap())),
    );
    app.get(
      '/stats',
      {
        schema: {
          summary: 'Counters, stored traces and their estimated bytes, export queue (spans)',
          response: { 200: Type.Object({ counters: Counters, storedTraces: Type.Integer(), storedBytes: Type.Integer(), exportQueue: Type.Optional(Type.Integer()) }) },
        },
      },
      async () => {
        const { storedTraces, storedBytes, ...counters } = tracer.counters();
        const queue = exportQueue();
        return { counters, storedTraces, storedBytes, ...(queue === undefined ? {} : { exportQueue: queue }) };
      },
    );
  };
}
