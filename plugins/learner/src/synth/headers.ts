// The headers a mock (or an export) sends: the status's typical headers minus those that
// describe one particular transfer — hop-by-hop headers (RFC 9110 §7.6.1), lengths and
// encodings (the body is re-encoded by whoever sends it: a learned `content-encoding: gzip`
// over a plain body would break every client), dates of the original response — and minus
// redacted values; plus the learned content type.
import type { StatusModel } from '../model/types.js';

const DROPPED = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'content-length', 'content-encoding', 'content-md5', 'date', 'age', 'set-cookie', 'alt-svc',
]);

/** True for a value the learner redacted: it would be a lie to send it. */
const redacted = (v: string) => v.includes('[REDACTED]');

export function mockHeaders(status: StatusModel | undefined, jsonFallback: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(status?.headers ?? {})) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || typeof value !== 'string' || redacted(value)) continue;
    out[lower] = value;
  }
  const contentType = status?.contentType ?? out['content-type'] ?? (jsonFallback ? 'application/json' : undefined);
  if (contentType) out['content-type'] = contentType;
  return out;
}

/** Does this content type carry JSON (`application/json`, `application/problem+json`, …)? */
export function isJsonType(contentType: string | undefined): boolean {
  return !!contentType && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim());
}
