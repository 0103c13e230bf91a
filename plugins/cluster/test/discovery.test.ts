// Discovery: every instance registered from the moment it is scheduled (source
// 'cluster'), critical until Ready, passing when Ready, warning when NotReady, and
// deregistered once Terminated; mesh leaves managed services to the cluster.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { definePlugin } from '@understudy/plugin-sdk';
import type { Cluster } from '../src/index.js';
import { post, put, seconds, start, svc } from './helpers.js';

const it = suite('cluster: discovery');

it('registers instances with their health and deregisters them when Terminated', async () => {
  const gate = definePlugin({ name: 'gate', dependencies: ['cluster'], register: (ctx) => ctx.resolve('cluster').addReadinessGate('probes') });
  const k = await start({ web: svc(), own: svc({}, { instances: 1 }) }, { adopt: 'listed', warmStart: false, workloads: { web: { replicas: 2, startupSeconds: 2, terminationGracePeriodSeconds: 3 } } }, { discovery: true, extra: [gate] });
  try {
    const registry = k.resolve('registry');
    const c = k.resolve('cluster') as Cluster;
    const health = () => Object.fromEntries(registry.instances('web').map((i) => [i.id, i.health]));
    assert.equal(health(), { 'web-1': 'critical', 'web-2': 'critical' });
    const reg = registry.instances('web')[0]!;
    assert.is(reg.source, 'cluster');
    assert.is(reg.port, Number(new URL(k.baseUrl).port));
    assert.equal(reg.meta, { cluster: 'true', workload: 'web', node: reg.meta.node, zone: reg.meta.zone });
    assert.is(reg.version, '1.0.0');
    // an unmanaged service is still registered by mesh
    assert.equal(registry.instances('own').map((i) => i.source), ['mesh']);
    await seconds(k, 2);
    c.setGate('web-1', 'probes', true);
    c.setGate('web-2', 'probes', true);
    assert.equal(health(), { 'web-1': 'passing', 'web-2': 'passing' });
    c.setGate('web-2', 'probes', false);
    assert.equal(health(), { 'web-1': 'passing', 'web-2': 'warning' });
    await put(k, '/workloads/web', { replicas: 1 });
    assert.equal(health(), { 'web-1': 'passing', 'web-2': 'critical' }, 'Terminating: still registered, critical');
    await seconds(k, 3);
    assert.equal(health(), { 'web-1': 'passing' });
    const gone = k.eventsOf('service.deregistered').map((e) => e.data.id);
    assert.equal(gone, ['web-2']);
    await post(k, '/nodes/' + reg.meta.node + '/fail');
    assert.ok(!registry.instances('web').some((i) => i.id === reg.id), 'lost with its node');
  } finally {
    await k.stop();
  }
});

it('another check that holds an instance critical (a chaos partition) is kept while it lasts, then the cluster reports the instance as it is', async () => {
  const k = await start({ db: svc() }, { adopt: 'listed', workloads: { db: { replicas: 2, startupSeconds: 3 } } }, { discovery: true });
  try {
    const registry = k.resolve('registry');
    const c = k.resolve('cluster') as Cluster;
    const view = () => Object.fromEntries(registry.instances('db').map((i) => [i.id, i.health]));
    await seconds(k, 4);
    assert.equal(view(), { 'db-1': 'passing', 'db-2': 'passing' });
    // what chaos does when a partition cuts db off: it saves the health and marks it critical
    const saved = registry.get('db-1')!;
    registry.setHealth('db-1', 'critical', 'partitioned by chaos');
    // db-1 crashes and restarts: Failed, Starting, Ready again — the partition's check stays
    c.kill('db-1', 'crashed');
    await seconds(k, 4);
    assert.is(c.instance('db-1').state, 'Ready');
    assert.ok(c.instance('db-1').restarts >= 1);
    assert.equal(view(), { 'db-1': 'critical', 'db-2': 'passing' });
    assert.is(registry.get('db-1')!.output, 'partitioned by chaos');
    // the fault ends (its saved health given back); the next tick reports db-1 as it is now
    c.kill('db-1', 'crashed again');
    registry.setHealth('db-1', saved.health, saved.output);
    assert.is(view()['db-1'], 'passing', 'what chaos saved');
    await seconds(k, 1);
    assert.is(c.instance('db-1').state === 'Ready', false);
    assert.equal(view(), { 'db-1': 'critical', 'db-2': 'passing' });
    assert.match(registry.get('db-1')!.output, c.instance('db-1').state);
    await seconds(k, 15);
    assert.is(c.instance('db-1').state, 'Ready');
    assert.equal(view(), { 'db-1': 'passing', 'db-2': 'passing' });
    // a held instance that is Terminated leaves discovery as usual
    registry.setHealth('db-1', 'critical', 'someone else');
    registry.setHealth('db-2', 'critical', 'someone else');
    c.kill('db-2', 'crashed');
    await put(k, '/workloads/db', { replicas: 0 });
    await seconds(k, 1);
    assert.equal(view(), {});
  } finally {
    await k.stop();
  }
});

it.run();
