// Every error the mesh plugin raises. Codes are stable (`US_MESH_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError, KernelErrors } from '@understudy/plugin-sdk';

export const MeshErrors = {
  INVALID_TOPOLOGY: defineError(
    'US_MESH_INVALID_TOPOLOGY',
    400,
    (problems: string[]) => `Invalid topology (nothing was changed):\n${problems.join('\n')}`,
  ),
  SERVICE_NOT_FOUND: defineError(
    'US_MESH_SERVICE_NOT_FOUND',
    404,
    (name: string) => `No mesh service named "${name}". List the services with GET /__admin/mesh/services.`,
  ),
  PORT_IN_USE: defineError('US_MESH_PORT_IN_USE', 409, (service: string, port: number, holder: string | undefined) => ({
    message:
      `Service "${service}" asks for port ${port} (its \`port\`), which is already in use${holder ? ` by ${holder}` : ' by another process'}; nothing was changed. ` +
      `Pick a free port, or \`port: 0\` for any free one (the port it got is \`listeningPort\` in GET /__admin/mesh/services/${service}), or stop what listens on ${port}.`,
    service,
    port,
  })),
  PORT_UNAVAILABLE: defineError('US_MESH_PORT_UNAVAILABLE', 409, (service: string, port: number, host: string, reason: string) => ({
    message:
      `Service "${service}" cannot listen on ${host}:${port} (its \`port\`): ${reason}; nothing was changed. ` +
      `Pick another port (above 1023 unless Understudy may bind privileged ports), or \`port: 0\` for any free one.`,
    service,
    port,
  })),
  UNKNOWN_WORLD: defineError(
    'US_MESH_UNKNOWN_WORLD',
    500,
    (world: string, known: string[]) =>
      `plugins.mesh.world: unknown world "${world}". Use one of: ${known.join(', ')}, or a path to a JSON file of services.`,
  ),
} as const;

/** Codes that appear in simulated responses (not thrown). */
export const ResponseCodes = {
  DEPENDENCY_FAILED: 'US_MESH_DEPENDENCY_FAILED',
  INJECTED_ERROR: 'US_MESH_INJECTED_ERROR',
  /** A service whose instances come from an instance source (the cluster) has none Ready. */
  NO_READY_INSTANCE: 'US_MESH_NO_READY_INSTANCE',
  /** The kernel's code, kept all the way up a looping call chain. */
  LOOP_DETECTED: KernelErrors.LOOP_DETECTED.code,
} as const;
