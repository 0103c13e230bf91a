import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PluginDefinition } from '../src/index.js';
import { errorOf, recorder, testKernel } from './support.js';

test('register and start run in dependency order, stop in reverse', async () => {
  const log: string[] = [];
  const kernel = testKernel({
    plugins: [
      recorder('tracing', log, { dependencies: ['mesh'] }),
      recorder('mesh', log, { dependencies: ['discovery'] }),
      recorder('discovery', log),
    ],
  });
  await kernel.start();
  assert.equal(log, ['register:discovery', 'register:mesh', 'register:tracing', 'start:discovery', 'start:mesh', 'start:tracing']);
  assert.ok(kernel.plugins().every((p) => p.state === 'started'));
  log.length = 0;
  await kernel.stop();
  assert.equal(log, ['stop:tracing', 'stop:mesh', 'stop:discovery']);
  assert.ok(kernel.plugins().every((p) => p.state === 'stopped'));
});

test('ready runs after every plugin registered and before listening', async () => {
  const log: string[] = [];
  const plugin: PluginDefinition = {
    name: 'watcher',
    register(ctx) {
      ctx.hooks.ready.tapPromise('watcher', async () => void log.push(`ready:listening=${ctx.http.server.listening}`));
      ctx.onStart(() => void log.push(`started:listening=${ctx.http.server.listening}`));
    },
  };
  const kernel = testKernel({ plugins: [recorder('a', log), plugin, recorder('z', log)] });
  await kernel.start();
  await kernel.stop();
  assert.equal(log.slice(0, 4), ['register:a', 'register:z', 'ready:listening=false', 'start:a']);
  assert.ok(log.includes('started:listening=true'));
});

test('stop() is idempotent and safe before start', async () => {
  const log: string[] = [];
  const kernel = testKernel({ plugins: [recorder('a', log)] });
  await kernel.stop();
  await kernel.stop();
  assert.equal(log, []);
  const started = testKernel({ plugins: [recorder('b', log)] });
  await started.start();
  await Promise.all([started.stop(), started.stop()]);
  await started.stop();
  assert.equal(log.filter((l) => l.startsWith('stop')), ['stop:b']);
});

test('a failing register names the plugin and the hook', async () => {
  const broken: PluginDefinition = {
    name: 'broken',
    register() {
      throw new Error('no database');
    },
  };
  const err = await errorOf(() => testKernel({ plugins: [broken] }).start());
  assert.is(err.code, 'US_PLUGIN_FAILED');
  assert.is(err.message, 'Plugin "broken" failed in register: no database');
});

test('a failing register stops the plugins registered before it (their sockets and timers)', async () => {
  const log: string[] = [];
  const broken: PluginDefinition = {
    name: 'broken',
    dependencies: ['first'],
    register() {
      throw new Error('bad config');
    },
  };
  const err = await errorOf(() => testKernel({ plugins: [recorder('first', log), broken] }).start());
  assert.is(err.code, 'US_PLUGIN_FAILED');
  assert.equal(log, ['register:first', 'stop:first']);
});

test('a failing start names plugin and hook, and stops the plugins that started', async () => {
  const log: string[] = [];
  const failing: PluginDefinition = {
    name: 'failing',
    dependencies: ['first'],
    register(ctx) {
      ctx.onStart(() => {
        throw new Error('port taken');
      });
    },
  };
  const kernel = testKernel({ plugins: [recorder('first', log), failing] });
  const err = await errorOf(() => kernel.start());
  assert.is(err.message, 'Plugin "failing" failed in started: port taken');
  assert.ok(log.includes('stop:first'));
  assert.is(kernel.plugins().find((p) => p.name === 'failing')!.state, 'failed');
});

test('stop failures are collected: every plugin still stops, all failures reported together', async () => {
  const log: string[] = [];
  const failsToStop = (name: string): PluginDefinition => ({
    name,
    register(ctx) {
      ctx.onStop(() => {
        throw new Error(`${name} is stuck`);
      });
    },
  });
  const kernel = testKernel({ plugins: [recorder('a', log), failsToStop('b'), failsToStop('c')] });
  await kernel.start();
  const err = await errorOf(() => kernel.stop());
  assert.is(err.code, 'US_LIFECYCLE_FAILED');
  assert.match(err.message, '2 plugin(s) failed during stop');
  assert.match(err.message, 'Plugin "c" failed in stopping: c is stuck');
  assert.match(err.message, 'Plugin "b" failed in stopping: b is stuck');
  assert.ok(log.includes('stop:a'));
});

test('a plugin that hangs in start times out with its name', async () => {
  const hangs: PluginDefinition = {
    name: 'sloth',
    register(ctx) {
      ctx.hooks.started.tapPromise('sloth', () => new Promise(() => undefined));
    },
  };
  const err = await errorOf(() => testKernel({ config: { lifecycleTimeout: 20 }, plugins: [hangs] }).start());
  assert.is(err.code, 'US_PLUGIN_TIMEOUT');
  assert.match(err.message, 'Plugin "sloth" did not finish started within 20 ms');
});

test('callback-style and sync taps are supported and wrapped', async () => {
  const log: string[] = [];
  const plugin: PluginDefinition = {
    name: 'styles',
    register(ctx) {
      ctx.hooks.started.tapAsync('styles', (done) => {
        log.push('async');
        done();
      });
      ctx.hooks.started.tap('styles', () => void log.push('sync'));
      ctx.hooks.stopping.tapAsync('styles', (done) => done(new Error('callback failure')));
    },
  };
  const kernel = testKernel({ plugins: [plugin] });
  await kernel.start();
  assert.equal(log, ['async', 'sync']);
  const err = await errorOf(() => kernel.stop());
  assert.match(err.message, 'Plugin "styles" failed in stopping: callback failure');
});

test('taps, services and routes after start are errors naming the plugin', async () => {
  let saved: Parameters<PluginDefinition['register']>[0] | undefined;
  const kernel = testKernel({ plugins: [{ name: 'late', register: (ctx) => void (saved = ctx) }] });
  await kernel.start();
  try {
    const tap = await errorOf(() => saved!.hooks.settled.tap('late', () => undefined));
    assert.is(tap.code, 'US_LATE_REGISTRATION');
    assert.match(tap.message, 'tap the "settled" hook');
    const service = await errorOf(() => saved!.provide('x' as never, 1 as never));
    assert.match(service.message, 'Plugin "late" tried to provide the "x" service after the kernel started');
    const admin = await errorOf(() => saved!.admin(async () => undefined));
    assert.match(admin.message, 'add admin routes');
    const group = await errorOf(() => saved!.defineHooks('late' as never, {} as never));
    assert.match(group.message, 'define the "late" hook group');
  } finally {
    await kernel.stop();
  }
});

test('a second setup is refused; start() after start returns the same url', async () => {
  const kernel = testKernel({ plugins: [] });
  const url = await kernel.start();
  assert.is(await kernel.start(), url);
  await kernel.stop();
  const err = await errorOf(() => kernel.setup());
  assert.is(err.code, 'US_ALREADY_STARTED');
});

test('inject before setup says what to do', async () => {
  const err = await errorOf(() => testKernel().inject('/'));
  assert.is(err.code, 'US_NOT_STARTED');
  assert.match(err.message, 'kernel.start()');
});

test.run();
