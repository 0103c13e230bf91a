import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CONNECTION_FAULTS, definePlugin, Stage, type ConnectionFault } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '../src/index.js';
import { call, start, svc } from './helpers.js';

const own = suite('mesh: own ports break connections as the main port does');

/** Answers with the connection fault named by the request's `x-fault` header. */
const faulty = definePlugin({
  name: 'faulty',
  register(ctx) {
    ctx.hooks.exchange.tap({ name: 'faulty', stage: Stage.Fault }, (ex) => {
      const fault = ex.request.headers['x-fault'];
      if (typeof fault === 'string') ex.response = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'never sent', fault: fault as ConnectionFault };
      return ex;
    });
  },
});

interface Observed {
  /** Every byte the client received, as latin1. */
  bytes: string;
  /** The socket error, if the connection was reset. */
  error?: string;
}

/** A real HTTP/1.1 request over a plain socket: what came back, and how the connection ended. */
function rawGet(port: number, path: string, fault: ConnectionFault): Promise<Observed> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-fault: ${fault}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code));
    socket.on('close', () => resolve({ bytes: Buffer.concat(chunks).toString('latin1'), error }));
  });
}

/** What fetch (undici) reports: the cause's code of its failure. */
async function fetchFailure(url: string, fault: ConnectionFault): Promise<string> {
  try {
    const res = await fetch(url, { headers: { 'x-fault': fault } });
    await res.text();
    return `answered ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? String(err);
  }
}

own('each of the four connection faults looks the same on a service\'s own port and on the main port', async () => {
  const k = await start({ services: { own: svc({}, { port: 0 }) } }, { extra: [faulty] });
  try {
    const ownPort = (await call(`${k.baseUrl}/__admin/mesh/services/own`)).body.listeningPort as number;
    const mainPort = Number(new URL(k.baseUrl).port);
    const seen: Partial<Record<ConnectionFault, Observed>> = {};
    for (const fault of CONNECTION_FAULTS) {
      const main = await rawGet(mainPort, '/own/', fault);
      const onOwn = await rawGet(ownPort, '/', fault);
      assert.equal(onOwn, main, fault);
      assert.is(await fetchFailure(`http://127.0.0.1:${ownPort}/`, fault), await fetchFailure(`${k.baseUrl}/own/`, fault), fault);
      seen[fault] = onOwn;
    }
    assert.equal(seen.CONNECTION_RESET_BY_PEER, { bytes: '', error: 'ECONNRESET' });
    assert.equal(seen.EMPTY_RESPONSE, { bytes: '', error: undefined });
    assert.ok(seen.MALFORMED_RESPONSE_CHUNK!.bytes.startsWith('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n'));
    // garbage, not an HTTP response (the own port used to close without a byte)
    assert.ok(seen.RANDOM_DATA_THEN_CLOSE!.bytes.length > 0);
    assert.not.ok(seen.RANDOM_DATA_THEN_CLOSE!.bytes.startsWith('HTTP/'));
    // without a fault the own port answers
    assert.is((await call(`http://127.0.0.1:${ownPort}/`)).status, 200);
  } finally {
    await k.stop();
  }
});

/** A chunked POST (no Content-Length) of `size` bytes in 512-byte chunks: the status line back, and whether the server closed. */
function chunkedPost(port: number, size: number): Promise<{ head: string; body: string; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let sent = 0; sent < size; sent += 512) {
        const n = Math.min(512, size - sent);
        if (socket.writable) socket.write(`${n.toString(16)}\r\n${'x'.repeat(n)}\r\n`);
      }
      if (socket.writable) socket.write('0\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, body = ''] = text.split('\r\n\r\n');
      resolve({ head, body, closed: true });
    });
  });
}

own('a service\'s own port reads bodies under server.bodyLimit: one byte over is 413 US_BODY_TOO_LARGE, as on the main port', async () => {
  const limit = 2048;
  const k = await createTestKernel({ plugins: [mesh], kernel: { server: { bodyLimit: limit } }, config: { mesh: { services: { own: svc({}, { port: 0 }) } } } });
  try {
    const ownPort = (await call(`${k.baseUrl}/__admin/mesh/services/own`)).body.listeningPort as number;
    const atLimit = await call(`http://127.0.0.1:${ownPort}/`, { method: 'POST', body: 'x'.repeat(limit), headers: { 'content-type': 'text/plain' } });
    assert.is(atLimit.status, 200);

    const over = await call(`http://127.0.0.1:${ownPort}/`, { method: 'POST', body: 'x'.repeat(limit + 1), headers: { 'content-type': 'text/plain' } });
    assert.is(over.status, 413);
    assert.is(over.headers.get('connection'), 'close');
    assert.equal(Object.keys(over.body).sort(), ['code', 'error', 'message', 'statusCode']);
    assert.is(over.body.statusCode, 413);
    assert.is(over.body.code, 'US_BODY_TOO_LARGE');
    assert.is(over.body.error, 'Payload Too Large');
    assert.match(over.body.message, `${limit} bytes`);
    assert.match(over.body.message, 'server.bodyLimit');
    const onMain = await call(`${k.baseUrl}/own/`, { method: 'POST', body: 'x'.repeat(limit + 1), headers: { 'content-type': 'text/plain' } });
    assert.is(onMain.status, 413);
    assert.is(onMain.body.code, over.body.code);

    // no Content-Length: refused as it crosses the limit, and the connection is closed
    const chunked = await chunkedPost(ownPort, limit + 512);
    assert.match(chunked.head, /^HTTP\/1\.1 413 /);
    assert.is(JSON.parse(chunked.body).code, 'US_BODY_TOO_LARGE');
    assert.ok(chunked.closed);
    // and the port keeps serving
    assert.is((await call(`http://127.0.0.1:${ownPort}/`)).status, 200);
  } finally {
    await k.stop();
  }
});

own.run();
