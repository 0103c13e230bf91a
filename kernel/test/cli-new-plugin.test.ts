// `understudy new-plugin`: the scaffold builds, its own tests pass, and `start` loads it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, repoRoot, runProcess, scratchDir, startServer } from './cli-helpers.js';

const scratch = scratchDir('cli-new-plugin');
const pluginDir = join(scratch.dir, 'understudy-plugin-demo');
test.after(() => scratch.remove());

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
  assert.ok(pkg.dependencies['@understudy/plugin-sdk']);
  assert.ok(pkg.devDependencies.typescript && pkg.devDependencies.uvu);
  assert.not.match(readFileSync(join(pluginDir, 'src/index.ts'), 'utf8'), '{{');
});

test('the scaffold type-checks and builds with the repo\'s typescript', async () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = await runProcess(process.execPath, [tsc, '-p', join(pluginDir, 'tsconfig.json')], { timeoutMs: 90_000 });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(join(pluginDir, 'dist', 'src', 'index.js')));
  assert.ok(existsSync(join(pluginDir, 'dist', 'test', 'plugin.test.js')));
});

test('the scaffold\'s own test passes (npm test: build, then uvu over real HTTP)', async () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = await runProcess(npm, ['test', '--silent'], { cwd: pluginDir, timeoutMs: 90_000 });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Passed:\s+4/);
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
