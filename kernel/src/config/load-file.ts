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

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/** Read a YAML or JSON config file; parse errors name the file and line. */
export function loadConfigFile(file: string, cwd = process.cwd()): LoadedConfigFile {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new KernelErrors.CONFIG_FILE_NOT_FOUND(path);
  let data: unknown;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // one line, with the position in front: yaml gives linePos, JSON.parse an offset
    const message = (err as Error).message.split('\n')[0];
    const offset = /at position (\d+)/.exec(message)?.[1];
    const at = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0] ?? (offset ? lineAndColumn(text, Number(offset)) : undefined);
    const problem = message.replace(/ at line \d+, column \d+:?$/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new KernelErrors.CONFIG_FILE_UNREADABLE(path, problem, at?.line, at?.col);
  }
  if (data == null) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new KernelErrors.CONFIG_INVALID(`${path}: (root): must be an object of settings`);
  }
  return { path, dir: dirname(path), data: data as Record<string, unknown> };
}
