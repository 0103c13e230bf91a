// The dispatcher calls `exchange` and `settled` taps itself (see src/exchange/taps.ts):
// the same order, waterfall and errors as tapable, for every kind of tap.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stage, type Exchange, type PluginDefinition } from '../src/index.js';
import { testKernel } from './support.js';

const seen = (ex: Exchange, name: string) => ((ex.context.tags.seen as string[] | undefined)?.push(name) ?? (ex.context.tags.seen = [name]));

/** One tap of each kind on `exchange` and on `settled`; the async one replaces the exchange. */
const mixed: PluginDefinition = {
  name: 'mixed',
  register(ctx) {
    ctx.hooks.exchange.tap({ name: 'sync', stage: Stage.Inbound }, (ex) => {
      seen(ex, 'sync');
      return undefined as unknown as Exchange; // undefined keeps the exchange
    });
    ctx.hooks.exchange.tapAsync({ name: 'async', stage: Stage.Route }, (ex, done) => {
      seen(ex, 'async');
      setImmediate(() => done(null, { ...ex, endpoint: 'replaced' }));
    });
    ctx.hooks.exchange.tapPromise({ name: 'promise', stage: Stage.Respond }, async (ex) => {
      seen(ex, 'promise');
      ex.response = { status: 200, headers: {}, body: ex.endpoint ?? '' };
      return ex;
    });
    ctx.hooks.settled.tap('sync', (ex) => seen(ex, 'settled sync'));
    ctx.hooks.settled.tapAsync('async', (ex, done) => {
      seen(ex, 'settled async');
      setImmediate(done);
    });
    ctx.hooks.settled.tapPromise('promise', async (ex) => {
      seen(ex, 'settled promise');
    });
  },
};

test('sync, async and promise taps run in order, results replace the exchange', async () => {
  const kernel = testKernel({ plugins: [mixed] });
  await kernel.setup();
  const ex = await kernel.dispatch({ request: { url: '/x' } });
  assert.is(ex.response!.body, 'replaced');
  assert.equal(ex.context.tags.seen, ['sync', 'async', 'promise', 'settled sync', 'settled async', 'settled promise']);
  await kernel.stop();
});

test('a call interceptor is honoured: tapable runs the hooks', async () => {
  const calls: string[] = [];
  const intercepted: PluginDefinition = {
    name: 'intercepted',
    register(ctx) {
      ctx.hooks.exchange.intercept({ call: (ex) => void calls.push(`exchange ${ex.request.path}`) });
      ctx.hooks.settled.intercept({ call: (ex) => void calls.push(`settled ${ex.request.path}`) });
    },
  };
  const kernel = testKernel({ plugins: [mixed, intercepted] });
  await kernel.setup();
  const ex = await kernel.dispatch({ request: { url: '/y' } });
  assert.is(ex.response!.body, 'replaced');
  assert.equal(ex.context.tags.seen, ['sync', 'async', 'promise', 'settled sync', 'settled async', 'settled promise']);
  assert.equal(calls, ['exchange /y', 'settled /y']);
  await kernel.stop();
});

test('a promise tap that returns no promise, or an async tap that fails, is a 500', async () => {
  const broken: PluginDefinition = {
    name: 'broken',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'broken', stage: Stage.Respond }, ((ex: Exchange) => (ex.request.path === '/sync' ? ex : Promise.resolve(ex))) as never);
      ctx.hooks.exchange.tapAsync({ name: 'failing', stage: Stage.Shape }, (_ex, done) => done(new Error('async tap failed')));
    },
  };
  const kernel = testKernel({ plugins: [broken] });
  await kernel.setup();
  const noPromise = await kernel.dispatch({ request: { url: '/sync' } });
  assert.is(noPromise.response!.status, 500);
  assert.match(noPromise.error!.message, 'did not return promise');
  const failed = await kernel.dispatch({ request: { url: '/async' } });
  assert.is(failed.response!.status, 500);
  assert.is(failed.error!.message, 'async tap failed');
  await kernel.stop();
});

test.run();
