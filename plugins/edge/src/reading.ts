// Telemetry as it arrives: `devices/{id}/telemetry/{sensor}` (the fleet catalogue's
// topic, parsed by `deviceTopics.telemetry`) with a JSON payload `{ deviceId, sensor, ts,
// value, unit, seq }`. The topic names the device and sensor (a payload cannot claim to
// be another device); a bare JSON number is accepted too.

export type Parsed = { kind: 'reading'; value: number } | { kind: 'skipped' } | { kind: 'invalid'; reason: string };

export function parsePayload(payload: Buffer | string): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return { kind: 'invalid', reason: 'payload is not JSON' };
  }
  const value = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { value?: unknown }).value : body;
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'reading', value };
  // structured values (a GPS position) are valid telemetry that numeric stages cannot use
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { kind: 'skipped' };
  return { kind: 'invalid', reason: 'value is not a number' };
}
