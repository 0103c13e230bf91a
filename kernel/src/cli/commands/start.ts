// `understudy start`: build the kernel from presets, a config file and flags, and serve.
import { createKernel, findDefaultConfigFile, loadConfigFile, type Kernel, type KernelConfigInput } from '../../index.js';
import { list, parseClock, parseCommand, parseLogLevel, parsePort, parseSeed, str, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { paint } from '../output.js';

/** The preset `start` uses when nothing else says what to load. */
export const DEFAULT_PRESET = 'basic';

const spec: CommandSpec = {
  name: 'start',
  summary: 'Start the server with presets, a config file and flags.',
  usage: 'start [--preset <name>]... [--config <file>] [--port <n>] [--host <h>] [--seed <s>] [--clock real|virtual] [--log-level <l>] [--log-format json|pretty]',
  options: {
    preset: { type: 'string', short: 'p', multiple: true, value: 'name', description: `Preset to load, by name, package or path (default: ${DEFAULT_PRESET} when nothing else is configured).` },
    config: { type: 'string', short: 'c', value: 'file', description: 'Config file (default: understudy.yaml, .yml or .json in the current folder, if present).' },
    port: { type: 'string', value: 'n', description: 'Port to listen on; 0 picks a free port (overrides server.port).' },
    host: { type: 'string', value: 'h', description: 'Interface to listen on (overrides server.host).' },
    seed: { type: 'string', value: 's', description: 'Run seed, integer or string (overrides seed).' },
    clock: { type: 'string', value: 'kind', description: 'real (default) or virtual: time moves only with POST /__admin/clock/advance (overrides clock).' },
    'log-level': { type: 'string', value: 'l', description: 'fatal, error, warn, info, debug, trace or silent (overrides logLevel).' },
    'log-format': { type: 'string', value: 'f', description: 'json (one line per entry) or pretty (human-readable) (overrides logFormat; default pretty on a terminal, json otherwise).' },
  },
  examples: [
    'understudy start',
    'understudy start --preset basic --port 0',
    'understudy start --config understudy.yaml --seed 42 --log-level warn',
    'understudy start --preset mesh --log-format pretty',
    'understudy start --preset ops --clock virtual',
  ],
};

export interface StartPlan {
  /** Config file in use, if any. */
  configFile?: string;
  presets: string[];
  overrides: KernelConfigInput;
}

/**
 * Whether a config file says what to load (presets, load or plugins). When it does not,
 * `start` serves the default preset, so that a bare `understudy start` does something.
 */
export function choosesWhatToLoad(data: Record<string, unknown>): boolean {
  return ['presets', 'load', 'plugins'].some((k) => {
    const v = data[k];
    return Array.isArray(v) ? v.length > 0 : v != null && typeof v === 'object' ? Object.keys(v).length > 0 : v != null;
  });
}

/**
 * Work out what `start` will load, without loading it. On a terminal (`tty`) the logs
 * default to pretty, so the start line and the logs a person reads are one format; piped
 * or in CI they stay JSON lines. `--log-format` or `logFormat` in the file win.
 */
export function planStart(argv: string[], cwd: string, { tty = false }: { tty?: boolean } = {}): StartPlan {
  const { values } = parseCommand(spec, argv);
  const port = parsePort(str(values, 'port'));
  const host = str(values, 'host');
  const seed = parseSeed(str(values, 'seed'));
  const clock = parseClock(str(values, 'clock'));
  const logLevel = parseLogLevel(str(values, 'log-level'));
  const logFormat = str(values, 'log-format');
  const explicit = str(values, 'config');
  const configFile = explicit ?? findDefaultConfigFile(cwd);
  const presets = list(values, 'preset');
  const data = configFile ? loadConfigFile(configFile, cwd).data : {};
  // nothing chosen anywhere (no --preset, and no presets, load or plugins in the config)
  if (presets.length === 0 && !choosesWhatToLoad(data)) presets.push(DEFAULT_PRESET);
  const overrides: KernelConfigInput = {};
  if (port !== undefined || host !== undefined) {
    overrides.server = { ...(port !== undefined && { port }), ...(host !== undefined && { host }) };
  }
  if (seed !== undefined) overrides.seed = seed;
  if (clock !== undefined) overrides.clock = clock;
  if (logLevel !== undefined) overrides.logLevel = logLevel;
  // checked by the kernel's config schema, which names the path and the allowed values
  if (logFormat !== undefined) overrides.logFormat = logFormat as KernelConfigInput['logFormat'];
  else if (tty && data.logFormat === undefined) overrides.logFormat = 'pretty';
  return { configFile, presets, overrides };
}

/**
 * The one line printed once listening: the address actually bound (`http://0.0.0.0:8080,
 * every interface`, with the URL to use from this machine), what is loaded, and whether
 * the admin API takes a token.
 */
export function listeningLine(url: string, kernel: Kernel, presets: string[]): string {
  const allPresets = [...new Set([...presets, ...kernel.config.presets])];
  const plugins = kernel.plugins().map((p) => p.name);
  const address = kernel.address;
  const bound = address && !address.loopback ? `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}` : url;
  const parts = [
    ...(bound !== url ? [`from here ${url}`] : []),
    ...(allPresets.length ? [`preset${allPresets.length > 1 ? 's' : ''} ${allPresets.join(', ')}`] : []),
    `plugins: ${plugins.join(', ') || '(none)'}`,
    `admin at /__admin${kernel.controlPlane.token ? ', token required' : ''}`,
  ];
  return `Understudy listening on ${bound}${address?.everyInterface ? ', every interface' : ''} (${parts.join('; ')})`;
}

/** Printed under the start line when the admin API is open to the network. */
export function openWarning(kernel: Kernel): string | undefined {
  const address = kernel.address;
  if (!kernel.controlPlane.open || !address) return undefined;
  return `warning: the admin API is open to the network (server.admin.requireToken: false): anyone who can reach port ${address.port} can add stubs, change the world and read its secrets. Set UNDERSTUDY_ADMIN_TOKEN to protect it.`;
}

async function start(argv: string[], ctx: CliContext): Promise<number> {
  const plan = planStart(argv, ctx.cwd, { tty: ctx.output.tty });
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
  const warning = openWarning(kernel);
  if (warning) ctx.output.err(paint(ctx.output, 'yellow', warning));
  return 0;
}

export const startCommand: Command = { spec, run: start };
