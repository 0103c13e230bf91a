import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KernelErrors } from '../errors/index.js';
import type { PluginDefinition, PresetDefinition } from '../plugin.js';

export type ModuleKind = 'plugin' | 'preset';

const kernelDir = dirname(fileURLToPath(import.meta.url));

function isPath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec);
}

/** Candidate package names for a short name: `stubs` → `@understudy/plugin-stubs`. */
export function candidates(kind: ModuleKind, spec: string): string[] {
  if (isPath(spec) || spec.startsWith('@') || spec.includes('/')) return [spec];
  return [`@understudy/${kind}-${spec}`, `understudy-${kind}-${spec}`, spec];
}

type ExportsField = string | { [key: string]: ExportsField } | undefined;

/** The entry an ESM import of this package would load: `exports` '.', then `main`. */
function packageEntry(exportsField: ExportsField): string | undefined {
  if (typeof exportsField === 'string' || exportsField === undefined) return exportsField;
  const root = '.' in exportsField ? exportsField['.'] : exportsField;
  if (typeof root === 'string') return root;
  for (const condition of [...userConditions(), 'import', 'default']) {
    const entry = root?.[condition];
    if (entry !== undefined) return packageEntry(entry);
  }
  return undefined;
}

/** Conditions Node was started with (`--conditions=source` in the project's tests). */
function userConditions(): string[] {
  return process.execArgv.flatMap((arg, i, all) =>
    arg.startsWith('--conditions=') ? [arg.slice(13)] : arg === '--conditions' || arg === '-C' ? [all[i + 1]] : [],
  );
}

/** A plugin folder: its package.json entry, or an index file. */
function resolveDirectory(dir: string): string | undefined {
  const pkgFile = join(dir, 'package.json');
  if (existsSync(pkgFile)) {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    const entry = packageEntry(pkg.exports) ?? pkg.main;
    if (entry) return resolve(dir, entry);
  }
  return ['index.js', 'index.mjs'].map((f) => join(dir, f)).find((f) => existsSync(f));
}

/** Resolve from the user's folder first, then from the kernel's own install. */
function resolveSpecifier(spec: string, baseDir: string): string | undefined {
  if (isPath(spec)) {
    const full = resolve(baseDir, spec);
    if (!existsSync(full)) return undefined;
    return statSync(full).isDirectory() ? resolveDirectory(full) : full;
  }
  for (const from of [join(baseDir, 'noop.js'), join(kernelDir, 'noop.js')]) {
    try {
      return createRequire(from).resolve(spec);
    } catch {
      // try the next base
    }
  }
  return undefined;
}

/** Import a plugin or preset by short name, package name or path. */
export async function importModule<T extends PluginDefinition<any> | PresetDefinition>(
  kind: ModuleKind,
  spec: string,
  baseDir: string,
): Promise<{ definition: T; from: string }> {
  const tried = candidates(kind, spec);
  for (const name of tried) {
    const file = resolveSpecifier(name, baseDir);
    if (!file) continue;
    const mod = await import(pathToFileURL(file).href);
    const definition = (mod.default ?? mod) as T;
    const valid = kind === 'plugin'
      ? typeof (definition as PluginDefinition).register === 'function'
      : Array.isArray((definition as PresetDefinition).plugins);
    if (!valid || typeof definition.name !== 'string') {
      throw new KernelErrors.MODULE_INVALID(file, kind);
    }
    return { definition, from: file };
  }
  throw new KernelErrors.MODULE_NOT_FOUND(kind, spec, tried);
}
