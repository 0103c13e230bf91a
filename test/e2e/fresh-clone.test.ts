// A fresh clone works as the README says: `git clone` of this repository's HEAD into a
// temporary folder, the set-up command's equivalent from the lockfile (`npm ci`), then
// `npx understudy presets` — first before any build (one clear line, not npm's "could not
// determine executable to run"), then after building the kernel, which is all the CLI
// needs to list presets. Only the npm registry may be asked for anything (the npm cache
// usually has every tarball). Commits only: uncommitted changes are not in the clone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NOT_BUILT, repoRoot, runProcess, type CliResult } from '../../kernel/test/cli-helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'understudy-fresh-clone-'));
const clone = join(scratch, 'understudy');
test.after(() => rmSync(scratch, { recursive: true, force: true }));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const show = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
/**
 * `npx understudy …` as the README writes it, with `--yes=false`: never install a package
 * when the local bin is missing (the registry has an unrelated `understudy` package, and
 * without a terminal or in CI npx would install and run it instead of failing).
 */
const understudy = (args: string[]) => runProcess(npx, ['--yes=false', 'understudy', ...args], { cwd: clone, timeoutMs: 60_000 });

test('git clone of HEAD, then npm ci from the lockfile', async () => {
  const inRepo = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(inRepo.stdout.trim(), 'true', `this test clones the repository: ${repoRoot} is not a git work tree`);
  const cloned = await runProcess('git', ['clone', '--quiet', repoRoot, clone], { timeoutMs: 60_000 });
  assert.is(cloned.code, 0, show(cloned));
  assert.not.ok(existsSync(join(clone, 'kernel', 'dist')), 'a clone has no build');

  // --prefer-offline: tarballs from the npm cache, the registry only for what it lacks;
  // --ignore-scripts: native builds (better-sqlite3) are not needed to list presets
  const ci = await runProcess(npm, ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: clone, timeoutMs: 240_000 });
  assert.is(ci.code, 0, show(ci));
  assert.ok(existsSync(join(clone, 'node_modules', '.bin', 'understudy')), 'npm linked the understudy bin at install time');
});

test('before the build: npx understudy says to run npm run build, in one line', async () => {
  const r = await understudy(['presets']);
  assert.not.match(r.stderr, 'could not determine executable');
  assert.is(r.code, 1, show(r));
  assert.is(r.stderr, `${NOT_BUILT}\n`);
  assert.is(r.stdout, '');
});

test('after building the kernel: npx understudy presets lists the presets', async () => {
  const tsc = await runProcess(npx, ['--yes=false', 'tsc', '-p', 'kernel/tsconfig.json'], { cwd: clone, timeoutMs: 180_000 });
  assert.is(tsc.code, 0, show(tsc));

  const r = await understudy(['presets']);
  assert.is(r.code, 0, show(r));
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^NAME\s+VERSION\s+DESCRIPTION$/);
  for (const preset of ['basic', 'iot', 'mesh']) assert.match(r.stdout, new RegExp(`^${preset}\\s+\\d+\\.\\d+\\.\\d+\\s+\\S`, 'm'));
  assert.is(lines.at(-1), 'Start one with `understudy start --preset <name>`.');

  const version = await understudy(['--version']);
  assert.is(version.code, 0, show(version));
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

test.run();
