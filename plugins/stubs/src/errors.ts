// Every error the stubs plugin raises. Codes are stable (`US_STUBS_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const StubsErrors = {
  INVALID_MAPPING: defineError(
    'US_STUBS_INVALID_MAPPING',
    400,
    (path: string, problem: string) => `${path}: ${problem}`,
  ),
  MAPPING_FILE_INVALID: defineError(
    'US_STUBS_MAPPING_FILE_INVALID',
    500,
    (file: string, problem: string) => `Mapping file ${file} is invalid: ${problem}`,
  ),
  ROOT_NOT_FOUND: defineError(
    'US_STUBS_ROOT_NOT_FOUND',
    500,
    (path: string) => `The stubs root folder ${path} does not exist. Create it (with mappings/ and __files/ inside) or fix plugins.stubs.root.`,
  ),
  MAPPING_NOT_FOUND: defineError(
    'US_STUBS_MAPPING_NOT_FOUND',
    404,
    (id: string) => `No mapping with id ${id}. List the ids with GET /__admin/mappings.`,
  ),
  REQUEST_NOT_FOUND: defineError(
    'US_STUBS_REQUEST_NOT_FOUND',
    404,
    (id: string) => `No journal entry with id ${id}. It may have been evicted or cleared; list entries with GET /__admin/requests.`,
  ),
  SCENARIO_NOT_FOUND: defineError(
    'US_STUBS_SCENARIO_NOT_FOUND',
    404,
    (name: string) => `No scenario named "${name}". List scenarios with GET /__admin/scenarios.`,
  ),
  LIMIT_REACHED: defineError('US_STUBS_LIMIT_REACHED', 409, (wanted: number, max: number, held: number) => ({
    message:
      `That would make ${wanted} mappings, more than plugins.stubs.maxMappings (${max}); nothing was changed (${held} held now). ` +
      'Remove mappings you no longer need (DELETE /__admin/mappings/{id}) or raise plugins.stubs.maxMappings.',
    wanted,
    max,
    held,
  })),
  BODY_FILE_UNREADABLE: defineError(
    'US_STUBS_BODY_FILE_UNREADABLE',
    500,
    (file: string, problem: string) => `Cannot read body file ${file}: ${problem}. Put the file under __files/ or fix the mapping's bodyFileName.`,
  ),
} as const;

export type InvalidMappingError = InstanceType<typeof StubsErrors.INVALID_MAPPING>;

/** Reject one field of a mapping: `request.bodyPatterns[0].matches: invalid regular expression …`. */
export function invalid(path: string, problem: string): never {
  throw new StubsErrors.INVALID_MAPPING(path, problem);
}
