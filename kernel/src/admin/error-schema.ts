// The control plane's one error shape, and the onRoute hook that documents it on every
// plugin's admin route (so no plugin repeats it).
import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';

/** `{ statusCode, code, error, message }`, plus structured fields some errors carry. */
export const ErrorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code, e.g. US_STUBS_MAPPING_NOT_FOUND' }),
    error: Type.String(),
    message: Type.String({ description: 'What was wrong and how to fix it' }),
  },
  { additionalProperties: true },
);

/** `response` entries for a route's error statuses: `{ ...errorResponses(400, 404) }`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}

type Schema = { tags?: string[]; response?: Record<string, unknown>; hide?: boolean };

/**
 * An onRoute hook for a plugin's scope: tag each route with the plugin's name and, for
 * admin routes, document the shared 4xx/5xx error body unless the route names its own.
 */
export function documentRoutes(plugin: string, { errors }: { errors: boolean }) {
  return (route: RouteOptions) => {
    const schema = ((route.schema ??= {}) as Schema);
    schema.tags ??= [plugin];
    if (!errors || schema.hide) return;
    const response = (schema.response ??= {});
    const statuses = Object.keys(response);
    if (!statuses.some((s) => s.startsWith('4'))) response['4xx'] = ErrorResponseSchema;
    if (!statuses.some((s) => s.startsWith('5'))) response['5xx'] = ErrorResponseSchema;
  };
}
