// Schemas every plugin's admin routes share, so OpenAPI shows one error shape.
import { Type } from '@sinclair/typebox';

/** The control plane's error body: `{ statusCode, code, error, message }`. */
export const ErrorResponseSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'Stable error code, e.g. US_STUBS_MAPPING_NOT_FOUND' }),
  error: Type.String(),
  message: Type.String({ description: 'What was wrong and how to fix it' }),
});

/** `response` entries for a route's error statuses: `{ ...errorResponses(400, 404) }`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}
