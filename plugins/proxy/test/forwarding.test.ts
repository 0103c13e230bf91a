// Forwarding over real sockets: path, query and body reach the target; Host is the
// target's and X-Forwarded-* say who asked; hop-by-hop headers stop at the proxy both
// ways; binary uploads and downloads pass byte for byte; a big body streams through and
// is learned only up to captureBytes; neither Host nor an absolute-form URL nor `//host`
// can send the request anywhere but the configured target (never an open relay).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { BINARY, fakeLearner, startProxy, startUpstream } from './helpers.js';

/** Send raw bytes, resolve with the whole answer as text. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text)); // Connection: close ends it
    let got = '';
    socket.on('data', (c) => (got += c.toString('latin1')));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

test('path, query, method and body reach the target; Host rewritten, X-Forwarded-* set, X-Mock-Enabled not forwarded', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  const k = await startProxy({ target: up.url }, learner);
  try {
    const res = await fetchJson(`${k.baseUrl}/users/42?full=true&x=1&x=2`, {
      method: 'POST',
      json: { name: 'Ada' },
      headers: { 'x-mock-enabled': 'false', 'x-forwarded-for': '10.0.0.1', authorization: 'Bearer t' },
    });
    assert.is(res.status, 200);
    assert.is(res.headers.get('x-upstream'), 'yes');
    assert.equal(res.body.url, '/users/42?full=true&x=1&x=2');
    assert.is(res.body.body, '{"name":"Ada"}');
    const seen = up.seen[0]!;
    assert.is(seen.headers.host, new URL(up.url).host);
    assert.is(seen.headers['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
    assert.is(seen.headers['x-forwarded-host'], new URL(k.baseUrl).host);
    assert.is(seen.headers['x-forwarded-proto'], 'http');
    assert.is(seen.headers['x-mock-enabled'], undefined);
    assert.is(seen.headers.authorization, 'Bearer t', 'end-to-end headers pass');
    assert.is(seen.headers['accept-encoding'], 'identity', 'learning asks for bodies it can read');
    assert.is(observed.length, 1);
    const o = observed[0]!;
    assert.equal([o.method, o.path, o.status, o.upstream, o.source], ['POST', '/users/42', 200, 'default', 'proxy']);
    assert.equal(o.query, { full: 'true', x: ['1', '2'] });
    assert.is(o.requestBody, '{"name":"Ada"}');
    assert.equal(JSON.parse(o.responseBody!).url, '/users/42?full=true&x=1&x=2');
    assert.is(o.responseBytes, Buffer.byteLength(res.text));
  } finally {
    await k.stop();
    await up.close();
  }
});

test('hop-by-hop headers (RFC 9110 §7.6.1 and the ones Connection names) stop at the proxy, both ways', async () => {
  const up = await startUpstream();
  const k = await startProxy({ target: up.url }, fakeLearner().learner);
  try {
    const { port } = new URL(k.baseUrl);
    const answer = await raw(
      Number(port),
      'GET /hop HTTP/1.1\r\nHost: x\r\nConnection: close, x-private\r\nX-Private: secret\r\nKeep-Alive: timeout=9\r\nTE: trailers\r\nUpgrade: h2c\r\nProxy-Authorization: Basic Zm9v\r\nX-End: kept\r\n\r\n',
    );
    const seen = up.seen[0]!.headers;
    for (const name of ['x-private', 'keep-alive', 'te', 'upgrade', 'proxy-authorization']) assert.is(seen[name], undefined, name);
    assert.is(seen['x-end'], 'kept');
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /x-kept: yes/i);
    assert.not.match(answer, /x-secret-hop/i);
    assert.not.match(answer, /keep-alive: timeout=5/i);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('binary uploads and downloads pass byte for byte; binary bodies are observed without text', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  const k = await startProxy({ target: up.url }, learner);
  try {
    const res = await fetch(`${k.baseUrl}/binary`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: BINARY });
    assert.equal(Buffer.from(await res.arrayBuffer()), BINARY);
    assert.equal(up.seen[0]!.body, BINARY, 'the upstream got the raw bytes');
    assert.is(observed[0]!.responseBody, undefined);
    assert.is(observed[0]!.requestBody, undefined);
    assert.is(observed[0]!.responseBytes, BINARY.length);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('a body longer than captureBytes streams through whole and is observed without its text', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  const k = await startProxy({ target: up.url, captureBytes: 1024 }, learner);
  try {
    const res = await fetchJson(`${k.baseUrl}/big`);
    assert.is(res.body.items.length, 2000);
    assert.is(observed[0]!.responseBody, undefined);
    assert.is(observed[0]!.responseBytes, Buffer.byteLength(res.text));
    const stats = await fetchJson(`${k.baseUrl}/__admin/proxy/stats`);
    assert.is(stats.body.captureTruncated, 1);
    assert.is(stats.body.proxied, 1);
    assert.is(stats.body.observed, 1);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('never an open relay: a foreign Host, an absolute-form URL and //host paths all go to the target', async () => {
  const up = await startUpstream();
  const k = await startProxy({ target: up.url }, fakeLearner().learner);
  try {
    const port = Number(new URL(k.baseUrl).port);
    const targetHost = new URL(up.url).host;
    const viaHost = await raw(port, 'GET /who HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n');
    assert.match(viaHost, /^HTTP\/1\.1 200/);
    const absolute = await raw(port, 'GET http://evil.example/steal?q=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    assert.match(absolute, /^HTTP\/1\.1 200/);
    const slashes = await raw(port, 'GET //evil.example/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(slashes, /^HTTP\/1\.1 200/);
    assert.equal(
      up.seen.map((s) => [s.url, s.headers.host]),
      [
        ['/who', targetHost],
        ['/steal?q=1', targetHost],
        ['//evil.example/x', targetHost],
      ],
    );
    assert.is(up.seen[1]!.headers['x-forwarded-host'], 'evil.example', 'the client\'s Host is only reported');
    const star = await raw(port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.not.match(star, /^HTTP\/1\.1 200/, 'an asterisk-form target is not forwarded');
    assert.is(up.seen.length, 3);
  } finally {
    await k.stop();
    await up.close();
  }
});

test('targets by prefix: longest wins on whole segments, the prefix is swapped for the target URL\'s path, extra headers added', async () => {
  const a = await startUpstream();
  const b = await startUpstream();
  const k = await startProxy(
    {
      targets: [
        { name: 'main', prefix: '/', url: a.url },
        { name: 'billing', prefix: '/billing/', url: `${b.url}/v2`, headers: { 'X-Api-Key': 'k-123' } },
      ],
    },
    fakeLearner().learner,
  );
  try {
    await fetch(`${k.baseUrl}/billing/invoices/1?x=1`);
    await fetch(`${k.baseUrl}/billing`);
    await fetch(`${k.baseUrl}/billingx`);
    assert.equal(b.seen.map((s) => s.url), ['/v2/invoices/1?x=1', '/v2/']);
    assert.is(b.seen[0]!.headers['x-api-key'], 'k-123');
    assert.equal(a.seen.map((s) => s.url), ['/billingx']);
    const targets = await fetchJson(`${k.baseUrl}/__admin/proxy/targets`);
    assert.equal(
      targets.body.targets.map((t: { name: string; prefix: string; headers: string[]; proxied: number }) => [t.name, t.prefix, t.headers, t.proxied]),
      [
        ['billing', '/billing', ['X-Api-Key'], 2],
        ['main', '/', [], 1],
      ],
    );
    assert.not.match(targets.text, 'k-123', 'header values are never shown');
  } finally {
    await k.stop();
    await a.close();
    await b.close();
  }
});

test('target URLs are shown with user info and query values redacted; passthrough does not learn', async () => {
  const up = await startUpstream();
  const { learner, observed } = fakeLearner();
  const url = up.url.replace('http://', 'http://user:hunter2@') + '/api?token=s3cret';
  const k = await startProxy({ target: url, mode: 'passthrough' }, learner);
  try {
    const targets = await fetchJson(`${k.baseUrl}/__admin/proxy/targets`);
    assert.not.match(targets.text, 'hunter2');
    assert.not.match(targets.text, 's3cret');
    assert.match(targets.body.targets[0].url, 'REDACTED');
    const res = await fetchJson(`${k.baseUrl}/x`);
    assert.is(res.body.url, '/api/x');
    assert.is.not(up.seen[0]!.headers['accept-encoding'], 'identity', 'not learning: the client\'s encoding preference stands');
    assert.is(observed.length, 0);
  } finally {
    await k.stop();
    await up.close();
  }
});

test.run();
