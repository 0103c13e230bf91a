// Node resource exhaustion, end to end (issue 11, health's edge cases): memory pressure on
// a node evicts its instances, which are rescheduled on the other nodes (the planner drains
// the node; Kubernetes' kubelet alone evicts only what it must), and a leaking workload is
// OOMKilled and restarted, with the incident timeline a user reads. Real HTTP to the
// services and to /__admin/cluster and /__admin/health, events, /metrics; virtual clock.
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { get, incidents, instances, post, sample, seconds, startWorld, statuses, until } from './fixtures/ops-world.js';

const exhaustion = suite('ops: node resource exhaustion');

const allHealthy = (k: TestKernel) => async () => Object.values(await statuses(k)).every((s) => s === 'healthy');

exhaustion('memory pressure on a node: its instances are evicted and rescheduled on the other nodes, the planner drains it; incident with timeline', async () => {
  const k = await startWorld();
  try {
    await seconds(k, 3);
    const before = await instances(k);
    const onNode1 = before.filter((i) => i.node === 'node-1').map((i) => i.id);
    assert.ok(onNode1.length >= 2, JSON.stringify(before.map((i) => [i.id, i.node])));
    const node = (await get(k, '/__admin/cluster/nodes/node-1')).body;
    assert.is(node.condition, 'Ready');

    // a hog takes almost all of node-1's memory
    const hog = await post(k, '/__admin/cluster/nodes/node-1/pressure', { memory: node.memory - 100 });
    assert.is(hog.status, 200, hog.text);
    assert.is(hog.body.pressure.memory, node.memory - 100);
    const pressureAt = k.clock.now();
    const pressureEvents = k.eventsOf('cluster.nodePressure');
    assert.is(pressureEvents.length, 1);
    assert.is(pressureEvents[0]!.data.node, 'node-1');

    // evicted (exit 137), Terminated, replaced on the other nodes only; requests keep being served
    for (const id of onNode1) {
      const gone = (await get(k, `/__admin/cluster/instances/${id}`)).body;
      assert.is(gone.state, 'Terminated', id);
      assert.is(gone.lastTermination.reason, 'Evicted', id);
      assert.is(gone.lastTermination.exitCode, 137, id);
    }
    for (let i = 0; i < 3; i++) assert.is((await get(k, '/gateway/checkout')).status, 200);
    const drained = (await get(k, '/__admin/cluster/nodes/node-1')).body;
    assert.is(drained.unschedulable, true, 'the planner drained the node');
    assert.is(drained.instances, 0);
    await until(k, async () => (await instances(k)).filter((i) => i.state !== 'Terminated').every((i) => i.state === 'Ready'), 30);
    const after = (await instances(k)).filter((i) => i.state !== 'Terminated');
    assert.is(after.length, before.length, 'every workload has its replicas again');
    assert.not.ok(after.some((i) => i.node === 'node-1'), JSON.stringify(after.map((i) => [i.id, i.node])));
    const replacements = after.filter((i) => !before.some((b) => b.id === i.id));
    assert.is(replacements.length, onNode1.length);
    await until(k, allHealthy(k), 30);

    // one incident: detected on node-1, drain, recovered
    const [incident, ...more] = await incidents(k);
    assert.is(more.length, 0, JSON.stringify(more));
    assert.is(incident!.kind, 'nodePressure');
    assert.is(incident!.status, 'resolved');
    assert.is(incident!.openedAt, pressureAt);
    assert.is(incident!.timeline[0]!.kind, 'detected');
    assert.match(incident!.timeline[0]!.message, 'node node-1 is under memory pressure');
    assert.ok(incident!.timeline.some((e) => e.action === 'drain' && e.target === 'node-1'), JSON.stringify(incident!.timeline));
    assert.is(incident!.timeline.at(-1)!.kind, 'recovered');
    assert.is(incident!.ttrMs, incident!.resolvedAt! - incident!.openedAt);

    // the hog leaves; the node takes work again once uncordoned
    const released = await post(k, '/__admin/cluster/nodes/node-1/pressure', { memory: 0 });
    assert.is(released.body.pressure.memory, 0);
    assert.is((await post(k, '/__admin/cluster/nodes/node-1/uncordon')).body.unschedulable, false);
  } finally {
    await k.stop();
  }
});

exhaustion('the node-pressure incident is resolved only once the evicted instances\' replacements are Ready', async () => {
  const k = await startWorld();
  try {
    await seconds(k, 3);
    const before = new Set((await instances(k)).map((i) => i.id));
    const node = (await get(k, '/__admin/cluster/nodes/node-1')).body;
    await post(k, '/__admin/cluster/nodes/node-1/pressure', { memory: node.memory - 100 });
    const pressureAt = k.clock.now();
    await until(k, async () => (await instances(k)).filter((i) => i.state !== 'Terminated').every((i) => i.state === 'Ready'), 30);
    await until(k, allHealthy(k), 30);
    const replacements = (await instances(k)).filter((i) => i.state !== 'Terminated' && !before.has(i.id));
    assert.ok(replacements.length >= 2, JSON.stringify(replacements.map((i) => i.id)));
    const lastReady = Math.max(...replacements.map((i) => i.readyAt!));
    const [incident] = await incidents(k);
    assert.is(incident!.kind, 'nodePressure');
    assert.ok(
      incident!.resolvedAt! >= lastReady,
      `resolved at +${incident!.resolvedAt! - pressureAt} ms, the last replacement (of ${replacements.map((i) => i.id).join(', ')}) Ready at +${lastReady - pressureAt} ms`,
    );
  } finally {
    await k.stop();
  }
});

exhaustion('memory pressure under plain Kubernetes backoff: the kubelet evicts only until the node fits, the rest stay', async () => {
  const k = await startWorld({ config: { health: { policy: 'backoff' } } });
  try {
    await seconds(k, 3);
    const node = (await get(k, '/__admin/cluster/nodes/node-1')).body;
    const onNode1 = (await instances(k, 'node=node-1')).filter((i) => i.state === 'Ready');
    assert.ok(onNode1.length >= 2);
    // room for all but one instance's memory
    const smallest = Math.min(...onNode1.map((i) => i.load.memoryMiB));
    const hog = node.memory - node.usage.memory + smallest / 2;
    await post(k, '/__admin/cluster/nodes/node-1/pressure', { memory: hog });
    const evicted = (await instances(k)).filter((i) => i.lastTermination?.reason === 'Evicted');
    assert.is(evicted.length, 1, JSON.stringify(evicted.map((i) => i.id)));
    const view = (await get(k, '/__admin/cluster/nodes/node-1')).body;
    assert.is(view.unschedulable, false, 'nothing drained it');
    assert.ok(view.usage.memory <= view.memory, JSON.stringify(view.usage));
    assert.is(view.instances, onNode1.length - 1);
    await until(k, async () => (await instances(k)).filter((i) => i.state !== 'Terminated').every((i) => i.state === 'Ready'), 30);
    const replacement = (await instances(k, `workload=${evicted[0]!.workload}`)).find((i) => i.state === 'Ready' && i.createdAt > evicted[0]!.lastTermination!.at - 1);
    assert.ok(replacement, 'replaced');
    assert.is.not(replacement!.node, 'node-1');
  } finally {
    await k.stop();
  }
});

exhaustion('a leaking cache is OOMKilled (exit 137) and restarted, then backs off; api degraded (optional), checkout still served by its fallback', async () => {
  // 10 MiB a second above a 64 MiB base against a 128 MiB limit: OOMKilled after ~6 s running
  const k = await startWorld({
    config: { cluster: { workloads: { cache: { behaviour: { leakMiBPerHour: 36_000 }, resources: { requests: { memory: 128 }, limits: { memory: 128 } } } } } },
  });
  try {
    await until(k, async () => k.eventsOf('cluster.instanceChanged').some((e) => e.data.id === 'cache-1' && e.data.to === 'OOMKilled'), 20);
    const oom = (await get(k, '/__admin/cluster/instances/cache-1')).body;
    assert.is(oom.lastTermination.reason, 'OOMKilled');
    assert.is(oom.lastTermination.exitCode, 137);
    await seconds(k, 1);
    assert.is((await statuses(k)).api, 'degraded');
    assert.ok((await get(k, '/__admin/health/services/api')).body.reasons.some((r: string) => r.startsWith('optional dependency cache is unhealthy')));
    const checkout = await get(k, '/gateway/checkout');
    assert.is(checkout.status, 200);

    // it leaks again and is OOMKilled again: now the crash-loop backoff applies (10 s)
    await until(k, async () => k.eventsOf('cluster.instanceChanged').some((e) => e.data.id === 'cache-1' && e.data.to === 'CrashLoopBackOff'), 30);
    // each OOM kill is an incident of its own (the first one resolved when cache-1 was back)
    const list = (await incidents(k, 'service=cache')).reverse();
    assert.ok(list.length >= 2, JSON.stringify(list.map((i) => [i.id, i.status])));
    const [first, second] = list;
    assert.is(first!.status, 'resolved');
    for (const incident of [first!, second!]) {
      assert.is(incident.kind, 'instancesDown');
      assert.is(incident.timeline[0]!.kind, 'detected');
      assert.match(incident.timeline[0]!.message, /^cache-1 exited: OOMKilled \(memory \d+ MiB exceeded its limit of 128 MiB\)$/);
    }
    const restartOf = (incident: typeof first) => incident!.timeline.find((e) => e.action === 'restart' && e.target === 'cache-1')?.message ?? '';
    assert.match(restartOf(first), 'restarts now');
    assert.match(restartOf(second), 'restarts in 10 s (CrashLoopBackOff)');
    assert.ok(second!.openedAt > first!.resolvedAt!);
    const metrics = (await get(k, '/metrics')).text;
    assert.ok(sample(metrics, 'understudy_cluster_instance_restarts', { service: 'cache' })! >= 1, 'restarts counted');
    assert.ok(sample(metrics, 'understudy_cluster_instances', { service: 'cache', state: 'CrashLoopBackOff' }) === 1);
    const logs = (await get(k, '/__admin/logs?service=cache&level=error&q=OOMKilled')).body;
    assert.ok(logs.items.length >= 2, JSON.stringify(logs));
  } finally {
    await k.stop();
  }
});

exhaustion.run();
