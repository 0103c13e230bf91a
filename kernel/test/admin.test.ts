import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { understudyFastify, type PluginDefinition } from '../src/index.js';
import { testKernel } from './support.js';

const notes: PluginDefinition = {
  name: 'notes',
  version: '2.0.0',
  description: 'keeps notes',
  register(ctx) {
    const notesList: string[] = [];
    ctx.admin(async (app) => {
      app.post<{ Body: { text: string } }>(
        '/notes',
        { schema: { body: Type.Object({ text: Type.String({ minLength: 1 }) }, { additionalProperties: false }) } },
        async (request, reply) => {
          notesList.push(request.body.text);
          ctx.events.emit('notes.added', { text: request.body.text });
          return reply.code(201).send({ count: notesList.length });
        },
      );
      app.get('/crash', async () => {
        throw new Error('internal detail');
      });
    });
  },
};

test('health and plugins describe the running kernel', async () => {
  const kernel = testKernel({ plugins: [notes], config: { seed: 'demo' } });
  const url = await kernel.start();
  try {
    const health = await (await fetch(`${url}/__admin/health`)).json();
    assert.is(health.status, 'ok');
    assert.is(health.plugins, 1);
    assert.is(health.clock, 'virtual');
    assert.is(health.seed, 'demo');
    const plugins = await (await fetch(`${url}/__admin/plugins`)).json();
    assert.equal(plugins, [{ name: 'notes', version: '2.0.0', description: 'keeps notes', state: 'started', dependencies: [], provides: [], from: 'inline', config: {} }]);
  } finally {
    await kernel.stop();
  }
});

test('OpenAPI lists kernel and plugin admin routes with their schemas', async () => {
  const kernel = testKernel({ plugins: [notes] });
  const url = await kernel.start();
  try {
    const doc = await (await fetch(`${url}/__admin/openapi.json`)).json();
    assert.is(doc.openapi.slice(0, 2), '3.');
    assert.ok(doc.paths['/__admin/health'].get);
    assert.ok(doc.paths['/__admin/notes/notes'].post.requestBody);
    assert.not.ok(doc.paths['/*']);
  } finally {
    await kernel.stop();
  }
});

test('bad admin requests get coded 4xx errors and the server keeps running', async () => {
  const kernel = testKernel({ plugins: [notes] });
  const url = await kernel.start();
  try {
    const post = (body: string, type = 'application/json') =>
      fetch(`${url}/__admin/notes/notes`, { method: 'POST', body, headers: { 'content-type': type } });
    const unknownField = await (await post('{"text": "a", "colour": "red"}')).json();
    assert.match(unknownField.message, 'must NOT have additional properties');
    const invalid = await post('{"text": {"nested": true}}');
    assert.is(invalid.status, 400);
    const invalidBody = await invalid.json();
    assert.is(invalidBody.code, 'US_BAD_REQUEST');
    assert.is(invalidBody.error, 'Bad Request');
    assert.match(invalidBody.message, 'body/text must be string');
    assert.match(invalidBody.message, 'openapi.json');
    const empty = await (await post('')).json();
    assert.is(empty.code, 'US_BAD_REQUEST');
    assert.match(empty.message, 'body must be object');
    const broken = await (await post('{"text":')).json();
    assert.is(broken.code, 'US_INVALID_JSON');
    assert.is(broken.statusCode, 400);
    const wrongType = await post('text', 'application/x-unknown');
    assert.is(wrongType.status, 415);
    assert.is((await wrongType.json()).code, 'US_UNSUPPORTED_MEDIA_TYPE');
    const unknown = await fetch(`${url}/__admin/nothing-here`);
    assert.is(unknown.status, 404);
    assert.is((await unknown.json()).code, 'US_ADMIN_ROUTE_NOT_FOUND');
    const crash = await fetch(`${url}/__admin/notes/crash`);
    assert.equal(await crash.json(), { statusCode: 500, code: 'US_INTERNAL', error: 'Internal Server Error', message: 'internal detail' });
    const ok = await post('{"text": "still alive"}');
    assert.is(ok.status, 201);
    // a +json type is JSON (the control plane's guard accepts it, so the parser does)
    assert.is((await post('{"text": "patch"}', 'application/merge-patch+json; charset=utf-8')).status, 201);
  } finally {
    await kernel.stop();
  }
});

test('events stream over WebSocket as JSON, filtered by type prefix; recent events over HTTP', async () => {
  const kernel = testKernel({ plugins: [notes] });
  const url = await kernel.start();
  const ws = new WebSocket(`${url.replace('http', 'ws')}/__admin/events?type=notes.`);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const received = new Promise<Record<string, unknown>>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    await fetch(`${url}/__admin/notes/notes`, { method: 'POST', body: '{"text":"hello"}', headers: { 'content-type': 'application/json' } });
    const event = await received;
    assert.is(event.type, 'notes.added');
    assert.is(event.source, 'notes');
    assert.equal(event.data, { text: 'hello' });
    assert.is(event.at, kernel.clock.now());
    const recent = await (await fetch(`${url}/__admin/events?type=notes.`)).json();
    assert.equal(recent.events.map((e: { type: string }) => e.type), ['notes.added']);
    assert.is(recent.dropped, 0);
  } finally {
    ws.close();
    await kernel.stop();
  }
});

test('the event buffer is bounded and counts what it dropped', async () => {
  const chatty: PluginDefinition = { name: 'chatty', register: (ctx) => ctx.onStart(() => void [1, 2, 3, 4].forEach((n) => ctx.events.emit('chatty.said', { n }))) };
  const kernel = testKernel({ config: { eventBuffer: 2 }, plugins: [chatty] });
  await kernel.start();
  assert.equal(kernel.events.recent('chatty.said').map((e) => (e.data as { n: number }).n), [4]);
  assert.is(kernel.events.dropped, 3);
  await kernel.stop();
});

test('the event buffer is bounded in bytes too (eventBufferBytes), and GET /__admin/events reports dropped and bytes', async () => {
  const big = 'x'.repeat(10_000);
  const bulky: PluginDefinition = { name: 'bulky', register: (ctx) => ctx.onStart(() => void [1, 2, 3, 4, 5].forEach((n) => ctx.events.emit('bulky.said', { n, big }))) };
  const kernel = testKernel({ config: { eventBuffer: 1000, eventBufferBytes: 25_000 }, plugins: [bulky] });
  const url = await kernel.start();
  try {
    const got = await (await fetch(`${url}/__admin/events?type=bulky.`)).json();
    assert.equal(got.events.map((e: { data: { n: number } }) => e.data.n), [4, 5]);
    assert.ok(got.bytes > 20_000 && got.bytes <= 25_000, String(got.bytes));
    // three of the five did not fit in 25,000 bytes (kernel.started, small, did)
    assert.is(got.dropped, 3);
  } finally {
    await kernel.stop();
  }
});

test('mounted into an existing fastify app: host routes win, the rest flows to plugins', async () => {
  const app = Fastify();
  app.get('/host', async () => ({ from: 'host' }));
  await app.register(understudyFastify, { config: { logLevel: 'silent' }, cwd: new URL('./fixtures/', import.meta.url).pathname, plugins: ['echo'] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  try {
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/host`)).json(), { from: 'host' });
    const echo = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
    assert.is(await echo.text(), 'hi');
    assert.is(app.understudy.plugins()[0].state, 'started');
    assert.is((await (await fetch(`http://127.0.0.1:${port}/__admin/health`)).json()).status, 'ok');
  } finally {
    await app.close();
  }
  assert.is(app.understudy.plugins()[0].state, 'stopped');
});

test.run();
