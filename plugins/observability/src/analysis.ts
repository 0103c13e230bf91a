// Performance analysis over the statistics: latency percentiles per endpoint from the HDR
// histograms (since start), the slowest endpoints, and error-budget burn rates per SLO over
// the configured windows, as Google SRE's multiwindow, multi-burn-rate alerts read them:
//   burn rate = error ratio over the window / (1 − objective)
// (1 spends the budget exactly over the SLO period; 14.4 spends 2% of a 30-day budget in
// an hour). A service pages when every window burns faster than `pageBurnRate`.
import type { HealthService } from '@understudy/plugin-health';
import type { ObservabilityConfig } from './config.js';
import type { Stats } from './stats.js';

export interface EndpointLatency {
  service: string;
  endpoint: string;
  requests: number;
  errors: number;
  errorRate: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export function burnRate(errorRatio: number, objective: number): number {
  return errorRatio / (1 - objective);
}

const ms = (us: number) => us / 1000;

export function endpointLatencies(stats: Stats, service?: string): EndpointLatency[] {
  const out: EndpointLatency[] = [];
  for (const s of stats.services) {
    if (service !== undefined && s.name !== service) continue;
    for (const e of s.list) {
      if (e.count === 0 || !e.hasHistogram()) continue;
      const h = e.histogram();
      out.push({
        service: s.name,
        endpoint: e.label,
        requests: e.count,
        errors: e.errors,
        errorRate: e.errors / e.count,
        meanMs: e.sumMs / e.count,
        p50Ms: ms(h.getValueAtPercentile(50)),
        p90Ms: ms(h.getValueAtPercentile(90)),
        p99Ms: ms(h.getValueAtPercentile(99)),
        p999Ms: ms(h.getValueAtPercentile(99.9)),
        maxMs: ms(h.maxValue),
      });
    }
  }
  return out;
}

export type SlowBy = 'p50' | 'p90' | 'p99' | 'mean' | 'max';
const KEY: Record<SlowBy, keyof EndpointLatency> = { p50: 'p50Ms', p90: 'p90Ms', p99: 'p99Ms', mean: 'meanMs', max: 'maxMs' };

export function slowest(stats: Stats, by: SlowBy, limit: number): EndpointLatency[] {
  const key = KEY[by];
  return endpointLatencies(stats)
    .sort((a, b) => (b[key] as number) - (a[key] as number) || a.service.localeCompare(b.service) || a.endpoint.localeCompare(b.endpoint))
    .slice(0, limit);
}

export interface BurnWindow {
  windowMs: number;
  requests: number;
  errors: number;
  errorRate: number;
  burnRate: number;
}

export interface SloReport {
  service: string;
  /** Where the objective came from: health's SLO of the service, this plugin's config, or its default. */
  source: 'health' | 'config' | 'default';
  objective: number;
  errorBudget: number;
  p99Ms?: number;
  windows: BurnWindow[];
  /** Every window burns faster than pageBurnRate. */
  alert: 'page' | 'none';
}

export function sloReports(stats: Stats, config: ObservabilityConfig, now: number, health?: HealthService, only?: string): SloReport[] {
  const names = new Set(stats.services.map((s) => s.name));
  const healthOf = new Map((health?.services() ?? []).map((h) => [h.service, h]));
  for (const name of healthOf.keys()) names.add(name);
  const out: SloReport[] = [];
  for (const service of [...names].sort()) {
    if (only !== undefined && service !== only) continue;
    let objective = config.slo.objective;
    let source: SloReport['source'] = 'default';
    let p99Ms: number | undefined;
    const fromHealth = healthOf.get(service);
    const fromConfig = config.slo.services[service];
    if (fromHealth) {
      objective = 1 - fromHealth.slo.errorRate;
      p99Ms = fromHealth.slo.p99Ms;
      source = 'health';
    } else if (fromConfig) {
      objective = fromConfig.objective;
      p99Ms = fromConfig.p99Ms;
      source = 'config';
    }
    const windows = config.slo.windows.map((windowMs) => {
      const w = stats.windowStats(service, windowMs, now);
      return { windowMs, requests: w.requests, errors: w.errors, errorRate: w.errorRate, burnRate: objective < 1 ? burnRate(w.errorRate, objective) : w.errors > 0 ? Number.MAX_VALUE : 0 };
    });
    const alert = windows.length > 0 && windows.every((w) => w.requests > 0 && w.burnRate > config.slo.pageBurnRate) ? 'page' : 'none';
    out.push({ service, source, objective, errorBudget: 1 - objective, ...(p99Ms === undefined ? {} : { p99Ms }), windows, alert });
  }
  return out;
}
