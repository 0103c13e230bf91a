// Simultaneous failures in several services, end to end (issue 11, health's edge cases):
// the db tier, the cache and an unrelated search service lose their instances at the same
// instant; later, two unrelated failures a few seconds apart. Whether health groups them in
// one incident or several, a user must be able to read from /__admin/health/incidents when
// each service failed and when it was healthy again, and each incident's TTR must be
// resolvedAt − openedAt with resolvedAt the moment its last service recovered. Virtual clock.
import type { TestKernel } from '@understudy/plugin-sdk/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { get, incidents, kill, seconds, startWorld, statuses, topology, until, type IncidentView } from './fixtures/ops-world.js';

const simultaneous = suite('ops: simultaneous failures in several services');

/** The shop topology plus `search`, which nothing calls and which calls nothing. */
const world = () =>
  startWorld({
    config: {
      mesh: { services: { ...topology(), search: { endpoints: [{ path: '/find', method: 'GET', name: 'find' }] } } },
      cluster: { workloads: { search: { replicas: 2, startupSeconds: 1 }, cache: { startupSeconds: 6 } } },
    },
  });

const allHealthy = (k: TestKernel) => async () => Object.values(await statuses(k)).every((s) => s === 'healthy');

/** When each service last turned healthy (health.statusChanged). */
function healthyAt(k: TestKernel): Map<string, number> {
  const at = new Map<string, number>();
  for (const e of k.eventsOf('health.statusChanged')) if (e.data.to === 'healthy') at.set(e.data.service, e.at);
  return at;
}

/** The incident holding `service` (exactly one). */
function incidentOf(list: IncidentView[], service: string): IncidentView {
  const found = list.filter((i) => i.services.includes(service));
  assert.is(found.length, 1, `${service} in ${found.length} incidents: ${JSON.stringify(list.map((i) => i.services))}`);
  return found[0]!;
}

/** Can a user read from the incident when `service` was healthy again? Its own resolution, or a timeline entry. */
function recoveryShown(incident: IncidentView, service: string, at: number): boolean {
  if (incident.resolvedAt === at && incident.services.length === 1) return true;
  return incident.timeline.some((e) => e.at === at && e.target === service && /healthy/.test(e.message));
}

simultaneous('db tier, cache and search fail at one instant: every failure on a timeline, TTR = until the last service of the incident is healthy', async () => {
  const k = await world();
  try {
    await seconds(k, 3);
    const t0 = k.clock.now();
    await kill(k, ['db-1', 'db-2', 'cache-1', 'search-1', 'search-2']);
    const find = await get(k, '/search/find');
    assert.is(find.status, 503);
    assert.is(find.body.code, 'US_MESH_NO_READY_INSTANCE');
    assert.is((await get(k, '/gateway/checkout')).status, 502);
    await seconds(k, 1);
    assert.equal(await statuses(k), { api: 'unhealthy', cache: 'unhealthy', db: 'unhealthy', gateway: 'unhealthy', search: 'unhealthy' });

    await until(k, allHealthy(k), 60);
    assert.is((await get(k, '/search/find')).status, 200);
    assert.is((await get(k, '/gateway/checkout')).status, 200);
    const list = await incidents(k);
    assert.ok(list.every((i) => i.status === 'resolved'), JSON.stringify(list));
    const recovered = healthyAt(k);

    // every killed instance is a `detected` entry at t0 of the incident of its service
    for (const id of ['db-1', 'db-2', 'cache-1', 'search-1', 'search-2']) {
      const service = id.split('-')[0]!;
      const incident = incidentOf(list, service);
      const entry = incident.timeline.find((e) => e.kind === 'detected' && e.target === id);
      assert.ok(entry, `${id} detected in ${incident.id}`);
      assert.is(entry!.at, t0);
      assert.match(entry!.message, `${id} exited: Killed`);
    }
    // api and gateway failed through their dependencies, in the db's incident
    for (const service of ['api', 'gateway']) assert.ok(incidentOf(list, service).services.includes('db'), `${service} with db`);

    // search is back first, the cache (6 s start) last
    assert.ok(recovered.get('search')! < recovered.get('db')!, JSON.stringify([...recovered]));
    assert.ok(recovered.get('db')! < recovered.get('cache')!, JSON.stringify([...recovered]));
    for (const incident of list) {
      assert.is(incident.openedAt, t0, incident.id);
      const last = Math.max(...incident.services.map((s) => recovered.get(s)!));
      assert.is(incident.resolvedAt, last, `${incident.id} resolved when its last service (of ${incident.services.join(', ')}) was healthy`);
      assert.is(incident.ttrMs, incident.resolvedAt! - incident.openedAt);
      assert.is(incident.timeline.at(-1)!.kind, 'recovered');
    }
  } finally {
    await k.stop();
  }
});

simultaneous('the same failures: when each service was healthy again can be read from its incident', async () => {
  const k = await world();
  try {
    await seconds(k, 3);
    const t0 = k.clock.now();
    await kill(k, ['db-1', 'db-2', 'cache-1', 'search-1', 'search-2']);
    await until(k, allHealthy(k), 60);
    const list = await incidents(k);
    const recovered = healthyAt(k);
    for (const service of ['search', 'db', 'cache', 'api', 'gateway']) {
      const incident = incidentOf(list, service);
      assert.ok(
        recoveryShown(incident, service, recovered.get(service)!),
        `when ${service} was healthy again (+${recovered.get(service)! - t0} ms) is not in ${incident.id}: ${JSON.stringify(incident.timeline.filter((e) => e.kind !== 'detected'))}`,
      );
    }
  } finally {
    await k.stop();
  }
});

simultaneous('two unrelated failures a few seconds apart are two incidents, each with its own TTR', async () => {
  const k = await world();
  try {
    await seconds(k, 3);
    const t0 = k.clock.now();
    await kill(k, ['db-1', 'db-2']);
    await seconds(k, 2);
    const t1 = k.clock.now();
    await kill(k, ['search-1', 'search-2']);
    await until(k, allHealthy(k), 60);
    const recovered = healthyAt(k);
    const list = await incidents(k);
    assert.is(list.length, 2, JSON.stringify(list.map((i) => i.services)));
    const db = incidentOf(list, 'db');
    const search = incidentOf(list, 'search');
    assert.is.not(db.id, search.id);
    assert.equal([...db.services].sort(), ['api', 'db', 'gateway']);
    assert.equal(search.services, ['search']);
    assert.is(db.openedAt, t0);
    assert.is(search.openedAt, t1);
    assert.is(search.resolvedAt, recovered.get('search'));
    assert.is(search.ttrMs, search.resolvedAt! - t1);
    assert.is(db.resolvedAt, Math.max(recovered.get('db')!, recovered.get('api')!, recovered.get('gateway')!));
    assert.is(db.ttrMs, db.resolvedAt! - t0);
    assert.ok(search.ttrMs! < db.ttrMs!, `search ${search.ttrMs} ms, db ${db.ttrMs} ms`);
    // the counters and the opened/resolved events agree
    const counters = (await get(k, '/__admin/health/')).body.counters;
    assert.is(counters.incidentsOpened, 2);
    assert.is(counters.incidentsResolved, 2);
    assert.equal([...counters.recoveryTimesMs].sort((a: number, b: number) => a - b), [search.ttrMs, db.ttrMs].sort((a, b) => a! - b!));
    assert.equal(k.eventsOf('health.incidentResolved').map((e) => e.data.incidentId).sort(), [db.id, search.id].sort());
  } finally {
    await k.stop();
  }
});

simultaneous.run();
