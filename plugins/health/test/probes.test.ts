// Probes on the real cluster (mesh + cluster + health, virtual clock): every field's effect,
// with exact timings from the events the kernel captured.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { admin, call, seconds, start, svc } from './helpers.js';

/** When (seconds after `t0`) each event of `type` happened, with its data. */
function timeline(k: TestKernel, t0: number, type: string, pick: (d: any) => string) {
  return k.captured.filter((e) => e.type === type).map((e) => `${(e.at - t0) / 1000}s ${pick(e.data)}`);
}
const transitions = (k: TestKernel, t0: number, id: string) =>
  timeline(k, t0, 'cluster.instanceChanged', (d) => (d.id === id ? `${d.from}→${d.to}` : '')).filter((l) => !l.endsWith(' '));

const cold = (probes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  warmStart: false,
  workloads: { api: { replicas: 1, startupSeconds: 2, probes, ...extra } },
});

const readiness = suite('health: readiness probe');

readiness('initialDelaySeconds, periodSeconds and successThreshold decide when an instance turns Ready', async () => {
  const k = await start({ api: svc() }, cold({ readiness: { initialDelaySeconds: 5, periodSeconds: 3, successThreshold: 2 } }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 12);
    // probes at 5 s and 8 s pass (the process is up since 2 s): two successes → Ready at 8 s
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '8s Starting→Ready']);
    assert.equal(timeline(k, t0, 'health.probeChanged', (d) => `${d.probe} ${d.ok}`), ['8s readiness true']);
    const probes = (await admin(k, '/probes?instance=api-1')).body.probes;
    assert.equal(probes.map((p: any) => [p.probe, p.ok, p.consecutiveSuccesses]), [['readiness', true, 3]]); // 5, 8, 11 s
  } finally {
    await k.stop();
  }
});

readiness('with successThreshold 1 and no delay the first probe after the process is up decides', async () => {
  const k = await start({ api: svc() }, cold({ readiness: { periodSeconds: 3 } }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 7);
    // probes at 0 s (refused: not up yet) and 3 s (passes)
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '3s Starting→Ready']);
    const [view] = (await admin(k, '/probes?instance=api-1')).body.probes;
    assert.is(view.ok, true);
    assert.is(k.resolve('health').counters().probes.readiness.failed, 1);
  } finally {
    await k.stop();
  }
});

readiness("a probe due at the instant of a cluster tick sees that tick's transitions, however long the wheel had nothing to run", async () => {
  // the process is up at the 9 s tick; the probes at 0 s (refused) and 9 s, nothing in between
  const k = await start({ api: svc() }, cold({ readiness: { periodSeconds: 9 } }, { startupSeconds: 9 }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 10);
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '9s Starting→Ready']);
    assert.equal(k.resolve('health').counters().probes.readiness, { passed: 1, failed: 1 });
  } finally {
    await k.stop();
  }
});

readiness('probes of different periods and delays each run at their own instants', async () => {
  const k = await start(
    { api: svc(), web: svc() },
    {
      warmStart: false,
      workloads: {
        api: { replicas: 1, startupSeconds: 2, probes: { readiness: { initialDelaySeconds: 1, periodSeconds: 3 }, liveness: { initialDelaySeconds: 2, periodSeconds: 5 } } },
        web: { replicas: 1, startupSeconds: 2, probes: { readiness: { periodSeconds: 4 }, liveness: { initialDelaySeconds: 3, periodSeconds: 7 } } },
      },
    },
  );
  const t0 = k.clock.now();
  try {
    await seconds(k, 30);
    const health = k.resolve('health');
    const runs = (c: { passed: number; failed: number }) => c.passed + c.failed;
    // api readiness 1, 4, …, 28 s (10) and liveness 2, 7, …, 27 s (6); web readiness 0, 4, …, 28 s (8) and liveness 3, 10, 17, 24 s (4)
    assert.is(runs(health.counters().probes.readiness), 18);
    assert.is(runs(health.counters().probes.liveness), 10);
    const last = health.probes().map((v) => `${v.instance} ${v.probe} ${(v.at - t0) / 1000}s`);
    assert.equal(last.sort(), ['api-1 liveness 27s', 'api-1 readiness 28s', 'web-1 liveness 24s', 'web-1 readiness 28s']);
  } finally {
    await k.stop();
  }
});

readiness('without probes an instance is Ready once its process is up', async () => {
  const k = await start({ api: svc() }, cold({}));
  const t0 = k.clock.now();
  try {
    await seconds(k, 4);
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '2s Starting→Ready']);
    assert.equal((await admin(k, '/probes')).body.probes, []);
  } finally {
    await k.stop();
  }
});

readiness('failureThreshold failures take the instance out of rotation (NotReady: no endpoint, 503); timeoutSeconds decides a slow answer', async () => {
  // mean latency 1500 ms once it serves: a readiness probe with timeoutSeconds 1 times out
  const k = await start({ api: svc() }, cold({ readiness: { periodSeconds: 4, failureThreshold: 2, timeoutSeconds: 1 } }, { capacity: { concurrency: 10, serviceTimeMs: 1500 } }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 13);
    // 0 s refused, 4 s passes (not serving yet: no latency) → Ready; 8 s and 12 s time out → NotReady at 12 s
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '4s Starting→Ready', '12s Ready→NotReady']);
    const [view] = (await admin(k, '/probes?instance=api-1')).body.probes;
    assert.equal([view.ok, view.consecutiveFailures], [false, 2]);
    assert.match(view.message, /timed out after 1s \(mean latency 1500 ms\)/);
    const res = await call(k, '/api/');
    assert.is(res.status, 503);
    assert.is(res.body.code, 'US_MESH_NO_READY_INSTANCE');
  } finally {
    await k.stop();
  }
  // the same with timeoutSeconds 2: never out of rotation
  const k2 = await start({ api: svc() }, cold({ readiness: { periodSeconds: 4, failureThreshold: 2, timeoutSeconds: 2 } }, { capacity: { concurrency: 10, serviceTimeMs: 1500 } }));
  const t2 = k2.clock.now();
  try {
    await seconds(k2, 13);
    assert.equal(transitions(k2, t2, 'api-1'), ['0s Pending→Starting', '4s Starting→Ready']);
  } finally {
    await k2.stop();
  }
});

const liveness = suite('health: liveness and startup probes');

liveness('liveness failing failureThreshold times kills the process; restartPolicy restarts it (probeChanged only on crossings)', async () => {
  const k = await start({ api: svc() }, cold({ liveness: { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 1 } }, { capacity: { concurrency: 10, serviceTimeMs: 2000 } }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 21);
    // up and Ready at 2 s; probes at 0 s (refused: 1 failure), 5 s (latency 2 s > 1 s), 10 s → 3 failures: killed at 10 s
    const t = transitions(k, t0, 'api-1');
    assert.equal(t.slice(0, 4), ['0s Pending→Starting', '2s Starting→Ready', '10s Ready→Failed', '10s Failed→Starting']);
    assert.equal(timeline(k, t0, 'health.probeChanged', (d) => `${d.probe} ${d.ok}`), ['10s liveness false', '20s liveness false']);
    const inst = k.resolve('cluster').instance('api-1');
    assert.is(inst.restarts, 1); // killed again at 20 s: the second exit waits 10 s (CrashLoopBackOff)
    assert.is(inst.state, 'CrashLoopBackOff');
    assert.equal(inst.lastTermination?.reason, 'Killed');
    const actions = k.eventsOf('health.action').map((e) => e.data.action);
    assert.ok(actions.includes('kill'));
  } finally {
    await k.stop();
  }
});

liveness('initialDelaySeconds holds off liveness', async () => {
  const k = await start({ api: svc() }, cold({ liveness: { initialDelaySeconds: 30, periodSeconds: 5, failureThreshold: 3 } }, { capacity: { concurrency: 10, serviceTimeMs: 2000 } }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 41);
    // probes at 30, 35, 40 s
    assert.equal(transitions(k, t0, 'api-1').slice(0, 3), ['0s Pending→Starting', '2s Starting→Ready', '40s Ready→Failed']);
  } finally {
    await k.stop();
  }
});

liveness('a startup probe gates liveness and readiness until the slow start is over; without it liveness kills the starting app', async () => {
  const slow = { startupSeconds: 9 };
  const live = { periodSeconds: 2, failureThreshold: 3 };
  const k = await start({ api: svc() }, cold({ startup: { periodSeconds: 2, failureThreshold: 10 }, liveness: live, readiness: { periodSeconds: 2 } }, slow));
  const t0 = k.clock.now();
  try {
    await seconds(k, 15);
    // startup probes at 0…8 s refused, 10 s passes → readiness probes at once: Ready at 10 s
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '10s Starting→Ready']);
    assert.equal(timeline(k, t0, 'health.probeChanged', (d) => `${d.probe} ${d.ok}`), ['10s startup true', '10s readiness true']);
    const views = (await admin(k, '/probes?instance=api-1')).body.probes;
    assert.equal(views.map((v: any) => [v.probe, v.ok]), [['startup', true], ['liveness', true], ['readiness', true]]);
  } finally {
    await k.stop();
  }
  const k2 = await start({ api: svc() }, cold({ liveness: live }, slow));
  const t2 = k2.clock.now();
  try {
    await seconds(k2, 6);
    // liveness at 0, 2, 4 s: refused three times → killed at 4 s, before it ever came up
    assert.equal(transitions(k2, t2, 'api-1').slice(0, 3), ['0s Pending→Starting', '4s Starting→Failed', '4s Failed→Starting']);
  } finally {
    await k2.stop();
  }
});

liveness('a startup probe that passed is not run again for that process; a restarted process runs it again', async () => {
  const k = await start({ api: svc() }, cold({ startup: { periodSeconds: 1, failureThreshold: 10 }, liveness: { periodSeconds: 5 } }, { startupSeconds: 3 }));
  const t0 = k.clock.now();
  const health = k.resolve('health');
  try {
    await seconds(k, 30);
    // startup probes at 0, 1, 2 s refused, 3 s passes; then only liveness runs
    assert.equal(health.counters().probes.startup, { passed: 1, failed: 3 });
    const startup = () => health.probes('api-1').find((v) => v.probe === 'startup')!;
    assert.equal([startup().ok, startup().consecutiveSuccesses, startup().at - t0], [true, 1, 3000]);
    const views = (await admin(k, '/probes?instance=api-1')).body.probes;
    assert.equal(views.find((v: any) => v.probe === 'startup').consecutiveSuccesses, 1);
    assert.ok(health.counters().probes.liveness.passed >= 5, 'liveness keeps running');
    // a new process of the instance starts its startup probe from scratch
    k.resolve('cluster').kill('api-1', 'test');
    await seconds(k, 30);
    const c = health.counters().probes.startup;
    assert.is(c.passed, 2);
    assert.ok(c.failed > 3 && c.failed <= 7, `the restarted process's startup probe ran only until it passed (${c.failed} failures)`);
    assert.is(startup().consecutiveSuccesses, 1);
  } finally {
    await k.stop();
  }
});

liveness('a startup probe that never passes kills the process after failureThreshold × periodSeconds', async () => {
  const k = await start({ api: svc() }, cold({ startup: { periodSeconds: 2, failureThreshold: 3 } }, { startupSeconds: 9 }));
  const t0 = k.clock.now();
  try {
    await seconds(k, 5);
    assert.equal(transitions(k, t0, 'api-1').slice(0, 2), ['0s Pending→Starting', '4s Starting→Failed']);
    assert.equal(timeline(k, t0, 'health.probeChanged', (d) => `${d.probe} ${d.ok}`), ['4s startup false']);
  } finally {
    await k.stop();
  }
});

const handlers = suite('health: probe handlers and defaults');

handlers('tcpSocket and exec pass while the process is up and live, whatever its latency', async () => {
  const k = await start(
    { api: svc(), web: svc() },
    {
      warmStart: false,
      workloads: {
        api: { replicas: 1, startupSeconds: 2, capacity: { concurrency: 10, serviceTimeMs: 3000 }, probes: { liveness: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3, periodSeconds: 2, failureThreshold: 1 } } },
        web: { replicas: 1, startupSeconds: 2, capacity: { concurrency: 10, serviceTimeMs: 3000 }, probes: { liveness: { exec: { command: ['true'] }, initialDelaySeconds: 3, periodSeconds: 2, failureThreshold: 1 } } },
      },
    },
  );
  try {
    await seconds(k, 12);
    const cluster = k.resolve('cluster');
    assert.is(cluster.instance('api-1').state, 'Ready');
    assert.is(cluster.instance('web-1').state, 'Ready');
    const views = k.resolve('health').probes();
    assert.equal(views.map((v) => v.message), ['port open', 'command exited 0']);
  } finally {
    await k.stop();
  }
});

handlers("health's config gives probes per workload; the workload's own probes win", async () => {
  const k = await start(
    { api: svc(), web: svc() },
    { warmStart: false, workloads: { api: { replicas: 1, startupSeconds: 2 }, web: { replicas: 1, startupSeconds: 2, probes: { readiness: { periodSeconds: 7 } } } } },
    { probes: { default: { readiness: { periodSeconds: 5 } }, workloads: { web: { readiness: { periodSeconds: 3 } } } } },
  );
  const t0 = k.clock.now();
  try {
    await seconds(k, 9);
    assert.equal(transitions(k, t0, 'api-1'), ['0s Pending→Starting', '5s Starting→Ready']);
    assert.equal(transitions(k, t0, 'web-1'), ['0s Pending→Starting', '7s Starting→Ready']);
  } finally {
    await k.stop();
  }
});

readiness.run();
liveness.run();
handlers.run();
