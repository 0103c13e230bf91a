// Streamed response bodies and raw request bytes: a tap may answer with a Readable (a
// proxied upstream body) that both the main port and writeExchange pipe to the client,
// a source that breaks cuts the connection instead of hanging it, and the catch-all
// keeps a binary upload's bytes in `request.rawBody` next to its text.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Stage, writeExchange, type Exchange, type PluginDefinition } from '../src/index.js';
import { testKernel } from './support.js';

/** A stream that yields `parts` when read, then either ends or fails. */
function source(parts: string[], fail = false): Readable {
  const queue = [...parts];
  return new Readable({
    read() {
      if (queue.length) this.push(queue.shift());
      else if (fail) this.destroy(new Error('upstream went away'));
      else this.push(null);
    },
  });
}

function streamer(fail = false): PluginDefinition {
  return {
    name: 'streamer',
    register: (ctx) =>
      void ctx.hooks.exchange.tap({ name: 'streamer', stage: Stage.Respond }, (ex) => {
        ex.response = { status: 200, headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' }, body: source(['one ', 'two ', 'three'], fail) };
        return ex;
      }),
  };
}

/** One raw GET; resolves with what arrived, or the socket error. */
function get(port: number): Promise<{ status?: number; body: string; headers?: Record<string, unknown>; error?: string }> {
  return new Promise((resolve) => {
    let body = '';
    const req = httpRequest({ host: '127.0.0.1', port, path: '/s', agent: false }, (res) => {
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
      res.on('error', (e) => resolve({ status: res.statusCode, body, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => resolve({ body, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

test('a Readable body is piped to the client on the main port, headers kept', async () => {
  const kernel = testKernel({ plugins: [streamer()] });
  const url = await kernel.start();
  try {
    const got = await get(Number(new URL(url).port));
    assert.equal([got.status, got.body, got.headers?.['x-streamed']], [200, 'one two three', 'yes']);
  } finally {
    await kernel.stop();
  }
});

async function ownPort(response: Exchange['response']) {
  const server = createServer((_req, res) => writeExchange(res, { response } as Exchange));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await get((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('writeExchange pipes a Readable body and drops a stale content-length', async () => {
  const got = await ownPort({ status: 202, headers: { 'content-length': '3', 'x-own': '1' }, body: source(['streamed ', 'body']) });
  assert.equal([got.status, got.body, got.headers?.['x-own'], got.headers?.['transfer-encoding']], [202, 'streamed body', '1', 'chunked']);
});

test('a stream that fails midway cuts the connection on both ports instead of hanging', async () => {
  const own = await ownPort({ status: 200, headers: {}, body: source(['partial'], true) });
  assert.ok(own.error, 'own port: the client sees the connection break');
  const kernel = testKernel({ plugins: [streamer(true)] });
  const url = await kernel.start();
  try {
    const main = await get(Number(new URL(url).port));
    assert.ok(main.error, 'main port: the client sees the connection break');
  } finally {
    await kernel.stop();
  }
});

test('the catch-all keeps a binary upload in request.rawBody, byte for byte, and the client address', async () => {
  const seen: Array<Buffer | undefined> = [];
  const addresses: Array<string | undefined> = [];
  const kernel = testKernel({
    plugins: [
      {
        name: 'echo',
        register: (ctx) =>
          void ctx.hooks.exchange.tap({ name: 'echo', stage: Stage.Respond }, (ex) => {
            seen.push(ex.request.rawBody);
            addresses.push(ex.request.remoteAddress);
            ex.response = { status: 200, headers: {}, body: ex.request.rawBody ?? '' };
            return ex;
          }),
      },
    ],
  });
  const url = await kernel.start();
  try {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x41]);
    const res = await fetch(`${url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.equal(Buffer.from(await res.arrayBuffer()), bytes);
    assert.equal(seen[0], bytes);
    assert.match(addresses[0] ?? '', /127\.0\.0\.1/, 'the client address is kept for X-Forwarded-For');
    await fetch(`${url}/no-body`);
    assert.is(seen[1], undefined, 'no body, no rawBody');
    const direct = await kernel.dispatch({ request: { url: '/d', method: 'POST', body: 'x', rawBody: Buffer.from('x') } });
    assert.equal(direct.request.rawBody, Buffer.from('x'));
    const plain = await kernel.dispatch({ request: { url: '/d' } });
    assert.not.ok('rawBody' in plain.request, 'a dispatched request without bytes has no rawBody key');
  } finally {
    await kernel.stop();
  }
});

test.run();
