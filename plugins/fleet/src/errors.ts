// Every error the fleet plugin raises. Codes are stable (`US_FLEET_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const FleetErrors = {
  DEVICE_NOT_FOUND: defineError('US_FLEET_DEVICE_NOT_FOUND', 404, (id: string | string[]) => {
    const ids = typeof id === 'string' ? [id] : id;
    const named = ids.slice(0, 5).map((i) => `"${i}"`).join(', ') + (ids.length > 5 ? `, … (${ids.length} in all)` : '');
    return `No device${ids.length > 1 ? 's' : ''} ${named}${ids.length > 1 || typeof id !== 'string' ? ' (nothing was changed)' : ''}. List devices with GET /__admin/fleet/devices.`;
  }),
  BULK_REFUSED: defineError(
    'US_FLEET_BULK_REFUSED',
    409,
    (action: string, refused: Array<{ id: string; why: string }>) =>
      `Cannot ${action} ${refused
        .slice(0, 5)
        .map((r) => `"${r.id}" (${r.why})`)
        .join(', ')}${refused.length > 5 ? `, … (${refused.length} in all)` : ''}, named in filter.ids; nothing was changed. ` +
      'Leave them out of ids, or select by type, state or metadata, which skips the devices an action does not apply to.',
  ),
  STORAGE_WRITE: defineError(
    'US_FLEET_STORAGE_WRITE',
    500,
    (path: string, problem: string) => `The fleet storage "${path}" refused a write: ${problem}. Nothing was changed; check the file (disk full, read-only, locked) and try again.`,
  ),
  DEVICE_EXISTS: defineError(
    'US_FLEET_DEVICE_EXISTS',
    409,
    (ids: string[]) =>
      `Device id${ids.length > 1 ? 's' : ''} already provisioned: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … (${ids.length} in all)` : ''}. ` +
      'Use an idPattern with {n} (numbering continues after the highest existing index) or another id.',
  ),
  DECOMMISSIONED: defineError(
    'US_FLEET_DECOMMISSIONED',
    409,
    (id: string, what: string) => `Device "${id}" is decommissioned and cannot be ${what}. Provision a new device instead.`,
  ),
  NOT_SIMULATED: defineError(
    'US_FLEET_NOT_SIMULATED',
    409,
    (id: string) => `Device "${id}" is external: your own client connects it, Understudy does not. Use a device of connection "mqtt" or "inprocess".`,
  ),
  UNKNOWN_TYPE: defineError(
    'US_FLEET_UNKNOWN_TYPE',
    400,
    (type: string, known: string[]) =>
      `Unknown device type "${type}" (strictTypes is on). Configured types: ${known.length ? known.join(', ') : '(none)'}. Add it under plugins.fleet.deviceTypes.`,
  ),
  BAD_PATTERN: defineError(
    'US_FLEET_BAD_PATTERN',
    400,
    (pattern: string, problem: string) => `idPattern "${pattern}": ${problem}. Use {n}, {n:<width>} and {type}, e.g. "{type}-{n:4}".`,
  ),
  BAD_TEMPLATE: defineError(
    'US_FLEET_BAD_TEMPLATE',
    400,
    (problem: string) => `${problem}. A template is { type, count, idPattern?, metadata?, firmware?, connection? }.`,
  ),
  BAD_FILTER: defineError(
    'US_FLEET_BAD_FILTER',
    400,
    (problem: string) => `${problem}. Filter with type, state, ids (comma-separated) and metadata.<key>=<value>.`,
  ),
  BAD_UPDATE: defineError(
    'US_FLEET_BAD_UPDATE',
    400,
    (problem: string) => `${problem}. An update sets metadata (a value of null removes the key) and/or firmware.`,
  ),
  LIMIT: defineError(
    'US_FLEET_LIMIT',
    409,
    (wanted: number, have: number, max: number) =>
      `Provisioning ${wanted} device(s) would exceed maxDevices (${have} of ${max} used, decommissioned devices included). Raise plugins.fleet.maxDevices.`,
  ),
  DEVICE_OFFLINE: defineError(
    'US_FLEET_DEVICE_OFFLINE',
    409,
    (id: string) => `Device "${id}" is offline: it cannot publish until it is connected again (watch for device.connected).`,
  ),
  CONNECT_FAILED: defineError(
    'US_FLEET_CONNECT_FAILED',
    502,
    (id: string, reason: string) => `Device "${id}" could not connect to the broker: ${reason}.`,
  ),
  JOB_NOT_FOUND: defineError(
    'US_FLEET_JOB_NOT_FOUND',
    404,
    (id: string, max: number) => `No job "${id}". Only the last ${max} jobs are kept (maxJobs).`,
  ),
  STORAGE: defineError(
    'US_FLEET_STORAGE',
    500,
    (path: string, problem: string) => `Cannot open the fleet storage "${path}": ${problem}. Fix plugins.fleet.storage (a writable file path, or false for memory).`,
  ),
} as const;
