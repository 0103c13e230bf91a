// The CLI's part of issue 10, in-process: errors a user sees are one line with a hint
// (`--port -1`, a --host this machine does not have, no admin token beyond loopback, a
// plugin's own code under US_PLUGIN_FAILED); the start line says the address actually
// bound and whether a token is needed, and warns when the admin API is open to the
// network; `validate` on a file that names nothing says what `start` would load; on a
// terminal `start` logs in one readable format.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planStart } from '../src/cli/commands/start.js';
import type { CliContext } from '../src/cli/context.js';
import { bufferOutput, printError } from '../src/cli/output.js';
import { run } from '../src/cli/run.js';
import { defineError, type Kernel, wrapPluginError } from '../src/index.js';
import { scratchDir } from './cli-helpers.js';

const scratch = scratchDir('cli-hardening');
const write = (name: string, text: string) => {
  const path = join(scratch.dir, name);
  writeFileSync(path, text);
  return path;
};
test.after(() => scratch.remove());

const TOKEN = 'cli-test-token-0123456789abcdef';

async function call(argv: string[], extra: Partial<CliContext> = {}) {
  const output = bufferOutput();
  const code = await run(argv, { output, cwd: scratch.dir, handleSignals: false, ...extra });
  return { code, out: output.stdout.join('\n'), err: output.stderr };
}

/** Run with UNDERSTUDY_ADMIN_TOKEN set (the kernel reads process.env), then restore it. */
async function withToken<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.UNDERSTUDY_ADMIN_TOKEN;
  process.env.UNDERSTUDY_ADMIN_TOKEN = TOKEN;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.UNDERSTUDY_ADMIN_TOKEN;
    else process.env.UNDERSTUDY_ADMIN_TOKEN = before;
  }
}

test('--port -1 says what is wrong in one line with a hint, not "ambiguous"', async () => {
  const r = await call(['start', '--port', '-1']);
  assert.is(r.code, 2);
  assert.equal(r.err, ['error: --port must be an integer from 0 to 65535, got "-1"', 'hint: use --port 0 for any free port.']);
  assert.equal((await call(['start', '--port=-5'])).err[0], 'error: --port must be an integer from 0 to 65535, got "-5"');
});

test('a --host this machine does not have is one line with a hint, not a raw EADDRNOTAVAIL or ENOTFOUND', async () => {
  await withToken(async () => {
    const missing = await call(['start', '--host', '192.0.2.1', '--port', '0', '--log-level', 'silent']);
    assert.is(missing.code, 1);
    assert.equal(missing.err, [
      'error: cannot listen on 192.0.2.1: it is not an address of this machine',
      "hint: use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface; needs an admin token), or an address of one of this machine's interfaces.",
    ]);
    const unknown = await call(['start', '--host', 'nosuch.invalid', '--port', '0', '--log-level', 'silent']);
    assert.is(unknown.code, 1);
    assert.is(unknown.err.length, 2, unknown.err.join('\n'));
    assert.match(unknown.err[0]!, /^error: cannot listen on nosuch\.invalid: no such host name/);
    assert.match(unknown.err[1]!, /^hint: use --host 127\.0\.0\.1/);
  });
});

test('--host 0.0.0.0 without a token: one line saying how to set one, nothing listens', async () => {
  const r = await call(['start', '--host', '0.0.0.0', '--port', '0', '--log-level', 'silent']);
  assert.is(r.code, 1);
  assert.is(r.err.length, 2, r.err.join('\n'));
  assert.match(r.err[0]!, /^error: server\.host is 0\.0\.0\.0, beyond loopback, so the admin API needs a token: set UNDERSTUDY_ADMIN_TOKEN .* \[US_ADMIN_TOKEN_NOT_SET\]$/);
  assert.match(r.err[1]!, /^hint: e\.g\. `UNDERSTUDY_ADMIN_TOKEN=\$\(openssl rand -hex 32\) understudy start …`/);
});

test('--host 0.0.0.0 with a token: the start line says the real address, every interface, and that a token is required', async () => {
  await withToken(async () => {
    let kernel: Kernel | undefined;
    const r = await call(['start', '--host', '0.0.0.0', '--port', '0', '--log-level', 'silent'], { onKernel: (k) => (kernel = k) });
    try {
      assert.is(r.code, 0, r.err.join('\n'));
      const port = kernel!.address!.port;
      assert.is(r.out, `Understudy listening on http://0.0.0.0:${port}, every interface (from here http://127.0.0.1:${port}; preset basic; plugins: stubs; admin at /__admin, token required)`);
      assert.equal(r.err, []);
      assert.is((await fetch(`${kernel!.url}/__admin/health`)).status, 401);
      assert.is((await fetch(`${kernel!.url}/__admin/health`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.is((await fetch(`${kernel!.url}/hello`)).status, 200);
    } finally {
      await kernel?.stop();
    }
  });
});

test('requireToken: false beyond loopback starts with a loud warning that the admin API is open to the network', async () => {
  const config = write('open.yaml', 'presets: [basic]\nlogLevel: silent\nserver:\n  host: 0.0.0.0\n  admin:\n    requireToken: false\n');
  let kernel: Kernel | undefined;
  const r = await call(['start', '--config', config, '--port', '0'], { onKernel: (k) => (kernel = k) });
  try {
    assert.is(r.code, 0, r.err.join('\n'));
    assert.match(r.out, /^Understudy listening on http:\/\/0\.0\.0\.0:\d+, every interface \(from here http:\/\/127\.0\.0\.1:\d+; preset basic; plugins: stubs; admin at \/__admin\)$/);
    assert.equal(r.err, [
      `warning: the admin API is open to the network (server.admin.requireToken: false): anyone who can reach port ${kernel!.address!.port} can add stubs, change the world and read its secrets. Set UNDERSTUDY_ADMIN_TOKEN to protect it.`,
    ]);
  } finally {
    await kernel?.stop();
  }
});

test('a token on loopback shows in the start line; loopback keeps its one line otherwise', async () => {
  await withToken(async () => {
    let kernel: Kernel | undefined;
    const r = await call(['start', '--port', '0', '--log-level', 'silent'], { onKernel: (k) => (kernel = k) });
    try {
      assert.match(r.out, /^Understudy listening on http:\/\/127\.0\.0\.1:\d+ \(preset basic; plugins: stubs; admin at \/__admin, token required\)$/);
    } finally {
      await kernel?.stop();
    }
  });
});

test('validate on a file that names no preset or plugin says what start would load', async () => {
  const empty = write('empty.yaml', '');
  const r = await call(['validate', empty]);
  assert.is(r.code, 0, r.err.join('\n'));
  assert.is(r.out, `✓ ${empty} is valid; it names no preset or plugin, so \`understudy start\` would load the basic preset (plugins: stubs)`);
  const seedOnly = write('seed.yaml', 'seed: 7\n');
  assert.match((await call(['validate', seedOnly])).out, 'would load the basic preset (plugins: stubs)');
});

test('on a terminal start logs pretty by default; the flag and the file win; piped it stays json', () => {
  assert.is(planStart(['--port', '0'], scratch.dir, { tty: true }).overrides.logFormat, 'pretty');
  assert.is(planStart(['--port', '0'], scratch.dir, { tty: false }).overrides.logFormat, undefined);
  assert.is(planStart(['--log-format', 'json'], scratch.dir, { tty: true }).overrides.logFormat, 'json');
  const json = write('json-logs.yaml', 'logFormat: json\n');
  assert.is(planStart(['--config', json], scratch.dir, { tty: true }).overrides.logFormat, undefined);
});

test('US_PLUGIN_FAILED wrapping a plugin\'s coded error shows the plugin\'s code', () => {
  const Listen = defineError('US_MQTT_LISTEN_FAILED', 500, (port: number) => `MQTT cannot listen on port ${port}: it is in use. Pick another plugins.mqtt.port.`);
  const output = bufferOutput();
  printError(output, wrapPluginError('mqtt', 'started', new Listen(1883)));
  assert.equal(output.stderr, ['error: Plugin "mqtt" failed in started: MQTT cannot listen on port 1883: it is in use. Pick another plugins.mqtt.port. [US_MQTT_LISTEN_FAILED]']);
  const plain = bufferOutput();
  printError(plain, wrapPluginError('x', 'register', new Error('boom')));
  assert.equal(plain.stderr, ['error: Plugin "x" failed in register: boom [US_PLUGIN_FAILED]']);
});

test.run();
