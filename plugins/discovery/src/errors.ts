// Every error the discovery plugin raises. Codes are stable (`US_DISCOVERY_…`); the
// kernel's error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const DiscoveryErrors = {
  INVALID_REGISTRATION: defineError(
    'US_DISCOVERY_INVALID_REGISTRATION',
    400,
    (field: string, problem: string) => `${field}: ${problem}`,
  ),
  INVALID_HEALTH: defineError(
    'US_DISCOVERY_INVALID_HEALTH',
    400,
    (field: string, value: unknown) => `${field}: ${JSON.stringify(value)} is not a health status (passing, warning or critical)`,
  ),
  INVALID_DURATION: defineError(
    'US_DISCOVERY_INVALID_DURATION',
    400,
    (field: string, value: unknown) => `${field}: ${JSON.stringify(value)} is not a duration (e.g. "500ms", "10s", "1m", "1h")`,
  ),
  INVALID_INDEX: defineError(
    'US_DISCOVERY_INVALID_INDEX',
    400,
    (value: string) => `index: "${value}" is not a non-negative integer`,
  ),
  LIMIT_REACHED: defineError('US_DISCOVERY_LIMIT_REACHED', 409, (id: string, max: number) => ({
    message:
      `Cannot register "${id}": the registry holds plugins.discovery.maxInstances (${max}) instances already; nothing was registered. ` +
      'Deregister instances you no longer need or raise plugins.discovery.maxInstances.',
    max,
  })),
  CHECK_NOT_FOUND: defineError(
    'US_DISCOVERY_CHECK_NOT_FOUND',
    404,
    (id: string) => `No check with id "${id}". Pass the check's id (service:<service id> unless the registration named one), not its name.`,
  ),
  INSTANCE_NOT_FOUND: defineError(
    'US_DISCOVERY_INSTANCE_NOT_FOUND',
    404,
    (id: string) => `No instance with id "${id}". List instances with GET /__admin/discovery/services/<service>.`,
  ),
} as const;

/** Reject one field of a registration: `port: must be an integer between 0 and 65535`. */
export function invalid(field: string, problem: string): never {
  throw new DiscoveryErrors.INVALID_REGISTRATION(field, problem);
}
