// Replication of a stateful workload: the oldest Ready instance is the primary; a killed
// replica comes back behind (real writes it missed) and is current again the lag after Ready;
// a real read it serves meanwhile is stale (header), and an event says when it caught up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, call, post, seconds, start } from './helpers.js';

const rep = suite('cluster: replication of a stateful workload');

const services = { db: { endpoints: [{ path: '/q', method: 'GET', name: 'q', latency: { type: 'fixed', ms: 0 } }, { path: '/w', method: 'POST', name: 'w', latency: { type: 'fixed', ms: 0 } }] } };

rep('a restarted replica is behind by the writes it missed, serves stale reads, and is current the lag after Ready', async () => {
  const k = await start(services, { workloads: { db: { replicas: 2, startupSeconds: 1, stateful: { replicationLagMs: 500 } } } });
  const caught: unknown[] = [];
  k.events.subscribe('cluster.replicaCaughtUp', (e) => caught.push(e.data));
  try {
    let view = (await admin(k, '/workloads/db')).body.replication;
    assert.is(view.primary, 'db-1');
    assert.equal(view.behind, {});
    await post(k, '/instances/db-2/kill');
    await call(k, '/db/w', { method: 'POST', json: {} });
    await k.clock.advance(1100);
    view = (await admin(k, '/workloads/db')).body.replication;
    assert.ok(view.behind['db-2'] > 0, JSON.stringify(view));
    let staleHeaders = 0;
    for (let i = 0; i < 4; i++) if ((await call(k, '/db/q')).headers.get('x-understudy-stale-read')) staleHeaders++;
    assert.ok(staleHeaders > 0, 'a read on db-2 says it is stale');
    await seconds(k, 3);
    view = (await admin(k, '/workloads/db')).body.replication;
    assert.equal(view.behind, {}, JSON.stringify(view));
    assert.ok(view.staleReads >= staleHeaders);
    assert.is(caught.length, 1);
  } finally {
    await k.stop();
  }
});

rep.run();
