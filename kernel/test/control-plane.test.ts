// The control plane's protection (issue 10), each attack sent over a real socket and
// answered with its coded refusal: cross-origin writes (text/plain and form bodies, the
// ones a web page can send without a preflight), DNS rebinding (a foreign Host on
// loopback), a missing or wrong token beyond loopback; and the same calls working on
// loopback with no Origin (or the server's own) and application/json, without a token.
import { request as httpRequest } from 'node:http';
import { Type } from '@sinclair/typebox';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { REDACTED, RevealSecretsQuery, redact, redactBySchema, revealSecrets, type Kernel, type PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** node:http, so that Host (which fetch sets itself) can be anything. */
function send(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...(body !== undefined && !headers['transfer-encoding'] && { 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const planted = JSON.stringify({ request: { url: '/planted' }, response: { body: 'owned' } });

/** A wire-compatible route outside /__admin (as Consul's /v1), and a read with a secret. */
const wire: PluginDefinition = {
  name: 'wire',
  register(ctx) {
    ctx.routes('/v1', async (app) => {
      app.put('/kv/:key', async (request) => ({ stored: String(request.body ?? '').length }));
      app.get('/kv', async () => ({ keys: [] }));
    });
    ctx.admin(async (app) => {
      app.get<{ Querystring: { reveal?: 'secrets' } }>(
        '/devices',
        { schema: { querystring: Type.Object({ ...RevealSecretsQuery }, { additionalProperties: false }) } },
        async (request) => {
          const reveal = revealSecrets(request);
          return [{ id: 'd1', password: redact('s3cret-password', reveal), none: redact(undefined, reveal) }];
        },
      );
    });
    // mocked traffic: answered by the catch-all whatever its Origin and Host
    ctx.hooks.exchange.tap({ name: 'wire', stage: 500, before: 'stubs' }, (ex) => {
      if (ex.request.path === '/api/thing') ex.response = { status: 200, headers: { 'content-type': 'text/plain' }, body: 'mocked' };
      return ex;
    });
  },
};

async function withKernel(options: Parameters<typeof testKernel>[0], fn: (url: string, kernel: Kernel) => Promise<void>) {
  const kernel = testKernel(options);
  const url = await kernel.start();
  try {
    await fn(url, kernel);
  } finally {
    await kernel.stop();
  }
}

const TOKEN = 'a-token-of-32-characters-long-00';

test('loopback: a cross-origin write is refused (text/plain, form and JSON alike) and plants nothing', async () => {
  await withKernel({ presets: ['basic'] }, async (url) => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json']) {
      const res = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': type }, body: planted });
      assert.is(res.status, 403, type);
      assert.equal(Object.keys(res.body), ['statusCode', 'code', 'error', 'message']);
      assert.is(res.body.code, 'US_ORIGIN_REFUSED');
      assert.match(res.body.message, 'server.admin.allowedOrigins');
    }
    const reset = await send(`${url}/__admin/reset`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: '' });
    assert.is(reset.status, 403);
    assert.is(reset.body.code, 'US_ORIGIN_REFUSED');
    // `Origin: null` (a sandboxed frame, a file: page) is never the same origin
    const opaque = await send(`${url}/__admin/reset`, { method: 'POST', headers: { origin: 'null' } });
    assert.is(opaque.body.code, 'US_ORIGIN_REFUSED');
    // another local port is another origin
    const port = new URL(url).port;
    const otherPort = await send(`${url}/__admin/reset`, { method: 'POST', headers: { origin: `http://127.0.0.1:${Number(port) + 1}` } });
    assert.is(otherPort.body.code, 'US_ORIGIN_REFUSED');
    // the guard belongs to the routes, not to a spelling of their URL
    for (const path of ['/%5F%5Fadmin/mappings', '/%5f%5fadmin/mappings', '/__admin/%6Dappings', '//__admin/mappings', '/__admin//mappings', '/__admin/mappings/']) {
      const res = await send(`${url}${path}`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: planted });
      assert.ok(res.status >= 400, `${path}: ${res.status}`);
    }
    assert.is((await send(`${url}/planted`)).status, 404);
  });
});

test('loopback: a write under /__admin must say application/json; an empty body needs no type', async () => {
  await withKernel({ presets: ['basic'] }, async (url) => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const res = await send(`${url}/__admin/mappings`, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: planted });
      assert.is(res.status, 415, String(type));
      assert.is(res.body.code, 'US_UNSUPPORTED_MEDIA_TYPE');
      assert.match(res.body.message, 'Send Content-Type: application/json.');
    }
    assert.is((await send(`${url}/planted`)).status, 404);
    const reset = await send(`${url}/__admin/reset`, { method: 'POST' });
    assert.is(reset.status, 200);
    const chunked = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, body: planted });
    assert.is(chunked.status, 415);
  });
});

test('loopback: the same calls work without a token, with no Origin or the server\'s own, as application/json (or +json)', async () => {
  await withKernel({ presets: ['basic'] }, async (url) => {
    const plain = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: planted });
    assert.is(plain.status, 201);
    assert.is((await send(`${url}/planted`)).body, 'owned');
    const own = await send(`${url}/__admin/mappings`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/vnd.wiremock+json; charset=utf-8' },
      body: JSON.stringify({ request: { url: '/second' }, response: { body: 'two' } }),
    });
    assert.is(own.status, 201);
    const host = new URL(url).host;
    for (const name of [host, host.replace('127.0.0.1', 'localhost'), host.replace('127.0.0.1', '[::1]'), host.replace('127.0.0.1', 'LOCALHOST.')]) {
      assert.is((await send(`${url}/__admin/mappings`, { headers: { host: name } })).status, 200, name);
    }
    assert.is((await send(`${url}/__admin/reset`, { method: 'POST', headers: { origin: url } })).status, 200);
  });
});

test('loopback: a foreign Host (DNS rebinding) is refused on the control plane, not on mocked traffic', async () => {
  await withKernel({ presets: ['basic'], plugins: [wire] }, async (url) => {
    const port = new URL(url).port;
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const write = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { ...rebound, 'content-type': 'application/json' }, body: planted });
    assert.is(write.status, 403);
    assert.is(write.body.code, 'US_HOST_REFUSED');
    assert.match(write.body.message, 'server.admin.allowedHosts');
    assert.is((await send(`${url}/__admin/health`, { headers: rebound })).body.code, 'US_HOST_REFUSED');
    assert.is((await send(`${url}/v1/kv`, { headers: rebound })).body.code, 'US_HOST_REFUSED');
    // mocked traffic is not the control plane: a browser calling a mock from any page is legitimate
    const mocked = await send(`${url}/api/thing`, { headers: rebound });
    assert.is(mocked.status, 200);
    assert.is(mocked.body, 'mocked');
  });
});

test('allowedHosts and allowedOrigins let named hosts and pages in; a listed origin gets CORS and its preflight', async () => {
  const config = { server: { admin: { allowedHosts: ['dev.test', '.tunnel.test'], allowedOrigins: ['http://localhost:3000'] } } };
  await withKernel({ presets: ['basic'], config }, async (url) => {
    assert.is((await send(`${url}/__admin/health`, { headers: { host: 'dev.test:9000' } })).status, 200);
    assert.is((await send(`${url}/__admin/health`, { headers: { host: 'a.tunnel.test' } })).status, 200);
    assert.is((await send(`${url}/__admin/health`, { headers: { host: 'tunnel.test.evil' } })).body.code, 'US_HOST_REFUSED');
    const preflight = await send(`${url}/__admin/mappings`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.is(preflight.status, 204);
    assert.is(preflight.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.match(String(preflight.headers['access-control-allow-headers']), 'content-type');
    const write = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: planted });
    assert.is(write.status, 201);
    assert.is(write.headers['access-control-allow-origin'], 'http://localhost:3000');
    const unlisted = await send(`${url}/__admin/mappings`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3001', 'access-control-request-method': 'POST' } });
    assert.is(unlisted.body.code, 'US_ORIGIN_REFUSED');
  });
});

test('wire routes outside /__admin are guarded (Origin, Host) but keep their own body types', async () => {
  await withKernel({ plugins: [wire] }, async (url) => {
    const crossSite = await send(`${url}/v1/kv/a`, { method: 'PUT', headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: '"x"' });
    assert.is(crossSite.status, 403);
    assert.is(crossSite.body.code, 'US_ORIGIN_REFUSED');
    const local = await fetch(`${url}/v1/kv/a`, { method: 'PUT', body: 'plain' });
    assert.is(local.status, 200);
  });
});

test('the events WebSocket refuses a cross-origin page', async () => {
  await withKernel({}, async (url) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/__admin/events`, { origin: 'http://evil.example' });
    const status = await new Promise<number | string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    ws.terminate();
    assert.is(status, 403);
    const own = new WebSocket(`${url.replace('http', 'ws')}/__admin/events`);
    await new Promise((resolve, reject) => (own.on('open', resolve), own.on('error', reject)));
    own.close();
  });
});

test('a plugin\'s WebSocket route is guarded under /__admin and not elsewhere (the broker\'s /mqtt is the world, not its control)', async () => {
  const live: PluginDefinition = {
    name: 'live',
    register(ctx) {
      for (const path of ['/live', '/__admin/live/feed']) ctx.websocket(path, (socket) => socket.send(path));
    },
  };
  await withKernel({ plugins: [live] }, async (url) => {
    const connect = (path: string) =>
      new Promise<number | string>((resolve) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}${path}`, { origin: 'http://evil.example' });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.on('message', (data) => (resolve(String(data)), ws.close()));
        ws.on('error', () => resolve('error'));
      });
    assert.is(await connect('/live'), '/live');
    assert.is(await connect('/__admin/live/feed'), 403);
  });
});

test('beyond loopback without a token, startup fails in one line saying how to set one', async () => {
  const err = await errorOf(() => testKernel({ overrides: { server: { port: 0, host: '0.0.0.0' } } }).start());
  assert.is(err.code, 'US_ADMIN_TOKEN_NOT_SET');
  assert.not.match(err.message, '\n');
  assert.match(err.message, 'server.host is 0.0.0.0');
  assert.match(err.message, 'UNDERSTUDY_ADMIN_TOKEN');
  assert.match(err.message, 'server.admin.requireToken: false');
  const required = await errorOf(() => testKernel({ config: { server: { admin: { requireToken: true } } } }).start());
  assert.is(required.code, 'US_ADMIN_TOKEN_NOT_SET');
  assert.match(required.message, 'requireToken is true');
  const short = await errorOf(() => testKernel({ config: { server: { admin: { token: 'short' } } } }).start());
  assert.match(short.message, 'server.admin.token: must NOT have fewer than 16 characters');
});

test('beyond loopback with a token: no token or a wrong one is 401 with WWW-Authenticate; the right one works; mocks need none', async () => {
  const overrides = { server: { port: 0, host: '0.0.0.0' } };
  await withKernel({ presets: ['basic'], plugins: [wire], overrides, env: { UNDERSTUDY_ADMIN_TOKEN: TOKEN } }, async (url, kernel) => {
    assert.equal(kernel.controlPlane, { token: true, open: false });
    assert.is(kernel.address!.host, '0.0.0.0');
    assert.ok(kernel.address!.everyInterface);
    assert.not.ok(kernel.address!.loopback);
    assert.is(url, `http://127.0.0.1:${kernel.address!.port}`);
    const missing = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: planted });
    assert.is(missing.status, 401);
    assert.is(missing.body.code, 'US_ADMIN_TOKEN_REQUIRED');
    assert.match(String(missing.headers['www-authenticate']), /^Bearer realm="understudy"/);
    for (const authorization of [`Bearer ${TOKEN}x`, 'Bearer short', `Basic ${TOKEN}`, `Bearer ${TOKEN.toUpperCase()}`]) {
      const wrong = await send(`${url}/__admin/reset`, { method: 'POST', headers: { authorization } });
      assert.is(wrong.status, 401, authorization);
      assert.ok(['US_ADMIN_TOKEN_INVALID', 'US_ADMIN_TOKEN_REQUIRED'].includes(wrong.body.code), authorization);
    }
    const wrong = await send(`${url}/__admin/reset`, { method: 'POST', headers: { authorization: 'Bearer not-the-token-at-all' } });
    assert.is(wrong.body.code, 'US_ADMIN_TOKEN_INVALID');
    assert.match(String(wrong.headers['www-authenticate']), 'error="invalid_token"');
    assert.is((await send(`${url}/v1/kv`)).body.code, 'US_ADMIN_TOKEN_REQUIRED');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const ok = await send(`${url}/__admin/mappings`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: planted });
    assert.is(ok.status, 201);
    assert.is((await send(`${url}/v1/kv`, { headers: auth })).status, 200);
    // mocked traffic needs no token
    assert.is((await send(`${url}/planted`)).body, 'owned');
    // the token is never echoed by reads
    for (const path of ['/__admin/health', '/__admin/plugins', '/__admin/events']) {
      const read = await send(`${url}${path}`, { headers: auth });
      assert.is(read.status, 200);
      assert.not.match(JSON.stringify(read.body), TOKEN, path);
    }
    assert.is(kernel.config.server.admin.token, TOKEN);
    assert.not.match(JSON.stringify(kernel.config), TOKEN);
  });
});

test('UNDERSTUDY_ADMIN_TOKEN wins over server.admin.token; a configured token is checked on loopback too', async () => {
  const config = { server: { admin: { token: 'the-file-token-0123456789' } } };
  await withKernel({ plugins: [wire], config, env: { UNDERSTUDY_ADMIN_TOKEN: TOKEN } }, async (url) => {
    assert.is((await send(`${url}/__admin/health`)).body.code, 'US_ADMIN_TOKEN_REQUIRED');
    assert.is((await send(`${url}/__admin/health`, { headers: { authorization: 'Bearer the-file-token-0123456789' } })).body.code, 'US_ADMIN_TOKEN_INVALID');
    assert.is((await send(`${url}/__admin/health`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
  });
});

test('requireToken: false beyond loopback starts, open to the network, with a loud warning', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const overrides = { server: { port: 0, host: '0.0.0.0', admin: { requireToken: false } } };
  await withKernel({ presets: ['basic'], overrides, logger }, async (url, kernel) => {
    assert.equal(kernel.controlPlane, { token: false, open: true });
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.level === 40);
    assert.ok(warning, lines.join('\n'));
    assert.match(warning.msg, 'the admin API is open to the network');
    assert.is((await send(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: planted })).status, 201);
    // Origin and the media type are still checked
    assert.is((await send(`${url}/__admin/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } })).body.code, 'US_ORIGIN_REFUSED');
  });
});

test('secrets are redacted in reads; ?reveal=secrets shows them only with the token', async () => {
  await withKernel({ plugins: [wire] }, async (url) => {
    const read = await send(`${url}/__admin/wire/devices`);
    assert.equal(read.body, [{ id: 'd1', password: REDACTED }]);
    const asked = await send(`${url}/__admin/wire/devices?reveal=secrets`);
    assert.is(asked.status, 403);
    assert.is(asked.body.code, 'US_REVEAL_NEEDS_TOKEN');
    assert.match(asked.body.message, 'UNDERSTUDY_ADMIN_TOKEN');
  });
  await withKernel({ plugins: [wire], env: { UNDERSTUDY_ADMIN_TOKEN: TOKEN } }, async (url) => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await send(`${url}/__admin/wire/devices`, { headers: auth })).body, [{ id: 'd1', password: REDACTED }]);
    assert.equal((await send(`${url}/__admin/wire/devices?reveal=secrets`, { headers: auth })).body, [{ id: 'd1', password: 's3cret-password' }]);
    assert.is((await send(`${url}/__admin/wire/devices?reveal=all`, { headers: auth })).body.code, 'US_BAD_REQUEST');
  });
});

test('GET /__admin/plugins shows config options marked writeOnly as redacted; ?reveal=secrets with the token shows them', async () => {
  const users = Type.Array(Type.Object({ username: Type.String(), password: Type.String({ writeOnly: true }) }), { default: [] });
  const keyed: PluginDefinition = {
    name: 'keyed',
    config: Type.Object({ users, keys: Type.Record(Type.String(), Type.String({ writeOnly: true }), { default: {} }), port: Type.Integer({ default: 1 }) }),
    register() {},
  };
  const config = { plugins: { keyed: { users: [{ username: 'u', password: 'pw-1' }], keys: { a: 'k-1' } } } };
  const redacted = { users: [{ username: 'u', password: REDACTED }], keys: { a: REDACTED }, port: 1 };
  await withKernel({ plugins: [keyed], config }, async (url, kernel) => {
    assert.equal((await send(`${url}/__admin/plugins`)).body[0].config, redacted);
    assert.is((await send(`${url}/__admin/plugins?reveal=secrets`)).body.code, 'US_REVEAL_NEEDS_TOKEN');
    // code that asks the kernel gets the effective config as it is
    assert.equal(kernel.plugins()[0]!.config, { users: [{ username: 'u', password: 'pw-1' }], keys: { a: 'k-1' }, port: 1 });
  });
  await withKernel({ plugins: [keyed], config, env: { UNDERSTUDY_ADMIN_TOKEN: TOKEN } }, async (url) => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await send(`${url}/__admin/plugins`, { headers: auth })).body[0].config, redacted);
    assert.equal((await send(`${url}/__admin/plugins?reveal=secrets`, { headers: auth })).body[0].config.users, [{ username: 'u', password: 'pw-1' }]);
  });
});

test('redactBySchema follows unions, tuples and additionalProperties, and leaves what is not secret', () => {
  const schema = Type.Object({
    auth: Type.Union([Type.Object({ kind: Type.Literal('basic'), secret: Type.String({ writeOnly: true }) }), Type.Object({ kind: Type.Literal('none') })]),
    pair: Type.Tuple([Type.String(), Type.String({ writeOnly: true })]),
    extra: Type.Object({}, { additionalProperties: Type.Object({ token: Type.String({ writeOnly: true }) }) }),
    plain: Type.String(),
  });
  const value = { auth: { kind: 'basic', secret: 's' }, pair: ['a', 'b'], extra: { x: { token: 't' } }, plain: 'p', nothing: null };
  assert.equal(redactBySchema(value, schema), { auth: { kind: 'basic', secret: REDACTED }, pair: ['a', REDACTED], extra: { x: { token: REDACTED } }, plain: 'p', nothing: null });
  assert.is(redactBySchema(value, schema, true), value);
  assert.is(redactBySchema(value, undefined), value);
  assert.equal(redactBySchema({ pair: ['a', 'b', 'c'] }, schema), { pair: ['a', REDACTED, 'c'] });
  assert.is(redact(null, false), null);
});

test('inject() reaches the control plane as loopback (no socket, Host localhost)', async () => {
  const kernel = testKernel({ presets: ['basic'] });
  await kernel.setup();
  try {
    const res = await kernel.inject({ method: 'POST', url: '/__admin/mappings', headers: { 'content-type': 'application/json' }, payload: planted });
    assert.is(res.statusCode, 201);
    const refused = await kernel.inject({ method: 'POST', url: '/__admin/mappings', headers: { 'content-type': 'text/plain' }, payload: planted });
    assert.is(refused.statusCode, 415);
  } finally {
    await kernel.stop();
  }
});

test.run();
