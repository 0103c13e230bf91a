// Analysis routes under /__admin/observability: latency percentiles per endpoint, the
// slowest endpoints, SLO burn rates, a trace's critical path, a service's window and its
// latency chart (SVG), one metric's value, and the store's counters.
import { errorResponses, Type, type AdminApp, type Clock } from '@understudy/plugin-sdk';
import type { HealthService } from '@understudy/plugin-health';
import type { TraceStore } from '@understudy/plugin-tracing';
import { endpointLatencies, sloReports, slowest, type SlowBy } from './analysis.js';
import type { ObservabilityConfig } from './config.js';
import { criticalPath } from './critical-path.js';
import { ObservabilityErrors } from './errors.js';
import type { LogStore } from './log-store.js';
import type { Metrics } from './metrics.js';
import type { ObservabilityService } from './service.js';
import type { Stats } from './stats.js';
import { latencyChartSvg } from './svg.js';

export interface AnalysisDeps {
  stats: Stats;
  store: LogStore;
  metrics: Metrics;
  tracer?: TraceStore;
  health?: HealthService;
  config: ObservabilityConfig;
  clock: Clock;
  service: ObservabilityService;
}

const Latency = Type.Object({
  service: Type.String(),
  endpoint: Type.String({ description: 'the endpoint template' }),
  requests: Type.Integer(),
  errors: Type.Integer(),
  errorRate: Type.Number(),
  meanMs: Type.Number(),
  p50Ms: Type.Number(),
  p90Ms: Type.Number(),
  p99Ms: Type.Number(),
  p999Ms: Type.Number(),
  maxMs: Type.Number(),
});
const Hop = Type.Object({
  spanId: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  service: Type.Optional(Type.String()),
  endpoint: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  caller: Type.Optional(Type.String()),
  start: Type.Number(),
  durationMs: Type.Number(),
  selfMs: Type.Number(),
  selfShare: Type.Number(),
  error: Type.Boolean(),
});
const Window = Type.Object({
  service: Type.String(),
  version: Type.Optional(Type.String()),
  fromMs: Type.Number(),
  toMs: Type.Number(),
  requests: Type.Number(),
  errors: Type.Number(),
  errorRate: Type.Number(),
  p50Ms: Type.Number(),
  p90Ms: Type.Number(),
  p99Ms: Type.Number(),
  histogram: Type.Array(Type.Array(Type.Unknown(), { minItems: 2, maxItems: 2 }), { description: '[upper bound ms (null: +Inf), count] per bucket' }),
});
const ServiceParams = Type.Object({ service: Type.String({ maxLength: 256 }) });

export function analysisRoutes(d: AnalysisDeps) {
  const known = () => d.stats.services.map((s) => s.name);
  const requireService = (name: string) => {
    if (!d.stats.get(name)) throw new ObservabilityErrors.UNKNOWN_SERVICE(name, known());
  };
  return async (app: AdminApp) => {
    app.get<{ Querystring: { service?: string } }>(
      '/endpoints',
      {
        schema: {
          summary: 'Latency percentiles per endpoint template (HDR histograms of the real exchanges since start)',
          querystring: Type.Object({ service: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ endpoints: Type.Array(Latency) }) },
        },
      },
      async (req) => ({ endpoints: endpointLatencies(d.stats, req.query.service) }),
    );
    app.get<{ Querystring: { by: SlowBy; limit: number } }>(
      '/slowest',
      {
        schema: {
          summary: 'The slowest endpoints, by a percentile, the mean or the maximum',
          querystring: Type.Object(
            {
              by: Type.Union(['p50', 'p90', 'p99', 'mean', 'max'].map((k) => Type.Literal(k)), { default: 'p99' }),
              limit: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ by: Type.String(), endpoints: Type.Array(Latency) }) },
        },
      },
      async (req) => ({ by: req.query.by, endpoints: slowest(d.stats, req.query.by, req.query.limit) }),
    );
    app.get<{ Querystring: { service?: string } }>(
      '/slo',
      {
        schema: {
          summary: 'Error-budget burn rate per service SLO over each window (burn = error ratio / (1 − objective))',
          querystring: Type.Object({ service: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              pageBurnRate: Type.Number(),
              services: Type.Array(
                Type.Object({
                  service: Type.String(),
                  source: Type.String(),
                  objective: Type.Number(),
                  errorBudget: Type.Number(),
                  p99Ms: Type.Optional(Type.Number()),
                  windows: Type.Array(Type.Object({ windowMs: Type.Integer(), requests: Type.Number(), errors: Type.Number(), errorRate: Type.Number(), burnRate: Type.Number() })),
                  alert: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ pageBurnRate: d.config.slo.pageBurnRate, services: sloReports(d.stats, d.config, d.clock.now(), d.health, req.query.service) }),
    );
    app.get<{ Params: { traceId: string } }>(
      '/traces/:traceId/critical-path',
      {
        schema: {
          summary: "A trace's critical path: the chain of spans it waited on, each with its self time",
          params: Type.Object({ traceId: Type.String({ maxLength: 64 }) }),
          response: {
            200: Type.Object({
              traceId: Type.String(),
              durationMs: Type.Number(),
              path: Type.Array(Hop),
              slowest: Type.Optional(Hop),
              segments: Type.Array(
                Type.Object({
                  spanId: Type.String(),
                  kind: Type.String(),
                  service: Type.Optional(Type.String()),
                  endpoint: Type.Optional(Type.String()),
                  start: Type.Number(),
                  end: Type.Number(),
                  durationMs: Type.Number(),
                }),
              ),
              byService: Type.Array(Type.Object({ service: Type.String(), ms: Type.Number(), share: Type.Number() })),
              links: Type.Object({ trace: Type.String(), logs: Type.String() }),
            }),
            ...errorResponses(404, 409),
          },
        },
      },
      async (req) => {
        if (!d.tracer) throw new ObservabilityErrors.NO_TRACER();
        const { traceId } = req.params;
        const rec = d.tracer.getTrace(traceId);
        if (!rec) throw new ObservabilityErrors.TRACE_NOT_FOUND(traceId);
        const id = encodeURIComponent(traceId);
        return { ...criticalPath(rec), links: { trace: `/__admin/tracing/traces/${id}`, logs: `/__admin/logs?traceId=${id}` } };
      },
    );
    const WindowQuery = Type.Object(
      {
        windowMs: Type.Integer({ minimum: 1, default: 300_000 }),
        version: Type.Optional(Type.String({ maxLength: 128 })),
        endpoint: Type.Optional(Type.String({ maxLength: 512, description: 'an endpoint key or template (real exchanges only)' })),
      },
      { additionalProperties: false },
    );
    app.get<{ Params: { service: string }; Querystring: { windowMs: number; version?: string; endpoint?: string } }>(
      '/services/:service/window',
      {
        schema: {
          summary: "A service's requests over the last windowMs, real and simulated, optionally of one version or endpoint",
          params: ServiceParams,
          querystring: WindowQuery,
          response: { 200: Window, ...errorResponses(404) },
        },
      },
      async (req) => {
        requireService(req.params.service);
        const { windowMs, version, endpoint } = req.query;
        const w = d.service.window(req.params.service, windowMs, { version, endpoint });
        return { ...w, histogram: w.histogram.map(([b, n]) => [Number.isFinite(b) ? b : null, n]) };
      },
    );
    app.get<{ Params: { service: string }; Querystring: { windowMs: number } }>(
      '/services/:service/latency.svg',
      {
        schema: {
          summary: "SVG chart of a service's latency over time (p50, p99, mean per time bucket)",
          params: ServiceParams,
          querystring: Type.Object({ windowMs: Type.Integer({ minimum: 1, default: 3_600_000 }) }, { additionalProperties: false }),
          response: { 200: Type.String({ description: 'image/svg+xml' }), ...errorResponses(404) },
        },
      },
      async (req, reply) => {
        const { service } = req.params;
        requireService(service);
        const points = d.stats.timeline(service, req.query.windowMs, d.clock.now());
        return reply.type('image/svg+xml; charset=utf-8').send(latencyChartSvg(`${service}: latency (ms)`, points, d.config.analysis.chartPoints));
      },
    );
    app.get<{ Params: { name: string }; Querystring: Record<string, string> }>(
      '/metrics/:name',
      {
        schema: {
          summary: "One metric's value, summed over the series whose labels match the query (?service=orders)",
          params: Type.Object({ name: Type.String({ maxLength: 256 }) }),
          querystring: Type.Record(Type.String(), Type.String({ maxLength: 512 })),
          response: { 200: Type.Object({ name: Type.String(), labels: Type.Record(Type.String(), Type.String()), value: Type.Union([Type.Number(), Type.Null()]) }) },
        },
      },
      async (req) => ({ name: req.params.name, labels: req.query, value: (await d.service.metric(req.params.name, req.query)) ?? null }),
    );
    app.get(
      '/stats',
      {
        schema: {
          summary: 'The log store (records, bytes, drops) and the label values folded into "other"',
          response: {
            200: Type.Object({
              logs: Type.Object({ stored: Type.Integer(), bytes: Type.Integer(), received: Type.Integer(), dropped: Type.Integer(), droppedForBytes: Type.Integer(), droppedTooLarge: Type.Integer() }),
              overflow: Type.Object({ services: Type.Integer(), endpoints: Type.Integer(), windows: Type.Integer(), gaugeSeries: Type.Integer() }),
              services: Type.Integer(),
            }),
          },
        },
      },
      async () => ({ logs: d.store.counters(), overflow: { ...d.stats.overflow, gaugeSeries: d.metrics.seriesLeftOut }, services: d.stats.services.length }),
    );
  };
}
