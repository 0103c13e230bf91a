// Mesh taking a service's instances from an instance source (the cluster plugin's Ready
// instances): routing uses only what the source lists, none Ready is a coded 503 from
// mesh, and discovery registration of managed services is left to the source.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import discovery from '@understudy/plugin-discovery';
import { definePlugin } from '@understudy/plugin-sdk';
import type { MeshInstance } from '../src/index.js';
import { call, start, svc } from './helpers.js';

const it = suite('mesh: an instance source');

/** A plugin that hands mesh the instances of `managed` from a list the test changes. */
function source(managed: string) {
  const state = { ready: [] as MeshInstance[] };
  const plugin = definePlugin({
    name: 'source',
    dependencies: ['mesh'],
    register(ctx) {
      ctx.resolve('mesh').useInstanceSource({ manages: (s) => s === managed, instances: () => state.ready });
    },
  });
  return { plugin, state };
}

const world = { services: { x: svc({ body: '{{instance}}' }, { instances: 2 }), front: svc({ calls: [{ service: 'x', endpoint: 'go' }] }), y: svc({ body: '{{instance}}' }, { instances: 2 }) } };

it('routes a managed service only to the instances the source lists, and answers 503 when there are none', async () => {
  const src = source('x');
  const k = await start(world, { extra: [src.plugin] });
  try {
    const none = await call(`${k.baseUrl}/x/`);
    assert.is(none.status, 503);
    assert.is(none.body.code, 'US_MESH_NO_READY_INSTANCE');
    assert.is(none.body.service, 'x');
    // a caller sees its dependency's 503 as a failed call
    assert.is((await call(`${k.baseUrl}/front/`)).status, 502);

    src.state.ready = [{ id: 'x-7', version: '2.0.0' }];
    assert.is((await call(`${k.baseUrl}/x/`)).text, 'x-7');
    src.state.ready = [{ id: 'x-7', version: '2.0.0' }, { id: 'x-9', version: '2.0.0' }];
    const served = new Set<string>();
    for (let i = 0; i < 4; i++) served.add((await call(`${k.baseUrl}/x/`)).text);
    assert.equal([...served].sort(), ['x-7', 'x-9']);
    // an unmanaged service keeps its own instances
    assert.equal(new Set([(await call(`${k.baseUrl}/y/`)).text, (await call(`${k.baseUrl}/y/`)).text]), new Set(['y-1', 'y-2']));
  } finally {
    await k.stop();
  }
});

it('leaves discovery registration of managed services to the source', async () => {
  const src = source('x');
  const k = await start(world, { extra: [discovery, src.plugin] });
  try {
    const registry = k.resolve('registry');
    assert.equal(registry.instances('x'), []);
    assert.equal(registry.instances('y').map((i) => i.id).sort(), ['y-1', 'y-2']);
  } finally {
    await k.stop();
  }
});

it('takes one source only', async () => {
  const a = source('x');
  const second = definePlugin({
    name: 'second',
    dependencies: ['source'],
    register(ctx) {
      ctx.resolve('mesh').useInstanceSource({ manages: () => true, instances: () => [] });
    },
  });
  let failed: Error | undefined;
  try {
    const k = await start(world, { extra: [a.plugin, second] });
    await k.stop();
  } catch (err) {
    failed = err as Error;
  }
  assert.match(String(failed?.message), /already takes its instances from another source/);
});

it.run();
