// Flag parsing on node:util parseArgs, plus the help text each command prints.
import { parseArgs } from 'node:util';
import type { Output } from './output.js';
import { UsageError } from './output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in help: `--port <n>`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. `validate <file>` */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Positional argument count accepted. */
  positionals?: { min: number; max: number };
  examples?: string[];
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  help: boolean;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/**
 * `--port -1` → `--port=-1`: parseArgs takes a value that starts with a dash for an
 * option and calls the flag "ambiguous"; a negative number is a value, which the
 * option's own check then refuses with a message that says what is wrong.
 */
function joinNegativeValues(spec: CommandSpec, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && spec.options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Parse argv for one command; mistakes become UsageError (exit code 2). */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const options = { ...spec.options, help: HELP };
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(spec, argv),
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    if (!String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw err;
    const message = (err as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '');
    throw new UsageError(message, `see \`understudy ${spec.name} --help\`.`);
  }
  const help = parsed.values.help === true;
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  if (!help) {
    if (parsed.positionals.length < min) {
      throw new UsageError(`missing argument: understudy ${spec.usage}`, `see \`understudy ${spec.name} --help\`.`);
    }
    if (parsed.positionals.length > max) {
      throw new UsageError(
        `unexpected argument "${parsed.positionals[max]}" for \`understudy ${spec.name}\``,
        `see \`understudy ${spec.name} --help\`.`,
      );
    }
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals, help };
}

export function printHelp(output: Output, spec: CommandSpec): void {
  output.out(`Usage: understudy ${spec.usage}`);
  output.out();
  output.out(spec.summary);
  output.out();
  output.out('Options:');
  const rows = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` <${o.value}>` : ''}`;
    return [`  ${flag}`, o.description + (o.multiple ? ' (repeatable)' : '')];
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [flag, text] of rows) output.out(`${flag.padEnd(width)}  ${text}`);
  if (spec.examples?.length) {
    output.out();
    output.out('Examples:');
    for (const e of spec.examples) output.out(`  ${e}`);
  }
}

/** `--port 8080` → 8080; rejects anything but an integer in 0..65535. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}"`, 'use --port 0 for any free port.');
  }
  return Number(value);
}

/** `--seed 42` → 42, `--seed demo` → "demo" (the kernel accepts both). */
export function parseSeed(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return value as LogLevel;
}

export function parseClock(value: string | undefined): 'real' | 'virtual' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'real' && value !== 'virtual') {
    throw new UsageError(`--clock must be real or virtual, got "${value}"`, 'virtual: time moves only with POST /__admin/clock/advance.');
  }
  return value;
}

export function str(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Parsed['values'], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
