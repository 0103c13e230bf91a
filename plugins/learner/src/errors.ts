// Every error the learner plugin raises. Codes are stable (`US_LEARNER_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
// Each message says what was wrong and how to fix it.
// The HAR importer's errors live with it (synth/errors.ts) and are re-exported here, so
// the plugin has one catalogue.
import { defineError } from '@understudy/plugin-sdk';

export { SynthErrors } from './synth/errors.js';

const list = (items: string[], max = 5) => items.slice(0, max).map((i) => `"${i}"`).join(', ') + (items.length > max ? `, … (${items.length} in all)` : '');

export const LearnerErrors = {
  ENDPOINT_NOT_FOUND: defineError(
    'US_LEARNER_ENDPOINT_NOT_FOUND',
    404,
    (key: string) => `No learned endpoint "${key}". Keys are "METHOD /template" (e.g. "GET /users/{userId}"); list them with GET /__admin/learner/endpoints.`,
  ),
  TEMPLATE_NOT_FOUND: defineError(
    'US_LEARNER_TEMPLATE_NOT_FOUND',
    404,
    (templates: string[]) => `No learned template ${list(templates)} (nothing was changed). List templates with GET /__admin/learner/templates.`,
  ),
  INVALID: defineError('US_LEARNER_INVALID', 400, (what: string, problems: string[]) => `Invalid ${what} (nothing was changed):\n${problems.join('\n')}`),
  BAD_TEMPLATE: defineError(
    'US_LEARNER_BAD_TEMPLATE',
    400,
    (template: string, problem: string) => `Template "${template}": ${problem} (nothing was changed). A template is "METHOD /path" with parameters in braces, e.g. "GET /users/{userId}".`,
  ),
  TEMPLATE_CONFLICT: defineError('US_LEARNER_TEMPLATE_CONFLICT', 409, (problem: string) => `${problem} (nothing was changed).`),
  BAD_SETTING: defineError('US_LEARNER_BAD_SETTING', 400, (key: string, problem: string) => `Setting "${key}": ${problem}. Keys are 1–200 characters; values are JSON.`),
  UNKNOWN_FORMAT: defineError(
    'US_LEARNER_UNKNOWN_FORMAT',
    404,
    (format: string, known: string[]) => `No export format "${format}". Known: ${known.join(', ')} (GET /__admin/learner/export/<format>).`,
  ),
  STORAGE: defineError(
    'US_LEARNER_STORAGE',
    500,
    (where: string, problem: string) =>
      `The learner's storage ${where} failed: ${problem}. Check plugins.learner.storage (a writable SQLite file, ":memory:", or a reachable postgres:// URL).`,
  ),
  STORAGE_CONFIG: defineError(
    'US_LEARNER_STORAGE_CONFIG',
    400,
    (value: string, problem: string) => `plugins.learner.storage "${value}": ${problem}. Use a file path (".understudy/learner.db"), ":memory:" or "postgres://user@host:5432/db".`,
  ),
  CLOSED: defineError('US_LEARNER_CLOSED', 503, () => 'The learner is stopping; try again once Understudy has restarted.'),
} as const;
