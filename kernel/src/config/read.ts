// The kernel's settings from a file or an object, merged with overrides and checked.
// Problems are returned, not thrown: the loader reports them together with every
// plugin's, so one run names every bad path.
import { deepMerge, isObject } from '../loader/merge.js';
import type { KernelOptions } from '../kernel-api.js';
import { loadConfigFile } from './load-file.js';
import { KernelConfigSchema, type KernelConfig } from './schema.js';
import { validateAgainst } from './validate.js';

export interface ReadConfig {
  config: KernelConfig;
  problems: string[];
  /** Folder relative paths resolve against: the config file's, else cwd. */
  baseDir: string;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The environment's part of the config: UNDERSTUDY_ADMIN_TOKEN, which wins over the file. */
function fromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const token = env.UNDERSTUDY_ADMIN_TOKEN;
  return token ? { server: { admin: { token } } } : {};
}

/**
 * The token stays readable by code (`config.server.admin.token`) but is not enumerable,
 * so nothing that serializes or logs the config (JSON, pino, a spread) shows it.
 */
function hideToken(config: KernelConfig): void {
  const { admin } = config.server;
  if (admin.token !== undefined) Object.defineProperty(admin, 'token', { value: admin.token, enumerable: false });
}

export function readKernelConfig(options: Pick<KernelOptions, 'config' | 'overrides' | 'cwd' | 'env'>): ReadConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = typeof options.config === 'string' ? loadConfigFile(options.config, cwd) : undefined;
  const data = file ? file.data : structuredClone((options.config ?? {}) as Record<string, unknown>);
  // file < environment < overrides (the CLI's flags)
  const merged = deepMerge(deepMerge(data, fromEnv(options.env ?? process.env)), options.overrides ?? {}) as Record<string, unknown>;
  const problems = validateAgainst(KernelConfigSchema, merged);
  if (!problems.length) {
    hideToken(merged as KernelConfig);
    return { config: merged as KernelConfig, problems, baseDir: file?.dir ?? cwd };
  }
  // Invalid: run on the defaults, keeping what the loader needs to check plugins too.
  const config = {} as KernelConfig;
  validateAgainst(KernelConfigSchema, config);
  if (isObject(merged.plugins)) config.plugins = merged.plugins as KernelConfig['plugins'];
  if (isStringList(merged.presets)) config.presets = merged.presets;
  if (isStringList(merged.load)) config.load = merged.load;
  return { config, problems, baseDir: file?.dir ?? cwd };
}
