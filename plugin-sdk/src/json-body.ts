import type { PluginContext } from '@understudy/kernel';
import { InvalidJsonError } from './errors.js';

function parseJsonBody(_req: unknown, text: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const source = text.toString();
  if (!source.trim()) return done(null, undefined);
  try {
    done(null, JSON.parse(source));
  } catch (err) {
    done(new InvalidJsonError((err as Error).message));
  }
}

/**
 * Read every body in this (encapsulated) scope as JSON, whatever its Content-Type, and an
 * empty body as none: wire-compatible clients (WireMock's, Consul's, Eureka's, `curl -d`)
 * often send JSON as text/plain, form-encoded or with no type at all.
 */
export function readJsonWhateverTheType(scope: PluginContext['http']): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);
}

/**
 * A `validatorCompiler` for admin routes whose body the plugin checks itself (to report
 * every problem with its field path and without fastify's coercion): the TypeBox schema
 * stays on the route for OpenAPI, and fastify passes the body through unchanged.
 */
export const documentedOnly = () => (value: unknown) => ({ value });
