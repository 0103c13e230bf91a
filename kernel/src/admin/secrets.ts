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

type SchemaNode = {
  writeOnly?: boolean;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode | SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `value` with every value its JSON Schema marks `writeOnly: true` (JSON
 * Schema's own word for "sent, never read back": `Type.String({ writeOnly: true })`)
 * replaced by `REDACTED`, unless `reveal`. Follows properties, patternProperties
 * (TypeBox's Record), additionalProperties, items and every branch of a union (a property
 * secret in one branch is redacted whatever the branch the value matches: safe side).
 */
export function redactBySchema<T>(value: T, schema: object | undefined, reveal = false): T {
  if (reveal || !schema) return value;
  return redactNode(value, schema as SchemaNode) as T;
}

function redactNode(value: unknown, schema: SchemaNode): unknown {
  if (value === undefined || value === null) return value;
  if (schema.writeOnly) return REDACTED;
  let out: unknown = value;
  for (const branch of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) out = redactNode(out, branch);
  if (Array.isArray(out) && schema.items) {
    const items = schema.items;
    return out.map((item, i) => {
      const itemSchema = Array.isArray(items) ? items[i] : items;
      return itemSchema ? redactNode(item, itemSchema) : item;
    });
  }
  if (!isRecord(out) || (!schema.properties && !schema.patternProperties && !isRecord(schema.additionalProperties))) return out;
  const copy: Record<string, unknown> = { ...out };
  const patterns = Object.entries(schema.patternProperties ?? {}).map(([p, s]) => [new RegExp(p, 'u'), s] as const);
  for (const key of Object.keys(copy)) {
    const own = schema.properties?.[key];
    const matching = patterns.filter(([p]) => p.test(key)).map(([, s]) => s);
    const extra = !own && !matching.length && isRecord(schema.additionalProperties) ? [schema.additionalProperties as SchemaNode] : [];
    for (const s of [...(own ? [own] : []), ...matching, ...extra]) copy[key] = redactNode(copy[key], s);
  }
  return copy;
}

/** A secret as a read shows it: itself when revealed, `REDACTED` otherwise (undefined stays undefined). */
export function redact<T>(secret: T, reveal: boolean): T | typeof REDACTED {
  return reveal || secret === undefined || secret === null ? secret : REDACTED;
}
