// The dispatcher calls `exchange` and `settled` taps itself (see src/exchange/taps.ts):
// the same order, waterfall and errors as tapable, for every kind of tap.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stage, type Exchange, type PluginDefinition } from '../src/index.js';
import { checkTapShape } from '../src/exchange/taps.js';
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

test('call interceptors are refused on the hooks the dispatcher runs; register interceptors work', async () => {
  const registered: string[] = [];
  const intercepted: PluginDefinition = {
    name: 'intercepted',
    register(ctx) {
      ctx.hooks.exchange.intercept({ register: (tap) => (registered.push(tap.name), tap) });
      ctx.hooks.exchange.intercept({ call: () => undefined });
    },
  };
  const kernel = testKernel({ plugins: [mixed, intercepted] });
  const err = await kernel.setup().then(() => undefined, (e: Error & { code?: string }) => e);
  assert.ok(err, 'setup should fail');
  assert.match(err!.message, 'does not call tapable\'s call interceptors');
  assert.equal(registered, ['sync', 'async', 'promise']);
  await kernel.stop().catch(() => undefined);
});

test('tapable keeps taps as the dispatcher reads them (fails when a new tapable changes its shape)', async () => {
  const kernel = testKernel({ plugins: [mixed] });
  await kernel.setup();
  checkTapShape(kernel.hooks.exchange);
  checkTapShape(kernel.hooks.settled);
  assert.throws(() => checkTapShape({}), /tapable changed/);
  assert.throws(() => checkTapShape({ taps: [{ name: 'x' }] }), /tapable changed/);
  const taps = (kernel.hooks.exchange as unknown as { taps: Array<{ name: string; stage: number; type: string }> }).taps;
  assert.equal(taps.map((t) => [t.name, t.stage, t.type]), [['sync', Stage.Inbound, 'sync'], ['async', Stage.Route, 'async'], ['promise', Stage.Respond, 'promise']]);
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
  assert.match(noPromise.error!.message, 'Tap "broken" failed in the "exchange" hook: Tap function (tapPromise) did not return promise');
  const failed = await kernel.dispatch({ request: { url: '/async' } });
  assert.is(failed.response!.status, 500);
  assert.is(failed.error!.message, 'Tap "failing" failed in the "exchange" hook: async tap failed');
  await kernel.stop();
});

test.run();
