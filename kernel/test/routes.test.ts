// Routes a plugin adds: admin routes documented by the kernel (tag + shared errors),
// wire-compatible routes through the checked ctx.routes, both refused after start.
import { Type } from '@sinclair/typebox';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AdminApp, PluginDefinition } from '../src/index.js';
import { errorOf, testKernel } from './support.js';

let lateRoutes: (() => void) | undefined;
const wire: PluginDefinition = {
  name: 'wire',
  register(ctx) {
    ctx.admin(async (app: AdminApp) => {
      app.get('/things', { schema: { summary: 'Every thing', response: { 200: Type.Object({ n: Type.Integer() }) } } }, async () => ({ n: 1 }));
      app.get('/own', { schema: { summary: 'Own errors', response: { 404: Type.Object({ nope: Type.Boolean() }) } } }, async () => ({}));
    });
    ctx.routes('/v1', async (app) => {
      app.get('/status/leader', { schema: { summary: 'Consul-style leader' } }, async (_req, reply) => reply.type('application/json').send('"127.0.0.1:8300"'));
    });
    lateRoutes = () => ctx.routes('/v2', async () => undefined);
  },
};

test('admin routes carry the plugin tag and the shared error responses; wire routes the tag only', async () => {
  const kernel = testKernel({ plugins: [wire] });
  const url = await kernel.start();
  try {
    const api = await (await fetch(`${url}/__admin/openapi.json`)).json();
    const things = api.paths['/__admin/wire/things'].get;
    assert.equal(things.tags, ['wire']);
    assert.ok(things.responses['4XX'] ?? things.responses['4xx'], JSON.stringify(Object.keys(things.responses)));
    assert.ok(things.responses['5XX'] ?? things.responses['5xx']);
    const own = api.paths['/__admin/wire/own'].get;
    assert.ok(own.responses['404'] && !own.responses['4XX'] && !own.responses['4xx'], 'a route that names its own 4xx keeps it');
    const leader = api.paths['/v1/status/leader'].get;
    assert.equal(leader.tags, ['wire']);
    assert.not.ok(leader.responses?.['4XX'] ?? leader.responses?.['4xx']);
    assert.is(await (await fetch(`${url}/v1/status/leader`)).text(), '"127.0.0.1:8300"');
  } finally {
    await kernel.stop();
  }
});

test('routes after start are refused, and a prefix must start with a slash', async () => {
  const kernel = testKernel({ plugins: [wire] });
  await kernel.start();
  try {
    const late = await errorOf(() => lateRoutes!());
    assert.is(late.code, 'US_LATE_REGISTRATION');
    assert.match(late.message, 'add routes under /v2');
  } finally {
    await kernel.stop();
  }
  const bad: PluginDefinition = { name: 'bad', register: (ctx) => ctx.routes('v1', async () => undefined) };
  const err = await errorOf(() => testKernel({ plugins: [bad] }).setup());
  assert.match(err.message, 'a prefix starts with "/"');
});

test('events: subscribe to one type, read recent ones by type', async () => {
  const got: unknown[] = [];
  const kernel = testKernel();
  const off = kernel.events.subscribe('kernel.started', (e) => got.push(e.data.plugins));
  await kernel.start();
  off();
  assert.equal(got, [[]]);
  assert.is(kernel.events.recent('kernel.started').length, 1);
  assert.is(kernel.events.recent('kernel.stopping').length, 0);
  await kernel.stop();
  assert.is(kernel.events.recent('kernel.stopping').length, 1);
});

test.run();
