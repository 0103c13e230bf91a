// `understudy validate <file>`: check kernel settings and every plugin's config.
import { pino } from 'pino';
import { createKernel, loadConfigFile, type PluginInfo } from '../../index.js';
import { parseCommand, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { CliError, paint } from '../output.js';
import { choosesWhatToLoad, DEFAULT_PRESET } from './start.js';

const spec: CommandSpec = {
  name: 'validate',
  summary: 'Check a config file: kernel settings and each plugin\'s config (loads the presets and plugins it names).',
  usage: 'validate <file>',
  options: {},
  positionals: { min: 1, max: 1 },
  examples: ['understudy validate understudy.yaml'],
};

export interface ValidationResult {
  path: string;
  presets: string[];
  plugins: PluginInfo[];
  /** The file names no preset or plugin, so `start` (and this check) uses the default preset. */
  defaulted: boolean;
}

/**
 * Load a config file the way `start` does — kernel settings, presets, plugins, each
 * plugin's schema with defaults — register everything without listening, then stop.
 * Throws the kernel's error (US_CONFIG_INVALID names every bad path) when invalid.
 */
export async function validateConfigFile(file: string, cwd = process.cwd()): Promise<ValidationResult> {
  const { path, data } = loadConfigFile(file, cwd);
  const defaulted = !choosesWhatToLoad(data);
  const kernel = createKernel({ config: path, cwd, presets: defaulted ? [DEFAULT_PRESET] : [], logger: pino({ level: 'silent' }) });
  try {
    await kernel.setup();
    return { path, presets: defaulted ? [DEFAULT_PRESET] : kernel.config.presets, plugins: kernel.plugins(), defaulted };
  } finally {
    await kernel.stop().catch(() => undefined);
  }
}

async function validate(argv: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parseCommand(spec, argv);
  const file = positionals[0];
  let result: ValidationResult;
  try {
    result = await validateConfigFile(file, ctx.cwd);
  } catch (err) {
    // every problem the kernel found, kernel settings and plugin options alike, each with its path
    const e = err as Error & { code?: string; problems?: string[] };
    if (e.code === 'US_CONFIG_INVALID' && Array.isArray(e.problems)) {
      throw new CliError(`${file} is invalid:\n${e.problems.join('\n')}`, 'fix the settings named above and run `understudy validate` again.', e.code);
    }
    throw err;
  }
  const plugins = `plugins: ${result.plugins.map((p) => p.name).join(', ') || '(none)'}`;
  if (result.defaulted) {
    ctx.output.out(
      `${paint(ctx.output, 'green', '✓')} ${file} is valid; it names no preset or plugin, so \`understudy start\` would load the ${DEFAULT_PRESET} preset (${plugins})`,
    );
    return 0;
  }
  const parts = [...(result.presets.length ? [`presets: ${result.presets.join(', ')}`] : []), plugins];
  ctx.output.out(`${paint(ctx.output, 'green', '✓')} ${file} is valid (${parts.join('; ')})`);
  return 0;
}

export const validateCommand: Command = { spec, run: validate };
