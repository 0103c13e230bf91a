// Headers across the proxy: hop-by-hop headers never cross it (RFC 9110 §7.6.1: Connection,
// the names Connection lists, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding, Upgrade;
// and Proxy-Authorization/-Authenticate, which are meant for this hop), Host becomes the
// target's (undici sets it from the pool's origin), X-Forwarded-For/-Host/-Proto say who
// asked, and X-Mock-Enabled (ours) is not forwarded.
import type { Headers } from '@understudy/plugin-sdk';

const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** Request headers the proxy sets itself (or that undici computes from the body). */
const REPLACED = new Set(['host', 'content-length', 'x-mock-enabled', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto']);

/** Names the Connection header lists (they are hop-by-hop too). */
function connectionNamed(headers: Headers): Set<string> | undefined {
  const value = headers.connection;
  if (value === undefined) return undefined;
  const names = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) for (const n of v.split(',')) names.add(n.trim().toLowerCase());
  return names;
}

export interface ForwardedFrom {
  remoteAddress?: string;
  proto: 'http' | 'https';
  /** Extra headers of the target (API keys …), set last. */
  extra: Record<string, string>;
  /** Accept-Encoding: identity, so a learned body is not compressed. */
  identity: boolean;
}

/** The headers sent to the upstream. */
export function upstreamHeaders(headers: Headers, from: ForwardedFrom): Record<string, string | string[]> {
  const named = connectionNamed(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || REPLACED.has(name) || named?.has(name)) continue;
    out[name] = value;
  }
  const prior = headers['x-forwarded-for'];
  const chain = [...(Array.isArray(prior) ? prior : prior ? [prior] : []), ...(from.remoteAddress ? [from.remoteAddress] : [])];
  if (chain.length) out['x-forwarded-for'] = chain.join(', ');
  const host = headers.host;
  if (typeof host === 'string') out['x-forwarded-host'] = host;
  out['x-forwarded-proto'] = from.proto;
  if (from.identity) out['accept-encoding'] = 'identity';
  for (const name in from.extra) out[name.toLowerCase()] = from.extra[name]!;
  return out;
}

/** The upstream's response headers without hop-by-hop ones (the kernel computes the length). */
export function downstreamHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  const named = connectionNamed(headers);
  const out: Headers = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || name === 'content-length' || named?.has(name)) continue;
    out[name] = headers[name];
  }
  return out;
}
