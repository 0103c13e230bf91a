// Telemetry as it arrives: `devices/{id}/telemetry/{sensor}` (the fleet catalogue's
// topic, parsed by `deviceTopics.telemetry`) with a JSON payload `{ deviceId, sensor, ts,
// value, unit, seq }`. The topic names the device and sensor (a payload cannot claim to
// be another device); a bare JSON number is accepted too. A reading also tells its sensor's
// precision (`decimalsOf`): the decimals it was written with (`21.7` → 1), which derived
// numbers (means, standard deviations) are rounded to, instead of carrying float noise
// (`22.419999999999998`).

export type Parsed = { kind: 'reading'; value: number } | { kind: 'skipped' } | { kind: 'invalid'; reason: string };

/** Decimals beyond which a reading's text is float noise rather than a sensor's resolution. */
export const MAX_DECIMALS = 10;

/** The decimals `value` is written with in JSON (its shortest round-trip text), at most MAX_DECIMALS. */
export function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(Math.abs(value));
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  const decimals = fraction - (e < 0 ? 0 : Number(text.slice(e + 1)));
  return Math.min(MAX_DECIMALS, Math.max(0, decimals));
}

/** `value` rounded to `decimals` places (half away from zero). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const rounded = Math.round(Math.abs(value) * f) / f;
  return value < 0 ? -rounded : rounded;
}

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
