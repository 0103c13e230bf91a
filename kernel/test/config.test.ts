import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createKernel, findDefaultConfigFile, KernelConfigSchema, loadConfigFile, validateAgainst, type PluginDefinition } from '../src/index.js';
import { errorOf } from './support.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

test('defaults are filled in for an empty config', () => {
  const config: Record<string, unknown> = {};
  assert.equal(validateAgainst(KernelConfigSchema, config), []);
  assert.equal(config.server, { port: 8080, host: '127.0.0.1', bodyLimit: 50 * 1024 * 1024, admin: { allowedOrigins: [], allowedHosts: [] } });
  assert.is(config.clock, 'real');
  assert.is(config.logFormat, 'json');
  assert.equal(config.plugins, {});
});

test('every problem is reported with its dotted path', () => {
  const problems = validateAgainst(KernelConfigSchema, { server: { port: 70000, extra: true }, clock: 'sundial', presets: [1] });
  assert.ok(problems.includes('server.port: must be <= 65535'), problems.join('\n'));
  assert.ok(problems.includes('server: unknown property "extra"'), problems.join('\n'));
  assert.ok(problems.includes('clock: must be one of: "real", "virtual"'), problems.join('\n'));
  assert.ok(problems.includes('presets[0]: must be string'), problems.join('\n'));
});

test('plugin schemas report under plugins.<name> and union types list what is allowed', () => {
  const schema = Type.Object(
    {
      threshold: Type.Integer({ maximum: 100 }),
      mode: Type.Union([Type.Literal('a'), Type.Literal('b')]),
      id: Type.Union([Type.Integer(), Type.String()]),
      kind: Type.String({ enum: ['x', 'y'] }),
      fixed: Type.Literal('only'),
      name: Type.String(),
      url: Type.String({ format: 'uri' }),
    },
    { additionalProperties: false },
  );
  const problems = validateAgainst(schema, { threshold: 101, mode: 'c', id: true, kind: 'z', fixed: 'other', url: 'not a url' }, 'plugins.breaker');
  assert.ok(problems.includes('plugins.breaker.threshold: must be <= 100'), problems.join('\n'));
  assert.ok(problems.includes('plugins.breaker.mode: must be one of: "a", "b"'), problems.join('\n'));
  assert.ok(problems.includes('plugins.breaker.id: must be one of: integer, string'), problems.join('\n'));
  assert.ok(problems.includes('plugins.breaker.kind: must be one of: "x", "y"'), problems.join('\n'));
  assert.ok(problems.includes('plugins.breaker.fixed: must be "only"'), problems.join('\n'));
  assert.ok(problems.includes('plugins.breaker: missing required property "name"'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('plugins.breaker.url: must match format')), problems.join('\n'));
});

test('paths escape slashes and name the root', () => {
  const schema = Type.Record(Type.String(), Type.Integer());
  assert.equal(validateAgainst(schema, { 'a/b~c': 'x' }), ['a/b~c: must be integer']);
  assert.equal(validateAgainst(Type.Integer(), 'x'), ['(root): must be integer']);
  const nameless = Type.Unsafe<number>({ not: {} });
  assert.equal(validateAgainst(nameless, 1), ['(root): must NOT be valid']);
});

test('the kernel refuses an invalid config before anything starts, naming every path', async () => {
  const err = await errorOf(() => createKernel({ config: join(fixtures, 'bad.yaml') }).setup());
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'server.port: must be integer');
  assert.match(err.message, 'clock: must be one of: "real", "virtual"');
  assert.match(err.message, '(root): unknown property "bogus"');
});

test('a bad kernel setting and a bad plugin option are reported together, each with its path', async () => {
  const strict: PluginDefinition = { name: 'strict', config: Type.Object({ root: Type.String({ default: 'x' }) }), register() {} };
  const err = await errorOf(() => createKernel({ config: { server: { port: 'abc' as never }, plugins: { strict: { root: 5 } } }, plugins: [strict] }).setup());
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'server.port: must be integer');
  assert.match(err.message, 'plugins.strict.root: must be string');
  assert.equal((err as unknown as { problems: string[] }).problems, ['server.port: must be integer', 'plugins.strict.root: must be string']);
});

test('a plugin that cannot be loaded joins the list when kernel settings are wrong too', async () => {
  const err = await errorOf(() => createKernel({ config: { clock: 'sundial' as never, plugins: { 'no-such-plugin-anywhere': {} } } }).setup());
  assert.is(err.code, 'US_CONFIG_INVALID');
  const { problems } = err as unknown as { problems: string[] };
  assert.is(problems[0], 'clock: must be one of: "real", "virtual"');
  assert.match(problems[1], 'Cannot find plugin "no-such-plugin-anywhere"');
});

test('a YAML syntax error names the file, line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'us-config-'));
  writeFileSync(join(dir, 'understudy.yaml'), 'server:\n  port: 8080\n plugins: [\n');
  const err = await errorOf(() => loadConfigFile(join(dir, 'understudy.yaml')));
  assert.is(err.code, 'US_CONFIG_FILE_UNREADABLE');
  const { line, column } = err as unknown as { line: number; column: number };
  assert.ok(line > 0 && column > 0, `line ${line}, column ${column}`);
  assert.ok(err.message.startsWith(`Cannot read config file ${join(dir, 'understudy.yaml')}:${line}:${column}: `), err.message);
  assert.not.match(err.message, '\n');
});

test('a JSON syntax error names the line and column too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'us-config-'));
  writeFileSync(join(dir, 'understudy.json'), '{\n  "seed": 1,\n  }\n');
  const err = await errorOf(() => loadConfigFile(join(dir, 'understudy.json')));
  const { line, column } = err as unknown as { line: number; column: number };
  assert.equal([line, column], [3, 3]);
  assert.match(err.message, `understudy.json:3:3: `);
  assert.not.match(err.message, 'position');
});

test('YAML and JSON files load; relative paths resolve against the file', () => {
  const yaml = loadConfigFile(join(fixtures, 'understudy.yaml'));
  assert.is(yaml.dir, fixtures.replace(/\/$/, ''));
  assert.equal(yaml.data.presets, ['./presets/friendly.mjs']);
  const json = loadConfigFile('understudy.json', fixtures);
  assert.equal(json.data.load, ['./plugins/greeter.mjs']);
});

test('an empty file is an empty config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'us-config-'));
  writeFileSync(join(dir, 'understudy.yml'), '# nothing yet\n');
  assert.equal(loadConfigFile(join(dir, 'understudy.yml')).data, {});
  assert.is(findDefaultConfigFile(dir), join(dir, 'understudy.yml'));
  assert.is(findDefaultConfigFile(tmpdir() + '/definitely-missing-dir'), undefined);
});

test('missing, unparsable and non-object files are clear errors', async () => {
  const missing = await errorOf(() => loadConfigFile(join(fixtures, 'nope.yaml')));
  assert.is(missing.code, 'US_CONFIG_FILE_NOT_FOUND');
  assert.match(missing.message, 'understudy init');
  const broken = await errorOf(() => loadConfigFile(join(fixtures, 'broken.yaml')));
  assert.is(broken.code, 'US_CONFIG_FILE_UNREADABLE');
  assert.match(broken.message, 'broken.yaml');
  const list = await errorOf(() => loadConfigFile(join(fixtures, 'list.yaml')));
  assert.is(list.code, 'US_CONFIG_INVALID');
  assert.match(list.message, 'must be an object');
});

test.run();
