// The node_modules scan behind `understudy presets` / `plugins` and the CLI's "did you
// mean" hints: every installed `@understudy/<kind>-*` package. A CLI job, not the
// kernel's: the kernel loads what it is told to, it does not look around.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModuleKind } from '../index.js';

const cliDir = dirname(fileURLToPath(import.meta.url));

/** Packages named like plugins that are libraries. */
const NOT_PLUGINS = new Set(['plugin-sdk']);

export interface InstalledModule {
  name: string;
  packageName: string;
  description: string;
  version: string;
}

/** Every `@understudy/<kind>-*` package reachable from baseDir or the CLI. */
export function listInstalled(kind: ModuleKind, baseDir = process.cwd()): InstalledModule[] {
  const found = new Map<string, InstalledModule>();
  const roots = new Set<string>();
  for (let dir of [baseDir, cliDir]) {
    for (;;) {
      roots.add(join(dir, 'node_modules', '@understudy'));
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) {
      if (!entry.startsWith(`${kind}-`) || found.has(entry) || NOT_PLUGINS.has(entry)) continue;
      try {
        const pkg = JSON.parse(readFileSync(join(root, entry, 'package.json'), 'utf8'));
        found.set(entry, {
          name: entry.slice(kind.length + 1),
          packageName: pkg.name,
          description: pkg.description ?? '',
          version: pkg.version ?? '0.0.0',
        });
      } catch {
        // not a package: ignore
      }
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
