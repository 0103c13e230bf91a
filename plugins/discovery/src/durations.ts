// Go/Consul duration strings ("500ms", "10s", "1m30s", "1h") to milliseconds.
import { DiscoveryErrors } from './errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/**
 * Parse a Go duration. A JSON number is nanoseconds, as Go's time.Duration decodes it.
 * `field` names the input in the error.
 */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value / 1e6;
  if (typeof value !== 'string' || value === '') throw new DiscoveryErrors.INVALID_DURATION(field, value);
  if (value === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < value.length) {
    const at = PART.lastIndex;
    const match = PART.exec(value);
    if (!match || match.index !== at) throw new DiscoveryErrors.INVALID_DURATION(field, value);
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total;
}
