import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listInstalled } from '../src/cli/installed.js';
import type { PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

test('a config file loads presets and plugins by path, merging preset defaults with user config', async () => {
  const kernel = testKernel({ config: join(fixtures, 'understudy.yaml') });
  await kernel.start();
  try {
    const res = await fetch(`${kernel.url}/greet`);
    assert.is(await res.text(), 'hi!hi!');
    const [greeter] = kernel.plugins();
    assert.is(greeter.name, 'greeter');
    assert.is(greeter.version, '1.2.3');
    assert.is(greeter.state, 'started');
    assert.equal(greeter.config, { greeting: 'hi!', times: 2 });
    assert.match(greeter.from, 'greeter.mjs');
  } finally {
    await kernel.stop();
  }
});

test('plugins load by short name, by package name and by `load:` path', async () => {
  const kernel = testKernel({
    cwd: fixtures,
    config: { plugins: { echo: {} }, load: ['./plugins/greeter.mjs'] },
  });
  await kernel.setup();
  const echo = await kernel.inject({ method: 'POST', url: '/echo', payload: 'ping', headers: { 'content-type': 'text/plain' } });
  assert.is(echo.body, 'ping');
  assert.equal(kernel.plugins().map((p) => p.name).sort(), ['echo', 'greeter']);
  await kernel.stop();

  const byPackage = testKernel({ cwd: fixtures, presets: ['echoes'], plugins: ['@understudy/plugin-echo'] });
  await byPackage.setup();
  assert.equal(byPackage.plugins().map((p) => p.name), ['echo']);
  await byPackage.stop();
});

test('a plugin folder loads through its package.json exports or main', async () => {
  const kernel = testKernel({ cwd: fixtures, config: { load: ['./plugins/packaged', './plugins/main-field'] } });
  await kernel.setup();
  assert.equal(kernel.plugins().map((p) => p.name), ['packaged', 'main-field']);
  await kernel.stop();
  const err = await errorOf(() => testKernel({ cwd: fixtures, config: { load: ['./plugins/no-entry'] } }).setup());
  assert.is(err.code, 'US_MODULE_NOT_FOUND');
});

test('`plugins.<name>: false` disables a preset plugin', async () => {
  const kernel = testKernel({ cwd: fixtures, config: { presets: ['./presets/friendly.mjs'], plugins: { greeter: false } } });
  await kernel.setup();
  assert.equal(kernel.plugins(), []);
  await kernel.stop();
});

test('an unknown plugin or preset is an error carrying what was wanted and tried', async () => {
  const err = await errorOf(() => testKernel({ cwd: fixtures, config: { plugins: { nosuch: {} } } }).setup());
  assert.is(err.code, 'US_MODULE_NOT_FOUND');
  assert.match(err.message, 'plugin "nosuch"');
  assert.match(err.message, '@understudy/plugin-nosuch');
  const fields = err as unknown as { kind: string; wanted: string; tried: string[] };
  assert.equal([fields.kind, fields.wanted], ['plugin', 'nosuch']);
  assert.ok(fields.tried.includes('@understudy/plugin-nosuch'));
  // what is installed is the CLI's to list (its node_modules scan), not the kernel's
  assert.ok(listInstalled('plugin', fixtures).some((m) => m.name === 'echo'));
  const preset = await errorOf(() => testKernel({ cwd: fixtures, presets: ['./presets/missing.mjs'] }).setup());
  assert.match(preset.message, 'preset "./presets/missing.mjs"');
});

test('a module without a definition is rejected', async () => {
  const err = await errorOf(() => testKernel({ cwd: fixtures, config: { load: ['./plugins/not-a-plugin.mjs'] } }).setup());
  assert.is(err.code, 'US_MODULE_INVALID');
  assert.match(err.message, 'definePlugin()');
  const preset = await errorOf(() => testKernel({ cwd: fixtures, presets: ['./plugins/not-a-plugin.mjs'] }).setup());
  assert.match(preset.message, 'definePreset()');
});

test('a plugin needing another kernel version is refused', async () => {
  const err = await errorOf(() => testKernel({ cwd: fixtures, config: { load: ['./plugins/needs-kernel-99'] } }).setup());
  assert.is(err.code, 'US_PLUGIN_KERNEL_RANGE');
  assert.match(err.message, '"future" requires kernel >=99');
});

test('two different plugins with one name are refused; the same one twice is fine', async () => {
  const a: PluginDefinition = { name: 'dup', register() {} };
  const b: PluginDefinition = { name: 'dup', register() {} };
  const err = await errorOf(() => testKernel({ plugins: [a, b] }).setup());
  assert.is(err.code, 'US_PLUGIN_DUPLICATE');
  assert.match(err.message, '"dup"');
  const same = testKernel({ plugins: [a], presets: [{ name: 'p', plugins: [a] }] });
  await same.setup();
  assert.is(same.plugins().length, 1);
  await same.stop();
});

test('plugin config errors from several plugins come in one error', async () => {
  const err = await errorOf(() =>
    testKernel({ cwd: fixtures, config: { load: ['./plugins/greeter.mjs'], plugins: { greeter: { times: 0, loud: true } } } }).setup(),
  );
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'plugins.greeter.times: must be >= 1');
  assert.match(err.message, 'plugins.greeter: unknown property "loud"');
});

test('listInstalled finds @understudy packages with their descriptions', () => {
  const plugins = listInstalled('plugin', fixtures);
  const echo = plugins.find((p) => p.name === 'echo');
  assert.equal(echo, { name: 'echo', packageName: '@understudy/plugin-echo', description: 'echoes the request body', version: '0.0.1' });
  assert.ok(listInstalled('preset', fixtures).every((p) => p.packageName.includes('preset-')));
});

test.run();
