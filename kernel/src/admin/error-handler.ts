import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** fastify's own 4xx codes, renamed into the project's stable `US_` codes. */
const renamed: Record<string, string> = {
  FST_ERR_VALIDATION: 'US_BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'US_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'US_INVALID_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'US_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'US_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'US_BAD_REQUEST',
};

const hints: Record<string, string> = {
  US_BAD_REQUEST: ' See GET /__admin/openapi.json for the expected shape.',
  US_INVALID_JSON: ' Send a valid JSON document with Content-Type: application/json.',
  US_UNSUPPORTED_MEDIA_TYPE: ' Send Content-Type: application/json.',
};

/** Every error leaves as `{ statusCode, code, error, message }`; 5xx are logged. */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const statusCode = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const code = renamed[err.code] ?? err.code ?? (statusCode < 500 ? 'US_BAD_REQUEST' : 'US_INTERNAL');
    if (statusCode >= 500) logger.error({ err, method: request.method, url: request.url }, 'admin request failed');
    const hint = hints[code] && !err.message.includes('openapi') ? hints[code] : '';
    // the hint is a sentence of its own: end the message as one first
    const message = hint && !/[.!?]$/.test(err.message) ? `${err.message}.` : err.message;
    reply.code(statusCode).send({ statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message: message + hint });
  });
}
