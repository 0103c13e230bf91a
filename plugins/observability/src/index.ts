// The observability plugin: a structured log record (pino's shape) for every exchange and
// every event of the kernel event bus in a bounded store with a query API at
// /__admin/logs and NDJSON export; Prometheus metrics at /metrics (prom-client, its own
// registry): RED per service and endpoint template, the cluster's instances and simulated
// load, health's probes, restarts and incidents, breaker states and traffic rates; and
// performance analysis under /__admin/observability. Everything it reads from cluster,
// health, breakers and traffic is optional: with mesh and tracing alone it logs, counts
// and analyses the real exchanges.
import { definePlugin, KernelErrors } from '@understudy/plugin-sdk';
import type { ClusterTick } from '@understudy/plugin-cluster';
import type { LogRecord } from './contract.js';
import { analysisRoutes } from './admin.js';
import { Collector } from './collector.js';
import { ObservabilityConfigSchema, type ObservabilityConfig } from './config.js';
import { eventRecord } from './event-logs.js';
import { LEVEL_VALUES, levelName } from './levels.js';
import { logRoutes } from './log-routes.js';
import { LogStore } from './log-store.js';
import { Metrics } from './metrics.js';
import { FieldsEntry, sizeOfFields } from './records.js';
import { ObservabilityService } from './service.js';
import { Stats } from './stats.js';

export type * from './contract.js';
export { ObservabilityConfigSchema, DEFAULT_BUCKETS, type ObservabilityConfig } from './config.js';
export { ObservabilityErrors } from './errors.js';
export { LogStore, encodeCursor, decodeCursor } from './log-store.js';
export { criticalPath, type CriticalPath, type CriticalHop, type CriticalSegment } from './critical-path.js';
export { latencyChartSvg } from './svg.js';
export { burnRate } from './analysis.js';
export { lognormalShares, quantile } from './windows.js';

/** Problems the schema cannot express, each with its full path. */
export function configProblems(config: ObservabilityConfig): string[] {
  const at = 'plugins.observability';
  const problems: string[] = [];
  const b = config.metrics.buckets;
  for (let i = 1; i < b.length; i++) if (!(b[i]! > b[i - 1]!)) problems.push(`${at}.metrics.buckets[${i}]: must be greater than buckets[${i - 1}] (${b[i - 1]}): bounds ascend`);
  const { resolutionMs, retentionMs } = config.windows;
  if (retentionMs < resolutionMs) problems.push(`${at}.windows.retentionMs: must be >= windows.resolutionMs (${resolutionMs})`);
  const w = config.slo.windows;
  w.forEach((ms, i) => {
    if (ms > retentionMs) problems.push(`${at}.slo.windows[${i}]: ${ms} ms is longer than windows.retentionMs (${retentionMs}): raise the retention or shorten the window`);
    if (i > 0 && !(ms > w[i - 1]!)) problems.push(`${at}.slo.windows[${i}]: must be longer than slo.windows[${i - 1}] (shortest first)`);
  });
  return problems;
}

export default definePlugin({
  name: 'observability',
  version: '0.1.0',
  description: 'Structured logs with correlation ids in a bounded, queryable store, Prometheus metrics at /metrics, and performance analysis: percentiles, slowest endpoints, SLO burn rates, critical paths.',
  optionalDependencies: ['mesh', 'cluster', 'health', 'tracer', 'breakers', 'traffic', 'registry'],
  provides: ['observability'],
  config: ObservabilityConfigSchema,
  register(ctx) {
    const { config } = ctx;
    const problems = configProblems(config);
    if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems);

    const mesh = ctx.resolveOptional('mesh');
    const tracer = ctx.resolveOptional('tracer');
    const cluster = ctx.resolveOptional('cluster');
    const health = ctx.resolveOptional('health');
    const breakers = ctx.resolveOptional('breakers');
    const traffic = ctx.resolveOptional('traffic');

    const store = new LogStore(config.logs.maxRecords, config.logs.maxBytes, config.logs.maxPageSize);
    const templateOf = (service: string, key: string) => {
      const ep = mesh?.topology.services.get(service)?.byKey.get(key);
      return ep ? `${ep.method ?? 'ANY'} ${ep.path}` : undefined;
    };
    const stats = new Stats(
      {
        bucketsSeconds: config.metrics.buckets,
        maxServices: config.metrics.maxServices,
        maxEndpointsPerService: config.metrics.maxEndpointsPerService,
        resolutionMs: config.windows.resolutionMs,
        retentionMs: config.windows.retentionMs,
        maxWindowSeries: config.windows.maxSeries,
        significantDigits: config.analysis.significantDigits,
      },
      templateOf,
    );
    const metrics = new Metrics(
      { prefix: config.metrics.prefix, bucketsSeconds: config.metrics.buckets, maxSeriesPerMetric: config.metrics.maxSeriesPerMetric },
      stats,
      store,
      { cluster, health, breakers, traffic },
    );

    // pino for this plugin's own lines, and for forwarding stored records to the kernel's log
    const out = ctx.logger.child({ component: 'logs' });
    // forwarded lines keep pino's own level/time/msg keys; the record's kernel-clock time is `at`
    const forwardRecord = config.logs.forward
      ? ({ level, time, msg, ...fields }: LogRecord) => out[levelName(level)]({ ...fields, at: time }, msg)
      : undefined;
    const collector = new Collector(stats, store, {
      mode: config.logs.exchanges,
      level: LEVEL_VALUES[config.logs.exchangeLevel],
      now: () => ctx.clock.now(),
      forward: forwardRecord && ((seq: number) => forwardRecord(store.at(seq)!)),
    });
    ctx.hooks.settled.tap('observability', (ex) => collector.settled(ex));

    // the open incident of each service (from health's events), so that every later line of
    // that service — its instances' state changes, breakers, chaos — carries the incident id
    const openIncident = new Map<string, string>();
    ctx.events.subscribe((e) => {
      metrics.event(e.type);
      if (e.type === 'health.incidentOpened') for (const s of e.data.services) openIncident.set(s, e.data.incidentId);
      else if (e.type === 'health.incidentResolved') {
        if (typeof e.data.ttrMs === 'number') metrics.recovered(e.data.ttrMs);
        for (const [s, id] of openIncident) if (id === e.data.incidentId) openIncident.delete(s);
      }
      if (!config.logs.events) return;
      const record = eventRecord(e);
      if (record.incidentId === undefined && record.service !== undefined) {
        const id = openIncident.get(record.service);
        if (id !== undefined) record.incidentId = id;
      }
      store.push(new FieldsEntry(record, sizeOfFields(record)));
      forwardRecord?.(record);
    });

    if (cluster) {
      ctx.pluginHooks('cluster').tick.tap('observability', (tick: ClusterTick) => {
        for (const t of tick.services.values()) stats.simulate(t, tick.at, tick.durationMs);
      });
    }

    const service = new ObservabilityService(store, metrics, stats, ctx.clock, forwardRecord);
    ctx.provide('observability', service);

    const traceLink = tracer ? (id: string) => `/__admin/tracing/traces/${encodeURIComponent(id)}` : undefined;
    ctx.routes('/__admin/logs', logRoutes(store, { trace: traceLink }, config.logs.maxPageSize));
    ctx.routes('/metrics', async (app) => {
      app.get('/', { schema: { summary: 'Prometheus metrics (text exposition format 0.0.4)' } }, async (_req, reply) =>
        reply.type(metrics.registry.contentType).send(await metrics.text()),
      );
    });
    ctx.admin(analysisRoutes({ stats, store, metrics, tracer, health, config, clock: ctx.clock, service }));
  },
});
