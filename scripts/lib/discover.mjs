// Finds test files: kernel/test, plugin-sdk/test, plugins/*/test, presets/*/test and the
// root test/ folder (never node_modules, dist or test/bench), all `*.test.ts`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage']);

export const toPosix = (p) => p.split(sep).join('/');

function walk(dir, root, out) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(entry.name)) continue;
      if (toPosix(relative(root, full)) === 'test/bench') continue;
      walk(full, root, out);
    } else if (entry.isFile() && entry.name.endsWith('.test.ts')) {
      out.push(full);
    }
  }
  return out;
}

const subdirs = (dir) =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name)) : [];

export function testRoots(root) {
  return [
    join(root, 'kernel', 'test'),
    join(root, 'plugin-sdk', 'test'),
    ...subdirs(join(root, 'plugins')).map((d) => join(d, 'test')),
    ...subdirs(join(root, 'presets')).map((d) => join(d, 'test')),
    join(root, 'test'),
  ];
}

/**
 * All test files (absolute paths, sorted). Each filter is a path (relative to the root or
 * absolute) used as a prefix on the standard set; a filter that selects none of them but
 * names an existing folder or file (say a scratch folder) is searched directly.
 */
export function discoverTests(root, filters = []) {
  const all = [...new Set(testRoots(root).flatMap((d) => walk(d, root, [])))].sort();
  if (filters.length === 0) return all;
  const picked = new Set();
  for (const filter of filters) {
    const abs = resolve(root, filter);
    const matches = all.filter((f) => f === abs || f.startsWith(abs.endsWith(sep) ? abs : abs + sep) || toPosix(relative(root, f)).startsWith(toPosix(filter)));
    if (matches.length) matches.forEach((f) => picked.add(f));
    else if (existsSync(abs)) {
      if (statSync(abs).isFile()) picked.add(abs);
      else walk(abs, root, []).forEach((f) => picked.add(f));
    }
  }
  return [...picked].sort();
}
