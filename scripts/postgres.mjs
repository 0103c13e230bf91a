#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests (plain Node, no dependencies), used by .ci/run
// and by developers:
//
//   node scripts/postgres.mjs run -- node scripts/run-tests.mjs plugins/learner
//       start a cluster, run the command with UNDERSTUDY_TEST_POSTGRES set, stop it after
//   eval "$(node scripts/postgres.mjs start)"     # prints `export UNDERSTUDY_TEST_POSTGRES=… UNDERSTUDY_POSTGRES_DIR=…`
//   node scripts/postgres.mjs stop [--dir DIR]    # DIR defaults to $UNDERSTUDY_POSTGRES_DIR
//   node scripts/postgres.mjs where               # the bin folder it would use, or exit 1
//
// - Binaries: the newest /usr/lib/postgresql/<version>/bin (where Debian's `postgresql`
//   package puts them, not on PATH), else `pg_ctl` on PATH. Install with
//   `apt-get install -y postgresql` when `where` fails (.ci/run does).
// - initdb refuses to run as root, so as root every server command runs as the `postgres`
//   user (runuser) and the data folder is handed to it.
// - The cluster lives in a new temp folder, listens on 127.0.0.1 on a free port (and its
//   unix socket in that folder, never /var/run), trusts local connections (it holds only
//   test data and lives as long as the test run) and runs with fsync off: a test kills
//   clients, never this server, so durability of the server itself is not under test.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The folder holding pg_ctl and initdb, or undefined. */
export function findBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Run a server binary, as `postgres` when we are root. */
function pg(bin, args) {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

function postgresIds() {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Start a cluster; returns { url, dir, port }. */
export async function start() {
  const bin = findBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl on PATH). Install them: apt-get install -y postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'understudy-pg-'));
  const data = join(dir, 'data');
  if (isRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  try {
    pg(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    pg(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${String(err.stderr || err.message).trim()}`);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, port };
}

/** Stop the cluster in `dir` (fast shutdown) and remove the folder. Never throws. */
export function stop(dir) {
  if (!dir || !existsSync(join(dir, 'data'))) return;
  const bin = findBinDir();
  try {
    if (bin) pg(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } catch {
    // already stopped
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main(argv) {
  const [command, ...rest] = argv;
  const flag = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  switch (command) {
    case 'where': {
      const bin = findBinDir();
      if (!bin) return 1;
      process.stdout.write(`${bin}\n`);
      return 0;
    }
    case 'start': {
      const { url, dir } = await start();
      process.stdout.write(`export UNDERSTUDY_TEST_POSTGRES=${url} UNDERSTUDY_POSTGRES_DIR=${dir}\n`);
      return 0;
    }
    case 'stop':
      stop(flag('--dir') ?? process.env.UNDERSTUDY_POSTGRES_DIR);
      return 0;
    case 'run': {
      const sep = rest.indexOf('--');
      const cmd = sep >= 0 ? rest.slice(sep + 1) : rest;
      if (!cmd.length) throw new Error('usage: node scripts/postgres.mjs run -- <command> [args…]');
      const { url, dir } = await start();
      process.stderr.write(`PostgreSQL test cluster at ${url} (${dir})\n`);
      const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env: { ...process.env, UNDERSTUDY_TEST_POSTGRES: url } });
      const forward = (signal) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s === "SIGINT" ? 130 : 143))));
      stop(dir);
      return code;
    }
    default:
      process.stderr.write('usage: node scripts/postgres.mjs start | stop [--dir DIR] | run -- <command…> | where\n');
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
