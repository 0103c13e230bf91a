import { dirname } from 'node:path';
import semver from 'semver';
import type { KernelConfig } from '../config/schema.js';
import { validateAgainst } from '../config/validate.js';
import { KernelErrors } from '../errors.js';
import type { PluginDefinition, PresetDefinition } from '../plugin.js';
import { KERNEL_VERSION } from '../version.js';
import { importModule } from './resolve-module.js';
import { orderByDependencies } from './order.js';

export interface LoadedPlugin {
  definition: PluginDefinition<any>;
  /** Validated config with defaults filled in. */
  config: Record<string, unknown>;
  /** Where it came from (preset name, file, or `inline`). */
  from: string;
}

export interface CollectInput {
  config: KernelConfig;
  baseDir: string;
  presets: Array<string | PresetDefinition>;
  plugins: Array<string | PluginDefinition<any>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; anything else (arrays included) is replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/**
 * Expand presets, load every plugin, merge preset defaults with the user's config,
 * validate each plugin's config (all problems in one error), and order by dependencies.
 */
export async function collectPlugins(input: CollectInput): Promise<LoadedPlugin[]> {
  const { config, baseDir } = input;
  const entries = new Map<string, { definition: PluginDefinition<any>; from: string }>();
  const presetDefaults: Record<string, unknown> = {};

  const add = (definition: PluginDefinition<any>, from: string) => {
    const existing = entries.get(definition.name);
    if (existing && existing.definition !== definition) {
      throw new KernelErrors.PLUGIN_DUPLICATE(definition.name, existing.from, from);
    }
    if (!existing) entries.set(definition.name, { definition, from });
  };
  const load = async (spec: string | PluginDefinition<any>, dir: string, from: string) => {
    if (typeof spec !== 'string') return add(spec, from);
    const { definition, from: file } = await importModule<PluginDefinition<any>>('plugin', spec, dir);
    add(definition, file);
  };

  for (const spec of [...input.presets, ...config.presets]) {
    const { definition: preset, from } =
      typeof spec === 'string' ? await importModule<PresetDefinition>('preset', spec, baseDir) : { definition: spec, from: '' };
    for (const p of preset.plugins) await load(p, from ? dirname(from) : baseDir, `preset "${preset.name}"`);
    for (const [name, value] of Object.entries(preset.config ?? {})) {
      presetDefaults[name] = deepMerge(presetDefaults[name], value);
    }
  }
  for (const p of input.plugins) await load(p, baseDir, 'inline');
  for (const p of config.load) await load(p, baseDir, 'load');
  for (const [name, value] of Object.entries(config.plugins)) {
    if (value !== false && !entries.has(name)) await load(name, baseDir, `plugins.${name}`);
  }
  for (const [name, value] of Object.entries(config.plugins)) if (value === false) entries.delete(name);

  const problems: string[] = [];
  const loaded: LoadedPlugin[] = [];
  for (const { definition, from } of entries.values()) {
    if (definition.kernel && !semver.satisfies(KERNEL_VERSION, definition.kernel, { includePrerelease: true })) {
      throw new KernelErrors.PLUGIN_KERNEL_RANGE(definition.name, definition.kernel, KERNEL_VERSION);
    }
    const user = config.plugins[definition.name];
    const merged = structuredClone(deepMerge(presetDefaults[definition.name] ?? {}, user ?? {})) as Record<string, unknown>;
    if (definition.config) problems.push(...validateAgainst(definition.config, merged, `plugins.${definition.name}`));
    loaded.push({ definition, config: merged, from });
  }
  if (problems.length) throw new KernelErrors.CONFIG_INVALID(problems.join('\n'));
  const order = orderByDependencies(loaded.map((l) => ({ ...l.definition, loaded: l })));
  return order.map((o) => o.loaded);
}
