// `understudy new-plugin`: the scaffold builds, installs and passes its own tests inside
// this repository and in a folder outside it (file: references to this checkout), and
// `start` loads it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, repoRoot, runProcess, scratchDir, startServer } from './cli-helpers.js';

const scratch = scratchDir('cli-new-plugin');
const pluginDir = join(scratch.dir, 'understudy-plugin-demo');
const outside = mkdtempSync(join(tmpdir(), 'understudy-new-plugin-'));
test.after(() => {
  scratch.remove();
  rmSync(outside, { recursive: true, force: true });
});

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/**
 * `npm install` of a scaffold: the tarballs come from the npm cache; --prefer-offline (not
 * --offline) because a package without a lockfile needs each dependency's metadata, which
 * `npm ci` of the repository never caches; the registry is asked only for what is missing.
 */
const npmInstall = (cwd: string) => runProcess(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd, timeoutMs: 120_000 });

test('new-plugin demo scaffolds a package, with progress lines', async () => {
  // default folder: ./understudy-plugin-<name> under the working directory
  const r = await cli(['new-plugin', 'demo'], { cwd: scratch.dir });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'Creating plugin "demo" in understudy-plugin-demo');
  for (const f of ['package.json', 'tsconfig.json', 'src/index.ts', 'test/plugin.test.ts', 'README.md', '.gitignore']) {
    assert.ok(existsSync(join(pluginDir, f)), `${f} written`);
    assert.match(r.stdout, `+ ${f}`);
  }
  const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
  assert.is(pkg.name, 'understudy-plugin-demo');
  assert.is(pkg.type, 'module');
  assert.is(pkg.exports['.'].default, './dist/src/index.js');
  assert.is(pkg.dependencies['@understudy/plugin-sdk'], `file:${relative(pluginDir, join(repoRoot, 'plugin-sdk'))}`);
  assert.is(pkg.devDependencies['@understudy/kernel'], `file:${relative(pluginDir, join(repoRoot, 'kernel'))}`);
  assert.ok(pkg.devDependencies.typescript && pkg.devDependencies.uvu);
  assert.not.match(readFileSync(join(pluginDir, 'src/index.ts'), 'utf8'), '{{');
  assert.match(readFileSync(join(pluginDir, 'test/plugin.test.ts'), 'utf8'), "from '@understudy/plugin-sdk/testing'");
  assert.match(readFileSync(join(pluginDir, 'README.md'), 'utf8'), '## Publish it');
});

test('the scaffold type-checks and builds with the repo\'s typescript', async () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await runProcess(process.execPath, [tsc, '-p', join(pluginDir, 'tsconfig.json')], { timeoutMs: 90_000 });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(join(pluginDir, 'dist', 'src', 'index.js')));
  assert.ok(existsSync(join(pluginDir, 'dist', 'test', 'plugin.test.js')));
});

test('the scaffold installs and its own test passes inside the repository (npm test: build, then uvu over real HTTP)', async () => {
  const install = await npmInstall(pluginDir);
  assert.is(install.code, 0, install.stdout + install.stderr);
  const r = await runProcess(npm, ['test', '--silent'], { cwd: pluginDir, timeoutMs: 90_000 });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Passed:\s+4/);
});

test('outside the repository, next to this checkout: npm install links its SDK and kernel, npm test passes', async () => {
  const r = await cli(['new-plugin', 'far'], { cwd: outside });
  assert.is(r.code, 0, r.stderr);
  const dir = join(outside, 'understudy-plugin-far');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.match(pkg.dependencies['@understudy/plugin-sdk'], /^file:(\.\.\/)+.*plugin-sdk$/);
  const install = await npmInstall(dir);
  assert.is(install.code, 0, install.stdout + install.stderr);
  // its own typescript and uvu, not the repository's
  assert.ok(existsSync(join(dir, 'node_modules', 'typescript', 'package.json')));
  assert.ok(existsSync(join(dir, 'node_modules', 'uvu', 'package.json')));
  const test = await runProcess(npm, ['test', '--silent'], { cwd: dir, timeoutMs: 90_000 });
  assert.is(test.code, 0, test.stdout + test.stderr);
  assert.match(test.stdout, /Passed:\s+4/);
  // the kernel's bin comes with the kernel devDependency: `npx understudy` works there too
  const version = await runProcess(join(dir, 'node_modules', '.bin', 'understudy'), ['--version'], { cwd: dir });
  assert.is(version.code, 0, version.stderr);
});

test('a config that loads the scaffold validates and serves its route with start --port 0', async () => {
  const config = join(scratch.dir, 'understudy.yaml');
  writeFileSync(config, 'logLevel: warn\nload:\n  - ./understudy-plugin-demo\nplugins:\n  demo:\n    greeting: Howdy\n');
  const valid = await cli(['validate', config]);
  assert.is(valid.code, 0, valid.stderr);
  assert.match(valid.stdout, `✓ ${config} is valid (plugins: demo)`);

  const server = await startServer(['--config', config, '--port', '0']);
  try {
    assert.match(server.line, /^Understudy listening on http:\/\/127\.0\.0\.1:\d+ \(plugins: demo; admin at \/__admin\)$/);
    const res = await fetch(`${server.url}/demo/hello?name=Ada`);
    assert.is(res.status, 200);
    assert.equal(await res.json(), { message: 'Howdy, Ada!' });
    const stats = await fetch(`${server.url}/__admin/demo/stats`);
    assert.equal(await stats.json(), { served: 1, greeting: 'Howdy' });
  } finally {
    assert.is(await server.stop(), 0, server.stderr());
  }

  writeFileSync(config, 'load: [./understudy-plugin-demo]\nplugins:\n  demo: { greeting: 3, loud: true }\n');
  const invalid = await cli(['validate', config]);
  assert.is(invalid.code, 1);
  assert.match(invalid.stderr, /^ {2}plugins\.demo\.greeting: must be string$/m);
  assert.match(invalid.stderr, /^ {2}plugins\.demo: unknown property "loud"$/m);
});

test('new-plugin refuses a bad name (exit 2) and a non-empty folder (exit 1)', async () => {
  const bad = await cli(['new-plugin', 'Demo_Plugin'], { cwd: scratch.dir });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'error: invalid plugin name "Demo_Plugin": use lower-case letters, digits and single dashes');
  const taken = await cli(['new-plugin', 'demo'], { cwd: scratch.dir });
  assert.is(taken.code, 1);
  assert.match(taken.stderr, /^error: .*understudy-plugin-demo already exists and is not empty$/m);
  assert.match(taken.stderr, 'hint: pick another folder with --dir <dir>, or pass --force');
});

test.run();
