// Which demo session a request belongs to: the `X-Demo-Session` header, else the
// `demo_session` cookie, else the configured default. The cookie is read by hand (a name
// and a value split at `;` and `=`, RFC 6265 section 5.2): one cookie does not need a
// dependency.
import type { Headers } from '@understudy/plugin-sdk';

export const SESSION_HEADER = 'x-demo-session';
export const SESSION_COOKIE = 'demo_session';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function cookie(header: string | string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (!text) return undefined;
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** The session a request names (unchecked), or `fallback`. */
export function sessionOf(headers: Headers, fallback: string): string {
  const named = first(headers[SESSION_HEADER])?.trim() || cookie(headers.cookie, SESSION_COOKIE);
  return named || fallback;
}
