import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KernelErrors } from '../errors/index.js';

/** The names `understudy start` looks for, in order, when no --config is given. */
export const DEFAULT_CONFIG_FILES = ['understudy.yaml', 'understudy.yml', 'understudy.json'];

export interface LoadedConfigFile {
  path: string;
  dir: string;
  data: Record<string, unknown>;
}

export function findDefaultConfigFile(cwd: string): string | undefined {
  return DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

/** Read a YAML or JSON config file; parse errors name the file and line. */
export function loadConfigFile(file: string, cwd = process.cwd()): LoadedConfigFile {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new KernelErrors.CONFIG_FILE_NOT_FOUND(path);
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // yaml reports where (linePos); keep its first line only, the position goes in front
    const at = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    const problem = at ? (err as Error).message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') : (err as Error).message;
    throw new KernelErrors.CONFIG_FILE_UNREADABLE(path, problem, at?.line, at?.col);
  }
  if (data == null) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new KernelErrors.CONFIG_INVALID(`${path}: (root): must be an object of settings`);
  }
  return { path, dir: dirname(path), data: data as Record<string, unknown> };
}
