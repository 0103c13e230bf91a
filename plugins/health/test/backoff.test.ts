// restartPolicy and the crash-loop backoff on the real cluster: a version that crashes at
// every start restarts after 0, 10, 20, 40, 80, 160, 300, 300 s, waiting in
// CrashLoopBackOff; the backoff resets after 10 minutes running; Never and OnFailure.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { seconds, start, svc } from './helpers.js';

/** Seconds from each exit of `id` to its next start. */
function restartDelays(k: TestKernel, id: string): number[] {
  const delays: number[] = [];
  let exitedAt: number | undefined;
  for (const e of k.eventsOf('cluster.instanceChanged')) {
    if (e.data.id !== id) continue;
    if (['Failed', 'OOMKilled'].includes(e.data.to) && ['Starting', 'Ready', 'NotReady'].includes(e.data.from)) exitedAt = e.at;
    if (e.data.to === 'Starting' && exitedAt !== undefined) {
      delays.push((e.at - exitedAt) / 1000);
      exitedAt = undefined;
    }
  }
  return delays;
}

const backoff = suite('health: crash-loop backoff on the cluster');

backoff('a build that crashes at every start restarts after 0, 10, 20, 40, 80, 160, 300, 300 s (policy backoff and planner alike)', async () => {
  for (const policy of ['backoff', 'planner']) {
    const k = await start({ api: svc() }, { warmStart: false, workloads: { api: { replicas: 1, startupSeconds: 1, behaviour: { crashOnStart: true } } } }, { policy });
    try {
      await seconds(k, 1 + 0 + 1 + 10 + 1 + 20 + 1 + 40 + 1 + 80 + 1 + 160 + 1 + 300 + 1 + 300 + 5);
      assert.equal(restartDelays(k, 'api-1'), [0, 10, 20, 40, 80, 160, 300, 300], policy);
      // while it waits it shows CrashLoopBackOff, with the kubelet's words
      const waits = k.eventsOf('cluster.instanceChanged').filter((e) => e.data.id === 'api-1' && e.data.to === 'CrashLoopBackOff');
      assert.is(waits.length, 8); // the 8th restart crashed too: it waits again
      assert.match(waits[0]!.data.reason ?? '', /back-off 10s restarting failed container/);
      assert.is(k.resolve('cluster').instance('api-1').restarts, 8);
      assert.ok(k.resolve('health').counters().restarts >= 8);
    } finally {
      await k.stop();
    }
  }
});

backoff('the backoff resets once the process ran 10 minutes since its last restart', async () => {
  const k = await start({ api: svc() }, { workloads: { api: { replicas: 1, startupSeconds: 1 } } }, { policy: 'backoff' });
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 1);
    cluster.kill('api-1', 'test'); // 0 s
    await seconds(k, 5);
    cluster.kill('api-1', 'test'); // 10 s
    await seconds(k, 15);
    cluster.kill('api-1', 'test'); // 20 s
    await seconds(k, 25);
    assert.equal(restartDelays(k, 'api-1'), [0, 10, 20]);
    // last restart at 41 s: a kill 600 s later is still in backoff (40 s) …
    await seconds(k, 600 - 5);
    cluster.kill('api-1', 'test');
    await seconds(k, 45);
    assert.equal(restartDelays(k, 'api-1'), [0, 10, 20, 40]);
    // … but running more than 10 minutes after that restart resets it: at once, then 10 s again
    await seconds(k, 601);
    cluster.kill('api-1', 'test');
    await seconds(k, 3);
    cluster.kill('api-1', 'test');
    await seconds(k, 12);
    assert.equal(restartDelays(k, 'api-1'), [0, 10, 20, 40, 0, 10]);
  } finally {
    await k.stop();
  }
});

backoff('restartPolicy Never leaves a killed process down; OnFailure restarts a non-zero exit', async () => {
  const k = await start(
    { api: svc(), job: svc() },
    { workloads: { api: { replicas: 1, restartPolicy: 'Never' }, job: { replicas: 1, restartPolicy: 'OnFailure' } } },
    { policy: 'backoff' },
  );
  const cluster = k.resolve('cluster');
  try {
    await seconds(k, 1);
    cluster.kill('api-1', 'test');
    cluster.kill('job-1', 'test');
    await seconds(k, 30);
    const api = cluster.instance('api-1');
    assert.is(api.state, 'Failed');
    assert.match(api.reason ?? '', /restartPolicy Never: not restarted \(Killed, exit code 137\)/);
    assert.is(cluster.instance('job-1').state, 'Ready');
    assert.equal(restartDelays(k, 'job-1'), [0]);
    // the service stays unhealthy: its only instance is down
    assert.is(k.resolve('health').service('api').status, 'unhealthy');
  } finally {
    await k.stop();
  }
});

backoff.run();
