// Endpoint keys as the learner writes them (`GET /users/{userId}`): parsing, a normal form
// that ignores parameter names (`{id}` and `{userId}` name the same segment), and a small
// matcher for keys the learner does not know yet (a mode set before any traffic).
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', '*']);

export interface ParsedKey {
  /** Upper case, or `*` for any method. */
  method: string;
  path: string;
  segments: string[];
}

/** `GET /users/{userId}` → parts, or a problem in words. */
export function parseKey(key: string): ParsedKey | string {
  const m = /^(\S+) (\/\S*)$/.exec(key.trim());
  if (!m) return 'must be "METHOD /path" with {name} for a parameter segment, e.g. "GET /users/{userId}"';
  const method = m[1]!.toUpperCase();
  if (!METHODS.has(method)) return `method must be one of ${[...METHODS].join(', ')}`;
  const path = m[2]!;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s.includes('{') && !/^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(s))) return 'a parameter is a whole segment, {name}';
  return { method, path, segments };
}

/** The key with parameter names dropped: `GET /users/{}`. */
export function normalKey(key: string): string {
  const space = key.indexOf(' ');
  return `${key.slice(0, space).toUpperCase()} ${key.slice(space + 1).replace(/\{[^}/]*\}/g, '{}')}`;
}

/** Whether a request falls under a parsed key: literal segments equal, `{name}` any one non-empty segment. */
export function keyMatches(key: ParsedKey, method: string, path: string): boolean {
  if (key.method !== '*' && key.method !== method) return false;
  const segments = path.split('/').slice(1);
  if (segments.length !== key.segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const want = key.segments[i]!;
    if (want.startsWith('{') ? segments[i] === '' : want !== segments[i]) return false;
  }
  return true;
}
