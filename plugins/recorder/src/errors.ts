// Every error the recorder raises. Codes are stable (`US_RECORDER_…`); the kernel's error
// handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
import { defineError } from '@understudy/plugin-sdk';

export const RecorderErrors = {
  INVALID: defineError('US_RECORDER_INVALID', 400, (problems: string[]) => ({
    message: `Invalid annotation (nothing was recorded):\n${problems.join('\n')}`,
    problems,
  })),
  NO_SCENARIO: defineError(
    'US_RECORDER_NO_SCENARIO',
    409,
    (what: string) => `${what}: no scenario is running, so there is no scenario time. Leave out "at" to mark now, or start a scenario first (POST /__admin/scenarios/…).`,
  ),
  NOT_IN_RUN: defineError('US_RECORDER_NOT_IN_RUN', 409, (at: number, now: number, take: string) => ({
    message:
      `Scenario time ${at} ms is not in take "${take}" (its scenario is at ${now} ms now; a mark may be at any time it has passed). ` +
      `Use an "at" between 0 and ${now}, or leave it out to mark now.`,
    at,
    now,
  })),
  TAKE_NOT_FOUND: defineError('US_RECORDER_TAKE_NOT_FOUND', 404, (take: string, known: string[]) => ({
    message: `No take "${take}". ${known.length ? `Known takes: ${known.join(', ')}` : 'No take was recorded yet: start a scenario or POST /__admin/recorder/takes'} (GET /__admin/recorder/takes).`,
    known,
  })),
  NO_TAKE: defineError(
    'US_RECORDER_NO_TAKE',
    404,
    () => 'No take was recorded yet, so there are no chapters: start a scenario, or POST /__admin/recorder/takes to start one by hand.',
  ),
  TAKE_RUNNING: defineError('US_RECORDER_TAKE_RUNNING', 409, (take: string) => `A manual take ("${take}") is already running. Stop it with POST /__admin/recorder/takes/${take}/stop first.`),
  TAKE_ENDED: defineError('US_RECORDER_TAKE_ENDED', 409, (take: string) => `Take "${take}" has already ended.`),
  BAD_QUERY: defineError('US_RECORDER_BAD_QUERY', 400, (problem: string) => problem),
} as const;
