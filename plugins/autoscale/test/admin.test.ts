// The control plane under /__admin/autoscale over real sockets: autoscalers (list, one,
// history, PUT whole or nothing with ?dryRun, DELETE, evaluate), queues, and the reports —
// the policy comparison (JSON and SVG), cost with right-sizing, capacity at a growth rate —
// with 4xx and stable codes for every bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { admin, replicas, seconds, start, svc, WEB } from './helpers.js';

const it = suite('autoscale: admin API');

const WORLD = {
  services: { web: svc(), worker: svc() },
  workloads: { web: WEB, worker: { replicas: 2, resources: { requests: { cpu: 2000, memory: 4096 }, limits: { cpu: 2000, memory: 4096 } } } },
  patterns: { load: { service: 'web', shape: { kind: 'constant', rps: 600 } } },
  autoscale: { queues: { jobs: { consumer: 'worker' } }, autoscalers: { web: { maxReplicas: 20, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] } } },
};

it('autoscalers: list with status, one, history; PUT creates (201) or replaces (200), ?dryRun changes nothing; DELETE', async () => {
  const k = await start(WORLD);
  try {
    await seconds(k, 31);
    const list = await admin(k, '/autoscalers');
    assert.is(list.status, 200);
    assert.equal(list.body.autoscalers.map((a: any) => a.workload), ['web']);
    const web = list.body.autoscalers[0];
    assert.equal([web.currentReplicas, web.readyReplicas, web.desiredReplicas], [5, 5, 5]);
    assert.match(web.lastReason, 'cpu 60');
    assert.is(web.spec.behavior.scaleDown.stabilizationWindowSeconds, 300);
    assert.ok(Array.isArray(web.detail.metrics));
    const one = await admin(k, '/autoscalers/web');
    assert.is(one.body.lastEvaluation, web.lastEvaluation);
    const h = await admin(k, '/autoscalers/web/history');
    assert.is(h.status, 200);
    assert.is(h.body.history.length, 2);
    assert.equal(Object.keys(h.body.history[0]).sort(), ['at', 'demand', 'desired', 'ready', 'reason', 'replicas']);
    assert.is(h.body.dropped, 0);

    // dry run: the status it would have, nothing changed
    const spec = { keda: { minReplicaCount: 1, maxReplicaCount: 6, triggers: [{ type: 'queue', queue: 'jobs', threshold: 5 }] } };
    const dry = await admin(k, '/autoscalers/worker?dryRun=true', { method: 'PUT', json: spec });
    assert.is(dry.status, 200);
    assert.is(dry.body.spec.policy, 'keda');
    assert.is((await admin(k, '/autoscalers/worker')).status, 404);
    const created = await admin(k, '/autoscalers/worker', { method: 'PUT', json: spec });
    assert.is(created.status, 201);
    assert.equal(k.eventsOf('autoscale.configured').map((e) => [e.data.workload, e.data.source]), [
      ['web', 'config'],
      ['worker', 'admin'],
    ]);
    const replaced = await admin(k, '/autoscalers/worker', { method: 'PUT', json: { ...spec, keda: { ...spec.keda, maxReplicaCount: 8 } } });
    assert.is(replaced.status, 200);
    assert.is(replaced.body.spec.maxReplicas, 8);
    // evaluate now: the queue is empty, inactive with minReplicaCount 1
    const ev = await admin(k, '/autoscalers/worker/evaluate', { method: 'POST' });
    assert.is(ev.status, 200);
    assert.is(ev.body.active, false);
    assert.equal(ev.body.metrics, { 'trigger:0': 0 });
    const del = await admin(k, '/autoscalers/worker', { method: 'DELETE' });
    assert.equal([del.status, del.body], [200, { deleted: 'worker' }]);
    assert.is(k.eventsOf('autoscale.removed').length, 1);
    assert.is(replicas(k, 'worker'), 2, 'its replicas stay');
  } finally {
    await k.stop();
  }
});

it('4xx with stable codes: an invalid spec lists every problem with its path and changes nothing; unknown workloads and autoscalers', async () => {
  const k = await start(WORLD);
  try {
    const bad = await admin(k, '/autoscalers/web', { method: 'PUT', json: { minReplicas: 0, behavior: { scaleUp: { policies: [] } } } });
    assert.is(bad.status, 400);
    assert.is(bad.body.code, 'US_AUTOSCALE_INVALID_SPEC');
    assert.equal(bad.body.message.split('\n'), [
      'Invalid autoscaler for "web" (nothing was changed):',
      'minReplicas: must be >= 1',
      'behavior.scaleUp.policies: must specify at least one policy (or leave policies out for the defaults, or set selectPolicy: Disabled)',
    ]);
    assert.is((await admin(k, '/autoscalers/web')).body.spec.maxReplicas, 20, 'unchanged');
    const dryBad = await admin(k, '/autoscalers/web?dryRun=true', { method: 'PUT', json: 'x' });
    assert.is(dryBad.body.code, 'US_AUTOSCALE_INVALID_SPEC');
    const nowl = await admin(k, '/autoscalers/wbe', { method: 'PUT', json: {} });
    assert.equal([nowl.status, nowl.body.code], [404, 'US_AUTOSCALE_UNKNOWN_WORKLOAD']);
    assert.match(nowl.body.message, 'Did you mean "web"?');
    for (const [method, path] of [
      ['GET', '/autoscalers/worker'],
      ['GET', '/autoscalers/worker/history'],
      ['DELETE', '/autoscalers/worker'],
      ['POST', '/autoscalers/worker/evaluate'],
    ] as const) {
      const r = await admin(k, path, { method });
      assert.equal([r.status, r.body.code], [404, 'US_AUTOSCALE_NOT_FOUND'], `${method} ${path}`);
    }
    assert.match((await admin(k, '/autoscalers/worker')).body.message, 'PUT /__admin/autoscale/autoscalers/worker');
    const q = await admin(k, '/autoscalers/web?dryRun=maybe', { method: 'PUT', json: {} });
    assert.equal([q.status, q.body.code], [400, 'US_AUTOSCALE_INVALID_REQUEST']);
  } finally {
    await k.stop();
  }
});

it('queues: list, change length and arrivals; 400 and 404 with codes', async () => {
  const k = await start(WORLD);
  try {
    assert.equal((await admin(k, '/queues')).body.queues, [{ name: 'jobs', length: 0, arrivalRps: 0, ratePerInstance: 10, consumer: 'worker' }]);
    const set = await admin(k, '/queues/jobs', { method: 'PUT', json: { length: 100, arrivalRps: 5 } });
    assert.equal([set.status, set.body.length, set.body.arrivalRps], [200, 100, 5]);
    // two Ready workers take 20 msg/s, 5 arrive: 15 fewer each second
    await seconds(k, 2);
    assert.is((await admin(k, '/queues')).body.queues[0].length, 70);
    const bad = await admin(k, '/queues/jobs', { method: 'PUT', json: { length: -1, size: 2 } });
    assert.equal([bad.status, bad.body.code], [400, 'US_AUTOSCALE_INVALID_QUEUE']);
    assert.equal(bad.body.message.split('\n').slice(1), ['length: must be a number >= 0', 'size: unknown property (one of length, arrivalRps)']);
    const arr = await admin(k, '/queues/jobs', { method: 'PUT', json: [1] });
    assert.is(arr.body.code, 'US_AUTOSCALE_INVALID_QUEUE');
    const none = await admin(k, '/queues/job', { method: 'PUT', json: {} });
    assert.equal([none.status, none.body.code], [404, 'US_AUTOSCALE_QUEUE_NOT_FOUND']);
    assert.match(none.body.message, 'Did you mean "jobs"?');
  } finally {
    await k.stop();
  }
});

it('the policy comparison: JSON and SVG, shaped like a cluster workload; bad queries are 400/404', async () => {
  const k = await start(WORLD);
  try {
    const r = await admin(k, '/compare?hours=2&tickSeconds=10');
    assert.is(r.status, 200);
    assert.equal(r.body.policies.map((p: any) => p.name), ['hpa', 'keda', 'predictive']);
    for (const p of r.body.policies) for (const key of ['instanceHours', 'cost', 'breachMinutes', 'failedRequests']) assert.is(typeof p[key], 'number', `${p.name}.${key}`);
    assert.is(r.body.durationSeconds, 7200);
    assert.is(r.body.traffic.step.atSeconds, 2400, 'the step moved within a short run');
    const again = await admin(k, '/compare?hours=2&tickSeconds=10');
    assert.equal(again.body, r.body, 'the same query, the same report');
    const svg = await admin(k, '/compare.svg?hours=2&tickSeconds=10');
    assert.is(svg.status, 200);
    assert.match(svg.headers.get('content-type')!, 'image/svg+xml');
    assert.match(svg.text, /^<svg/);
    const shaped = await admin(k, '/compare?hours=1&tickSeconds=10&workload=web&factor=2');
    assert.is(shaped.status, 200);
    assert.equal([shaped.body.workload.name, shaped.body.workload.startupSeconds, shaped.body.traffic.step.factor], ['web', 20, 2]);
    assert.ok(shaped.body.workload.pricePerInstanceHour > 0, 'priced from its nodes');
    const nowl = await admin(k, '/compare?workload=nope');
    assert.equal([nowl.status, nowl.body.code], [404, 'US_AUTOSCALE_UNKNOWN_WORKLOAD']);
    const bad = await admin(k, '/compare?tickSeconds=0');
    assert.equal([bad.status, bad.body.code], [400, 'US_AUTOSCALE_INVALID_REQUEST']);
    const extra = await admin(k, '/compare.svg?colour=red');
    assert.equal([extra.status, extra.body.code], [400, 'US_AUTOSCALE_INVALID_REQUEST']);
  } finally {
    await k.stop();
  }
});

it('cost now with right-sizing from observed usage; capacity at a growth rate', async () => {
  const k = await start(WORLD);
  try {
    await seconds(k, 120);
    const c = await admin(k, '/cost');
    assert.is(c.status, 200);
    // three nodes at 1.536 / h
    assert.ok(Math.abs(c.body.cluster.perHour - 4.608) < 1e-9);
    assert.is(c.body.cluster.byInstanceType['m5.8xlarge'].nodes, 3);
    assert.ok(Math.abs(c.body.servedPerSecond - 600) < 1e-6);
    assert.ok(Math.abs(c.body.perRequest - 4.608 / (600 * 3600)) < 1e-12);
    assert.is(c.body.allocation.workloads.web.instances, 5);
    const web = c.body.rightSizing.find((r: any) => r.workload === 'web');
    // CPU used: 600 m of 1,000 requested (utilisation 0.6 × the 1,000 m limit); p95 × 1.2 = 720 m
    assert.is(web.samples, 5 * 8, 'every 15 s for 120 s, five instances');
    assert.equal([web.observed.cpu, web.recommended.cpu, web.verdict.cpu], [600, 720, 'over-provisioned']);
    assert.ok(web.savingPerHour > 0);
    const worker = c.body.rightSizing.find((r: any) => r.workload === 'worker');
    assert.is(worker.verdict.cpu, 'over-provisioned', 'an idle worker');
    const p = await admin(k, '/cost?percentile=50&headroom=0');
    assert.is(p.body.rightSizing.find((r: any) => r.workload === 'web').recommended.cpu, 600);
    assert.is((await admin(k, '/cost?percentile=0')).body.code, 'US_AUTOSCALE_INVALID_REQUEST');

    const cap = await admin(k, '/capacity?growth=0.5&months=12');
    assert.is(cap.status, 200);
    // 5 × 1,000 m + 2 × 2,000 m = 9 cores of 96: at 50 % a month it runs out in month 6 (9 × 1.5^6 ≈ 102.5)
    assert.is(cap.body.runsOut.total, 6);
    assert.is(cap.body.steps.length, 13);
    assert.ok(cap.body.steps.at(-1).nodesToAdd > 0);
    assert.ok(cap.body.steps.at(-1).costPerHour > cap.body.steps[0].costPerHour);
    const def = await admin(k, '/capacity');
    assert.is(def.body.growthPerMonth, 0.1);
    const bad = await admin(k, '/capacity?growth=-2');
    assert.equal([bad.status, bad.body.code], [400, 'US_AUTOSCALE_INVALID_REQUEST']);
    assert.match(bad.body.message, 'growthPerMonth');
    assert.is((await admin(k, '/capacity?growth=abc')).body.code, 'US_AUTOSCALE_INVALID_REQUEST');
  } finally {
    await k.stop();
  }
});

it.run();
