// With the ops plugins loaded (cluster, health, traffic, breaker): instance, probe,
// restart, incident and recovery metrics; the load model's simulated requests in the
// metrics and in window(); operational events as log lines with their correlation ids;
// and promtool still accepts the whole exposition.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import breaker from '@understudy/plugin-breaker';
import cluster from '@understudy/plugin-cluster';
import health from '@understudy/plugin-health';
import traffic from '@understudy/plugin-traffic';
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { call, promtoolCheck, PROMTOOL, start } from './helpers.js';

const it = suite('observability: with cluster, health, traffic and breakers');

const svc = (calls: string[] = []) => ({
  endpoints: [{ path: '/', name: 'go', latency: { type: 'fixed', ms: 0 }, calls: calls.map((service) => ({ service, endpoint: 'go' })) }],
});
const world = { api: svc(['db']), db: svc() };
const probes = { readiness: { periodSeconds: 1 } };

async function startOps(extra: Record<string, unknown> = {}): Promise<TestKernel> {
  return start({
    services: world,
    observability: { windows: { resolutionMs: 1000 } },
    plugins: [traffic, breaker, cluster, health],
    config: {
      traffic: { patterns: { shop: { service: 'api', shape: { kind: 'constant', rps: 20 } } }, sample: { perSecond: 1 } },
      cluster: { workloads: { api: { replicas: 2, probes }, db: { replicas: 1, probes } } },
      ...extra,
    },
  });
}

const seconds = async (k: TestKernel, n: number) => {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
};

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const metrics = async (k: TestKernel) => (await fetch(`${k.baseUrl}/metrics`)).text();

it('instances by state, simulated load, probes and traffic rates appear in /metrics, which promtool accepts', async () => {
  const k = await startOps();
  try {
    await seconds(k, 10);
    const text = await metrics(k);
    assert.is(sample(text, 'understudy_cluster_instances', { service: 'api', state: 'Ready' }), 2);
    assert.is(sample(text, 'understudy_cluster_instances', { service: 'db', state: 'Ready' }), 1);
    assert.ok((sample(text, 'understudy_cluster_nodes', { condition: 'Ready' }) ?? 0) >= 1);
    const simulated = sample(text, 'understudy_simulated_requests_total', { service: 'api' })!;
    const real = (sample(text, 'understudy_requests_total', { service: 'api', code: '200' }) ?? 0);
    // 20 rps for ~10 s: the model's requests and the real sample exchanges add up to the demand
    assert.ok(simulated + real > 180 && simulated + real <= 205, `simulated ${simulated} + real ${real}`);
    assert.ok(real >= 5, `real sample exchanges: ${real}`);
    assert.is(sample(text, 'understudy_simulated_demand_rps', { service: 'db' }), 20);
    assert.is(sample(text, 'understudy_traffic_entry_rps', { pattern: 'shop', service: 'api' }), 20);
    assert.is(sample(text, 'understudy_traffic_service_rps', { service: 'db' }), 20);
    assert.ok((sample(text, 'understudy_health_probe_results_total', { probe: 'readiness', result: 'passed' }) ?? 0) > 0);
    assert.is(sample(text, 'understudy_health_service_status', { service: 'api' }), 0);
    assert.is(sample(text, 'understudy_breaker_state', { caller: 'api', service: 'db' }), 0);
    const checked = await promtoolCheck(text);
    if (!checked) console.log(`SKIPPED promtool check: ${PROMTOOL} is missing`);
    else assert.is(checked.output.trim() + `(exit ${checked.code})`, '(exit 0)');

    // window(): real and simulated requests of the last 5 s, by version
    const obs = k.resolve('observability');
    const w = obs.window('api', 5000);
    assert.ok(w.requests > 90 && w.requests <= 105, `window requests ${w.requests}`);
    assert.is(obs.window('api', 5000, { version: '1.0.0' }).requests, w.requests);
    assert.is(obs.window('api', 5000, { version: '9.9.9' }).requests, 0);
    assert.is(w.errors, 0);
    // simulated: false leaves the load model's requests out: the real sample exchanges only
    const realOnly = obs.window('api', 5000, { simulated: false }).requests;
    assert.ok(realOnly >= 1 && realOnly < w.requests / 2, `real-only window ${realOnly} of ${w.requests}`);

    // the SLO comes from health's view of the service
    const slo = (await call(k, '/__admin/observability/slo?service=api')).body.services[0];
    const h = k.resolve('health').service('api');
    assert.is(slo.source, 'health');
    assert.ok(Math.abs(slo.objective - (1 - h.slo.errorRate)) < 1e-12);
    assert.is(slo.p99Ms, h.slo.p99Ms);
    assert.ok(slo.windows[0].requests > 0);
    // the latency chart of a simulated service
    const svg = await (await fetch(`${k.baseUrl}/__admin/observability/services/api/latency.svg?windowMs=10000`)).text();
    assert.match(svg, /<polyline/);
  } finally {
    await k.stop();
  }
});

it('a killed instance: its state changes and the incident are log lines with ids; restarts, incidents and the recovery time are metrics', async () => {
  const k = await startOps();
  try {
    await seconds(k, 3);
    const killed = await call(k, '/__admin/cluster/instances/db-1/kill', { method: 'POST', json: { reason: 'test' } });
    assert.is(killed.status, 200, killed.text);
    await seconds(k, 30);
    const hs = k.resolve('health');
    const incidents = hs.incidents();
    assert.ok(incidents.length >= 1, 'an incident opened');
    const inc = incidents.find((i) => i.services.includes('db'))!;
    const logs = await call(k, '/__admin/logs?q=db-1&limit=100');
    const changes = logs.body.items.filter((r: { event?: string }) => r.event === 'cluster.instanceChanged');
    assert.ok(changes.length >= 2, JSON.stringify(logs.body.items.map((r: { msg: string }) => r.msg)));
    assert.ok(changes.every((r: { instance: string; service: string }) => r.instance === 'db-1' && r.service === 'db'));
    const opened = await call(k, `/__admin/logs?q=${inc.id}`);
    assert.ok(opened.body.items.some((r: { event?: string; incidentId?: string }) => r.event === 'health.incidentOpened' && r.incidentId === inc.id));
    const text = await metrics(k);
    assert.ok((sample(text, 'understudy_health_incidents_opened_total') ?? 0) >= 1);
    assert.ok((sample(text, 'understudy_cluster_instance_restarts', { service: 'db' }) ?? 0) >= 1);
    if (inc.status === 'resolved') {
      assert.ok((sample(text, 'understudy_health_incidents_resolved_total') ?? 0) >= 1);
      assert.ok((sample(text, 'understudy_health_recovery_time_seconds_count') ?? 0) >= 1);
      assert.ok(opened.body.items.some((r: { event?: string }) => r.event === 'health.incidentResolved'));
    }
    // the db's lines after the incident opened carry its id: the restart's state changes
    const during = (await call(k, `/__admin/logs?service=db&q=${inc.id}&limit=100`)).body.items;
    assert.ok(
      during.some((r: { event?: string; incidentId?: string }) => r.event === 'cluster.instanceChanged' && r.incidentId === inc.id),
      JSON.stringify(during.map((r: { msg: string }) => r.msg)),
    );
    assert.is(inc.status, 'resolved', JSON.stringify(inc));
    const checked = await promtoolCheck(text);
    if (checked) assert.is(checked.output.trim() + `(exit ${checked.code})`, '(exit 0)');
  } finally {
    await k.stop();
  }
});

it.run();
