// The pipeline's rules are the kernel's: stage conflicts fail at startup, before/after
// order taps within a stage, child calls derive their context, and every port breaks a
// connection the same way for a fault.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONNECTION_FAULTS, inheritedLocal, Stage, writeExchange, type Exchange, type PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

const answer = (body: string) => (ex: Exchange) => {
  ex.response = { status: 200, headers: { 'content-type': 'text/plain' }, body };
  return ex;
};

function responder(name: string, options: { before?: string; after?: string } = {}): PluginDefinition {
  return { name, register: (ctx) => void ctx.hooks.exchange.tap({ name, stage: Stage.Respond, ...options }, answer(name)) };
}

test('two taps at one stage without an order are a startup error naming both', async () => {
  const err = await errorOf(() => testKernel({ plugins: [responder('mesh'), responder('stubs')] }).setup());
  assert.is(err.code, 'US_STAGE_CONFLICT');
  assert.match(err.message, 'Taps "mesh" and "stubs" of the "exchange" hook share stage 500');
  assert.equal((err as unknown as { taps: string[] }).taps, ['mesh', 'stubs']);
});

test('before and after order taps within a stage, whatever the registration order', async () => {
  for (const plugins of [
    [responder('stubs'), responder('mesh', { before: 'stubs' })],
    [responder('mesh'), responder('stubs', { after: 'mesh' })],
    [responder('stubs', { after: 'mesh' }), responder('mesh')],
  ]) {
    const kernel = testKernel({ plugins });
    await kernel.setup();
    assert.is((await kernel.dispatch({ request: { url: '/x' } })).response!.body, 'mesh');
    await kernel.stop();
  }
});

test('Shape and later stages run on every response; earlier taps are skipped once one answers', async () => {
  const seen: string[] = [];
  const plugin: PluginDefinition = {
    name: 'all',
    register(ctx) {
      ctx.hooks.exchange.tap({ name: 'guard', stage: Stage.Guard }, answer('guard'));
      ctx.hooks.exchange.tap({ name: 'fault', stage: Stage.Fault }, (ex) => (seen.push('fault'), ex));
      ctx.hooks.exchange.tap({ name: 'shape', stage: Stage.Shape }, (ex) => (seen.push('shape'), ex));
      ctx.hooks.exchange.tap({ name: 'last', stage: Stage.AfterShape }, (ex) => (seen.push('last'), ex));
    },
  };
  const kernel = testKernel({ plugins: [plugin] });
  await kernel.setup();
  assert.is((await kernel.dispatch({ request: { url: '/x' } })).response!.body, 'guard');
  assert.equal(seen, ['shape', 'last']);
  await kernel.stop();
});

test('dispatch.child derives hops, caller, trace ids and inherited locals', async () => {
  const LINEAGE = inheritedLocal('test.lineage');
  const PRIVATE = Symbol('test.private');
  const children: Exchange[] = [];
  const plugin: PluginDefinition = {
    name: 'caller',
    register(ctx) {
      ctx.hooks.exchange.tapPromise({ name: 'caller', stage: Stage.Respond }, async (ex) => {
        if (ex.service === 'front') {
          ex.context.spanId = 'span-front';
          ex.locals[LINEAGE] = ['front'];
          ex.locals[PRIVATE] = 'not for children';
          const own = Symbol('own');
          children.push(await ctx.dispatch.child(ex, { service: 'back', endpoint: 'get', request: { url: '/back' }, locals: { [own]: 1 }, context: { tags: { why: 'test' } } }));
        }
        return answer(ex.service ?? '?')(ex);
      });
    },
  };
  const kernel = testKernel({ plugins: [plugin] });
  await kernel.setup();
  await kernel.dispatch({ service: 'front', request: { url: '/front' }, context: { traceId: 'trace-1', hops: 2 } });
  const [child] = children;
  assert.is(child.service, 'back');
  assert.is(child.protocol, 'http');
  assert.equal([child.context.hops, child.context.caller, child.context.traceId, child.context.parentSpanId], [3, 'front', 'trace-1', 'span-front']);
  assert.equal(child.context.tags.why, 'test');
  assert.equal(child.locals[LINEAGE], ['front']);
  assert.is(child.locals[PRIVATE], undefined);
  assert.is(Object.getOwnPropertySymbols(child.locals).length, 2);
  assert.is(child.response!.body, 'back');
  await kernel.stop();
});

/** Send one raw request to a plain node server that writes `response` with writeExchange. */
async function viaOwnPort(response: Exchange['response']): Promise<{ status?: number; body?: string; error?: string; raw: string }> {
  const server = createServer((_req, res) => writeExchange(res, { response } as Exchange));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let raw = '';
  try {
    return await new Promise((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body, raw }));
        res.on('error', (e) => resolve({ status: res.statusCode, error: (e as NodeJS.ErrnoException).code ?? e.message, raw }));
      });
      req.on('socket', (socket) => socket.on('data', (c: Buffer) => (raw += c.toString('latin1'))));
      req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message, raw }));
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('writeExchange answers a plain node response, headers and status included', async () => {
  const got = await viaOwnPort({ status: 201, headers: { 'x-from': 'own-port', 'content-length': '999' }, body: 'made' });
  assert.equal([got.status, got.body], [201, 'made']);
  assert.match(got.raw, /x-from: own-port/i);
  assert.match(got.raw, /content-length: 4/i);
});

test('writeExchange breaks the connection for each of the four faults, as the main port does', async () => {
  const kernel = testKernel({
    plugins: [{ name: 'faulty', register: (ctx) => void ctx.hooks.exchange.tap({ name: 'faulty', stage: Stage.Respond }, (ex) => ((ex.response = { status: 200, headers: {}, body: '', fault: ex.request.path.slice(1) as never }), ex)) }],
  });
  const url = await kernel.start();
  const main = async (fault: string) => {
    const { port } = new URL(url);
    return new Promise<{ status?: number; error?: string; raw: string }>((resolve) => {
      let raw = '';
      const req = httpRequest({ host: '127.0.0.1', port: Number(port), path: `/${fault}`, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, raw }));
        res.on('error', (e) => resolve({ status: res.statusCode, error: (e as NodeJS.ErrnoException).code ?? e.message, raw }));
      });
      req.on('socket', (socket) => socket.on('data', (c: Buffer) => (raw += c.toString('latin1'))));
      req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message, raw }));
      req.end();
    });
  };
  try {
    for (const fault of CONNECTION_FAULTS) {
      const own = await viaOwnPort({ status: 200, headers: {}, body: '', fault });
      const onMain = await main(fault);
      assert.ok(own.error ?? own.status !== 200, `${fault}: the own port answered normally`);
      assert.is(own.raw, onMain.raw, `${fault}: same bytes on both ports`);
      assert.is(own.error === undefined, onMain.error === undefined, `${fault}: same outcome on both ports`);
    }
  } finally {
    await kernel.stop();
  }
});

test.run();
