import { AsyncSeriesHook } from 'tapable';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

declare module '../src/services.js' {
  interface Services {
    counter: { count: number };
  }
}
declare module '../src/hooks.js' {
  interface PluginHookGroups {
    broker: { published: AsyncSeriesHook<[string]> };
  }
}

test('a plugin provides a service that a dependent plugin and the embedder resolve', async () => {
  let seen: number | undefined;
  const provider: PluginDefinition = { name: 'provider', provides: ['counter'], register: (ctx) => ctx.provide('counter', { count: 41 }) };
  const consumer: PluginDefinition = {
    name: 'consumer',
    dependencies: ['provider'],
    register(ctx) {
      assert.ok(ctx.has('counter'));
      ctx.resolve('counter').count++;
      seen = ctx.resolve('counter').count;
      assert.is(ctx.resolve('clock'), ctx.resolve('clock'));
    },
  };
  const kernel = testKernel({ plugins: [consumer, provider] });
  await kernel.setup();
  assert.is(seen, 42);
  assert.is(kernel.resolve('counter').count, 42);
  assert.is(kernel.resolve('config').maxHops, 32);
  assert.is(kernel.resolve('http'), kernel.http);
  await kernel.stop();
});

test('duplicate and unknown services are clear errors', async () => {
  const twice: PluginDefinition = { name: 'twice', provides: ['clock'], register: (ctx) => ctx.provide('clock', {} as never) };
  const dup = await errorOf(() => testKernel({ plugins: [twice] }).setup());
  assert.match(dup.message, 'Service "clock" is already provided by plugin "kernel"');
  const asker: PluginDefinition = { name: 'asker', register: (ctx) => void ctx.resolve('counter') };
  const unknown = await errorOf(() => testKernel({ plugins: [asker] }).setup());
  assert.match(unknown.message, 'No loaded plugin provides a service named "counter"');
  assert.match(unknown.message, 'Known services: config, logger');
  const kernel = testKernel();
  await kernel.setup();
  const fromKernel = await errorOf(() => kernel.resolve('counter'));
  assert.is(fromKernel.code, 'US_SERVICE_UNKNOWN');
  await kernel.stop();
});

test('a dependency may name a service: the loader orders by it, and a late resolve names the provider', async () => {
  const provider: PluginDefinition = { name: 'provider', provides: ['counter'], register: (ctx) => ctx.provide('counter', { count: 1 }) };
  let got: number | undefined;
  const byService: PluginDefinition = { name: 'by-service', dependencies: ['counter'], register: (ctx) => void (got = ctx.resolve('counter').count) };
  const kernel = testKernel({ plugins: [byService, provider] });
  await kernel.setup();
  assert.is(got, 1);
  assert.equal(kernel.plugins().map((p) => p.name), ['provider', 'by-service']);
  await kernel.stop();

  const eager: PluginDefinition = { name: 'eager', register: (ctx) => void ctx.resolve('counter') };
  const late = await errorOf(() => testKernel({ plugins: [eager, provider] }).setup());
  assert.match(late.message, 'Service "counter" is provided by plugin "provider", which registers after "eager"');
  assert.equal((late as unknown as { cause: { plugin: string } }).cause.plugin, 'provider');

  const quiet: PluginDefinition = { name: 'quiet', register: (ctx) => ctx.provide('counter', { count: 2 }) };
  const undeclared = await errorOf(() => testKernel({ plugins: [quiet] }).setup());
  assert.match(undeclared.message, 'add "counter" to its `provides`');

  const optional: PluginDefinition = { name: 'optional', register: (ctx) => void (got = ctx.resolveOptional('counter')?.count ?? -1) };
  const alone = testKernel({ plugins: [optional] });
  await alone.setup();
  assert.is(got, -1);
  assert.is(alone.resolveOptional('counter'), undefined);
  await alone.stop();
});

test('a test double stands in for a plugin\'s service', async () => {
  const provider: PluginDefinition = { name: 'provider', provides: ['counter'], register: (ctx) => ctx.provide('counter', { count: 1 }) };
  let got: number | undefined;
  const consumer: PluginDefinition = { name: 'consumer', dependencies: ['provider'], register: (ctx) => void (got = ctx.resolve('counter').count) };
  const kernel = testKernel({ plugins: [provider, consumer], services: { counter: { count: 99 } } });
  await kernel.setup();
  assert.is(got, 99);
  assert.is(kernel.resolve('counter').count, 99);
  await kernel.stop();
});

test('a plugin exposes its own hook group for others to tap', async () => {
  const received: string[] = [];
  const broker: PluginDefinition = {
    name: 'broker',
    register(ctx) {
      const hooks = ctx.defineHooks('broker', { published: new AsyncSeriesHook<[string]>(['topic']) });
      ctx.onStart(() => hooks.published.promise('devices/1/telemetry'));
    },
  };
  const listener: PluginDefinition = {
    name: 'listener',
    dependencies: ['broker'],
    register(ctx) {
      ctx.pluginHooks('broker').published.tapPromise('listener', async (topic) => void received.push(topic));
    },
  };
  const kernel = testKernel({ plugins: [listener, broker] });
  await kernel.start();
  assert.equal(received, ['devices/1/telemetry']);
  await kernel.stop();

  const redefine: PluginDefinition = { name: 'again', register: (ctx) => void ctx.defineHooks('broker', { published: new AsyncSeriesHook(['t']) }) };
  const dup = await errorOf(() => testKernel({ plugins: [broker, redefine] }).setup());
  assert.match(dup.message, 'Hook group "broker" is already defined');
  const orphan: PluginDefinition = { name: 'orphan', register: (ctx) => void ctx.pluginHooks('broker') };
  const missing = await errorOf(() => testKernel({ plugins: [orphan] }).setup());
  assert.match(missing.message, 'No hook group "broker". Known groups: (none)');
});

test('each plugin gets its own random stream from the run seed', async () => {
  const draws: Record<string, number> = {};
  const drawer = (name: string): PluginDefinition => ({ name, register: (ctx) => void (draws[name] = ctx.random.next()) });
  const run = async (plugins: PluginDefinition[], seed: number) => {
    const kernel = testKernel({ config: { seed }, plugins });
    await kernel.setup();
    await kernel.stop();
    return { ...draws };
  };
  const first = await run([drawer('a'), drawer('b')], 7);
  const onlyB = await run([drawer('x'), drawer('y'), drawer('b')], 7);
  assert.is(onlyB.b, first.b);
  assert.is.not(first.a, first.b);
  const otherSeed = await run([drawer('b')], 8);
  assert.is.not(otherSeed.b, first.b);
});

test.run();
