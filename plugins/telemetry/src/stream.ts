// One device's sensor: its model's state, its anomaly state, its sequence number and the
// out-of-order reading it holds back. Used by the live simulation and by series() alike,
// so both produce the same readings from the same random stream.
import type { Random } from '@understudy/plugin-sdk';
import { deviceTopics } from '@understudy/plugin-fleet';
import { applyAnomalies, newAnomalyState } from './anomalies.js';
import { clamp, round } from './sensors/math.js';
import type { Params, SensorModel } from './sensors/model.js';
import type { AnomalyProbabilities, GpsValue, ModelValue, Reading, SensorName } from './contract.js';

export interface StreamSpec {
  sensor: SensorName;
  model: SensorModel<any, any>;
  params: Params;
  intervalMs: number;
  anomalies: AnomalyProbabilities;
}

/** A generated reading and the readings to publish now, in order (none for a dropout). */
export interface Step {
  reading: Reading;
  send: Reading[];
}

export class SensorStream {
  readonly topic: string;
  private seq = 0;
  private lastT?: number;
  private state: unknown;
  private readonly anomalyState = newAnomalyState();
  private readonly anomalyRandom: Random;
  private held?: Reading;

  /** `random` is this device + sensor's own stream; anomalies draw from a fork of it. */
  constructor(
    readonly deviceId: string,
    readonly spec: StreamSpec,
    private readonly random: Random,
    readonly type?: string,
  ) {
    this.topic = deviceTopics.telemetry.topic(deviceId, spec.sensor);
    this.anomalyRandom = random.fork('anomalies');
  }

  /** The reading at time `t` (the first one is taken as one interval after the model started). */
  next(t: number): Step {
    const { model, params } = this.spec;
    if (this.lastT === undefined) this.state = model.init(params, t - this.spec.intervalMs, this.random);
    const dtMs = this.lastT === undefined ? this.spec.intervalMs : t - this.lastT;
    this.lastT = t;
    const raw = model.sample(params, t, this.state, this.random, dtMs);
    const { value, anomaly } = applyAnomalies(raw, model, this.spec.anomalies, this.anomalyState, this.anomalyRandom, this.held === undefined);
    const reading: Reading = {
      deviceId: this.deviceId,
      sensor: this.spec.sensor,
      ts: t,
      value: finish(value, model),
      unit: model.unit,
      seq: ++this.seq,
      source: 'simulated',
    };
    if (anomaly) reading.anomaly = anomaly;
    if (this.type !== undefined) reading.type = this.type;
    return { reading, send: this.deliver(reading) };
  }

  /** Take the reading held back for out-of-order delivery, if any. */
  release(): Reading | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }

  private deliver(reading: Reading): Reading[] {
    switch (reading.anomaly) {
      case 'dropout':
        return [];
      case 'outOfOrder':
        this.held = reading;
        return [];
      case 'duplicate':
        return this.withHeld([reading, reading]);
      default:
        return this.withHeld([reading]);
    }
  }

  /** A held reading goes out right after the next one: the broker sees seq n+1 before n. */
  private withHeld(send: Reading[]): Reading[] {
    const held = this.release();
    return held ? [...send, held] : send;
  }
}

function finish(value: ModelValue, model: SensorModel<any, any>): ModelValue {
  if (typeof value !== 'number') {
    const gps = value as GpsValue;
    return { lat: round(gps.lat, model.decimals), lon: round(gps.lon, model.decimals) };
  }
  const bounded = model.range ? clamp(value, model.range[0], model.range[1]) : value;
  return round(bounded, model.decimals);
}

/** The JSON payload on the telemetry topic (the documented fields, nothing Understudy-only). */
export function payloadOf(r: Reading): string {
  return JSON.stringify({ deviceId: r.deviceId, sensor: r.sensor, ts: r.ts, value: r.value, unit: r.unit, seq: r.seq });
}
