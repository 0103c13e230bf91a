// Every error the health plugin raises. Codes are stable (`US_HEALTH_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const HealthErrors = {
  SERVICE_NOT_FOUND: defineError(
    'US_HEALTH_SERVICE_NOT_FOUND',
    404,
    (name: string) => `No service "${name}" is known to health. List services with GET /__admin/health.`,
  ),
  INSTANCE_NOT_FOUND: defineError(
    'US_HEALTH_INSTANCE_NOT_FOUND',
    404,
    (id: string) => `No probes for instance "${id}": it is unknown or gone. List instances with GET /__admin/cluster/instances, or drop ?instance= to see every probe.`,
  ),
  INCIDENT_NOT_FOUND: defineError(
    'US_HEALTH_INCIDENT_NOT_FOUND',
    404,
    (id: string) => `No incident "${id}" (old resolved incidents leave the bounded store). List incidents with GET /__admin/health/incidents.`,
  ),
  INVALID_POLICY: defineError(
    'US_HEALTH_INVALID_POLICY',
    400,
    (problems: string[]) => `Invalid recovery policy (nothing was changed):\n${problems.join('\n')}\nSend {"policy": "planner"} or {"policy": "backoff"}.`,
  ),
  INVALID_QUERY: defineError('US_HEALTH_INVALID_QUERY', 400, (problems: string) => `Invalid query: ${problems}`),
} as const;
