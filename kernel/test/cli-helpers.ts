// Helpers for the CLI tests: run `understudy` as a child process the way a user does
// (from source through tsx, so coverage maps to kernel/src/cli), and wait on its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliSource = join(repoRoot, 'kernel', 'src', 'cli', 'main.ts');
export const cliBuilt = join(repoRoot, 'kernel', 'dist', 'cli', 'main.js');
/** The committed bin npm links as `understudy`: loads cliBuilt, or says to build first. */
export const cliBin = join(repoRoot, 'kernel', 'bin', 'understudy.js');
/** The one line the bin prints when the CLI is not built (a fresh clone before `npm run build`). */
export const NOT_BUILT = 'error: the understudy CLI is not built yet (kernel/dist/cli/main.js is missing): run `npm run build` first.';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for child processes: no colours, and none of the variables npm sets for
 * a script (`npm test`): with `npm_config_local_prefix` inherited, an `npm install` or
 * `npx` in another folder would act on this repository instead.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  // a developer's admin token would change what start prints and what the control plane answers
  delete env.UNDERSTUDY_ADMIN_TOKEN;
  for (const key of Object.keys(env)) {
    const npmConfig = key.startsWith('npm_config_') && !/^npm_config_(local_prefix|call|workspaces?|include_workspace_root)$/.test(key);
    if (key.startsWith('npm_') && !npmConfig) delete env[key];
  }
  return env;
}
/** tsx by URL, so a child started in a folder outside the repository still finds it. */
const TSX = import.meta.resolve('tsx');

/** Run a command to completion; `timeoutMs` bounds it (the child is killed, the promise rejects). */
export function runProcess(command: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `understudy <args>` from source (node --conditions=source --import tsx kernel/src/cli/main.ts). */
export function cli(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return runProcess(process.execPath, ['--conditions=source', '--import', TSX, cliSource, ...args], opts);
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  /** The `Understudy listening on …` line. */
  line: string;
  stdout(): string;
  stderr(): string;
  /** Send SIGTERM and wait for the exit code (bounded). */
  stop(): Promise<number | null>;
}

/** Spawn `understudy start <args>` and resolve once it prints its listening line. */
export function startServer(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunningServer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, cliSource, 'start', ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server = new Promise<RunningServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /^(Understudy listening on (http:\/\/\S+).*)$/m.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[2],
        line: match[1],
        stdout: () => out,
        stderr: () => err,
        stop() {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<number | null>((_, rej) => {
            timer = setTimeout(() => {
              child.kill('SIGKILL');
              rej(new Error(`server did not exit within 15 s of SIGTERM\n${err}`));
            }, 15_000);
          });
          // the deadline must not keep the test process alive once the server exited
          return Promise.race([exited, deadline]).finally(() => clearTimeout(timer));
        },
      });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`understudy start exited (${code ?? signal}) before listening\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
  return server;
}

/** A scratch folder inside the repo (`.tmp/` is gitignored) so node_modules resolve. */
export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const base = join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plugin module with a strict config schema, written as plain ESM (no build step). */
export const LOCAL_PLUGIN = `export default {
  name: 'local',
  description: 'Test plugin: answers GET /local.',
  config: {
    type: 'object',
    properties: { greeting: { type: 'string', default: 'hi' } },
    additionalProperties: false,
  },
  register(ctx) {
    ctx.hooks.exchange.tapPromise({ name: 'local', stage: 500 }, async (ex) => {
      if (ex.request.path === '/local') {
        ex.response = { status: 200, headers: { 'content-type': 'text/plain' }, body: ctx.config.greeting };
      }
      return ex;
    });
  },
};
`;
