import { dirname } from 'node:path';
import semver from 'semver';
import type { KernelConfig } from '../config/schema.js';
import { validateAgainst } from '../config/validate.js';
import { KernelErrors } from '../errors/index.js';
import type { PluginDefinition, PresetDefinition } from '../plugin.js';
import { KERNEL_VERSION } from '../version.js';
import { importModule } from './resolve-module.js';
import { deepMerge } from './merge.js';
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
  /** Problems already found in the kernel's own settings, reported with the plugins'. */
  kernelProblems?: string[];
  /** Services the kernel registers itself (a plugin may depend on them by name). */
  kernelServices?: string[];
}

/**
 * Expand presets, load every plugin, merge preset defaults with the user's config,
 * validate each plugin's config (all problems in one error), and order by dependencies.
 */
export async function collectPlugins(input: CollectInput): Promise<LoadedPlugin[]> {
  const kernelProblems = input.kernelProblems ?? [];
  try {
    return await collect(input, kernelProblems);
  } catch (err) {
    // a plugin that cannot even be loaded still goes in the one list of problems
    if (!kernelProblems.length || (err as { code?: string }).code === 'US_CONFIG_INVALID') throw err;
    throw new KernelErrors.CONFIG_INVALID([...kernelProblems, (err as Error).message]);
  }
}

async function collect(input: CollectInput, kernelProblems: string[]): Promise<LoadedPlugin[]> {
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

  const problems: string[] = [...kernelProblems];
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
  const order = orderByDependencies(loaded.map((l) => ({ ...l.definition, loaded: l })), input.kernelServices);
  return order.map((o) => o.loaded);
}
