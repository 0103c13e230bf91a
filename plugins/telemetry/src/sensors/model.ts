// The shape every sensor model has. A model is a deterministic function of its params,
// the time, its own state and a random stream: same inputs, same value.
import type { Random } from '@understudy/plugin-sdk';
import type { ModelValue, SensorName } from '../contract.js';

export type Params = Record<string, unknown>;

export interface SensorModel<P extends Params = Params, S = unknown> {
  name: SensorName;
  unit: string;
  description: string;
  defaults: P;
  /** Decimals a reading is rounded to (a real sensor's resolution). */
  decimals: number;
  /** Size of a spike, and the offset a drift builds up to, in the sensor's unit. */
  anomalyScale: number;
  /** Bounds a value never leaves, even with an anomaly applied. */
  range?: [number, number];
  /** Problems with params beyond their types (e.g. a route with one waypoint). */
  check?(params: P): string[];
  /** The model's memory before its first reading. */
  init(params: P, t: number, random: Random): S;
  /** The reading at time `t`, `dtMs` after the previous one; may update `state`. */
  sample(params: P, t: number, state: S, random: Random, dtMs: number): ModelValue;
}

/** Identity that keeps each model's params and state types checked. */
export function defineModel<P extends Params, S>(model: SensorModel<P, S>): SensorModel<P, S> {
  return model;
}
