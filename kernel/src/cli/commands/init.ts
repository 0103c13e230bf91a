// `understudy init`: write a commented sample config for a preset.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { importModule, KernelConfigSchema, validateAgainst, type PluginDefinition, type PresetDefinition } from '../../index.js';
import { parseCommand, str, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { CliError, paint } from '../output.js';
import { readTemplate, render } from '../templates.js';
import { DEFAULT_PRESET } from './start.js';

const spec: CommandSpec = {
  name: 'init',
  summary: 'Write a commented sample config (understudy.yaml) for a preset.',
  usage: 'init [--preset <name>] [--file <file>] [--force]',
  options: {
    preset: { type: 'string', short: 'p', value: 'name', description: `Preset the config starts from (default: ${DEFAULT_PRESET}).` },
    file: { type: 'string', value: 'file', description: 'File to write (default: understudy.yaml).' },
    force: { type: 'boolean', short: 'f', description: 'Overwrite the file if it exists.' },
  },
  examples: ['understudy init', 'understudy init --preset basic --file mocks.yaml --force'],
};

function posixRelative(from: string, to: string): string {
  const rel = relative(from, to).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** `# plugins:` section: each of the preset's plugins with its effective defaults, commented out. */
async function pluginSection(preset: PresetDefinition, presetFile: string): Promise<{ text: string; names: string[] }> {
  const lines: string[] = [];
  const names: string[] = [];
  for (const entry of preset.plugins) {
    const definition: PluginDefinition<any> =
      typeof entry === 'string' ? (await importModule<PluginDefinition<any>>('plugin', entry, dirname(presetFile))).definition : entry;
    names.push(definition.name);
    const config = structuredClone((preset.config?.[definition.name] ?? {}) as Record<string, unknown>);
    if (definition.config) validateAgainst(definition.config, config); // fills in defaults
    const about = definition.description ? `  # ${definition.description}` : '';
    if (Object.keys(config).length === 0) {
      lines.push(`#   ${definition.name}: {}${about}`);
      continue;
    }
    lines.push(`#   ${definition.name}:${about}`);
    for (const line of stringify(config).trimEnd().split('\n')) lines.push(`#     ${line}`);
  }
  if (lines.length === 0) lines.push('#   <plugin>: {}');
  return { text: lines.join('\n'), names };
}

/** The sample config text for a preset (kernel defaults filled in from the schema). */
export async function renderSampleConfig(presetName: string, file: string, cwd: string): Promise<{ text: string; plugins: string[] }> {
  const { definition: preset, from } = await importModule<PresetDefinition>('preset', presetName, cwd);
  const defaults = {} as Record<string, unknown>;
  validateAgainst(KernelConfigSchema, defaults);
  const server = defaults.server as { port: number; host: string; bodyLimit: number };
  const plugins = await pluginSection(preset, from);
  const text = render(readTemplate('init/understudy.yaml.tmpl'), {
    preset: presetName,
    file,
    port: String(server.port),
    host: server.host,
    bodyLimit: String(server.bodyLimit),
    seed: String(defaults.seed),
    clock: String(defaults.clock),
    logLevel: String(defaults.logLevel),
    logFormat: String(defaults.logFormat),
    lifecycleTimeout: String(defaults.lifecycleTimeout),
    maxHops: String(defaults.maxHops),
    eventBuffer: String(defaults.eventBuffer),
    eventBufferBytes: String(defaults.eventBufferBytes),
    plugins: plugins.text,
  });
  return { text, plugins: plugins.names };
}

async function init(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const preset = str(values, 'preset') ?? DEFAULT_PRESET;
  const file = str(values, 'file') ?? 'understudy.yaml';
  const path = resolve(ctx.cwd, file);
  if (existsSync(path) && values.force !== true) {
    throw new CliError(`${file} already exists`, 'pass --force to overwrite it, or --file <file> to write another file.');
  }
  // a preset given by path is resolved against the config file's folder when loaded
  const presetRef = preset.startsWith('.') ? posixRelative(dirname(path), resolve(ctx.cwd, preset)) : preset;
  const { text, plugins } = await renderSampleConfig(presetRef, file, dirname(path));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const { output } = ctx;
  output.out(`${paint(output, 'green', '✓')} Wrote ${file} (preset ${presetRef}; plugins: ${plugins.join(', ') || '(none)'})`);
  output.out(`  check it:  understudy validate ${file}`);
  output.out(`  serve it:  understudy start${file === 'understudy.yaml' ? '' : ` --config ${file}`}`);
  return 0;
}

export const initCommand: Command = { spec, run: init };
