// Pure generation for unit tests: a stream over a time range, no kernel.
import { createRandom } from '@understudy/kernel';
import { resolveSpec } from '../src/specs.js';
import { SensorStream, type Step } from '../src/stream.js';
import type { AnomalyProbabilities, Reading, SensorName } from '../src/contract.js';

export const T0 = Date.UTC(2025, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface RunOptions {
  params?: Record<string, unknown>;
  anomalies?: AnomalyProbabilities;
  intervalMs?: number;
  days?: number;
  seed?: number | string;
  deviceId?: string;
  borrowed?: Record<string, unknown>;
}

export function steps(sensor: SensorName, o: RunOptions = {}): Step[] {
  const { spec, problems } = resolveSpec({ sensor, intervalMs: o.intervalMs, params: o.params, anomalies: o.anomalies }, o.borrowed);
  if (problems.length) throw new Error(problems.join('; '));
  const deviceId = o.deviceId ?? 'dev-1';
  const stream = new SensorStream(deviceId, spec, createRandom(o.seed ?? 1, 'telemetry').fork(`${deviceId}/${sensor}`));
  const out: Step[] = [];
  const end = T0 + (o.days ?? 1) * DAY;
  for (let t = T0 + spec.intervalMs; t <= end; t += spec.intervalMs) out.push(stream.next(t));
  return out;
}

export const run = (sensor: SensorName, o: RunOptions = {}): Reading[] => steps(sensor, o).map((s) => s.reading);
export const values = (readings: Reading[]) => readings.map((r) => r.value as number);
export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const hour = (r: Reading) => new Date(r.ts).getUTCHours();
/** Mean value of readings whose UTC hour is in [from, to). */
export const meanBetween = (readings: Reading[], from: number, to: number) => mean(values(readings.filter((r) => hour(r) >= from && hour(r) < to)));
