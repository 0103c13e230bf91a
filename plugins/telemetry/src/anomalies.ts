// Anomalies a real sensor fleet shows, injected per reading with configured probabilities.
// Value anomalies change the number (spike, drift, stuck); delivery anomalies change what
// is published (dropout, duplicate, outOfOrder — see stream.ts). At most one per reading;
// a running drift or stuck episode takes precedence over new draws.
import type { Random } from '@understudy/plugin-sdk';
import type { SensorModel } from './sensors/model.js';
import type { AnomalyKind, AnomalyProbabilities, ModelValue } from './contract.js';

/** Drawn in this order; the first hit wins. */
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['spike', 'drift', 'stuck', 'dropout', 'duplicate', 'outOfOrder'];

/** Readings a drift lasts; its offset grows by anomalyScale / DRIFT_READINGS each reading. */
export const DRIFT_READINGS = 60;
/** Readings a stuck value lasts. */
export const STUCK_READINGS = 10;

export interface AnomalyState {
  driftLeft: number;
  driftStep: number;
  driftOffset: number;
  stuckLeft: number;
  stuckValue?: ModelValue;
  /** The last value that was not a spike: what a stuck sensor keeps repeating. */
  last?: ModelValue;
}

export const newAnomalyState = (): AnomalyState => ({ driftLeft: 0, driftStep: 0, driftOffset: 0, stuckLeft: 0 });

/** A number moved by `delta`; a GPS fix moved by `delta` degrees on both axes. */
export function offsetValue(value: ModelValue, delta: number): ModelValue {
  return typeof value === 'number' ? value + delta : { lat: value.lat + delta, lon: value.lon + delta };
}

/**
 * Decide this reading's anomaly and apply value anomalies. `canHold` is false while an
 * out-of-order reading waits: the reading that releases it is never held itself.
 */
export function applyAnomalies(
  value: ModelValue,
  model: SensorModel<any, any>,
  probabilities: AnomalyProbabilities,
  state: AnomalyState,
  random: Random,
  canHold: boolean,
): { value: ModelValue; anomaly?: AnomalyKind } {
  let anomaly: AnomalyKind | undefined;
  if (state.stuckLeft > 0) {
    state.stuckLeft--;
    anomaly = 'stuck';
    value = state.stuckValue!;
  } else if (state.driftLeft > 0) {
    state.driftLeft--;
    state.driftOffset += state.driftStep;
    anomaly = 'drift';
    value = offsetValue(value, state.driftOffset);
  } else {
    anomaly = draw(probabilities, random, canHold);
    const sign = anomaly === 'spike' || anomaly === 'drift' ? (random.chance(0.5) ? 1 : -1) : 1;
    if (anomaly === 'spike') value = offsetValue(value, sign * model.anomalyScale * (1 + random.next()));
    if (anomaly === 'drift') {
      state.driftStep = (sign * model.anomalyScale) / DRIFT_READINGS;
      state.driftOffset = state.driftStep;
      state.driftLeft = DRIFT_READINGS - 1;
      value = offsetValue(value, state.driftOffset);
    }
    if (anomaly === 'stuck') {
      state.stuckValue = state.last ?? value;
      state.stuckLeft = STUCK_READINGS - 1;
      value = state.stuckValue;
    }
  }
  if (anomaly !== 'spike') state.last = value;
  return { value, anomaly };
}

function draw(probabilities: AnomalyProbabilities, random: Random, canHold: boolean): AnomalyKind | undefined {
  for (const kind of ANOMALY_KINDS) {
    const p = probabilities[kind] ?? 0;
    if (p <= 0 || (kind === 'outOfOrder' && !canHold)) continue;
    if (random.chance(p)) return kind;
  }
  return undefined;
}
