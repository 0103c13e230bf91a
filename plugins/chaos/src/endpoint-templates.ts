// Endpoint templates in a fault's scope (`scope.endpoints: ['GET /users/{userId}']`), for
// the learning proxy's endpoints and mesh's alike. An exchange that carries its endpoint
// key in that form (the proxy sets the learned key, mesh its own) is matched on the key,
// parameter names aside, so `/users/me` — a literal endpoint of its own — is not hit by a
// fault on `GET /users/{userId}`. Without one, the request's method and path are matched
// against the template: `{name}` is any one non-empty segment, `*` any method.
import type { Exchange } from '@understudy/plugin-sdk';

interface Template {
  /** Upper case or `*`. */
  method: string;
  segments: string[];
  /** `/users/{}`: the path with parameter names dropped. */
  normal: string;
}

const KEY = /^(\S+) (\/\S*)$/;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', '*']);

/** A problem with an endpoint template in words, or undefined when it is fine. */
export function templateProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string like "GET /users/{userId}"';
  const m = KEY.exec(value.trim());
  if (!m) return 'must be "METHOD /path" with {name} for a parameter segment, e.g. "GET /users/{userId}"';
  if (!METHODS.has(m[1]!.toUpperCase())) return `method must be one of ${[...METHODS].join(', ')}`;
  if (m[2]!.split('/').some((s) => s.includes('{') && !/^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(s))) return 'a parameter is a whole segment, {name}';
  return undefined;
}

const normal = (path: string) => path.replace(/\{[^}/]*\}/g, '{}');

function compile(value: string): Template {
  const [, method, path] = KEY.exec(value.trim())!;
  return { method: method!.toUpperCase(), segments: path!.split('/').slice(1), normal: normal(path!) };
}

function pathMatches(t: Template, method: string, path: string): boolean {
  if (t.method !== '*' && t.method !== method) return false;
  const segments = path.split('/').slice(1);
  if (segments.length !== t.segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const want = t.segments[i]!;
    if (want.startsWith('{') ? segments[i] === '' : want !== segments[i]) return false;
  }
  return true;
}

/** Compiled templates per scope list (scopes are validated and never change once active). */
const compiled = new WeakMap<string[], Template[]>();

export function matchesEndpoints(endpoints: string[], ex: Exchange): boolean {
  let templates = compiled.get(endpoints);
  if (!templates) compiled.set(endpoints, (templates = endpoints.map(compile)));
  const method = ex.request.method;
  const key = ex.endpoint !== undefined ? KEY.exec(ex.endpoint) : null;
  if (key) {
    const keyMethod = key[1]!.toUpperCase();
    const keyPath = normal(key[2]!);
    return templates.some((t) => (t.method === '*' || t.method === keyMethod) && t.normal === keyPath);
  }
  return templates.some((t) => pathMatches(t, method, ex.request.path));
}
