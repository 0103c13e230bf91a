import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import { createTestKernel } from '@understudy/plugin-sdk/testing';
import mesh from '../src/index.js';
import { call, start, svc } from './helpers.js';

const admin = suite('mesh: admin API');
const A = '/__admin/mesh';

const base = {
  services: {
    front: svc({ calls: [{ service: 'back', endpoint: 'go' }] }),
    back: svc({}, { instances: 2, version: '2.0.0' }),
  },
};

admin('GET /services and /services/:name; unknown → 404 with a code', async () => {
  const k = await start(base);
  try {
    const list = await call(`${k.baseUrl}${A}/services`);
    assert.equal(list.body.services.map((s: { name: string }) => s.name), ['front', 'back']);
    const back = await call(`${k.baseUrl}${A}/services/back`);
    assert.equal(back.body.instances, [{ id: 'back-1', version: '2.0.0' }, { id: 'back-2', version: '2.0.0' }]);
    assert.equal(back.body.endpoints, ['go']);
    assert.is(back.body.definition.instances, 2);
    for (const method of ['GET', 'DELETE']) {
      const res = await call(`${k.baseUrl}${A}/services/nope`, { method });
      assert.is(res.status, 404);
      assert.is(res.body.code, 'US_MESH_SERVICE_NOT_FOUND');
    }
  } finally {
    await k.stop();
  }
});

admin('PUT creates then replaces a service; events say so', async () => {
  const k = await start(base);
  try {
    const created = await call(`${k.baseUrl}${A}/services/extra`, { method: 'PUT', json: svc({ body: 'hi' }) });
    assert.is(created.status, 201);
    assert.is((await call(`${k.baseUrl}/extra/`)).text, 'hi');
    const replaced = await call(`${k.baseUrl}${A}/services/extra`, { method: 'PUT', json: svc({ body: 'bye' }) });
    assert.is(replaced.status, 200);
    assert.is((await call(`${k.baseUrl}/extra/`)).text, 'bye');
    assert.equal(k.eventsOf('mesh.serviceAdded').map((e) => e.data), [{ service: 'extra', source: 'api' }]);
    const changed = k.eventsOf('mesh.topologyChanged');
    assert.is(changed.length, 2);
    assert.equal((changed[1].data as { changed: string[] }).changed, ['extra']);
  } finally {
    await k.stop();
  }
});

admin('live edit of a dependency changes the next request\'s calls', async () => {
  const k = await start({ services: { ...base.services, other: svc() } });
  try {
    assert.equal((await call(`${k.baseUrl}/front/`)).body.calls.map((c: { service: string }) => c.service), ['back']);
    const put = await call(`${k.baseUrl}${A}/services/front`, { method: 'PUT', json: svc({ calls: [{ service: 'other', endpoint: '/' }, { service: 'back', endpoint: 'go' }] }) });
    assert.is(put.status, 200);
    assert.equal((await call(`${k.baseUrl}/front/`)).body.calls.map((c: { service: string }) => c.service), ['other', 'back']);
  } finally {
    await k.stop();
  }
});

admin('invalid topology → 400 with the path, nothing half-applied', async () => {
  const k = await start(base);
  try {
    const bad = await call(`${k.baseUrl}${A}/services/front`, {
      method: 'PUT',
      json: svc({ calls: [{ service: 'back', endpoint: 'go' }, { service: 'paymnts', endpoint: 'x' }], latency: { type: 'uniform', min: 5, max: 1 } }),
    });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_MESH_INVALID_TOPOLOGY');
    assert.match(bad.body.message, 'services.front.endpoints[0].calls[1].service: unknown service "paymnts"');
    assert.match(bad.body.message, 'services.front.endpoints[0].latency.min: must be <= max (1)');
    const topo = await call(`${k.baseUrl}${A}/topology`, {
      method: 'PUT',
      json: { services: { a: svc({ errorRate: 2 }), b: svc({ calls: [{ service: 'a', endpoint: 'nope' }] }) } },
    });
    assert.is(topo.status, 400);
    assert.match(topo.body.message, 'services.a.endpoints[0].errorRate: must be a number from 0 to 1');
    assert.match(topo.body.message, 'services.b.endpoints[0].calls[0].endpoint: unknown endpoint "nope" of service "a"');
    // removing a service others call is refused
    const del = await call(`${k.baseUrl}${A}/services/back`, { method: 'DELETE' });
    assert.is(del.status, 400);
    assert.match(del.body.message, 'services.front.endpoints[0].calls[0].service: unknown service "back"');
    // nothing changed
    assert.is((await call(`${k.baseUrl}${A}/services`)).body.services.length, 2);
    assert.is((await call(`${k.baseUrl}/front/`)).status, 200);
    assert.is(k.eventsOf('mesh.topologyChanged').length, 0);
  } finally {
    await k.stop();
  }
});

admin('every kind of problem is named by path', async () => {
  const k = await start({ services: { ok: svc() } });
  try {
    const weird = {
      services: {
        'bad name!': svc(),
        x: 5,
        y: { endpoints: 'no' },
        z: {
          version: 1,
          port: -1,
          instances: [{ version: 2, address: 3, port: 'p' }, 7],
          extra: true,
          endpoints: [
            7,
            { path: 'no-slash', name: 3, method: 4, latency: 'fast', errorStatus: [], status: 42, headers: { a: 1 }, parallel: 'y', calls: 'no', foo: 1 },
            { path: '/c', calls: [9, { parallel: 'x', calls: 'no' }, { parallel: true, calls: [{ service: 1, endpoint: 2, mode: 'later', onFailure: 'panic', fallback: 'x', other: 1 }] }, { service: 'ok', endpoint: '/', fallback: { status: 1, what: 2 } }] },
            { path: '/c' },
          ],
        },
        w: { instances: 0, endpoints: [] },
      },
    };
    const res = await call(`${k.baseUrl}${A}/topology`, { method: 'PUT', json: weird });
    assert.is(res.status, 400);
    for (const expected of [
      'services.bad name!: invalid service name',
      'services.x: must be an object',
      'services.y.endpoints: must be a list',
      'services.z.version: must be a string',
      'services.z.port: must be an integer from 0 to 65535',
      'services.z.instances[0].version: must be a string',
      'services.z.instances[0].address: must be a string',
      'services.z.instances[0].port: must be an integer',
      'services.z.instances[1]: must be an object',
      'services.z.extra: unknown property "extra"',
      'services.z.endpoints[0]: must be an object',
      'services.z.endpoints[1].path: must be a string starting with "/"',
      'services.z.endpoints[1].name: must be a string',
      'services.z.endpoints[1].method: must be a string',
      'services.z.endpoints[1].latency: must be an object',
      'services.z.endpoints[1].errorStatus: must be a status',
      'services.z.endpoints[1].status: must be an integer from 100 to 599',
      'services.z.endpoints[1].headers: must be an object of strings',
      'services.z.endpoints[1].parallel: must be a boolean',
      'services.z.endpoints[1].calls: must be a list',
      'services.z.endpoints[1].foo: unknown property',
      'services.z.endpoints[2].calls[0]: must be an object',
      'services.z.endpoints[2].calls[1].parallel: must be a boolean',
      'services.z.endpoints[2].calls[1].calls: must be a list',
      'services.z.endpoints[2].calls[2].calls[0].service: must be a string',
      'services.z.endpoints[2].calls[2].calls[0].endpoint: must be a string',
      'services.z.endpoints[2].calls[2].calls[0].mode: must be one of',
      'services.z.endpoints[2].calls[2].calls[0].onFailure: must be one of',
      'services.z.endpoints[2].calls[2].calls[0].fallback: must be an object',
      'services.z.endpoints[2].calls[2].calls[0].other: unknown property',
      'services.z.endpoints[2].calls[3].fallback.status: must be an integer',
      'services.z.endpoints[2].calls[3].fallback.what: unknown property',
      'services.z.endpoints[3]: duplicate endpoint "/c"',
      'services.w.instances: must be an integer >= 1',
    ]) {
      assert.ok(res.body.message.includes(expected), `missing: ${expected}\n${res.body.message}`);
    }
    const notObject = await call(`${k.baseUrl}${A}/topology`, { method: 'PUT', json: { services: [] } });
    assert.match(notObject.body.message, 'services: must be an object of services by name');
  } finally {
    await k.stop();
  }
});

admin('PUT /topology replaces all, DELETE removes, POST /reset restores config', async () => {
  const k = await start(base);
  try {
    const put = await call(`${k.baseUrl}${A}/topology`, { method: 'PUT', json: { services: { solo: svc(), gone: svc() } } });
    assert.equal(put.body, { services: 2 });
    assert.is((await call(`${k.baseUrl}/front/`)).status, 404);
    assert.equal(k.eventsOf('mesh.serviceRemoved').map((e) => (e.data as { service: string }).service), ['front', 'back']);
    assert.equal((await call(`${k.baseUrl}${A}/services/gone`, { method: 'DELETE' })).body, { services: 1 });
    assert.is((await call(`${k.baseUrl}/gone/`)).status, 404);
    const reset = await call(`${k.baseUrl}${A}/reset`, { method: 'POST' });
    assert.equal(reset.body, { services: 2 });
    assert.is((await call(`${k.baseUrl}/front/`)).status, 200);
    assert.is((k.eventsOf('mesh.topologyChanged').at(-1)!.data as { source: string }).source, 'reset');
  } finally {
    await k.stop();
  }
});

admin('a request in flight finishes on the topology it started with', async () => {
  const k = await start({
    services: {
      front: svc({ latency: { type: 'fixed', ms: 50 }, calls: [{ service: 'back', endpoint: 'go' }] }),
      back: svc(),
    },
  });
  try {
    const pending = call(`${k.baseUrl}/front/`);
    await k.untilTimers(1);
    assert.is((await call(`${k.baseUrl}${A}/topology`, { method: 'PUT', json: { services: {} } })).status, 200);
    await k.advance(50);
    const res = await pending;
    assert.is(res.status, 200);
    assert.is(res.body.calls[0].outcome, 'ok');
    assert.is((await call(`${k.baseUrl}/front/`)).status, 404);
  } finally {
    await k.stop();
  }
});

admin('the graph in JSON, DOT, Mermaid and SVG', async () => {
  const k = await start({ world: 'shop' });
  try {
    const json = await call(`${k.baseUrl}${A}/graph.json`);
    assert.is(json.body.nodes.length, 10);
    const gateway = json.body.nodes.find((n: { id: string }) => n.id === 'gateway');
    assert.equal([gateway.instances, gateway.versions], [2, ['2.3.0']]);
    assert.ok(json.body.edges.some((e: { from: { service: string }; to: { service: string }; mode: string }) => e.from.service === 'orders' && e.to.service === 'notifications' && e.mode === 'async'));
    assert.equal(json.body.cycles, []);

    const dot = await call(`${k.baseUrl}${A}/graph.dot`);
    assert.match(dot.headers.get('content-type')!, 'text/vnd.graphviz');
    assert.match(dot.text, /^digraph mesh \{/);
    assert.match(dot.text, '"orders" -> "notifications" [label="send (async)", style=dashed];');
    assert.match(dot.text, '"catalog" [label="catalog\\n3 instances (3.1.0, 3.2.0-canary)"];');

    const mmd = await call(`${k.baseUrl}${A}/graph.mmd`);
    assert.match(mmd.headers.get('content-type')!, 'text/vnd.mermaid');
    assert.match(mmd.text, /^graph LR\n/);
    assert.match(mmd.text, 's_orders -. "send" .-> s_notifications');
    assert.match(mmd.text, 's_gateway -- "create" --> s_orders');

    const svg = await call(`${k.baseUrl}${A}/graph.svg`);
    assert.is(svg.headers.get('content-type'), 'image/svg+xml');
    assert.ok(svg.text.startsWith('<?xml') || svg.text.startsWith('<svg'));
    assert.match(svg.text, 'notifications');
    // cached until the topology changes
    assert.is((await call(`${k.baseUrl}${A}/graph.svg`)).text, svg.text);
    await call(`${k.baseUrl}${A}/services/zeta`, { method: 'PUT', json: svc() });
    assert.match((await call(`${k.baseUrl}${A}/graph.svg`)).text, 'zeta');
  } finally {
    await k.stop();
  }
});

admin('a service on a port of its own', async () => {
  const k = await start({ services: { own: svc({ body: { hello: '{{service}}' } }, { port: 0 }), plain: svc() } });
  try {
    const info = await call(`${k.baseUrl}${A}/services/own`);
    const port = info.body.listeningPort as number;
    assert.ok(port > 0);
    const res = await call(`http://127.0.0.1:${port}/`, { method: 'POST', json: { x: 1 } });
    assert.equal(res.body, { hello: 'own' });
    assert.equal((await call(`http://127.0.0.1:${port}/own/`)).body, { hello: 'own' });
    assert.is((await call(`http://127.0.0.1:${port}/nothing`)).status, 404);
    // a new own-port service opens a server; removing it closes it
    await call(`${k.baseUrl}${A}/services/late`, { method: 'PUT', json: svc({ body: 'late' }, { port: 0 }) });
    const latePort = (await call(`${k.baseUrl}${A}/services/late`)).body.listeningPort;
    assert.is((await call(`http://127.0.0.1:${latePort}/`)).text, 'late');
    await call(`${k.baseUrl}${A}/services/late`, { method: 'DELETE' });
    let refused = false;
    try {
      await fetch(`http://127.0.0.1:${latePort}/`);
    } catch {
      refused = true;
    }
    assert.ok(refused);
  } finally {
    await k.stop();
  }
});

admin('invalid config is a startup error naming the path', async () => {
  for (const [config, expected] of [
    [{ services: { orders: svc({ calls: [{ service: 'users', endpoint: 'go' }, { service: 'paymnts', endpoint: 'go' }] }), users: svc() } }, 'plugins.mesh.services.orders.endpoints[0].calls[1].service: unknown service "paymnts"'],
    [{ services: { a: svc({ latency: { type: 'fixed', ms: -5 } }) } }, 'plugins.mesh.services.a.endpoints[0].latency.ms: must be >= 0'],
    [{ world: 'mars' }, 'unknown world "mars"'],
    [{ world: './missing.json' }, 'unknown world "./missing.json"'],
  ] as const) {
    try {
      await createTestKernel({ plugins: [mesh], config: { mesh: config } });
      assert.unreachable('should have failed');
    } catch (err) {
      assert.match((err as Error).message, expected);
    }
  }
});

admin('instances are registered in discovery when a registry exists', async () => {
  const calls: string[] = [];
  const fakeDiscovery = definePlugin({
    name: 'discovery',
    provides: ['registry'],
    register(ctx) {
      ctx.provide('registry' as never, {
        register: (i: { id: string; port: number; version: string; meta: Record<string, string> }) => calls.push(`+${i.id}@${i.version}:${i.meta.mesh}:${i.port > 0}`),
        deregister: (id: string) => (calls.push(`-${id}`), true),
      } as never);
    },
  });
  const k = await start({ services: { a: svc({}, { instances: 2, version: '3.0.0' }) } }, { extra: [fakeDiscovery] });
  try {
    assert.equal(calls, ['+a-1@3.0.0:true:true', '+a-2@3.0.0:true:true']);
    await call(`${k.baseUrl}${A}/services/a`, { method: 'PUT', json: svc({}, { instances: 1, version: '3.0.0' }) });
    assert.equal(calls.slice(2), ['-a-2']);
  } finally {
    await k.stop();
  }
});

admin.run();
