// The cluster following the mesh: warm start brings dependencies up before their
// dependents, a service added to the mesh at run time becomes a workload (adopt 'all')
// and a removed one goes; traffic's sample exchanges are not counted twice as demand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import type { Cluster } from '../src/index.js';
import { admin, call, seconds, start, svc } from './helpers.js';

const it = suite('cluster: with the mesh');

it('warm-starts dependencies before their dependents', async () => {
  const order: string[] = [];
  const watcher = definePlugin({
    name: 'watcher',
    dependencies: ['cluster'],
    register: (ctx) => ctx.pluginHooks('cluster').instanceChanged.tap('watcher', (c) => void (c.to === 'Ready' && order.push(c.instance.workload))),
  });
  const k = await start(
    { front: svc({ calls: [{ service: 'api', endpoint: 'go' }] }), api: svc({ calls: [{ service: 'db', endpoint: 'go' }] }), db: svc() },
    {},
    { extra: [watcher] },
  );
  try {
    assert.equal(order, ['db', 'api', 'front']);
    assert.is((await call(k, '/front/')).status, 200);
  } finally {
    await k.stop();
  }
});

it('adopts a service added to the mesh at run time and drops one removed from it', async () => {
  const k = await start({ web: svc() }, { defaults: { startupSeconds: 1 } });
  try {
    const c = k.resolve('cluster') as Cluster;
    const added = await fetchJson(`${k.baseUrl}/__admin/mesh/services/late`, { method: 'PUT', json: { instances: 2, endpoints: [{ path: '/', body: '{{instance}}' }] } });
    assert.is(added.status, 201);
    assert.is(c.workloadOf('late'), 'late');
    assert.is(c.workload('late').spec.replicas, 2);
    assert.is((await call(k, '/late/')).body.code, 'US_MESH_NO_READY_INSTANCE');
    await seconds(k, 1);
    assert.match((await call(k, '/late/')).text, /^late-[12]$/);
    await fetchJson(`${k.baseUrl}/__admin/mesh/services/late`, { method: 'DELETE' });
    assert.is(c.workloadOf('late'), undefined);
    assert.equal(c.instances({ workload: 'late' }).map((i) => i.state), ['Terminated', 'Terminated']);
    assert.equal(k.eventsOf('cluster.workloadRemoved').map((e) => [e.data.workload, e.data.source]), [['late', 'mesh']]);
  } finally {
    await k.stop();
  }
});

it('leaves an unlisted service to the mesh with adopt: listed', async () => {
  const k = await start({ web: svc(), own: svc({}, { instances: 2 }) }, { adopt: 'listed', workloads: { web: {} } });
  try {
    const c = k.resolve('cluster') as Cluster;
    assert.is(c.manages('own'), false);
    assert.is(c.manages('web'), true);
    assert.match((await call(k, '/own/')).text, /^own-[12]$/);
    const stats = (await seconds(k, 1), (await admin(k, '/stats')).body.services);
    assert.equal({ ready: stats.own.ready, workload: stats.own.workload }, { ready: 2, workload: undefined });
  } finally {
    await k.stop();
  }
});

it("does not count traffic's sample exchanges (or their child calls) as real demand", async () => {
  const sampler = definePlugin({
    name: 'sampler',
    register(ctx) {
      ctx.onStart(async () => {
        for (let i = 0; i < 3; i++) {
          await ctx.dispatch({ protocol: 'http', request: { method: 'GET', url: '/front/', headers: {}, body: '' }, context: { tags: { traffic: 'p1' } } } as never);
        }
      });
    },
  });
  const k = await start({ front: svc({ calls: [{ service: 'db', endpoint: 'go' }] }), db: svc() }, {}, { extra: [sampler] });
  try {
    await call(k, '/front/');
    await seconds(k, 1);
    const s = (await admin(k, '/stats')).body.services;
    assert.is(s.front.demand, 1);
    assert.is(s.db.demand, 1);
  } finally {
    await k.stop();
  }
});

it.run();
