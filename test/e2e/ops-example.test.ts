// examples/ops-recovery.yaml does what examples/ops-recovery.md says: loaded the way
// `understudy start --config examples/ops-recovery.yaml --port 0` loads it (the CLI's own
// plan: file, then flags), on the virtual clock so that its minute of healing runs in
// moments. Follow the README section: every service healthy, kill both db instances,
// checkout fails and an incident opens, then the planner heals it — incident resolved with
// its timeline and TTR, /metrics and /__admin/logs telling the same story. One knob differs:
// mesh's simulated latency is off (`latencyScale: 0`), since a request would otherwise sleep
// on a virtual clock nobody advances while it waits.
import { join } from 'node:path';
import { createKernel, createVirtualClock, type Kernel, type UnderstudyEvent } from '@understudy/kernel';
import { fetchJson } from '@understudy/plugin-sdk/testing';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planStart } from '../../kernel/src/cli/commands/start.js';
import { repoRoot } from '../../kernel/test/cli-helpers.js';
import { sample } from './fixtures/ops-world.js';

const EXAMPLE = join(repoRoot, 'examples', 'ops-recovery.yaml');

interface Started {
  kernel: Kernel;
  url: string;
  events: UnderstudyEvent[];
}

/** The CLI's plan for `start --config examples/ops-recovery.yaml --port 0`, with a virtual clock, silent logs, no simulated latency. */
async function startExample(): Promise<Started> {
  const plan = planStart(['--config', EXAMPLE, '--port', '0', '--log-level', 'silent'], repoRoot);
  assert.is(plan.configFile, EXAMPLE);
  assert.equal(plan.presets, [], 'the example names its plugins itself');
  const kernel = createKernel({
    config: plan.configFile,
    presets: plan.presets,
    overrides: { ...plan.overrides, clock: 'virtual', server: { ...plan.overrides.server, host: '127.0.0.1' }, plugins: { mesh: { latencyScale: 0 } } },
    cwd: repoRoot,
    clock: createVirtualClock(),
    logger: pino({ level: 'silent' }),
    env: {},
  });
  const events: UnderstudyEvent[] = [];
  kernel.events.subscribe((e) => events.push(e));
  const url = await kernel.start();
  return { kernel, url, events };
}

test('examples/ops-recovery.yaml: kill the db instances as its README says, watch the incident, see it healed', async () => {
  const { kernel, url, events } = await startExample();
  const get = (path: string) => fetchJson(url + path);
  const post = (path: string) => fetchJson(url + path, { method: 'POST', json: {} });
  const statuses = async () => Object.fromEntries(((await get('/__admin/health/')).body.services as Array<{ service: string; status: string }>).map((s) => [s.service, s.status]));
  try {
    // what the example declares
    assert.equal(
      kernel.plugins().map((p) => p.name).sort(),
      ['breaker', 'chaos', 'cluster', 'discovery', 'health', 'mesh', 'observability', 'tracing', 'traffic'],
    );
    const nodes = (await get('/__admin/cluster/nodes')).body.nodes as Array<{ name: string; zone: string }>;
    assert.equal(new Set(nodes.map((n) => n.zone)), new Set(['zone-a', 'zone-b', 'zone-c']));
    const summary = (await get('/__admin/cluster/')).body;
    assert.equal(Object.fromEntries(summary.workloads.map((w: { name: string; replicas: number }) => [w.name, w.replicas])), { gateway: 2, api: 3, db: 2, cache: 1 });
    for (const w of (await get('/__admin/cluster/workloads')).body.workloads) {
      assert.ok(w.spec.probes.liveness && w.spec.probes.readiness && w.spec.probes.startup, `${w.name} has every probe`);
    }
    assert.is((await get('/__admin/health/policy')).body.policy, 'planner');
    assert.ok(((await get('/__admin/traffic/patterns')).body.patterns as Array<{ running: boolean }>).every((p) => p.running));

    // 1. start it: every service healthy, checkout answers
    await kernel.clock.advance(5000);
    assert.equal(await statuses(), { api: 'healthy', cache: 'healthy', db: 'healthy', gateway: 'healthy' });
    assert.is((await get('/gateway/checkout')).status, 200);

    // 2. kill the db instances
    const db = ((await get('/__admin/cluster/instances?workload=db')).body.instances as Array<{ id: string; state: string }>).map((i) => i.id);
    assert.equal(db, ['db-1', 'db-2']);
    const killedAt = kernel.clock.now();
    for (const id of db) {
      const killed = await post(`/__admin/cluster/instances/${id}/kill`);
      assert.is(killed.status, 200, killed.text);
      assert.is(killed.body.lastTermination.reason, 'Killed');
      assert.is(killed.body.lastTermination.exitCode, 137);
    }
    const failing = await get('/gateway/checkout');
    assert.is(failing.status, 502);
    assert.is(failing.body.failed.service, 'api');

    // 3. the next tick: db unhealthy, api and gateway through it, one open incident
    await kernel.clock.advance(1000);
    assert.equal(await statuses(), { api: 'unhealthy', cache: 'healthy', db: 'unhealthy', gateway: 'unhealthy' });
    const open = (await get('/__admin/health/incidents?status=open')).body.incidents;
    assert.is(open.length, 1);
    assert.is(open[0].kind, 'instancesDown');
    assert.equal(open[0].services, ['db', 'api', 'gateway']);

    // 4. healed within a minute, without anyone doing anything
    let healedAfter = 0;
    for (let s = 1; s <= 60; s++) {
      await kernel.clock.advance(1000);
      if (Object.values(await statuses()).every((v) => v === 'healthy')) {
        healedAfter = s;
        break;
      }
    }
    assert.ok(healedAfter > 0, 'every service healthy again within 60 s');
    assert.is((await get('/gateway/checkout')).status, 200);
    const [incident] = (await get('/__admin/health/incidents')).body.incidents;
    assert.is(incident.status, 'resolved');
    assert.is(incident.openedAt, killedAt);
    assert.is(incident.ttrMs, incident.resolvedAt - incident.openedAt);
    assert.ok(incident.ttrMs < 30_000, `TTR ${incident.ttrMs} ms`);
    const kinds = incident.timeline.map((e: { kind: string }) => e.kind);
    assert.is(kinds[0], 'detected');
    assert.is(kinds.at(-1), 'recovered');
    assert.ok(incident.timeline.some((e: { action?: string; target?: string }) => e.action === 'restart' && e.target === 'db-1'));
    const instances = (await get('/__admin/cluster/instances?workload=db')).body.instances as Array<{ id: string; state: string; restarts: number }>;
    assert.equal(instances.map((i) => [i.id, i.state, i.restarts]), [['db-1', 'Ready', 1], ['db-2', 'Ready', 1]]);

    // what the README shows of /metrics and /__admin/logs
    const metrics = (await get('/metrics')).text;
    assert.is(sample(metrics, 'understudy_health_incidents_opened_total'), 1);
    assert.is(sample(metrics, 'understudy_health_incidents_resolved_total'), 1);
    assert.is(sample(metrics, 'understudy_health_recovery_time_seconds_count'), 1);
    assert.is(sample(metrics, 'understudy_cluster_instances', { service: 'db', state: 'Ready' }), 2);
    assert.ok(sample(metrics, 'understudy_requests_total', { service: 'gateway', code: '502' })! >= 1);
    const warnings = (await get('/__admin/logs?service=db&level=warn')).body.items as Array<{ event?: string; msg: string }>;
    assert.ok(warnings.some((r) => r.event === 'cluster.instanceChanged' && r.msg === 'instance db-1 of db: Ready → Failed (killed)'), JSON.stringify(warnings.map((r) => r.msg)));
    const byIncident = (await get(`/__admin/logs?q=${incident.id}`)).body.items as Array<{ event?: string }>;
    assert.ok(byIncident.some((r) => r.event === 'health.incidentResolved'));
    assert.ok(events.some((e) => e.type === 'health.incidentResolved'));
  } finally {
    await kernel.stop();
  }
});

test.run();
