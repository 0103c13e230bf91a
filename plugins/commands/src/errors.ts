// Every error the commands plugin raises. Codes are stable (`US_COMMANDS_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`,
// and `commands/results` carries the same `code` and `message` for MQTT senders.
import { defineError } from '@understudy/plugin-sdk';

export const CommandErrors = {
  INVALID: defineError('US_COMMANDS_INVALID', 400, (what: string, problems: string[]) => `Invalid ${what} (nothing was sent):\n${problems.join('\n')}`),
  INVALID_JSON: defineError('US_COMMANDS_INVALID_JSON', 400, (problem: string) => `The message is not valid JSON (${problem}). Publish a JSON document.`),
  DEVICE_NOT_FOUND: defineError(
    'US_COMMANDS_DEVICE_NOT_FOUND',
    404,
    (id: string) =>
      `No device "${id}": it is not in the fleet and has never connected to the broker. Provision it (POST /__admin/fleet/devices) or connect an MQTT client with client id "${id}" first.`,
  ),
  DEVICE_DECOMMISSIONED: defineError(
    'US_COMMANDS_DEVICE_DECOMMISSIONED',
    409,
    (id: string) => `Device "${id}" is decommissioned and can no longer receive commands. Provision it again to command it.`,
  ),
  NO_DEVICES_MATCH: defineError(
    'US_COMMANDS_NO_DEVICES_MATCH',
    404,
    (selector: string) => `No fleet device matches the selector ${selector}. List devices with GET /__admin/fleet/devices and adjust type, ids or metadata.`,
  ),
  NOT_FOUND: defineError('US_COMMANDS_NOT_FOUND', 404, (id: string) => `No command "${id}". It never existed or was dropped from the history; list commands with GET /__admin/commands.`),
  ALREADY_FINISHED: defineError(
    'US_COMMANDS_ALREADY_FINISHED',
    409,
    (id: string, status: string) => `Command "${id}" is already ${status}; only QUEUED, SENT or ACKED commands can be cancelled.`,
  ),
  TOO_MANY_ACTIVE: defineError(
    'US_COMMANDS_TOO_MANY_ACTIVE',
    429,
    (limit: number) => `${limit} commands are already waiting to finish (maxActive). Wait for them, cancel some, or raise plugins.commands.maxActive.`,
  ),
  SHADOW_LIMIT: defineError(
    'US_COMMANDS_SHADOW_LIMIT',
    429,
    (limit: number) => `${limit} device shadows exist already (shadows.capacity). Raise plugins.commands.shadows.capacity.`,
  ),
} as const;
