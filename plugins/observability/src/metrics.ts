// Prometheus metrics with prom-client, on a registry of this plugin's own (never the global
// one). Exchange metrics are not counted through prom-client on the hot path — its inc()
// and observe() hash the label object on every call (≈ 0.5 µs each, measured) — but read
// at scrape time from the accumulators in stats.ts: counters through collect() callbacks,
// the latency histogram through a Histogram whose get() reports them. Gauges read from
// other plugins (cluster, health, breakers, traffic) are collect() callbacks too, so a
// scrape sees their state now and nothing runs between scrapes.
import client from 'prom-client';
import type { Breakers } from '@understudy/plugin-breaker';
import type { Cluster } from '@understudy/plugin-cluster';
import type { HealthService } from '@understudy/plugin-health';
import type { Traffic } from '@understudy/plugin-traffic';
import type { LogStore } from './log-store.js';
import { FAULT_CODE, type ServiceSeries, type Stats } from './stats.js';

export interface MetricSources {
  cluster?: Cluster;
  health?: HealthService;
  breakers?: Breakers;
  traffic?: Traffic;
}

type Labels = Record<string, string>;
type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

/** Numeric values of `understudy_breaker_state`. */
export const BREAKER_STATE_VALUES: Record<string, number> = { CLOSED: 0, OPEN: 1, HALF_OPEN: 2, FORCED_OPEN: 3, DISABLED: 4 };
export const SERVICE_STATUS_VALUES: Record<string, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The request latency histogram, its series read from the accumulators at scrape time. */
class AccumulatedHistogram extends client.Histogram<string> {
  constructor(
    config: client.HistogramConfiguration<string>,
    private readonly read: () => Array<{ labels: Labels; buckets: Float64Array; sum: number; count: number }>,
  ) {
    super(config);
  }

  private values(): Value[] {
    const bounds = (this as unknown as { upperBounds: number[] }).upperBounds;
    const out: Value[] = [];
    const name = (this as unknown as { name: string }).name;
    for (const s of this.read()) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.buckets[i]!;
        out.push({ labels: { ...s.labels, le: bounds[i]! }, value: cumulative, metricName: `${name}_bucket` });
      }
      out.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
      out.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
      out.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    }
    return out;
  }

  async getForPromString() {
    const self = this as unknown as { name: string; help: string; aggregator: client.Aggregator };
    return { name: self.name, help: self.help, type: 'histogram', values: this.values(), aggregator: self.aggregator } as never;
  }

  override async get() {
    return this.getForPromString();
  }
}

export interface MetricsOptions {
  prefix: string;
  bucketsSeconds: number[];
  maxSeriesPerMetric: number;
}

export class Metrics {
  readonly registry = new client.Registry();
  /** Series left out of a gauge read from another plugin, past maxSeriesPerMetric. */
  seriesLeftOut = 0;
  private readonly eventsTotal: client.Counter<string>;
  private readonly recoveryTime: client.Histogram<string>;

  constructor(options: MetricsOptions, stats: Stats, logs: LogStore, sources: MetricSources) {
    const p = options.prefix;
    const registers = [this.registry];
    const cap = options.maxSeriesPerMetric;
    const metricsSelf = this;
    type Fill = (write: (labels: Labels, v: number) => void) => void;
    /** A metric kind whose collect() resets the metric and writes at most `cap` series. */
    const readAtScrape =
      <M extends { reset(): void }>(
        Kind: new (config: client.MetricConfiguration<string> & { collect(this: M): void }) => M,
        write: (metric: M, labels: Labels, v: number) => void,
      ) =>
      (name: string, help: string, labelNames: string[], fill: Fill) =>
        new Kind({
          name: p + name,
          help,
          labelNames,
          registers,
          collect() {
            this.reset();
            let n = 0;
            fill((labels, v) => {
              if (n++ < cap) write(this, labels, v);
              else metricsSelf.seriesLeftOut++;
            });
          },
        });
    const gauge = readAtScrape(client.Gauge<string>, (g, labels, v) => g.set(labels, v));
    const counter = readAtScrape(client.Counter<string>, (c, labels, v) => c.inc(labels, v));

    // ---- RED of real exchanges, per service and endpoint template
    counter('requests_total', 'Requests handled (real exchanges), by service, endpoint template and status code ("fault": no response or a broken connection).', ['service', 'endpoint', 'code'], (inc) => {
      for (const s of stats.services)
        for (const e of s.list) for (const [status, n] of e.codes) inc({ service: s.name, endpoint: e.label, code: status === 0 ? FAULT_CODE : String(status) }, n);
    });
    counter('request_errors_total', 'Requests that failed on the server side (5xx, a fault, or no response), by service and endpoint template.', ['service', 'endpoint'], (inc) => {
      for (const s of stats.services) for (const e of s.list) if (e.count > 0) inc({ service: s.name, endpoint: e.label }, e.errors);
    });
    new AccumulatedHistogram(
      {
        name: p + 'request_duration_seconds',
        help: 'Latency of real exchanges (kernel clock), by service and endpoint template.',
        labelNames: ['service', 'endpoint'],
        buckets: options.bucketsSeconds,
        registers,
      },
      () => {
        const out: Array<{ labels: Labels; buckets: Float64Array; sum: number; count: number }> = [];
        for (const s of stats.services)
          for (const e of s.list) if (e.count > 0) out.push({ labels: { service: s.name, endpoint: e.label }, buckets: e.buckets, sum: e.sumMs / 1000, count: e.count });
        return out;
      },
    );

    // ---- simulated load (the cluster's ticks)
    counter('simulated_requests_total', "Requests of the cluster's load model (demand × tick length, less the real exchanges it already counts), by service.", ['service'], (inc) => {
      for (const s of stats.services) if (s.last) inc({ service: s.name }, s.simRequests);
    });
    counter('simulated_errors_total', "Failed requests of the load model ((demand − served) × tick length), by service.", ['service'], (inc) => {
      for (const s of stats.services) if (s.last) inc({ service: s.name }, s.simErrors);
    });
    const lastTick = (name: string, help: string, read: (l: NonNullable<ServiceSeries['last']>) => number) =>
      gauge(name, help, ['service'], (set) => {
        for (const s of stats.services) if (s.last) set({ service: s.name }, read(s.last));
      });
    lastTick('simulated_demand_rps', "Requests/s offered to the service in the last tick of the load model.", (l) => l.demand);
    lastTick('simulated_served_rps', 'Requests/s answered successfully in the last tick.', (l) => l.served);
    lastTick('simulated_latency_mean_seconds', 'Mean response time of the last tick (service time + queueing).', (l) => l.latencyMs / 1000);
    lastTick('simulated_latency_p99_seconds', 'Estimated 99th percentile response time of the last tick.', (l) => l.p99Ms / 1000);
    lastTick('simulated_utilisation', 'Offered load / capacity of the last tick (above 1: overloaded).', (l) => l.utilisation);
    lastTick('simulated_error_ratio', 'Share of requests failing in the last tick.', (l) => l.errorRate);

    // ---- cluster
    const { cluster, health, breakers, traffic } = sources;
    if (cluster) {
      gauge('cluster_instances', 'Instances by mesh service and lifecycle state.', ['service', 'state'], (set) => {
        for (const w of cluster.workloads()) for (const [state, n] of Object.entries(w.states)) set({ service: w.spec.service, state }, n ?? 0);
      });
      counter('stale_reads_total', 'Reads that saw stale data on a replica of a stateful workload still catching up (simulated and real), by service.', ['service'], (inc) => {
        for (const w of cluster.workloads()) if (w.replication) inc({ service: w.spec.service }, w.replication.staleReads);
      });
      gauge('cluster_nodes', 'Nodes by condition.', ['condition'], (set) => {
        const by: Record<string, number> = { Ready: 0, NotReady: 0 };
        for (const n of cluster.nodes()) by[n.condition] = (by[n.condition] ?? 0) + 1;
        for (const [condition, n] of Object.entries(by)) set({ condition }, n);
      });
      // a gauge: the sum falls when a restarted instance is replaced (a counter must not)
      gauge('cluster_instance_restarts', 'Restarts of the instances that exist now, by service (Kubernetes restartCount, summed).', ['service'], (set) => {
        const by = new Map<string, number>();
        for (const i of cluster.instances()) by.set(i.service, (by.get(i.service) ?? 0) + i.restarts);
        for (const [service, n] of by) set({ service }, n);
      });
    }

    // ---- health
    if (health) {
      counter('health_probe_results_total', 'Probe results by kind (liveness, readiness, startup) and result (passed, failed).', ['probe', 'result'], (inc) => {
        const c = health.counters();
        for (const [probe, r] of Object.entries(c.probes)) {
          inc({ probe, result: 'passed' }, r.passed);
          inc({ probe, result: 'failed' }, r.failed);
        }
      });
      counter('health_restarts_total', 'Restarts health decided (liveness failures and the restart policy).', [], (inc) => inc({}, health.counters().restarts));
      counter('health_incidents_opened_total', 'Incidents opened.', [], (inc) => inc({}, health.counters().incidentsOpened));
      counter('health_incidents_resolved_total', 'Incidents resolved.', [], (inc) => inc({}, health.counters().incidentsResolved));
      gauge('health_incidents_open', 'Incidents open now.', [], (set) => set({}, health.incidents({ status: 'open' }).length));
      gauge('health_service_status', 'Dependency-aware status per service: 0 healthy, 1 degraded, 2 unhealthy.', ['service'], (set) => {
        for (const s of health.services()) set({ service: s.service }, SERVICE_STATUS_VALUES[s.status] ?? 2);
      });
    }
    this.recoveryTime = new client.Histogram({
      name: p + 'health_recovery_time_seconds',
      help: 'Time to recovery of resolved incidents (health.incidentResolved ttrMs).',
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });

    // ---- breakers
    if (breakers) {
      gauge('breaker_state', 'Circuit breaker state: 0 CLOSED, 1 OPEN, 2 HALF_OPEN, 3 FORCED_OPEN, 4 DISABLED.', ['caller', 'service', 'endpoint', 'instance'], (set) => {
        for (const b of breakers.list()) set({ caller: b.caller ?? 'client', service: b.service, endpoint: b.endpoint, instance: b.instance ?? '' }, BREAKER_STATE_VALUES[b.state] ?? -1);
      });
    }

    // ---- traffic
    if (traffic) {
      gauge('traffic_entry_rps', 'Requests/s of each running traffic pattern at its entry point.', ['pattern', 'service'], (set) => {
        for (const pt of traffic.patterns()) set({ pattern: pt.id, service: pt.spec.service }, pt.running ? pt.rps : 0);
      });
      gauge('traffic_service_rps', "Requests/s arriving at each service from traffic's patterns, propagated through the call graph.", ['service'], (set) => {
        for (const [service, rps] of traffic.rates().services) set({ service }, rps);
      });
    }

    // ---- this plugin
    this.eventsTotal = new client.Counter({ name: p + 'events_total', help: 'Events seen on the kernel event bus, by type.', labelNames: ['type'], registers });
    gauge('logs_stored', 'Log records in the store.', [], (set) => set({}, logs.size));
    gauge('logs_bytes', 'Estimated bytes of the stored log records.', [], (set) => set({}, logs.bytes));
    counter('logs_received_total', 'Log records offered to the store.', [], (inc) => inc({}, logs.stats.received));
    counter('logs_dropped_total', 'Log records evicted or refused: reason count (store full), bytes (over maxBytes), too_large (one record over maxBytes).', ['reason'], (inc) => {
      const s = logs.stats;
      inc({ reason: 'count' }, s.dropped - s.droppedForBytes - s.droppedTooLarge);
      inc({ reason: 'bytes' }, s.droppedForBytes);
      inc({ reason: 'too_large' }, s.droppedTooLarge);
    });
    counter('metric_series_overflow_total', 'Label values folded into "other" (services, endpoints), windows not kept, and gauge series left out past the caps.', ['kind'], (inc) => {
      inc({ kind: 'service' }, stats.overflow.services);
      inc({ kind: 'endpoint' }, stats.overflow.endpoints);
      inc({ kind: 'window' }, stats.overflow.windows);
      inc({ kind: 'gauge' }, metricsSelf.seriesLeftOut);
    });
  }

  event(type: string): void {
    this.eventsTotal.inc({ type });
  }

  recovered(ttrMs: number): void {
    this.recoveryTime.observe(ttrMs / 1000);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The sum over the series of `name` whose labels include `labels`; a histogram's `_count`, `_sum` or `_bucket` by its full name. */
  async value(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    let metric = this.registry.getSingleMetric(name);
    let series: string | undefined;
    if (!metric) {
      const m = /^(.*)_(count|sum|bucket)$/.exec(name);
      metric = m ? this.registry.getSingleMetric(m[1]!) : undefined;
      if (!metric) return undefined;
      series = name;
    }
    const got = await metric.get();
    if ((got.type as unknown) === 'histogram') series ??= `${name}_count`;
    let sum = 0;
    let found = false;
    for (const v of got.values as Value[]) {
      if (series !== undefined && v.metricName !== series) continue;
      let ok = true;
      for (const k in labels) if (String((v.labels as Record<string, unknown>)[k]) !== labels[k]) ok = false;
      if (!ok) continue;
      sum += v.value;
      found = true;
    }
    // a known metric with no series yet is 0 when nothing was filtered, unknown otherwise
    if (found) return sum;
    return got.values.length === 0 && Object.keys(labels).length === 0 ? 0 : undefined;
  }
}
