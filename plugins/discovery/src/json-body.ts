import type { PluginContext } from '@understudy/plugin-sdk';
import { DiscoveryErrors } from './errors.js';

type App = PluginContext['http'];

/** The part of fastify's reply the wire-compatible routes use (fastify is the kernel's dependency, not ours). */
export interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  type(contentType: string): Reply;
  send(body?: unknown): Reply;
}

function parseJsonBody(_req: unknown, text: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const source = text.toString();
  if (!source.trim()) return done(null, undefined);
  try {
    done(null, JSON.parse(source));
  } catch (err) {
    done(new DiscoveryErrors.INVALID_JSON((err as Error).message));
  }
}

/**
 * Consul and Eureka clients send JSON with or without a Content-Type (and `curl -d` sends
 * form-encoded): read every body as JSON, empty as none. Call inside an encapsulated scope.
 */
export function readJsonWhateverTheType(app: App): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);
}
