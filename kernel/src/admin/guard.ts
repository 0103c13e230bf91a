// The control plane's guard: one onRequest hook on every control-plane route (everything
// under /__admin, the kernel's and plugins' `ctx.admin` and wire routes mounted there, and
// every route a plugin mounts with `ctx.routes(prefix, …)`, e.g. Consul's /v1). The
// catch-all (mocked traffic) never runs it: the hook is attached per route when the route
// is added (an onRoute hook), so a mocked request pays nothing, not even a prefix check,
// and a route is guarded by what it is, not by how its URL happens to be spelled.
//
// In order, for a guarded request:
//   1. Host (DNS rebinding): on a loopback connection, `Host` must name loopback
//      (localhost, 127.0.0.0/8, [::1]), server.host, or one of server.admin.allowedHosts.
//      A page on evil.example whose name was re-pointed at 127.0.0.1 sends
//      `Host: evil.example`. Only the name is compared, not the port: the attacker's name
//      is what gives the attack away, a page on another local port is a cross-origin
//      request (step 2), and a port-forward or SSH tunnel (`-L 9000:localhost:8080`)
//      keeps working. Vite's and webpack-dev-server's `allowedHosts` do the same.
//   2. Origin (cross-site requests): an `Origin` whose host differs from `Host` is refused
//      unless it is in server.admin.allowedOrigins; a listed origin gets CORS headers and
//      its preflight (OPTIONS) is answered here, before the token (preflights carry none).
//   3. Token: when one is configured, `Authorization: Bearer <token>`, compared in
//      constant time (SHA-256 of both, then timingSafeEqual: equal lengths whatever was sent).
//   4. Media type (under /__admin only): a write with a body must say application/json or
//      …+json. Browsers send text/plain and form bodies cross-site without a preflight
//      ("simple requests"); JSON as JSON cannot be sent that way. This wins over plugins'
//      "JSON whatever the type" parsers under /__admin; wire routes elsewhere keep theirs
//      (Consul's and Eureka's clients send what they send).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { KernelConfig } from '../config/schema.js';
import { KernelErrors } from '../errors/index.js';
import { markAuthorized } from './secrets.js';

/** Whether a host (a bind address or a Host header's name) is loopback only. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice(7) : name;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** What the guard checks, from the config (and UNDERSTUDY_ADMIN_TOKEN). */
export interface AdminSecurity {
  /** The token every control-plane request must carry, if any. */
  token: string | undefined;
  /** server.host is loopback. */
  loopback: boolean;
  /** Beyond loopback without a token, by `requireToken: false`: the admin API is open to the network. */
  open: boolean;
}

export function adminSecurity(config: KernelConfig): AdminSecurity {
  const { token } = config.server.admin;
  const loopback = isLoopback(config.server.host);
  return { token, loopback, open: !loopback && token === undefined };
}

/** One Host or Origin authority → its name, lower case, without port or trailing dot. */
function hostName(authority: string): string {
  const lower = authority.trim().toLowerCase();
  const name = lower.startsWith('[') ? lower.slice(0, lower.indexOf(']') + 1) : lower.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** `Host` as the Origin check compares it: lower case, default port dropped. */
function authorityOf(host: string, scheme: string): string {
  const lower = host.trim().toLowerCase();
  const port = scheme === 'https:' ? ':443' : ':80';
  return lower.endsWith(port) ? lower.slice(0, -port.length) : lower;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'authorization, content-type';

function hasBody(request: FastifyRequest): boolean {
  const { headers } = request;
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
}

/**
 * Build the guard for one kernel: `guardRoute(route)` is the onRoute hook that attaches
 * the onRequest check to control-plane routes (idempotent; `always` for plugins'
 * `ctx.routes` scopes outside /__admin).
 */
export function createGuard(config: KernelConfig, security: AdminSecurity) {
  const { allowedOrigins, allowedHosts } = config.server.admin;
  const origins = new Set(allowedOrigins.map((o) => o.trim().toLowerCase().replace(/\/$/, '')));
  const bound = isIP(config.server.host) === 6 ? `[${config.server.host}]` : config.server.host;
  const exactHosts = new Set([hostName(bound), ...allowedHosts.filter((h) => !h.startsWith('.')).map(hostName)]);
  const suffixes = allowedHosts.filter((h) => h.startsWith('.')).map((h) => h.toLowerCase());
  const expected = security.token === undefined ? undefined : digest(security.token);

  const hostAllowed = (name: string) => isLoopback(name) || exactHosts.has(name) || suffixes.some((s) => name.endsWith(s));

  function check(request: FastifyRequest, reply: FastifyReply, adminPath: boolean): FastifyReply | undefined {
    const { headers } = request;
    const host = headers.host;
    // 1. DNS rebinding: only where the connection came in on loopback (inject() has no address)
    const local = request.socket?.localAddress;
    if (host !== undefined && (local === undefined || isLoopback(local)) && !hostAllowed(hostName(host))) {
      throw new KernelErrors.HOST_REFUSED(host);
    }
    // 2. cross-origin requests
    const origin = headers.origin;
    if (origin !== undefined) {
      const normalized = origin.trim().toLowerCase().replace(/\/$/, '');
      let sameOrigin = false;
      try {
        const url = new URL(normalized);
        sameOrigin = host !== undefined && url.host === authorityOf(host, url.protocol);
      } catch {
        // `Origin: null` (sandboxed frames, file: pages) and other opaque origins are never the same
      }
      if (!sameOrigin) {
        if (!origins.has(normalized)) throw new KernelErrors.ORIGIN_REFUSED(origin);
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        if (request.method === 'OPTIONS' && headers['access-control-request-method'] !== undefined) {
          return reply
            .code(204)
            .header('access-control-allow-methods', CORS_METHODS)
            .header('access-control-allow-headers', CORS_HEADERS)
            .header('access-control-max-age', '600')
            .send();
        }
      }
    }
    // 3. the token
    if (expected) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '');
      if (!match) {
        reply.header('www-authenticate', 'Bearer realm="understudy"');
        throw new KernelErrors.ADMIN_TOKEN_REQUIRED();
      }
      if (!timingSafeEqual(digest(match[1]!), expected)) {
        reply.header('www-authenticate', 'Bearer realm="understudy", error="invalid_token"');
        throw new KernelErrors.ADMIN_TOKEN_INVALID();
      }
      markAuthorized(request.raw);
    }
    // 4. JSON only as JSON, under /__admin
    if (adminPath && WRITES.has(request.method) && hasBody(request)) {
      const type = headers['content-type'];
      if (type === undefined || !JSON_TYPE.test(type)) throw new KernelErrors.UNSUPPORTED_MEDIA_TYPE(
          `${request.method} ${request.url.split('?')[0]} has a ${type === undefined ? 'body without a Content-Type' : `${type.split(';')[0]} body`}: the control plane takes JSON only as application/json (or a +json type), so that a web page cannot send it`,
        );
    }
    return undefined;
  }

  // one hook per kind of route, made once: admin routes also take JSON only
  const guardOf = (admin: boolean): onRequestHookHandler =>
    function (request, reply, done) {
      try {
        if (check(request, reply, admin)) return;
      } catch (err) {
        return done(err as Error);
      }
      done();
    };
  const adminGuard = guardOf(true);
  const wireGuard = guardOf(false);

  /** onRoute: guard the control plane's routes (those under /__admin, or every route with `always`). */
  return function guardRoute(route: RouteOptions, always = false): void {
    const adminPath = route.url.startsWith('/__admin');
    if (!adminPath && !always) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    if (existing.includes(adminGuard) || existing.includes(wireGuard)) return;
    route.onRequest = [adminPath ? adminGuard : wireGuard, ...existing];
  };
}

export type GuardRoute = ReturnType<typeof createGuard>;
