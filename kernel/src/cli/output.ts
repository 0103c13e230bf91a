// Where the CLI writes, and how it shows errors: one clear line, then a hint.
import { styleText } from 'node:util';

/** The CLI's output sink: the process's streams, or a buffer in tests. */
export interface Output {
  /** A line of normal output (stdout). */
  out(line?: string): void;
  /** A line of diagnostics (stderr). */
  err(line?: string): void;
  /** Colour when writing to a terminal. */
  readonly color: boolean;
}

export function processOutput(): Output {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  // `understudy plugins | head`: the reader went away, so there is nobody left to tell
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (line = '') => void process.stdout.write(`${line}\n`),
    err: (line = '') => void process.stderr.write(`${line}\n`),
    color,
  };
}

/** Collects lines (tests, embedding). */
export interface BufferOutput extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
  /** stdout and stderr joined, in write order. */
  text(): string;
}

export function bufferOutput(): BufferOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const all: string[] = [];
  return {
    stdout,
    stderr,
    color: false,
    out: (line = '') => void (stdout.push(line), all.push(line)),
    err: (line = '') => void (stderr.push(line), all.push(line)),
    text: () => all.join('\n'),
  };
}

type Style = 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan';
export function paint(output: Output, style: Style, text: string): string {
  return output.color ? styleText(style, text) : text;
}

/** A usage mistake (bad flag, missing argument): exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error the CLI itself raises with a prepared hint: exit code 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface ErrorLike {
  message?: string;
  code?: string;
  hint?: string;
  port?: number;
  address?: string;
  path?: string;
}

/** A hint for the kernel's and Node's well-known failures. */
function hintFor(err: ErrorLike): string | undefined {
  if (err.hint) return err.hint;
  const message = err.message ?? '';
  switch (err.code) {
    case 'US_MODULE_NOT_FOUND': {
      const kind = /^Cannot find preset/.test(message) ? 'preset' : 'plugin';
      if (/\(tried [./]/.test(message)) return `check the path; it is resolved against the config file's folder.`;
      const wanted = /^Cannot find \w+ "([^"]+)"/.exec(message)?.[1];
      const available = /Available \w+s: (.*)\.$/.exec(message)?.[1]?.split(', ') ?? [];
      if (wanted && available.includes(wanted)) {
        return `@understudy/${kind}-${wanted} is installed but its entry file is missing: build it (npm run build).`;
      }
      return `see what is installed with \`understudy ${kind}s\`, or install one: npm install @understudy/${kind}-<name>`;
    }
    case 'US_CONFIG_INVALID':
      return 'fix the settings named above; `understudy init` writes a commented sample config.';
    case 'US_PLUGIN_MISSING_DEPENDENCIES':
      return 'list installed plugins with `understudy plugins`.';
    case 'EADDRINUSE':
      return 'pick another port with --port <n> (0 = any free port).';
    case 'EACCES':
      return err.port !== undefined ? 'ports below 1024 need privileges; use --port 8080 or --port 0.' : undefined;
    default:
      return undefined;
  }
}

/** Print an error as `error: <first line> [CODE]`, any detail lines indented, then `hint:`. */
export function printError(output: Output, error: unknown): void {
  const err = (error instanceof Error ? error : { message: String(error) }) as ErrorLike;
  let message = err.message ?? String(error);
  if (err.code === 'EADDRINUSE') message = `port ${err.port ?? ''} is already in use${err.address ? ` on ${err.address}` : ''}`;
  const [first, ...rest] = message.split('\n');
  const code = err.code && err.code !== 'EADDRINUSE' ? paint(output, 'dim', ` [${err.code}]`) : '';
  output.err(`${paint(output, 'red', 'error:')} ${first}${code}`);
  for (const line of rest) output.err(`  ${line.replace(/^\s+/, '')}`);
  const hint = hintFor(err);
  if (hint) output.err(`${paint(output, 'yellow', 'hint:')} ${hint}`);
}

/** Align rows into columns separated by two spaces (the last column is not padded). */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}
