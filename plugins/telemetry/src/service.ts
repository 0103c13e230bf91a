// The `telemetry` service: the store, the counters, the live simulation and capture of
// devices' own publishes, plus pure generation of series.
import { createRandom, type Clock, type PluginEvents, type Random } from '@understudy/plugin-sdk';
import { deviceTopics, type Fleet } from '@understudy/plugin-fleet';
import type { Broker, MqttMessage } from '@understudy/plugin-mqtt';
import { parseCaptured } from './capture.js';
import type { TelemetryConfig } from './config.js';
import { Counters } from './counters.js';
import { TelemetryErrors } from './errors.js';
import { OverflowReporter } from './overflow.js';
import { isSensorName, SENSOR_NAMES, sensorInfo } from './sensors/index.js';
import { Simulator } from './simulator.js';
import { resolveSpec } from './specs.js';
import { ReadingStore } from './store.js';
import { SensorStream, type StreamSpec } from './stream.js';
import type { Reading, ReadingQuery, SensorInfo, SeriesOptions, Telemetry, TelemetryStats } from './contract.js';

/** Most readings one series() call generates. */
export const MAX_SERIES_READINGS = 100_000;

export interface TelemetryServiceOptions {
  /** The plugin's name: its random stream is derived from the run seed and this name. */
  name: string;
  config: TelemetryConfig;
  specsByType: Map<string, StreamSpec[]>;
  clock: Clock;
  random: Random;
  events: PluginEvents;
  fleet: Fleet;
  broker: Broker;
}

export class TelemetryService implements Telemetry {
  readonly store: ReadingStore;
  readonly counters = new Counters();
  private readonly overflow: OverflowReporter;
  private simulator?: Simulator;
  private uncapture?: () => void;
  private reportedDrops = 0;

  constructor(private readonly o: TelemetryServiceOptions) {
    this.store = new ReadingStore(o.config.buffer.capacity, o.config.buffer.maxBytes);
    this.overflow = new OverflowReporter(o.clock, o.events, o.config.overflowEventIntervalMs);
  }

  start(): void {
    const { config } = this.o;
    if (config.enabled) {
      this.simulator = new Simulator({
        fleet: this.o.fleet,
        clock: this.o.clock,
        random: this.o.random,
        specsByType: this.o.specsByType,
        qos: config.qos,
        offlineCapacity: config.offlineBuffer,
        overflow: this.overflow,
        onReading: (r) => {
          this.counters.onGenerated(r);
          this.keep(r);
        },
        onPublished: (r) => this.counters.onPublished(r),
        onOfflineDropped: () => this.counters.offlineDropped++,
      });
      this.simulator.start();
    }
    if (config.capture) this.uncapture = this.o.broker.subscribe(deviceTopics.telemetry.filter(), (m) => this.capture(m));
    this.o.events.emit('telemetry.started', { devices: this.simulator?.devices ?? 0, streams: this.simulator?.streams ?? 0, capture: config.capture });
  }

  stop(): void {
    this.uncapture?.();
    this.uncapture = undefined;
    if (!this.simulator) return;
    this.simulator.stop();
    this.simulator = undefined;
    this.o.events.emit('telemetry.stopped', { generated: this.counters.generated, published: this.counters.published });
  }

  readings(query: ReadingQuery = {}): Reading[] {
    return this.store.query(query).readings;
  }

  stats(): TelemetryStats {
    const c = this.counters;
    return {
      devices: this.simulator?.devices ?? 0,
      streams: this.simulator?.streams ?? 0,
      generated: c.generated,
      published: c.published,
      captured: c.captured,
      captureRejected: c.captureRejected,
      stored: this.store.length,
      capacity: this.store.capacity,
      bytes: this.store.bytes,
      maxBytes: this.store.maxBytes,
      dropped: this.store.dropped,
      offlineBuffered: this.simulator?.offlineBuffered ?? 0,
      offlineDropped: c.offlineDropped,
      bySensor: c.bySensor,
    };
  }

  sensors(): SensorInfo[] {
    return sensorInfo();
  }

  /** Model names and sensors seen from captured devices: what a query may filter on. */
  knownSensors(): string[] {
    return [...new Set([...SENSOR_NAMES, ...this.counters.sensorsSeen()])];
  }

  series(options: SeriesOptions): Reading[] {
    const { deviceId, sensor, from, to, type } = options;
    if (!isSensorName(sensor)) throw new TelemetryErrors.UNKNOWN_SENSOR(String(sensor), SENSOR_NAMES);
    if (from > to) throw new TelemetryErrors.BAD_RANGE(from, to);
    // a configured device type lends its spec, so series() reproduces what that type publishes
    const configured = type === undefined ? undefined : this.o.specsByType.get(type)?.find((s) => s.sensor === sensor);
    const intervalMs = options.intervalMs ?? configured?.intervalMs;
    if (intervalMs !== undefined && !(intervalMs >= 1)) throw new TelemetryErrors.BAD_PARAMS(sensor, [`intervalMs: must be >= 1, got ${intervalMs}`]);
    const { spec, problems } = resolveSpec({ sensor, intervalMs, params: options.params, anomalies: options.anomalies ?? configured?.anomalies }, configured?.params);
    if (problems.length) throw new TelemetryErrors.BAD_PARAMS(sensor, problems);
    const points = Math.floor((to - from) / spec.intervalMs) + 1;
    if (points > MAX_SERIES_READINGS) throw new TelemetryErrors.SERIES_TOO_LONG(points, MAX_SERIES_READINGS);
    const base = options.seed === undefined ? this.o.random : createRandom(options.seed, this.o.name);
    const stream = new SensorStream(deviceId, spec, base.fork(`${deviceId}/${sensor}`), type);
    const readings: Reading[] = [];
    for (let t = from; t <= to; t += spec.intervalMs) readings.push(stream.next(t).reading);
    return readings;
  }

  private capture(message: MqttMessage): void {
    const where = deviceTopics.telemetry.parse(message.topic);
    if (!where || this.simulator?.isSimulated(where.deviceId, where.sensor)) return;
    const reading = parseCaptured(where.deviceId, where.sensor, message.payload, this.o.clock.now());
    if (!reading) {
      this.counters.captureRejected++;
      return;
    }
    const type = this.o.fleet.get(where.deviceId)?.type;
    if (type !== undefined) reading.type = type;
    this.counters.onCaptured(reading);
    this.keep(reading);
  }

  private keep(reading: Reading): void {
    this.store.push(reading);
    if (this.store.dropped > this.reportedDrops) {
      this.reportedDrops = this.store.dropped;
      this.overflow.dropped('store', { dropped: this.store.dropped, capacity: this.store.capacity });
    }
  }
}
