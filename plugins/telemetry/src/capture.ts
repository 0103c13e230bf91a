// Readings devices publish themselves on devices/{id}/telemetry/{sensor}: the documented
// JSON payload, or a bare JSON number. The topic (parsed by the fleet's
// `deviceTopics.telemetry`) names the device and sensor.
import { isSensorName, MODELS } from './sensors/index.js';
import type { Reading, ReadingValue } from './contract.js';

/** The reading a captured message carries, or undefined when it carries none. */
export function parseCaptured(deviceId: string, sensor: string, payload: Buffer, now: number): Reading | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const fields: Record<string, unknown> | undefined =
    typeof body === 'number' ? { value: body } : body !== null && typeof body === 'object' && !Array.isArray(body) && 'value' in body ? (body as Record<string, unknown>) : undefined;
  if (!fields) return undefined;
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    deviceId,
    sensor,
    ts: number(fields.ts) ?? now,
    value: fields.value as ReadingValue,
    unit: typeof fields.unit === 'string' ? fields.unit : isSensorName(sensor) ? MODELS[sensor].unit : '',
    seq: number(fields.seq) ?? 0,
    source: 'captured',
  };
}
