// Errors raised by the learner's pure parts that read user input: the HAR importer (and
// the exports' options). Stable `US_LEARNER_…` codes made with the SDK's defineError; the
// kernel's error handler turns them into `{ statusCode, code, error, message }`. L3's
// src/errors.ts re-exports these so the plugin has one catalogue.
import { defineError } from '@understudy/plugin-sdk';

/** How many problems a HAR error lists in its message (all of them are in `problems`). */
const SHOWN_PROBLEMS = 20;

export const SynthErrors = {
  HAR_INVALID: defineError('US_LEARNER_HAR_INVALID', 400, (problems: readonly string[]) => ({
    message:
      `The HAR file is not valid HAR 1.2 (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
      `${problems.slice(0, SHOWN_PROBLEMS).join('; ')}${problems.length > SHOWN_PROBLEMS ? `; … ${problems.length - SHOWN_PROBLEMS} more` : ''}. ` +
      'Export it again from the browser\'s network panel ("Save all as HAR") or fix the fields named.',
    problems: [...problems],
  })),
  HAR_TOO_LARGE: defineError('US_LEARNER_HAR_TOO_LARGE', 413, (entries: number, max: number) => ({
    message: `The HAR file has ${entries} entries, more than the ${max} one import takes. Split it, or raise the learner's HAR import limit.`,
    entries,
    max,
  })),
} as const;
