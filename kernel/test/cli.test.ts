// The `understudy` CLI run as a child process, as a user runs it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KERNEL_VERSION } from '../src/version.js';
import { cli, cliBin, cliBuilt, LOCAL_PLUGIN, NOT_BUILT, repoRoot, runProcess, scratchDir, startServer } from './cli-helpers.js';

const scratch = scratchDir('cli');
const file = (name: string, text: string) => {
  const path = join(scratch.dir, name);
  writeFileSync(path, text);
  return path;
};
file('local-plugin.mjs', LOCAL_PLUGIN);

test.after(() => scratch.remove());

test('--version prints the kernel version (source and built bin)', async () => {
  const source = await cli(['--version']);
  assert.is(source.code, 0);
  assert.is(source.stdout.trim(), KERNEL_VERSION);

  assert.ok(existsSync(cliBuilt), `build the kernel first: ${cliBuilt} is missing`);
  const built = await runProcess(process.execPath, [cliBuilt, '--version']);
  assert.is(built.code, 0, built.stderr);
  assert.is(built.stdout.trim(), KERNEL_VERSION);

  // the committed bin that npm links (package.json "bin") loads the built CLI
  const bin = await runProcess(process.execPath, [cliBin, '--version']);
  assert.is(bin.code, 0, bin.stderr);
  assert.is(bin.stdout.trim(), KERNEL_VERSION);
  assert.is(JSON.parse(readFileSync(join(repoRoot, 'kernel', 'package.json'), 'utf8')).bin.understudy, './bin/understudy.js');
});

test('the bin without a build says so in one line and exits 1', async () => {
  // a copy of kernel/bin next to no dist/, as on a fresh clone before `npm run build`
  mkdirSync(join(scratch.dir, 'unbuilt', 'bin'), { recursive: true });
  copyFileSync(cliBin, join(scratch.dir, 'unbuilt', 'bin', 'understudy.js'));
  const r = await runProcess(process.execPath, [join(scratch.dir, 'unbuilt', 'bin', 'understudy.js'), 'presets']);
  assert.is(r.code, 1);
  assert.is(r.stderr, `${NOT_BUILT}\n`);
  assert.is(r.stdout, '');
});

test('--help lists every command', async () => {
  const r = await cli(['--help']);
  assert.is(r.code, 0);
  for (const c of ['start', 'presets', 'plugins', 'validate', 'init', 'new-plugin']) assert.match(r.stdout, new RegExp(`^  ${c}\\s`, 'm'));
});

test('an unknown command exits 2 and lists the commands', async () => {
  const r = await cli(['serve']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^error: unknown command "serve"\. Commands: start, presets, plugins, validate, init, new-plugin/m);
  assert.match(r.stderr, /^hint: /m);
});

test('a bad flag is a usage error (exit 2) naming the flag', async () => {
  const r = await cli(['start', '--prot', '80']);
  assert.is(r.code, 2);
  assert.match(r.stderr, "error: Unknown option '--prot'");
  assert.match(r.stderr, 'hint: see `understudy start --help`');
});

test('presets and plugins list installed packages with descriptions', async () => {
  const presets = await cli(['presets']);
  assert.is(presets.code, 0, presets.stderr);
  assert.match(presets.stdout, /^NAME\s+VERSION\s+DESCRIPTION$/m);
  assert.match(presets.stdout, /^basic\s+\d+\.\d+\.\d+\s+\S/m);

  const plugins = await cli(['plugins']);
  assert.is(plugins.code, 0, plugins.stderr);
  assert.match(plugins.stdout, /^stubs\s+\d+\.\d+\.\d+\s+\S/m);
  assert.not.match(plugins.stdout, /^sdk\s/m, 'the SDK is a library, not a plugin');
  // columns are aligned: every description starts at the same offset
  const rows = plugins.stdout.split('\n').filter((l) => /^\S+\s+\d+\.\d+\.\d+\s/.test(l) || l.startsWith('NAME'));
  const offsets = new Set(rows.map((l) => l.indexOf(l.startsWith('NAME') ? 'DESCRIPTION' : l.split(/\s{2,}/)[2])));
  assert.is(offsets.size, 1, rows.join('\n'));
});

test('validate: a good file exits 0 and names the plugins', async () => {
  const good = file('good.yaml', 'server: { port: 0 }\nseed: 7\nload: [./local-plugin.mjs]\nplugins:\n  local: { greeting: hello }\n');
  const r = await cli(['validate', good]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), `✓ ${good} is valid (plugins: local)`);
});

test('validate: a bad kernel setting exits 1 and names its path', async () => {
  const bad = file('bad-port.yaml', "server: { port: 'x' }\n");
  const r = await cli(['validate', bad]);
  assert.is(r.code, 1);
  assert.match(r.stderr, `error: ${bad} is invalid: [US_CONFIG_INVALID]`);
  assert.match(r.stderr, /^ {2}server\.port: must be integer$/m);
  assert.match(r.stderr, /^hint: /m);
  assert.is(r.stdout, '');
});

test('validate: plugin config is checked against the plugin schema, every problem with its path', async () => {
  const bad = file('bad-plugin.yaml', 'load: [./local-plugin.mjs]\nplugins:\n  local: { greeting: 5, colour: red }\n');
  const r = await cli(['validate', bad]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^ {2}plugins\.local\.greeting: must be string$/m);
  assert.match(r.stderr, /^ {2}plugins\.local: unknown property "colour"$/m);
});

test('validate: an unknown plugin name lists what is installed, with a hint', async () => {
  const bad = file('unknown-plugin.yaml', 'plugins:\n  nosuch: {}\n');
  const r = await cli(['validate', bad]);
  assert.is(r.code, 1);
  // the kernel's error says what it tried; the CLI adds what is installed (listInstalled)
  const [first, installed, hint] = r.stderr.trim().split('\n');
  assert.match(first, /^error: Cannot find plugin "nosuch" \(tried @understudy\/plugin-nosuch, [^)]*\)\. .*\[US_MODULE_NOT_FOUND\]$/);
  assert.match(installed, /^ {2}installed plugins: .*\bstubs\b/);
  assert.match(hint, /^hint: see what is installed with `understudy plugins`/);
});

test('validate: a plugin name one letter off is suggested', async () => {
  const r = await cli(['validate', file('typo-plugin.yaml', 'plugins:\n  stub: {}\n')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^hint: did you mean "stubs"\? `understudy plugins` lists what is installed\.$/m);
});

test('validate: a bad kernel setting and a bad plugin option are reported together', async () => {
  const both = file('both.yaml', "server: { port: 'abc' }\nload: [./local-plugin.mjs]\nplugins:\n  local: { greeting: 5 }\n");
  const r = await cli(['validate', both]);
  assert.is(r.code, 1);
  assert.equal(r.stderr.trim().split('\n'), [
    `error: ${both} is invalid: [US_CONFIG_INVALID]`,
    '  server.port: must be integer',
    '  plugins.local.greeting: must be string',
    'hint: fix the settings named above and run `understudy validate` again.',
  ]);
});

test('validate: a YAML syntax error is one line with file:line:column, plus a hint', async () => {
  file('broken.yaml', 'server:\n  port: 8080\n seed: 1\n');
  const r = await cli(['validate', 'broken.yaml'], { cwd: scratch.dir });
  assert.is(r.code, 1);
  assert.equal(r.stderr.trim().split('\n'), [
    'error: Cannot read config file broken.yaml:3:1: All mapping items must start at the same column [US_CONFIG_FILE_UNREADABLE]',
    'hint: fix the syntax at line 3, column 1; `understudy init --file sample.yaml` writes a valid file to compare with.',
  ]);
});

test('validate: a missing file, and a missing argument', async () => {
  const missing = await cli(['validate', join(scratch.dir, 'nope.yaml')]);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^error: Config file .*nope\.yaml does not exist.*\[US_CONFIG_FILE_NOT_FOUND\]$/m);
  const none = await cli(['validate']);
  assert.is(none.code, 2);
  assert.match(none.stderr, 'missing argument: understudy validate <file>');
});

test('init writes a commented config that validate accepts, and will not overwrite it', async () => {
  const target = join(scratch.dir, 'understudy.yaml');
  const r = await cli(['init', '--file', target]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Wrote .*understudy\.yaml \(preset basic; plugins: stubs\)/);
  const text = readFileSync(target, 'utf8');
  assert.match(text, /^presets:\n {2}- basic$/m);
  assert.match(text, /^ {2}port: 8080$/m);
  assert.match(text, /^# plugins:$/m);
  assert.match(text, /^# {3}stubs:/m);

  const valid = await cli(['validate', target]);
  assert.is(valid.code, 0, valid.stderr);
  assert.match(valid.stdout, /is valid \(presets: basic; plugins: stubs\)/);

  const again = await cli(['init', '--file', target]);
  assert.is(again.code, 1);
  assert.match(again.stderr, 'already exists');
  assert.match(again.stderr, 'hint: pass --force');
  const forced = await cli(['init', '--file', target, '--force']);
  assert.is(forced.code, 0, forced.stderr);
});

test('start --preset basic --port 0 serves the control plane and stops cleanly on SIGTERM', async () => {
  const server = await startServer(['--preset', 'basic', '--port', '0', '--log-level', 'warn']);
  try {
    assert.match(server.line, /^Understudy listening on http:\/\/127\.0\.0\.1:\d+ \(preset basic; plugins: stubs; admin at \/__admin\)$/);
    assert.not.match(server.url, /:0$/);
    const res = await fetch(`${server.url}/__admin/health`);
    assert.is(res.status, 200);
    assert.is(((await res.json()) as { status: string }).status, 'ok');
  } finally {
    assert.is(await server.stop(), 0, server.stderr());
  }
});

test('start --log-format pretty writes readable log lines; an unknown format names the setting', async () => {
  const server = await startServer(['--preset', 'basic', '--port', '0', '--log-format', 'pretty']);
  const code = await server.stop();
  assert.is(code, 0, server.stderr());
  // pino-pretty's line for the stop, not a JSON object
  assert.match(server.stdout(), /INFO.*\(understudy\): stopping/);
  assert.not.match(server.stdout(), /"level":30/);
  const bad = await cli(['start', '--port', '0', '--log-format', 'fancy']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, 'logFormat: must be one of: "json", "pretty"');
});

test('start with no arguments uses the basic preset', async () => {
  // an empty folder: no understudy.yaml to find
  const empty = scratchDir('cli-empty');
  try {
    const server = await startServer(['--port', '0', '--log-level', 'silent'], { cwd: empty.dir });
    try {
      assert.match(server.line, /\(preset basic; plugins: stubs; admin at \/__admin\)$/);
    } finally {
      assert.is(await server.stop(), 0);
    }
  } finally {
    empty.remove();
  }
});

test('start: an unknown preset is one error line plus a hint, exit 1', async () => {
  const r = await cli(['start', '--preset', 'nosuch', '--port', '0']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /^error: Cannot find preset "nosuch" .*\[US_MODULE_NOT_FOUND\]$/m);
  assert.match(r.stderr, /^ {2}installed presets: .*\bbasic\b/m);
  assert.match(r.stderr, /^hint: see what is installed with `understudy presets`/m);
});

test('start: a port in use is reported with a hint', async () => {
  const first = await startServer(['--config', file('busy.yaml', 'load: [./local-plugin.mjs]\nlogLevel: silent\n'), '--port', '0']);
  try {
    const port = new URL(first.url).port;
    const r = await cli(['start', '--config', join(scratch.dir, 'busy.yaml'), '--port', port]);
    assert.is(r.code, 1);
    assert.match(r.stderr, `error: port ${port} is already in use`);
    assert.match(r.stderr, 'hint: pick another port with --port');
  } finally {
    await first.stop();
  }
});

test.run();
