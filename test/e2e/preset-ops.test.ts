// End to end, the ops preset's README tour on the virtual clock over real sockets: the
// 1,000-instance world Ready; a killed instance replaced and its incident resolved; a 3×
// spike at the edge absorbed by the HPA; a canary of a bad version rolled back by its
// analysis; an experiment of the library run with its report; logs, metrics and the
// policy-comparison chart served.
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const ops = suite<{ k: TestKernel }>('preset ops');
const json = { 'content-type': 'application/json' };

ops.before.each(async (ctx) => {
  ctx.k = await createTestKernel({ presets: ['ops'] });
});
ops.after.each(async (ctx) => {
  await ctx.k.stop();
});

const get = async <T>(k: TestKernel, path: string) => (await fetchJson(`${k.baseUrl}${path}`)).body as T;
const post = (k: TestKernel, path: string, body: unknown = {}) => fetchJson(`${k.baseUrl}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
const seconds = async (k: TestKernel, n: number) => {
  for (let i = 0; i < n; i++) await k.clock.advance(1000);
};

ops('starts ~1,000 instances Ready and heals a killed one, the incident resolved', async ({ k }) => {
  await seconds(k, 10);
  const ready = await get<{ total: number }>(k, '/__admin/cluster/instances?state=Ready&limit=1');
  assert.is(ready.total, 1000);
  const kill = await post(k, '/__admin/cluster/instances/data-1-1/kill');
  assert.ok(kill.status < 300, JSON.stringify(kill.body));
  await seconds(k, 120);
  const after = await get<{ total: number }>(k, '/__admin/cluster/instances?state=Ready&workload=data-1&limit=1');
  assert.is(after.total, 20);
  const incidents = await get<{ incidents: Array<{ status: string; timeline: Array<{ kind: string }> }> }>(k, '/__admin/health/incidents');
  assert.ok(incidents.incidents.length >= 1);
  assert.ok(incidents.incidents.every((i) => i.status === 'resolved'), JSON.stringify(incidents).slice(0, 900));
  assert.ok(incidents.incidents[0]!.timeline.some((e) => e.kind === 'recovered'));
});

ops('a 3× spike at edge-1 is absorbed by its HPA within 2 minutes: more replicas, Ready', async ({ k }) => {
  await seconds(k, 30);
  const before = (await get<{ spec: { replicas: number } }>(k, '/__admin/cluster/workloads/edge-1')).spec;
  const spike = await post(k, '/__admin/traffic/patterns', { id: 'spike', service: 'edge-1', shape: { kind: 'step', rps: 400, factor: 3, atSeconds: 0, durationSeconds: 600 } });
  assert.is(spike.status, 201, JSON.stringify(spike.body));
  await seconds(k, 120);
  const after = await get<{ spec: { replicas: number }; ready: number }>(k, '/__admin/cluster/workloads/edge-1');
  assert.ok(after.spec.replicas > before.replicas, `replicas ${before.replicas} → ${after.spec.replicas}`);
  assert.is(after.ready, after.spec.replicas);
  const events = await get<{ events: Array<{ type: string; data: { workload?: string } }> }>(k, '/__admin/events?type=autoscale.');
  assert.ok(events.events.some((e) => e.data.workload === 'edge-1'), JSON.stringify(events).slice(0, 600));
  const health = await get<{ status: string }>(k, '/__admin/health/services/edge-1');
  assert.is(health.status, 'healthy', JSON.stringify(health));
});

ops('a canary of a bad version is rolled back by its analysis; the stable version keeps serving', async ({ k }) => {
  await seconds(k, 10);
  const start = await post(k, '/__admin/deploy/rollouts', { workload: 'api-1', version: '1.1.0-bad', by: 'test', reason: 'bad build' });
  assert.is(start.status, 201, JSON.stringify(start.body));
  await seconds(k, 120);
  const rollout = await get<{ phase: string; message: string }>(k, '/__admin/deploy/rollouts/api-1');
  assert.is(rollout.phase, 'Aborted', JSON.stringify(rollout).slice(0, 600));
  assert.match(rollout.message, /analysis failed/);
  const workload = await get<{ replicaSets: Record<string, number>; ready: number }>(k, '/__admin/cluster/workloads/api-1');
  assert.is(workload.ready, 20);
  const history = await get<{ revisions: Array<{ version: string; outcome: string }> }>(k, '/__admin/deploy/rollouts/api-1/history');
  assert.equal(history.revisions.map((r) => [r.version, r.outcome]), [['1.1.0-bad', 'Aborted'], ['1.0.0', 'Healthy']]);
  // and the good version goes all the way
  await seconds(k, 60);
  const good = await post(k, '/__admin/deploy/rollouts', { workload: 'api-1', version: '1.1.0', by: 'test', reason: 'fixed build' });
  assert.is(good.status, 201, JSON.stringify(good.body));
  await seconds(k, 240);
  const done = await get<{ phase: string }>(k, '/__admin/deploy/rollouts/api-1');
  assert.is(done.phase, 'Healthy', JSON.stringify(done).slice(0, 600));
});

ops('the zone-outage experiment of the library runs and reports that the system recovered', async ({ k }) => {
  await seconds(k, 10);
  const run = await post(k, '/__admin/chaos/experiments/zone-a-down/run');
  assert.ok(run.status < 300, JSON.stringify(run.body));
  await seconds(k, 240);
  const journal = await get<{ status: string; deviated: boolean; steady_states: { after: { steady_state_met: boolean } } }>(k, '/__admin/chaos/experiments/zone-a-down/journal');
  assert.is(journal.status, 'completed', JSON.stringify(journal).slice(0, 900));
  assert.is(journal.deviated, false);
  assert.ok(journal.steady_states.after.steady_state_met);
  const report = await fetch(`${k.baseUrl}/__admin/chaos/experiments/zone-a-down/report.md`);
  assert.match(await report.text(), /zone-a/);
});

ops('logs, metrics and the policy comparison are served', async ({ k }) => {
  await seconds(k, 30);
  const metrics = await (await fetch(`${k.baseUrl}/metrics`)).text();
  assert.match(metrics, /understudy_requests_total\{service="edge-1"/);
  const logs = await get<{ items: Array<{ service: string; traceId: string }> }>(k, '/__admin/logs?service=edge-1&limit=5');
  assert.ok(logs.items.length > 0, JSON.stringify(logs).slice(0, 300));
  assert.ok(logs.items.every((l) => l.service === 'edge-1'));
  const trace = await fetchJson(`${k.baseUrl}/__admin/tracing/traces/${logs.items[0]!.traceId}`);
  assert.is(trace.status, 200);
  const svg = await fetch(`${k.baseUrl}/__admin/autoscale/compare.svg?hours=2`);
  assert.is(svg.status, 200);
  assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/);
  assert.match(await svg.text(), /<svg/);
  const cost = await get<{ cluster: { nodes: number; interruptible: { nodes: number }; perHour: number } }>(k, '/__admin/autoscale/cost');
  assert.is(cost.cluster.nodes, 30);
  assert.is(cost.cluster.interruptible.nodes, 6);
  assert.ok(Math.abs(cost.cluster.perHour - (24 * 0.384 + 6 * 0.12)) < 1e-9, String(cost.cluster.perHour));
});

ops.run();
