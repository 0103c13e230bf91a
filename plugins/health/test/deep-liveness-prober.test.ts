// The prober's side of a deep liveness check on its own (a fake instance, the test kernel's
// clock): a failure caused only by a dependency is offered to `spare`, asked again at every
// failed run while spared, and kills once the cause is the process's own or `spare` says no.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClusterInstance } from '@understudy/plugin-cluster';
import { createTestKernel, type TestKernel } from '@understudy/plugin-sdk/testing';
import { Prober, resolveProbe } from '../src/probes.js';

const it = suite('health: prober, deep liveness');

function setup(k: TestKernel) {
  const inst = { id: 'api-1', service: 'api', workload: 'api', state: 'Ready', process: { up: true, live: true, ready: true }, load: { latencyMs: 0 } } as unknown as ClusterInstance;
  const s = { down: 'db' as string | undefined, allow: true, asked: [] as boolean[], killed: [] as string[], changes: [] as boolean[] };
  const prober = new Prober({
    clock: k.clock,
    resolutionMs: 100,
    instance: () => inst,
    probesFor: () => ({ liveness: resolveProbe({ httpGet: { path: '/healthz' }, periodSeconds: 1, failureThreshold: 2 }) }),
    setGate: () => {},
    failed: (_id, _kind, message) => s.killed.push(message),
    changed: (e) => s.changes.push(e.ok),
    dependencyDown: () => s.down,
    spare: (_id, dependency, message, again) => {
      assert.is(dependency, 'db');
      assert.match(message, 'critical dependency db has no Ready instance');
      s.asked.push(again);
      return s.allow;
    },
  });
  prober.start();
  prober.started(inst, 'api');
  return { inst, s, prober };
}

it('spared while db is down, asked again each failed run; passes once db is back; a new outage is a new crossing', async () => {
  const k = await createTestKernel({ plugins: [] });
  try {
    const { s, prober } = setup(k);
    // runs at 0, 1 and 2 s
    await k.clock.advance(2_050);
    assert.equal(s.asked, [false, true], 'crossing at the 2nd failure, again at the 3rd');
    assert.equal(s.killed, []);
    assert.is(prober.views('api-1')[0]!.ok, false);
    s.down = undefined;
    await k.clock.advance(1_000);
    assert.equal(s.changes, [false, true]);
    s.down = 'db';
    await k.clock.advance(2_000);
    assert.equal(s.asked, [false, true, false]);
    assert.equal(s.killed, []);
  } finally {
    await k.stop();
  }
});

it('a spared process whose liveness then fails for its own reason is killed; so is one spare() no longer spares', async () => {
  const k = await createTestKernel({ plugins: [] });
  try {
    const own = setup(k);
    await k.clock.advance(1_050);
    assert.equal(own.s.asked, [false]);
    (own.inst.process as { live: boolean }).live = false;
    await k.clock.advance(1_000);
    assert.equal(own.s.killed, ['liveness probe failed 3 times: HTTP probe failed with statuscode: 500 (the process is not live)']);
    own.prober.stop();

    const refused = setup(k);
    await k.clock.advance(1_100);
    assert.equal(refused.s.asked, [false]);
    refused.s.allow = false;
    await k.clock.advance(1_000);
    assert.equal(refused.s.asked, [false, true]);
    assert.is(refused.s.killed.length, 1);
    assert.match(refused.s.killed[0]!, 'liveness probe failed 3 times: HTTP probe failed with statuscode: 503 (critical dependency db has no Ready instance)');
  } finally {
    await k.stop();
  }
});

it.run();
