// Which responses are the formatter's: paths under a configured prefix (whole segments:
// `/finance` covers `/finance` and `/finance/…`, not `/financial`), minus excluded
// prefixes, and never the control plane (`/__admin`), whatever the config says.

const ADMIN = '/__admin';

/** `/a/b/` and `/a/b` are one prefix; `/` covers everything. */
function normalise(prefix: string): string {
  return prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
}

function under(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47 /* / */);
}

/** A predicate over request paths built once from the config (it runs on every response). */
export function createScope(paths: readonly string[], exclude: readonly string[]): (path: string) => boolean {
  const include = paths.map(normalise);
  const leave = [ADMIN, ...exclude.map(normalise)];
  return (path) => {
    // the kernel's paths are as received: compare the decoded form, so /%5F%5Fadmin is admin too
    let p = path;
    if (p.includes('%')) {
      try {
        p = decodeURIComponent(p);
      } catch {
        // not decodable: compare it as it is
      }
    }
    return include.some((prefix) => under(p, prefix)) && !leave.some((prefix) => under(p, prefix));
  };
}
