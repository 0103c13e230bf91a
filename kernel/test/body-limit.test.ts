// One body limit for every listener (issue 10): `server.bodyLimit` on the main port (admin
// routes and the catch-all) and, through readBody/writeError, on plugins' own node:http
// listeners. Each limit is sent over a real socket and answered 413 US_BODY_TOO_LARGE.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'uvu';
import WebSocket from 'ws';
import * as assert from 'uvu/assert';
import { BODY_LIMIT, readBody, writeError, type PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

const echo: PluginDefinition = {
  name: 'echo',
  register(ctx) {
    ctx.hooks.exchange.tap({ name: 'echo', stage: 500 }, (ex) => {
      ex.response = { status: 200, headers: {}, body: String(ex.request.body.length) };
      return ex;
    });
    ctx.admin(async (app) => {
      app.post('/things', async (request) => ({ got: JSON.stringify(request.body ?? null).length }));
    });
  },
};

test('server.bodyLimit defaults to 50 MiB and refuses less than 1 KiB', async () => {
  const kernel = testKernel();
  assert.is(kernel.config.server.bodyLimit, BODY_LIMIT);
  assert.is(BODY_LIMIT, 50 * 1024 * 1024);
  const err = await errorOf(() => testKernel({ config: { server: { bodyLimit: 100 } } }).setup());
  assert.is(err.code, 'US_CONFIG_INVALID');
  assert.match(err.message, 'server.bodyLimit: must be >= 1024');
});

test('the main port answers 413 US_BODY_TOO_LARGE past server.bodyLimit, on admin routes and the catch-all', async () => {
  const kernel = testKernel({ plugins: [echo], config: { server: { bodyLimit: 2048 } } });
  const url = await kernel.start();
  try {
    const small = await fetch(`${url}/anything`, { method: 'POST', body: 'x'.repeat(2048) });
    assert.is(await small.text(), '2048');
    const big = await fetch(`${url}/anything`, { method: 'POST', body: 'x'.repeat(2049) });
    assert.is(big.status, 413);
    assert.is((await big.json()).code, 'US_BODY_TOO_LARGE');
    const admin = await fetch(`${url}/__admin/echo/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(3000) }),
    });
    assert.is(admin.status, 413);
    assert.is((await admin.json()).code, 'US_BODY_TOO_LARGE');
  } finally {
    await kernel.stop();
  }
});

/** A plain node:http listener reading bodies as a plugin's own port would. */
async function ownPort(limit: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    readBody(req, limit).then(
      (body) => res.end(`read ${body.length}`),
      (err) => writeError(res, err),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Send raw bytes, collect what comes back until the server closes the connection. */
function raw(port: number, head: string, body: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(answer) : reject(err)));
    socket.write(head);
    for (const chunk of body) socket.write(chunk);
  });
}

test('readBody reads a body within the limit', async () => {
  const { server, port } = await ownPort(1024);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'y'.repeat(1024) });
    assert.is(await res.text(), 'read 1024');
  } finally {
    server.close();
  }
});

test('readBody refuses a declared Content-Length over the limit before reading, and the connection closes', async () => {
  const { server, port } = await ownPort(1024);
  try {
    // declares 200 MB, sends a little: the server answers and closes without waiting for the rest
    const answer = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200000000\r\n\r\n', [Buffer.alloc(4096, 1)]);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /connection: close/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(Object.keys(body), ['statusCode', 'code', 'error', 'message']);
    assert.is(body.code, 'US_BODY_TOO_LARGE');
    assert.is(body.statusCode, 413);
    assert.match(body.message, 'server.bodyLimit');
  } finally {
    server.close();
  }
});

test('readBody refuses a chunked body once it crosses the limit', async () => {
  const { server, port } = await ownPort(1024);
  try {
    const chunk = (n: number) => Buffer.from(`${n.toString(16)}\r\n${'z'.repeat(n)}\r\n`);
    const answer = await raw(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', [chunk(1000), chunk(1000)]);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /"code":"US_BODY_TOO_LARGE"/);
  } finally {
    server.close();
  }
});

test('writeError keeps a plugin code and status, and maps anything else to US_INTERNAL', async () => {
  const errors: unknown[] = [Object.assign(new Error('nope'), { code: 'US_X_NOPE', statusCode: 409 }), new Error('boom'), Object.assign(new Error('odd'), { code: 'ERR_X', statusCode: 404 }), 'text'];
  let next = 0;
  const server = createServer((_req, res) => writeError(res, errors[next++]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const got = [];
    for (let i = 0; i < errors.length; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      const body = await res.json();
      got.push([res.status, body.code, body.message]);
    }
    assert.equal(got, [
      [409, 'US_X_NOPE', 'nope'],
      [500, 'US_INTERNAL', 'boom'],
      [404, 'US_BAD_REQUEST', 'odd'],
      [500, 'US_INTERNAL', 'text'],
    ]);
  } finally {
    server.close();
  }
});

test('a WebSocket message is bounded like a request body: larger closes the socket with 1009', async () => {
  const kernel = testKernel({ config: { server: { bodyLimit: 4096 } } });
  const url = await kernel.start();
  try {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/__admin/events`);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(8192));
    assert.is(await closed, 1009);
  } finally {
    await kernel.stop();
  }
});

test.run();
