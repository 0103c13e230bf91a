// The observability plugin's config: the log store's bounds and what it records, the
// metrics' prefix, histogram buckets and label cardinality caps, the windows' resolution
// and retention, and the SLOs used when the health plugin is not loaded.
import { Type, type Static } from '@understudy/plugin-sdk';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const LevelSchema = Type.Union(LEVELS.map((l) => Type.Literal(l)));

/** Prometheus' default buckets (seconds) plus a few below 5 ms, where mock services answer. */
export const DEFAULT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const SloSchema = Type.Object(
  {
    objective: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'share of requests that must succeed, e.g. 0.999' }),
    p99Ms: Type.Optional(Type.Number({ minimum: 0, description: 'latency objective (p99, ms), shown next to the burn rate' })),
  },
  { additionalProperties: false },
);

export const ObservabilityConfigSchema = Type.Object(
  {
    logs: Type.Object(
      {
        maxRecords: Type.Integer({ minimum: 1, default: 100_000, description: 'log records kept; the oldest go first (counted)' }),
        maxBytes: Type.Integer({ minimum: 65_536, default: 64 * 1024 * 1024, description: 'estimated bytes of the kept records together' }),
        exchanges: Type.Union([Type.Literal('all'), Type.Literal('errors'), Type.Literal('none')], {
          default: 'all',
          description: "which exchanges get a log record: every one, only failed ones (5xx, faults, 4xx at warn), or none",
        }),
        exchangeLevel: Type.Union([LevelSchema], { default: 'info', description: 'level of a successful exchange (failures: 4xx warn, 5xx and faults error)' }),
        events: Type.Boolean({ default: true, description: 'log every event of the kernel event bus' }),
        forward: Type.Boolean({ default: false, description: "also write every stored record through the plugin's pino logger (the kernel's log output)" }),
        maxPageSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000, description: 'largest limit a query may ask for' }),
      },
      { additionalProperties: false, default: {} },
    ),
    metrics: Type.Object(
      {
        prefix: Type.String({ pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$', default: 'understudy_', description: 'prefix of every metric name' }),
        buckets: Type.Array(Type.Number({ exclusiveMinimum: 0 }), {
          minItems: 1,
          maxItems: 40,
          default: DEFAULT_BUCKETS,
          description: 'latency histogram upper bounds in seconds, ascending',
        }),
        maxServices: Type.Integer({ minimum: 1, default: 500, description: 'distinct service label values; more fall into service="other" (counted)' }),
        maxEndpointsPerService: Type.Integer({ minimum: 1, default: 100, description: 'distinct endpoint label values per service; more fall into endpoint="other" (counted)' }),
        maxSeriesPerMetric: Type.Integer({ minimum: 1, default: 20_000, description: 'series of one gauge read from another plugin (instances, breakers); more are left out (counted)' }),
      },
      { additionalProperties: false, default: {} },
    ),
    windows: Type.Object(
      {
        resolutionMs: Type.Integer({ minimum: 100, default: 10_000, description: 'length of one time bucket of the per-service windows' }),
        retentionMs: Type.Integer({ minimum: 1000, default: 3_600_000, description: 'how far back windows reach (the longest burn-rate window must fit)' }),
        maxSeries: Type.Integer({ minimum: 1, default: 2000, description: 'windowed (service, endpoint, version) series; more are not windowed (counted)' }),
      },
      { additionalProperties: false, default: {} },
    ),
    slo: Type.Object(
      {
        objective: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'objective of a service no SLO names (health off)' }),
        services: Type.Record(Type.String(), SloSchema, { default: {}, description: 'per-service SLOs used when the health plugin is not loaded' }),
        windows: Type.Array(Type.Integer({ minimum: 1000 }), { minItems: 1, maxItems: 6, default: [300_000, 3_600_000], description: 'burn-rate windows (ms), shortest first' }),
        pageBurnRate: Type.Number({ exclusiveMinimum: 0, default: 14.4, description: 'burn rate above which every window alerts (Google SRE: 2% of a 30-day budget in 1 h)' }),
      },
      { additionalProperties: false, default: {} },
    ),
    analysis: Type.Object(
      {
        significantDigits: Type.Integer({ minimum: 1, maximum: 5, default: 2, description: 'HDR histogram precision of the percentiles' }),
        chartPoints: Type.Integer({ minimum: 2, maximum: 1000, default: 120, description: 'most points a latency chart draws per line' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type ObservabilityConfig = Static<typeof ObservabilityConfigSchema>;
export type Slo = Static<typeof SloSchema>;
export { LEVELS };
