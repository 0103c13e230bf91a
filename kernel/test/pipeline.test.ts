import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONNECTION_FAULTS, exchangeFromRequest, sendExchange, Stage, type Exchange, type PluginDefinition } from '../src/index.js';
import { testKernel } from './support.js';

/** A plugin tapping `exchange` at one stage, recording its name on the exchange. */
function stageTap(name: string, stage: number, act?: (ex: Exchange) => void): PluginDefinition {
  return {
    name,
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name, stage }, async (ex) => {
        (ex.context.tags.seen as string[] | undefined)?.push(name) ?? (ex.context.tags.seen = [name]);
        act?.(ex);
        return ex;
      });
    },
  };
}

const respond = (body: string) => (ex: Exchange) => {
  ex.response ??= { status: 200, headers: { 'content-type': 'text/plain' }, body };
};

test('exchange taps run by stage, never by registration order', async () => {
  const kernel = testKernel({
    plugins: [
      stageTap('formatter', Stage.Shape),
      stageTap('stubs', Stage.Respond, respond('from stubs')),
      stageTap('chaos', Stage.Fault),
      stageTap('tracing', Stage.Inbound),
      stageTap('breaker', Stage.Guard),
      stageTap('discovery', Stage.Route),
    ],
  });
  await kernel.setup();
  const ex = await kernel.dispatch({ request: { url: '/anything' } });
  assert.equal(ex.context.tags.seen, ['tracing', 'discovery', 'breaker', 'chaos', 'stubs', 'formatter']);
  assert.is(ex.response!.body, 'from stubs');
  await kernel.stop();
});

test('the first responder wins and a guard can short-circuit', async () => {
  const guard = stageTap('breaker', Stage.Guard, (ex) => {
    if (ex.request.path === '/open') ex.response = { status: 503, headers: { 'x-breaker': 'payments' }, body: 'open' };
  });
  // the kernel enforces it: b's tap is skipped once a has answered (no `if (ex.response)` in b)
  let bRan = 0;
  const b: PluginDefinition = {
    name: 'b',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'b', stage: Stage.Respond, after: 'a' }, (ex) => {
        bRan++;
        ex.response = { status: 200, headers: {}, body: 'b' };
        return ex;
      });
    },
  };
  const kernel = testKernel({ plugins: [stageTap('a', Stage.Respond, respond('a')), b, guard] });
  await kernel.setup();
  assert.is((await kernel.dispatch({ request: { url: '/x' } })).response!.body, 'a');
  assert.is(bRan, 0);
  const open = await kernel.dispatch({ request: { url: '/open' } });
  assert.is(open.response!.status, 503);
  await kernel.stop();
});

test('HTTP requests become exchanges with raw body, query and lower-case headers', async () => {
  let seen: Exchange | undefined;
  const kernel = testKernel({ plugins: [stageTap('spy', Stage.Respond, (ex) => ((seen = ex), respond('ok')(ex)))] });
  const url = await kernel.start();
  try {
    const res = await fetch(`${url}/orders/7?x=1&x=2&y=3`, { method: 'POST', body: '{"qty": 2}', headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' } });
    assert.is(res.status, 200);
    assert.is(await res.text(), 'ok');
    assert.is(seen!.request.method, 'POST');
    assert.is(seen!.request.path, '/orders/7');
    assert.equal(seen!.request.query, { x: ['1', '2'], y: '3' });
    assert.is(seen!.request.body, '{"qty": 2}');
    assert.is(seen!.request.headers['x-trace'], 'abc');
    assert.is(seen!.protocol, 'http');
  } finally {
    await kernel.stop();
  }
});

test('no responder: 404 with the code and each plugin’s reason', async () => {
  const shy = stageTap('stubs', Stage.Respond, (ex) => {
    ex.context.unmatched.stubs = { nearMisses: [] };
  });
  const kernel = testKernel({ plugins: [shy] });
  const url = await kernel.start();
  try {
    const res = await fetch(`${url}/missing`);
    assert.is(res.status, 404);
    const body = await res.json();
    assert.is(body.code, 'US_NO_MATCH');
    assert.is(body.error, 'Not Found');
    assert.match(body.message, 'GET /missing');
    assert.equal(body.unmatched, { stubs: { nearMisses: [] } });
  } finally {
    await kernel.stop();
  }
});

test('a failing tap becomes a coded 500, settled still runs and the server keeps serving', async () => {
  const settled: Array<{ status: number; error?: string }> = [];
  const faulty: PluginDefinition = {
    name: 'faulty',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'faulty', stage: Stage.Fault }, async (ex) => {
        if (ex.request.path === '/boom') throw Object.assign(new Error('kaboom'), { code: 'US_TEST_BOOM' });
        if (ex.request.path === '/teapot') throw Object.assign(new Error('short and stout'), { statusCode: 418 });
        if (ex.request.path === '/string') throw 'not an error';
        return ex;
      });
      ctx.hooks.settled.tapPromise('faulty', async (ex) => {
        settled.push({ status: ex.response!.status, error: ex.error?.message });
        if (ex.request.path === '/boom') throw new Error('settled failures are only logged');
      });
    },
  };
  const kernel = testKernel({ plugins: [faulty, stageTap('ok', Stage.Respond, respond('fine'))] });
  const url = await kernel.start();
  try {
    const boom = await fetch(`${url}/boom`);
    assert.is(boom.status, 500);
    // wrapped with the tap's name and the hook (Rollup's logPluginError), its code kept
    assert.equal(await boom.json(), {
      statusCode: 500,
      code: 'US_TEST_BOOM',
      error: 'Internal Server Error',
      message: 'Tap "faulty" failed in the "exchange" hook: kaboom',
      tap: 'faulty',
      hook: 'exchange',
    });
    assert.is((await fetch(`${url}/teapot`)).status, 418);
    const str = await (await fetch(`${url}/string`)).json();
    assert.is(str.code, 'US_TAP_FAILED');
    assert.is(str.message, 'Tap "faulty" failed in the "exchange" hook: not an error');
    assert.is(await (await fetch(`${url}/fine`)).text(), 'fine');
    assert.equal(settled.map((s) => s.status), [500, 418, 500, 200]);
    assert.is(settled[0].error, 'Tap "faulty" failed in the "exchange" hook: kaboom');
  } finally {
    await kernel.stop();
  }
});

test('child exchanges beyond the hop limit get 508 instead of looping forever', async () => {
  const looper: PluginDefinition = {
    name: 'looper',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'looper', stage: Stage.Respond }, async (ex) => {
        if (ex.response) return ex;
        const child = await ctx.dispatch({ service: 'self', request: { url: ex.request.url }, context: { hops: ex.context.hops + 1, caller: 'self' } });
        ex.response = child.response;
        return ex;
      });
    },
  };
  const kernel = testKernel({ config: { maxHops: 5 }, plugins: [looper] });
  await kernel.setup();
  const ex = await kernel.dispatch({ request: { url: '/loop' } });
  assert.is(ex.response!.status, 508);
  assert.match(String(ex.response!.body), 'US_LOOP_DETECTED');
  assert.match(String(ex.response!.body), 'hop limit of 5 (service self)');
  await kernel.stop();
});

test('response delays are slept on the kernel clock', async () => {
  const slow = stageTap('slow', Stage.Respond, (ex) => {
    ex.response = { status: 200, headers: {}, body: 'late', delayMs: 1000 };
  });
  const kernel = testKernel({ plugins: [slow] });
  await kernel.setup();
  let done = false;
  const pending = kernel.dispatch({ request: { url: '/' } }).then((ex) => ((done = true), ex));
  await kernel.advance(999);
  assert.is(done, false);
  await kernel.advance(1);
  const ex = await pending;
  assert.is(ex.endedAt! - ex.startedAt, 1000);
  await kernel.stop();
});

test('a plugin route turns its requests into exchanges for a named service', async () => {
  const router: PluginDefinition = {
    name: 'router',
    register(ctx) {
      ctx.http.post('/svc/:service/*', async (request, reply) => {
        const { service } = request.params as { service: string };
        return sendExchange(reply, await ctx.dispatch(exchangeFromRequest(request, { service })));
      });
      ctx.hooks.exchange.tapPromise({ name: 'router', stage: Stage.Respond }, async (ex) => {
        ex.response = { status: 202, headers: { 'x-service': ex.service ?? '', 'content-length': '999' }, body: `${ex.service}:${ex.request.body}` };
        return ex;
      });
    },
  };
  const kernel = testKernel({ plugins: [router] });
  const url = await kernel.start();
  try {
    const json = await fetch(`${url}/svc/orders/new`, { method: 'POST', body: JSON.stringify({ id: 1 }), headers: { 'content-type': 'application/json' } });
    assert.is(json.status, 202);
    assert.is(json.headers.get('x-service'), 'orders');
    assert.is(await json.text(), 'orders:{"id":1}');
    const text = await fetch(`${url}/svc/users/x`, { method: 'POST', body: 'plain', headers: { 'content-type': 'text/plain' } });
    assert.is(await text.text(), 'users:plain');
    const empty = await fetch(`${url}/svc/users/x`, { method: 'POST' });
    assert.is(await empty.text(), 'users:');
  } finally {
    await kernel.stop();
  }
});

test('connection faults break the connection instead of answering, and the server keeps serving', async () => {
  const faulty = stageTap('faulty', Stage.Respond, (ex) => {
    const fault = CONNECTION_FAULTS.find((f) => ex.request.path === `/${f}`);
    ex.response = { status: 200, headers: {}, body: 'fine', ...(fault && { fault }) };
  });
  const kernel = testKernel({ plugins: [faulty] });
  const url = await kernel.start();
  try {
    for (const fault of CONNECTION_FAULTS) {
      const outcome = await fetch(`${url}/${fault}`).then((r) => r.text()).then(() => 'answered', (err: Error) => err.message);
      // a malformed chunk gets as far as the status line, then the body read fails
      assert.ok(['fetch failed', 'terminated'].includes(outcome), `${fault}: ${outcome}`);
    }
    assert.is(await (await fetch(`${url}/ok`)).text(), 'fine');
  } finally {
    await kernel.stop();
  }
});

test.run();
