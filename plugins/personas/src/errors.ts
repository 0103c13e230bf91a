// Every error the personas plugin raises. Codes are stable (`US_PERSONAS_…`); the kernel's
// error handler turns `statusCode` + `code` into `{ statusCode, code, error, message }`.
// Not-found errors carry `suggestions` (nearest ids, names or keys) as a field; the REST
// answers put them in the body.
import { defineError } from '@understudy/plugin-sdk';

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ') || '(none)';
const didYouMean = (near: readonly string[]) => (near.length ? ` Did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '');
const SESSION_NAME = 'letters, digits, ".", "_" and "-" (up to 64, starting with a letter or digit)';

export const PersonasErrors = {
  INDUSTRY_NOT_FOUND: defineError('US_PERSONAS_INDUSTRY_NOT_FOUND', 404, (wanted: string, available: readonly string[], suggestions: readonly string[]) => ({
    message: `No industry "${wanted}".${didYouMean(suggestions)} Known industries: ${quoted(available)}.`,
    suggestions: [...suggestions],
  })),
  TYPE_NOT_FOUND: defineError('US_PERSONAS_TYPE_NOT_FOUND', 404, (industry: string, wanted: string, available: readonly string[], suggestions: readonly string[]) => ({
    message: `Industry "${industry}" has no "${wanted}".${didYouMean(suggestions)} Its types: ${quoted(available)} (and "personas").`,
    suggestions: [...suggestions],
  })),
  ENTITY_NOT_FOUND: defineError('US_PERSONAS_ENTITY_NOT_FOUND', 404, (path: string, why: string, suggestions: readonly string[]) => ({
    message: `No entity at ${path}: ${why}.${didYouMean(suggestions)}`,
    suggestions: [...suggestions],
  })),
  RELATION_NOT_FOUND: defineError('US_PERSONAS_RELATION_NOT_FOUND', 404, (path: string, wanted: string, available: readonly string[], suggestions: readonly string[]) => ({
    message: `${path} has no relation "${wanted}".${didYouMean(suggestions)} Its relations: ${quoted(available)}.`,
    suggestions: [...suggestions],
  })),
  PERSONA_NOT_FOUND: defineError('US_PERSONAS_PERSONA_NOT_FOUND', 404, (key: string, where: string, available: readonly string[], suggestions: readonly string[]) => ({
    message: `No persona "@${key}"${where}.${didYouMean(suggestions.map((s) => `@${s}`))} Personas here: ${quoted(available.map((k) => `@${k}`))}; configure them under plugins.personas.personas.`,
    suggestions: suggestions.map((s) => `@${s}`),
  })),
  BAD_QUERY: defineError('US_PERSONAS_BAD_QUERY', 400, (problems: readonly string[]) => ({
    message: `Invalid query (nothing was read):\n${problems.join('\n')}`,
    problems: [...problems],
  })),
  BAD_SESSION_NAME: defineError('US_PERSONAS_BAD_SESSION_NAME', 400, (name: string) => `Session name ${JSON.stringify(name)} is not valid: use ${SESSION_NAME}.`),
  SESSION_NOT_FOUND: defineError('US_PERSONAS_SESSION_NOT_FOUND', 404, (name: string, suggestions: readonly string[]) => ({
    message: `No session "${name}".${didYouMean(suggestions)} List them with GET /__admin/personas/sessions, or create it with POST /__admin/personas/sessions { "name": "${name}" }.`,
    suggestions: [...suggestions],
  })),
  SESSION_EXISTS: defineError('US_PERSONAS_SESSION_EXISTS', 409, (name: string) => `Session "${name}" already exists. Reset it with POST /__admin/personas/sessions/${name}/reset, or pick another name.`),
  SESSION_LIMIT: defineError('US_PERSONAS_SESSION_LIMIT', 409, (name: string, max: number) => ({
    message: `Cannot create session "${name}": ${max} sessions exist, the most plugins.personas.sessions.max allows; nothing was changed. Delete sessions you no longer need (DELETE /__admin/personas/sessions/{name}) or raise the setting.`,
    max,
  })),
  SESSION_FULL: defineError('US_PERSONAS_SESSION_FULL', 409, (session: string, what: string, setting: string, max: number) => ({
    message: `Session "${session}" is full: this change would make ${what}, more than plugins.personas.sessions.${setting} (${max}); nothing was changed. Reset the session (POST /__admin/personas/sessions/${session}/reset) or raise the setting.`,
    max,
  })),
  BAD_CHANGES: defineError('US_PERSONAS_BAD_CHANGES', 400, (problem: string) => `${problem}. Send a JSON object of fields to change (a JSON merge patch: objects merge, null removes a field; "id" and "type" stay as they are).`),
  BAD_SNAPSHOT: defineError('US_PERSONAS_BAD_SNAPSHOT', 400, (problems: readonly string[]) => ({
    message: `Invalid session state (nothing was changed):\n${problems.join('\n')}\nSend what GET /__admin/personas/sessions/{name}/snapshot returns: { "entities": [{ "industry", "plural", "id", "kind": "patched" | "created" | "deleted", "record"? }] }.`,
    problems: [...problems],
  })),
  UNSAFE_RECORD: defineError('US_PERSONAS_UNSAFE_RECORD', 422, (path: string, problems: ReadonlyArray<{ path: string; rule: string; message: string }>) => ({
    message: `The record for ${path} is not safe demo data (nothing was changed):\n${problems.map((p) => `${p.path}: ${p.message} (${p.rule})`).join('\n')}\nUse reserved values: e-mail at example.com, test card numbers, fictional phone ranges.`,
    problems: problems.map((p) => ({ ...p })),
  })),
  ENTITY_EXISTS: defineError('US_PERSONAS_ENTITY_EXISTS', 409, (path: string) => `${path} already exists in this session. PATCH it, or leave "id" out to get a new one.`),
  BAD_ID: defineError('US_PERSONAS_BAD_ID', 400, (id: unknown) => `Id ${JSON.stringify(id)} is not valid: use a string of letters, digits, "_", "-" or "." (up to 64), or leave it out to get the next free one.`),
  UNSUPPORTED_MEDIA_TYPE: defineError('US_PERSONAS_UNSUPPORTED_MEDIA_TYPE', 415, (type: string) => `Writes take JSON; got content-type ${JSON.stringify(type)}. Send content-type: application/json (or application/merge-patch+json).`),
  INVALID_JSON: defineError('US_PERSONAS_INVALID_JSON', 400, (problem: string) => `The body is not valid JSON: ${problem}.`),
  METHOD_NOT_ALLOWED: defineError('US_PERSONAS_METHOD_NOT_ALLOWED', 405, (method: string, path: string, allowed: readonly string[]) => `${method} is not supported on ${path}. Use ${allowed.join(', ')}.`),
  EXPORT_TOO_LARGE: defineError('US_PERSONAS_EXPORT_TOO_LARGE', 400, (records: number, max: number) => ({
    message: `That export would stream ${records} records, more than plugins.personas.export.maxRecords (${max}). Export it in parts with ?offset=&limit= (limit at most ${max}), or raise the setting.`,
    max,
  })),
  STORAGE: defineError('US_PERSONAS_STORAGE', 500, (path: string, problem: string) => `Cannot open the sessions storage "${path}": ${problem}. Check plugins.personas.storage (a writable file path, or ":memory:").`),
  STORAGE_WRITE: defineError('US_PERSONAS_STORAGE_WRITE', 500, (path: string, problem: string) => `The sessions storage "${path}" refused a write: ${problem}. Nothing was changed; check the file (disk full, read-only, locked) and try again.`),
} as const;
