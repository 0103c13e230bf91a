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

it.run();
