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
  /** The kernel's code, kept all the way up a looping call chain. */
  LOOP_DETECTED: KernelErrors.LOOP_DETECTED.code,
} as const;
