// The control plane under /__admin/health over real sockets (routes, schemas, coded 4xx),
// invalid config at startup (every problem with its path), and real HTTP probes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, seconds, start, svc } from './helpers.js';

const routes = suite('health: admin routes');

routes('overview, one service, probes, incidents and policy; unknown names are coded 404s, bad queries coded 400s', async () => {
  const k = await start(
    { api: svc(['db']), db: svc() },
    { workloads: { api: { replicas: 2, probes: { readiness: { periodSeconds: 5 } } }, db: { replicas: 1, startupSeconds: 3 } } },
  );
  try {
    await seconds(k, 2);
    for (const path of ['/', '/services']) {
      const res = await admin(k, path);
      assert.is(res.status, 200, path);
      assert.is(res.body.policy, 'planner');
      assert.equal(res.body.summary, { healthy: 2, degraded: 0, unhealthy: 0, openIncidents: 0 });
      assert.equal(res.body.services.map((s: any) => s.service), ['api', 'db']);
      assert.ok(res.body.counters.probes.readiness);
    }
    // GET /__admin/health (no slash) stays the kernel's liveness route
    assert.is((await admin(k, '')).body.status, 'ok');
    const one = await admin(k, '/services/api');
    assert.equal([one.body.status, one.body.ready, one.body.desired, one.body.slo], ['healthy', 2, 2, { errorRate: 0.01, p99Ms: 500 }]);
    const missing = await admin(k, '/services/nope');
    assert.equal([missing.status, missing.body.code], [404, 'US_HEALTH_SERVICE_NOT_FOUND']);
    assert.match(missing.body.message, /GET \/__admin\/health/);

    const probes = await admin(k, '/probes');
    assert.equal(probes.body.probes.map((p: any) => [p.instance, p.probe]), [['api-1', 'readiness'], ['api-2', 'readiness']]);
    assert.equal((await admin(k, '/probes?instance=api-2')).body.probes.length, 1);
    const noProbes = await admin(k, '/probes?instance=ghost-1');
    assert.equal([noProbes.status, noProbes.body.code], [404, 'US_HEALTH_INSTANCE_NOT_FOUND']);
    const badQuery = await admin(k, '/probes?color=red');
    assert.equal([badQuery.status, badQuery.body.code], [400, 'US_HEALTH_INVALID_QUERY']);

    k.resolve('cluster').kill('db-1', 'test');
    await seconds(k, 6);
    const all = await admin(k, '/incidents');
    assert.is(all.body.incidents.length, 1);
    assert.is(all.body.dropped, 0);
    const id = all.body.incidents[0].id;
    assert.is((await admin(k, '/incidents?status=resolved&service=db')).body.incidents[0].id, id);
    assert.equal((await admin(k, '/incidents?status=open')).body.incidents, []);
    assert.equal((await admin(k, '/incidents?service=other')).body.incidents, []);
    const bad = await admin(k, '/incidents?status=closed');
    assert.equal([bad.status, bad.body.code], [400, 'US_HEALTH_INVALID_QUERY']);
    assert.match(bad.body.message, /status/);
    const inc = await admin(k, `/incidents/${id}`);
    assert.equal([inc.body.status, inc.body.kind, inc.body.services], ['resolved', 'instancesDown', ['db', 'api']]);
    const gone = await admin(k, '/incidents/inc-999');
    assert.equal([gone.status, gone.body.code], [404, 'US_HEALTH_INCIDENT_NOT_FOUND']);

    const policy = await admin(k, '/policy');
    assert.equal(policy.body.backoff, { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });
    assert.is(policy.body.planner.shedUtilisation, 0.95);
    const extra = await admin(k, '/policy', { method: 'PUT', json: { policy: 'planner', also: 1 } });
    assert.equal([extra.status, extra.body.code], [400, 'US_HEALTH_INVALID_POLICY']);
    const same = await admin(k, '/policy', { method: 'PUT', json: { policy: 'planner' } });
    assert.equal([same.status, same.body.actions], [200, []]);
    // the server kept running
    assert.is((await admin(k, '/services')).status, 200);
  } finally {
    await k.stop();
  }
});

const config = suite('health: config');

config('invalid config fails startup with every problem and its path', async () => {
  const err = await start(
    { api: svc() },
    {},
    {
      policy: 'fastest',
      slo: { default: { errorRate: 2 } },
      probes: { default: { liveness: { successThreshold: 2 } }, workloads: { api: { startup: { successThreshold: 3, httpGet: { path: '/' }, exec: { command: ['x'] } } } } },
    },
  ).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err, 'startup failed');
  const message = err!.message;
  assert.match(message, /plugins\.health\.policy/);
  assert.match(message, /plugins\.health\.slo\.default\.errorRate/);
  const second = await start({ api: svc() }, {}, {
    probes: { default: { liveness: { successThreshold: 2 } }, workloads: { api: { startup: { successThreshold: 3, httpGet: { path: '/' }, exec: { command: ['x'] } } } } },
    planner: { overloadUtilisation: 0.5 },
  }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(second);
  assert.match(second!.message, /plugins\.health\.probes\.default\.liveness\.successThreshold: must be 1 for a liveness probe/);
  assert.match(second!.message, /plugins\.health\.probes\.workloads\.api\.startup\.successThreshold: must be 1 for a startup probe/);
  assert.match(second!.message, /plugins\.health\.probes\.workloads\.api\.startup: give one handler, not httpGet and exec/);
  assert.match(second!.message, /plugins\.health\.planner\.overloadUtilisation: must be >= shedUtilisation/);
});

const http = suite('health: real HTTP probes');

http('with http.enabled an httpGet naming a host is really requested: 2xx/3xx pass, others and timeouts fail', async () => {
  let status = 200;
  let hang = false;
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers['user-agent']}`);
    if (hang) return; // never answers
    res.writeHead(status).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const k = await start(
    { api: svc() },
    { workloads: { api: { replicas: 1, probes: { liveness: { httpGet: { path: '/healthz', host: '127.0.0.1', port }, periodSeconds: 2, failureThreshold: 2, timeoutSeconds: 1 } } } } },
    { http: { enabled: true } },
  );
  const settle = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      await seconds(k, 1);
      await new Promise((r) => setTimeout(r, 30)); // the real request's answer (real sockets)
    }
  };
  try {
    await settle(3);
    assert.ok(seen.length >= 1);
    assert.equal(seen[0], 'GET /healthz kube-probe/understudy');
    let [view] = k.resolve('health').probes('api-1');
    assert.equal([view!.ok, view!.message], [true, 'HTTP probe succeeded with statuscode: 200']);
    status = 500;
    for (let i = 0; i < 10 && k.resolve('cluster').instance('api-1').restarts === 0; i++) await settle();
    [view] = k.resolve('health').probes('api-1');
    assert.match(view!.message, /HTTP probe failed with statuscode: 500/);
    assert.ok(k.eventsOf('health.probeChanged').some((e) => e.data.probe === 'liveness' && !e.data.ok));
    assert.ok(k.resolve('cluster').instance('api-1').restarts >= 1);
    status = 200;
    hang = true;
    await settle(3);
    const msgs = k.resolve('health').probes('api-1').map((v) => v.message);
    assert.ok(msgs.some((m) => /Get "http:\/\/127\.0\.0\.1:\d+\/healthz": timed out after 1s/.test(m)), msgs.join());
  } finally {
    await k.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

routes.run();
config.run();
http.run();
