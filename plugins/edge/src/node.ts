// One edge node: owns a group of devices, queues their telemetry within its budget and
// runs the pipeline — filters → windows → anomaly detection → rules — publishing only
// aggregates and alerts upstream (selective sync: raw readings never leave the node).
import type { Commands, CommandTarget } from '@understudy/plugin-commands';
import { RingBuffer, type EventMap, type EventType } from '@understudy/plugin-sdk';
import { ZScoreDetector } from './anomaly.js';
import { Budget } from './budget.js';
import { createFilter, type ReadingFilter } from './filters.js';
import { LatencyTracker } from './latency.js';
import { countMembers, memberTest, type FleetLookup } from './membership.js';
import { decimalsOf, MAX_DECIMALS, roundTo, type Parsed } from './reading.js';
import { RuleEngine, type Firing } from './rules.js';
import { resolveBudget, type ResolvedNode } from './spec.js';
import type { AggregateMessage, AlertMessage, BudgetSpec, EdgeNodeView, NodeCounters, RuleTarget, WindowSpec } from './contract.js';
import { WindowAggregator, type WindowResult } from './windows.js';

/** The part of the `commands` service rules use. */
export type CommandSender = Pick<Commands, 'send'>;

export interface NodeDeps {
  now(): number;
  /** Publish upstream; rejects when the broker refused it. */
  publish(topic: string, message: object): Promise<void>;
  /** Emit one of the edge.* events (declared in contract.ts). */
  emit<K extends EventType>(type: K, data: EventMap[K]): void;
  fleet: FleetLookup | undefined;
  commands(): CommandSender | undefined;
  topicPrefix: string;
  tickMs: number;
  latencyTargetMs: number;
  history: { aggregates: number; alerts: number };
}

interface Queued {
  deviceId: string;
  sensor: string;
  series: string;
  value: number;
  enqueuedAt: number;
}

/** z-scores are published with 2 decimals. */
const Z_DECIMALS = 2;

const newCounters = (): NodeCounters => ({
  received: 0,
  invalid: 0,
  skipped: 0,
  overLimit: 0,
  dropped: 0,
  sampledOut: 0,
  processed: 0,
  filtered: 0,
  aggregates: 0,
  alerts: 0,
  forwarded: 0,
  forwardErrors: 0,
  rulesFired: 0,
  rulesWithoutCommands: 0,
  ruleErrors: 0,
});

export class EdgeNode {
  readonly id: string;
  private readonly counters = newCounters();
  private readonly isMember: (deviceId: string) => boolean;
  private readonly sensors: Set<string> | undefined;
  private readonly budget: Budget<Queued>;
  private readonly filters: ReadingFilter[];
  private readonly detector: ZScoreDetector | undefined;
  private readonly rules: RuleEngine;
  private readonly latency: LatencyTracker;
  /** Per sensor, one aggregator per window spec. */
  private readonly windows = new Map<string, WindowAggregator[]>();
  private readonly series = new Set<string>();
  /** Per sensor, the most decimals a reading was written with: its precision. */
  private readonly precision = new Map<string, number>();
  private readonly devicesSeen = new Set<string>();
  private readonly recentAggregates: RingBuffer<AggregateMessage>;
  private readonly recentAlerts: RingBuffer<AlertMessage>;

  constructor(
    private readonly spec: ResolvedNode,
    private readonly deps: NodeDeps,
  ) {
    this.id = spec.id;
    this.isMember = memberTest(spec.devices, deps.fleet);
    this.sensors = spec.sensors && new Set(spec.sensors);
    this.budget = new Budget(spec.budget, deps.now(), deps.tickMs);
    this.filters = spec.pipeline.filters.map(createFilter);
    this.detector = spec.pipeline.anomaly && new ZScoreDetector(spec.pipeline.anomaly);
    this.rules = new RuleEngine(spec.pipeline.rules, spec.maxSeries);
    this.latency = new LatencyTracker(deps.latencyTargetMs);
    this.recentAggregates = new RingBuffer(deps.history.aggregates);
    this.recentAlerts = new RingBuffer(deps.history.alerts);
  }

  owns(deviceId: string, sensor: string): boolean {
    return (!this.sensors || this.sensors.has(sensor)) && this.isMember(deviceId);
  }

  /** A telemetry message of one of this node's devices. */
  receive(deviceId: string, sensor: string, parsed: Parsed): void {
    const c = this.counters;
    c.received++;
    if (parsed.kind === 'invalid') return void c.invalid++;
    if (parsed.kind === 'skipped') return void c.skipped++;
    const series = `${deviceId}\u0000${sensor}`;
    if (!this.series.has(series)) {
      const newSensor = !this.windows.has(sensor);
      if (this.series.size >= this.spec.maxSeries || (newSensor && this.windows.size >= this.spec.maxSensors)) return void c.overLimit++;
      this.series.add(series);
      this.devicesSeen.add(deviceId);
      if (newSensor) this.windows.set(sensor, this.spec.pipeline.windows.map((w) => new WindowAggregator(w.sizeMs, w.slideMs)));
    }
    const decimals = decimalsOf(parsed.value);
    if (decimals > (this.precision.get(sensor) ?? -1)) this.precision.set(sensor, decimals);
    const now = this.deps.now();
    const { started } = this.budget.offer({ deviceId, sensor, series, value: parsed.value, enqueuedAt: now });
    this.syncBudgetCounters();
    if (started) this.exceeded(now);
    this.drain(now);
  }

  /** Every tick of the kernel clock: process what the rate allows, close due windows. */
  tick(now: number): void {
    this.drain(now);
    // every reading that arrived before the oldest queued one is processed: windows ending by then are complete
    this.closeWindows(this.budget.peek()?.enqueuedAt ?? now, now);
  }

  setBudget(change: Partial<BudgetSpec>): BudgetSpec {
    const now = this.deps.now();
    const was = this.budget.overloaded;
    // the spec changes once the queue has taken the new budget (the schema checked it whole)
    const next = resolveBudget(change, this.spec.budget);
    this.budget.configure(next, now);
    this.spec.budget = next;
    this.syncBudgetCounters();
    if (this.budget.overloaded && !was) this.exceeded(now);
    this.drain(now);
    return this.budget.settings;
  }

  view(): EdgeNodeView {
    const c = this.counters;
    return {
      id: this.id,
      spec: structuredClone(this.spec),
      devices: countMembers(this.spec.devices, this.deps.fleet, this.isMember),
      devicesSeen: this.devicesSeen.size,
      budget: this.budget.settings,
      queue: { depth: this.budget.depth, overloaded: this.budget.overloaded },
      counters: { ...c },
      forwardRatio: c.received ? c.forwarded / c.received : 0,
      filters: this.filters.map((f) => ({ kind: f.kind, held: f.held })),
      latency: this.latency.stats(),
    };
  }

  aggregates(sensor?: string, limit = 50): AggregateMessage[] {
    const all = this.recentAggregates.toArray();
    return (sensor === undefined ? all : all.filter((a) => a.sensor === sensor)).slice(-limit);
  }

  alerts(limit = 50): AlertMessage[] {
    return this.recentAlerts.toArray().slice(-limit);
  }

  /** The node is removed: queued readings are let go. */
  dispose(): void {
    this.budget.clear();
  }

  private syncBudgetCounters(): void {
    this.counters.dropped = this.budget.dropped;
    this.counters.sampledOut = this.budget.sampledOut;
  }

  private exceeded(now: number): void {
    const b = this.budget.settings;
    this.deps.emit('edge.budgetExceeded', {
      node: this.id,
      at: now,
      overflow: b.overflow,
      queueLength: b.queueLength,
      ratePerSecond: b.ratePerSecond,
      depth: this.budget.depth,
    });
  }

  private drain(now: number): void {
    for (let item = this.budget.take(now); item; item = this.budget.take(now)) this.process(item, now);
    if (this.budget.recovered()) {
      this.deps.emit('edge.budgetRecovered', { node: this.id, at: now, depth: this.budget.depth, dropped: this.budget.dropped, sampledOut: this.budget.sampledOut });
    }
  }

  private process(r: Queued, now: number): void {
    this.counters.processed++;
    this.latency.record(now - r.enqueuedAt);
    for (const f of this.filters) {
      if (!f.pass(r.series, r.value)) return void this.counters.filtered++;
    }
    // windows are keyed by arrival time, so a queued reading still counts where it arrived
    for (const w of this.windows.get(r.sensor)!) w.add(r.enqueuedAt, r.value, r.deviceId);
    const anomaly = this.detector?.check(r.series, r.value);
    if (anomaly) {
      const d = this.derivedDecimals(r.sensor);
      const rounded = { value: anomaly.value, z: roundTo(anomaly.z, Z_DECIMALS), mean: roundTo(anomaly.mean, d), std: roundTo(anomaly.std, d) };
      const alert: AlertMessage = { kind: 'anomaly', node: this.id, deviceId: r.deviceId, sensor: r.sensor, ...rounded, at: now };
      this.alert(alert);
      this.deps.emit('edge.alert', alert);
      this.fire(this.rules.onAnomaly(r.deviceId, r.sensor, r.value, now), now);
    }
    this.fire(this.rules.onReading(r.deviceId, r.sensor, r.value, now), now);
  }

  private closeWindows(watermark: number, now: number): void {
    const specs = this.spec.pipeline.windows;
    for (const [sensor, aggregators] of this.windows) {
      aggregators.forEach((aggregator, i) => {
        for (const result of aggregator.close(watermark)) this.aggregate(sensor, specs[i], result, now);
      });
    }
  }

  /**
   * Decimals of a number derived from a sensor's readings: one more than the readings have —
   * a mean of 0/1 motion readings is 0.3, not 0 — and no float noise.
   */
  private derivedDecimals(sensor: string): number {
    return (this.precision.get(sensor) ?? MAX_DECIMALS) + 1;
  }

  private aggregate(sensor: string, spec: WindowSpec, result: WindowResult, now: number): void {
    // what is published is what rules compare: the mean at the sensor's precision
    result.mean = roundTo(result.mean, this.derivedDecimals(sensor));
    const message: AggregateMessage = {
      node: this.id,
      sensor,
      window: { kind: spec.kind, start: result.start, end: result.end, sizeMs: spec.sizeMs },
      ...Object.fromEntries(spec.aggregates.map((a) => [a, result[a]])),
      devices: result.devices.size,
    };
    this.recentAggregates.push(message);
    this.counters.aggregates++;
    this.forward(`${this.deps.topicPrefix}/${this.id}/aggregates/${sensor}`, message);
    this.fire(this.rules.onAggregate(sensor, result, spec.aggregates, now), now);
  }

  private alert(alert: AlertMessage): void {
    this.recentAlerts.push(alert);
    this.counters.alerts++;
    this.forward(`${this.deps.topicPrefix}/${this.id}/alerts`, alert);
  }

  private forward(topic: string, message: object): void {
    this.counters.forwarded++;
    this.deps.publish(topic, message).catch(() => {
      this.counters.forwardErrors++;
    });
  }

  /** Send each firing's command (when the commands plugin is loaded) and report it upstream. */
  private fire(firings: Firing[], now: number): void {
    for (const f of firings) {
      const c = this.counters;
      c.rulesFired++;
      const params = f.rule.command.params ?? {};
      const commands = this.deps.commands();
      const commandIds: string[] = [];
      let error: string | undefined;
      if (!commands) c.rulesWithoutCommands++;
      else {
        try {
          const sent = commands.send({ target: this.target(f.target, f.deviceIds), name: f.rule.command.name, params, origin: `edge:${this.id}` });
          for (const command of sent) commandIds.push(command.id);
        } catch (err) {
          c.ruleErrors++;
          error = (err as Error).message;
        }
      }
      const sent = commands !== undefined && error === undefined;
      const alert: AlertMessage = {
        kind: 'rule',
        node: this.id,
        rule: f.rule.name,
        trigger: f.trigger,
        sensor: f.sensor,
        value: f.value,
        deviceIds: f.deviceIds,
        command: { name: f.rule.command.name, params, target: f.target },
        sent,
        commandIds,
        ...(error !== undefined && { error }),
        at: now,
      };
      this.alert(alert);
      const { kind: _kind, ...fired } = alert;
      this.deps.emit('edge.ruleFired', fired);
    }
  }

  /** `source`: the device behind the trigger, or every device of a window (mean, count). */
  private target(target: RuleTarget, deviceIds: string[]): CommandTarget {
    if (target !== 'source') return target;
    return deviceIds.length === 1 ? { deviceId: deviceIds[0] } : { selector: { ids: deviceIds } };
  }
}
