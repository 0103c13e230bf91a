// Where the CLI writes, and how it shows errors: one clear line, any details, then a
// hint built from the error's structured fields (never by reading its message).
import { isAbsolute, sep } from 'node:path';
import { styleText } from 'node:util';
import { editDistance, type ModuleKind } from '../index.js';
import { listInstalled } from './installed.js';

/** The CLI's output sink: the process's streams, or a buffer in tests. */
export interface Output {
  /** A line of normal output (stdout). */
  out(line?: string): void;
  /** A line of diagnostics (stderr). */
  err(line?: string): void;
  /** Colour when writing to a terminal. */
  readonly color: boolean;
  /** stdout is a terminal (a person reads it): `start` then logs in one readable format. */
  readonly tty?: boolean;
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
    tty: Boolean(process.stdout.isTTY),
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

/** The fields of the kernel's errors (see errors/catalogue.ts) and Node's that hints read. */
interface ErrorLike {
  message?: string;
  code?: string;
  hint?: string;
  port?: number;
  address?: string;
  hostname?: string;
  syscall?: string;
  path?: string;
  line?: number;
  column?: number;
  kind?: ModuleKind;
  wanted?: string | string[];
  tried?: string[];
  available?: string | string[];
  plugin?: string;
  problems?: string[];
  taps?: string[];
  cause?: unknown;
}

/** The closest of `names` to `wanted`, if it is a plausible typo. */
export function closest(wanted: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(wanted, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

const isPath = (spec: string) => spec.startsWith('.') || isAbsolute(spec);
const plural = (kind: ModuleKind) => `${kind}s`;

/** Lines to add under the message: what the kernel's error does not know (what is installed). */
function detailsFor(err: ErrorLike, cwd: string): string[] {
  if (err.code === 'US_MODULE_NOT_FOUND' && err.kind && typeof err.wanted === 'string' && !isPath(err.wanted)) {
    const names = listInstalled(err.kind, cwd).map((m) => m.name);
    return [`installed ${plural(err.kind)}: ${names.join(', ') || '(none)'}`];
  }
  return [];
}

/** A hint for the kernel's and Node's well-known failures, from the error's fields. */
function hintFor(err: ErrorLike, cwd: string): string | undefined {
  if (err.hint) return err.hint;
  switch (err.code) {
    case 'US_MODULE_NOT_FOUND': {
      const kind = err.kind ?? 'plugin';
      const wanted = typeof err.wanted === 'string' ? err.wanted : undefined;
      if (wanted === undefined) return undefined;
      if (isPath(wanted)) return "check the path; it is resolved against the config file's folder.";
      const names = listInstalled(kind, cwd).map((m) => m.name);
      if (names.includes(wanted)) {
        return `@understudy/${kind}-${wanted} is installed but its entry file is missing: build it (npm run build).`;
      }
      const near = closest(wanted, names);
      if (near) return `did you mean "${near}"? \`understudy ${plural(kind)}\` lists what is installed.`;
      return `see what is installed with \`understudy ${plural(kind)}\`, or install one: npm install @understudy/${kind}-<name>`;
    }
    case 'US_CONFIG_INVALID':
      return 'fix the settings named above; `understudy init` writes a commented sample config.';
    case 'US_CONFIG_FILE_UNREADABLE':
      return err.line
        ? `fix the syntax at line ${err.line}, column ${err.column}; \`understudy init --file sample.yaml\` writes a valid file to compare with.`
        : `check that the file is valid ${err.path?.endsWith('.json') ? 'JSON' : 'YAML'}; \`understudy init --file sample.yaml\` writes a valid file to compare with.`;
    case 'US_PLUGIN_MISSING_DEPENDENCIES': {
      const wanted = Array.isArray(err.wanted) ? err.wanted : [];
      const installed = new Set(listInstalled('plugin', cwd).map((m) => m.name));
      const add = wanted.filter((w) => installed.has(w));
      return add.length
        ? `add ${add.map((w) => `\`${w}: {}\``).join(', ')} under \`plugins:\` (installed, not enabled); \`understudy plugins\` lists what is installed.`
        : 'list installed plugins with `understudy plugins`.';
    }
    case 'US_SERVICE_UNKNOWN':
      return err.plugin
        ? `plugin "${err.plugin}" provides it: declare that dependency so that "${err.plugin}" registers first.`
        : 'enable the plugin that provides it under `plugins:`; `understudy plugins` lists what is installed.';
    case 'US_PLUGIN_KERNEL_RANGE':
      return `plugin "${err.plugin}" wants kernel ${err.wanted}, this is ${err.available}: install a version of the plugin made for kernel ${err.available}.`;
    case 'US_STAGE_CONFLICT': {
      const taps = err.taps ?? [];
      return taps.length > 1
        ? `disable one of them (e.g. \`plugins: { ${taps[taps.length - 1]}: false }\`), or have its plugin order itself with \`before\`/\`after\`.`
        : undefined;
    }
    case 'US_PLUGIN_FAILED':
      // the plugin's own error may be a well-known one (a kernel check, a port in use)
      return err.cause instanceof Error ? hintFor(err.cause as ErrorLike, cwd) : undefined;
    case 'EADDRINUSE':
      return 'pick another port with --port <n> (0 = any free port).';
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface; needs an admin token), or an address of one of this machine\'s interfaces.';
    case 'US_ADMIN_TOKEN_NOT_SET':
      return 'e.g. `UNDERSTUDY_ADMIN_TOKEN=$(openssl rand -hex 32) understudy start …`, then send `Authorization: Bearer $UNDERSTUDY_ADMIN_TOKEN` to /__admin.';
    case 'EACCES':
      return err.port !== undefined ? 'ports below 1024 need privileges; use --port 8080 or --port 0.' : undefined;
    default:
      return undefined;
  }
}

/** Node's listen failures that the first line already says in words (no `[CODE]`). */
const NODE_CODES_SAID_IN_WORDS = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/** `--host` names no address of this machine: what to say instead of `listen EADDRNOTAVAIL …`. */
function listenHostProblem(err: ErrorLike): string | undefined {
  if (err.code === 'EADDRNOTAVAIL') return `cannot listen on ${err.address ?? 'that address'}: it is not an address of this machine`;
  if ((err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') && err.syscall === 'getaddrinfo') {
    return `cannot listen on ${err.hostname ?? 'that host'}: no such host name${err.code === 'EAI_AGAIN' ? ' (the name server did not answer)' : ''}`;
  }
  return undefined;
}

/** The code shown: a plugin's own (`US_MQTT_LISTEN_FAILED`) when US_PLUGIN_FAILED wraps one. */
function shownCode(err: ErrorLike): string | undefined {
  const cause = err.cause as ErrorLike | undefined;
  if (err.code === 'US_PLUGIN_FAILED' && typeof cause?.code === 'string' && cause.code.startsWith('US_')) return cause.code;
  return err.code;
}

/**
 * Print an error as `error: <first line> [CODE]`, any detail lines indented, then `hint:`.
 * `cwd` is where installed plugins and presets are looked for (for "installed: …"); paths
 * under it are shown relative to it, as the user typed them.
 */
export function printError(output: Output, error: unknown, cwd = process.cwd()): void {
  const err = (error instanceof Error ? error : { message: String(error) }) as ErrorLike;
  const here = cwd.endsWith(sep) ? cwd : cwd + sep;
  // the CLI's own errors already say what the user typed
  const ours = error instanceof CliError || error instanceof UsageError;
  const shown = (text: string) => (cwd.length > 1 && !ours ? text.split(here).join('') : text);
  let [first, ...rest] = shown(err.message ?? String(error)).split('\n');
  if (err.code === 'EADDRINUSE') [first, rest] = [`port ${err.port ?? ''} is already in use${err.address ? ` on ${err.address}` : ''}`, []];
  const badHost = listenHostProblem(err);
  if (badHost) [first, rest] = [badHost, []];
  if (err.code === 'US_CONFIG_INVALID' && Array.isArray(err.problems)) rest = err.problems.map(shown);
  const code = err.code && !NODE_CODES_SAID_IN_WORDS.has(err.code) ? paint(output, 'dim', ` [${shownCode(err)}]`) : '';
  output.err(`${paint(output, 'red', 'error:')} ${first}${code}`);
  for (const line of [...rest, ...detailsFor(err, cwd)]) output.err(`  ${line.replace(/^\s+/, '')}`);
  const hint = hintFor(err, cwd);
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
