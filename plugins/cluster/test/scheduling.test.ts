// The scheduler and the workload controller, observed through the admin API: zone
// spread and least allocated, Pending with a reason (and an event) when nothing fits,
// retried when a node appears, node failure and drain, and placements that repeat
// with the seed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, post, seconds, start, svc, type Json } from './helpers.js';

const it = suite('cluster: scheduling');

const nodes = [
  { name: 'n-a1', zone: 'a', cpu: 2000, memory: 4096 },
  { name: 'n-a2', zone: 'a', cpu: 2000, memory: 4096 },
  { name: 'n-b1', zone: 'b', cpu: 2000, memory: 4096 },
  { name: 'n-c1', zone: 'c', cpu: 2000, memory: 4096 },
];

const placements = async (k: Parameters<typeof admin>[0], workload: string) =>
  ((await admin(k, `/instances?workload=${workload}`)).body.instances as Json[]).filter((i) => i.state !== 'Terminated').map((i) => `${i.id}@${i.node}`);

it('spreads a workload over zones, then least allocated, ties by name', async () => {
  const k = await start({ web: svc() }, { nodes, workloads: { web: { replicas: 4, startupSeconds: 0 } } });
  try {
    // a, b, c first (in a: n-a1 by name), then the fourth goes to the emptiest node left
    assert.equal(await placements(k, 'web'), ['web-1@n-a1', 'web-2@n-b1', 'web-3@n-c1', 'web-4@n-a2']);
    const node = (await admin(k, '/nodes/n-a1')).body;
    assert.equal(node.allocated, { cpu: 100, memory: 128 });
    assert.is(node.instances, 1);
  } finally {
    await k.stop();
  }
});

it('leaves instances Pending with the reason when nothing fits, announces it once, and schedules them when a node is added', async () => {
  const k = await start({ big: svc() }, {
    nodes: [{ name: 'small', zone: 'a', cpu: 1000, memory: 1024 }],
    workloads: { big: { replicas: 2, startupSeconds: 0, resources: { requests: { cpu: 600, memory: 256 }, limits: { cpu: 1000, memory: 512 } } } },
  });
  try {
    const list = (await admin(k, '/instances?workload=big')).body.instances as Json[];
    assert.equal(list.map((i) => i.state), ['Ready', 'Pending']);
    assert.match(list[1].reason, '0/1 nodes are available: 1 Insufficient cpu');
    await seconds(k, 3);
    const events = k.eventsOf('cluster.unschedulable');
    assert.is(events.length, 1, 'retried every tick, announced once');
    assert.is(events[0]!.data.instance, 'big-2');
    const added = await post(k, '/nodes', { name: 'more', zone: 'b', cpu: 4000, memory: 8192 });
    assert.is(added.status, 201);
    const after = (await admin(k, '/instances/big-2')).body;
    assert.is(after.state, 'Ready');
    assert.is(after.node, 'more');
    // a bad node is refused whole
    const bad = await post(k, '/nodes', { name: 'x y', cpu: -1 });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_CLUSTER_INVALID_NODE');
    assert.match(bad.body.message, 'name: must be');
    assert.match(bad.body.message, 'cpu: must be a number > 0');
    assert.match(bad.body.message, 'memory: must be a number > 0');
    assert.is((await post(k, '/nodes', { name: 'more', cpu: 1, memory: 1 })).body.code, 'US_CLUSTER_NODE_EXISTS');
  } finally {
    await k.stop();
  }
});

it('replaces the instances of a failed node on the others (NodeLost) and uses it again once recovered', async () => {
  const k = await start({ web: svc() }, { nodes, workloads: { web: { replicas: 4, startupSeconds: 2 } } });
  try {
    const failed = await post(k, '/nodes/n-b1/fail', { reason: 'power' });
    assert.is(failed.body.condition, 'NotReady');
    assert.is(failed.body.instances, 0);
    const ev = k.eventsOf('cluster.nodeFailed')[0]!.data;
    assert.equal(ev, { node: 'n-b1', zone: 'b', reason: 'power', instances: 1 });
    const lost = (await admin(k, '/instances/web-2')).body;
    assert.is(lost.state, 'Terminated');
    assert.is(lost.lastTermination.reason, 'NodeLost');
    const replacement = (await admin(k, '/instances/web-5')).body;
    assert.is(replacement.state, 'Starting');
    assert.ok(replacement.node !== 'n-b1');
    await seconds(k, 2);
    assert.is((await admin(k, '/instances/web-5')).body.state, 'Ready');
    assert.is((await admin(k, '/workloads/web')).body.ready, 4);
    assert.is((await post(k, '/nodes/n-b1/recover')).body.condition, 'Ready');
    assert.is(k.eventsOf('cluster.nodeRecovered').length, 1);
    // unknown names: 404 with a code and a hint
    const missing = await post(k, '/nodes/n-b9/fail');
    assert.is(missing.status, 404);
    assert.is(missing.body.code, 'US_CLUSTER_NODE_NOT_FOUND');
    assert.match(missing.body.message, 'Did you mean "n-b1"?');
  } finally {
    await k.stop();
  }
});

it('drains a node: cordoned, its instances evicted and rescheduled elsewhere; cordon keeps new ones off', async () => {
  const k = await start({ web: svc() }, { nodes, workloads: { web: { replicas: 4, startupSeconds: 0, terminationGracePeriodSeconds: 5 } } });
  try {
    const drained = (await post(k, '/nodes/n-a1/drain')).body;
    assert.is(drained.unschedulable, true);
    assert.is(drained.draining, true);
    assert.equal(k.eventsOf('cluster.nodeDrained')[0]!.data.instances, 1);
    const old = (await admin(k, '/instances/web-1')).body;
    assert.is(old.state, 'Terminating');
    assert.is(old.lastTermination.reason, 'Evicted');
    const fresh = (await admin(k, '/instances/web-5')).body;
    assert.is(fresh.state, 'Ready');
    assert.is(fresh.node, 'n-a2');
    await seconds(k, 5);
    assert.is((await admin(k, '/instances/web-1')).body.state, 'Terminated');
    assert.is((await admin(k, '/nodes/n-a1')).body.instances, 0);
    // uncordon lifts it; cordon alone keeps instances where they are
    assert.is((await post(k, '/nodes/n-a1/uncordon')).body.unschedulable, false);
    const cordoned = (await post(k, '/nodes/n-a2/cordon')).body;
    assert.is(cordoned.unschedulable, true);
    assert.is(cordoned.instances, 2);
  } finally {
    await k.stop();
  }
});

it('places the same way with the same seed and config', async () => {
  const run = async () => {
    const k = await start({ a: svc(), b: svc(), c: svc() }, { nodes, workloads: { a: { replicas: 3 }, b: { replicas: 5 }, c: { replicas: 2 } } }, { seed: 7 });
    try {
      await post(k, '/nodes/n-c1/fail');
      await seconds(k, 10);
      return JSON.stringify((await admin(k, '/instances?limit=1000')).body.instances.map((i: Json) => [i.id, i.node, i.state]));
    } finally {
      await k.stop();
    }
  };
  assert.is(await run(), await run());
});

it('sizes three default nodes in three zones to fit when none are configured', async () => {
  const k = await start({ a: svc({}, { instances: 30 }) }, { defaults: { resources: { requests: { cpu: 500, memory: 1024 }, limits: { cpu: 500, memory: 1024 } } } });
  try {
    const list = (await admin(k, '/nodes')).body.nodes as Json[];
    assert.equal(list.map((n) => `${n.name}/${n.zone}`), ['node-1/zone-a', 'node-2/zone-b', 'node-3/zone-c']);
    assert.is(list[0].cpu, 10_000);
    assert.is((await admin(k, '/workloads/a')).body.ready, 30);
  } finally {
    await k.stop();
  }
});

it.run();
