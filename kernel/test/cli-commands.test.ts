// The CLI's commands called in-process (fast, and every branch): argv in, exit code
// and output lines out.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLogLevel, parsePort, parseSeed } from '../src/cli/args.js';
import { dependencyRefs } from '../src/cli/commands/new-plugin.js';
import { planStart } from '../src/cli/commands/start.js';
import { validateConfigFile } from '../src/cli/commands/validate.js';
import type { CliContext } from '../src/cli/context.js';
import { bufferOutput, CliError, closest, printError, table, UsageError } from '../src/cli/output.js';
import { commands, run } from '../src/cli/run.js';
import { render } from '../src/cli/templates.js';
import { KERNEL_VERSION, KernelErrors, type Kernel } from '../src/index.js';
import { LOCAL_PLUGIN, repoRoot, scratchDir } from './cli-helpers.js';

const scratch = scratchDir('cli-commands');
const write = (name: string, text: string) => {
  const path = join(scratch.dir, name);
  writeFileSync(path, text);
  return path;
};
write('local-plugin.mjs', LOCAL_PLUGIN);
write('local-preset.mjs', "export default { name: 'local-preset', description: 'Test preset', plugins: ['./local-plugin.mjs'], config: { local: { greeting: 'from preset' } } };\n");
test.after(() => scratch.remove());

function ctx(extra: Partial<CliContext> = {}) {
  const output = bufferOutput();
  return { output, context: { output, cwd: scratch.dir, handleSignals: false, ...extra } satisfies CliContext };
}

async function call(argv: string[], extra: Partial<CliContext> = {}) {
  const { output, context } = ctx(extra);
  const code = await run(argv, context);
  return { code, out: output.stdout.join('\n'), err: output.stderr.join('\n') };
}

test('no command, --help, help <command> and --version', async () => {
  const none = await call([]);
  assert.is(none.code, 0);
  assert.match(none.out, 'Usage: understudy <command> [options]');
  assert.is((await call(['-h'])).out, none.out);
  assert.is((await call(['help'])).out, none.out);
  const help = await call(['help', 'validate']);
  assert.match(help.out, 'Usage: understudy validate <file>');
  assert.is((await call(['--version'])).out, KERNEL_VERSION);
  assert.is((await call(['version'])).out, KERNEL_VERSION);
});

test('every command has --help with its options and examples', async () => {
  for (const [name, command] of Object.entries(commands)) {
    const r = await call([name, '--help']);
    assert.is(r.code, 0, name);
    assert.match(r.out, `Usage: understudy ${command.spec.usage}`);
    assert.match(r.out, '-h, --help');
    for (const option of Object.keys(command.spec.options)) assert.match(r.out, `--${option}`, `${name} --${option}`);
    assert.match(r.out, 'Examples:');
  }
  // --help still rejects unknown flags
  assert.is((await call(['start', '--help', '--nope'])).code, 2);
});

test('unknown commands suggest the closest one', async () => {
  const r = await call(['valdate']);
  assert.is(r.code, 2);
  assert.match(r.err, 'hint: did you mean `understudy validate`?');
  assert.match((await call(['toString'])).err, 'unknown command "toString"');
});

test('flag values are checked', () => {
  assert.is(parsePort('0'), 0);
  assert.is(parsePort(undefined), undefined);
  assert.throws(() => parsePort('65536'), (e: Error) => e instanceof UsageError);
  assert.throws(() => parsePort('-1'), (e: Error) => e instanceof UsageError);
  assert.is(parseSeed('42'), 42);
  assert.is(parseSeed('-3'), -3);
  assert.is(parseSeed('demo'), 'demo');
  assert.is(parseSeed('99999999999999999999'), '99999999999999999999');
  assert.is(parseLogLevel('warn'), 'warn');
  assert.throws(() => parseLogLevel('loud'), /--log-level must be one of/);
});

test('start plan: the basic preset only when nothing else says what to load', () => {
  const empty = scratchDir('cli-plan');
  try {
    assert.equal(planStart([], empty.dir), { configFile: undefined, presets: ['basic'], overrides: {} });
    assert.equal(planStart(['--preset', 'a', '-p', 'b'], empty.dir).presets, ['a', 'b']);
    const flags = planStart(['--port', '0', '--host', '0.0.0.0', '--seed', 'x', '--log-level', 'debug'], empty.dir).overrides;
    assert.equal(flags, { server: { port: 0, host: '0.0.0.0' }, seed: 'x', logLevel: 'debug' });
    // a default config file that only sets kernel options still gets the default preset
    writeFileSync(join(empty.dir, 'understudy.yaml'), 'seed: 3\n');
    const found = planStart([], empty.dir);
    assert.is(found.configFile, join(empty.dir, 'understudy.yaml'));
    assert.equal(found.presets, ['basic']);
    // one that loads plugins itself does not
    writeFileSync(join(empty.dir, 'understudy.yaml'), 'plugins:\n  local: {}\n');
    assert.equal(planStart([], empty.dir).presets, []);
    writeFileSync(join(empty.dir, 'other.json'), '{"presets":["x"]}');
    assert.equal(planStart(['--config', 'other.json'], empty.dir).presets, []);
    assert.throws(() => planStart(['--port', 'eighty'], empty.dir), /--port must be an integer/);
    assert.equal(planStart(['--clock', 'virtual'], empty.dir).overrides, { clock: 'virtual' });
    assert.throws(() => planStart(['--clock', 'fast'], empty.dir), /--clock must be real or virtual/);
  } finally {
    empty.remove();
  }
});

test('start in-process with a preset given by path, then stop', async () => {
  let kernel: Kernel | undefined;
  const r = await call(['start', '--preset', './local-preset.mjs', '--port', '0', '--log-level', 'silent'], { onKernel: (k) => (kernel = k) });
  try {
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^Understudy listening on http:\/\/127\.0\.0\.1:\d+ \(preset \.\/local-preset\.mjs; plugins: local; admin at \/__admin\)$/);
    const res = await fetch(`${kernel!.url}/local`);
    assert.is(await res.text(), 'from preset');
  } finally {
    await kernel?.stop();
  }
});

test('start: presets from the config and the flags are listed once each', async () => {
  const config = write('two-presets.yaml', 'presets: [./local-preset.mjs]\nlogLevel: silent\n');
  let kernel: Kernel | undefined;
  const r = await call(['start', '--config', config, '--preset', './local-preset.mjs', '--port', '0'], { onKernel: (k) => (kernel = k) });
  try {
    assert.is(r.code, 0, r.err);
    assert.match(r.out, '(preset ./local-preset.mjs; plugins: local;');
  } finally {
    await kernel?.stop();
  }
});

test('start: a bad setting fails before anything listens', async () => {
  const config = write('bad-clock.yaml', 'clock: sundial\n');
  const r = await call(['start', '--config', config]);
  assert.is(r.code, 1);
  assert.match(r.err, 'clock: must be one of: "real", "virtual"');
  assert.match(r.err, '[US_CONFIG_INVALID]');
});

test('validateConfigFile returns the effective plugins with defaults', async () => {
  const file = write('v.yaml', 'load: [./local-plugin.mjs]\n');
  const result = await validateConfigFile(file, scratch.dir);
  assert.is(result.path, file);
  assert.equal(result.plugins.map((p) => [p.name, p.config]), [['local', { greeting: 'hi' }]]);
  const presetFile = write('p.yaml', 'presets: [./local-preset.mjs]\n');
  const r = await call(['validate', presetFile]);
  assert.is(r.code, 0, r.err);
  assert.is(r.out, `✓ ${presetFile} is valid (presets: ./local-preset.mjs; plugins: local)`);
  const badPath = write('bad-load.yaml', 'load: [./missing-plugin.mjs]\n');
  const bad = await call(['validate', badPath]);
  assert.is(bad.code, 1);
  assert.match(bad.err, "hint: check the path; it is resolved against the config file's folder.");
  const notObject = write('list.yaml', '- a\n- b\n');
  assert.match((await call(['validate', notObject])).err, '(root): must be an object of settings');
});

test('init with a preset by path lists its plugins with their defaults, commented', async () => {
  const r = await call(['init', '--preset', './local-preset.mjs', '--file', 'local.yaml']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'Wrote local.yaml (preset ./local-preset.mjs; plugins: local)');
  assert.match(r.out, 'understudy start --config local.yaml');
  const text = readFileSync(join(scratch.dir, 'local.yaml'), 'utf8');
  assert.match(text, '#   local:  # Test plugin: answers GET /local.\n#     greeting: from preset\n');
  assert.is((await call(['validate', 'local.yaml'])).code, 0);
  // a preset path is rewritten relative to the file's folder, where it is resolved
  const nested = await call(['init', '--preset', './local-preset.mjs', '--file', 'sub/dir/local.yaml']);
  assert.is(nested.code, 0, nested.err);
  assert.match(readFileSync(join(scratch.dir, 'sub/dir/local.yaml'), 'utf8'), 'presets:\n  - ../../local-preset.mjs\n');
  assert.is((await call(['validate', 'sub/dir/local.yaml'])).code, 0);
  const missing = await call(['init', '--preset', 'nosuch', '--file', 'x.yaml']);
  assert.is(missing.code, 1);
  assert.match(missing.err, 'Cannot find preset "nosuch"');
  assert.not.ok(existsSync(join(scratch.dir, 'x.yaml')));
});

test('init with a preset of inline plugins without config', async () => {
  write('inline-preset.mjs', "export default { name: 'inline', plugins: [{ name: 'bare', register() {} }] };\n");
  write('empty-preset.mjs', "export default { name: 'empty', plugins: [] };\n");
  await call(['init', '--preset', './inline-preset.mjs', '--file', 'inline.yaml']);
  assert.match(readFileSync(join(scratch.dir, 'inline.yaml'), 'utf8'), '#   bare: {}\n');
  await call(['init', '--preset', './empty-preset.mjs', '--file', 'empty.yaml']);
  assert.match(readFileSync(join(scratch.dir, 'empty.yaml'), 'utf8'), '#   <plugin>: {}\n');
});

test('new-plugin --dir writes into that folder; --force writes into a non-empty one', async () => {
  const dir = join(scratch.dir, 'plugins', 'greeter');
  const r = await call(['new-plugin', 'greeter', '--dir', 'plugins/greeter']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'Creating plugin "greeter" in plugins/greeter');
  assert.match(r.out, 'load: [./plugins/greeter]');
  assert.match(readFileSync(join(dir, 'src', 'index.ts'), 'utf8'), "name: 'greeter'");
  // next to this checkout (not one of its workspaces): file: references to its SDK and kernel
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.is(pkg.dependencies['@understudy/plugin-sdk'], `file:${relative(dir, join(repoRoot, 'plugin-sdk'))}`);
  assert.is(pkg.devDependencies['@understudy/kernel'], `file:${relative(dir, join(repoRoot, 'kernel'))}`);
  assert.is(pkg.peerDependencies['@understudy/kernel'], `^${KERNEL_VERSION}`);
  assert.match(r.out, "npm install        # links this checkout's plugin-sdk and kernel (file:)");
  assert.is((await call(['new-plugin', 'greeter', '--dir', 'plugins/greeter'])).code, 1);
  assert.is((await call(['new-plugin', 'greeter', '--dir', 'plugins/greeter', '--force'])).code, 0);
  mkdirSync(join(scratch.dir, 'empty-dir'));
  assert.is((await call(['new-plugin', 'x1', '--dir', 'empty-dir'])).code, 0);
  for (const bad of ['1abc', 'a--b', 'a-', 'ABC', 'a_b']) assert.is((await call(['new-plugin', bad])).code, 2, bad);
});

test('errors print as one line, indented details, and a hint', () => {
  const out = bufferOutput();
  printError(out, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 8080, address: '127.0.0.1' }));
  assert.equal(out.stderr, ['error: port 8080 is already in use on 127.0.0.1', 'hint: pick another port with --port <n> (0 = any free port).']);

  const eacces = bufferOutput();
  printError(eacces, Object.assign(new Error('listen EACCES'), { code: 'EACCES', port: 80 }));
  assert.match(eacces.text(), 'hint: ports below 1024 need privileges');

  const plain = bufferOutput();
  printError(plain, 'something odd');
  assert.equal(plain.stderr, ['error: something odd']);

  const detailed = bufferOutput();
  printError(detailed, new CliError('two problems:\n  a: bad\nb: worse', 'fix them', 'US_X'));
  assert.equal(detailed.stderr, ['error: two problems: [US_X]', '  a: bad', '  b: worse', 'hint: fix them']);

  const missing = bufferOutput();
  printError(missing, Object.assign(new Error('Missing plugin dependencies: a (needed by b).'), { code: 'US_PLUGIN_MISSING_DEPENDENCIES' }));
  assert.match(missing.text(), 'hint: list installed plugins with `understudy plugins`.');
  assert.is(missing.text(), missing.stderr.join('\n'));
});

test('hints are built from the kernel errors\' fields', () => {
  const hint = (err: unknown, cwd = repoRoot) => {
    const out = bufferOutput();
    printError(out, err, cwd);
    return out.stderr;
  };
  // installed (listInstalled sees it) but not loadable: its build is missing
  const unbuilt = hint(new KernelErrors.MODULE_NOT_FOUND('plugin', 'stubs', ['@understudy/plugin-stubs']));
  assert.match(unbuilt.at(-1)!, 'hint: @understudy/plugin-stubs is installed but its entry file is missing');
  assert.match(unbuilt[1], /^ {2}installed plugins: .*stubs/);
  // a path: no "installed" list, a hint about where paths resolve
  const path = hint(new KernelErrors.MODULE_NOT_FOUND('preset', './nope.mjs', ['./nope.mjs']));
  assert.is(path.length, 2);
  assert.match(path[1], "check the path; it is resolved against the config file's folder.");

  const deps = hint(new KernelErrors.PLUGIN_MISSING_DEPENDENCIES([{ plugin: 'mesh', wanted: 'discovery' }, { plugin: 'mesh', wanted: 'registry' }]));
  assert.match(deps.at(-1)!, 'hint: add `discovery: {}` under `plugins:` (installed, not enabled)');

  const service = hint(new KernelErrors.SERVICE_UNKNOWN('registry', [], 'discovery', 'mesh'));
  assert.match(service.at(-1)!, 'hint: plugin "discovery" provides it');
  assert.match(hint(new KernelErrors.SERVICE_UNKNOWN('nothing', ['stubs'])).at(-1)!, 'hint: enable the plugin that provides it');

  const range = hint(new KernelErrors.PLUGIN_KERNEL_RANGE('old', '^0.0.1', '0.1.0'));
  assert.is(range.at(-1), 'hint: plugin "old" wants kernel ^0.0.1, this is 0.1.0: install a version of the plugin made for kernel 0.1.0.');

  const stage = hint(new KernelErrors.STAGE_CONFLICT('exchange', 500, ['a', 'b']));
  assert.match(stage.at(-1)!, 'hint: disable one of them (e.g. `plugins: { b: false }`)');

  // a plugin's failure whose cause is a well-known error gets that error's hint
  const failed = new KernelErrors.PLUGIN_FAILED('x', 'started', 'listen EADDRINUSE');
  (failed as Error & { cause?: unknown }).cause = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 1883 });
  assert.match(hint(failed).at(-1)!, 'hint: pick another port');
  assert.is(hint(new KernelErrors.PLUGIN_FAILED('x', 'started', 'odd')).length, 1);

  const json = hint(new KernelErrors.CONFIG_FILE_UNREADABLE('/a/b.json', 'Unexpected token'));
  assert.match(json.at(-1)!, 'hint: check that the file is valid JSON');
  const yaml = hint(new KernelErrors.CONFIG_FILE_UNREADABLE(join(repoRoot, 'b.yaml'), 'Bad indentation', 3, 7));
  assert.equal(yaml, [
    'error: Cannot read config file b.yaml:3:7: Bad indentation [US_CONFIG_FILE_UNREADABLE]',
    'hint: fix the syntax at line 3, column 7; `understudy init --file sample.yaml` writes a valid file to compare with.',
  ]);

  // CONFIG_INVALID lists its problems, paths under the working folder shown relative
  const invalid = hint(new KernelErrors.CONFIG_INVALID([`${join(repoRoot, 'x.yaml')}: (root): must be an object of settings`, 'seed: bad']));
  assert.equal(invalid.slice(0, 3), ['error: Invalid configuration: [US_CONFIG_INVALID]', '  x.yaml: (root): must be an object of settings', '  seed: bad']);

  assert.is(closest('stub', ['mesh', 'stubs']), 'stubs');
  assert.is(closest('zzz', ['mesh', 'stubs']), undefined);
});

test('dependencyRefs: file: next to a checkout, workspace versions inside its workspaces, ranges when installed', () => {
  const outside = join(repoRoot, '..', 'somewhere', 'understudy-plugin-x');
  assert.equal(dependencyRefs(outside), {
    how: 'file',
    sdk: `file:${relative(outside, join(repoRoot, 'plugin-sdk'))}`,
    kernel: `file:${relative(outside, join(repoRoot, 'kernel'))}`,
  });
  assert.equal(dependencyRefs(join(repoRoot, 'plugins', 'greeter')), { how: 'workspace', sdk: '0.1.0', kernel: '0.1.0' });
  // plugins/a/b is not covered by plugins/*
  assert.is(dependencyRefs(join(repoRoot, 'plugins', 'a', 'b')).how, 'file');
  const range = `^${KERNEL_VERSION}`;
  assert.equal(dependencyRefs(outside, join(repoRoot, 'node_modules', '@understudy', 'kernel')), { how: 'registry', sdk: range, kernel: range });
  // a kernel folder without a plugin-sdk next to it is not a checkout
  assert.equal(dependencyRefs(outside, scratch.dir), { how: 'registry', sdk: range, kernel: range });
});

test('table aligns columns; templates refuse unknown placeholders', () => {
  assert.equal(table([['A', 'BB', 'c'], ['long', 'x', 'last column is not padded']]), ['A     BB  c', 'long  x   last column is not padded']);
  assert.is(render('{{a}}-{{a}}', { a: 'x' }), 'x-x');
  assert.throws(() => render('{{b}}', {}), /placeholder \{\{b\}\} has no value/);
});

test.run();
