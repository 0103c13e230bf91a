// Secrets are write-only in admin reads: a route that returns a secret (a device's
// password, a token) shows `REDACTED` in its place unless the request asks with
// `?reveal=secrets` AND presented the admin token (checked by the guard, guard.ts).
// Without a token configured nothing can be revealed: asking is a 403 that says how to
// configure one, rather than a silent mask the caller might take for the secret.
import { Type } from '@sinclair/typebox';
import type { IncomingMessage } from 'node:http';
import { KernelErrors } from '../errors/index.js';

/** What a read shows in place of a secret. */
export const REDACTED = '(redacted)';

/** Requests (their node:http message) that presented a valid admin token. */
const authorized = new WeakSet<IncomingMessage>();

/** Called by the guard once the token checked out. */
export function markAuthorized(raw: IncomingMessage): void {
  authorized.add(raw);
}

/**
 * The querystring property a route that may reveal secrets declares:
 * `querystring: Type.Object({ ...RevealSecretsQuery })`.
 */
export const RevealSecretsQuery = {
  reveal: Type.Optional(Type.Literal('secrets', { description: 'Show secrets (passwords, tokens) in the answer; needs the admin token.' })),
};

interface RevealRequest {
  raw: IncomingMessage;
  query?: unknown;
}

/**
 * Whether this admin read may show secrets: true when it asks with `?reveal=secrets` and
 * presented the admin token; false when it does not ask. Asking without a token
 * configured throws 403 US_REVEAL_NEEDS_TOKEN (with one configured, the guard has
 * already refused a request without it).
 */
export function revealSecrets(request: RevealRequest): boolean {
  const query = request.query as { reveal?: unknown } | undefined;
  if (query?.reveal !== 'secrets') return false;
  if (!authorized.has(request.raw)) throw new KernelErrors.REVEAL_NEEDS_TOKEN();
  return true;
}

/** A secret as a read shows it: itself when revealed, `REDACTED` otherwise (undefined stays undefined). */
export function redact<T>(secret: T, reveal: boolean): T | typeof REDACTED {
  return reveal || secret === undefined || secret === null ? secret : REDACTED;
}
