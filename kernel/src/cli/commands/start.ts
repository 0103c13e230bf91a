// `understudy start`: build the kernel from presets, a config file and flags, and serve.
import { createKernel, findDefaultConfigFile, loadConfigFile, type Kernel, type KernelConfigInput } from '../../index.js';
import { list, parseCommand, parseLogLevel, parsePort, parseSeed, str, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { paint } from '../output.js';

/** The preset `start` uses when nothing else says what to load. */
export const DEFAULT_PRESET = 'basic';

const spec: CommandSpec = {
  name: 'start',
  summary: 'Start the server with presets, a config file and flags.',
  usage: 'start [--preset <name>]... [--config <file>] [--port <n>] [--host <h>] [--seed <s>] [--log-level <l>] [--log-format json|pretty]',
  options: {
    preset: { type: 'string', short: 'p', multiple: true, value: 'name', description: `Preset to load, by name, package or path (default: ${DEFAULT_PRESET} when nothing else is configured).` },
    config: { type: 'string', short: 'c', value: 'file', description: 'Config file (default: understudy.yaml, .yml or .json in the current folder, if present).' },
    port: { type: 'string', value: 'n', description: 'Port to listen on; 0 picks a free port (overrides server.port).' },
    host: { type: 'string', value: 'h', description: 'Interface to listen on (overrides server.host).' },
    seed: { type: 'string', value: 's', description: 'Run seed, integer or string (overrides seed).' },
    'log-level': { type: 'string', value: 'l', description: 'fatal, error, warn, info, debug, trace or silent (overrides logLevel).' },
    'log-format': { type: 'string', value: 'f', description: 'json (one line per entry) or pretty (human-readable) (overrides logFormat).' },
  },
  examples: [
    'understudy start',
    'understudy start --preset basic --port 0',
    'understudy start --config understudy.yaml --seed 42 --log-level warn',
    'understudy start --preset mesh --log-format pretty',
  ],
};

export interface StartPlan {
  /** Config file in use, if any. */
  configFile?: string;
  presets: string[];
  overrides: KernelConfigInput;
}

/** Work out what `start` will load, without loading it. */
export function planStart(argv: string[], cwd: string): StartPlan {
  const { values } = parseCommand(spec, argv);
  const port = parsePort(str(values, 'port'));
  const host = str(values, 'host');
  const seed = parseSeed(str(values, 'seed'));
  const logLevel = parseLogLevel(str(values, 'log-level'));
  const logFormat = str(values, 'log-format');
  const explicit = str(values, 'config');
  const configFile = explicit ?? findDefaultConfigFile(cwd);
  const presets = list(values, 'preset');
  if (presets.length === 0) {
    // Nothing chosen anywhere (no --preset, and no presets, load or plugins in the
    // config): serve the default preset so that a bare `understudy start` does something.
    const data = configFile ? loadConfigFile(configFile, cwd).data : {};
    const chooses = ['presets', 'load', 'plugins'].some((k) => {
      const v = data[k];
      return Array.isArray(v) ? v.length > 0 : v != null && typeof v === 'object' ? Object.keys(v).length > 0 : v != null;
    });
    if (!chooses) presets.push(DEFAULT_PRESET);
  }
  const overrides: KernelConfigInput = {};
  if (port !== undefined || host !== undefined) {
    overrides.server = { ...(port !== undefined && { port }), ...(host !== undefined && { host }) };
  }
  if (seed !== undefined) overrides.seed = seed;
  if (logLevel !== undefined) overrides.logLevel = logLevel;
  // checked by the kernel's config schema, which names the path and the allowed values
  if (logFormat !== undefined) overrides.logFormat = logFormat as KernelConfigInput['logFormat'];
  return { configFile, presets, overrides };
}

/** The one line printed once listening. */
export function listeningLine(url: string, kernel: Kernel, presets: string[]): string {
  const allPresets = [...new Set([...presets, ...kernel.config.presets])];
  const plugins = kernel.plugins().map((p) => p.name);
  const parts = [
    ...(allPresets.length ? [`preset${allPresets.length > 1 ? 's' : ''} ${allPresets.join(', ')}`] : []),
    `plugins: ${plugins.join(', ') || '(none)'}`,
    'admin at /__admin',
  ];
  return `Understudy listening on ${url} (${parts.join('; ')})`;
}

async function start(argv: string[], ctx: CliContext): Promise<number> {
  const plan = planStart(argv, ctx.cwd);
  const kernel = createKernel({
    config: plan.configFile ?? {},
    presets: plan.presets,
    overrides: plan.overrides,
    cwd: ctx.cwd,
    handleSignals: ctx.handleSignals ?? true,
  });
  ctx.onKernel?.(kernel);
  let url: string;
  try {
    url = await kernel.start();
  } catch (err) {
    await kernel.stop().catch(() => undefined);
    throw err;
  }
  ctx.output.out(paint(ctx.output, 'green', listeningLine(url, kernel, plan.presets)));
  return 0;
}

export const startCommand: Command = { spec, run: start };
