// What every exchange and every cluster tick add up to: per service and endpoint template,
// requests by status code, server errors, a latency histogram (the Prometheus buckets), an
// HDR histogram for percentiles, and per version a time-bucketed window; per service the
// simulated load of the cluster's ticks. One lookup chain per exchange (service → endpoint
// → version), every series created once, with the label cardinality capped: past the
// caps a series falls into `other` (counted).
import hdr from 'hdr-histogram-js';
import type { WindowStats } from './contract.js';
import { bucketOf, FIELD, lognormalShares, quantile, WindowSeries } from './windows.js';

export const OTHER = 'other';
/** The endpoint label of an exchange no endpoint matched (a catch-all 404): never its raw path. */
export const UNMATCHED = '(unmatched)';
/** The service label of an exchange without a service. */
export const NO_SERVICE = '(none)';
/** The code label of an exchange that got no response or a broken connection. */
export const FAULT_CODE = 'fault';

export interface StatsLimits {
  bucketsSeconds: readonly number[];
  maxServices: number;
  maxEndpointsPerService: number;
  resolutionMs: number;
  retentionMs: number;
  maxWindowSeries: number;
  significantDigits: number;
}

export class EndpointSeries {
  /** Requests by status code (0: no response or a fault). */
  readonly codes = new Map<number, number>();
  readonly buckets: Float64Array;
  sumMs = 0;
  count = 0;
  errors = 0;
  private hdr: hdr.Histogram | undefined;
  readonly versions = new Map<string, WindowSeries | null>();

  constructor(
    readonly service: string,
    /** The endpoint's key in the mesh topology (its name or `METHOD path`). */
    readonly key: string,
    /** The endpoint's template label (`GET /orders/:id`). */
    readonly label: string,
    nBuckets: number,
    private readonly digits: number,
  ) {
    this.buckets = new Float64Array(nBuckets + 1);
  }

  /** Latencies in µs, from 1 µs to an hour, at the configured precision. */
  histogram(): hdr.Histogram {
    return (this.hdr ??= hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: this.digits as 1 | 2 | 3 | 4 | 5, bitBucketSize: 32 }));
  }

  hasHistogram(): boolean {
    return this.hdr !== undefined;
  }
}

export class ServiceSeries {
  /** By endpoint key; keys folded into `other` share its series. */
  readonly endpoints = new Map<string, EndpointSeries>();
  /** Each series once. */
  readonly list: EndpointSeries[] = [];
  /** Simulated load by version ('' when the tick named none). */
  readonly simulated = new Map<string, WindowSeries | null>();
  simRequests = 0;
  simErrors = 0;
  /** Real requests and server errors since the last tick (the tick's demand already counts them). */
  realSinceTick = 0;
  realErrorsSinceTick = 0;
  /** The last tick's figures (gauges). */
  last: { demand: number; served: number; latencyMs: number; p99Ms: number; utilisation: number; errorRate: number } | undefined;
  /** Bucket shares of the simulated latency, and the quantised (mean, p99) they were computed for. */
  shares: Float64Array | undefined;
  readonly sharesFor: [number, number] = [NaN, NaN];
  constructor(readonly name: string) {}
}

/** One service's tick of the load model, as this module needs it. */
export interface SimulatedTick {
  service: string;
  demand: number;
  served: number;
  latencyMs: number;
  p99Ms: number;
  utilisation: number;
  errorRate: number;
  readyByVersion: Readonly<Record<string, number>>;
  /** The share of the demand each version takes (a cluster workload: the rollout's weights); absent: by Ready instances. */
  shareByVersion?: Readonly<Record<string, number>>;
  /** Each version's own error ratio (a cluster workload): the service's errors split by share × this. */
  errorRateByVersion?: Readonly<Record<string, number>>;
}

/** A latency in steps of 2% (log scale); 0 and below share one step. */
function quantise(ms: number): number {
  return ms > 0 ? Math.round(Math.log(ms) * 50) : -Infinity;
}

export class Stats {
  /** By service name; names folded into `other` share its series. */
  private readonly byName = new Map<string, ServiceSeries>();
  /** Each series once. */
  readonly services: ServiceSeries[] = [];
  readonly boundsMs: number[];
  readonly overflow = { services: 0, endpoints: 0, windows: 0 };
  private windowSeries = 0;
  private readonly slots: number;

  constructor(
    readonly limits: StatsLimits,
    /** The template label of a service's endpoint key (mesh's topology), when known. */
    private readonly templateOf: (service: string, key: string) => string | undefined,
  ) {
    this.boundsMs = limits.bucketsSeconds.map((s) => s * 1000);
    this.slots = Math.max(1, Math.ceil(limits.retentionMs / limits.resolutionMs));
  }

  private service(name: string): ServiceSeries {
    let s = this.byName.get(name);
    if (s === undefined) {
      if (this.services.length >= this.limits.maxServices && name !== OTHER) {
        this.overflow.services++;
        s = this.service(OTHER);
      } else {
        s = new ServiceSeries(name);
        this.services.push(s);
      }
      this.byName.set(name, s);
    }
    return s;
  }

  /** The series of a service (an overflowed name: `other`'s). */
  get(name: string): ServiceSeries | undefined {
    return this.byName.get(name);
  }

  endpoint(serviceName: string, key: string): EndpointSeries {
    const s = this.service(serviceName);
    let e = s.endpoints.get(key);
    if (e === undefined) {
      if (s.list.length >= this.limits.maxEndpointsPerService && key !== OTHER) {
        this.overflow.endpoints++;
        e = this.endpoint(s.name, OTHER);
      } else {
        const label = s.name === OTHER || key === OTHER ? OTHER : key === UNMATCHED ? UNMATCHED : (this.templateOf(s.name, key) ?? key);
        e = new EndpointSeries(s.name, key, label, this.boundsMs.length, this.limits.significantDigits);
        s.list.push(e);
      }
      s.endpoints.set(key, e);
    }
    return e;
  }

  private window(map: Map<string, WindowSeries | null>, version: string): WindowSeries | null {
    let w = map.get(version);
    if (w === undefined) {
      if (this.windowSeries >= this.limits.maxWindowSeries) {
        this.overflow.windows++;
        w = null;
      } else {
        this.windowSeries++;
        w = new WindowSeries(this.limits.resolutionMs, this.slots, this.boundsMs);
      }
      map.set(version, w);
    }
    return w;
  }

  /** One real exchange (`status` 0: no response or a fault). */
  record(e: EndpointSeries, version: string, status: number, serverError: boolean, durationMs: number, now: number): void {
    e.codes.set(status, (e.codes.get(status) ?? 0) + 1);
    const bucket = bucketOf(this.boundsMs, durationMs);
    e.buckets[bucket]! += 1;
    e.sumMs += durationMs;
    e.count++;
    if (serverError) e.errors++;
    e.histogram().recordValue(Math.max(1, Math.round(durationMs * 1000)));
    const s = this.byName.get(e.service)!;
    s.realSinceTick++;
    if (serverError) s.realErrorsSinceTick++;
    const w = e.versions.get(version) ?? this.window(e.versions, version);
    w?.add(now, durationMs, bucket, serverError);
  }

  /**
   * One service's simulated load over `durationMs`: demand × dt requests less the real ones
   * counted since the last tick (the cluster's demand includes them), (demand − served) × dt
   * errors scaled the same way, spread over the versions by their share of the demand (the
   * rollout's traffic weights, as the load model splits it), else by their Ready instances;
   * the errors by share × each version's own error ratio (the cluster's errorRateByVersion).
   */
  simulate(t: SimulatedTick, at: number, durationMs: number): void {
    const s = this.service(t.service);
    const dt = durationMs / 1000;
    const offered = t.demand * dt;
    const failed = Math.max(0, t.demand - t.served) * dt;
    const requests = Math.max(0, offered - s.realSinceTick);
    const errors = offered > 0 ? Math.min(requests, Math.max(0, failed - s.realErrorsSinceTick)) : 0;
    s.realSinceTick = 0;
    s.realErrorsSinceTick = 0;
    s.simRequests += requests;
    s.simErrors += errors;
    s.last = { demand: t.demand, served: t.served, latencyMs: t.latencyMs, p99Ms: t.p99Ms, utilisation: t.utilisation, errorRate: t.errorRate };
    if (requests <= 0) return;
    // the spread over the buckets is recomputed when the mean or the p99 moved by 2% or more
    // (14 normal CDFs per service per tick otherwise: 4 s of a simulated hour of 1,000 services)
    const qm = quantise(t.latencyMs);
    const qp = quantise(t.p99Ms);
    if (s.sharesFor[0] !== qm || s.sharesFor[1] !== qp) {
      s.shares ??= new Float64Array(this.boundsMs.length + 1);
      lognormalShares(t.latencyMs, t.p99Ms, this.boundsMs, s.shares);
      s.sharesFor[0] = qm;
      s.sharesFor[1] = qp;
    }
    const shares = t.shareByVersion;
    if (shares !== undefined) {
      // errors go where they happen: by share × the version's own error ratio (a bad canary's
      // share of the errors is its own), by share alone when no version says
      const rates = t.errorRateByVersion;
      let weight = 0;
      if (rates !== undefined) for (const v in shares) weight += shares[v]! * (rates[v] ?? 0);
      let spread = false;
      for (const v in shares) {
        const share = shares[v]!;
        if (share <= 0) continue;
        spread = true;
        const errorShare = weight > 0 ? (share * (rates![v] ?? 0)) / weight : share;
        this.window(s.simulated, v)?.addMany(at, requests * share, errors * errorShare, t.latencyMs, s.shares!);
      }
      if (spread) return;
    }
    let ready = 0;
    for (const v in t.readyByVersion) ready += t.readyByVersion[v]!;
    if (ready <= 0) {
      this.window(s.simulated, '')?.addMany(at, requests, errors, t.latencyMs, s.shares!);
      return;
    }
    for (const v in t.readyByVersion) {
      const share = t.readyByVersion[v]! / ready;
      if (share > 0) this.window(s.simulated, v)?.addMany(at, requests * share, errors * share, t.latencyMs, s.shares!);
    }
  }

  /** Requests of a service over the last `windowMs`, real and simulated (an endpoint filter or `simulated: false`: real only). */
  windowStats(service: string, windowMs: number, now: number, options: { version?: string; endpoint?: string; simulated?: boolean } = {}): WindowStats {
    const acc = new Float64Array(FIELD.HIST + this.boundsMs.length + 1);
    const s = this.byName.get(service);
    if (s) {
      for (const e of s.list) {
        if (options.endpoint !== undefined && e.key !== options.endpoint && e.label !== options.endpoint) continue;
        for (const [v, w] of e.versions) if (w && (options.version === undefined || v === options.version)) w.sumInto(now, windowMs, acc);
      }
      if (options.endpoint === undefined && options.simulated !== false) {
        for (const [v, w] of s.simulated) if (w && (options.version === undefined || v === options.version)) w.sumInto(now, windowMs, acc);
      }
    }
    return this.toWindowStats(service, options.version, now - windowMs, now, acc);
  }

  /** Per slot of the window, oldest first (the latency chart): a service's requests, errors and latency percentiles. */
  timeline(service: string, windowMs: number, now: number): Array<{ at: number; requests: number; errors: number; p50Ms: number; p99Ms: number; meanMs: number }> {
    const s = this.byName.get(service);
    const bySlot = new Map<number, Float64Array>();
    const add = (w: WindowSeries | null) => {
      if (!w) return;
      for (const { at, values } of w.slotsWithin(now, windowMs)) {
        const into = bySlot.get(at);
        if (!into) bySlot.set(at, values);
        else for (let i = 0; i < values.length; i++) into[i]! += values[i]!;
      }
    };
    if (s) {
      for (const e of s.list) for (const w of e.versions.values()) add(w);
      for (const w of s.simulated.values()) add(w);
    }
    return [...bySlot.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([at, v]) => ({
        at,
        requests: v[FIELD.REQ]!,
        errors: v[FIELD.ERR]!,
        meanMs: v[FIELD.REQ]! > 0 ? v[FIELD.SUM]! / v[FIELD.REQ]! : 0,
        p50Ms: quantile(0.5, this.boundsMs, v, FIELD.HIST),
        p99Ms: quantile(0.99, this.boundsMs, v, FIELD.HIST),
      }));
  }

  private toWindowStats(service: string, version: string | undefined, fromMs: number, toMs: number, acc: Float64Array): WindowStats {
    const requests = acc[FIELD.REQ]!;
    const errors = acc[FIELD.ERR]!;
    const histogram: Array<[number, number]> = [];
    for (let i = 0; i <= this.boundsMs.length; i++) histogram.push([i < this.boundsMs.length ? this.boundsMs[i]! : Number.POSITIVE_INFINITY, acc[FIELD.HIST + i]!]);
    return {
      service,
      ...(version === undefined ? {} : { version }),
      fromMs,
      toMs,
      requests,
      errors,
      errorRate: requests > 0 ? errors / requests : 0,
      p50Ms: quantile(0.5, this.boundsMs, acc, FIELD.HIST),
      p90Ms: quantile(0.9, this.boundsMs, acc, FIELD.HIST),
      p99Ms: quantile(0.99, this.boundsMs, acc, FIELD.HIST),
      histogram,
    };
  }
}
