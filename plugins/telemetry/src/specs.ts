// Turns the `sensors` config into stream specs per device type, with every problem named by its path.
import type { SensorSpecConfig, TelemetryConfig } from './config.js';
import { resolveParams } from './params.js';
import { MODELS } from './sensors/index.js';
import type { Params } from './sensors/model.js';
import type { StreamSpec } from './stream.js';
import type { AnomalyProbabilities, SensorName } from './contract.js';

export const DEFAULT_INTERVAL_MS = 60_000;

interface SpecInput {
  sensor: SensorName;
  intervalMs?: number;
  params?: Params;
  anomalies?: AnomalyProbabilities;
}

/** One sensor's spec; `borrowed` params sit between the model's defaults and the given ones. */
export function resolveSpec(input: SpecInput, borrowed: Params = {}): { spec: StreamSpec; problems: string[] } {
  const model = MODELS[input.sensor];
  const given = input.params ?? {};
  const { params, problems } = resolveParams(model, { ...borrowed, ...given });
  return {
    spec: { sensor: input.sensor, model, params, intervalMs: input.intervalMs ?? DEFAULT_INTERVAL_MS, anomalies: input.anomalies ?? {} },
    problems,
  };
}

/** Humidity follows the temperature of the same device type unless told otherwise. */
function borrowedFor(sensor: SensorName, list: SensorSpecConfig[]): Params {
  if (sensor !== 'humidity') return {};
  const t = list.find((s) => s.sensor === 'temperature');
  if (!t) return {};
  const { params, problems } = resolveParams(MODELS.temperature, t.params);
  if (problems.length) return {};
  return { temperatureMean: params.mean, temperatureAmplitude: params.amplitude, minHour: params.minHour, maxHour: params.maxHour, utcOffsetHours: params.utcOffsetHours };
}

export function resolveSpecs(sensors: TelemetryConfig['sensors']): { byType: Map<string, StreamSpec[]>; problems: string[] } {
  const byType = new Map<string, StreamSpec[]>();
  const problems: string[] = [];
  for (const [type, list] of Object.entries(sensors)) {
    const specs: StreamSpec[] = [];
    const seen = new Set<string>();
    list.forEach((input, i) => {
      const path = `plugins.telemetry.sensors.${type}[${i}]`;
      if (seen.has(input.sensor)) problems.push(`${path}.sensor: ${input.sensor} is listed twice for ${type}; a device publishes one stream per sensor`);
      seen.add(input.sensor);
      const { spec, problems: own } = resolveSpec(input as SpecInput, borrowedFor(input.sensor as SensorName, list));
      problems.push(...own.map((p) => `${path}.params.${p}`));
      specs.push(spec);
    });
    if (specs.length) byType.set(type, specs);
  }
  return { byType, problems };
}
