import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { KernelErrors } from '../errors/index.js';

const { BAD_REQUEST, INVALID_JSON, UNSUPPORTED_MEDIA_TYPE, BODY_TOO_LARGE, INTERNAL } = KernelErrors;

/** fastify's own 4xx codes, renamed into the project's stable `US_` codes (all in the catalogue). */
const renamed: Record<string, string> = {
  FST_ERR_VALIDATION: BAD_REQUEST.code,
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_JSON.code,
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_JSON.code,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_MEDIA_TYPE.code,
  FST_ERR_CTP_BODY_TOO_LARGE: BODY_TOO_LARGE.code,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: BAD_REQUEST.code,
};

const hints: Record<string, string> = {
  [BAD_REQUEST.code]: ' See GET /__admin/openapi.json for the expected shape.',
  [INVALID_JSON.code]: ' Send a valid JSON document with Content-Type: application/json.',
  [UNSUPPORTED_MEDIA_TYPE.code]: ' Send Content-Type: application/json.',
};

/** Every error leaves as `{ statusCode, code, error, message }`; 5xx are logged. */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    // only catalogued codes leave: a stray library code (ERR_…, FST_…) becomes the generic one
    const code = renamed[err.code] ?? (err.code?.startsWith('US_') ? err.code : statusCode < 500 ? BAD_REQUEST.code : INTERNAL.code);
    if (statusCode >= 500) logger.error({ err, method: request.method, url: request.url }, 'admin request failed');
    const hint = hints[code] && !err.message.includes('openapi') ? hints[code] : '';
    // the hint is a sentence of its own: end the message as one first
    const message = hint && !/[.!?]$/.test(err.message) ? `${err.message}.` : err.message;
    reply.code(statusCode).send({ statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message: message + hint });
  });
}
